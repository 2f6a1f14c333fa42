//! `wfl check`: every finding in every file, then a summary; exit 0, 1 or 2.

use std::io::{self, Write};

use serde::Serialize;

use super::args::{CheckArgs, Deny, Format};
use super::files::{collect_inputs, describe};
use super::output;
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE};
use crate::diagnostic::render::{self, JsonDiagnostic};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Source, Sources};

#[derive(Clone, Copy, Default, Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
}

/// The JSON document `--format json` prints (schema version 1, specs/cli.md).
#[derive(Serialize)]
struct JsonReport {
    version: u32,
    files: Vec<String>,
    diagnostics: Vec<JsonDiagnostic>,
    summary: Summary,
}

pub fn run(args: &CheckArgs) -> u8 {
    let mut io_failed = false;
    let inputs = collect_inputs(&args.paths, &mut io_failed);
    let deny_warnings = args.deny.contains(&Deny::Warnings);
    let mut out = output::stdout(args.color);
    let mut summary = Summary::default();
    let mut json = JsonReport {
        version: 1,
        files: Vec::new(),
        diagnostics: Vec::new(),
        summary: Summary::default(),
    };
    let mut closed = false;
    for input in &inputs {
        let name = input.name();
        let bytes = match input.read() {
            Ok(bytes) => bytes,
            Err(err) => {
                output::error(&format!("cannot read `{name}`: {}", describe(&err)));
                io_failed = true;
                continue;
            }
        };
        let Some((source, checked)) = crate::check_bytes(&name, bytes) else {
            output::error(&format!(
                "cannot check `{name}`: files over 4 GiB are not supported"
            ));
            io_failed = true;
            continue;
        };
        let mut diagnostics = checked.diagnostics;
        if deny_warnings {
            deny(&mut diagnostics);
        }
        summary.files += 1;
        for d in &diagnostics {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
            }
        }
        match args.format {
            Format::Human if !closed => {
                if let Err(err) = write_human(&mut out, source, &diagnostics) {
                    closed = true;
                    if !output::is_closed_pipe(&err) {
                        output::error(&format!("cannot write the report: {err}"));
                        io_failed = true;
                    }
                }
            }
            Format::Human => {}
            Format::Json => {
                json.files.push(name);
                json.diagnostics
                    .extend(diagnostics.iter().map(|d| JsonDiagnostic::new(&source, d)));
            }
        }
    }
    let finished = match args.format {
        // Nothing read: the errors above say why; a summary of nothing would only confuse.
        Format::Human if closed || summary.files == 0 => Ok(()),
        Format::Human => write_summary(&mut out, &summary),
        Format::Json => {
            json.summary = summary;
            write_json(&mut out, &json)
        }
    };
    if let Err(err) = finished
        && !output::is_closed_pipe(&err)
    {
        output::error(&format!("cannot write the report: {err}"));
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

/// `--deny warnings`: every warning becomes an error.
fn deny(diagnostics: &mut [Diagnostic]) {
    for d in diagnostics {
        if d.severity == Severity::Warning {
            d.severity = Severity::Error;
            d.notes
                .push("`--deny warnings` turns this warning into an error".to_owned());
        }
    }
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
    if summary.errors == 0 && summary.warnings == 0 {
        return writeln!(out, "checked {files}: no problems found");
    }
    writeln!(
        out,
        "checked {files}: {}, {}",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning")
    )
}

fn write_json(out: &mut impl Write, report: &JsonReport) -> io::Result<()> {
    // Serialized first, so a closed pipe is reported as one by `writeln!`.
    let text = serde_json::to_string_pretty(report).map_err(io::Error::other)?;
    writeln!(out, "{text}")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
