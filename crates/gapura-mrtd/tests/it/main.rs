//! gapura-mrtd: machine-readable zones and passive authentication.

mod mrz;
mod mrz_props;
#[cfg(feature = "pa")]
mod pa;
