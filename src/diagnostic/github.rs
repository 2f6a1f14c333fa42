//! Findings as GitHub Actions workflow commands (`::error file=…,line=…::message`), which the
//! runner turns into annotations on the files of a pull request.

use super::{Diagnostic, Severity};
use crate::source::{LineCol, Source};

/// One workflow command for `diagnostic`:
/// `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=E0101 unknown_name::message`.
///
/// `file` is the path as GitHub should see it (relative to the repository root); without one (a
/// spec read from standard input) the command has no position at all. Lines and columns are
/// 1-based, columns in Unicode scalar values, `endColumn` inclusive (the last character); columns
/// are left out when the span covers several lines, which annotations do not support. The message
/// is the finding's message, then its notes and help, one a line.
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
        properties.push(format!("file={}", escape_property(file)));
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
    let mut message = diagnostic.message.clone();
    for note in &diagnostic.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
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
