//! The checked program of a benchmark's spec, for the benchmarks that run one.

use wfl::model::Program;

/// `text` checked; it must have no errors.
pub fn program(text: &str) -> Program {
    let checked = wfl::check_text(text);
    assert!(
        !checked.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        checked.diagnostics
    );
    checked.program.expect("the benchmark's spec resolves")
}
