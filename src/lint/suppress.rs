//! Inline suppressions: a comment line `// wfl: allow(W0201, unused_variable) reason` just above a
//! declaration suppresses those warnings, of the codes or rule names listed, whose primary span lies
//! inside the declaration; above an item (`workflow`, `machine`, `scenario`) it covers the whole
//! item.
//!
//! "Just above" means: the first line after the comment that is not itself a `//` comment line
//! (another suppression, a doc comment, a plain comment) starts the declaration, and no blank line
//! comes between. The declarations are those of the syntax tree: items, properties, `var`, `task`,
//! links, `children`, `event` and `actor` declarations, `initial` rules, `state` declarations and
//! their hooks, transitions, actions, views and scenario steps.
//!
//! A suppression whose codes cover no finding is itself a warning (W0002 `unused_suppression`), one
//! code at a time; one that cannot be read or placed is W0003 (`malformed_suppression`) and
//! suppresses nothing. Comments are read here, by a pass over the lines that skips strings and
//! block comments as the lexical pre-scan does; the parser never sees them.

use std::collections::HashMap;

use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::Span;
use crate::syntax::ast;

/// The codes a suppression may not name: they are about suppressions, so only `wfl.toml` sets
/// their level.
const NOT_SUPPRESSIBLE: [Code; 2] = [Code::W0002, Code::W0003];

/// One code of a suppression's list.
#[derive(Debug)]
struct Entry {
    code: Code,
    /// Where the list names it.
    span: Span,
    used: bool,
}

/// A `// wfl: allow(…) reason` comment that could be read.
#[derive(Debug)]
struct Suppression {
    entries: Vec<Entry>,
    /// The declaration it covers, when it stands just above one.
    target: Option<Span>,
    comment: Span,
}

/// Applies the suppressions of `text` to `diagnostics` and adds the W0002/W0003 findings.
/// `complete`: every stage ran, so unused and misplaced suppressions can be told apart from ones
/// whose findings or declarations a stage that did not run would have produced.
pub fn apply(
    text: &str,
    file: &ast::File,
    diagnostics: Vec<Diagnostic>,
    complete: bool,
) -> Vec<Diagnostic> {
    let comments = directive_comments(text);
    if comments.is_empty() {
        return diagnostics;
    }
    let lines = LineIndex::new(text);
    let declarations = declaration_starts(file);
    let mut suppressions = Vec::new();
    let mut found = Vec::new();
    for comment in comments {
        if !comment.own_line {
            found.push(
                Diagnostic::new(
                    Code::W0003,
                    "a suppression must stand on a line of its own",
                    comment.span,
                    "this comment follows code on its line",
                )
                .with_help("move it to the line just above the declaration it is about"),
            );
            continue;
        }
        match parse(text, &comment) {
            Ok(entries) => {
                let target = lines
                    .next_code_line(text, comment.span.start as usize)
                    .and_then(|start| declarations.get(&start).copied());
                suppressions.push(Suppression {
                    entries,
                    target,
                    comment: comment.span,
                });
            }
            Err(malformed) => found.push(*malformed),
        }
    }
    for diagnostic in diagnostics {
        let mut suppressed = false;
        if diagnostic.severity != Severity::Error {
            let at = diagnostic.primary.span;
            for suppression in &mut suppressions {
                let Some(target) = suppression.target else {
                    continue;
                };
                if target.start > at.start || at.end > target.end {
                    continue;
                }
                for entry in &mut suppression.entries {
                    if entry.code == diagnostic.code {
                        entry.used = true;
                        suppressed = true;
                    }
                }
            }
        }
        if !suppressed {
            found.push(diagnostic);
        }
    }
    if complete {
        for suppression in &suppressions {
            match suppression.target {
                None => found.push(
                    Diagnostic::new(
                        Code::W0003,
                        "a suppression that is not just above a declaration",
                        suppression.comment,
                        "no declaration starts on the next line",
                    )
                    .with_note(
                        "a suppression covers the declaration that starts on the first line after it \
                         that is not a comment, with no blank line between",
                    )
                    .with_help("move it to the line just above the declaration it is about"),
                ),
                Some(target) => {
                    let list: Vec<Span> = suppression.entries.iter().map(|e| e.span).collect();
                    for (i, entry) in suppression.entries.iter().enumerate() {
                        if entry.used {
                            continue;
                        }
                        let help = if suppression.entries.len() == 1 {
                            "remove the comment".to_owned()
                        } else {
                            format!("remove `{}` from the list", text_at(text, entry.span))
                        };
                        found.push(
                            Diagnostic::new(
                                Code::W0002,
                                format!(
                                    "the suppression of `{}` suppresses nothing",
                                    entry.code.name()
                                ),
                                entry.span,
                                format!("no {} finding in the declaration below", entry.code.as_str()),
                            )
                            .with_label(lines.first_line(target), "the declaration it covers")
                            .with_help(help.clone())
                            .with_list_removal(help, &list, i, suppression.comment),
                        );
                    }
                }
            }
        }
    }
    found
}

/// A `//` comment whose text starts with `wfl:`.
#[derive(Debug)]
struct Comment {
    /// From `//` to the end of the line, line break excluded.
    span: Span,
    /// Offset just after `wfl:`.
    body: usize,
    /// Nothing but blanks before it on its line.
    own_line: bool,
}

/// Every `// wfl:` comment of `text`, in order: a pass over the bytes as the pre-scan makes it
/// (`syntax::scan`), skipping strings and block comments. Doc comments (`///`) and comments with
/// more slashes are not directives.
fn directive_comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut line_has_code = false;
    let mut i = if text.starts_with('\u{FEFF}') {
        '\u{FEFF}'.len_utf8()
    } else {
        0
    };
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' | b'\r' => {
                line_has_code = false;
                i += 1;
            }
            b' ' | b'\t' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = bytes
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|&c| c == b'\n' || c == b'\r'))
                    .map_or(bytes.len(), |n| i + n);
                let inner = text.get(i + 2..end).unwrap_or("");
                let trimmed = inner.trim_start_matches([' ', '\t']);
                if !inner.starts_with('/')
                    && let Some(rest) = trimmed.strip_prefix("wfl:")
                {
                    found.push(Comment {
                        span: Span::new(i, end),
                        body: end - rest.len(),
                        own_line: !line_has_code,
                    });
                }
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                match bytes
                    .get(i + 2..)
                    .and_then(|rest| rest.windows(2).position(|w| w == b"*/"))
                {
                    Some(n) => i += 2 + n + 2,
                    None => break,
                }
            }
            b'"' => {
                line_has_code = true;
                i += 1;
                loop {
                    match bytes.get(i) {
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\')
                            if bytes.get(i + 1).is_some_and(|&c| c != b'\n' && c != b'\r') =>
                        {
                            i += 2;
                        }
                        // An unterminated string: the pre-scan reported it; the line is code.
                        Some(b'\n' | b'\r') | None => break,
                        Some(_) => i += 1,
                    }
                }
            }
            _ => {
                line_has_code = true;
                i += 1;
            }
        }
    }
    found
}

/// Reads `allow(CODE, …) REASON` after `wfl:`: the codes listed, or the W0003 finding.
fn parse(text: &str, comment: &Comment) -> Result<Vec<Entry>, Box<Diagnostic>> {
    let end = comment.span.end as usize;
    let malformed = |span: Span, message: String, label: &str, help: Option<String>| {
        let diagnostic = Diagnostic::new(Code::W0003, message, span, label);
        Box::new(match help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        })
    };
    const FORM: &str = "write `// wfl: allow(CODE, …) REASON`, such as `// wfl: allow(W0201) the state is left by an operator`";
    let mut pos = skip_blanks(text, comment.body, end);
    let word_end = text
        .get(pos..end)
        .and_then(|rest| rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .map_or(end, |n| pos + n);
    let word = text_at(text, Span::new(pos, word_end));
    if word != "allow" {
        if word.is_empty() {
            return Err(malformed(
                comment.span,
                "a `// wfl:` comment without `allow(…)`".to_owned(),
                "this comment says nothing wfl can read",
                Some(FORM.to_owned()),
            ));
        }
        return Err(malformed(
            Span::new(pos, word_end),
            format!("unknown suppression `{word}`"),
            "not `allow`",
            Some(match did_you_mean(word, ["allow"]) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("the only suppression is `allow`: {FORM}"),
            }),
        ));
    }
    pos = skip_blanks(text, word_end, end);
    if text.get(pos..end).is_none_or(|rest| !rest.starts_with('(')) {
        let token_end = text
            .get(pos..end)
            .and_then(|rest| rest.find([' ', '\t']))
            .map_or(end, |n| pos + n);
        return Err(malformed(
            Span::new(pos, token_end),
            "`allow` without a list of codes".to_owned(),
            "expected `(` here",
            Some(FORM.to_owned()),
        ));
    }
    let open = pos;
    let Some(close) = text
        .get(open..end)
        .and_then(|rest| rest.find(')'))
        .map(|n| open + n)
    else {
        return Err(malformed(
            Span::new(open, end),
            "the list of a suppression is not closed".to_owned(),
            "this `(` has no `)`",
            Some(FORM.to_owned()),
        ));
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut item_start = open + 1;
    for piece in text.get(open + 1..close).unwrap_or("").split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let name = piece.trim();
        let span = Span::new(item_start + lead, item_start + lead + name.len());
        item_start += piece.len() + 1;
        if name.is_empty() {
            return Err(malformed(
                Span::new(open, close + 1),
                "a suppression whose list has an empty entry".to_owned(),
                "name one code or rule between each two commas",
                Some(FORM.to_owned()),
            ));
        }
        let Some(code) = Code::lookup(name) else {
            let candidates = Code::ALL
                .iter()
                .filter(|c| c.severity() != Severity::Error && !NOT_SUPPRESSIBLE.contains(c))
                .flat_map(|c| [c.as_str(), c.name()]);
            return Err(malformed(
                span,
                format!("unknown code or rule `{name}` in a suppression"),
                "no warning or note has this code or name",
                did_you_mean(name, candidates).map(|close| format!("did you mean `{close}`?")),
            ));
        };
        if code.severity() == Severity::Error {
            return Err(malformed(
                span,
                format!("`{name}` is an error, and errors cannot be suppressed"),
                &format!("{} `{}` is an error", code.as_str(), code.name()),
                Some(
                    "remove the comment, and fix the error it was meant for: a file with an error \
                     cannot be run"
                        .to_owned(),
                ),
            ));
        }
        if NOT_SUPPRESSIBLE.contains(&code) {
            return Err(malformed(
                span,
                format!("`{name}` cannot be suppressed by a comment"),
                "a finding about suppressions",
                Some(format!(
                    "set its level in `wfl.toml` instead: `[lints]` then `{} = \"allow\"`",
                    code.name()
                )),
            ));
        }
        if !entries.iter().any(|e| e.code == code) {
            entries.push(Entry {
                code,
                span,
                used: false,
            });
        }
    }
    let reason = text.get(close + 1..end).unwrap_or("").trim();
    if reason.is_empty() {
        return Err(malformed(
            comment.span,
            "a suppression without a reason".to_owned(),
            "say why the findings do not apply here",
            Some(format!(
                "write the reason after the list: `{} <why it does not apply here>`",
                text_at(text, Span::new(comment.span.start as usize, close + 1))
            )),
        ));
    }
    Ok(entries)
}

fn skip_blanks(text: &str, from: usize, end: usize) -> usize {
    text.get(from..end).map_or(from, |rest| {
        from + (rest.len() - rest.trim_start_matches([' ', '\t']).len())
    })
}

fn text_at(text: &str, span: Span) -> &str {
    text.get(span.range()).unwrap_or("")
}

/// The span of every declaration a suppression can stand above, by its start offset (the largest
/// when several start at the same place). `wfl lsp` places the suppressions it writes with it.
pub fn declaration_starts(file: &ast::File) -> HashMap<usize, Span> {
    let mut spans = Vec::new();
    for item in &file.items {
        match item {
            ast::Item::Workflow(w) => {
                spans.push(w.span);
                spans.extend(w.properties.iter().map(|p| p.span));
                spans.extend(w.vars.iter().map(|v| v.span));
                spans.extend(w.tasks.iter().map(|t| t.span));
                spans.extend(w.links.iter().map(|l| l.span));
            }
            ast::Item::Machine(m) => {
                spans.push(m.span);
                spans.extend(m.vars.iter().map(|v| v.span));
                spans.extend(m.children.iter().map(|c| c.span));
                spans.extend(m.events.iter().chain(&m.actors).map(|d| d.span));
                spans.extend(m.initials.iter().map(|i| i.span));
                for state in &m.states {
                    spans.push(state.span);
                    for hook in &state.hooks {
                        spans.push(hook.span);
                        spans.extend(hook.actions.iter().map(|a| a.span));
                    }
                }
                for transition in &m.transitions {
                    spans.push(transition.span);
                    spans.extend(transition.actions.iter().map(|a| a.span));
                }
                spans.extend(m.views.iter().map(|v| v.span));
            }
            ast::Item::Scenario(s) => {
                spans.push(s.span);
                spans.extend(s.steps.iter().map(|step| step.span));
            }
        }
    }
    let mut starts: HashMap<usize, Span> = HashMap::new();
    for span in spans {
        let entry = starts.entry(span.start as usize).or_insert(span);
        if span.end > entry.end {
            *entry = span;
        }
    }
    starts
}

/// Line starts of a text; a line ends at LF, CRLF or a lone CR, as everywhere in wfl.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let starts = std::iter::once(0)
            .chain(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| {
                        b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                    })
                    .map(|(i, _)| i + 1),
            )
            .collect();
        LineIndex { starts }
    }

    /// The line holding `offset`, 0-based.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// The text of line `line`, line break excluded, and its start.
    fn line<'t>(&self, text: &'t str, line: usize) -> Option<(usize, &'t str)> {
        let start = *self.starts.get(line)?;
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let content = text.get(start..end)?.trim_end_matches(['\n', '\r']);
        Some((start, content))
    }

    /// The offset of the first token on the first line after the one holding `offset` that is
    /// not a `//` comment line; `None` at a blank line or the end of the text.
    fn next_code_line(&self, text: &str, offset: usize) -> Option<usize> {
        let mut line = self.line_of(offset) + 1;
        loop {
            let (start, content) = self.line(text, line)?;
            let code = content.trim_start_matches([' ', '\t']);
            if code.is_empty() {
                return None;
            }
            if !code.starts_with("//") {
                return Some(start + (content.len() - code.len()));
            }
            line += 1;
        }
    }

    /// `span` cut at the end of its first line: a label that does not cover a whole item.
    fn first_line(&self, span: Span) -> Span {
        let line = self.line_of(span.start as usize);
        let end = self
            .starts
            .get(line + 1)
            .map_or(span.end as usize, |&next| next.saturating_sub(1));
        Span::new(
            span.start as usize,
            end.min(span.end as usize).max(span.start as usize),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(&'static str, String)> {
        let mut checked = crate::check_text(text).diagnostics;
        crate::diagnostic::sort(&mut checked);
        checked
            .iter()
            .map(|d| (d.code.as_str(), text_at(text, d.primary.span).to_owned()))
            .collect()
    }

    const DEAD_END: &str = "machine m {\n  initial -> A\n  state A, B\n  A -> B on go\n}\n";

    #[test]
    fn a_suppression_covers_the_declaration_below() {
        assert_eq!(codes(DEAD_END), [("W0201", "B".to_owned())]);
        let text = DEAD_END.replace(
            "  state A, B",
            "  // wfl: allow(W0201) B is left by hand\n  state A, B",
        );
        assert_eq!(codes(&text), []);
        // By name, and stacked with a doc comment and another comment between.
        let text = DEAD_END.replace(
            "  state A, B",
            "  // wfl: allow(dead_end_state) B is left by hand\n  /// The states.\n  // more\n  state A, B",
        );
        assert_eq!(codes(&text), []);
    }

    #[test]
    fn a_suppression_above_an_item_covers_the_item() {
        let text = format!("// wfl: allow(W0201) a draft\n{DEAD_END}");
        assert_eq!(codes(&text), []);
    }

    #[test]
    fn a_suppression_elsewhere_covers_nothing_and_says_so() {
        let text = DEAD_END.replace(
            "  A -> B on go",
            "  // wfl: allow(W0201) B is left by hand\n  A -> B on go",
        );
        assert_eq!(
            codes(&text),
            [("W0201", "B".to_owned()), ("W0002", "W0201".to_owned())]
        );
        let text = DEAD_END.replace(
            "  state A, B",
            "  // wfl: allow(W0201) B is left by hand\n\n  state A, B",
        );
        assert_eq!(
            codes(&text),
            [
                ("W0003", "// wfl: allow(W0201) B is left by hand".to_owned()),
                ("W0201", "B".to_owned())
            ]
        );
    }

    #[test]
    fn malformed_suppressions_suppress_nothing() {
        let cases = [
            ("// wfl: allow(W0201)", "// wfl: allow(W0201)"),
            ("// wfl: allow(W02O1) r", "W02O1"),
            ("// wfl: allow(E0101) r", "E0101"),
            ("// wfl: allow(W0002) r", "W0002"),
            ("// wfl: deny(W0201) r", "deny"),
            ("// wfl: allow W0201 r", "W0201"),
            ("// wfl: allow(W0201 r", "(W0201 r"),
            ("// wfl: allow(W0201,) r", "(W0201,)"),
            ("// wfl:", "// wfl:"),
        ];
        for (comment, at) in cases {
            let text = DEAD_END.replace("  state A, B", &format!("  {comment}\n  state A, B"));
            assert_eq!(
                codes(&text),
                [("W0003", at.to_owned()), ("W0201", "B".to_owned())],
                "{comment}"
            );
        }
        let text = DEAD_END.replace("state A, B", "state A, B // wfl: allow(W0201) r");
        assert_eq!(
            codes(&text),
            [
                ("W0201", "B".to_owned()),
                ("W0003", "// wfl: allow(W0201) r".to_owned())
            ]
        );
    }

    #[test]
    fn strings_block_comments_and_doc_comments_are_not_suppressions() {
        let text = DEAD_END.replace(
            "  state A, B",
            "  /* // wfl: allow(W0201) no */\n  /// wfl: allow(W0201) no\n  state A, B",
        );
        assert_eq!(codes(&text), [("W0201", "B".to_owned())]);
        let comments = directive_comments("x = \"// wfl: allow(W0201) r\"\n");
        assert!(comments.is_empty());
    }

    #[test]
    fn with_an_error_in_the_file_unused_suppressions_are_not_reported() {
        let text = "// wfl: allow(W0201) r\nworkflow w {\n  task a\n  a -> b\n}\n";
        assert_eq!(codes(text), [("E0101", "b".to_owned())]);
    }
}
