//! Writing to standard output and error without panicking: a closed pipe (`wfl check | head`)
//! ends the output quietly.

use std::io::{self, IsTerminal, Write};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use super::args::ColorWhen;
use crate::source::escape_hidden;

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

/// `wfl: error: …` on standard error, for usage and I/O problems; one line, hidden characters
/// (of a file name) escaped, as everywhere text from the outside is printed.
pub fn error(message: &str) {
    let _ = writeln!(io::stderr(), "error: {}", escape_hidden(message, false));
}

/// `warning: …` on standard error, for something the user should know that is not an error.
pub fn warning(message: &str) {
    let _ = writeln!(io::stderr(), "warning: {}", escape_hidden(message, false));
}
