//! The lexical pre-scan: one linear pass over the bytes, before pest sees the text.
//!
//! It rejects what would make a recursive-descent parser misbehave (nesting deeper than
//! [`MAX_NESTING`]) or report confusingly (an unterminated string or block comment), collects the
//! `///` doc comments, and blanks every comment (and a leading byte-order mark) out of the text the
//! grammar sees: each of their bytes becomes a space, so offsets stay those of the file and pest,
//! which would otherwise try to match a comment between every two tokens, only skips spaces.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

/// The deepest nesting of `(`, `[` and `{` a file may have. Real specs stay under ten.
pub const MAX_NESTING: usize = 64;

/// A block of consecutive `///` lines.
#[derive(Debug)]
pub struct DocBlock {
    pub text: String,
    pub span: Span,
    /// Offset of the first token after the block: the declaration it documents.
    pub next_token: usize,
}

#[derive(Debug, Default)]
pub struct Scan {
    pub docs: Vec<DocBlock>,
    pub diagnostics: Vec<Diagnostic>,
    /// Byte ranges of comments and of a leading byte-order mark.
    blanks: Vec<(usize, usize)>,
}

impl Scan {
    /// The text the grammar parses: `text` with every comment and a leading byte-order mark turned
    /// into spaces, byte for byte; borrowed when there is nothing to blank.
    pub fn blanked<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if self.blanks.is_empty() {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut bytes = text.as_bytes().to_vec();
        for &(start, end) in &self.blanks {
            if let Some(range) = bytes.get_mut(start..end) {
                range.fill(b' ');
            }
        }
        // Whole UTF-8 sequences were replaced by ASCII spaces, so the text is still UTF-8.
        std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned()))
    }
}

pub fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut out = Scan::default();
    let mut open: Vec<usize> = Vec::new();
    let mut pending_doc: Option<(String, usize, usize)> = None;
    let mut line_has_code = false;
    let mut i = 0;
    if text.starts_with('\u{FEFF}') {
        i = '\u{FEFF}'.len_utf8();
        out.blanks.push((0, i));
    }
    while let Some(&b) = bytes.get(i) {
        match b {
            // A line ends at LF, CRLF or a lone CR.
            b'\n' | b'\r' => {
                line_has_code = false;
                i += 1;
            }
            b' ' | b'\t' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = line_end(bytes, i);
                let is_doc = bytes.get(i + 2) == Some(&b'/') && bytes.get(i + 3) != Some(&b'/');
                if is_doc && !line_has_code {
                    let line = text.get(i + 3..end).unwrap_or("");
                    let line = line
                        .strip_prefix(' ')
                        .unwrap_or(line)
                        .trim_end_matches('\r');
                    match &mut pending_doc {
                        Some((doc, _, doc_end)) => {
                            doc.push('\n');
                            doc.push_str(line);
                            *doc_end = end;
                        }
                        None => pending_doc = Some((line.to_owned(), i, end)),
                    }
                }
                out.blanks.push((i, end));
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => match find(bytes, i + 2, b"*/") {
                Some(close) => {
                    out.blanks.push((i, close + 2));
                    i = close + 2;
                }
                None => {
                    out.diagnostics.push(
                        Diagnostic::new(
                            Code::E0004,
                            "unterminated block comment",
                            Span::new(i, i + 2),
                            "this comment is never closed",
                        )
                        .with_help("close it with `*/` (block comments do not nest)"),
                    );
                    return out;
                }
            },
            _ => {
                if let Some((text, start, end)) = pending_doc.take() {
                    out.docs.push(DocBlock {
                        text,
                        span: Span::new(start, end),
                        next_token: i,
                    });
                }
                line_has_code = true;
                match b {
                    b'"' => match string_end(bytes, i) {
                        Some(end) => i = end,
                        None => {
                            out.diagnostics.push(
                                Diagnostic::new(
                                    Code::E0004,
                                    "unterminated string",
                                    Span::new(i, i + 1),
                                    "this string is not closed on its line",
                                )
                                .with_help("add the closing `\"`; strings cannot span lines"),
                            );
                            return out;
                        }
                    },
                    b'(' | b'[' | b'{' => {
                        open.push(i);
                        if open.len() > MAX_NESTING {
                            out.diagnostics.push(too_deep(&open));
                            return out;
                        }
                        i += 1;
                    }
                    b')' | b']' | b'}' => {
                        open.pop();
                        i += 1;
                    }
                    _ => i += 1,
                }
            }
        }
    }
    if let Some((text, start, end)) = pending_doc {
        out.docs.push(DocBlock {
            text,
            span: Span::new(start, end),
            next_token: bytes.len(),
        });
    }
    out
}

fn too_deep(open: &[usize]) -> Diagnostic {
    let at = open.last().copied().unwrap_or(0);
    let outer = open.first().copied().unwrap_or(0);
    Diagnostic::new(
        Code::E0003,
        format!("brackets nested more than {MAX_NESTING} levels deep"),
        Span::new(at, at + 1),
        format!("this bracket opens level {}", open.len()),
    )
    .with_label(
        Span::new(outer, outer + 1),
        "the outermost bracket opens here",
    )
    .with_help("split the expression with views, or remove redundant parentheses")
}

/// The offset of the line break (LF or CR) ending the line that holds `from`.
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
        .map_or(bytes.len(), |n| from + n)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}

/// Offset just past the closing quote of the string opening at `start`, if it closes on its line.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' if bytes.get(i + 1).is_some_and(|&b| b != b'\n' && b != b'\r') => i += 2,
            b'\n' | b'\r' => return None,
            _ => i += 1,
        }
    }
}

/// The first offset at or after `pos` that is not whitespace, a newline, `;`, a comment or a
/// leading byte-order mark. An unterminated block comment runs to the end (the scan reported it).
pub fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    if pos == 0 && text.starts_with('\u{FEFF}') {
        pos = '\u{FEFF}'.len_utf8();
    }
    loop {
        match bytes.get(pos) {
            Some(b' ' | b'\t' | b'\r' | b'\n' | b';') => pos += 1,
            Some(b'/') if bytes.get(pos + 1) == Some(&b'/') => pos = line_end(bytes, pos),
            Some(b'/') if bytes.get(pos + 1) == Some(&b'*') => {
                pos = find(bytes, pos + 2, b"*/").map_or(bytes.len(), |close| close + 2);
            }
            _ => return pos,
        }
    }
}

/// Where to resume after a syntax error in the statement starting at `start`: the first newline or
/// `;` outside brackets that comes at or after `error_at`, or a `}` that closes the enclosing block
/// (returned as its own offset, so the caller sees it).
pub fn recover(text: &str, start: usize, error_at: usize) -> usize {
    let mut depth = 0usize;
    for (i, b) in code_bytes(text.as_bytes(), start) {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' if depth == 0 => return i,
            b'}' => depth -= 1,
            b'\n' | b'\r' | b';' if depth == 0 && i >= error_at => return i + 1,
            _ => {}
        }
    }
    text.len()
}

/// The bytes of `bytes` from `start` with their offsets, strings and comments left out (an
/// unterminated string ends with its line).
fn code_bytes(bytes: &[u8], start: usize) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut i = start;
    std::iter::from_fn(move || {
        loop {
            let &b = bytes.get(i)?;
            match b {
                b'"' => i = string_end(bytes, i).unwrap_or(line_end(bytes, i)),
                b'/' if bytes.get(i + 1) == Some(&b'/') => i = line_end(bytes, i),
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = find(bytes, i + 2, b"*/").map_or(bytes.len(), |close| close + 2);
                }
                _ => {
                    i += 1;
                    return Some((i - 1, b));
                }
            }
        }
    })
}

/// Where the item whose head starts at `start` ends, when its head line opens a block: just
/// after the `}` that closes it. A broken item head is skipped with its whole block, so that the
/// statements inside are not read as items (`machine door` inside a scenario's block).
pub fn block_end(text: &str, start: usize) -> Option<usize> {
    let head_end = line_end(text.as_bytes(), start);
    let mut depth = 0usize;
    for (i, b) in code_bytes(text.as_bytes(), start) {
        match b {
            b'{' => depth += 1,
            b'}' if depth <= 1 => return (depth == 1).then_some(i + 1),
            b'}' => depth -= 1,
            _ if depth == 0 && i >= head_end => return None,
            _ => {}
        }
    }
    None
}

/// A `}` that is most likely missing, found by indentation (as rustc finds an unclosed
/// delimiter): a line that is not a `}` but is indented no deeper than the line that opened a block
/// still open, when that block's contents were indented deeper (or began on its first line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingBrace {
    /// The `{` left open.
    pub open: usize,
    /// Where the `}` belongs: just after the last character of the line before `next`.
    pub at: usize,
    /// The first character of the line that gives the missing `}` away.
    pub next: usize,
    /// The `{` opens an item: the item ends before `next`.
    pub closes_item: bool,
}

/// A `{` still open while the lines are walked.
struct OpenBrace {
    at: usize,
    /// The indentation (in bytes) of the line that holds the `{`.
    indent: usize,
    line_start: usize,
    /// Whether the block's contents are indented deeper than `indent` (or start on the `{`'s
    /// line); unknown until its first line of contents.
    started: Option<bool>,
}

/// Where `}`s are most likely missing in `text` (comments blanked out). Only a file with more `{`
/// than `}` has any, and never more than it lacks; a block whose contents are not indented gives
/// no evidence, so a file without indentation gets none.
/// At most `limit` are returned (the parser reports no more syntax errors than that).
pub fn missing_braces(text: &str, limit: usize) -> Vec<MissingBrace> {
    let bytes = text.as_bytes();
    let mut deficit = brace_balance(bytes).min(isize::try_from(limit).unwrap_or(isize::MAX));
    let mut found = Vec::new();
    let mut open: Vec<OpenBrace> = Vec::new();
    let mut line_start = 0;
    let mut previous_end = 0;
    while deficit > 0 && line_start < bytes.len() {
        let end = line_end(bytes, line_start);
        let first = line_start
            + bytes
                .get(line_start..end)
                .and_then(|line| line.iter().position(|&b| b != b' ' && b != b'\t'))
                .unwrap_or(end - line_start);
        if first < end {
            let indent = first - line_start;
            let closes = bytes.get(first) == Some(&b'}');
            while deficit > 0 {
                let item_head = open.len() == 1;
                let Some(top) = open.last_mut() else {
                    break;
                };
                let started = *top.started.get_or_insert(indent > top.indent);
                if top.line_start == line_start || closes || !started || indent > top.indent {
                    break;
                }
                if item_head && !starts_item(text.get(first..).unwrap_or("")) {
                    break;
                }
                found.push(MissingBrace {
                    open: top.at,
                    at: previous_end,
                    next: first,
                    closes_item: item_head,
                });
                open.pop();
                deficit -= 1;
            }
            walk_line(bytes, first, end, line_start, indent, &mut open);
            previous_end = line_start
                + bytes
                    .get(line_start..end)
                    .and_then(|line| line.iter().rposition(|&b| b != b' ' && b != b'\t'))
                    .map_or(0, |n| n + 1);
        }
        line_start = next_line(bytes, end);
    }
    found
}

/// `{` minus `}` outside strings.
fn brace_balance(bytes: &[u8]) -> isize {
    let mut balance = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i = string_end(bytes, i).unwrap_or(line_end(bytes, i));
                continue;
            }
            b'{' => balance += 1,
            b'}' => balance -= 1,
            _ => {}
        }
        i += 1;
    }
    balance
}

/// Opens and closes the braces of one line (`first..end`, outside strings); a block opened on it
/// with something after its `{` has started its contents.
fn walk_line(
    bytes: &[u8],
    first: usize,
    end: usize,
    line_start: usize,
    indent: usize,
    open: &mut Vec<OpenBrace>,
) {
    let mut i = first;
    while i < end {
        match bytes.get(i) {
            Some(b'"') => {
                i = string_end(bytes, i).unwrap_or(end);
                continue;
            }
            Some(b'{') => open.push(OpenBrace {
                at: i,
                indent,
                line_start,
                started: None,
            }),
            Some(b'}') => {
                open.pop();
            }
            Some(b' ' | b'\t') => {}
            Some(_) => {
                for brace in open.iter_mut().rev() {
                    if brace.line_start != line_start || brace.started.is_some() {
                        break;
                    }
                    brace.started = Some(true);
                }
            }
            None => break,
        }
        i += 1;
    }
}

/// The start of the line after the line break at `end` (LF, CRLF or CR).
fn next_line(bytes: &[u8], end: usize) -> usize {
    match (bytes.get(end), bytes.get(end + 1)) {
        (Some(b'\r'), Some(b'\n')) => end + 2,
        _ => end + 1,
    }
}

/// Whether `rest` starts with `workflow`, `machine` or `scenario` as a whole word.
fn starts_item(rest: &str) -> bool {
    ["workflow", "machine", "scenario"].iter().any(|kw| {
        rest.strip_prefix(kw).is_some_and(|after| {
            !after
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
    })
}

/// The start of the next line (after `from`) whose first word begins an item.
pub fn next_item_line(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut pos = line_end(bytes, from);
    while pos < bytes.len() {
        let line_start = pos + 1;
        let rest = text.get(line_start..).unwrap_or("");
        let word_at = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let word = rest.get(word_at..).unwrap_or("");
        if starts_item(word) {
            return line_start + word_at;
        }
        pos = line_end(bytes, line_start);
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_doc_blocks_and_their_targets() {
        let text = "/// one\n/// two\ntask a\nx /// not a doc\n//// not either\ny";
        let scan = scan(text);
        assert_eq!(scan.docs.len(), 1);
        assert_eq!(scan.docs[0].text, "one\ntwo");
        assert_eq!(&text[scan.docs[0].next_token..][..6], "task a");
    }

    #[test]
    fn rejects_deep_nesting_without_recursion() {
        let text = "(".repeat(100_000);
        let scan = scan(&text);
        assert_eq!(scan.diagnostics.len(), 1);
        assert_eq!(scan.diagnostics[0].code, Code::E0003);
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let text = format!(
            "\"{}\" // {}\n/* {} */",
            "(".repeat(100),
            "[".repeat(100),
            "{".repeat(100)
        );
        assert!(scan(&text).diagnostics.is_empty());
    }

    #[test]
    fn blanking_keeps_offsets_and_code() {
        let text = "\u{FEFF}a /* é\n */ b // c\n\"//x\"";
        let scan = scan(text);
        let blanked = scan.blanked(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(
            blanked.trim_start(),
            format!("a{}b{}\n\"//x\"", " ".repeat(11), " ".repeat(5))
        );
    }

    /// The missing `}`s of `text`, each as (the `{`'s line, the text just before the `}`,
    /// whether it closes an item).
    fn missing(text: &str) -> Vec<(usize, &str, bool)> {
        missing_braces(text, 50)
            .into_iter()
            .map(|m| {
                let line = text[..m.open].matches('\n').count() + 1;
                (line, &text[m.at.saturating_sub(4)..m.at], m.closes_item)
            })
            .collect()
    }

    #[test]
    fn a_missing_brace_is_found_by_indentation() {
        let text = "workflow w {\n  task a { duration = 2\n  a -> b\n}\n";
        assert_eq!(missing(text), [(2, " = 2", false)]);
        let text = "machine m {\n  A -> B on go {\n    raise x\n  B -> A on x\n}\n";
        assert_eq!(missing(text), [(2, "se x", false)]);
        // CRLF line ends, and blank lines before the line that gives it away.
        let text = "machine m {\r\n  A -> B on go {\r\n    raise x\r\n\r\n  B -> A on x\r\n}\r\n";
        assert_eq!(missing(text), [(2, "se x", false)]);
    }

    #[test]
    fn an_item_brace_is_missing_only_before_an_item() {
        let text = "workflow w {\n  task a\n\nmachine m {\n  state A\n}\n";
        assert_eq!(missing(text), [(1, "sk a", true)]);
        // A line at the item's indentation that does not start an item says nothing.
        let text = "workflow w {\n  task a\ntask b\n";
        assert!(missing(text).is_empty());
    }

    #[test]
    fn no_evidence_no_guess() {
        // Balanced braces, however indented.
        assert!(missing("workflow w {\ntask a {\nduration = 2\n}\n}\n").is_empty());
        // Contents not indented: nothing to go by.
        assert!(missing("workflow w {\ntask a {\nduration = 2\ntask b\n}\n").is_empty());
        // A `{` whose block runs to the end of the file.
        assert!(missing("workflow w {\n  task a\n").is_empty());
        // Braces in strings do not count.
        assert!(missing("machine m {\n  state \"{\"\n}\n").is_empty());
    }

    #[test]
    fn recovery_skips_a_broken_multiline_block() {
        let text = "A -> B on x {\n set = \n}\nC -> D\n}";
        let resume = recover(text, 0, 16);
        assert_eq!(&text[resume..], "C -> D\n}");
    }
}
