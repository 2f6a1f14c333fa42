//! `wfl check`: every finding in every file, then a summary; exit 0, 1 or 2.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::args::{CheckArgs, Deny, Format};
use super::output;
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE};
use crate::diagnostic::render::{self, JsonDiagnostic};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Source, Sources};

/// Where a spec comes from.
enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_owned(),
            Input::File(path) => path.display().to_string(),
        }
    }

    fn read(&self) -> io::Result<Vec<u8>> {
        match self {
            Input::Stdin => {
                let mut bytes = Vec::new();
                io::stdin().lock().read_to_end(&mut bytes)?;
                Ok(bytes)
            }
            Input::File(path) => std::fs::read(path),
        }
    }
}

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
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::other)?;
    writeln!(out)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The files to check, in a stable order: paths as given, directories searched for `*.wfl`
/// (sorted, hidden directories skipped, symbolic links to directories not followed).
fn collect_inputs(paths: &[PathBuf], io_failed: &mut bool) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let before = inputs.len();
                if let Err(err) = walk(path, &mut inputs) {
                    output::error(&format!(
                        "cannot read directory `{}`: {}",
                        path.display(),
                        describe(&err)
                    ));
                    *io_failed = true;
                } else if inputs.len() == before {
                    output::error(&format!("no `.wfl` files in `{}`", path.display()));
                    *io_failed = true;
                }
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
            Err(err) => {
                output::error(&format!(
                    "cannot read `{}`: {}",
                    path.display(),
                    describe(&err)
                ));
                *io_failed = true;
            }
        }
    }
    inputs
}

fn walk(dir: &Path, inputs: &mut Vec<Input>) -> io::Result<()> {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        let mut subdirs = Vec::new();
        for entry in entries {
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let kind = entry.file_type()?;
            if kind.is_dir() && !hidden {
                subdirs.push(path);
            } else if (kind.is_file() || kind.is_symlink() && path.is_file())
                && path.extension().is_some_and(|ext| ext == "wfl")
            {
                inputs.push(Input::File(path));
            }
        }
        // Depth first, in name order.
        pending.extend(subdirs.into_iter().rev());
    }
    Ok(())
}

/// An I/O error in words, without Rust's "(os error 2)".
fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}
