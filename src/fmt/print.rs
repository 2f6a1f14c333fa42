//! The layout: each item and statement of the tree laid out as lines, from the tokens of the file,
//! with the comments and blank lines found between them. specs/format.md states the rules.

use super::lex::{Kind, Token};
use super::tree::Node;

/// The width the layout keeps lines within, where it can (a comment is never cut, a name never).
pub const WIDTH: usize = 100;
/// One level of indentation.
const INDENT: usize = 2;
/// The continuation lines of a statement that does not fit on one line: two levels further in.
const CONTINUATION: usize = 2;

/// One line of the output, before alignment.
#[derive(Debug)]
pub struct Line {
    /// Levels of indentation.
    pub indent: usize,
    /// A blank line comes before it.
    pub blank_before: bool,
    pub text: String,
    /// A comment at the end of the line.
    pub comment: Option<String>,
}

impl Line {
    fn new(indent: usize, blank_before: bool, text: String) -> Line {
        Line {
            indent,
            blank_before,
            text,
            comment: None,
        }
    }
}

/// A token as the layout writes it.
#[derive(Clone, Copy, Debug)]
struct Piece<'t> {
    kind: Kind,
    text: &'t str,
    /// A space separates it from the piece before it on a line.
    space_before: bool,
    /// The statement may go on to the next line after it (after a comma in brackets, after a
    /// logical `and` / `or`).
    break_after: bool,
}

struct Printer<'t> {
    text: &'t str,
    tokens: &'t [Token],
    lines: Vec<Line>,
    /// A token of code outside every statement: the layout would lose it.
    lost: bool,
}

/// The lines of the file whose `tokens` and `items` are given, or `None` when some code is in no
/// item or statement (the file would lose it).
pub fn layout(text: &str, tokens: &[Token], items: &[Node]) -> Option<Vec<Line>> {
    let mut printer = Printer {
        text,
        tokens,
        lines: Vec::new(),
        lost: false,
    };
    printer.block(items, 0, tokens.len(), 0);
    (!printer.lost).then_some(printer.lines)
}

impl<'t> Printer<'t> {
    fn slice(&self, token: &Token) -> &'t str {
        self.text.get(token.start..token.end).unwrap_or("")
    }

    /// The tokens of a span: from the first that starts in it to the first that starts after it.
    fn range(&self, node: &Node) -> (usize, usize) {
        let start = node.span.start as usize;
        let end = node.span.end as usize;
        (
            self.tokens.partition_point(|t| t.start < start),
            self.tokens.partition_point(|t| t.start < end),
        )
    }

    fn has_comment(&self, from: usize, to: usize) -> bool {
        self.tokens
            .get(from..to)
            .is_some_and(|ts| ts.iter().any(Token::is_comment))
    }

    /// The statements `children` of a block whose inside is the tokens `from..to`, at `indent`.
    fn block(&mut self, children: &[Node], from: usize, to: usize, indent: usize) {
        let mut pos = from;
        let mut first = true;
        for child in children {
            let (start, end) = self.range(child);
            let blank = self.gap(pos, start, indent, &mut first);
            if start >= end {
                self.lost = true;
                return;
            }
            self.statement(child, start, end, indent, blank && !first);
            first = false;
            pos = end;
        }
        self.gap(pos, to, indent, &mut first);
    }

    /// The comments between two statements (tokens `from..to`): one on the line of the code
    /// before it stays at the end of that line, the others get lines of their own. Returns whether
    /// a blank line comes before what follows (one or more in the file: one).
    ///
    /// A `;` there is dropped, unless a doc comment's meaning rests on it: one between a doc
    /// comment and the statement after it (the doc comment then documents nothing), and one
    /// before a `///` comment on its line (which is then no doc comment) stay.
    fn gap(&mut self, from: usize, to: usize, indent: usize, first: &mut bool) -> bool {
        let mut newlines = 0;
        // A `;` since the last line break; a doc comment on a line of its own, no code since.
        let mut semicolon_on_line = false;
        let mut doc_pending = false;
        for token in self.tokens.get(from..to).unwrap_or(&[]) {
            match token.kind {
                Kind::Newline => {
                    newlines += 1;
                    semicolon_on_line = false;
                }
                Kind::Semi if doc_pending => {
                    self.lines.push(Line::new(indent, false, ";".to_owned()));
                    doc_pending = false;
                    newlines = 0;
                }
                Kind::Semi => semicolon_on_line = true,
                Kind::LineComment | Kind::BlockComment => {
                    let comment = trim_end(self.slice(token)).to_owned();
                    let is_doc = is_doc_comment(&comment);
                    match self.lines.last_mut() {
                        Some(line) if newlines == 0 => {
                            line.comment = Some(match line.comment.take() {
                                Some(before) => format!("{before} {comment}"),
                                None => comment,
                            });
                        }
                        _ if semicolon_on_line && is_doc => {
                            let mut line = Line::new(indent, !*first && newlines >= 2, ";".into());
                            line.comment = Some(comment);
                            self.lines.push(line);
                            *first = false;
                        }
                        _ => {
                            let blank = !*first && newlines >= 2;
                            self.lines.push(Line::new(indent, blank, comment));
                            *first = false;
                            doc_pending |= is_doc;
                        }
                    }
                    newlines = 0;
                }
                _ => self.lost = true,
            }
        }
        newlines >= 2
    }

    /// The `{` that opens the block a statement or item ends with, if it has one (the braces
    /// of an enumeration type, after `:`, open no block).
    fn block_open(&self, from: usize, to: usize) -> Option<usize> {
        let mut previous = None;
        for k in from..to {
            let token = self.tokens.get(k)?;
            if token.is_comment() || token.kind == Kind::Newline {
                continue;
            }
            let text = self.slice(token);
            if text == "{" && previous != Some(":") {
                return Some(k);
            }
            previous = Some(text);
        }
        None
    }

    /// One statement or item (tokens `from..to`).
    fn statement(&mut self, node: &Node, from: usize, to: usize, indent: usize, blank: bool) {
        let open = self.block_open(from, to);
        if let Some((pieces, suffix)) = self.flat(node, from, to) {
            let text = join(&pieces) + &suffix;
            if INDENT * indent + width(&text) <= WIDTH {
                self.lines.push(Line::new(indent, blank, text));
                return;
            }
        }
        let head_end = open.unwrap_or(to);
        let mut pieces = self.pieces(from, head_end);
        if open.is_some() {
            pieces.push(Piece {
                kind: Kind::Punct,
                text: "{",
                space_before: true,
                break_after: false,
            });
        }
        let first_line = self.lines.len();
        if self.has_comment(from, head_end) {
            self.keep_lines(&pieces, indent);
        } else {
            self.fill(&pieces, indent);
        }
        if let Some(line) = self.lines.get_mut(first_line) {
            line.blank_before = blank;
        }
        let Some(open) = open else {
            return;
        };
        let close = to - 1;
        if self.tokens.get(close).map(|t| self.slice(t)) != Some("}") {
            self.lost = true;
            return;
        }
        if node.children.is_empty() && !self.has_comment(open + 1, close) {
            if let Some(line) = self.lines.last_mut() {
                line.text.push('}');
            }
            return;
        }
        self.block(&node.children, open + 1, close, indent + 1);
        self.lines.push(Line::new(indent, false, "}".to_owned()));
    }

    /// The statement on one line: its pieces before any block, and the block written
    /// `{ a; b }` (`{}` when empty). `None` when it has a comment, is an item, or its block was
    /// written over several lines (the author's choice is kept: specs/format.md, "Blocks").
    fn flat(&self, node: &Node, from: usize, to: usize) -> Option<(Vec<Piece<'t>>, String)> {
        if node.is_item || self.has_comment(from, to) {
            return None;
        }
        let open = self.block_open(from, to);
        let pieces = self.pieces(from, open.unwrap_or(to));
        let Some(open) = open else {
            return Some((pieces, String::new()));
        };
        let Some(first) = node.children.first() else {
            return Some((pieces, " {}".to_owned()));
        };
        let (first_start, _) = self.range(first);
        let tokens = self.tokens.get(open + 1..first_start)?;
        if tokens.iter().any(|t| t.kind == Kind::Newline) {
            return None;
        }
        let mut parts = Vec::with_capacity(node.children.len());
        for child in &node.children {
            let (start, end) = self.range(child);
            let (child_pieces, child_suffix) = self.flat(child, start, end)?;
            parts.push(join(&child_pieces) + &child_suffix);
        }
        Some((pieces, format!(" {{ {} }}", parts.join("; "))))
    }

    /// The pieces of tokens `from..to`, with their spacing and the places a line may break;
    /// line breaks and comments are pieces too (the layouts that do not keep them skip them).
    fn pieces(&self, from: usize, to: usize) -> Vec<Piece<'t>> {
        let mut out: Vec<Piece<'t>> = Vec::new();
        // The open brackets: `[`, `(`, `e` for an enumeration's `{`, `b` for a block's.
        let mut open: Vec<u8> = Vec::new();
        let mut code = 0;
        let mut first_words: [&str; 2] = ["", ""];
        let mut previous: Option<(Kind, &str)> = None;
        for token in self.tokens.get(from..to).unwrap_or(&[]) {
            let text = self.slice(token);
            if token.kind == Kind::Newline || token.is_comment() {
                out.push(Piece {
                    kind: token.kind,
                    text: trim_end(text),
                    space_before: true,
                    break_after: false,
                });
                continue;
            }
            let mut space = code > 0;
            let mut break_after = false;
            if matches!(text, "," | ")" | "]" | ":" | "..") {
                space = false;
            }
            match previous {
                Some((_, "(" | "[" | "..")) => space = false,
                Some((_, "{")) if open.last() == Some(&b'e') => space = false,
                Some((Kind::Word, word)) if text == "[" => {
                    let list = word == "in"
                        || (word == "fail" && code == 1)
                        || (word == "from" && code == 2 && first_words[0] == "start");
                    space = list;
                }
                _ => {}
            }
            match text {
                "[" | "(" => open.push(text.as_bytes()[0]),
                "{" => open.push(if previous.map(|p| p.1) == Some(":") {
                    b'e'
                } else {
                    b'b'
                }),
                "]" | ")" => {
                    open.pop();
                }
                // No space inside an enumeration's braces: `{a, b}`.
                "}" => space &= open.pop() != Some(b'e'),
                "," => break_after = matches!(open.last(), Some(b'[' | b'e')),
                _ => {}
            }
            if let Some(slot) = first_words.get_mut(code) {
                *slot = text;
            }
            out.push(Piece {
                kind: token.kind,
                text,
                space_before: space,
                break_after,
            });
            previous = Some((token.kind, text));
            code += 1;
        }
        mark_logic_breaks(&mut out);
        out
    }

    /// A statement too long for one line: filled up to the width, broken only where a line may
    /// break, continuation lines two levels further in.
    fn fill(&mut self, pieces: &[Piece<'t>], indent: usize) {
        let code: Vec<Piece<'t>> = pieces.iter().copied().filter(|p| is_code(p)).collect();
        let mut current = String::new();
        let mut line_indent = indent;
        for chunk in code.split_inclusive(|p| p.break_after) {
            let text = join(chunk);
            let space = chunk.first().is_some_and(|p| p.space_before);
            let needed = INDENT * line_indent + width(&current) + usize::from(space) + width(&text);
            if !current.is_empty() && needed > WIDTH {
                self.lines
                    .push(Line::new(line_indent, false, std::mem::take(&mut current)));
                line_indent = indent + CONTINUATION;
            } else if !current.is_empty() && space {
                current.push(' ');
            }
            current.push_str(&text);
        }
        self.lines.push(Line::new(line_indent, false, current));
    }

    /// A statement with comments inside: its line breaks are kept (blank lines dropped), each
    /// line's tokens spaced as usual, continuation lines two levels further in.
    fn keep_lines(&mut self, pieces: &[Piece<'t>], indent: usize) {
        let mut current = String::new();
        let mut comment: Option<String> = None;
        let mut line_indent = indent;
        let flush =
            |lines: &mut Vec<Line>, current: &mut String, comment: &mut Option<String>, at| {
                if current.is_empty() && comment.is_none() {
                    return false;
                }
                let mut line = match (current.is_empty(), comment.take()) {
                    (true, Some(text)) => Line::new(at, false, text),
                    (_, other) => {
                        let mut line = Line::new(at, false, std::mem::take(current));
                        line.comment = other;
                        line
                    }
                };
                line.text.truncate(trim_end(&line.text).len());
                lines.push(line);
                true
            };
        for piece in pieces {
            match piece.kind {
                Kind::Newline => {
                    if flush(&mut self.lines, &mut current, &mut comment, line_indent) {
                        line_indent = indent + CONTINUATION;
                    }
                }
                Kind::LineComment => comment = Some(piece.text.to_owned()),
                _ => {
                    if !current.is_empty() && (piece.space_before || piece.is_comment_kind()) {
                        current.push(' ');
                    }
                    current.push_str(piece.text);
                }
            }
        }
        flush(&mut self.lines, &mut current, &mut comment, line_indent);
    }
}

impl Piece<'_> {
    fn is_comment_kind(&self) -> bool {
        matches!(self.kind, Kind::LineComment | Kind::BlockComment)
    }
}

fn is_code(piece: &Piece<'_>) -> bool {
    !matches!(
        piece.kind,
        Kind::Newline | Kind::LineComment | Kind::BlockComment
    )
}

/// Words that never end an operand: after one of them, `and` / `or` is a name, not an operator.
const NOT_AN_OPERAND: [&str; 36] = [
    "on",
    "by",
    "when",
    "expect",
    "not",
    "and",
    "or",
    "in",
    "where",
    "to",
    "set",
    "send",
    "raise",
    "fail",
    "from",
    "at",
    "task",
    "var",
    "event",
    "actor",
    "children",
    "view",
    "initial",
    "final",
    "transient",
    "duration",
    "spawn",
    "link",
    "any",
    "all",
    "no",
    "count",
    "start",
    "stop",
    "kill",
    "one",
];

/// Marks the `and` and `or` that join operands (or the events of `on a or b`): a line may break
/// after them. One between an operand and the start of another is an operator; a name spelt `or`
/// is never between two operands.
fn mark_logic_breaks(pieces: &mut [Piece<'_>]) {
    let code: Vec<usize> = (0..pieces.len()).filter(|&k| is_code(&pieces[k])).collect();
    for window in code.windows(3) {
        let [before, at, after] = [window[0], window[1], window[2]];
        if !matches!(pieces[at].text, "and" | "or") {
            continue;
        }
        let ends_operand = match pieces[before].kind {
            Kind::Number | Kind::Str => true,
            Kind::Word => !NOT_AN_OPERAND.contains(&pieces[before].text),
            _ => matches!(pieces[before].text, ")" | "]"),
        };
        let starts_operand = match pieces[after].kind {
            Kind::Number | Kind::Str | Kind::Word => true,
            _ => pieces[after].text == "(",
        };
        if ends_operand && starts_operand && pieces[at].kind == Kind::Word {
            pieces[at].break_after = true;
        }
    }
}

/// The pieces on one line.
fn join(pieces: &[Piece<'_>]) -> String {
    let mut out = String::new();
    for piece in pieces.iter().filter(|p| is_code(p)) {
        if piece.space_before && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(piece.text);
    }
    out
}

/// Whether a comment is a doc comment when it stands on a line of its own: `///`, not `////`.
fn is_doc_comment(comment: &str) -> bool {
    comment.starts_with("///") && !comment.starts_with("////")
}

/// `text` without the spaces and tabs that end it: the layout's lines never end with any (other
/// white space, which the grammar does not skip, is kept in comments as written).
pub fn trim_end(text: &str) -> &str {
    text.trim_end_matches([' ', '\t'])
}

/// Characters, as the width of a line is counted.
pub fn width(text: &str) -> usize {
    text.chars().count()
}
