//! `wfl check`: every finding in every file, then a summary; exit 0, 1 or 2.
//!
//! Files are checked on several threads; their reports are written in file order, each as soon as
//! it and the ones before it are done, so the output does not depend on the number of threads.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::args::{CheckArgs, CheckFormat, ConfigArgs, MinSeverity};
use super::config::{Choice, Config, Configs, JsonConfigError};
use super::explore_watch;
use super::files::{Input, Selection, collect_inputs};
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE};
use super::{output, parallel};
use crate::analysis::machine::Limits;
use crate::analysis::machine_findings::DEFAULT_LIMITS;
use crate::diagnostic::bound::bound;
use crate::diagnostic::render::{self, JsonDiagnostic};
use crate::diagnostic::sarif::{self, Artifact, LogBuilder, ToolInfo};
use crate::diagnostic::{Diagnostic, Severity, github};
use crate::lint::{Flags, Level, Levels};
use crate::source::{Source, Sources};

#[derive(Clone, Copy, Default, Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    /// What the analysis could not cover (N0408, N0417); never a problem.
    notes: usize,
    /// Findings counted above but not shown (`diagnostic::bound`); in the JSON only when some.
    #[serde(skip_serializing_if = "is_zero")]
    not_shown: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The JSON document `--format json` prints (schema version 1, specs/cli.md).
#[derive(Serialize)]
struct JsonReport {
    version: u32,
    files: Vec<String>,
    diagnostics: Vec<JsonDiagnostic>,
    summary: Summary,
    /// The `wfl.toml` files that could not be used (also on standard error); only when some.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    config_errors: Vec<JsonConfigError>,
}

/// One file to check.
struct Job {
    name: String,
    bytes: Bytes,
    levels: Arc<Levels>,
    /// Where the file is for GitHub (`--format github` and `sarif`).
    place: Option<Place>,
}

enum Bytes {
    /// Read by the worker.
    File(PathBuf),
    /// Standard input, read before the workers start.
    Read(Vec<u8>),
}

/// A file's path as GitHub wants it: relative to the working directory when it is below it.
pub(super) struct Place {
    /// For `::error file=…`; `None` for standard input.
    pub(super) annotation: Option<String>,
    artifact: Artifact,
}

/// What checking one file gave.
enum Outcome {
    Checked {
        name: String,
        source: Source,
        diagnostics: Vec<Diagnostic>,
        place: Option<Place>,
    },
    /// It could not be read or checked; the message says why.
    Failed(String),
}

pub fn run(args: &CheckArgs) -> u8 {
    let help_uri_base = match help_uri_base(args.help_uri_base.as_deref()) {
        Ok(base) => base,
        Err(message) => {
            output::error(&message);
            return EXIT_USAGE;
        }
    };
    let flags = match flags(args) {
        Ok(flags) => flags,
        Err(message) => {
            output::error(&message);
            return EXIT_USAGE;
        }
    };
    let mut io_failed = false;
    let cwd = working_directory();
    let (mut configs, config) = configs(&args.config, cwd.clone(), &mut io_failed);
    let settings = config
        .as_ref()
        .map(|c| c.settings.check.clone())
        .unwrap_or_default();
    let selection = selection(config.as_deref(), &mut io_failed);
    let inputs = collect_inputs(&args.paths, &selection, &mut io_failed);
    let format = args
        .format
        .or(settings.format)
        .unwrap_or(CheckFormat::Human);
    let wants_place = matches!(format, CheckFormat::Github | CheckFormat::Sarif);
    let mut jobs = Vec::new();
    for input in inputs {
        let Some(levels) = configs.levels_for(&input) else {
            io_failed = true;
            continue;
        };
        let name = input.name();
        let bytes = match &input {
            Input::File(path) => Bytes::File(path.clone()),
            // Given once at most (`collect_inputs` keeps one `-`).
            Input::Stdin => match input.read() {
                Ok(bytes) => Bytes::Read(bytes),
                Err(message) => {
                    output::error(&message);
                    io_failed = true;
                    continue;
                }
            },
        };
        let place = wants_place.then(|| place(&input, cwd.as_deref()));
        jobs.push(Job {
            name,
            bytes,
            levels,
            place,
        });
    }
    // What turns warnings into errors, as the note on each says it.
    let deny_warnings = if args.deny.iter().any(|d| d == "warnings") {
        Some("`--deny warnings`".to_owned())
    } else {
        configured_deny_warnings(config.as_deref())
    };
    let min_severity = args
        .min_severity
        .or(settings.min_severity)
        .unwrap_or(MinSeverity::Note);
    let bounds = args.bounds.or(&settings.bounds);
    let mut exploration = bounds.limits(DEFAULT_LIMITS);
    // Files are checked side by side; one file's machines are explored on the threads.
    let threads = exploration.threads;
    if jobs.len() > 1 {
        exploration.threads = 1;
    }
    let mut report = Report::new(format, args, help_uri_base);
    report.json.config_errors = std::mem::take(&mut configs.errors);
    // A progress line only where a person reads the report.
    let progress = format == CheckFormat::Human;
    explore_watch::watched(progress, args.time.max_time, || {
        parallel::ordered(
            jobs,
            threads,
            |job| {
                check(
                    job,
                    &flags,
                    exploration,
                    deny_warnings.as_deref(),
                    min_severity,
                )
            },
            |outcome| match outcome {
                Outcome::Checked {
                    name,
                    source,
                    diagnostics,
                    place,
                } => report.file(name, source, &diagnostics, place.as_ref()),
                Outcome::Failed(message) => {
                    output::error(&message);
                    io_failed = true;
                }
            },
        )
    });
    let working_directory = cwd.as_deref().map(|dir| sarif::file_uri(dir, true));
    let summary = report.finish(working_directory, !io_failed);
    if report.failed {
        io_failed = true;
    }
    if io_failed {
        EXIT_USAGE
    } else if summary.errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Reads, checks and filters one file (on a worker thread).
fn check(
    job: Job,
    flags: &Flags,
    exploration: Limits,
    deny_warnings: Option<&str>,
    min_severity: MinSeverity,
) -> Outcome {
    let name = job.name;
    let bytes = match job.bytes {
        Bytes::Read(bytes) => bytes,
        Bytes::File(path) => match Input::File(path).read() {
            Ok(bytes) => bytes,
            Err(message) => return Outcome::Failed(message),
        },
    };
    let levels = if flags.is_empty() {
        job.levels
    } else {
        Arc::new(job.levels.with_flags(flags))
    };
    let Some((source, checked)) = crate::check_bytes_with(&name, bytes, &levels, exploration)
    else {
        return Outcome::Failed(format!(
            "cannot check `{name}`: files over 4 GiB are not supported"
        ));
    };
    let mut diagnostics = checked.diagnostics;
    reported(&mut diagnostics, deny_warnings, min_severity);
    Outcome::Checked {
        name,
        source,
        diagnostics,
        place: job.place,
    }
}

/// The findings `wfl check` reports of those it found: warnings made errors (`deny_warnings`
/// says by what), those below `min_severity` left out.
fn reported(
    diagnostics: &mut Vec<Diagnostic>,
    deny_warnings: Option<&str>,
    min_severity: MinSeverity,
) {
    if let Some(why) = deny_warnings {
        crate::lint::deny_warnings(diagnostics, why);
    }
    match min_severity {
        MinSeverity::Note => {}
        MinSeverity::Warning => diagnostics.retain(|d| d.severity >= Severity::Warning),
        MinSeverity::Error => diagnostics.retain(Diagnostic::is_error),
    }
}

/// What `deny-warnings = true` in the run's `wfl.toml` says to the findings it turns into errors.
fn configured_deny_warnings(config: Option<&Config>) -> Option<String> {
    let config = config.filter(|c| c.settings.check.deny_warnings)?;
    let origin = config.levels.origin().unwrap_or("wfl.toml");
    Some(format!("`deny-warnings = true` in `{origin}`"))
}

/// How `wfl check FILE` checks one file and what it reports of it, from the `wfl.toml` files it
/// finds (`--config`, `--no-config`): the lint levels of the one nearest the file, and the
/// `[check]` options of the run's (bounds, `deny-warnings`, `min-severity`). `wfl graph
/// --findings` draws what this gives, so that a picture shows what `wfl check` reports.
pub(super) struct AsCheck {
    pub(super) levels: Arc<Levels>,
    pub(super) exploration: Limits,
    deny_warnings: Option<String>,
    min_severity: MinSeverity,
}

impl AsCheck {
    /// As `wfl check` finds them for `input`; `None` when a `wfl.toml` cannot be used (that was
    /// reported on standard error).
    pub(super) fn of(args: &ConfigArgs, input: &Input) -> Option<AsCheck> {
        let mut failed = false;
        let (mut configs, config) = configs(args, working_directory(), &mut failed);
        let levels = configs.levels_for(input)?;
        if failed {
            return None;
        }
        let settings = config
            .as_ref()
            .map(|c| c.settings.check.clone())
            .unwrap_or_default();
        Some(AsCheck {
            levels,
            exploration: settings.bounds.limits(DEFAULT_LIMITS),
            deny_warnings: configured_deny_warnings(config.as_deref()),
            min_severity: settings.min_severity.unwrap_or(MinSeverity::Note),
        })
    }

    /// Of the findings of the file, those `wfl check` reports, as it reports them.
    pub(super) fn reported(&self, diagnostics: &mut Vec<Diagnostic>) {
        reported(
            diagnostics,
            self.deny_warnings.as_deref(),
            self.min_severity,
        );
    }
}

/// The `wfl.toml` files of a run (`--config`, `--no-config`), and the one whose options and
/// globs the run uses; one that cannot be used sets `io_failed` (it was reported).
pub(super) fn configs(
    args: &ConfigArgs,
    cwd: Option<PathBuf>,
    io_failed: &mut bool,
) -> (Configs, Option<Arc<Config>>) {
    let choice = match (&args.path, args.no_config) {
        (Some(path), _) => Choice::File(path.clone()),
        (None, true) => Choice::None,
        (None, false) => Choice::Nearest,
    };
    let mut configs = Configs::new(cwd, choice);
    let config = configs.for_run().unwrap_or_else(|()| {
        *io_failed = true;
        None
    });
    (configs, config)
}

/// Which files directories give, by the run's `wfl.toml`; a glob that cannot be used was
/// reported when the file was read.
pub(super) fn selection(config: Option<&Config>, io_failed: &mut bool) -> Selection {
    let Some(config) = config else {
        return Selection::new();
    };
    let (include, exclude) = (&config.settings.include, &config.settings.exclude);
    Selection::new()
        .with_globs(&config.dir, include, exclude)
        .unwrap_or_else(|message| {
            output::error(&message);
            *io_failed = true;
            Selection::new()
        })
}

/// The command line's lint levels: `--select`, `--ignore`, `--warn`, and `--deny` with a code
/// or name (`--deny warnings` is not one); `Err` names a code that is not a warning's or note's.
fn flags(args: &CheckArgs) -> Result<Flags, String> {
    let rule = |option: &str, text: &str| {
        crate::lint::rule(text).map_err(|why| format!("`--{option} {text}`: {why}"))
    };
    let mut flags = Flags::default();
    if !args.select.is_empty() {
        flags.select = Some(
            args.select
                .iter()
                .map(|t| rule("select", t))
                .collect::<Result<_, _>>()?,
        );
    }
    let given = [
        ("ignore", Level::Allow, &args.ignore),
        ("warn", Level::Warn, &args.warn),
        ("deny", Level::Deny, &args.deny),
    ];
    for (option, level, texts) in given {
        for text in texts.iter().filter(|t| *t != "warnings") {
            let code = rule(option, text)?;
            flags
                .set
                .insert(code, (level, format!("--{option} {text}")));
        }
    }
    Ok(flags)
}

/// The report being written, in one of the formats.
struct Report {
    format: CheckFormat,
    /// `--quiet`: no summary line.
    quiet: bool,
    out: output::Stdout,
    summary: Summary,
    /// Standard output was closed: nothing more is written.
    closed: bool,
    /// Writing failed for another reason (reported).
    failed: bool,
    json: JsonReport,
    sarif: LogBuilder,
}

impl Report {
    fn new(format: CheckFormat, args: &CheckArgs, help_uri_base: Option<String>) -> Report {
        let information_uri = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
            .into_iter()
            .find(|uri| !uri.is_empty())
            .map(str::to_owned)
            .or_else(|| help_uri_base.as_ref().map(|base| format!("{base}/cli.md")));
        Report {
            format,
            quiet: args.quiet,
            // Only the human report has color.
            out: output::stdout(match format {
                CheckFormat::Human => args.color,
                _ => super::args::ColorWhen::Never,
            }),
            summary: Summary::default(),
            closed: false,
            failed: false,
            json: JsonReport {
                version: 1,
                files: Vec::new(),
                diagnostics: Vec::new(),
                summary: Summary::default(),
                config_errors: Vec::new(),
            },
            sarif: LogBuilder::new(ToolInfo {
                information_uri,
                help_uri_base,
            }),
        }
    }

    fn file(
        &mut self,
        name: String,
        source: Source,
        diagnostics: &[Diagnostic],
        place: Option<&Place>,
    ) {
        self.summary.files += 1;
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.summary.errors += 1,
                Severity::Warning => self.summary.warnings += 1,
                Severity::Note => self.summary.notes += 1,
            }
        }
        let bounded = bound(&source, diagnostics);
        let diagnostics = bounded.shown.as_slice();
        self.summary.not_shown += bounded.not_shown;
        self.sarif.not_shown(bounded.not_shown);
        let written = match self.format {
            _ if self.closed => Ok(()),
            CheckFormat::Human => write_human(&mut self.out, source, diagnostics),
            CheckFormat::Github => diagnostics.iter().try_for_each(|d| {
                let file = place.and_then(|p| p.annotation.as_deref());
                writeln!(self.out, "{}", github::annotation(file, &source, d))
            }),
            CheckFormat::Json => {
                self.json.files.push(name);
                self.json
                    .diagnostics
                    .extend(diagnostics.iter().map(|d| JsonDiagnostic::new(&source, d)));
                Ok(())
            }
            CheckFormat::Sarif => {
                if let Some(place) = place {
                    self.sarif.add(&place.artifact, &source, diagnostics);
                }
                Ok(())
            }
        };
        self.written(written);
    }

    /// Ends the report; returns the counts.
    fn finish(&mut self, working_directory: Option<String>, successful: bool) -> Summary {
        let summary = self.summary;
        let written = match self.format {
            _ if self.closed => Ok(()),
            // Nothing read: the errors above say why; a summary of nothing would only confuse.
            CheckFormat::Human | CheckFormat::Github if summary.files == 0 || self.quiet => Ok(()),
            CheckFormat::Human | CheckFormat::Github => write_summary(&mut self.out, &summary),
            CheckFormat::Json => {
                self.json.summary = summary;
                write_json(&mut self.out, &self.json)
            }
            CheckFormat::Sarif => {
                let builder =
                    std::mem::replace(&mut self.sarif, LogBuilder::new(ToolInfo::default()));
                let dropped = builder.dropped();
                let log = builder.finish(working_directory, successful);
                if dropped > 0 {
                    output::warning(&format!(
                        "the SARIF log holds the first {} results; {dropped} more were left out \
                         (GitHub code scanning accepts no more in a run)",
                        sarif::MAX_RESULTS
                    ));
                }
                writeln!(self.out, "{log}")
            }
        };
        self.written(written);
        summary
    }

    fn written(&mut self, result: io::Result<()>) {
        output::written(result, &mut self.closed, &mut self.failed);
    }
}

/// The current directory with symbolic links resolved: the root GitHub paths are relative to.
pub(super) fn working_directory() -> Option<PathBuf> {
    std::env::current_dir()
        .ok()
        .map(|dir| std::fs::canonicalize(&dir).unwrap_or(dir))
}

/// Where `input` is, for GitHub: relative to `cwd` (the current directory, links resolved) when
/// it is below it, else absolute; links are resolved, as GitHub asks.
pub(super) fn place(input: &Input, cwd: Option<&Path>) -> Place {
    let Input::File(path) = input else {
        return Place {
            annotation: None,
            artifact: Artifact::stdin(),
        };
    };
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| match cwd {
        Some(cwd) if path.is_relative() => normalize(&cwd.join(path)),
        _ => normalize(path),
    });
    match cwd.and_then(|cwd| absolute.strip_prefix(cwd).ok()) {
        Some(relative) => Place {
            annotation: Some(slashed(relative)),
            artifact: Artifact::relative(relative),
        },
        None => Place {
            annotation: Some(slashed(&absolute)),
            artifact: Artifact::absolute(&absolute),
        },
    }
}

/// `path` without `.` and with `..` taken back, without looking at the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A path with `/` between its parts, whatever the platform.
fn slashed(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// `--help-uri-base`: a URL without its trailing `/`; `""` for none; by default, derived from the
/// `repository` of wfl's Cargo.toml (`REPOSITORY/blob/HEAD/specs`), if it has one.
fn help_uri_base(option: Option<&str>) -> Result<Option<String>, String> {
    match option {
        Some("") => Ok(None),
        Some(url) if is_absolute_url(url) => Ok(Some(url.trim_end_matches('/').to_owned())),
        Some(url) => Err(format!(
            "`--help-uri-base`: `{url}` is not an absolute URL (such as \
             `https://github.com/OWNER/REPO/blob/main/specs`)"
        )),
        None => {
            let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
            let repository = repository.strip_suffix(".git").unwrap_or(repository);
            Ok((!repository.is_empty()).then(|| format!("{repository}/blob/HEAD/specs")))
        }
    }
}

/// `scheme:rest`, with a scheme as RFC 3986 has it and nothing a URI may not hold.
fn is_absolute_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c))
}

fn write_human(
    out: &mut impl codespan_reporting::term::WriteStyle,
    source: Source,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    let mut sources = Sources::new();
    let file = sources.add(source);
    render::human(out, &sources, file, diagnostics)
}

fn write_summary(out: &mut impl Write, summary: &Summary) -> io::Result<()> {
    let files = plural(summary.files, "file");
    let mut asides = Vec::new();
    if summary.notes > 0 {
        asides.push(plural(summary.notes, "note"));
    }
    if summary.not_shown > 0 {
        asides.push(format!("{} not shown", summary.not_shown));
    }
    let notes = if asides.is_empty() {
        String::new()
    } else {
        format!(" ({})", asides.join(", "))
    };
    if summary.errors == 0 && summary.warnings == 0 {
        return writeln!(out, "checked {files}: no problems found{notes}");
    }
    writeln!(
        out,
        "checked {files}: {}, {}{notes}",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning")
    )
}

fn write_json(out: &mut impl Write, report: &JsonReport) -> io::Result<()> {
    // Serialized first, so a closed pipe is reported as one by `writeln!`.
    let text = serde_json::to_string_pretty(report).map_err(io::Error::other)?;
    writeln!(out, "{}", render::json_without_hidden(text))
}

fn plural(n: usize, word: &str) -> String {
    crate::sim::render::plural(n as u64, word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_uri_bases_are_absolute_urls() {
        assert_eq!(
            help_uri_base(Some("https://github.com/o/r/blob/main/specs/")),
            Ok(Some("https://github.com/o/r/blob/main/specs".to_owned()))
        );
        assert_eq!(help_uri_base(Some("")), Ok(None));
        for bad in ["specs/", "://x", "1http://x", "http:", "https://a b"] {
            assert!(help_uri_base(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_are_normalized_without_the_file_system() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
    }
}
