//! The formatter's tokens: the lexical rules of the pre-scan (`syntax::scan`) and the grammar,
//! with what the parser never sees kept as tokens of their own: comments, line breaks and `;`.
//!
//! The formatter only lexes a file that parsed without errors, so every token here is one the
//! grammar accepted; the lexer still never fails (an unknown character is a token of one
//! character), because the file is checked again after formatting.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A name or keyword, with the dots and `[N]` indices of a path written without spaces
    /// (`FAILED.PREPARE`, `members[0].kind`): the grammar reads those as one token.
    Word,
    /// An integer or a decimal, with its sign when the `-` belongs to the number.
    Number,
    /// A string, quotes and escapes as written.
    Str,
    /// An operator or a bracket.
    Punct,
    /// `;`: a statement separator.
    Semi,
    /// A line break (LF, CRLF or a lone CR).
    Newline,
    /// `// …` to the end of the line (doc comments and suppressions included).
    LineComment,
    /// `/* … */`.
    BlockComment,
    /// A character the grammar has no token for.
    Other,
}

/// One token: its kind and its byte range in the text.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn is_comment(&self) -> bool {
        matches!(self.kind, Kind::LineComment | Kind::BlockComment)
    }
}

/// Words after which a `-` written against a digit is the number's sign, not a subtraction: in
/// those places no operand can come before it (`int -5..5`, `stop at -1`, `when -1 < x`).
const BEFORE_A_SIGN: [&str; 9] = [
    "int", "at", "expect", "when", "in", "and", "or", "not", "where",
];

/// The tokens of `text`, in order. A leading byte-order mark is no token.
pub fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut i = if text.starts_with('\u{FEFF}') {
        '\u{FEFF}'.len_utf8()
    } else {
        0
    };
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        let (kind, end) = match b {
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'\n' => (Kind::Newline, i + 1),
            b'\r' if next == Some(b'\n') => (Kind::Newline, i + 2),
            b'\r' => (Kind::Newline, i + 1),
            b'/' if next == Some(b'/') => (Kind::LineComment, line_end(bytes, i)),
            b'/' if next == Some(b'*') => (Kind::BlockComment, block_comment_end(bytes, i)),
            b'"' => (Kind::Str, string_end(bytes, i)),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => (Kind::Word, word_end(text, i)),
            b'0'..=b'9' => (Kind::Number, number_end(bytes, i)),
            b'-' if next.is_some_and(|n| n.is_ascii_digit()) && sign_allowed(text, &out) => {
                (Kind::Number, number_end(bytes, i + 1))
            }
            b';' => (Kind::Semi, i + 1),
            _ => match bytes.get(i..i + 2) {
                Some(b"->" | b"==" | b"!=" | b"<=" | b">=" | b"..") => (Kind::Punct, i + 2),
                _ if b"<>+-*=:,()[]{}".contains(&b) => (Kind::Punct, i + 1),
                _ => {
                    let len = text
                        .get(i..)
                        .and_then(|r| r.chars().next())
                        .map_or(1, char::len_utf8);
                    (Kind::Other, i + len)
                }
            },
        };
        out.push(Token {
            kind,
            start: i,
            end,
        });
        i = end;
    }
    out
}

/// Whether a `-` against a digit, after the tokens so far, is a sign: no operand ends just before it.
fn sign_allowed(text: &str, before: &[Token]) -> bool {
    let Some(last) = before.iter().rev().find(|t| !t.is_comment()) else {
        return true;
    };
    let last_text = text.get(last.start..last.end).unwrap_or("");
    match last.kind {
        Kind::Number | Kind::Str => false,
        Kind::Word => BEFORE_A_SIGN.contains(&last_text),
        Kind::Punct => !matches!(last_text, ")" | "]"),
        _ => true,
    }
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
        .map_or(bytes.len(), |n| from + n)
}

fn block_comment_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from + 2..)
        .and_then(|rest| rest.windows(2).position(|w| w == b"*/"))
        .map_or(bytes.len(), |n| from + 2 + n + 2)
}

/// The end of the string opening at `from`: its closing quote, or the end of its line.
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut j = from + 1;
    while let Some(&b) = bytes.get(j) {
        match b {
            b'"' => return j + 1,
            b'\n' | b'\r' => return j,
            b'\\' if !matches!(bytes.get(j + 1), Some(b'\n' | b'\r') | None) => j += 2,
            _ => j += 1,
        }
    }
    bytes.len()
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn ident_end(bytes: &[u8], from: usize) -> usize {
    let mut j = from;
    while bytes.get(j).is_some_and(|&b| is_ident_char(b)) {
        j += 1;
    }
    j
}

/// The end of the word at `from`, with the `.name` and `[N]` parts a path or a dotted state name
/// has against it (`in[0]`, where `in` is the keyword, stays two tokens).
fn word_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut j = ident_end(bytes, from);
    loop {
        match bytes.get(j) {
            Some(b'.') if bytes.get(j + 1).is_some_and(|&b| is_ident_start(b)) => {
                j = ident_end(bytes, j + 1);
            }
            Some(b'[') if text.get(from..j) != Some("in") => {
                let digits = bytes
                    .get(j + 1..)
                    .map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count());
                if digits == 0 || bytes.get(j + 1 + digits) != Some(&b']') {
                    return j;
                }
                j += digits + 2;
            }
            _ => return j,
        }
    }
}

/// The end of the digits (and decimal part) starting at `from`.
fn number_end(bytes: &[u8], from: usize) -> usize {
    let digits = |at: usize| {
        bytes
            .get(at..)
            .map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count())
    };
    let mut j = from + digits(from);
    if bytes.get(j) == Some(&b'.') && digits(j + 1) > 0 {
        j += 1 + digits(j + 1);
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text)
            .iter()
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn paths_dotted_names_and_signs_are_single_tokens() {
        use Kind::*;
        assert_eq!(
            kinds("expect members[0].kind == A.B // c\r\n"),
            [
                (Word, "expect"),
                (Word, "members[0].kind"),
                (Punct, "=="),
                (Word, "A.B"),
                (LineComment, "// c"),
                (Newline, "\r\n")
            ]
        );
        assert_eq!(
            kinds("var x: int -5..-1 = x -1"),
            [
                (Word, "var"),
                (Word, "x"),
                (Punct, ":"),
                (Word, "int"),
                (Number, "-5"),
                (Punct, ".."),
                (Number, "-1"),
                (Punct, "="),
                (Word, "x"),
                (Punct, "-"),
                (Number, "1")
            ]
        );
        assert_eq!(
            kinds(r#"x in[1] "a\"b" /* c */;"#),
            [
                (Word, "x"),
                (Word, "in"),
                (Punct, "["),
                (Number, "1"),
                (Punct, "]"),
                (Str, r#""a\"b""#),
                (BlockComment, "/* c */"),
                (Semi, ";")
            ]
        );
    }
}
