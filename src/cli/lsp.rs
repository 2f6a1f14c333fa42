//! `wfl lsp`: the language server (`crate::lsp`) on standard input and output, with the
//! `wfl.toml` of each document found and read here (the server never reads a file).

use std::path::Path;
use std::sync::Arc;

use super::args::MinSeverity;
use super::check::working_directory;
use super::config::{Choice, Configs, JsonConfigError};
use super::files::Input;
use super::{EXIT_CLEAN, EXIT_USAGE, output};
use crate::analysis::machine_findings::DEFAULT_LIMITS;
use crate::diagnostic::Severity;
use crate::lsp::settings::Settings;

pub fn run() -> u8 {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let served = crate::lsp::run_with(&connection, &mut settings);
    // The writer thread ends once every sender is gone.
    drop(connection);
    let joined = io_threads.join();
    match (served, joined) {
        (Ok(()), Ok(())) => EXIT_CLEAN,
        (Err(err), _) => {
            output::error(&format!("wfl lsp: {err}"));
            EXIT_USAGE
        }
        (_, Err(err)) => {
            output::error(&format!("wfl lsp: {err}"));
            EXIT_USAGE
        }
    }
}

/// The settings of the document at `path` (`None`: not a file; the current directory's then), as
/// `wfl check` finds them: the nearest `wfl.toml` gives the levels and, here, the `[check]`
/// options too. Read afresh each time: the server asks on open, save and a changed `wfl.toml`.
fn settings(path: Option<&Path>) -> Settings {
    let mut configs = Configs::new(working_directory(), Choice::Nearest);
    let input = path.map_or(Input::Stdin, |p| Input::File(p.to_path_buf()));
    let Ok(config) = configs.config_for(&input) else {
        let problem = configs.errors.first().map_or_else(
            || "the `wfl.toml` of this file cannot be used".to_owned(),
            one_line,
        );
        return Settings::broken(problem);
    };
    let Some(config) = config else {
        return Settings::default();
    };
    let check = &config.settings.check;
    let deny_warnings = check.deny_warnings.then(|| {
        let origin = config.levels.origin().unwrap_or("wfl.toml");
        format!("`deny-warnings = true` in `{origin}`")
    });
    Settings {
        levels: Arc::clone(&config.levels),
        exploration: check.bounds.limits(DEFAULT_LIMITS),
        deny_warnings,
        min_severity: match check.min_severity {
            None | Some(MinSeverity::Note) => Severity::Note,
            Some(MinSeverity::Warning) => Severity::Warning,
            Some(MinSeverity::Error) => Severity::Error,
        },
        problem: None,
    }
}

/// A `wfl.toml` error as `wfl check` writes it on standard error: `FILE:LINE:COLUMN: MESSAGE`.
fn one_line(error: &JsonConfigError) -> String {
    match (error.file.is_empty(), error.line, error.column) {
        (true, _, _) => error.message.clone(),
        (false, Some(line), Some(column)) => {
            format!("{}:{line}:{column}: {}", error.file, error.message)
        }
        (false, _, _) => format!("{}: {}", error.file, error.message),
    }
}
