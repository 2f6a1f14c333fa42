//! Writing to standard output and error without panicking: a closed pipe (`wfl check | head`)
//! ends the output quietly.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use super::args::ColorWhen;

/// Standard output, colored or not.
pub fn stdout(color: ColorWhen) -> StandardStream {
    let choice = match color {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            if io::stdout().is_terminal() && !no_color {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            }
        }
    };
    StandardStream::stdout(choice)
}

/// Whether an error only means the reader went away.
pub fn is_closed_pipe(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::BrokenPipe
}

/// `error: …` on standard error, for usage and I/O problems: one line, whatever names from the
/// files or the command line it quotes ([`escape_controls`]).
pub fn error(message: &str) {
    let _ = writeln!(io::stderr(), "error: {}", escape_controls(message));
}

/// [`error`], then a second line, indented under the message, that says what to do.
pub fn error_with_help(message: &str, help: &str) {
    let _ = writeln!(
        io::stderr(),
        "error: {}\n       {}",
        escape_controls(message),
        escape_controls(help)
    );
}

/// `warning: …` on standard error, for something the user should know that is not an error.
pub fn warning(message: &str) {
    let _ = writeln!(io::stderr(), "warning: {}", escape_controls(message));
}

/// `text` with its control characters (line breaks, ESC, BEL, NUL…) written as Rust escapes
/// (`\n`, `\u{1b}`), so that a file name or a message cannot move the cursor, recolor or retitle
/// the terminal, or forge a line of a CI log.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            escaped.extend(c.escape_debug());
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_controls("plain `név`"), "plain `név`");
        assert_eq!(
            escape_controls("a\u{1b}[31mRED\u{7}\0\nx\u{9b}"),
            "a\\u{1b}[31mRED\\u{7}\\0\\nx\\u{9b}"
        );
    }
}
