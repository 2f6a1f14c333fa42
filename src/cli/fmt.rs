//! `wfl fmt`: writes files in the canonical layout (specs/format.md); `--check` and `--diff` only
//! say what would change. A file is replaced by renaming a formatted copy over it, so it is never
//! left half written; a file with syntax errors is left as it is and its errors are reported.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use super::args::FmtArgs;
use super::check::{configs, working_directory};
use super::config::Config;
use super::files::{Input, Selection, collect_inputs};
use super::output::{self, Inert};
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE};
use crate::diagnostic::bound::bound;
use crate::diagnostic::render;
use crate::source::{Source, Sources};

/// What became of one file.
enum Outcome {
    /// Already in the canonical layout.
    Unchanged,
    /// Formatted (written, or reported with `--check` / `--diff`).
    Changed,
    /// Syntax errors (reported): left as it is.
    Errors,
    /// It could not be read or written (reported).
    Failed,
}

pub fn run(args: &FmtArgs) -> u8 {
    let mut io_failed = false;
    let (_configs, config) = configs(&args.config, working_directory(), &mut io_failed);
    let selection = selection(config.as_deref(), &mut io_failed);
    let inputs = collect_inputs(&args.paths, &selection, &mut io_failed);
    let mut stdout = io::stdout().lock();
    let (mut changed, mut errors) = (0, 0);
    for input in &inputs {
        match one(args, input, &mut stdout) {
            Outcome::Unchanged => {}
            Outcome::Changed => changed += 1,
            Outcome::Errors => errors += 1,
            Outcome::Failed => io_failed = true,
        }
    }
    if io_failed {
        EXIT_USAGE
    } else if errors > 0 || ((args.check || args.diff) && changed > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// The files directories give: those of `wfl check`, less those `[fmt] exclude` names.
fn selection(config: Option<&Config>, io_failed: &mut bool) -> Selection {
    let Some(config) = config else {
        return Selection::new();
    };
    let settings = &config.settings;
    let exclude: Vec<String> = settings
        .exclude
        .iter()
        .chain(&settings.fmt.exclude)
        .cloned()
        .collect();
    Selection::new()
        .with_globs(&config.dir, &settings.include, &exclude)
        .unwrap_or_else(|message| {
            output::error(&message);
            *io_failed = true;
            Selection::new()
        })
}

/// Formats one input: standard input to standard output, a file in place (or, with `--check` /
/// `--diff`, its name or its diff on standard output).
fn one(args: &FmtArgs, input: &Input, stdout: &mut impl Write) -> Outcome {
    let name = input.name();
    let bytes = match input.read() {
        Ok(bytes) => bytes,
        Err(message) => {
            output::error(&message);
            return Outcome::Failed;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            // The finding `wfl check` gives: E0002 at the first bad byte.
            if let Some((source, checked)) = crate::check_bytes(&name, err.into_bytes()) {
                report(source, &checked.diagnostics);
            }
            return Outcome::Errors;
        }
    };
    let formatted = match crate::fmt::format(&text) {
        Ok(formatted) => formatted,
        Err(diagnostics) => {
            if let Some(source) = Source::new(&name, text) {
                report(source, &diagnostics);
            }
            return Outcome::Errors;
        }
    };
    let changed = formatted != text;
    let written = if args.diff {
        if changed {
            write!(stdout, "{}", diff(&name, &text, &formatted))
        } else {
            Ok(())
        }
    } else if args.check {
        if changed {
            writeln!(stdout, "{name}")
        } else {
            Ok(())
        }
    } else {
        match input {
            Input::Stdin => stdout.write_all(formatted.as_bytes()),
            Input::File(path) if changed => {
                if let Err(message) = replace(path, &formatted) {
                    output::error(&message);
                    return Outcome::Failed;
                }
                Ok(())
            }
            Input::File(_) => Ok(()),
        }
    };
    if let Err(err) = written.and_then(|()| stdout.flush())
        && !output::is_closed_pipe(&err)
    {
        output::error(&format!("cannot write the output: {err}"));
        return Outcome::Failed;
    }
    if changed {
        Outcome::Changed
    } else {
        Outcome::Unchanged
    }
}

/// The findings that keep a file from being formatted, on standard error (standard output may
/// be the formatted text).
fn report(source: Source, diagnostics: &[crate::diagnostic::Diagnostic]) {
    let bounded = bound(&source, diagnostics);
    let mut sources = Sources::new();
    let file = sources.add(source.clone());
    let mut err = Inert::new(StandardStream::stderr(ColorChoice::Never));
    let _ = render::human(&mut err, &sources, file, &bounded.shown);
    output::error(&format!(
        "`{}` was not formatted: it has errors",
        source.name()
    ));
}

/// A unified diff from `old` to `new`, both named `name`.
fn diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}

/// Replaces the file at `path` by `text`: written to a new file beside it (with its
/// permissions), then renamed over it, so that the file is at every moment either the old text or
/// the new. A symbolic link is followed: the file it names is replaced.
fn replace(path: &Path, text: &str) -> Result<(), String> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let cannot = |err: io::Error| {
        format!(
            "cannot write `{}`: {}",
            path.display(),
            super::files::describe(&err)
        )
    };
    let temporary = temporary_beside(&target);
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(text.as_bytes())?;
        if let Ok(meta) = std::fs::metadata(&target) {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        std::fs::rename(&temporary, &target)
    })();
    written.map_err(|err| {
        let _ = std::fs::remove_file(&temporary);
        cannot(err)
    })
}

/// A name for the formatted copy of `path`, in its directory: `.NAME.wfl-fmt-PID`.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.wfl-fmt-{}", std::process::id()))
}
