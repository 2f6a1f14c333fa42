//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::analysis::machine::Limits;

/// Check and simulate workflow and state-machine specifications (`.wfl` files).
#[derive(Debug, Parser)]
#[command(
    name = "wfl",
    version,
    about,
    long_about = "Check and simulate workflow and state-machine specifications.\n\n\
                  A `.wfl` file describes workflows (tasks joined by normal and error links), state \
                  machines (states, events, guards, child instances) and scenarios (runs with \
                  expectations). `wfl check` reports every mistake it can find without running them; `wfl test` \
                  runs the scenarios; `wfl simulate` shows a run step by step.",
    after_help = "Examples:\n  \
                  wfl check examples/                 check every .wfl file under a directory\n  \
                  wfl check spec.wfl --deny warnings  fail on warnings too (for CI)\n  \
                  wfl check . --format sarif          a SARIF log for GitHub code scanning\n  \
                  wfl check - < spec.wfl              read the spec from stdin\n  \
                  wfl test examples/                  run every scenario\n  \
                  wfl simulate spec.wfl --fail load   one run, with `load` failing\n  \
                  wfl explain W0200                   what a diagnostic code means and how to fix it\n\n\
                  Exit status: 0 clean, 1 findings, 2 usage or I/O error, 101 a bug in wfl."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse, resolve and check files; report every finding
    #[command(after_help = "Examples:\n  \
                            wfl check specs/                              rustc-style report\n  \
                            wfl check specs/ --format github              annotations in a GitHub Actions log\n  \
                            wfl check specs/ --format sarif > wfl.sarif   for GitHub code scanning\n  \
                            wfl check specs/ --min-severity error         errors only\n  \
                            wfl check specs/ --max-states 1000000         explore machines further\n\n\
                            Notes (N0408, N0417) say what the analysis could not cover; they fail a check only when `wfl.toml` denies them.\n\n\
                            Lint levels: a `wfl.toml` in the file's directory or the nearest one above it \
                            (for `-`, the current directory's) sets warnings and notes to \"allow\", \"warn\" or \"deny\":\n  \
                            [lints]\n  \
                            W0201 = \"allow\"\n  \
                            unused_variable = \"deny\"\n\n\
                            Suppressions: a comment line just above a declaration allows those warnings (or notes) in it \
                            (above a workflow, machine or scenario: in the whole item); a reason is required:\n  \
                            // wfl: allow(W0201, unused_variable) the state is left by an operator\n\n\
                            Exit status: 0 when no file has an error (and, with `--deny warnings`, no \
                            warning); 1 otherwise; 2 when a path or a `wfl.toml` cannot be read or used, or \
                            the command line is wrong.")]
    Check(CheckArgs),
    /// Run every scenario and report which expectations fail
    #[command(
        after_help = "Each scenario runs; every `expect` that does not hold is an E0500 finding on its \
                            line, with the actual values and the part of the run that decided them. The last \
                            line is `N passed, N failed`, then what was not tested (files without scenarios, \
                            scenarios filtered out).\n\n\
                            Examples:\n  \
                            wfl test specs/                             every scenario\n  \
                            wfl test specs/ --filter \"extract\"         the scenarios whose name has `extract`\n  \
                            wfl test specs/ --format junit > wfl.xml    a JUnit report for a CI test tab\n  \
                            wfl test specs/ --format github             annotations on the failing `expect` lines\n\n\
                            Exit status: 0 when every scenario passes and no file has an error; 1 when one \
                            fails, a file has an error, or no scenario ran at all; 2 when a path cannot be read."
    )]
    Test(TestArgs),
    /// Run a workflow or a machine and print what happened (workflows also many times, at random)
    #[command(after_help = "Examples:\n  \
                            wfl simulate pipeline.wfl                       one run, every task succeeding\n  \
                            wfl simulate pipeline.wfl --set rows=10 --fail extract\n  \
                            wfl simulate pipeline.wfl --scenario \"extract failure\"\n  \
                            wfl simulate pipeline.wfl --runs 10000 --seed 7  failures drawn from failure_rate\n  \
                            wfl simulate crew.wfl --machine crew --spawn workers=3 --events \"go, finish to workers[0]\"\n  \
                            wfl simulate crew.wfl --machine crew --spawn workers=2 --interactive\n\n\
                            Exit status: 0 after a run; 1 when the file has errors (nothing runs) or a run \
                            error stops a machine run; 2 for a \
                            usage error (an unknown variable, task or scenario, a value outside a type).")]
    Simulate(Box<SimulateArgs>),
    /// Show every end state each task, link or machine state can reach, with a run for each
    #[command(
        after_help = "For a workflow: every combination of task outcomes and variable values, \
                            analysed without running them one by one; for a machine: every \
                            configuration reachable by events from every actor to every instance.\n\n\
                            Each reachable state comes with a witness: the inputs of a run that reaches it.\n\n\
                            Exit status: 0; 1 when the file has errors; 2 for a usage error."
    )]
    Explore(ExploreArgs),
    /// Draw a workflow or a machine (Mermaid, DOT or SVG), with what `check` found or a run on it
    #[command(after_help = "Examples:\n  \
                            wfl graph pipeline.wfl --format svg > pipeline.svg     no other program needed\n  \
                            wfl graph pipeline.wfl --format dot | dot -Tpng > pipeline.png\n  \
                            wfl graph pipeline.wfl --format mermaid                for a ```mermaid block on GitHub\n  \
                            wfl graph pipeline.wfl --findings                      what `wfl check` found, drawn\n  \
                            wfl graph pipeline.wfl --scenario \"extract failure\"   each task and link by its end state\n  \
                            wfl graph pipeline.wfl --coverage                      what all the scenarios exercised\n\n\
                            Exit status: 0 after drawing; 1 when the file has errors (nothing is drawn); 2 for a \
                            usage or I/O error.")]
    Graph(GraphArgs),
    /// Write files in the canonical layout; `--check` lists those that would change
    #[command(after_help = "Examples:\n  \
                            wfl fmt .                  format every .wfl file below the current directory\n  \
                            wfl fmt --check .          list the files that are not formatted (for CI)\n  \
                            wfl fmt --diff spec.wfl    show what would change\n  \
                            wfl fmt - < spec.wfl       format standard input to standard output\n\n\
                            The layout is described in specs/format.md. Comments and blank lines (at most \
                            one in a row) are kept; a file with syntax errors is left as it is. `wfl.toml`'s \
                            `[fmt] exclude` globs name files a directory does not give to `wfl fmt`.\n\n\
                            Exit status: 0 when every file is formatted (or was written); 1 when a file has \
                            syntax errors, or with `--check` / `--diff` when one would change; 2 when a path \
                            cannot be read or written.")]
    Fmt(FmtArgs),
    /// Explain a diagnostic code (`E0101`) or name (`unknown_name`); list all codes without one
    Explain(ExplainArgs),
    /// Print a shell's completion script (`wfl completions bash > /etc/bash_completion.d/wfl`)
    Completions(CompletionsArgs),
    /// Print wfl's man page, in roff (`wfl man > wfl.1; man ./wfl.1`)
    Man,
    /// Run the language server on standard input and output, for editors (specs/cli.md)
    #[command(
        after_help = "Speaks the Language Server Protocol (JSON-RPC, Content-Length \
                            framed) on standard input and output: diagnostics as you type, hover, \
                            definition, references, rename, completion, outline and quick fixes.\n\n\
                            Exit status: 0 after `shutdown` and `exit`; 2 when the client breaks \
                            the protocol or the connection fails."
    )]
    Lsp,
    /// For wfl's own tests: panic on purpose, to show how a bug in wfl is reported
    #[command(hide = true)]
    DebugPanic(DebugPanicArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check; directories are searched for `*.wfl` files, `-` reads
    /// standard input
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format: `human` (rustc-style, the default), `json` (schema in specs/cli.md),
    /// `github` (GitHub Actions annotations) or `sarif` (SARIF 2.1.0, for GitHub code scanning)
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,

    /// Treat warnings as errors (`--deny warnings`), or one warning or note, by code or name
    /// (`--deny W0201`, `--deny dead_end_state`; repeatable, or separated by commas)
    #[arg(long, value_name = "warnings|CODE", value_delimiter = ',')]
    pub deny: Vec<String>,

    /// Report these warnings and notes only, by code or name (errors are always reported)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not report these warnings and notes (their level is `allow`)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Report these warnings and notes as warnings (their level is `warn`)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub warn: Vec<String>,

    /// Report only findings of this severity or above; the others do not count either (default:
    /// note)
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<MinSeverity>,

    /// Print the findings only: no summary line
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// SARIF: the URL of the directory holding diagnostics.md, for each rule's `helpUri`
    /// (default: from the `repository` of wfl's Cargo.toml, if it has one; "" for none)
    #[arg(long, value_name = "URL")]
    pub help_uri_base: Option<String>,

    /// When to color the output; `auto` colors a terminal unless NO_COLOR is set (CLICOLOR_FORCE=1 forces color)
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    #[command(flatten)]
    pub bounds: Bounds,

    #[command(flatten)]
    pub time: TimeBound,
}

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Files or directories to format; directories are searched for `*.wfl` files, `-` reads
    /// standard input and writes the formatted text to standard output
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Write nothing: print the name of each file that is not formatted, and exit 1 if any
    #[arg(long)]
    pub check: bool,

    /// Write nothing: print what would change as a unified diff, and exit 1 if anything would
    #[arg(long)]
    pub diff: bool,

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Files or directories whose scenarios to run; `-` reads standard input
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format: `human` (the default), `json` (schema in specs/cli.md), `junit` (JUnit XML
    /// for CI test reports) or `github` (GitHub Actions annotations on the failing `expect` lines)
    #[arg(long, value_enum)]
    pub format: Option<TestFormat>,

    /// Print only the scenarios that fail, the files that were not tested, and the summary
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// Run only the scenarios whose name contains PATTERN (case-sensitive)
    #[arg(long, value_name = "PATTERN")]
    pub filter: Option<String>,

    /// Report which end states, states and transitions the scenarios exercised, of those the
    /// analysis finds possible (a table after the results; in the JSON with `--format json`)
    #[arg(long)]
    pub coverage: bool,

    /// Write the coverage as LCOV to FILE, for genhtml and coverage services (implies
    /// `--coverage`)
    #[arg(long, value_name = "FILE")]
    pub lcov: Option<PathBuf>,

    /// Fail (exit 1) when the coverage is under PERCENT, 0 to 100 (implies `--coverage`)
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    pub fail_under: Option<f64>,

    /// How far machines are explored to know what is possible, for `--coverage`
    #[command(flatten)]
    pub bounds: Bounds,

    /// When to color the output; `auto` colors a terminal unless NO_COLOR is set (CLICOLOR_FORCE=1 forces color)
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// A percentage, 0 to 100.
fn percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a percentage from 0 to 100")),
    }
}

/// `wfl test`'s output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    Human,
    Json,
    Junit,
    Github,
}

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// The spec file; `-` reads standard input
    pub file: PathBuf,

    /// The workflow to run (needed when the file has several items)
    #[arg(long, value_name = "NAME", conflicts_with = "machine")]
    pub workflow: Option<String>,

    /// The machine to run (needed when the file has several items)
    #[arg(long, value_name = "NAME")]
    pub machine: Option<String>,

    /// Machines: child instances to create, `--spawn workers=3` or `--spawn members[0].members=2`
    /// (repeatable)
    #[arg(long, value_name = "CHILDREN=N")]
    pub spawn: Vec<String>,

    /// Machines: events to send in order, `--events "start, disable by user, finish to workers[0]"`
    #[arg(long, value_name = "EVENTS")]
    pub events: Option<String>,

    /// Machines: read events from standard input, one a line, and show the configuration after each
    #[arg(long, conflicts_with = "runs")]
    pub interactive: bool,

    /// Start from a scenario's configuration (its `set`, `fail`, `duration`, `start from`,
    /// `stop at`, `kill at`); other options add to it
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,

    /// Give a variable a value: `--set rows=10`, for machines also `--set tasks[0].kind=manual`
    /// (repeatable)
    #[arg(long = "set", value_name = "VAR=VALUE")]
    pub set: Vec<String>,

    /// Tasks that fail: `--fail extract,load` (repeatable)
    #[arg(long, value_name = "TASKS", value_delimiter = ',')]
    pub fail: Vec<String>,

    /// A task's duration in ticks: `--duration load=3` (repeatable)
    #[arg(long, value_name = "TASK=TICKS")]
    pub duration: Vec<String>,

    /// Resume from these tasks: every task they do not lead to is NOT_RUN
    #[arg(long, value_name = "TASKS", value_delimiter = ',')]
    pub start_from: Vec<String>,

    /// The user stops the workflow at this tick
    #[arg(long, value_name = "TICK")]
    pub stop_at: Option<u32>,

    /// The process is killed at this tick
    #[arg(long, value_name = "TICK")]
    pub kill_at: Option<u32>,

    /// Run this many times (1 to 1000000000), drawing each task's failure from its `failure_rate`
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_RUNS))]
    pub runs: Option<u64>,

    /// The seed of the random runs (printed, so a run can be replayed); default 0
    #[arg(long, value_name = "SEED", default_value_t = 0)]
    pub seed: u64,

    /// Threads for random runs, 1 to 256 (the result does not depend on it); default: all cores
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS))]
    pub threads: Option<u16>,

    /// Output format: `human`, `json` (schema in specs/cli.md) or `html` (a page with the picture
    /// and the run, to step through)
    #[arg(long, value_enum, default_value_t = SimulateFormat::Human)]
    pub format: SimulateFormat,

    /// When to color diagnostics; `auto` colors a terminal unless NO_COLOR is set (CLICOLOR_FORCE=1 forces color)
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// `wfl simulate`'s output formats: those of the other commands, and the report page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    Human,
    Json,
    Html,
}

impl SimulateFormat {
    /// The format of what is not a run (a file's errors, counts of random runs): the page's is
    /// text.
    pub fn text(self) -> Format {
        match self {
            SimulateFormat::Json => Format::Json,
            SimulateFormat::Human | SimulateFormat::Html => Format::Human,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ExploreArgs {
    /// The spec file; `-` reads standard input
    pub file: PathBuf,

    /// The workflow to explore (needed when the file has several items)
    #[arg(long, value_name = "NAME", conflicts_with = "machine")]
    pub workflow: Option<String>,

    /// The machine to explore (needed when the file has several items)
    #[arg(long, value_name = "NAME")]
    pub machine: Option<String>,

    /// Output format: `human` or `json` (schema in specs/cli.md)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to color diagnostics; `auto` colors a terminal unless NO_COLOR is set (CLICOLOR_FORCE=1 forces color)
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    #[command(flatten)]
    pub bounds: Bounds,

    #[command(flatten)]
    pub time: TimeBound,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// The spec file; `-` reads standard input
    pub file: PathBuf,

    /// The workflow to draw (needed when the file has several items)
    #[arg(long, value_name = "NAME", conflicts_with = "machine")]
    pub workflow: Option<String>,

    /// The machine to draw (needed when the file has several items)
    #[arg(long, value_name = "NAME")]
    pub machine: Option<String>,

    /// Output format: `mermaid` (GitHub's Markdown), `dot` (Graphviz) or `svg` (laid out by wfl)
    #[arg(long, value_enum, default_value_t = GraphFormat::Svg)]
    pub format: GraphFormat,

    /// Draw what `wfl check` reports on the tasks, links, states and transitions it concerns
    /// (with the lint levels and `[check]` options of `wfl.toml`, as `wfl check FILE` finds it)
    #[arg(long)]
    pub findings: bool,

    /// Colour the picture by this scenario's run: tasks and links by their end state, states and
    /// transitions by whether the run used them
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,

    /// Colour the picture by all the scenarios of the item together: each end state some run
    /// reached, the states some run entered and the transitions some run took
    #[arg(long, conflicts_with = "scenario")]
    pub coverage: bool,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// When to color diagnostics; `auto` colors a terminal unless NO_COLOR is set (CLICOLOR_FORCE=1 forces color)
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// `wfl graph`'s output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    Svg,
}

/// Which `wfl.toml` is used.
#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// Use this `wfl.toml` for every file, instead of the nearest one
    #[arg(long = "config", value_name = "PATH", conflicts_with = "no_config")]
    pub path: Option<PathBuf>,

    /// Use no `wfl.toml`
    #[arg(long)]
    pub no_config: bool,
}

/// How far machines are explored: `wfl check`, `wfl explore` and `wfl test --coverage` share the
/// options and their defaults.
#[derive(Clone, Copy, Debug, Default, clap::Args)]
#[command(next_help_heading = "Machine exploration")]
pub struct Bounds {
    /// Children per `children` declaration in the world explored (at most 4096 instances in all);
    /// default 2
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=4096))]
    pub children: Option<u32>,

    /// Stop exploring a machine after this many configurations, 1 to 2147483648; it is then
    /// incomplete, and says so. Default: 200000
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_STATES))]
    pub max_states: Option<u64>,

    /// The megabytes the configurations of one machine may take, 1 to 1048576 (1 TiB); the
    /// exploration stops (incomplete) before it would pass them. Default: 64
    #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=MAX_MEMORY_MB))]
    pub max_memory: Option<u64>,

    /// Threads exploring a machine, 1 to 256 (`wfl check` of several files checks that many at
    /// once instead); the output does not depend on it. Default: all cores
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS))]
    pub threads: Option<u16>,
}

/// `--max-time`, for the commands whose explorations a person waits for (`check`, `explore`).
#[derive(Clone, Copy, Debug, Default, clap::Args)]
#[command(next_help_heading = "Machine exploration")]
pub struct TimeBound {
    /// Stop exploring after this long (`30s`, `2m`, `500ms`): what was found is reported, the
    /// machines not finished marked as explored in part. Unlike the other bounds, where it stops
    /// depends on the computer; default: no limit (Ctrl-C stops it too)
    #[arg(long, value_name = "DURATION", value_parser = super::explore_watch::parse_duration)]
    pub max_time: Option<std::time::Duration>,
}

impl Bounds {
    /// These bounds, `fallback`'s (a `wfl.toml`'s) where they have none.
    pub fn or(&self, fallback: &Bounds) -> Bounds {
        Bounds {
            children: self.children.or(fallback.children),
            max_states: self.max_states.or(fallback.max_states),
            max_memory: self.max_memory.or(fallback.max_memory),
            threads: self.threads.or(fallback.threads),
        }
    }

    /// The limits these options give, `defaults` filling in those not given.
    pub fn limits(&self, defaults: Limits) -> Limits {
        Limits {
            children: self.children.unwrap_or(defaults.children),
            max_states: self
                .max_states
                .map_or(defaults.max_states, saturating_usize),
            max_bytes: self.max_memory.map_or(defaults.max_bytes, |mb| {
                saturating_usize(mb.saturating_mul(1 << 20))
            }),
            threads: threads(self.threads),
        }
    }
}

/// `n`, or the largest `usize` when it does not fit (a bound that large means none).
fn saturating_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The most threads `--threads` may ask for: more only costs memory and start-up time.
pub const MAX_THREADS: i64 = 256;

/// The most runs `--runs` may ask for: at a microsecond or more a run, already minutes of work.
pub const MAX_RUNS: u64 = 1_000_000_000;

/// The largest `--max-states`: the exploration numbers configurations below 2³¹.
pub const MAX_STATES: u64 = 1 << 31;

/// The largest `--max-memory`, in megabytes (1 TiB).
pub const MAX_MEMORY_MB: u64 = 1 << 20;

/// The threads to use: `--threads` when given, else every core, within [`MAX_THREADS`].
pub fn threads(option: Option<u16>) -> usize {
    let most = MAX_THREADS as usize;
    option.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get().min(most)),
        usize::from,
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// `wfl check`'s output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum MinSeverity {
    Note,
    Warning,
    Error,
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

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct DebugPanicArgs {
    /// Where to panic
    #[arg(value_enum)]
    pub site: PanicSite,
}

/// Where `wfl debug-panic` panics: on the main thread, or in a worker of the thread pools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PanicSite {
    Main,
    /// A worker of `wfl check`'s files (`parallel::ordered`).
    CheckWorker,
    /// A worker of `wfl simulate --runs` (`random::in_batches`).
    RandomWorker,
}
