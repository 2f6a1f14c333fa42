//! Hostile and unusual input: every case gives a result or a diagnostic, never a crash or a hang.

use wfl::diagnostic::{Code, Severity};
use wfl::source::Source;

#[path = "../benches/generate.rs"]
mod generate;

fn codes(text: &str) -> Vec<Code> {
    wfl::check_text(text)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn an_empty_file_is_clean() {
    assert!(codes("").is_empty());
    assert!(codes("\n\n  \t\r\n").is_empty());
    assert!(codes("// only a comment").is_empty());
}

#[test]
fn invalid_utf8_is_one_diagnostic_at_the_first_bad_byte() {
    let mut bytes = b"workflow w {\n  task ok\n}\n// caf".to_vec();
    let bad = bytes.len();
    bytes.extend_from_slice(&[0xE9, b'\n', 0xFF, 0xFE]);
    let (source, checked) = wfl::check_bytes("bad.wfl", bytes).expect("small file");
    let [diagnostic] = checked.diagnostics.as_slice() else {
        panic!("expected one diagnostic, got {:?}", checked.diagnostics);
    };
    assert_eq!(diagnostic.code, Code::E0002);
    assert_eq!(diagnostic.primary.span.start as usize, bad);
    assert_eq!(source.line_col(bad).line, 4);
}

#[test]
fn crlf_and_tabs_give_character_columns() {
    let text = "workflow w {\r\n\ttask a\r\n\ta -> \tb\r\n}\r\n";
    let checked = wfl::check_text(text);
    let [diagnostic] = checked.diagnostics.as_slice() else {
        panic!("expected one diagnostic, got {:?}", checked.diagnostics);
    };
    let source = Source::new("t", text).expect("small");
    let at = source.line_col(diagnostic.primary.span.start as usize);
    assert_eq!(
        (at.line, at.column),
        (3, 8),
        "the tab before `b` is one column"
    );
}

#[test]
fn a_byte_order_mark_is_not_a_column() {
    let text = "\u{FEFF}workflow w { task a; a -> b }";
    let checked = wfl::check_text(text);
    let [diagnostic] = checked.diagnostics.as_slice() else {
        panic!("expected one diagnostic, got {:?}", checked.diagnostics);
    };
    assert_eq!(diagnostic.code, Code::E0101);
    let source = Source::new("t", text).expect("small");
    let at = source.line_col(diagnostic.primary.span.start as usize);
    assert_eq!((at.line, at.column), (1, 27));
}

const DEEP: usize = 100_000;

fn deep_parentheses() -> String {
    format!(
        "workflow w {{\n  var x: bool\n  task a, b\n  a -> b when {}x{}\n}}\n",
        "(".repeat(DEEP),
        ")".repeat(DEEP)
    )
}

fn deep_nots() -> String {
    format!(
        "workflow w {{\n  var x: bool\n  task a, b\n  a -> b when {}x\n}}\n",
        "not ".repeat(DEEP)
    )
}

fn deep_blocks() -> String {
    format!("workflow w {{\n{}\n}}\n", "task a {".repeat(DEEP))
}

fn long_chain() -> String {
    format!(
        "workflow w {{\n  var x: int\n  task a, b\n  a -> b when x{} > 0 or {}x > 1\n}}\n",
        " + 1".repeat(DEEP),
        "x == 1 or ".repeat(DEEP)
    )
}

#[test]
fn deep_nesting_is_a_diagnostic() {
    assert_eq!(codes(&deep_parentheses()), [Code::E0003]);
    assert_eq!(codes(&deep_nots()), [Code::E0003]);
    assert_eq!(codes(&deep_blocks()), [Code::E0003]);
}

#[test]
fn long_flat_chains_are_fine() {
    assert!(codes(&long_chain()).is_empty());
}

/// As deep as the limit allows, mixing `not`s and parentheses: parses, within a small stack.
fn deepest_allowed() -> String {
    let levels = wfl::syntax::scan::MAX_NESTING / 2 - 1;
    format!(
        "workflow w {{\n  var x: bool\n  task a, b\n  a -> b when {}x{}\n}}\n",
        "not (".repeat(levels),
        ")".repeat(levels)
    )
}

#[test]
fn deep_nesting_fits_a_small_stack() {
    let inputs = [
        deep_parentheses(),
        deep_nots(),
        deep_blocks(),
        long_chain(),
        deepest_allowed(),
    ];
    let worker = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            inputs
                .iter()
                .map(|text| codes(text).len())
                .collect::<Vec<_>>()
        })
        .expect("thread starts");
    let counts = worker.join().expect("no stack overflow on a 1 MiB stack");
    assert_eq!(counts, [1, 1, 1, 0, 0]);
}

#[test]
fn nots_before_parentheses_count_toward_the_limit() {
    let levels = wfl::syntax::scan::MAX_NESTING / 2 + 1;
    let text = format!(
        "workflow w {{\n  var x: bool\n  task a, b\n  a -> b when {}x{}\n}}\n",
        "not (".repeat(levels),
        ")".repeat(levels)
    );
    assert_eq!(codes(&text), [Code::E0003]);
}

#[test]
fn nesting_just_under_the_limit_parses() {
    let depth = wfl::syntax::scan::MAX_NESTING - 2;
    let text = format!(
        "workflow w {{\n  var x: bool\n  task a, b\n  a -> b when {}x{}\n}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    assert!(codes(&text).is_empty());
}

#[test]
fn a_ten_megabyte_file_checks() {
    let text = generate::workflow(100_000);
    assert!(text.len() > 9_000_000, "{} bytes", text.len());
    let checked = wfl::check_text(&text);
    // Too many tasks for the semantic analysis, which says so rather than guess.
    let codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::N0408], "{:?}", checked.diagnostics.first());
    assert!(checked.diagnostics[0].message.contains("100000 tasks"));
    let program = checked.program.expect("resolved");
    assert_eq!(program.workflows[0].tasks.len(), 100_000);
}

#[test]
fn syntax_errors_say_what_was_expected_in_words() {
    let cases = [
        "workflow w {\n  task a ]\n}\n",
        "workflow w {\n  a ->\n}\n",
        "workflow w {\n  task a { duration = }\n}\n",
        "machine m {\n  state A\n  A -> on go\n}\n",
        "scenario s for w {\n  expect a ==\n}\n",
        "garbage\n",
    ];
    let rule_names = [
        "wf_stmt", "m_stmt", "sc_stmt", "ident", "dotted", "expr", "EOI", "atom", "operand",
    ];
    for text in cases {
        let diagnostics = wfl::check_text(text).diagnostics;
        let [d] = diagnostics.as_slice() else {
            panic!("{text:?}: expected one diagnostic, got {diagnostics:?}");
        };
        assert_eq!(d.code, Code::E0001, "{text:?}");
        assert!(
            d.message.starts_with("expected "),
            "{text:?}: {}",
            d.message
        );
        assert!(d.message.contains(", found "), "{text:?}: {}", d.message);
        let words = d
            .message
            .split(|c: char| !(c.is_alphanumeric() || c == '_'));
        for word in words {
            let is_rule =
                rule_names.contains(&word) || word.starts_with("kw_") || word.ends_with("_chunk");
            assert!(!is_rule, "{text:?}: rule name `{word}` in {}", d.message);
        }
    }
}

#[test]
fn many_broken_lines_stop_at_the_cap() {
    let text = format!("workflow w {{\n{}}}\n", "  task ! broken\n".repeat(1_000));
    let diagnostics = wfl::check_text(&text).diagnostics;
    assert_eq!(diagnostics.len(), wfl::syntax::MAX_SYNTAX_ERRORS);
}

#[test]
fn many_statements_fit_a_small_stack() {
    let text = generate::workflow(2_000);
    let worker = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            let diagnostics = wfl::check_text(&text).diagnostics;
            let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error);
            errors.count()
        })
        .expect("thread starts");
    assert_eq!(
        worker.join().expect("no stack overflow on a 1 MiB stack"),
        0
    );
}
