//! Source text, byte spans and the line/column arithmetic every report uses, and how text taken
//! from a file is shown (hidden characters escaped).

use std::borrow::Cow;
use std::ops::Range;

/// A byte range `start..end` into one source file.
///
/// Offsets are `u32`: a file is at most 4 GiB (`Source::new` refuses larger text).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// The smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

fn clamp(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// The largest source `Source::new` accepts.
pub const MAX_SOURCE_LEN: usize = u32::MAX as usize;

/// One input file: its display name, its text and the start of each line.
#[derive(Clone, Debug)]
pub struct Source {
    name: String,
    text: String,
    line_starts: Vec<u32>,
}

/// A 1-based line and column; the column counts Unicode scalar values, so a tab is one column and
/// a leading byte-order mark none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl Source {
    /// `None` when the text is longer than [`MAX_SOURCE_LEN`].
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Option<Source> {
        let text = text.into();
        if text.len() > MAX_SOURCE_LEN {
            return None;
        }
        // A line ends at LF, CRLF or a lone CR.
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| {
                        b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                    })
                    .map(|(i, _)| clamp(i + 1)),
            )
            .collect();
        Some(Source {
            name: name.into(),
            text,
            line_starts,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// 0-based index of the line holding `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&clamp(offset)) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// Byte range of line `line` (0-based), newline included.
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line)? as usize;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next as usize);
        Some(start..end)
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts.get(line).map_or(0, |&s| s as usize);
        let prefix = self.text.get(start..offset).unwrap_or("");
        let bom = usize::from(line == 0 && prefix.starts_with('\u{FEFF}'));
        LineCol {
            line: line + 1,
            column: prefix.chars().count() - bom + 1,
        }
    }
}

/// Whether `c` is shown escaped (as `\u{1b}`) when wfl prints text taken from a file: the control
/// characters (C0 but tab, DEL, C1), which can recolour or retitle a terminal or end a line of a
/// CI log; the Unicode bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A to
/// U+202E, U+2066 to U+2069), which can make text read in an order other than the one it has
/// (the "Trojan Source" trick); and the line and paragraph separators U+2028 and U+2029.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Appends `c` as wfl shows it: itself, or `\u{…}` (lowercase hex) when it is hidden.
pub fn push_shown(out: &mut String, c: char) {
    if is_hidden(c) {
        out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// How many characters `c` takes once shown by [`push_shown`] (a tab counts as four, the widest
/// a tab stop makes it).
pub fn shown_width(c: char) -> usize {
    match c {
        '\t' => 4,
        c if is_hidden(c) => format!("{:x}", u32::from(c)).len() + 4,
        _ => 1,
    }
}

/// `text` with every hidden character escaped ([`is_hidden`]); with `keep_newlines`, line feeds
/// are kept (text made of several lines on purpose).
pub fn escape_hidden(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let hidden = |c: char| is_hidden(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            push_shown(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The files of one run, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<Source>,
}

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

impl Sources {
    pub fn new() -> Sources {
        Sources::default()
    }

    pub fn add(&mut self, source: Source) -> FileId {
        self.files.push(source);
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> Option<&Source> {
        self.files.get(id.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let src = Source::new("t", "a\rb\r\nc\nd").expect("small");
        let lines: Vec<usize> = [0, 2, 5, 7].iter().map(|&o| src.line_col(o).line).collect();
        assert_eq!(lines, [1, 2, 3, 4]);
    }

    #[test]
    fn hidden_characters_are_escaped() {
        assert_eq!(
            escape_hidden("a\u{1b}[31m\u{7}\0\u{9b}\tb\u{202e}c\r\nd", false),
            "a\\u{1b}[31m\\u{7}\\u{0}\\u{9b}\tb\\u{202e}c\\u{d}\\u{a}d"
        );
        assert_eq!(escape_hidden("one\ntwo\r", true), "one\ntwo\\u{d}");
        assert!(matches!(
            escape_hidden("plain é\t", false),
            Cow::Borrowed(_)
        ));
        for c in [
            '\u{1b}', '\0', '\u{7f}', '\u{85}', '\u{2066}', '\u{2029}', '\t', 'x',
        ] {
            let mut shown = String::new();
            push_shown(&mut shown, c);
            let width = if c == '\t' { 4 } else { shown.chars().count() };
            assert_eq!(shown_width(c), width, "{c:?}");
        }
    }

    #[test]
    fn columns_count_characters_and_skip_a_bom() {
        let src = Source::new("t", "\u{FEFF}ab\r\n\tx é y\n").expect("small");
        assert_eq!(src.line_col(3), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(4), LineCol { line: 1, column: 2 });
        // line 2 starts after "\r\n" at byte 7; the tab is one column.
        assert_eq!(src.line_col(8), LineCol { line: 2, column: 2 });
        // "é" is two bytes, one column.
        let y = src.text().find('y').expect("present");
        assert_eq!(src.line_col(y), LineCol { line: 2, column: 6 });
    }
}
