//! The interpreter's resources under hostile specs: what a run compiles, queues, records and
//! computes stays proportional to the file and to the documented bounds (specs/semantics.md 14.8),
//! and a run that would exceed them ends with a finding, never an abort. Large inputs are
//! generated here.

use wfl::diagnostic::{Code, Diagnostic};
use wfl::model::Program;
use wfl::sim::scenario::{ScenarioResult, Verdict};

/// The resolved program of `text`, which must have no error.
fn program(text: &str) -> Program {
    let (file, mut diagnostics) = wfl::syntax::parse(text);
    let (program, found) = wfl::resolve::resolve(&file);
    diagnostics.extend(found);
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    program
}

/// Runs every scenario of `text` in the interpreter alone (no analysis), on a thread with a small
/// stack: nothing may recurse as deep as the input is long.
fn run(text: &str) -> Vec<ScenarioResult> {
    let program = program(text);
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn_scoped(s, || wfl::sim::run_scenarios(&program, text))
            .expect("thread starts")
            .join()
            .expect("no panic")
    })
    .unwrap_or_else(|d| panic!("the program does not compile: {d:?}"))
}

#[allow(dead_code)] // used by the tests of the next commits
fn codes(verdict: &Verdict) -> Vec<Code> {
    match verdict {
        Verdict::Failed(found) => found.iter().map(|d| d.code).collect(),
        _ => Vec::new(),
    }
}

/// `view v0 = a`, then `levels` views each reading the one before it `uses` times, the last one
/// in a guard and an `expect`.
fn views(levels: usize, uses: usize) -> String {
    let mut text = String::from(
        "machine m {\n  var a: bool = true\n  state A, B\n  initial -> A\n  view v0 = a\n",
    );
    for i in 1..=levels {
        let operands = vec![format!("v{}", i - 1); uses].join(" and ");
        text.push_str(&format!("  view v{i} = {operands}\n"));
    }
    text.push_str(&format!(
        "  A -> B on go when v{levels}\n}}\n\nscenario \"the guard holds\" for m {{\n  expect v{levels}\n  send go\n  expect state == B and v{levels}\n  set a = false\n  expect not v{levels}\n}}\n"
    ));
    text
}

#[test]
fn views_built_on_each_other_are_compiled_once() {
    // Inlined, the guard of 40 levels would be 2^40 instructions (30 levels aborted with a 4 GB
    // allocation); compiled once, each view is a few.
    let text = views(40, 2);
    let program = program(&text);
    let compiled = wfl::sim::machine::Compiled::new(&program).expect("compiles");
    assert!(
        compiled.instructions() < 10 * 41,
        "{} instructions",
        compiled.instructions()
    );
    let results = run(&text);
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].verdict, Verdict::Passed);
}

#[test]
fn a_long_chain_of_views_compiles_and_runs() {
    // 1 001 views gave E0007 ("a machine could not be compiled") under `wfl test`.
    let text = views(20_000, 1);
    let results = run(&text);
    assert_eq!(results[0].verdict, Verdict::Passed);
}

#[test]
fn the_checker_reads_views_once_too() {
    // The whole pipeline — the analysis looks at what each guard reads through its views.
    for text in [views(40, 2), views(2_000, 1)] {
        let tested = wfl::test_text(&text);
        assert!(
            !tested.checked.diagnostics.iter().any(Diagnostic::is_error),
            "{:?}",
            tested.checked.diagnostics
        );
        assert_eq!(tested.results[0].verdict, Verdict::Passed);
    }
}
