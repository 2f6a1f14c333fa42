//! What every target checks of what wfl says about an input, beyond "it did not panic".
#![allow(dead_code)] // each target uses part of it

use wfl::diagnostic::{Code, Diagnostic};
use wfl::diagnostic::render;
use wfl::source::Source;

/// Exploration bounds small enough for tens of thousands of inputs a minute: the fuzzer looks
/// for crashes and broken invariants, and a bound reached is a note, not a failure.
pub const LIMITS: wfl::analysis::machine::Limits = wfl::analysis::machine::Limits {
    children: 2,
    max_states: 2_000,
    max_bytes: 8 << 20,
    threads: 1,
};

/// Every span lies inside the text, on character boundaries, and the rendered report can be
/// made in both forms.
pub fn check_diagnostics(source: &Source, diagnostics: &[Diagnostic]) {
    let text = source.text();
    for d in diagnostics {
        assert!(d.code != Code::E0007, "internal error: {}", d.message);
        let labels = std::iter::once(&d.primary).chain(&d.secondary);
        for label in labels {
            let range = label.span.range();
            assert!(range.end <= text.len(), "{:?}: span {range:?} past the end", d.code);
            assert!(
                text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
                "{:?}: span {range:?} inside a character",
                d.code
            );
        }
    }
    let human = render::human_string(source.clone(), diagnostics);
    for d in diagnostics {
        assert!(human.contains(d.code.as_str()), "{:?} missing from the report", d.code);
    }
    for d in diagnostics {
        let json = render::JsonDiagnostic::new(source, d);
        assert!(serde_json::to_string(&json).is_ok());
    }
}
