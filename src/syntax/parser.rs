//! The parser driver: pest, one item head and one statement at a time.
//!
//! Parsing statement by statement keeps pest's token queue as small as one statement, whatever the
//! file's size, and lets a broken statement be reported and skipped while the rest of the file is
//! still read. `grammar/wfl.pest`'s `file` rule describes the same language in one piece; a test
//! checks that both accept the same inputs.

use pest::Parser;
use pest::error::{Error as PestError, ErrorVariant, InputLocation};

use super::ast;
use super::hint::{self, Failure, Place};
use super::lower::{Lower, StmtKind};
use super::scan::{self, MissingBrace, block_end, next_item_line, recover, skip_trivia};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{Span, escape_hidden};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/wfl.pest"]
pub(super) struct WflParser;

/// After this many syntax errors in one file the parser stops reading it.
pub const MAX_SYNTAX_ERRORS: usize = 50;

/// Parses `text` into a syntax tree. Never fails: problems come back as diagnostics, and the tree
/// holds every statement that could be read.
pub fn parse(text: &str) -> (ast::File, Vec<Diagnostic>) {
    let scan = scan::scan(text);
    if !scan.diagnostics.is_empty() {
        return (ast::File::default(), scan.diagnostics);
    }
    let blanked = scan.blanked(text);
    let (closed, missing) = close_missing_braces(&blanked);
    let text: &str = &closed;
    let mut lower = Lower::new(text, scan.docs);
    let mut file = ast::File::default();
    let mut syntax_errors = 0;
    for brace in missing.iter().filter(|brace| !brace.closes_item) {
        lower.push(missing_brace(text, brace));
        syntax_errors += 1;
    }
    let mut pos = skip_trivia(text, 0);
    while pos < text.len() && syntax_errors < MAX_SYNTAX_ERRORS {
        let rest = text.get(pos..).unwrap_or("");
        let head = match WflParser::parse(Rule::item_start, rest) {
            Ok(pairs) => lower.item_head(pairs, pos),
            Err(_) => {
                let err = with_error_detail(|| WflParser::parse(Rule::item_start, rest))
                    .err()
                    .unwrap_or_else(|| internal_error(rest));
                lower.push(syntax_error(text, pos, &err, ExpectedIn::TopLevel));
                syntax_errors += 1;
                let next = block_end(text, pos).unwrap_or_else(|| next_item_line(text, pos));
                pos = skip_trivia(text, next);
                continue;
            }
        };
        let Some((mut item, stmt, brace)) = head else {
            pos = skip_trivia(text, next_item_line(text, pos));
            continue;
        };
        let item_start = pos;
        pos = brace.end as usize;
        loop {
            pos = skip_trivia(text, pos);
            let rest = text.get(pos..).unwrap_or("");
            if rest.is_empty() {
                lower.push(unclosed(text, brace));
                syntax_errors += 1;
                break;
            }
            if rest.starts_with('}') {
                pos += 1;
                break;
            }
            if let Some(brace) = missing.iter().find(|b| b.closes_item && b.next == pos) {
                lower.push(missing_brace(text, brace));
                syntax_errors += 1;
                break;
            }
            if syntax_errors >= MAX_SYNTAX_ERRORS {
                break;
            }
            let (chunk, single) = match stmt {
                StmtKind::Workflow => (Rule::wf_chunk, Rule::wf_stmt),
                StmtKind::Machine => (Rule::m_chunk, Rule::m_stmt),
                StmtKind::Scenario => (Rule::sc_chunk, Rule::sc_stmt),
            };
            match WflParser::parse(chunk, rest) {
                Ok(mut pairs) => {
                    let statements = pairs.next().map(|chunk| chunk.into_inner());
                    let mut end = pos;
                    for statement in statements.into_iter().flatten() {
                        end = lower.statement(&mut item, statement, pos);
                    }
                    pos = end.max(pos + 1);
                }
                Err(_) => {
                    // Parse the broken statement again, this time collecting what pest tried,
                    // for a message that says what was expected.
                    let err = match with_error_detail(|| WflParser::parse(single, rest)) {
                        Err(err) => err,
                        Ok(_) => with_error_detail(|| WflParser::parse(chunk, rest))
                            .err()
                            .unwrap_or_else(|| internal_error(rest)),
                    };
                    lower.push(syntax_error(text, pos, &err, ExpectedIn::Statement(stmt)));
                    syntax_errors += 1;
                    pos = recover(text, pos, pos + error_offset(&err));
                }
            }
        }
        lower.finish_item(&mut item, Span::new(item_start, pos));
        file.items.push(item);
        pos = skip_trivia(text, pos);
    }
    let diagnostics = lower.finish();
    (file, diagnostics)
}

/// pest collects what it tried (for "expected …" messages) only while a process-wide flag is on,
/// which slows parsing down; wfl turns it on just to parse a broken statement again. The lock keeps
/// concurrent parses from seeing the flag change halfway.
static ERROR_DETAIL: std::sync::RwLock<()> = std::sync::RwLock::new(());

fn with_error_detail<T>(parse: impl FnOnce() -> T) -> T {
    let _exclusive = ERROR_DETAIL
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    pest::set_error_detail(true);
    let result = parse();
    pest::set_error_detail(false);
    result
}

/// A parse that failed once and then succeeded: wfl's own bug, reported as such.
fn internal_error(rest: &str) -> PestError<Rule> {
    PestError::new_from_pos(
        ErrorVariant::CustomError {
            message: "internal error: the parser disagreed with itself".to_owned(),
        },
        pest::Position::from_start(rest),
    )
}

/// Parses `text` with the grammar's whole-file rule only, reporting whether it is accepted.
/// The reference the driver is tested against.
pub fn accepts_whole_file(text: &str) -> bool {
    let scan = scan::scan(text);
    scan.diagnostics.is_empty() && WflParser::parse(Rule::file, &scan.blanked(text)).is_ok()
}

fn error_offset(err: &PestError<Rule>) -> usize {
    match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    }
}

/// The text with a `}` put where each missing one most likely belongs ([`scan::missing_braces`]),
/// so that the rest of the file is read as if it were there, and those `}`s. The text keeps its
/// length: the `}` takes the place of a trailing space, of the `\r` of a CRLF, or of the line
/// break, which then takes the place of the first byte of the next line's indentation (or of a
/// blank line). A `}` that closes an item is not written: the driver ends the item at the line that
/// gives the `}` away. A `}` with no byte to take is not reported: the plain errors stand.
fn close_missing_braces(text: &str) -> (std::borrow::Cow<'_, str>, Vec<MissingBrace>) {
    let missing = scan::missing_braces(text, MAX_SYNTAX_ERRORS);
    if missing.is_empty() {
        return (std::borrow::Cow::Borrowed(text), missing);
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut kept = Vec::new();
    for brace in missing {
        if brace.closes_item || write_brace(&mut bytes, &brace) {
            kept.push(brace);
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes, so the text is still UTF-8.
    match String::from_utf8(bytes) {
        Ok(closed) => (std::borrow::Cow::Owned(closed), kept),
        Err(_) => (std::borrow::Cow::Borrowed(text), Vec::new()),
    }
}

/// Writes the `}` of `brace` into `bytes` in place of a byte that holds only space; false when no
/// byte can take it.
fn write_brace(bytes: &mut [u8], brace: &MissingBrace) -> bool {
    let at = brace.at;
    let Some(&here) = bytes.get(at) else {
        return false;
    };
    let line_start = bytes
        .get(..brace.next)
        .and_then(|head| head.iter().rposition(|&b| b == b'\n' || b == b'\r'))
        .map_or(0, |n| n + 1);
    let another_break = bytes
        .get(at + 1..line_start)
        .is_some_and(|between| between.iter().any(|&b| b == b'\n' || b == b'\r'));
    let crlf = here == b'\r' && bytes.get(at + 1) == Some(&b'\n');
    if here == b' ' || here == b'\t' || crlf || another_break {
        bytes[at] = b'}';
        return true;
    }
    if (here == b'\n' || here == b'\r') && line_start < brace.next {
        bytes[at] = b'}';
        bytes[line_start] = here;
        return true;
    }
    false
}

/// The finding for a `}` missing where [`scan::missing_braces`] says.
fn missing_brace(text: &str, brace: &MissingBrace) -> Diagnostic {
    let line_start = text
        .get(..brace.open)
        .and_then(|head| head.rfind(['\n', '\r']))
        .map_or(0, |n| n + 1);
    let head = text.get(line_start..brace.open).unwrap_or("").trim();
    let what = if head.is_empty() {
        "this block".to_owned()
    } else if head.chars().count() > 40 {
        let cut: String = head.chars().take(40).collect();
        format!("`{} … {{`", escape_hidden(cut.trim_end(), false))
    } else {
        format!("`{} {{`", escape_hidden(head, false))
    };
    Diagnostic::new(
        Code::E0001,
        format!("expected `}}` to close {what}"),
        Span::new(brace.at, brace.at),
        "`}` missing here",
    )
    .with_label(
        Span::new(brace.open, brace.open + 1),
        "this `{` is not closed",
    )
    .with_help(
        "add `}` here: the next line is indented no deeper than the line of the `{`, so it \
         follows the block",
    )
    .with_fix(
        "add `}`",
        Span::new(brace.at, brace.at),
        closing_brace(text, brace),
    )
}

/// The `}` to insert where one is missing: after a space on the line of its `{`, else on a line
/// of its own, indented as the line of the `{`.
fn closing_brace(text: &str, brace: &MissingBrace) -> String {
    let between = text.get(brace.open..brace.at).unwrap_or("");
    if !between.contains(['\n', '\r']) {
        return " }".to_owned();
    }
    let line_start = text
        .get(..brace.open)
        .and_then(|head| head.rfind(['\n', '\r']))
        .map_or(0, |n| n + 1);
    let line = text.get(line_start..brace.open).unwrap_or("");
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    format!("\n{indent}}}")
}

fn unclosed(text: &str, brace: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0001,
        "expected `}`, found end of file",
        Span::new(text.len(), text.len()),
        "the file ends here",
    )
    .with_label(brace, "this `{` is never closed")
}

#[derive(Clone, Copy)]
enum ExpectedIn {
    TopLevel,
    Statement(StmtKind),
}

/// A pest error as a diagnostic: a hint's when one recognises the mistake, else one that says, in
/// words, what was expected and what was found.
fn syntax_error(text: &str, base: usize, err: &PestError<Rule>, context: ExpectedIn) -> Diagnostic {
    if let ErrorVariant::CustomError { message } = &err.variant {
        let at = base + error_offset(err);
        return Diagnostic::new(Code::E0007, message.clone(), Span::new(at, at), "here")
            .with_note("this is a bug in wfl; please report it with this file");
    }
    let (at, expected) = failing_token(text, base, err);
    let place = match context {
        ExpectedIn::TopLevel => Place::TopLevel,
        ExpectedIn::Statement(StmtKind::Workflow) => Place::Workflow,
        ExpectedIn::Statement(StmtKind::Machine) => Place::Machine,
        ExpectedIn::Statement(StmtKind::Scenario) => Place::Scenario,
    };
    let failure = Failure {
        text,
        stmt: base,
        at,
        expected: &expected,
        place,
    };
    if let Some(hint) = hint::recognise(&failure) {
        let mut diagnostic = Diagnostic::new(Code::E0001, hint.message, hint.span, hint.label);
        if let Some(note) = hint.note {
            diagnostic = diagnostic.with_note(note);
        }
        if let Some(help) = hint.help {
            diagnostic = diagnostic.with_help(help);
        }
        if let Some((span, replacement)) = hint.fix {
            let title = match replacement.trim() {
                "" => "remove it".to_owned(),
                shown => format!("write `{shown}`"),
            };
            diagnostic = diagnostic.with_fix(title, span, replacement);
        }
        return diagnostic;
    }
    let found = found_at(text, at);
    let mut expected = shorten(expected);
    if expected.is_empty() || at == base {
        expected = vec![
            match context {
                ExpectedIn::TopLevel => "`workflow`, `machine` or `scenario`",
                ExpectedIn::Statement(StmtKind::Workflow) => {
                    "a workflow statement (`var`, `task`, a link or a property)"
                }
                ExpectedIn::Statement(StmtKind::Machine) => {
                    "a machine statement (`var`, `children`, `initial`, `state`, `view` or a transition)"
                }
                ExpectedIn::Statement(StmtKind::Scenario) => {
                    "a scenario step (`set`, `fail`, `duration`, `start from`, `stop at`, `kill at`, \
                     `spawn`, `send` or `expect`)"
                }
            }
            .to_owned(),
        ];
    }
    let list = join_or(&expected);
    let end = at + found.len_in_source;
    let diagnostic = Diagnostic::new(
        Code::E0001,
        format!("expected {list}, found {}", found.words),
        Span::new(at, end),
        format!("unexpected {}", found.words),
    );
    if text
        .get(at..)
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c.is_alphabetic() && !c.is_ascii())
    {
        return diagnostic.with_help("names are made of ASCII letters, digits and `_`; a state name may also be a string: `\"Ü\"`");
    }
    diagnostic
}

/// Where the parse failed, and what the grammar allowed there, in words.
///
/// pest reports the furthest position where a *rule* failed, which for `accept: all` is the start
/// of `accept` (the `property` rule); the tokens it tried reach further, to the `:`. The furthest
/// token tried is the one that does not fit, and only what was tried there is listed (mixing the
/// two positions made messages such as "expected `=` or a property, found `accept`").
fn failing_token(text: &str, base: usize, err: &PestError<Rule>) -> (usize, Vec<String>) {
    let rule_at = error_offset(err);
    let attempts = err.parse_attempts();
    let token_at = attempts.as_ref().map_or(0, |a| a.max_position);
    let mut expected: Vec<String> = Vec::new();
    let mut add = |word: String| {
        if !expected.contains(&word) {
            expected.push(word);
        }
    };
    if let ErrorVariant::ParsingError { positives, .. } = &err.variant
        && token_at <= rule_at
    {
        for rule in positives {
            if let Some(word) = describe(*rule) {
                add(word.to_owned());
            }
        }
    }
    for token in attempts.iter().flat_map(|a| a.expected_tokens()) {
        if let Some(word) = describe_token(&token.to_string()) {
            add(word);
        }
    }
    let mut at = base + rule_at.max(token_at);
    // The second character of `->`, `=>` or `<>` (pest matched `-`, `=` or `<` as an operator or
    // tried `->` after it): the token starts one back.
    if let Some(pair) = at.checked_sub(1).and_then(|from| text.get(from..at + 1))
        && matches!(pair, "->" | "=>" | "<>")
        && at > base
    {
        at -= 1;
    }
    (at, tidy(expected))
}

struct Found {
    words: String,
    len_in_source: usize,
}

fn found_at(text: &str, at: usize) -> Found {
    let rest = text.get(at..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return Found {
            words: "end of file".to_owned(),
            len_in_source: 0,
        };
    };
    if first == '\n' || rest.starts_with("\r\n") {
        return Found {
            words: "end of line".to_owned(),
            len_in_source: 0,
        };
    }
    let mut word_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    // A decimal number is one token: `1.5`, not `1`.
    if first.is_ascii_digit()
        && let Some(fraction) = rest.get(word_len..).and_then(|r| r.strip_prefix('.'))
    {
        word_len += 1 + fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
    }
    let len = if word_len > 0 {
        word_len
    } else {
        rest.find(|c: char| c.is_whitespace() || c.is_ascii_alphanumeric())
            .filter(|&n| n > 0)
            .unwrap_or(first.len_utf8())
            .min(3)
    };
    let len = (1..=len)
        .rev()
        .find(|&n| rest.is_char_boundary(n))
        .unwrap_or(first.len_utf8());
    let token = rest.get(..len).unwrap_or("");
    Found {
        words: format!("`{}`", escape_hidden(token, false)),
        len_in_source: len,
    }
}

/// Words that start an operand: a list holding several of them says "an expression".
const OPERAND_WORDS: &[&str] = &[
    "`(`",
    "`all`",
    "`any`",
    "`count`",
    "`no`",
    "`not`",
    "`state`",
    "`link`",
    "`true`",
    "`false`",
    "`true` or `false`",
    "a decimal number",
    "an integer",
    "a string",
    "a name or a path",
    "a quantifier",
    "an expression",
    "`-`",
];
/// Words that start a literal value: a list holding several of them says "a value".
const VALUE_WORDS: &[&str] = &[
    "`true`",
    "`false`",
    "`true` or `false`",
    "a decimal number",
    "an integer",
    "a string",
    "a name",
    "a list `[…]`",
    "`[`",
    "`-`",
];
/// Tokens that only start whitespace, comments or a longer token already described.
const NOISE: &[&str] = &["` `", "`\t`", "`/*`", "`//`", "`_`", "`\"`", "`.`"];

/// Turns pest's raw expectations into a short list a user can act on.
fn tidy(mut words: Vec<String>) -> Vec<String> {
    words.retain(|w| !NOISE.contains(&w.as_str()));
    let has = |words: &[String], w: &str| words.iter().any(|x| x == w);
    if has(&words, "an expression") || has(&words, "a quantifier") {
        words.retain(|w| !OPERAND_WORDS.contains(&w.as_str()));
        words.push("an expression".to_owned());
    } else if has(&words, "a decimal number") && has(&words, "a string") {
        words.retain(|w| !VALUE_WORDS.contains(&w.as_str()));
        words.push("a value".to_owned());
    }
    // `end of file` ends a statement only in a file that lacks its closing `}`: not worth saying.
    words.retain(|w| w != "end of file");
    if words.iter().any(|w| w.starts_with("a list")) {
        words.retain(|w| w != "`[`");
    }
    if has(&words, "a name") {
        words.retain(|w| w != "`-`");
    }
    // "`enter` or `exit`" already says "`enter`".
    let all = words.clone();
    words.retain(|w| {
        !all.iter()
            .any(|other| other != w && other.contains(w.as_str()))
    });
    words.sort_by_key(|w| (!w.starts_with('`'), w.clone()));
    words.dedup();
    words
}

/// The list of a message: after an operand, the operators are one thing to the reader, and so
/// are the ends of a statement; a list of a dozen tokens hides the two or three real choices.
/// (The hints read the whole list.)
fn shorten(mut words: Vec<String>) -> Vec<String> {
    let has = |words: &[String], w: &str| words.iter().any(|x| x == w);
    let operators = words
        .iter()
        .filter(|w| OPERATOR_WORDS.contains(&w.as_str()))
        .count();
    if operators >= 3 {
        words.retain(|w| !OPERATOR_WORDS.contains(&w.as_str()));
        words.push("an operator (`and`, `or`, `==`, `+`, …)".to_owned());
    }
    let ends = words
        .iter()
        .filter(|w| END_WORDS.contains(&w.as_str()))
        .count();
    if ends >= 2 && has(&words, "end of line") {
        words.retain(|w| !END_WORDS.contains(&w.as_str()));
        words.push("the end of the statement".to_owned());
    }
    words.sort_by_key(|w| (!w.starts_with('`'), w.clone()));
    words.dedup();
    words
}

/// The operators that may follow an operand.
const OPERATOR_WORDS: &[&str] = &[
    "`+` or `-`",
    "`and`",
    "`or`",
    "`in`",
    "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
];
/// What ends a statement.
const END_WORDS: &[&str] = &["`;`", "`}`", "end of line"];

fn join_or(words: &[String]) -> String {
    match words {
        [] => "something else".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A literal token pest tried (its `Display`: the text, `a..z` for a range, or a placeholder for a
/// built-in rule); `None` for what is not worth listing.
fn describe_token(token: &str) -> Option<String> {
    let is_range = token.chars().count() == 4 && token.get(1..3) == Some("..");
    match token {
        "\n" | "\r\n" | "\r" => Some("end of line".to_owned()),
        "BUILTIN_RULE" => None,
        _ if is_range || token.starts_with('\u{FEFF}') => None,
        _ => Some(format!("`{token}`")),
    }
}

/// The words for a rule in "expected …" messages; `None` for rules that only group others.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident => "a name",
        Rule::dotted => "a state name",
        Rule::string | Rule::string_body => "a string",
        Rule::int => "an integer",
        Rule::decimal => "a decimal number",
        Rule::bool_lit => "`true` or `false`",
        Rule::name_list => "a list `[…]`",
        Rule::state_list => "a list of states `[…]`",
        Rule::value_list => "a list of values `[…]`",
        Rule::path => "a name or a path",
        Rule::expr | Rule::paren => "an expression",
        Rule::not_op => "`not`",
        Rule::or_op => "`or`",
        Rule::and_op => "`and`",
        Rule::cmp_op => "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
        Rule::add_op => "`+` or `-`",
        Rule::in_suffix => "`in`",
        Rule::quantifier | Rule::quant_kind => "a quantifier",
        Rule::quant_in => "`in`",
        Rule::quant_where => "`where`",
        Rule::state_kw => "`state`",
        Rule::link_ref => "`link`",
        Rule::on_error => "`on error`",
        Rule::on_event => "`on`",
        Rule::by_actor => "`by`",
        Rule::send_to => "`to`",
        Rule::star => "`*`",
        Rule::history => "`history`",
        Rule::parent => "`parent`",
        Rule::state_kind => "`transient` or `final`",
        Rule::hook_kind => "`enter` or `exit`",
        Rule::prop_block | Rule::state_block | Rule::action_block => "`{`",
        Rule::bool_type | Rule::int_type | Rule::enum_type => "a type (`bool`, `int`, `{…}`)",
        Rule::int_range => "a range `LOW..HIGH`",
        Rule::property => "a property",
        Rule::kw_workflow => "`workflow`",
        Rule::kw_machine => "`machine`",
        Rule::kw_scenario => "`scenario`",
        Rule::kw_for => "`for`",
        Rule::kw_var => "`var`",
        Rule::kw_bool => "`bool`",
        Rule::kw_int => "`int`",
        Rule::kw_task => "`task`",
        Rule::kw_on => "`on`",
        Rule::kw_error => "`error`",
        Rule::kw_when => "`when`",
        Rule::kw_by => "`by`",
        Rule::kw_children => "`children`",
        Rule::kw_initial => "`initial`",
        Rule::kw_view => "`view`",
        Rule::kw_state => "`state`",
        Rule::kw_set => "`set`",
        Rule::kw_send => "`send`",
        Rule::kw_to => "`to`",
        Rule::kw_in => "`in`",
        Rule::kw_raise => "`raise`",
        Rule::kw_fail => "`fail`",
        Rule::kw_duration => "`duration`",
        Rule::kw_start => "`start`",
        Rule::kw_from => "`from`",
        Rule::kw_stop => "`stop`",
        Rule::kw_kill => "`kill`",
        Rule::kw_at => "`at`",
        Rule::kw_spawn => "`spawn`",
        Rule::kw_expect => "`expect`",
        Rule::kw_where => "`where`",
        Rule::kw_link => "`link`",
        Rule::kw_one => "`one`",
        Rule::EOI => "end of file",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_brace_is_one_error_and_the_rest_is_read() {
        // The `}` of `task a {` is missing; the second item has an error of its own.
        let text = "workflow w {\n  task a { duration = 2\n  task b\n  a -> b\n}\n\
                    machine m {\n  state A\n  A -> on go\n}\n";
        let (file, diagnostics) = parse(text);
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("expected `}` to close `task a {`"));
        assert_eq!(diagnostics[0].primary.span, Span::new(36, 36));
        assert!(messages[1].starts_with("expected "), "{messages:?}");
        assert_eq!(file.items.len(), 2);
    }

    #[test]
    fn an_item_without_its_brace_ends_before_the_next_item() {
        let text = "workflow w {\n  task a\n\nmachine m {\n  initial -> A\n  state A\n}\n";
        let (file, diagnostics) = parse(text);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].primary.span, Span::new(21, 21));
        assert_eq!(file.items.len(), 2);
    }
    #[test]
    fn a_broken_item_head_is_skipped_with_its_block() {
        // `machine m` inside the broken scenario's block is not read as an item of its own.
        let text = "machine m {\n  initial -> A\n  state A\n}\nscenario s {\n  machine m\n  send go\n}\nworkflow w {\n  task a\n}\n";
        let (file, diagnostics) = parse(text);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(file.items.len(), 2);
    }
}
