//! `wfl test`: every scenario of every file, a line each, the failures in detail, then
//! `N passed, N failed`.

use std::io::{self, Write};

use codespan_reporting::term::WriteStyle;

use super::args::TestArgs;
use super::files::{Input, collect_inputs};
use super::output;
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE};
use crate::diagnostic::bound::{bound_within, shorten_line};
use crate::diagnostic::render::{self, line_text};
use crate::diagnostic::{Diagnostic, Severity};
use crate::sim::Tally;
use crate::sim::scenario::Verdict;
use crate::source::Sources;

pub fn run(args: &TestArgs) -> u8 {
    let mut io_failed = false;
    let inputs = collect_inputs(&args.paths, &mut io_failed);
    let mut out = output::stdout(args.color);
    let mut tally = Tally::default();
    let mut file_errors = false;
    for input in &inputs {
        match test_file(&mut out, input, &mut tally) {
            Ok(FileResult::Tested) => {}
            Ok(FileResult::HasErrors) => file_errors = true,
            Ok(FileResult::Unreadable) => io_failed = true,
            Err(err) if output::is_closed_pipe(&err) => {
                return finish(io_failed, file_errors, &tally);
            }
            Err(err) => {
                output::error(&format!("cannot write the report: {err}"));
                return EXIT_USAGE;
            }
        }
    }
    let written = (|| -> io::Result<()> {
        if tally.skipped > 0 {
            writeln!(out, "{} skipped", tally.skipped)?;
        }
        writeln!(out, "{} passed, {} failed", tally.passed, tally.failed)
    })();
    if let Err(err) = written
        && !output::is_closed_pipe(&err)
    {
        output::error(&format!("cannot write the report: {err}"));
        return EXIT_USAGE;
    }
    finish(io_failed, file_errors, &tally)
}

fn finish(io_failed: bool, file_errors: bool, tally: &Tally) -> u8 {
    if io_failed {
        EXIT_USAGE
    } else if file_errors || tally.failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

enum FileResult {
    Tested,
    HasErrors,
    Unreadable,
}

fn test_file<W: WriteStyle + Write>(
    out: &mut W,
    input: &Input,
    tally: &mut Tally,
) -> io::Result<FileResult> {
    let name = input.name();
    let bytes = match input.read() {
        Ok(bytes) => bytes,
        Err(message) => {
            output::error(&message);
            return Ok(FileResult::Unreadable);
        }
    };
    let Some((source, tested)) = crate::test_bytes(&name, bytes) else {
        output::error(&format!(
            "cannot test `{name}`: files over 4 GiB are not supported"
        ));
        return Ok(FileResult::Unreadable);
    };
    let errors: Vec<Diagnostic> = tested
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    let mut sources = Sources::new();
    let scenario_names: Vec<String> = tested
        .checked
        .program
        .as_ref()
        .map(|p| {
            p.scenarios
                .iter()
                .map(|s| s.name.as_str().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let file = sources.add(source);
    // What is shown of a list of findings, as `wfl check` shows a file's.
    let bounded = |found: &[Diagnostic], place| {
        sources
            .get(file)
            .map_or_else(Vec::new, |source| bound_within(source, found, place).shown)
    };
    // Names from the file (its path, its scenarios') are shown escaped and cut, as in findings.
    let name = line_text(&shorten_line(&name)).into_owned();
    if !errors.is_empty() {
        render::human(out, &sources, file, &bounded(&errors, "this file"))?;
        // The scenarios could not run: each counts as failed (the file as one, when unreadable).
        let count = scenario_names.len().max(1);
        write!(out, "test {name} ... ")?;
        verdict(out, "FAILED", Coloured::Failed)?;
        writeln!(out, ": the file has errors, so its scenarios did not run")?;
        tally.failed += count;
        return Ok(FileResult::HasErrors);
    }
    for result in &tested.results {
        let scenario = scenario_names
            .get(result.scenario)
            .map_or("?", String::as_str);
        let scenario = line_text(&shorten_line(scenario)).into_owned();
        tally.add(&result.verdict);
        match &result.verdict {
            Verdict::Passed => {
                write!(out, "test {name} › {scenario} ... ")?;
                verdict(out, "ok", Coloured::Passed)?;
                writeln!(out)?;
            }
            Verdict::Skipped(why) => writeln!(out, "test {name} › {scenario} ... skipped ({why})")?,
            Verdict::Failed(failures) => {
                write!(out, "test {name} › {scenario} ... ")?;
                verdict(out, "FAILED", Coloured::Failed)?;
                writeln!(out)?;
                render::human(out, &sources, file, &bounded(failures, "this scenario"))?;
            }
        }
    }
    Ok(FileResult::Tested)
}

/// How a verdict is coloured.
enum Coloured {
    /// As a note's header (green).
    Passed,
    /// As an error's header (red).
    Failed,
}

/// `ok` or `FAILED`, in the colours of the findings' headers when the output has colour.
fn verdict<W: WriteStyle + Write>(out: &mut W, word: &str, colour: Coloured) -> io::Result<()> {
    out.set_header(match colour {
        Coloured::Passed => codespan_reporting::diagnostic::Severity::Note,
        Coloured::Failed => codespan_reporting::diagnostic::Severity::Error,
    })?;
    write!(out, "{word}")?;
    out.reset()
}
