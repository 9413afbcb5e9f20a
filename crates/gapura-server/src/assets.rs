//! The console's assets, compiled into the binary: no CDN, nothing fetched at run time. Each
//! is served under a name that carries its content's hash, so browsers may cache it for good.

use std::sync::OnceLock;

const STYLE_CSS: &[u8] = include_bytes!("../static/gapura.css");

fn hashed(stem: &str, ext: &str, bytes: &[u8]) -> String {
    use sha2::Digest;
    let h = hex::encode(sha2::Sha256::digest(bytes));
    format!("{stem}.{}.{ext}", &h[..12])
}

fn stylesheet_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| hashed("gapura", "css", STYLE_CSS))
}

/// The stylesheet's URL.
pub fn stylesheet_path() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| format!("/static/{}", stylesheet_name()))
}

pub fn find(file: &str) -> Option<(&'static [u8], &'static str)> {
    (file == stylesheet_name()).then_some((STYLE_CSS, "text/css; charset=utf-8"))
}
