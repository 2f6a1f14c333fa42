//! `wfl explain CODE`: the long explanation of a diagnostic code.

use std::io::{self, Write};

use super::args::ExplainArgs;
use super::output;
use super::{EXIT_CLEAN, EXIT_USAGE};
use crate::diagnostic::{Code, suggest};

pub fn run(args: &ExplainArgs) -> u8 {
    let mut out = io::stdout().lock();
    let written = match &args.code {
        None => list(&mut out),
        Some(text) => match Code::lookup(text) {
            Some(code) => match code.explanation() {
                Some(page) => writeln!(out, "{page}"),
                None => {
                    output::error(&format!(
                        "{} has no explanation yet (a bug in wfl)",
                        code.as_str()
                    ));
                    return EXIT_USAGE;
                }
            },
            None => {
                let names = Code::ALL.iter().flat_map(|c| [c.as_str(), c.name()]);
                let hint = suggest::did_you_mean(text, names)
                    .map(|close| format!("; did you mean `{close}`?"))
                    .unwrap_or_default();
                output::error_with_help(
                    &format!("`{text}` is not a diagnostic code{hint}"),
                    "run `wfl explain` to list them",
                );
                return EXIT_USAGE;
            }
        },
    };
    match written {
        Err(err) if !output::is_closed_pipe(&err) => {
            output::error(&format!("cannot write the explanation: {err}"));
            EXIT_USAGE
        }
        _ => EXIT_CLEAN,
    }
}

fn list(out: &mut impl Write) -> io::Result<()> {
    for code in Code::ALL {
        writeln!(
            out,
            "{}  {:<8} {:<30} {}",
            code.as_str(),
            code.severity().as_str(),
            code.name(),
            code.summary()
        )?;
    }
    writeln!(
        out,
        "\nRun `wfl explain CODE` for the full explanation of one code."
    )
}
