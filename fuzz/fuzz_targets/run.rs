//! The interpreter: every scenario of a file that checks without errors is run, workflow and
//! machine alike, and its failures rendered.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wfl::diagnostic::Diagnostic;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let levels = wfl::lint::Levels::default();
    let checked = wfl::check_text_with(text, &levels, common::LIMITS);
    let Some(program) = &checked.program else {
        return;
    };
    if checked.diagnostics.iter().any(Diagnostic::is_error) {
        return;
    }
    let Some(source) = wfl::source::Source::new("fuzz.wfl", text) else {
        return;
    };
    match wfl::sim::run_scenarios(program, text) {
        Ok(results) => {
            for result in results {
                if let wfl::sim::scenario::Verdict::Failed(failures) = &result.verdict {
                    common::check_diagnostics(&source, failures);
                }
            }
        }
        Err(internal) => panic!("internal error: {}", internal.message),
    }
});
