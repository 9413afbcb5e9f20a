//! Fuzzes strict parsing, reader mode and render-after-parse: none may panic, and whatever
//! strict parsing accepts must render back to lines that parse to the same document.
#![no_main]

use gapura_mrtd::mrz::{self, CalendarDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let reference = CalendarDate::from_days_since_unix_epoch(20_000);
    let _ = mrz::read(&text, reference);
    if let Ok(parsed) = mrz::parse(&text, reference) {
        let lines = mrz::render(&parsed.document).expect("a parsed document renders");
        let again = mrz::parse(&lines.join("\n"), reference).expect("rendered lines parse");
        assert_eq!(again.document, parsed.document);
    }
});
