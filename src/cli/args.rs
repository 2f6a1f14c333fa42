//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Check workflow and state-machine specifications (`.wfl` files).
#[derive(Debug, Parser)]
#[command(
    name = "wfl",
    version,
    about,
    long_about = "Check workflow and state-machine specifications.\n\n\
                  A `.wfl` file describes workflows (tasks joined by normal and error links), state \
                  machines (states, events, guards, child instances) and scenarios (runs with \
                  expectations). `wfl check` reports every mistake it can find without running them.",
    after_help = "Examples:\n  \
                  wfl check examples/                 check every .wfl file under a directory\n  \
                  wfl check spec.wfl --deny warnings  fail on warnings too (for CI)\n  \
                  wfl check - < spec.wfl              read the spec from stdin\n  \
                  wfl explain W0200                   what a diagnostic code means and how to fix it\n\n\
                  Exit status: 0 clean, 1 findings, 2 usage or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse, resolve and check files; report every finding
    #[command(
        after_help = "Exit status: 0 when no file has an error (and, with `--deny warnings`, no \
                            warning); 1 otherwise; 2 when a path cannot be read or the command line is wrong."
    )]
    Check(CheckArgs),
    /// Explain a diagnostic code (`E0101`) or name (`unknown_name`); list all codes without one
    Explain(ExplainArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check; directories are searched for `*.wfl` files, `-` reads
    /// standard input
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format: `human` (rustc-style) or `json` (schema in specs/cli.md)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Treat warnings as errors: `--deny warnings`
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Vec<Deny>,

    /// When to color the output; `auto` colors a terminal unless NO_COLOR is set
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The code (`W0200`) or rule name (`unreachable_state`); omit to list every code
    pub code: Option<String>,
}
