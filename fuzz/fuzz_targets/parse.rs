//! The parser on any bytes: no panic, no hang, and every finding points into the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (_file, diagnostics) = wfl::syntax::parse(&text);
    if let Some(source) = wfl::source::Source::new("fuzz.wfl", text.into_owned()) {
        common::check_diagnostics(&source, &diagnostics);
    }
});
