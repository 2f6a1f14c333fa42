//! Protocol positions (line, character) and byte offsets, in the encoding negotiated with the
//! editor: a character counts one UTF-8 byte, one UTF-16 code unit or one code point each.

use lsp_types::{Position, PositionEncodingKind, Range};

use crate::source::{Source, Span};

/// How the editor counts the characters of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The encoding to use among those the client offers (`general.positionEncodings`): UTF-8
    /// when offered (the text's own, no conversion), else UTF-32, else UTF-16, which every client
    /// supports and is the protocol's default.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or(&[]);
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// How many units `c` takes.
    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// The position of byte `offset` of `source` (clamped to the text, and back to a character
/// boundary).
pub fn position(source: &Source, encoding: Encoding, offset: usize) -> Position {
    let text = source.text();
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let line = source.line_index(offset);
    let start = source.line_range(line).map_or(0, |r| r.start);
    let prefix = text.get(start..offset).unwrap_or("");
    let character = match encoding {
        Encoding::Utf8 => prefix.len() as u32,
        _ => prefix.chars().map(|c| encoding.width(c)).sum(),
    };
    Position::new(u32::try_from(line).unwrap_or(u32::MAX), character)
}

/// The range of `span`.
pub fn range(source: &Source, encoding: Encoding, span: Span) -> Range {
    Range::new(
        position(source, encoding, span.start as usize),
        position(source, encoding, span.end as usize),
    )
}

/// The byte offset of `position`: a line past the end is the end of the text, a character past
/// the end of its line is the line's end (before its line break), and a position inside a
/// character (half of a UTF-16 pair, a byte inside a UTF-8 sequence) is that character's start.
pub fn offset(source: &Source, encoding: Encoding, position: Position) -> usize {
    let text = source.text();
    let Some(line) = source.line_range(position.line as usize) else {
        return text.len();
    };
    let content = text.get(line.clone()).unwrap_or("");
    let content = content.trim_end_matches(['\n', '\r']);
    let mut units = 0;
    for (i, c) in content.char_indices() {
        let width = encoding.width(c);
        if units + width > position.character {
            return line.start + i;
        }
        units += width;
    }
    line.start + content.len()
}

/// The span of `range`.
pub fn span(source: &Source, encoding: Encoding, range: Range) -> Span {
    Span::new(
        offset(source, encoding, range.start),
        offset(source, encoding, range.end),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "é" is 2 UTF-8 bytes and 1 UTF-16 unit; "𝒳" 4 bytes and 2 units; both one code point.
    #[test]
    fn positions_count_in_the_negotiated_encoding() {
        let source = Source::new("t", "// é\r\ntask 𝒳, b\n").expect("small");
        let b = source.text().find(", b").expect("present") + 2;
        for (encoding, character) in [
            (Encoding::Utf8, 11),
            (Encoding::Utf16, 9),
            (Encoding::Utf32, 8),
        ] {
            let p = position(&source, encoding, b);
            assert_eq!(p, Position::new(1, character), "{encoding:?}");
            assert_eq!(offset(&source, encoding, p), b, "{encoding:?}");
        }
        // Past the end of a line: its end, before the CRLF.
        assert_eq!(
            offset(&source, Encoding::Utf16, Position::new(0, 99)),
            "// é".len()
        );
        // Inside the surrogate pair of 𝒳: its start.
        let x = source.text().find('𝒳').expect("present");
        assert_eq!(offset(&source, Encoding::Utf16, Position::new(1, 6)), x);
        assert_eq!(
            offset(&source, Encoding::Utf8, Position::new(9, 0)),
            source.text().len()
        );
    }

    #[test]
    fn the_encoding_is_utf8_when_offered() {
        use PositionEncodingKind as K;
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF16, K::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(Encoding::negotiate(Some(&[K::UTF32])), Encoding::Utf32);
    }
}
