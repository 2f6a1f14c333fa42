//! Rules of [`super`] for the habits of other languages in expressions and conditions: `&&`,
//! `=` for `==`, `if`, `#` comments, quotes, arrows, calls.

use super::*;

/// `a is DONE`, `a is not DONE`: comparisons are `==` and `!=`.
pub(super) fn is_for_equals(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
pub(super) fn foreign_operator(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
pub(super) fn hash_comment(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
        .write(f, Span::new(token.start, end), &format!("// {comment}")),
    )
}

/// `'text'`: strings are written in double quotes.
pub(super) fn single_quotes(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
pub(super) fn fat_arrow(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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

/// `when a = 1`: a comparison is `==`.
pub(super) fn assignment_in_condition(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
pub(super) fn if_for_when(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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

/// `… else …`, `elif`: a link or transition takes one condition; there is no `else`.
pub(super) fn else_branch(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
pub(super) fn chained_arrow(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
pub(super) fn expect_link_without_link(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
        .write(f, Span::new(source_at, source_at), "link "),
    )
}

/// `count(workers)`: a quantifier takes its group without parentheses; `send go()`: nothing is
/// called; `len(x)`: wfl has no functions.
pub(super) fn quantifier_with_parentheses(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
pub(super) fn quoted_name(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
        .write(f, token.span(), inner),
    )
}

/// A line that starts with `and` or `or`: the newline before it ended the condition.
pub(super) fn statement_starting_with_logic(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
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
    let hint = Hint::new(
        first.span(),
        format!("a statement cannot start with `{word}`"),
        "the line break before it ended the condition",
    )
    .help(format!(
        "put `{word}` at the end of the line before: a condition continues on the next line \
         after `and` or `or`"
    ));
    // The line break and indentation, moved after the word: `ready\n    and rows` becomes
    // `ready and\n    rows`. Only when nothing (no comment) stands between the two lines.
    let between = f.text.get(previous.len()..first.start)?;
    let one_break = between.strip_prefix("\r\n").or(between.strip_prefix('\n'));
    let next = next_token(f.text, &first);
    Some(match (one_break, next) {
        (Some(indent), Some(next)) if indent.trim_matches([' ', '\t']).is_empty() => hint.fix(
            Span::new(previous.len(), next.start),
            format!(" {word}{between}"),
        ),
        _ => hint,
    })
}

/// What a statement with `->` is called in `place`.
fn arrow_statement(place: Place) -> &'static str {
    if place == Place::Machine {
        "transition"
    } else {
        "link"
    }
}
