//! `wfl completions SHELL` and `wfl man`: what a user's setup needs, made from the same clap
//! definition as the command line, so that they never fall behind it.

use std::io::Write;

use clap::CommandFactory;

use super::args::Cli;
use super::{EXIT_CLEAN, EXIT_USAGE, output};

/// The completion script of `shell` (bash, elvish, fish, powershell, zsh).
pub fn completions(shell: clap_complete::Shell) -> u8 {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "wfl", &mut script);
    print(&script)
}

/// The man page, in roff: `wfl(1)`, with every subcommand and its options.
pub fn man() -> u8 {
    let command = Cli::command();
    let mut page = Vec::new();
    let rendered = clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .and_then(|()| subcommands(&command, &mut page));
    match rendered {
        Ok(()) => print(&page),
        Err(err) => {
            output::error(&format!("cannot make the man page: {err}"));
            EXIT_USAGE
        }
    }
}

/// A section per subcommand (its synopsis, description and options), after the page's own.
fn subcommands(command: &clap::Command, page: &mut Vec<u8>) -> std::io::Result<()> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("wfl {}", sub.get_name());
        writeln!(page, ".SH \"{}\"", name.to_uppercase())?;
        let sub = sub.clone().bin_name(name);
        let man = clap_mangen::Man::new(sub);
        man.render_synopsis_section(page)?;
        man.render_description_section(page)?;
        man.render_options_section(page)?;
    }
    Ok(())
}

/// Writes `bytes` to standard output; a closed pipe ends it quietly.
fn print(bytes: &[u8]) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(err) if !output::is_closed_pipe(&err) => {
            output::error(&format!("cannot write: {err}"));
            EXIT_USAGE
        }
        _ => EXIT_CLEAN,
    }
}
