//! The files a command reads: paths as given, directories searched for `*.wfl`, `-` for stdin.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use std::io::Write;

use super::args::{ColorWhen, Format};
use super::simulate::write_json;
use super::{EXIT_FINDINGS, EXIT_USAGE, output};
use crate::diagnostic::render::{self, JsonDiagnostic};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Source, Sources};

/// Where a spec comes from.
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_owned(),
            Input::File(path) => path.display().to_string(),
        }
    }

    pub fn read(&self) -> io::Result<Vec<u8>> {
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

/// The one spec a command such as `simulate` or `explore` works on, checked.
pub struct Loaded {
    pub source: Source,
    pub checked: crate::Checked,
    /// The checker's errors (with any of them, there is nothing to run or explore).
    pub errors: Vec<Diagnostic>,
}

/// Reads the spec at `path` (`-`: standard input) and checks it. A file that cannot be read is a
/// one-line error naming what could not be done (`verb`: "simulate", "explore"); `Err` is the
/// exit status then.
pub fn load_one(path: &Path, verb: &str) -> Result<Loaded, u8> {
    let input = if path.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(path.to_path_buf())
    };
    let name = input.name();
    let bytes = input.read().map_err(|err| {
        output::error(&format!("cannot read `{name}`: {}", describe(&err)));
        EXIT_USAGE
    })?;
    let Some((source, checked)) = crate::check_bytes(&name, bytes) else {
        output::error(&format!(
            "cannot {verb} `{name}`: files over 4 GiB are not supported"
        ));
        return Err(EXIT_USAGE);
    };
    let errors = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    Ok(Loaded {
        source,
        checked,
        errors,
    })
}

/// A file given to a one-file command (`simulate`, `explore`) does not check: its errors in the
/// format asked for (JSON: `{"version": 1, "diagnostics": [...]}`), nothing `done`, exit 1.
pub fn report_errors(
    format: Format,
    color: ColorWhen,
    source: Source,
    errors: &[Diagnostic],
    done: &str,
) -> u8 {
    let mut out = output::stdout(color);
    let written = match format {
        Format::Json => {
            let diagnostics: Vec<JsonDiagnostic> = errors
                .iter()
                .map(|d| JsonDiagnostic::new(&source, d))
                .collect();
            write_json(
                &mut out,
                &serde_json::json!({ "version": 1, "diagnostics": diagnostics }),
            )
        }
        Format::Human => {
            let mut sources = Sources::new();
            let file = sources.add(source);
            render::human(&mut out, &sources, file, errors)
                .and_then(|()| writeln!(out, "the file has errors: nothing was {done}"))
        }
    };
    if let Err(err) = written
        && !output::is_closed_pipe(&err)
    {
        output::error(&format!("cannot write the report: {err}"));
    }
    EXIT_FINDINGS
}

/// The files to check, in a stable order: paths as given, directories searched for `*.wfl`
/// (sorted, hidden directories skipped, symbolic links to directories not followed).
pub fn collect_inputs(paths: &[PathBuf], io_failed: &mut bool) -> Vec<Input> {
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
pub fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}
