//! `wfl test`: every scenario of every file, a line each, the failures in detail, then
//! `N passed, N failed` and what was not tested; as text, JSON, JUnit XML or GitHub annotations.
//!
//! Each file is tested into a [`TestedFile`] (what ran, what failed, what is shown of it), which
//! the [`Report`] writes in the format asked for: the text and the annotations as each file is
//! done, the JSON and the JUnit XML, which start with totals, once every file is.

use std::io::{self, Write};
use std::path::Path;

use codespan_reporting::term::WriteStyle;
use serde::Serialize;

use super::args::{ColorWhen, TestArgs, TestFormat};
use super::check::{configs, place, selection, working_directory};
use super::config::{JsonConfigError, TestSettings};
use super::coverage::{self, FileCoverage, Totals};
use super::files::{Input, collect_inputs, describe};
use super::junit;
use super::output;
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE};
use crate::analysis::machine::Limits;
use crate::analysis::machine_findings::DEFAULT_LIMITS;
use crate::diagnostic::bound::{bound_within, shorten_line};
use crate::diagnostic::render::{self, JsonDiagnostic, line_text};
use crate::diagnostic::{Diagnostic, Severity, github};
use crate::sim::scenario::{ScenarioResult, Verdict};
use crate::source::{FileId, Source, Sources};

pub fn run(args: &TestArgs) -> u8 {
    let mut io_failed = false;
    let cwd = working_directory();
    let (mut configs, config) = configs(&args.config, cwd.clone(), &mut io_failed);
    let selection = selection(config.as_deref(), &mut io_failed);
    let settings = config.map(|c| c.settings.test.clone()).unwrap_or_default();
    let options = Options::new(args, &settings);
    let inputs = collect_inputs(&args.paths, &selection, &mut io_failed);
    let mut report = Report::new(&options);
    report.config_errors = std::mem::take(&mut configs.errors);
    for input in &inputs {
        match test_file(input, &options, cwd.as_deref()) {
            Some(file) => report.file(file),
            None => io_failed = true,
        }
    }
    report.finish();
    if let Some(path) = &args.lcov
        && let Err(err) = write_lcov(path, &report.coverage)
    {
        output::error(&format!(
            "cannot write `{}`: {}",
            path.display(),
            describe(&err)
        ));
        io_failed = true;
    }
    let summary = report.summary;
    if io_failed || report.failed {
        EXIT_USAGE
    } else if summary.failed > 0 || summary.ran() == 0 || report.under.is_some() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// The options of a run: the command line's, a `wfl.toml`'s `[test]` where it gives none.
struct Options {
    format: TestFormat,
    color: ColorWhen,
    filter: Option<String>,
    quiet: bool,
    /// Whether coverage is measured: asked for, or needed by `--lcov` or `--fail-under`.
    coverage: bool,
    fail_under: Option<f64>,
    limits: Limits,
}

impl Options {
    fn new(args: &TestArgs, settings: &TestSettings) -> Options {
        let fail_under = args.fail_under.or(settings.fail_under);
        Options {
            format: args.format.or(settings.format).unwrap_or(TestFormat::Human),
            color: args.color,
            filter: args.filter.clone(),
            quiet: args.quiet,
            coverage: args.coverage
                || settings.coverage
                || args.lcov.is_some()
                || fail_under.is_some(),
            fail_under,
            limits: args.bounds.or(&settings.bounds).limits(DEFAULT_LIMITS),
        }
    }
}

/// `--lcov FILE`: the coverage as LCOV.
fn write_lcov(path: &Path, files: &[FileCoverage]) -> io::Result<()> {
    let mut out = io::BufWriter::new(std::fs::File::create(path)?);
    coverage::write_lcov(&mut out, files)?;
    out.flush()
}

/// What testing one file gave.
struct TestedFile {
    /// The file's name as given; shown escaped and cut ([`shown_name`]), as in findings.
    name: String,
    /// Where the file is for GitHub annotations (`None`: standard input).
    place: Option<String>,
    sources: Sources,
    file: FileId,
    outcome: FileOutcome,
    /// With `--coverage`, for a file without errors.
    coverage: Option<FileCoverage>,
}

enum FileOutcome {
    /// The file has errors: none of its scenarios ran. `shown` is what is shown of the errors;
    /// `scenarios`, the names of the scenarios that would have run (none when it did not parse).
    Errors {
        shown: Vec<Diagnostic>,
        scenarios: Vec<String>,
    },
    /// The file has no scenario at all: nothing in it was tested.
    NoScenarios,
    /// Its scenarios ran; `filtered_out` more did not match `--filter`.
    Ran {
        scenarios: Vec<Ran>,
        filtered_out: usize,
    },
}

/// One scenario that ran.
struct Ran {
    /// As written; shown escaped and cut, as the file's name.
    name: String,
    /// The line of its name, 1-based.
    line: usize,
    /// Its failures are only those shown (`diagnostic::bound`), the rest counted in a note.
    verdict: Verdict,
}

impl TestedFile {
    fn source(&self) -> Option<&Source> {
        self.sources.get(self.file)
    }

    /// The scenarios this file counts as failed when it has errors: each that would have run, and
    /// at least one (the file itself).
    fn failed_for_errors(scenarios: &[String]) -> usize {
        scenarios.len().max(1)
    }
}

/// Reads, checks and runs one file; `None` when it cannot be read (the reason is written).
fn test_file(input: &Input, options: &Options, cwd: Option<&Path>) -> Option<TestedFile> {
    let filter = options.filter.as_deref();
    let name = input.name();
    let bytes = match input.read() {
        Ok(bytes) => bytes,
        Err(message) => {
            output::error(&message);
            return None;
        }
    };
    let Some((source, tested)) = crate::test_bytes(&name, bytes) else {
        output::error(&format!(
            "cannot test `{name}`: files over 4 GiB are not supported"
        ));
        return None;
    };
    let errors: Vec<Diagnostic> = tested
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    let scenarios = tested
        .checked
        .program
        .as_ref()
        .map(|p| p.scenarios.as_slice())
        .unwrap_or_default();
    let matches = |scenario: &str| filter.is_none_or(|pattern| scenario.contains(pattern));
    let mut sources = Sources::new();
    let file = sources.add(source);
    // What is shown of a list of findings, as `wfl check` shows a file's.
    let bounded = |found: &[Diagnostic], place| {
        sources
            .get(file)
            .map_or_else(Vec::new, |source| bound_within(source, found, place).shown)
    };
    let outcome = if !errors.is_empty() {
        FileOutcome::Errors {
            shown: bounded(&errors, "this file"),
            scenarios: scenarios
                .iter()
                .map(|s| s.name.as_str())
                .filter(|s| matches(s))
                .map(str::to_owned)
                .collect(),
        }
    } else if scenarios.is_empty() {
        FileOutcome::NoScenarios
    } else {
        let line = |offset: u32| {
            sources
                .get(file)
                .map_or(0, |s| s.line_col(offset as usize).line)
        };
        let ran: Vec<Ran> = tested
            .results
            .iter()
            .filter_map(|result: &ScenarioResult| {
                let scenario = scenarios.get(result.scenario)?;
                matches(scenario.name.as_str()).then(|| Ran {
                    name: scenario.name.as_str().to_owned(),
                    line: line(scenario.name.span.start),
                    verdict: match &result.verdict {
                        Verdict::Failed(failures) => {
                            Verdict::Failed(bounded(failures, "this scenario"))
                        }
                        other => other.clone(),
                    },
                })
            })
            .collect();
        FileOutcome::Ran {
            filtered_out: scenarios.len() - ran.len(),
            scenarios: ran,
        }
    };
    let place = match input {
        Input::File(_) => place(input, cwd).annotation,
        Input::Stdin => None,
    };
    let coverage = match (&tested.checked.program, &outcome, sources.get(file)) {
        (Some(program), FileOutcome::Ran { .. } | FileOutcome::NoScenarios, Some(source))
            if options.coverage =>
        {
            let ran: Vec<&ScenarioResult> = tested
                .results
                .iter()
                .filter(|r| {
                    scenarios
                        .get(r.scenario)
                        .is_some_and(|s| matches(s.name.as_str()))
                })
                .collect();
            Some(coverage::of_file(program, &ran, source, options.limits))
        }
        (_, FileOutcome::Errors { .. }, _) if options.coverage => {
            Some(FileCoverage::with_errors(&name))
        }
        _ => None,
    };
    Some(TestedFile {
        name,
        place,
        sources,
        file,
        outcome,
        coverage,
    })
}

/// A name from a file or the command line as it is shown: hidden characters escaped, cut.
fn shown_name(name: &str) -> String {
    line_text(&shorten_line(name)).into_owned()
}

/// The counts of a test run.
#[derive(Clone, Copy, Debug, Default, Serialize)]
struct Summary {
    /// Files read and tested (those that could not be read are not counted).
    files: usize,
    passed: usize,
    /// Scenarios that failed, and those of files with errors (at least one a file).
    failed: usize,
    skipped: usize,
    /// Scenarios that did not match `--filter`.
    filtered_out: usize,
    files_with_errors: usize,
    files_without_scenarios: usize,
}

impl Summary {
    /// Scenarios that ran or were meant to (those of files with errors count as failed).
    fn ran(&self) -> usize {
        self.passed + self.failed + self.skipped
    }

    fn add(&mut self, file: &TestedFile) {
        self.files += 1;
        match &file.outcome {
            FileOutcome::Errors { scenarios, .. } => {
                self.files_with_errors += 1;
                self.failed += TestedFile::failed_for_errors(scenarios);
            }
            FileOutcome::NoScenarios => self.files_without_scenarios += 1,
            FileOutcome::Ran {
                scenarios,
                filtered_out,
            } => {
                self.filtered_out += filtered_out;
                for scenario in scenarios {
                    match scenario.verdict {
                        Verdict::Passed => self.passed += 1,
                        Verdict::Failed(_) => self.failed += 1,
                        Verdict::Skipped(_) => self.skipped += 1,
                    }
                }
            }
        }
    }

    /// `N passed, N failed`, then what else there is to say: `; 1 skipped; 2 files without
    /// scenarios; 3 filtered out`.
    fn line(&self) -> String {
        let mut line = format!("{} passed, {} failed", self.passed, self.failed);
        if self.skipped > 0 {
            line.push_str(&format!("; {} skipped", self.skipped));
        }
        if self.files_without_scenarios > 0 {
            line.push_str(&format!(
                "; {} without scenarios",
                plural(self.files_without_scenarios, "file")
            ));
        }
        if self.filtered_out > 0 {
            line.push_str(&format!("; {} filtered out", self.filtered_out));
        }
        line
    }

    /// Why nothing was tested, when no scenario ran in the files read.
    fn nothing_ran(&self, filter: Option<&str>) -> Option<String> {
        if self.ran() > 0 || self.files == 0 {
            return None;
        }
        Some(match filter {
            Some(pattern) if self.filtered_out > 0 => format!(
                "no scenario ran: none of the {} matches `--filter {}`",
                plural(self.filtered_out, "scenario"),
                line_text(&shorten_line(pattern))
            ),
            _ => format!(
                "no scenario ran: {} no scenario",
                if self.files == 1 {
                    "the file has".to_owned()
                } else {
                    format!("none of the {} files has", self.files)
                }
            ),
        })
    }
}

fn plural(n: usize, word: &str) -> String {
    crate::sim::render::plural(n as u64, word)
}

/// The report being written.
struct Report {
    format: TestFormat,
    /// `--quiet`: no line for a scenario that passes.
    quiet: bool,
    out: output::Stdout,
    filter: Option<String>,
    /// With `--coverage`: every file's so far.
    coverage: Vec<FileCoverage>,
    wants_coverage: bool,
    fail_under: Option<f64>,
    /// The coverage, when it is under `--fail-under`.
    under: Option<f64>,
    summary: Summary,
    /// Standard output was closed: nothing more is written.
    closed: bool,
    /// Writing failed for another reason (reported).
    failed: bool,
    /// `--format json`: the files so far.
    json: Vec<JsonFile>,
    /// The `wfl.toml` that could not be used, for the JSON (also on standard error).
    config_errors: Vec<JsonConfigError>,
    /// `--format junit`: a `<testsuite>` per file so far.
    junit: Vec<junit::Suite>,
}

impl Report {
    fn new(options: &Options) -> Report {
        Report {
            format: options.format,
            quiet: options.quiet,
            // Only the text has color.
            out: output::stdout(match options.format {
                TestFormat::Human => options.color,
                _ => ColorWhen::Never,
            }),
            filter: options.filter.clone(),
            coverage: Vec::new(),
            wants_coverage: options.coverage,
            fail_under: options.fail_under,
            under: None,
            summary: Summary::default(),
            closed: false,
            failed: false,
            json: Vec::new(),
            config_errors: Vec::new(),
            junit: Vec::new(),
        }
    }

    fn file(&mut self, mut file: TestedFile) {
        self.summary.add(&file);
        let written = match self.format {
            _ if self.closed => Ok(()),
            TestFormat::Human => write_human(&mut self.out, &file, self.quiet),
            TestFormat::Github => write_github(&mut self.out, &file, self.quiet),
            TestFormat::Json => {
                self.json.push(JsonFile::new(&file));
                Ok(())
            }
            TestFormat::Junit => {
                self.junit.push(junit_suite(&file));
                Ok(())
            }
        };
        self.written(written);
        self.coverage.extend(file.coverage.take());
    }

    fn finish(&mut self) {
        let summary = self.summary;
        let nothing_ran = summary.nothing_ran(self.filter.as_deref());
        let totals = self.wants_coverage.then(|| Totals::of(&self.coverage));
        self.under = totals
            .zip(self.fail_under)
            .and_then(|(totals, least)| (totals.percent < least).then_some(totals.percent));
        let under = self.under.zip(self.fail_under).map(|(percent, least)| {
            format!("coverage {percent:.1}% is under `--fail-under {least}`")
        });
        let written = match self.format {
            _ if self.closed => Ok(()),
            // Nothing read: the errors above say why; a summary of nothing would only confuse.
            TestFormat::Human | TestFormat::Github if summary.files == 0 => Ok(()),
            TestFormat::Human | TestFormat::Github => (|| {
                writeln!(self.out, "{}", summary.line())?;
                if self.wants_coverage {
                    coverage::write_human(&mut self.out, &self.coverage)?;
                }
                // Last, where a CI log is read from: why the run fails though nothing failed.
                for why in nothing_ran.iter().chain(&under) {
                    if self.format == TestFormat::Github {
                        writeln!(
                            self.out,
                            "::error title=wfl test::{}",
                            github::escape_data(why)
                        )?;
                    } else {
                        writeln!(self.out, "{why}")?;
                    }
                }
                Ok(())
            })(),
            TestFormat::Json => {
                let report = JsonReport {
                    version: 1,
                    files: std::mem::take(&mut self.json),
                    summary,
                    coverage: totals.map(|totals| JsonCoverage {
                        files: &self.coverage,
                        totals,
                        fail_under: self.fail_under,
                    }),
                    config_errors: &self.config_errors,
                };
                serde_json::to_string_pretty(&report)
                    .map_err(io::Error::other)
                    .and_then(|text| writeln!(self.out, "{}", render::json_without_hidden(text)))
            }
            TestFormat::Junit => junit::write(&mut self.out, &self.junit),
        };
        self.written(written);
    }

    fn written(&mut self, result: io::Result<()>) {
        output::written(result, &mut self.closed, &mut self.failed);
    }
}

fn write_human<W: WriteStyle + Write>(
    out: &mut W,
    file: &TestedFile,
    quiet: bool,
) -> io::Result<()> {
    let name = shown_name(&file.name);
    match &file.outcome {
        FileOutcome::Errors { shown, .. } => {
            render::human(out, &file.sources, file.file, shown)?;
            write!(out, "test {name} ... ")?;
            verdict(out, "FAILED", Coloured::Failed)?;
            writeln!(out, ": the file has errors, so its scenarios did not run")
        }
        FileOutcome::NoScenarios => {
            write!(out, "test {name} ... ")?;
            verdict(out, "no scenarios", Coloured::Untested)?;
            writeln!(out, ": nothing in it was tested")
        }
        FileOutcome::Ran { scenarios, .. } => {
            for scenario in scenarios {
                let prefix = format!("test {name} › {} ... ", shown_name(&scenario.name));
                match &scenario.verdict {
                    Verdict::Passed if quiet => {}
                    Verdict::Passed => {
                        write!(out, "{prefix}")?;
                        verdict(out, "ok", Coloured::Passed)?;
                        writeln!(out)?;
                    }
                    Verdict::Skipped(why) => writeln!(out, "{prefix}skipped ({why})")?,
                    Verdict::Failed(failures) => {
                        write!(out, "{prefix}")?;
                        verdict(out, "FAILED", Coloured::Failed)?;
                        writeln!(out)?;
                        render::human(out, &file.sources, file.file, failures)?;
                    }
                }
            }
            Ok(())
        }
    }
}

/// The text lines without color, and an annotation for each finding shown: on the failing
/// `expect` lines, on a file's errors, and on line 1 of a file without scenarios.
fn write_github(out: &mut impl Write, file: &TestedFile, quiet: bool) -> io::Result<()> {
    let Some(source) = file.source() else {
        return Ok(());
    };
    let name = shown_name(&file.name);
    let place = file.place.as_deref();
    let annotate = |out: &mut dyn Write, found: &[Diagnostic]| -> io::Result<()> {
        found
            .iter()
            .try_for_each(|d| writeln!(out, "{}", github::annotation(place, source, d)))
    };
    match &file.outcome {
        FileOutcome::Errors { shown, .. } => {
            writeln!(
                out,
                "test {name} ... FAILED: the file has errors, so its scenarios did not run"
            )?;
            annotate(out, shown)
        }
        FileOutcome::NoScenarios => {
            writeln!(
                out,
                "test {name} ... no scenarios: nothing in it was tested"
            )?;
            let at = place.map_or_else(String::new, |place| {
                format!("file={},line=1,", github::escape_property(place))
            });
            writeln!(
                out,
                "::warning {at}title=wfl test::{}",
                github::escape_data("this file has no scenario: nothing in it was tested")
            )
        }
        FileOutcome::Ran { scenarios, .. } => {
            for scenario in scenarios {
                let prefix = format!("test {name} › {} ...", shown_name(&scenario.name));
                match &scenario.verdict {
                    Verdict::Passed if quiet => {}
                    Verdict::Passed => writeln!(out, "{prefix} ok")?,
                    Verdict::Skipped(why) => writeln!(out, "{prefix} skipped ({why})")?,
                    Verdict::Failed(failures) => {
                        writeln!(out, "{prefix} FAILED")?;
                        annotate(out, failures)?;
                    }
                }
            }
            Ok(())
        }
    }
}

/// How a verdict is coloured.
enum Coloured {
    /// As a note's header (green).
    Passed,
    /// As an error's header (red).
    Failed,
    /// As a warning's header (yellow).
    Untested,
}

/// `ok` or `FAILED`, in the colours of the findings' headers when the output has colour.
fn verdict<W: WriteStyle + Write>(out: &mut W, word: &str, colour: Coloured) -> io::Result<()> {
    out.set_header(match colour {
        Coloured::Passed => codespan_reporting::diagnostic::Severity::Note,
        Coloured::Failed => codespan_reporting::diagnostic::Severity::Error,
        Coloured::Untested => codespan_reporting::diagnostic::Severity::Warning,
    })?;
    write!(out, "{word}")?;
    out.reset()
}

/// The findings as plain rustc-style text, for the body of a JUnit failure.
fn plain_text(file: &TestedFile, found: &[Diagnostic]) -> String {
    let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    // Writing into a Vec cannot fail, and every span comes from this file.
    let _ = render::human(&mut out, &file.sources, file.file, found);
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}

/// The `<testsuite>` of a file: a test case per scenario; a file with errors has one per scenario
/// that did not run (or one for the file), each an `<error>`; a file without scenarios has one
/// test case, skipped, so that it shows in a CI test tab as not tested rather than as passed.
fn junit_suite(file: &TestedFile) -> junit::Suite {
    let mut suite = junit::Suite::new(&shown_name(&file.name));
    match &file.outcome {
        FileOutcome::Errors { shown, scenarios } => {
            let text = plain_text(file, shown);
            let message = "the file has errors, so its scenarios did not run";
            let names = if scenarios.is_empty() {
                vec![shown_name(&file.name)]
            } else {
                scenarios.iter().map(|s| shown_name(s)).collect()
            };
            for name in names {
                suite.push(junit::Case {
                    name,
                    result: junit::CaseResult::Error {
                        message: message.to_owned(),
                        kind: shown.first().map_or("", |d| d.code.as_str()).to_owned(),
                        text: text.clone(),
                    },
                });
            }
        }
        FileOutcome::NoScenarios => suite.push(junit::Case {
            name: "(no scenarios)".to_owned(),
            result: junit::CaseResult::Skipped {
                message: "the file has no scenario: nothing in it was tested".to_owned(),
            },
        }),
        FileOutcome::Ran { scenarios, .. } => {
            for scenario in scenarios {
                let result = match &scenario.verdict {
                    Verdict::Passed => junit::CaseResult::Passed,
                    Verdict::Skipped(why) => junit::CaseResult::Skipped {
                        message: (*why).to_owned(),
                    },
                    Verdict::Failed(failures) => junit::CaseResult::Failure {
                        message: failure_message(failures),
                        kind: failures.first().map_or("", |d| d.code.as_str()).to_owned(),
                        text: plain_text(file, failures),
                    },
                };
                suite.push(junit::Case {
                    name: shown_name(&scenario.name),
                    result,
                });
            }
        }
    }
    suite
}

/// A failed scenario's message: its first finding's, and how many more there are.
fn failure_message(failures: &[Diagnostic]) -> String {
    let first = failures.first().map_or_else(
        || "failed".to_owned(),
        |d| line_text(&d.message).into_owned(),
    );
    match failures.len() {
        0 | 1 => first,
        n => format!("{first} (and {} more)", n - 1),
    }
}

/// The JSON document `--format json` prints (schema version 1, specs/cli.md).
#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: Vec<JsonFile>,
    summary: Summary,
    /// With `--coverage` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<JsonCoverage<'a>>,
    /// The `wfl.toml` that could not be used; only when there is one.
    #[serde(skip_serializing_if = "<[JsonConfigError]>::is_empty")]
    config_errors: &'a [JsonConfigError],
}

#[derive(Serialize)]
struct JsonCoverage<'a> {
    files: &'a [FileCoverage],
    totals: Totals,
    fail_under: Option<f64>,
}

#[derive(Serialize)]
struct JsonFile {
    file: String,
    /// `"tested"`, `"errors"` (its scenarios did not run) or `"no_scenarios"`.
    status: &'static str,
    /// The file's errors, when it has some.
    diagnostics: Vec<JsonDiagnostic>,
    scenarios: Vec<JsonScenario>,
    filtered_out: usize,
}

#[derive(Serialize)]
struct JsonScenario {
    name: String,
    line: usize,
    /// `"passed"`, `"failed"` or `"skipped"`.
    status: &'static str,
    /// Why it was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    /// One E0500 finding per unmet `expect`, and the error that stopped a machine run.
    failures: Vec<JsonDiagnostic>,
}

impl JsonFile {
    fn new(file: &TestedFile) -> JsonFile {
        let json = |found: &[Diagnostic]| match file.source() {
            Some(source) => found
                .iter()
                .map(|d| JsonDiagnostic::new(source, d))
                .collect(),
            None => Vec::new(),
        };
        let mut out = JsonFile {
            file: file.name.clone(),
            status: "tested",
            diagnostics: Vec::new(),
            scenarios: Vec::new(),
            filtered_out: 0,
        };
        match &file.outcome {
            FileOutcome::Errors { shown, .. } => {
                out.status = "errors";
                out.diagnostics = json(shown);
            }
            FileOutcome::NoScenarios => out.status = "no_scenarios",
            FileOutcome::Ran {
                scenarios,
                filtered_out,
            } => {
                out.filtered_out = *filtered_out;
                out.scenarios = scenarios
                    .iter()
                    .map(|s| {
                        let (status, reason, failures) = match &s.verdict {
                            Verdict::Passed => ("passed", None, Vec::new()),
                            Verdict::Skipped(why) => ("skipped", Some(*why), Vec::new()),
                            Verdict::Failed(found) => ("failed", None, json(found)),
                        };
                        JsonScenario {
                            name: s.name.clone(),
                            line: s.line,
                            status,
                            reason,
                            failures,
                        }
                    })
                    .collect();
            }
        }
        out
    }
}
