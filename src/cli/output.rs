//! Writing to standard output and error without panicking: a closed pipe (`wfl check | head`)
//! ends the output quietly; and without passing on a hidden character.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};

use codespan_reporting::term::termcolor::{ColorChoice, ColorSpec, StandardStream, WriteColor};

use super::args::ColorWhen;
use crate::diagnostic::render::note_text;
use crate::source::{is_hidden, push_shown};

/// Standard output as every command writes it.
pub type Stdout = Inert<StandardStream>;

/// Standard output, colored or not, that passes on no hidden character ([`Inert`]).
pub fn stdout(color: ColorWhen) -> Stdout {
    let choice = match color {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => {
            if auto_colours(io::stdout().is_terminal(), |name| std::env::var_os(name)) {
                ColorChoice::Always
            } else {
                ColorChoice::Never
            }
        }
    };
    Inert::new(StandardStream::stdout(choice))
}

/// Whether `--color auto` colours, by the conventions of no-color.org and of `CLICOLOR`:
/// `CLICOLOR_FORCE` set to anything but `0` colours whatever standard output is; otherwise a
/// terminal is coloured unless `NO_COLOR` is set to something (an empty value does not count),
/// `CLICOLOR` is `0`, or `TERM` is `dumb`.
fn auto_colours(terminal: bool, var: impl Fn(&str) -> Option<OsString>) -> bool {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    terminal
        && set("NO_COLOR").is_none()
        && set("CLICOLOR").is_none_or(|v| v != "0")
        && var("TERM").is_none_or(|v| v != "dumb")
}

/// A writer that shows every hidden character written to it escaped (`\u{1b}`,
/// [`crate::source::is_hidden`]), line breaks but, while colours set through [`WriteColor`] pass
/// as they are. The renderers escape the text they take from a file themselves (so that carets
/// stay under it); this is the net under everything a command prints, whatever its source.
pub struct Inert<W: Write> {
    inner: W,
    /// The start of a character split between two writes.
    pending: Vec<u8>,
}

impl<W: Write> Inert<W> {
    pub fn new(inner: W) -> Inert<W> {
        Inert {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for Inert<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let bytes: Vec<u8>;
        let mut rest: &[u8] = if self.pending.is_empty() {
            buf
        } else {
            bytes = [std::mem::take(&mut self.pending).as_slice(), buf].concat();
            &bytes
        };
        let mut shown = String::new();
        while !rest.is_empty() {
            let (valid, after) = match std::str::from_utf8(rest) {
                Ok(text) => (text, &[][..]),
                Err(err) => {
                    let (good, bad) = rest.split_at(err.valid_up_to());
                    // Only valid UTF-8 is split off, so this cannot fail.
                    let good = std::str::from_utf8(good).unwrap_or_default();
                    match err.error_len() {
                        // A character cut short: the next write has its end.
                        None => {
                            self.pending = bad.to_vec();
                            (good, &[][..])
                        }
                        Some(len) => {
                            shown.push_str(good);
                            shown.push(char::REPLACEMENT_CHARACTER);
                            rest = bad.get(len..).unwrap_or_default();
                            continue;
                        }
                    }
                }
            };
            for c in valid.chars() {
                if c != '\n' && is_hidden(c) {
                    push_shown(&mut shown, c);
                } else {
                    shown.push(c);
                }
            }
            rest = after;
        }
        self.inner.write_all(shown.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for Inert<W> {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let _ = self.inner.write_all("\u{FFFD}".as_bytes());
            let _ = self.inner.flush();
        }
    }
}

impl<W: WriteColor> WriteColor for Inert<W> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> io::Result<()> {
        self.inner.reset()
    }

    fn is_synchronous(&self) -> bool {
        self.inner.is_synchronous()
    }
}

/// Whether an error only means the reader went away.
pub fn is_closed_pipe(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::BrokenPipe
}

/// What writing part of a report gave: an error closes the report (nothing more is written);
/// one other than a closed pipe is also reported, and sets `failed` (exit status 2).
pub fn written(result: io::Result<()>, closed: &mut bool, failed: &mut bool) {
    if let Err(err) = result {
        *closed = true;
        if !is_closed_pipe(&err) {
            error(&format!("cannot write the report: {err}"));
            *failed = true;
        }
    }
}

/// `error: …` on standard error, for usage and I/O problems. Hidden characters (of a file
/// name) are escaped as in a finding's notes: the message's own line breaks are kept, not one
/// inside a quoted name or before a line a CI runner would read as a command.
pub fn error(message: &str) {
    let _ = writeln!(io::stderr(), "error: {}", note_text(message));
}

/// [`error`], then a second line, indented under the message, that says what to do.
pub fn error_with_help(message: &str, help: &str) {
    let _ = writeln!(
        io::stderr(),
        "error: {}\n       {}",
        note_text(message),
        note_text(help)
    );
}

/// `warning: …` on standard error, for something the user should know that is not an error.
pub fn warning(message: &str) {
    let _ = writeln!(io::stderr(), "warning: {}", note_text(message));
}

#[cfg(test)]
mod tests {
    use super::*;

    type Environment = &'static [(&'static str, &'static str)];

    #[test]
    fn colours_follow_no_color_and_clicolor() {
        let with = |vars: Environment| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        // (terminal, environment, colours)
        let cases: &[(bool, Environment, bool)] = &[
            (true, &[], true),
            (false, &[], false),
            (true, &[("NO_COLOR", "1")], false),
            (true, &[("NO_COLOR", "")], true),
            (true, &[("TERM", "dumb")], false),
            (true, &[("CLICOLOR", "0")], false),
            (false, &[("CLICOLOR_FORCE", "1")], true),
            (false, &[("CLICOLOR_FORCE", "0")], false),
            (false, &[("CLICOLOR_FORCE", "")], false),
            (true, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], true),
        ];
        for &(terminal, vars, colours) in cases {
            assert_eq!(
                auto_colours(terminal, with(vars)),
                colours,
                "{terminal} {vars:?}"
            );
        }
    }

    #[test]
    fn hidden_characters_written_are_shown_escaped() {
        let mut out = Inert::new(Vec::new());
        let text = "a\u{1b}[31m\u{9b}b\n\tc\u{202e}é".as_bytes();
        // Written a byte at a time, characters split between writes are kept whole.
        for byte in text {
            out.write_all(std::slice::from_ref(byte))
                .expect("a Vec takes it");
        }
        out.write_all(&[0xff, b'z']).expect("a Vec takes it");
        assert_eq!(
            String::from_utf8_lossy(&out.inner),
            "a\\u{1b}[31m\\u{9b}b\n\tc\\u{202e}é\u{FFFD}z"
        );
    }
}
