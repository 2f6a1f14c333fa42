//! The rules of [`super`], in the order they are tried, and those for statements (keywords,
//! properties, declarations, separators); `operators.rs` has those for expressions.

use super::operators::*;
use super::*;
use crate::diagnostic::suggest::did_you_mean;

/// The rules, tried in this order: the first that knows the mistake gives the hint.
pub(super) const RULES: &[fn(&Failure<'_>, &Token<'_>) -> Option<Hint>] = &[
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
    scenario_without_target,
    target_in_scenario_block,
];

/// The keywords that start a statement at `place` (also what `wfl lsp` completes there).
pub(crate) fn statement_keywords(place: Place) -> &'static [&'static str] {
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
        .write(f, span, "")
        .note("`link a -> b` names a link in a scenario's `expect`"),
    )
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
    Some(hint.write(f, span, &format!("= {name} {op}")))
}

/// `accept: all`, `max_parallel: 2`: a property is set with `=`.
fn colon_for_equals(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if token.text != ":" || !f.expects("`=`") {
        return None;
    }
    let (name_at, name) = word_before(f.text, token.start)?;
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
        .help(format!("write `{name} = {value}`"))
        .fix(Span::new(name_at + name.len(), value_from), " = "),
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
            .write(f, after_name, ": "),
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
    Some(hint.write(f, after_name, &format!(": {ty} ")))
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
            .write(f, span, &format!(" {range}")),
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
    Some(Hint::new(span, message, "not a type").write(f, span, replacement))
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
            .write(f, token.span(), " or"),
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
        .write(f, token.span(), "*"),
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
        .write(f, Span::new(head.start, head.start), &format!("{keyword} ")),
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
        .write(f, gap, ", "),
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
        .write(f, Span::new(token.start, token.start), "-> "),
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
        .help("remove it, or look for a `{` missing above")
        .fix(token.span(), ""),
    )
}

/// `scenario buy {`: a scenario names the workflow or machine it runs, `scenario buy for vending {`.
fn scenario_without_target(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if f.place != Place::TopLevel || f.keyword() != "scenario" || !f.expects("`for`") {
        return None;
    }
    let hint = Hint::new(
        token.span(),
        "a scenario names the workflow or machine it runs",
        "`for` and a name are missing before this",
    );
    // The items declared above, when there is only one, are what the scenario most likely runs
    // (read back at most 64 KB, so that the hint costs the same in a huge file).
    let from = f.stmt.saturating_sub(1 << 16);
    let from = (from..f.stmt)
        .find(|&i| f.text.is_char_boundary(i))
        .unwrap_or(f.stmt);
    let above = f.text.get(from..f.stmt).unwrap_or("");
    let mut items = above.lines().filter_map(|line| {
        let mut words = line.split_whitespace();
        let keyword = words.next()?;
        let name = words.next()?.trim_end_matches('{');
        let is_name = !name.is_empty() && name.chars().all(is_word_char);
        (matches!(keyword, "workflow" | "machine") && is_name).then_some(name)
    });
    let only = items.next().filter(|_| items.next().is_none());
    let at = Span::new(token.start, token.start);
    match only {
        Some(name) => Some(hint.write(f, at, &format!("for {name} "))),
        None => Some(hint.help(match line_with(f.text, at, "for NAME ") {
            Some(line) => format!("write `for` and its name: `{line}`"),
            None => "write `for` and its name before the `{`".to_owned(),
        })),
    }
}

/// `machine vending` as a scenario's first step: what a scenario runs is named in its head.
fn target_in_scenario_block(f: &Failure<'_>, token: &Token<'_>) -> Option<Hint> {
    if f.place != Place::Scenario
        || token.start != f.stmt
        || !matches!(token.text, "machine" | "workflow")
    {
        return None;
    }
    let (start, end) = line_bounds(f.text, token.start);
    let line = f.text.get(start..end)?;
    // The whole line goes, with its line break, when the step is alone on it.
    let alone = line.split_whitespace().count() == 2;
    let hint = Hint::new(
        token.span(),
        format!("a scenario's {} is named in its head", token.text),
        "not a scenario step",
    )
    .note("a scenario is written `scenario NAME for TARGET { … }`, TARGET a workflow or machine");
    if !alone {
        return Some(hint.help("remove this step"));
    }
    let rest = f.text.get(end..).unwrap_or("");
    let line_break = if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with(['\r', '\n']))
    };
    let mut hint = hint.help("remove this line");
    hint.fix = Some((Span::new(start, end + line_break), String::new()));
    Some(hint)
}
