//! `wfl fmt`: one canonical layout for every `.wfl` file (specs/format.md).
//!
//! The statements come from the syntax tree (`tree.rs`), their text from the file's tokens
//! (`lex.rs`), comments and line breaks included, which the parser never sees: so every token,
//! comment and parenthesis of the file is written back, and only the spaces, line breaks and
//! indentation between them are chosen (`print.rs`), then aligned (here). The result is parsed
//! again: when its syntax tree differs from the file's in anything but positions, or a comment
//! went missing, the file is left as it is and an internal error (E0007) says so.

mod lex;
mod print;
mod tree;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax;

pub use print::WIDTH;

/// `source` in the canonical layout, or the findings that keep it from being formatted: its
/// syntax errors, as `wfl check` reports them.
///
/// ```
/// let formatted = wfl::fmt::format("workflow w{task a;task b\n a->b}");
/// let expected = "workflow w {\n  task a\n  task b\n  a -> b\n}\n";
/// assert_eq!(formatted.ok().as_deref(), Some(expected));
/// // A file with a syntax error is not formatted: its errors come back instead.
/// assert!(wfl::fmt::format("workflow w {").is_err_and(|errors| !errors.is_empty()));
/// ```
pub fn format(source: &str) -> Result<String, Vec<Diagnostic>> {
    let (file, diagnostics) = syntax::parse(source);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(crate::check_text(source).diagnostics);
    }
    let tokens = lex::tokens(source);
    let items = tree::items(&file);
    let Some(lines) = print::layout(source, &tokens, &items) else {
        return Err(vec![internal_error(
            "a part of the file is in no statement",
        )]);
    };
    // Lines end as the file's first line does; a block comment keeps the line breaks it has.
    let first_break = tokens.iter().find(|t| t.kind == lex::Kind::Newline);
    let newline = match first_break.and_then(|t| source.get(t.start..t.end)) {
        Some("\r\n") => "\r\n",
        _ => "\n",
    };
    let mut out = render(lines, newline);
    if source.starts_with('\u{FEFF}') {
        out.insert(0, '\u{FEFF}');
    }
    verify(source, &file, &tokens, &out)?;
    Ok(out)
}

/// Checks that `out` says what `source` (whose tree is `file`) says: it parses without errors,
/// to the same tree but for positions, and has as many comments.
fn verify(
    source: &str,
    file: &syntax::ast::File,
    tokens: &[lex::Token],
    out: &str,
) -> Result<(), Vec<Diagnostic>> {
    let (formatted, diagnostics) = syntax::parse(out);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(vec![internal_error("the formatted text would not parse")]);
    }
    if without_positions(&format!("{file:?}")) != without_positions(&format!("{formatted:?}")) {
        return Err(vec![internal_error(
            "the formatted text would not mean the same",
        )]);
    }
    let comments = |tokens: &[lex::Token]| tokens.iter().filter(|t| t.is_comment()).count();
    if comments(tokens) != comments(&lex::tokens(out)) {
        return Err(vec![internal_error("a comment would be lost")]);
    }
    let _ = source;
    Ok(())
}

/// A syntax tree's (or a program's) debug text without its spans, and without the spaces and tabs
/// that end a doc comment's lines (the layout drops them): what the formatter must keep.
pub fn without_positions(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find("Span {") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('}').map_or(rest.len(), |e| e + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    without_line_end_blanks(&out)
}

/// `debug` without the spaces and escaped tabs (`\t`) before an escaped line break (`\n`) or a
/// closing quote: where a doc comment's line ends in a syntax tree's debug text.
fn without_line_end_blanks(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut blanks = String::new();
    let mut chars = debug.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' => blanks.push(' '),
            '\\' => match chars.next() {
                Some('t') => blanks.push_str("\\t"),
                Some('n') => {
                    blanks.clear();
                    out.push_str("\\n");
                }
                escaped => {
                    out.push_str(&blanks);
                    blanks.clear();
                    out.push('\\');
                    out.extend(escaped);
                }
            },
            '"' => {
                blanks.clear();
                out.push('"');
            }
            _ => {
                out.push_str(&blanks);
                blanks.clear();
                out.push(c);
            }
        }
    }
    out.push_str(&blanks);
    out
}

fn internal_error(what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0007,
        format!("internal error: {what}; the file was not formatted"),
        Span::new(0, 0),
        "here",
    )
    .with_help("this is a bug in wfl fmt: please report it with the file")
}

/// The lines as text: the trailing comments of a run aligned, `newline` after each line.
fn render(mut lines: Vec<print::Line>, newline: &str) -> String {
    align_comments(&mut lines);
    let mut out = String::new();
    for line in &lines {
        if line.blank_before {
            out.push_str(newline);
        }
        let start = out.len();
        out.push_str(&" ".repeat(2 * line.indent));
        out.push_str(&line.text);
        if let Some(comment) = &line.comment {
            out.push(' ');
            out.push_str(comment);
        }
        out.truncate(start + print::trim_end(&out[start..]).len());
        out.push_str(newline);
    }
    out
}

/// The end of the run of lines starting at `from` that `same` accepts: consecutive lines, no
/// blank line between them.
fn run_end(lines: &[print::Line], from: usize, same: impl Fn(&print::Line) -> bool) -> usize {
    let mut end = from + 1;
    while lines.get(end).is_some_and(|l| !l.blank_before && same(l)) {
        end += 1;
    }
    end
}

/// Consecutive lines at one indentation that end with a comment start their comments in one
/// column, two spaces after the longest line's code.
fn align_comments(lines: &mut [print::Line]) {
    let mut i = 0;
    while i < lines.len() {
        if lines[i].comment.is_none() {
            i += 1;
            continue;
        }
        let indent = lines[i].indent;
        let end = run_end(lines, i, |l| l.indent == indent && l.comment.is_some());
        let code_width = |l: &print::Line| 2 * l.indent + print::width(&l.text);
        let column = lines[i..end].iter().map(code_width).max().unwrap_or(0) + 2;
        for line in &mut lines[i..end] {
            let pad = column - code_width(line) - 1;
            line.text.push_str(&" ".repeat(pad));
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats_to(input: &str, expected: &str) {
        let out = format(input).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(out, expected, "\n{out}");
        assert_eq!(
            format(&out).ok().as_deref(),
            Some(expected),
            "not idempotent"
        );
    }

    #[test]
    fn spacing_indentation_and_separators() {
        formats_to(
            "workflow  w{\n\ttask a;task b\n var x:int -5..5=-1\n var m : { p , q }\n\n\n a->b when x-1>0 and m==p\n}",
            "workflow w {\n  task a\n  task b\n  var x: int -5..5 = -1\n  var m: {p, q}\n\n  a -> b when x - 1 > 0 and m == p\n}\n",
        );
    }

    #[test]
    fn comments_stay_with_their_code() {
        formats_to(
            "// head\n\n/// The door.\nmachine door { // opened\n  initial -> Closed   // first\n  state Closed, Open /* two */\n\n\n  // pushing\n  Closed -> Open on push\n  // at the end\n}\n",
            "// head\n\n/// The door.\nmachine door {  // opened\n  initial -> Closed   // first\n  state Closed, Open  /* two */\n\n  // pushing\n  Closed -> Open on push\n  // at the end\n}\n",
        );
    }

    #[test]
    fn comments_lose_the_spaces_and_tabs_that_end_them_only() {
        formats_to(
            "/// The flow. \t\n///  \nworkflow w {\n  task a // x\u{3000}\n}\n",
            "/// The flow.\n///\nworkflow w {\n  task a  // x\u{3000}\n}\n",
        );
    }

    #[test]
    fn blocks_keep_the_authors_choice_of_one_line_or_several() {
        formats_to(
            "machine m {\n  var n: int\n  children w: m\n  state A {on enter {set n = n+1;send go to w[n]}}\n  A -> A on go {\n  raise go }\n  state B {}\n}\n",
            "machine m {\n  var n: int\n  children w: m\n  state A { on enter { set n = n + 1; send go to w[n] } }\n  A -> A on go {\n    raise go\n  }\n  state B {}\n}\n",
        );
    }

    #[test]
    fn long_statements_break_after_commas_and_logical_operators() {
        let names: Vec<String> = (0..30).map(|i| format!("task_{i:02}")).collect();
        let input = format!(
            "workflow w {{\n  var x: int\n  task {}\n  [{}] -> task_00 when x > 1 and x < 100000 and x != 5000 and x != 6000 and x != 7000\n}}\n",
            names.join(", "),
            names[1..].join(", ")
        );
        let out = format(&input).expect("formats");
        // `task a, b` has no place a line may break: it stays long.
        let breakable = out.lines().filter(|l| !l.trim_start().starts_with("task "));
        assert!(
            breakable.clone().all(|l| l.chars().count() <= WIDTH),
            "{out}"
        );
        assert!(breakable.count() > 5, "{out}");
        assert!(out.contains("\n      task_"), "continuation lines: {out}");
        assert_eq!(format(&out).expect("formats again"), out);
    }

    #[test]
    fn a_file_with_syntax_errors_gives_the_errors_check_gives() {
        let text = "workflow w {\n  task a\n  a -> \n}\n";
        let errors = format(text).expect_err("a syntax error");
        let checked = crate::check_text(text).diagnostics;
        assert!(!errors.is_empty());
        assert_eq!(format!("{errors:?}"), format!("{checked:?}"));
    }

    #[test]
    fn line_endings_and_byte_order_mark_are_kept() {
        formats_to(
            "\u{FEFF}workflow w {\r\n task a\r\n}\r\n",
            "\u{FEFF}workflow w {\r\n  task a\r\n}\r\n",
        );
        formats_to("", "");
        formats_to("\n\n// only a comment\n\n", "// only a comment\n");
    }
}
