//! The whole check pipeline on any bytes, as `wfl check` runs it: decode, parse, resolve, the
//! structural checks, the analysis (machines explored within small bounds), suppressions.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let levels = wfl::lint::Levels::default();
    if let Some((source, checked)) =
        wfl::check_bytes_with("fuzz.wfl", data.to_vec(), &levels, common::LIMITS)
    {
        common::check_diagnostics(&source, &checked.diagnostics);
    }
});
