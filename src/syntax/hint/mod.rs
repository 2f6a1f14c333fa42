//! Hints for syntax errors: the mistakes people make first, recognised at the token where the
//! parse failed, with a message that names the mistake and a help that gives the text to write.
//!
//! pest knows what the grammar allowed at the failing position; it does not know that `&&` is how
//! other languages write `and`, or that `accept: all` is a property written with a colon. Each rule
//! here looks at the token the parse stopped at (and at the statement around it) and, when it knows
//! the mistake, says so. Without a rule that fits, the parser's plain "expected …, found …" stands.

mod operators;
mod rules;

use crate::source::Span;

pub(crate) use rules::statement_keywords;

/// Where a failed parse started: what kind of statement the grammar was reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// Between items: an item head was expected.
    TopLevel,
    Workflow,
    Machine,
    Scenario,
}

/// A failed parse, as the hints see it.
pub(super) struct Failure<'a> {
    /// The text the grammar read (comments blanked out).
    pub text: &'a str,
    /// Where the statement (or item head) that failed starts.
    pub stmt: usize,
    /// Where the parse failed: the start of the token that does not fit.
    pub at: usize,
    /// What the grammar allowed at `at`, in the words of the "expected …" message.
    pub expected: &'a [String],
    pub place: Place,
}

/// What a hint says instead of "expected …, found …".
#[derive(Debug)]
pub(super) struct Hint {
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    pub note: Option<String>,
    /// The exact edit the help proposes: `span` replaced by this text.
    pub fix: Option<(Span, String)>,
}

impl Hint {
    fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> Hint {
        Hint {
            span,
            message: message.into(),
            label: label.into(),
            help: None,
            note: None,
            fix: None,
        }
    }

    /// A hint whose help is the line with `span` replaced by `replacement`.
    fn replace(
        f: &Failure<'_>,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        replacement: &str,
    ) -> Hint {
        Hint::new(span, message, label).write(f, span, replacement)
    }

    /// The help "write `LINE`" (the line with `span` replaced by `replacement`), and that edit as
    /// the hint's fix.
    fn write(mut self, f: &Failure<'_>, span: Span, replacement: &str) -> Hint {
        self.fix = Some((span, replacement.to_owned()));
        self.help(write_instead(f.text, span, replacement))
    }

    /// The exact edit the help, written otherwise, proposes.
    fn fix(mut self, span: Span, replacement: impl Into<String>) -> Hint {
        self.fix = Some((span, replacement.into()));
        self
    }

    fn help(mut self, help: impl Into<String>) -> Hint {
        self.help = Some(help.into());
        self
    }

    fn note(mut self, note: impl Into<String>) -> Hint {
        self.note = Some(note.into());
        self
    }
}

/// The hint for `failure`, if one of the rules knows the mistake.
pub(super) fn recognise(failure: &Failure<'_>) -> Option<Hint> {
    let token = Token::at(failure.text, failure.at)?;
    rules::RULES.iter().find_map(|rule| rule(failure, &token))
}

/// One token of the text: a word (letters, digits, `_`), a string, an operator of one or two
/// characters, or any other character.
#[derive(Debug)]
struct Token<'t> {
    start: usize,
    text: &'t str,
}

/// Operators of two characters, wfl's and other languages'.
const PAIRS: &[&str] = &[
    "->", "=>", "==", "!=", "<=", ">=", "&&", "||", ":=", "+=", "-=", "<>", "..",
];

impl<'t> Token<'t> {
    fn at(text: &'t str, start: usize) -> Option<Token<'t>> {
        let rest = text.get(start..)?;
        let first = rest.chars().next()?;
        let len = if is_word_char(first) {
            rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len())
        } else if first == '"' {
            rest.get(1..)
                .and_then(|r| r.find(['"', '\n', '\r']))
                .map_or(rest.len(), |n| n + 2)
        } else if PAIRS.iter().any(|p| rest.starts_with(p)) {
            2
        } else {
            first.len_utf8()
        };
        Some(Token {
            start,
            text: rest.get(..len)?,
        })
    }

    fn span(&self) -> Span {
        Span::new(self.start, self.end())
    }

    fn end(&self) -> usize {
        self.start + self.text.len()
    }

    fn is_word(&self) -> bool {
        self.text.starts_with(is_word_char)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Failure<'_> {
    fn expects(&self, word: &str) -> bool {
        self.expected.iter().any(|w| w == word)
    }

    /// The statement's text up to the failing token.
    fn before(&self) -> &str {
        self.text.get(self.stmt..self.at).unwrap_or("")
    }

    /// The first word of the statement.
    fn keyword(&self) -> &str {
        Token::at(self.text, self.stmt).map_or("", |t| t.text)
    }

    /// Whether the failing token is in an expression: after `when`, in `expect`, `view` or the
    /// value of a `set` (where the grammar allows a comparison or `and`/`or` next).
    fn in_expression(&self) -> bool {
        self.expected.iter().any(|w| w.starts_with("a comparison"))
            || self.expects("`and`")
            || self.expects("an expression")
    }

    /// The innermost `{` of the statement still open at the failing token, if any.
    fn open_block(&self) -> Option<usize> {
        let mut open = Vec::new();
        for (i, b) in self.before().bytes().enumerate() {
            match b {
                b'{' => open.push(self.stmt + i),
                b'}' => {
                    open.pop();
                }
                _ => {}
            }
        }
        open.pop()
    }
}

/// The line holding `span`, with `span` replaced by `replacement`, trimmed: the text to write
/// instead. `None` when the line is too long to quote whole.
fn line_with(text: &str, span: Span, replacement: &str) -> Option<String> {
    let (start, end) = line_bounds(text, span.start as usize);
    if end - start > 4 * 100 {
        return None;
    }
    let line = format!(
        "{}{replacement}{}",
        text.get(start..span.start as usize)?,
        text.get((span.end as usize).min(end).max(span.start as usize)..end)?
    );
    let line = line.trim();
    (line.chars().count() <= 100).then(|| line.to_owned())
}

/// "write `LINE`", or, for a line too long to quote, "write `replacement`".
fn write_instead(text: &str, span: Span, replacement: &str) -> String {
    match line_with(text, span, replacement) {
        Some(line) => format!("write `{line}`"),
        None => format!("write `{}`", replacement.trim()),
    }
}

/// How far from the failing token a hint looks for the ends of its line: a longer line is cut
/// there (and is too long to quote), so that a hint costs the same on a line of a megabyte.
const LINE_WINDOW: usize = 1000;

/// The start and end (before the line break) of the line holding `at`, at most [`LINE_WINDOW`]
/// bytes either side of it.
fn line_bounds(text: &str, at: usize) -> (usize, usize) {
    let from = text.floor_char_boundary(at.saturating_sub(LINE_WINDOW));
    let to = text.floor_char_boundary(at.saturating_add(LINE_WINDOW));
    let head = text.get(from..at).unwrap_or("");
    let start = from + head.rfind(['\n', '\r']).map_or(0, |n| n + 1);
    let tail = text.get(at..to).unwrap_or("");
    let end = at + tail.find(['\n', '\r']).unwrap_or(tail.len());
    (start, end)
}

/// The next token after `token`, skipping spaces and tabs (not line breaks).
fn next_token<'t>(text: &'t str, token: &Token<'_>) -> Option<Token<'t>> {
    let rest = text.get(token.end()..)?;
    let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Token::at(text, token.end() + skip)
}

/// The word that ends just before `at` (spaces and tabs between allowed), with its start.
fn word_before(text: &str, at: usize) -> Option<(usize, &str)> {
    let head = text.get(..at)?.trim_end_matches([' ', '\t']);
    let start = head.rfind(|c: char| !is_word_char(c)).map_or(0, |n| n + 1);
    let word = head.get(start..)?;
    (!word.is_empty()).then_some((start, word))
}

/// The keywords that start a statement, in each place.
#[cfg(test)]
mod tests {
    use super::*;

    fn hint(place: Place, text: &str, at: &str, expected: &[&str]) -> Option<Hint> {
        let at = text.find(at).expect("failing token in text");
        let expected: Vec<String> = expected.iter().map(|&w| w.to_owned()).collect();
        recognise(&Failure {
            text,
            stmt: 0,
            at,
            expected: &expected,
            place,
        })
    }

    #[test]
    fn rewrites_the_line_with_the_fix() {
        let h = hint(Place::Workflow, "x -> y when a && b", "&&", &["`and`"]).expect("a hint");
        assert_eq!(h.help.as_deref(), Some("write `x -> y when a and b`"));
        let h = hint(Place::Workflow, "x -> y when !a", "!", &["an expression"]).expect("a hint");
        assert_eq!(h.help.as_deref(), Some("write `x -> y when not a`"));
    }

    #[test]
    fn not_equal_is_not_a_negation() {
        let text = "x -> y when a != b c";
        assert!(hint(Place::Workflow, text, "c", &["`and`"]).is_none());
    }

    #[test]
    fn compound_assignment_is_written_in_full() {
        let h = hint(Place::Machine, "A -> A { set n += 1 }", "+=", &["`=`"]).expect("a hint");
        assert_eq!(h.help.as_deref(), Some("write `A -> A { set n = n + 1 }`"));
    }
}
