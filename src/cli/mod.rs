//! The command line: the only part of wfl that reads files, writes to the terminal and picks exit
//! codes. One file per subcommand.

mod args;
mod bug;
mod check;
mod completions;
mod config;
mod coverage;
mod explain;
mod explore;
mod explore_machine;
mod explore_watch;
mod files;
mod fmt;
mod graph;
mod junit;
mod lsp;
mod output;
mod parallel;
mod pick;
mod simulate;
mod simulate_machine;
mod test;

use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;

/// Exit status: no findings.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status: findings (errors, or warnings under `--deny warnings`).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: a usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// Exit status: a bug in wfl (a panic), reported as one.
pub use bug::EXIT_BUG;

/// Runs wfl with the process's arguments. A panic (a bug in wfl) ends the process with one line
/// saying so on standard error and status [`EXIT_BUG`].
pub fn main() -> ExitCode {
    bug::install_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout, usage errors to stderr.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_CLEAN
            });
        }
    };
    ExitCode::from(match cli.command {
        args::Command::Check(args) => check::run(&args),
        args::Command::Explain(args) => explain::run(&args),
        args::Command::Explore(args) => explore::run(&args),
        args::Command::Graph(args) => graph::run(&args),
        args::Command::Fmt(args) => fmt::run(&args),
        args::Command::Test(args) => test::run(&args),
        args::Command::Simulate(args) => simulate::run(&args),
        args::Command::Completions(args) => completions::completions(args.shell),
        args::Command::Man => completions::man(),
        args::Command::Lsp => lsp::run(),
        args::Command::DebugPanic(args) => bug::debug_panic(&args),
    })
}
