//! Hints for syntax errors: the mistakes people make first, recognised at the token where the
//! parse failed, with a message that names the mistake and a help that gives the text to write.
//!
//! pest knows what the grammar allowed at the failing position; it does not know that `&&` is how
//! other languages write `and`, or that `accept: all` is a property written with a colon. Each rule
//! here looks at the token the parse stopped at (and at the statement around it) and, when it knows
//! the mistake, says so. Without a rule that fits, the parser's plain "expected …, found …" stands.

use crate::diagnostic::suggest::did_you_mean;
use crate::source::Span;

/// Where a failed parse started: what kind of statement the grammar was reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
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
}

impl Hint {
    fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> Hint {
        Hint {
            span,
            message: message.into(),
            label: label.into(),
            help: None,
            note: None,
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
        Hint::new(span, message, label).help(write_instead(f.text, span, replacement))
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
    const RULES: &[fn(&Failure<'_>, &Token<'_>) -> Option<Hint>] = &[
        statement_starting_with_logic,
        misspelt_keyword,
        action_keyword,
        link_keyword_in_workflow,
        foreign_operator,
        is_for_equals,
        hash_comment,
        single_quotes,
        fat_arrow,
        set_with_double_equals,
        compound_assignment,
        colon_for_equals,
        var_without_type,
        unknown_type,
        spawn_with_equals,
        assignment_in_condition,
        if_for_when,
        else_branch,
        chained_arrow,
        expect_link_without_link,
        one_event_per_transition,
        comma_between_statements,
        quantifier_with_parentheses,
        on_error_only,
        trailing_comma,
        start_from_string,
        quoted_name,
        missing_keyword,
        missing_comma,
        missing_arrow,
        stray_closing_brace,
    ];
    RULES.iter().find_map(|rule| rule(failure, &token))
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
fn statement_keywords(place: Place) -> &'static [&'static str] {
    match place {
        Place::TopLevel => &["workflow", "machine", "scenario"],
        Place::Workflow => &["var", "task"],
        Place::Machine => &[
            "var",
            "children",
            "event",
            "actor",
            "initial",
            "state",
            "view",
            "transient",
            "final",
        ],
        Place::Scenario => &[
            "set", "fail", "duration", "start", "stop", "kill", "spawn", "send", "expect",
        ],
    }
}

/// `states A, B`, `tasks a`, `expct x`: a statement keyword misspelt.
fn misspelt_keyword(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    let first = Token::at(f.text, f.stmt)?;
    let second = next_token(f.text, &first);
    let fails_early = token.start == first.start || second.is_some_and(|s| s.start == token.start);
    let keywords = statement_keywords(f.place);
    if !fails_early || !first.is_word() || keywords.contains(&first.text) {
        return None;
    }
    let keyword = did_you_mean(first.text, keywords.iter().copied())?;
    Some(Hint::replace(
        f,
        first.span(),
        format!("`{}` is not a keyword", first.text),
        format!("did you mean `{keyword}`?"),
        keyword,
    ))
}

/// `emit done`, `sent go to parent`, `let n = 1` in an action block: the actions are `set`, `send`
/// and `raise`.
fn action_keyword(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if !f.expects("`raise`") || !token.is_word() {
        return None;
    }
    let action = match token.text {
        "emit" | "trigger" | "fire" | "signal" | "publish" => "raise",
        "let" | "assign" => "set",
        word => did_you_mean(word, ["set", "send", "raise"])?,
    };
    Some(
        Hint::replace(
            f,
            token.span(),
            format!("`{}` is not an action", token.text),
            format!("did you mean `{action}`?"),
            action,
        )
        .note("the actions are `set`, `send` and `raise`"),
    )
}

/// `link a -> b` in a workflow: a link is written without a keyword.
fn link_keyword_in_workflow(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    let first = Token::at(f.text, f.stmt)?;
    if f.place != Place::Workflow || first.text != "link" || token.start == first.start {
        return None;
    }
    let span = Span::new(first.start, next_token(f.text, &first)?.start);
    Some(
        Hint::new(
            first.span(),
            "a link is written without a keyword",
            "not a keyword here",
        )
        .help(write_instead(f.text, span, ""))
        .note("`link a -> b` names a link in a scenario's `expect`"),
    )
}

/// `a is DONE`, `a is not DONE`: comparisons are `==` and `!=`.
fn is_for_equals(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "is" || !f.in_expression() {
        return None;
    }
    let negated = next_token(f.text, token).filter(|t| t.text == "not");
    let (span, ours) = match &negated {
        Some(not) => (Span::new(token.start, not.end()), "!="),
        None => (token.span(), "=="),
    };
    Some(Hint::replace(
        f,
        span,
        format!("a comparison is written `{ours}`"),
        format!("use `{ours}`"),
        ours,
    ))
}

/// `&&`, `||`, `!` and `<>` from other languages.
fn foreign_operator(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    let (ours, span) = match token.text {
        "&&" => ("and", token.span()),
        "||" => ("or", token.span()),
        "<>" => ("!=", token.span()),
        "!" => ("not", token.span()),
        "&" | "|" if f.in_expression() => {
            (if token.text == "&" { "and" } else { "or" }, token.span())
        }
        _ => return None,
    };
    let replacement = if ours == "not" {
        // `!ready` becomes `not ready`.
        let spaced = f
            .text
            .get(token.end()..)
            .is_some_and(|r| r.starts_with([' ', '\t']));
        if spaced { "not" } else { "not " }
    } else {
        ours
    };
    Some(Hint::replace(
        f,
        span,
        format!("`{}` is written `{ours}` in wfl", token.text),
        format!("use `{ours}`"),
        replacement,
    ))
}

/// `# comment`: comments start with `//`.
fn hash_comment(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "#" {
        return None;
    }
    let (_, end) = line_bounds(f.text, token.start);
    let comment = f.text.get(token.end()..end).unwrap_or("").trim();
    Some(
        Hint::new(
            Span::new(token.start, token.end()),
            "comments start with `//`, not `#`",
            "not a comment",
        )
        .help(write_instead(
            f.text,
            Span::new(token.start, end),
            &format!("// {comment}"),
        )),
    )
}

/// `'text'`: strings are written in double quotes.
fn single_quotes(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "'" {
        return None;
    }
    let (_, end) = line_bounds(f.text, token.start);
    let rest = f.text.get(token.end()..end)?;
    let close = rest.find('\'')?;
    let inner = rest.get(..close)?;
    let span = Span::new(token.start, token.end() + close + 1);
    Some(Hint::replace(
        f,
        span,
        "strings are written in double quotes",
        "single quotes do not make a string",
        &format!("\"{inner}\""),
    ))
}

/// `a => b`, `a --> b`, `a → b`: the arrow is `->`.
fn fat_arrow(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    let rest = f.text.get(token.start..)?;
    let arrow = ["=>", "-->", "\u{2192}", "\u{2014}>", "\u{2013}>"]
        .into_iter()
        .find(|arrow| rest.starts_with(arrow))?;
    let span = Span::new(token.start, token.start + arrow.len());
    Some(Hint::replace(
        f,
        span,
        "links and transitions are written with `->`",
        "not an arrow",
        "->",
    ))
}

/// `set x == 1`: `set` gives a value with `=`.
fn set_with_double_equals(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    let starts_set = Token::at(f.text, f.at.checked_sub(1)?).is_some_and(|t| t.text == "==");
    if !starts_set || !set_statement_before(f) {
        return None;
    }
    let span = Span::new(token.start - 1, token.start + 1);
    Some(Hint::replace(
        f,
        span,
        "`set` gives a value with `=`",
        "a comparison, not `=`",
        "=",
    ))
}

/// Whether the failing token is in a `set` statement or action (`set` is the last keyword before
/// it, in a scenario step or in an action block).
fn set_statement_before(f: &Failure<'_>) -> bool {
    let head = f.before();
    let from = head.rfind(['{', ';', '\n']).map_or(0, |n| n + 1);
    head.get(from..)
        .is_some_and(|h| h.trim_start().starts_with("set ") || h.trim_start().starts_with("set\t"))
}

/// `set n += 1`: wfl has no compound assignment.
fn compound_assignment(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    let op = match (token.text, f.text.get(token.end()..)?.starts_with('=')) {
        ("+=" | "-=", _) => token.text.get(..1)?,
        ("+" | "-", true) => token.text,
        (":=", _) => "",
        _ => return None,
    };
    let span = Span::new(token.start, token.start + 2);
    if op.is_empty() {
        return Some(Hint::replace(
            f,
            span,
            "`:=` is written `=` in wfl",
            "use `=`",
            "=",
        ));
    }
    let (_, name) = word_before(f.text, token.start)?;
    let hint = Hint::new(
        span,
        format!("wfl has no `{op}=`"),
        format!("`{op}=` is not an operator"),
    );
    if f.place == Place::Scenario {
        // A scenario's `set` takes a constant: `n - 1` would be E0202.
        return Some(
            hint.note("in a scenario, `set` gives a variable a constant value")
                .help(format!(
                    "write the value `{name}` should have: `set {name} = VALUE`"
                )),
        );
    }
    Some(hint.help(write_instead(f.text, span, &format!("= {name} {op}"))))
}

/// `accept: all`, `max_parallel: 2`: a property is set with `=`.
fn colon_for_equals(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != ":" || !f.expects("`=`") {
        return None;
    }
    let (_, name) = word_before(f.text, token.start)?;
    let value_from = next_token(f.text, token)?.start;
    let rest = f.text.get(value_from..)?;
    let value = rest
        .get(..rest.find([';', ',', '}', '\n', '\r']).unwrap_or(rest.len()))?
        .trim_end();
    Some(
        Hint::new(
            token.span(),
            "a property is set with `=`, not `:`",
            "use `=` here",
        )
        .help(format!("write `{name} = {value}`")),
    )
}

/// `var rows = 3`: a variable declaration names its type.
fn var_without_type(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if f.keyword() != "var" || !f.expects("`:`") {
        return None;
    }
    let (name_at, name) = word_before(f.text, token.start)?;
    let after_name = Span::new(name_at + name.len(), token.start);
    if matches!(token.text, "int" | "bool" | "{") {
        // `var rows int`: the colon is missing.
        return Some(
            Hint::new(
                token.span(),
                "a variable's type follows a `:`",
                "`:` missing before the type",
            )
            .help(write_instead(f.text, after_name, ": ")),
        );
    }
    if token.text != "=" {
        return None;
    }
    let value = next_token(f.text, token)?;
    let hint = Hint::new(
        token.span(),
        format!("the variable `{name}` has no type"),
        "a type is expected before the default value",
    );
    let ty = match value.text {
        "true" | "false" => "bool",
        v if v.starts_with(|c: char| c.is_ascii_digit()) || v == "-" => "int",
        v => {
            return Some(hint.help(format!(
                "write `var {name}: TYPE = {v}`, where TYPE is `bool`, `int` or the enumeration \
                 of its values, `{{{v}, …}}`"
            )));
        }
    };
    Some(hint.help(write_instead(f.text, after_name, &format!(": {ty} "))))
}

/// `var name: string`, `var n: int[0..3]`, `boolean`, `enum {…}`: the types are `bool`, `int`
/// (with an optional range) and enumerations.
fn unknown_type(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if f.keyword() != "var" {
        return None;
    }
    if matches!(token.text, "[" | "(") && word_before(f.text, token.start)?.1 == "int" {
        // `int[0..3]`, `int(0..3)`: the range follows the type after a space.
        let (_, end) = line_bounds(f.text, token.start);
        let close = f.text.get(token.end()..end)?.find([']', ')'])?;
        let range = f.text.get(token.end()..token.end() + close)?.trim();
        let span = Span::new(token.start, token.end() + close + 1);
        return Some(
            Hint::new(
                span,
                "an integer range is written after `int`, without brackets",
                "no brackets around the range",
            )
            .help(write_instead(f.text, span, &format!(" {range}"))),
        );
    }
    if !f.expected.iter().any(|w| w.starts_with("a type")) {
        return None;
    }
    let (replacement, span) = match token.text {
        "boolean" | "Bool" | "Boolean" => ("bool", token.span()),
        "integer" | "Int" | "Integer" | "number" | "i32" | "i64" | "u32" => ("int", token.span()),
        "enum" => ("", Span::new(token.start, next_token(f.text, token)?.start)),
        _ => {
            return Some(
                Hint::new(
                    token.span(),
                    format!("wfl has no type `{}`", token.text),
                    "not a type",
                )
                .note(
                    "the types are `bool`, `int` (with an optional range `int 0..9`) and \
                     enumerations such as `{draft, sent}`",
                ),
            )
            .filter(|_| token.is_word());
        }
    };
    let message = if replacement.is_empty() {
        "an enumeration is written as its values in braces, without `enum`".to_owned()
    } else {
        format!("the type is written `{replacement}`")
    };
    Some(Hint::new(span, message, "not a type").help(write_instead(f.text, span, replacement)))
}

/// `on push, pull` (events are joined by `or`, specs/language.md 5.4), `by user, admin` (a
/// transition names one actor).
fn one_event_per_transition(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "," || f.place != Place::Machine || f.open_block().is_some() {
        return None;
    }
    let (name_at, name) = word_before(f.text, token.start)?;
    let (_, clause) = word_before(f.text, name_at)?;
    let what = match clause {
        "on" => "event",
        "by" => "actor",
        _ => return None,
    };
    let other = next_token(f.text, token).filter(|t| t.is_word())?;
    if what == "event" {
        // Several events are joined by `or`, as in a condition (specs/language.md 5.4).
        return Some(
            Hint::new(
                token.span(),
                "the events of one transition are joined by `or`",
                "use `or` here",
            )
            .help(write_instead(f.text, token.span(), " or")),
        );
    }
    let both = Span::new(name_at, other.end());
    let first = line_with(f.text, both, name)?;
    let second = line_with(f.text, both, other.text)?;
    Some(
        Hint::new(
            token.span(),
            format!("a transition names one {what}"),
            format!("a second {what}"),
        )
        .help(format!(
            "write one transition per {what}: `{first}` and `{second}`"
        )),
    )
}

/// `spawn workers = 2`: children are spawned with `*`.
fn spawn_with_equals(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if f.keyword() != "spawn" || token.text != "=" || !f.expects("`*`") {
        return None;
    }
    Some(
        Hint::new(
            token.span(),
            "the number of children is given with `*`",
            "use `*` here",
        )
        .help(write_instead(f.text, token.span(), "*")),
    )
}

/// `when a = 1`: a comparison is `==`.
fn assignment_in_condition(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "=" || !f.in_expression() {
        return None;
    }
    Some(Hint::replace(
        f,
        token.span(),
        "`=` gives a value; a comparison is written `==`",
        "use `==` to compare",
        "==",
    ))
}

/// `a -> b if ready`: the condition of a link or transition follows `when`.
fn if_for_when(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "if" || !f.expects("`when`") {
        return None;
    }
    Some(Hint::replace(
        f,
        token.span(),
        "a condition is written with `when`, not `if`",
        "use `when`",
        "when",
    ))
}

/// What a statement with `->` is called in `place`.
fn arrow_statement(place: Place) -> &'static str {
    if place == Place::Machine {
        "transition"
    } else {
        "link"
    }
}

/// `… else …`, `elif`: a link or transition takes one condition; there is no `else`.
fn else_branch(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if !matches!(token.text, "else" | "elif" | "elsif" | "elseif") {
        return None;
    }
    let what = arrow_statement(f.place);
    Some(
        Hint::new(
            token.span(),
            format!("wfl has no `{}`", token.text),
            "not a keyword",
        )
        .help(format!(
            "write another {what} for the other case, with the opposite condition: \
             `when not (…)`"
        )),
    )
}

/// `a -> b -> c`: one link (or transition) per `->`.
fn chained_arrow(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "->" || f.expects("`->`") || f.place == Place::Scenario {
        return None;
    }
    let before = f.before();
    let first = before.find("->")?;
    let from = before.get(..first)?.trim();
    let middle = before.get(first + 2..)?.trim();
    let (_, end) = line_bounds(f.text, token.start);
    let rest = f.text.get(token.end()..end)?.trim();
    if from.contains('\n') || middle.is_empty() || rest.is_empty() {
        return None;
    }
    let what = arrow_statement(f.place);
    Some(
        Hint::new(
            token.span(),
            format!("a {what} has one `->`"),
            format!("a second `->` in one {what}"),
        )
        .help(format!(
            "write two {what}s, one per line: `{from} -> {middle}` and `{middle} -> {rest}`"
        )),
    )
}

/// `expect a -> b == ACCEPTED`: a link's state is named with `link`.
fn expect_link_without_link(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "->" || f.place != Place::Scenario || f.keyword() != "expect" {
        return None;
    }
    let (source_at, source) = word_before(f.text, token.start)?;
    if source == "link" {
        return None;
    }
    Some(
        Hint::new(
            token.span(),
            "a link is named with `link` in an expectation",
            "`link` is missing before the link",
        )
        .help(write_instead(
            f.text,
            Span::new(source_at, source_at),
            "link ",
        )),
    )
}

/// `{ duration = 2, accept = all }`: statements in a block are separated by `;` or a newline.
fn comma_between_statements(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "," || !(f.expects("`;`") || f.expects("`}`")) {
        return None;
    }
    if f.open_block().is_none() && f.place != Place::Workflow {
        return None;
    }
    let what = match f.open_block() {
        Some(brace) => {
            let head = f.text.get(f.stmt..brace).unwrap_or("");
            if head.trim_start().starts_with("task") {
                "properties"
            } else if head.trim_start().starts_with("state")
                || head.trim_start().starts_with("transient")
                || head.trim_start().starts_with("final")
            {
                "hooks"
            } else {
                "actions"
            }
        }
        None => "statements",
    };
    Some(Hint::replace(
        f,
        token.span(),
        format!("{what} are separated by `;` or a new line, not `,`"),
        "use `;` here",
        ";",
    ))
}

/// `count(workers)`: a quantifier takes its group without parentheses; `send go()`: nothing is
/// called; `len(x)`: wfl has no functions.
fn quantifier_with_parentheses(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "(" {
        return None;
    }
    let (word_at, word) = word_before(f.text, token.start)?;
    if word_at + word.len() != token.start {
        return None;
    }
    let (_, end) = line_bounds(f.text, token.start);
    let rest = f.text.get(token.end()..end)?;
    let close = rest.find(')')?;
    let inside = rest.get(..close)?.trim();
    let span = Span::new(word_at, token.end() + close + 1);
    if matches!(word, "count" | "any" | "all" | "no") {
        return Some(Hint::replace(
            f,
            span,
            format!("`{word}` is not called like a function"),
            "no parentheses after a quantifier",
            &format!("{word} {inside}"),
        ));
    }
    if inside.is_empty() {
        let parens = Span::new(token.start, span.end as usize);
        return Some(Hint::replace(
            f,
            parens,
            format!("`{word}` is a name, not a call"),
            "no parentheses here",
            "",
        ));
    }
    if !f.in_expression() {
        return None;
    }
    Some(
        Hint::new(
            span,
            "wfl has no function calls",
            format!("`{word}` is not a function"),
        )
        .note(
            "a condition is made of names, values, comparisons, `+ -`, `and`, `or`, `not`, `in` \
             and the quantifiers `any`, `all`, `no` and `count`",
        ),
    )
}

/// `send "go"`, `task "load"`: where only a name may stand, a string is not one.
fn quoted_name(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    let inner = token.text.strip_prefix('"')?.strip_suffix('"')?;
    let is_name = inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && inner.chars().all(is_word_char);
    if !is_name || !f.expects("a name") || f.expected.iter().any(|w| w.contains("string")) {
        return None;
    }
    Some(
        Hint::new(
            token.span(),
            format!("`{inner}` is a name: it is written without quotes"),
            "not a name",
        )
        .note("only state names, item titles and scenario names may be strings")
        .help(write_instead(f.text, token.span(), inner)),
    )
}

/// `a -> b on failure`: a link's only clause with `on` is `on error`.
fn on_error_only(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if f.expected != ["`error`"] || !token.is_word() {
        return None;
    }
    Some(Hint::replace(
        f,
        token.span(),
        "a link follows a failure with `on error`",
        "not `error`",
        "error",
    ))
}

/// `task a, b,`: a `,` with nothing after it.
fn trailing_comma(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if !matches!(token.text, "\n" | "\r" | "}" | ";")
        && !f.text.get(token.start..).is_some_and(str::is_empty)
    {
        return None;
    }
    let head = f
        .text
        .get(f.stmt..token.start)?
        .trim_end_matches([' ', '\t']);
    if !head.ends_with(',') {
        return None;
    }
    let comma = f.stmt + head.len() - 1;
    let span = Span::new(comma, comma + 1);
    Some(Hint::replace(
        f,
        span,
        "nothing follows this `,`",
        "a name is missing after it",
        "",
    ))
}

/// A line that starts with `and` or `or`: the newline before it ended the condition.
fn statement_starting_with_logic(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    let first = Token::at(f.text, f.stmt)?;
    if !matches!(first.text, "and" | "or" | "&&" | "||") || token.start < first.start {
        return None;
    }
    let previous = f.text.get(..f.stmt)?.trim_end();
    if previous.ends_with(['{', '}', ';']) || previous.is_empty() {
        return None;
    }
    let word = match first.text {
        "&&" => "and",
        "||" => "or",
        other => other,
    };
    Some(
        Hint::new(
            first.span(),
            format!("a statement cannot start with `{word}`"),
            "the line break before it ended the condition",
        )
        .help(format!(
            "put `{word}` at the end of the line before: a condition continues on the next line \
             after `and` or `or`"
        )),
    )
}

/// `start from "A"` in a machine scenario: `start from` names tasks of a workflow.
fn start_from_string(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if f.place != Place::Scenario || f.keyword() != "start" || !token.text.starts_with('"') {
        return None;
    }
    Some(
        Hint::new(
            token.span(),
            "`start from` names tasks, not states",
            "a string is a state name",
        )
        .note(
            "`start from` is a step of workflow scenarios (task names, without quotes); a machine \
             scenario has no `start from`: an instance starts in the state its `initial` rules \
             choose",
        )
        .help(
            "to start a machine in another state, give an `initial` rule a condition on a \
             variable (`initial -> A when …`) and `set` that variable at the start of the scenario",
        ),
    )
}

/// `report { duration = 2 }` in a workflow, `A { … }` in a machine: the keyword is missing.
fn missing_keyword(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != "{" || !f.expects("`->`") {
        return None;
    }
    let (keyword, what) = match f.place {
        Place::Workflow => ("task", "a task"),
        Place::Machine => ("state", "a state"),
        _ => return None,
    };
    let head = Token::at(f.text, f.stmt)?;
    if !head.is_word() && !head.text.starts_with('"') {
        return None;
    }
    Some(
        Hint::new(
            head.span(),
            format!("{what} is declared with `{keyword}`"),
            format!("`{keyword}` is missing before `{}`", head.text),
        )
        .help(write_instead(
            f.text,
            Span::new(head.start, head.start),
            &format!("{keyword} "),
        )),
    )
}

/// `task extract load`, `state A B`: the names of a declaration are separated by `,`.
fn missing_comma(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if !f.expects("`,`") || !(token.is_word() || token.text.starts_with('"')) {
        return None;
    }
    let (word_at, word) = word_before(f.text, token.start)?;
    let gap = Span::new(word_at + word.len(), token.start);
    Some(
        Hint::new(
            token.span(),
            "names in a list are separated by `,`",
            format!("`,` missing before `{}`", token.text),
        )
        .help(write_instead(f.text, gap, ", ")),
    )
}

/// `initial A`, `extract load`: the `->` is missing.
fn missing_arrow(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if !f.expects("`->`") || !(token.is_word() || token.text.starts_with('"')) {
        return None;
    }
    // An arrow later on the line: the mistake is something else.
    let (_, end) = line_bounds(f.text, token.start);
    if f.text
        .get(token.end()..end)
        .is_some_and(|rest| rest.contains("->"))
    {
        return None;
    }
    let what = match f.place {
        Place::Workflow => "a link",
        Place::Machine if f.keyword() == "initial" => "an initial rule",
        Place::Machine => "a transition",
        _ => return None,
    };
    Some(
        Hint::new(
            token.span(),
            format!("`->` is missing before `{}`", token.text),
            format!("{what} needs `->` here"),
        )
        .help(write_instead(
            f.text,
            Span::new(token.start, token.start),
            "-> ",
        )),
    )
}

/// A `}` between items closes nothing.
fn stray_closing_brace(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if f.place != Place::TopLevel || token.text != "}" {
        return None;
    }
    Some(
        Hint::new(
            token.span(),
            "this `}` closes nothing",
            "no block is open here",
        )
        .help("remove it, or look for a `{` missing above"),
    )
}

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
