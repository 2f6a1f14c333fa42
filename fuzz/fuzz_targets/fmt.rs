//! The formatter on any bytes: no panic, no internal error (E0007: its output would not parse to
//! the same tree), and what it formats formats to itself and resolves to the same program with the
//! same findings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wfl::diagnostic::Code;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match wfl::fmt::format(&text) {
        Err(diagnostics) => {
            assert!(diagnostics.iter().any(|d| d.is_error()), "no error: {diagnostics:?}");
            for d in &diagnostics {
                assert!(d.code != Code::E0007, "internal error: {}", d.message);
            }
        }
        Ok(out) => {
            let again = wfl::fmt::format(&out).ok();
            assert_eq!(again.as_deref(), Some(out.as_str()), "not idempotent");
            assert_eq!(resolved(&out), resolved(&text), "the meaning changed:\n{out}");
        }
    }
});

/// The resolved program, positions aside, and the codes of the resolver's findings.
fn resolved(text: &str) -> (String, Vec<Code>) {
    let (file, _) = wfl::syntax::parse(text);
    let (program, diagnostics) = wfl::resolve::resolve(&file);
    let codes = diagnostics.iter().map(|d| d.code).collect();
    (wfl::fmt::without_positions(&format!("{program:?}")), codes)
}
