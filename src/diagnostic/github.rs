//! Findings as GitHub Actions workflow commands (`::error file=…,line=…::message`), which the
//! runner turns into annotations on the files of a pull request.

use super::render::{line_text, note_text};
use super::{Diagnostic, Severity};
use crate::source::{LineCol, Source};

/// One workflow command for `diagnostic`:
/// `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=E0101 unknown_name::message`.
///
/// `file` is the path as GitHub should see it (relative to the repository root); without one (a
/// spec read from standard input) the command has no position at all. Lines and columns are
/// 1-based, columns in Unicode scalar values, `endColumn` inclusive (the last character); columns
/// are left out when the span covers several lines, which annotations do not support. The message
/// is the finding's message, then its notes and help, one a line. Text from the file is shown as
/// in the other formats (hidden characters escaped, [`line_text`]), then escaped as a command's
/// data and properties require, so the command is one line that no text can end early.
pub fn annotation(file: Option<&str>, source: &Source, diagnostic: &Diagnostic) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties = Vec::new();
    if let Some(file) = file {
        let span = diagnostic.primary.span;
        let start = source.line_col(span.start as usize);
        let last = last_char(source, span.start as usize, span.end as usize);
        properties.push(format!("file={}", escape_property(&line_text(file))));
        properties.push(format!("line={}", start.line));
        if start.line == last.line {
            properties.push(format!("col={}", start.column));
            properties.push(format!("endLine={}", last.line));
            properties.push(format!("endColumn={}", last.column.max(start.column)));
        } else {
            properties.push(format!("endLine={}", last.line));
        }
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!(
            "{} {}",
            diagnostic.code.as_str(),
            diagnostic.code.name()
        ))
    ));
    let mut message = line_text(&diagnostic.message).into_owned();
    for note in &diagnostic.notes {
        message.push_str("\nnote: ");
        message.push_str(&note_text(note));
    }
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(&line_text(help));
    }
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// The position of the last character of `start..end` (of `start` when the span is empty).
fn last_char(source: &Source, start: usize, end: usize) -> LineCol {
    if end <= start {
        return source.line_col(start);
    }
    let last = source
        .text()
        .get(start..end)
        .and_then(|covered| covered.char_indices().last())
        .map_or(start, |(i, _)| start + i);
    source.line_col(last)
}

/// A command's message: `%`, CR and LF escaped, as the Actions toolkit does.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as [`escape_data`], and `:` and `,`, which separate properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::Span;

    #[test]
    fn escapes_as_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn no_text_from_a_file_ends_the_command() {
        let source = Source::new("s.wfl", "task a\n").expect("small");
        let d = Diagnostic::new(
            Code::E0101,
            "unknown task `a\n::error::forged\u{1b}[31m`",
            Span::new(0, 4),
            "here",
        )
        .with_note("`x\r\n::warning::y` and\n  a second line")
        .with_help("did you mean `b\n::notice::z`?");
        let line = annotation(Some("dir/\u{1b}]0;t\u{7}:x,y.wfl"), &source, &d);
        assert_eq!(
            line,
            "::error file=dir/\\u{1b}]0;t\\u{7}%3Ax%2Cy.wfl,line=1,col=1,endLine=1,endColumn=4,\
             title=E0101 unknown_name::unknown task `a\\u{a}::error::forged\\u{1b}[31m`\
             %0Anote: `x\\u{d}\\u{a}::warning::y` and%0A  a second line\
             %0Ahelp: did you mean `b\\u{a}::notice::z`?"
        );
        assert_eq!(line.lines().count(), 1);
        assert!(!line.chars().any(crate::source::is_hidden));
    }

    #[test]
    fn one_command_per_finding() {
        let source = Source::new("s.wfl", "workflow w {\n  task a\n  a -> é\n}\n").expect("small");
        let at = source.text().find('é').expect("present");
        let d = Diagnostic::new(
            Code::E0101,
            "unknown task `é`, 100%",
            Span::new(at, at + 'é'.len_utf8()),
            "not a task",
        )
        .with_help("did you mean `a`?");
        assert_eq!(
            annotation(Some("dir/s,1.wfl"), &source, &d),
            "::error file=dir/s%2C1.wfl,line=3,col=8,endLine=3,endColumn=8,\
             title=E0101 unknown_name::unknown task `é`, 100%25%0Ahelp: did you mean `a`?"
        );
        let whole = Diagnostic::new(Code::W0300, "m", Span::new(0, source.text().len() - 1), "l");
        assert_eq!(
            annotation(Some("s.wfl"), &source, &whole),
            "::warning file=s.wfl,line=1,endLine=4,title=W0300 scenario_without_expect::m"
        );
        assert_eq!(
            annotation(None, &source, &whole),
            "::warning title=W0300 scenario_without_expect::m"
        );
    }
}
