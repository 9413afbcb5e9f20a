//! gapura-mrtd: machine-readable zones and passive authentication.

mod mrz;
mod pa;
mod mrz_props;
