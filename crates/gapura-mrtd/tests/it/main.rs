//! gapura-mrtd: machine-readable zones and passive authentication.

mod mrz;
mod mrz_props;
mod pa;
