//! `wfl.toml`: the lint levels of the files below it (`[lints]`), which files directories give
//! (`include`, `exclude`) and the commands' options (`[check]`, `[test]`). For each checked file,
//! the nearest one is used for its levels, found by walking up from the file's directory (for
//! standard input, from the current directory) to the root of the file system; the options and
//! the globs come from the one nearest the current directory. `--config PATH` names the one file
//! used for everything, `--no-config` uses none. Each directory is looked at once per run.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use serde::Serialize;
use toml::de::{DeTable, DeValue};

use super::args::{Bounds, CheckFormat, MinSeverity, TestFormat};
use super::files::{Input, describe, what, why};
use super::output;
use crate::diagnostic::suggest::did_you_mean;
use crate::lint::{ConfigError, Levels};

/// The file name looked for.
pub const CONFIG_FILE: &str = "wfl.toml";

/// The most bytes a `wfl.toml` may have: it holds a table of lint levels, a few hundred bytes.
pub const MAX_CONFIG_LEN: u64 = 1 << 20;

/// What a directory's nearest `wfl.toml` gives.
#[derive(Clone)]
enum Found {
    /// No `wfl.toml` in it or above it: every warning at its default level.
    Nothing,
    Config(Arc<Config>),
    /// It cannot be read or used; the error was reported when it was read.
    Broken,
}

/// One `wfl.toml`, read.
#[derive(Debug, Default)]
pub struct Config {
    pub levels: Arc<Levels>,
    pub settings: Settings,
    /// Its directory: the globs are relative to it.
    pub dir: PathBuf,
}

/// Which `wfl.toml` a run uses.
pub enum Choice {
    /// The nearest one (the default).
    Nearest,
    /// `--config PATH`: that one, for every file.
    File(PathBuf),
    /// `--no-config`: none.
    None,
}

/// A `wfl.toml` that could not be used, as the JSON reports give it.
#[derive(Clone, Debug, Serialize)]
pub struct JsonConfigError {
    /// The file, as shown.
    pub file: String,
    /// Where in it, 1-based, when the problem has a place.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

/// The `wfl.toml` files of one run, each read once.
pub struct Configs {
    /// The current directory, with symbolic links resolved; paths under it are shown relative.
    cwd: Option<PathBuf>,
    by_dir: HashMap<PathBuf, Found>,
    /// With `--config` or `--no-config`, what every file gets.
    fixed: Option<Found>,
    default: Arc<Levels>,
    /// Every `wfl.toml` that could not be used, as reported on standard error.
    pub errors: Vec<JsonConfigError>,
}

impl Configs {
    pub fn new(cwd: Option<PathBuf>, choice: Choice) -> Configs {
        let mut configs = Configs {
            cwd,
            by_dir: HashMap::new(),
            fixed: None,
            default: Arc::new(Levels::default()),
            errors: Vec::new(),
        };
        configs.fixed = match choice {
            Choice::Nearest => None,
            Choice::None => Some(Found::Nothing),
            Choice::File(path) => Some(match configs.look(&path) {
                Some(found) => found,
                None => {
                    configs.fail(
                        None,
                        format!(
                            "cannot read `{}`: No such file or directory",
                            path.display()
                        ),
                    );
                    Found::Broken
                }
            }),
        };
        configs
    }

    /// The `wfl.toml` whose options and globs the run uses: `--config`'s, or the one nearest the
    /// current directory; `Ok(None)` when there is none, `Err` when it cannot be used (reported).
    pub fn for_run(&mut self) -> Result<Option<Arc<Config>>, ()> {
        let found = match (&self.fixed, self.cwd.clone()) {
            (Some(fixed), _) => fixed.clone(),
            (None, Some(cwd)) => self.find(&cwd),
            (None, None) => Found::Nothing,
        };
        match found {
            Found::Nothing => Ok(None),
            Found::Config(config) => Ok(Some(config)),
            Found::Broken => Err(()),
        }
    }

    /// The lint levels for `input`, or `None` when its `wfl.toml` cannot be used (the reason is
    /// written to standard error the first time).
    pub fn levels_for(&mut self, input: &Input) -> Option<Arc<Levels>> {
        match self.config_for(input) {
            Ok(None) => Some(self.default.clone()),
            Ok(Some(config)) => Some(config.levels.clone()),
            Err(()) => None,
        }
    }

    /// The `wfl.toml` nearest `input` (`--config`'s, if given): `Ok(None)` when there is none,
    /// `Err` when it cannot be used (reported). `wfl lsp` takes a document's options from it too.
    pub fn config_for(&mut self, input: &Input) -> Result<Option<Arc<Config>>, ()> {
        let found = match &self.fixed {
            Some(fixed) => fixed.clone(),
            None => match input {
                Input::Stdin => match self.cwd.clone() {
                    Some(cwd) => self.find(&cwd),
                    None => Found::Broken,
                },
                Input::File(path) => {
                    let dir = match path.parent() {
                        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                        _ => PathBuf::from("."),
                    };
                    let start = std::fs::canonicalize(&dir).unwrap_or_else(|_| match &self.cwd {
                        Some(cwd) if dir.is_relative() => cwd.join(dir),
                        _ => dir,
                    });
                    self.find(&start)
                }
            },
        };
        match found {
            Found::Nothing => Ok(None),
            Found::Config(config) => Ok(Some(config)),
            Found::Broken => Err(()),
        }
    }

    /// Reports a `wfl.toml` that cannot be used: on standard error, and kept for the JSON.
    fn fail(&mut self, error: Option<&ConfigError>, message: String) {
        output::error(&message);
        self.errors.push(match error {
            Some(error) => JsonConfigError {
                file: error.origin.clone(),
                line: error.at.map(|(line, _)| line),
                column: error.at.map(|(_, column)| column),
                message: error.message.clone(),
            },
            None => JsonConfigError {
                file: String::new(),
                line: None,
                column: None,
                message,
            },
        });
    }

    fn find(&mut self, start: &Path) -> Found {
        let mut visited = Vec::new();
        let mut found = Found::Nothing;
        for dir in start.ancestors() {
            if let Some(known) = self.by_dir.get(dir) {
                found = known.clone();
                break;
            }
            visited.push(dir.to_path_buf());
            if let Some(here) = self.look(&dir.join(CONFIG_FILE)) {
                found = here;
                break;
            }
        }
        for dir in visited {
            self.by_dir.insert(dir, found.clone());
        }
        found
    }

    /// What `candidate` gives: `None` when there is nothing by that name. Anything there that is
    /// not a readable file (a directory, a link to nothing, a file that cannot be read) is an
    /// error, not a reason to look further up: the user meant it to govern these files.
    fn look(&mut self, candidate: &Path) -> Option<Found> {
        match std::fs::metadata(candidate) {
            Ok(meta) if meta.is_file() => Some(self.read(candidate)),
            Ok(meta) => {
                let message = format!(
                    "cannot use `{}`: it is {}, not a file",
                    self.show(candidate),
                    what(meta.file_type())
                );
                self.fail(None, message);
                Some(Found::Broken)
            }
            Err(err)
                if err.kind() == io::ErrorKind::NotFound
                    && std::fs::symlink_metadata(candidate).is_err() =>
            {
                None
            }
            Err(err) => {
                let message = format!(
                    "cannot read `{}`: {}",
                    self.show(candidate),
                    why(candidate, &err)
                );
                self.fail(None, message);
                Some(Found::Broken)
            }
        }
    }

    fn read(&mut self, path: &Path) -> Found {
        let shown = self.show(path);
        let text = match read_config(path) {
            Ok(text) => text,
            Err(why) => {
                self.fail(None, format!("cannot read `{shown}`: {why}"));
                return Found::Broken;
            }
        };
        let read = Levels::from_toml(&text, &shown)
            .and_then(|levels| Ok((levels, Settings::from_toml(&text, &shown)?)));
        match read {
            Ok((levels, settings)) => Found::Config(Arc::new(Config {
                levels: Arc::new(levels),
                settings,
                dir: path
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            })),
            Err(err) => {
                self.fail(Some(&err), err.to_string());
                Found::Broken
            }
        }
    }

    /// `path` relative to the current directory when it is below it, else as it is.
    fn show(&self, path: &Path) -> String {
        self.cwd
            .as_deref()
            .and_then(|cwd| path.strip_prefix(cwd).ok())
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// The text of the `wfl.toml` at `path`, at most [`MAX_CONFIG_LEN`] bytes of UTF-8; `Err` says
/// why not, in words.
fn read_config(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|err| describe(&err))?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| describe(&err))?;
    if bytes.len() as u64 > MAX_CONFIG_LEN {
        return Err(format!(
            "it is larger than {MAX_CONFIG_LEN} bytes, the most a `wfl.toml` may have"
        ));
    }
    String::from_utf8(bytes).map_err(|_| "it is not valid UTF-8".to_owned())
}

/// The options a `wfl.toml` sets: `include` and `exclude` globs, and `[check]` and `[test]`
/// tables with the commands' options (the command line's win over them).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub check: CheckSettings,
    pub test: TestSettings,
    pub fmt: FmtSettings,
}

/// `[fmt]`: `exclude`, globs of files that directories do not give to `wfl fmt` (files whose
/// layout is their point: test fixtures of syntax errors, files copied from elsewhere).
#[derive(Clone, Debug, Default)]
pub struct FmtSettings {
    pub exclude: Vec<String>,
}

/// `[check]`: `format`, `min-severity`, `deny-warnings`, `children`, `max-states`, `max-memory`,
/// `threads`.
#[derive(Clone, Debug, Default)]
pub struct CheckSettings {
    pub format: Option<CheckFormat>,
    pub min_severity: Option<MinSeverity>,
    pub deny_warnings: bool,
    pub bounds: Bounds,
}

/// `[test]`: `format`, `coverage`, `fail-under`, and the bounds of the coverage's exploration.
#[derive(Clone, Debug, Default)]
pub struct TestSettings {
    pub format: Option<TestFormat>,
    pub coverage: bool,
    pub fail_under: Option<f64>,
    pub bounds: Bounds,
}

const CHECK_KEYS: [&str; 7] = [
    "format",
    "min-severity",
    "deny-warnings",
    "children",
    "max-states",
    "max-memory",
    "threads",
];
const FMT_KEYS: [&str; 1] = ["exclude"];
const TEST_KEYS: [&str; 7] = [
    "format",
    "coverage",
    "fail-under",
    "children",
    "max-states",
    "max-memory",
    "threads",
];

type Spanned<'a> = toml::Spanned<DeValue<'a>>;

impl Settings {
    /// Reads the options of a `wfl.toml` (its `[lints]` are read by [`Levels::from_toml`]).
    pub fn from_toml(text: &str, origin: &str) -> Result<Settings, ConfigError> {
        let error = |at: &Spanned<'_>, message: String| {
            ConfigError::new(text, origin, Some(at.span()), message)
        };
        let document =
            DeTable::parse(text).map_err(|err| ConfigError::syntax(text, origin, &err))?;
        let mut settings = Settings::default();
        for (key, value) in document.get_ref() {
            match key.get_ref().as_ref() {
                "include" => settings.include = globs(value, "include", &error)?,
                "exclude" => settings.exclude = globs(value, "exclude", &error)?,
                "check" => {
                    for (k, v) in table(value, "check", &CHECK_KEYS, &error)? {
                        let check = &mut settings.check;
                        match k {
                            "format" => check.format = Some(choice(v, "check.format", &error)?),
                            "min-severity" => {
                                check.min_severity = Some(choice(v, "check.min-severity", &error)?)
                            }
                            "deny-warnings" => {
                                check.deny_warnings = boolean(v, "check.deny-warnings", &error)?
                            }
                            _ => bound(&mut check.bounds, k, v, "check", &error)?,
                        }
                    }
                }
                "test" => {
                    for (k, v) in table(value, "test", &TEST_KEYS, &error)? {
                        let test = &mut settings.test;
                        match k {
                            "format" => test.format = Some(choice(v, "test.format", &error)?),
                            "coverage" => test.coverage = boolean(v, "test.coverage", &error)?,
                            "fail-under" => {
                                let p = number(v, "test.fail-under", &error)?;
                                if !(0.0..=100.0).contains(&p) {
                                    return Err(error(
                                        v,
                                        "`test.fail-under` must be a percentage from 0 to 100"
                                            .to_owned(),
                                    ));
                                }
                                test.fail_under = Some(p);
                            }
                            _ => bound(&mut test.bounds, k, v, "test", &error)?,
                        }
                    }
                }
                "fmt" => {
                    for (_, v) in table(value, "fmt", &FMT_KEYS, &error)? {
                        settings.fmt.exclude = globs(v, "fmt.exclude", &error)?;
                    }
                }
                // `[lints]`, or a key `Levels::from_toml` reported.
                _ => {}
            }
        }
        Ok(settings)
    }
}

/// The keys and values of table `name`, each key one of `keys` (else an error naming a close one).
fn table<'v, 'a>(
    value: &'v Spanned<'a>,
    name: &str,
    keys: &[&str],
    error: &impl Fn(&Spanned<'_>, String) -> ConfigError,
) -> Result<Vec<(&'v str, &'v Spanned<'a>)>, ConfigError> {
    let Some(table) = value.get_ref().as_table() else {
        return Err(error(
            value,
            format!("`{name}` must be a table: write `[{name}]` and one `KEY = VALUE` a line"),
        ));
    };
    let mut out = Vec::new();
    for (key, v) in table {
        let text: &str = key.get_ref();
        if !keys.contains(&text) {
            let mut message = format!("unknown key `{name}.{text}`");
            match did_you_mean(text, keys.iter().copied()) {
                Some(close) => message.push_str(&format!("; did you mean `{close}`?")),
                None => message.push_str(&format!(
                    " (the keys of `[{name}]` are {})",
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
            return Err(ConfigError {
                message,
                ..error(v, String::new())
            });
        }
        out.push((text, v));
    }
    Ok(out)
}

/// A list of globs.
fn globs(
    value: &Spanned<'_>,
    name: &str,
    error: &impl Fn(&Spanned<'_>, String) -> ConfigError,
) -> Result<Vec<String>, ConfigError> {
    let wrong = || {
        error(
            value,
            format!("`{name}` must be a list of globs: `{name} = [\"build/**\"]`"),
        )
    };
    let list = value.get_ref().as_array().ok_or_else(wrong)?;
    list.iter()
        .map(|item| {
            let glob = item.get_ref().as_str().ok_or_else(wrong)?;
            globset::Glob::new(glob)
                .map_err(|err| error(item, format!("`{glob}` is not a glob: {}", err.kind())))?;
            Ok(glob.to_owned())
        })
        .collect()
}

/// A string naming one of a command-line option's values (`"json"`, `"warning"`).
fn choice<T: ValueEnum>(
    value: &Spanned<'_>,
    name: &str,
    error: &impl Fn(&Spanned<'_>, String) -> ConfigError,
) -> Result<T, ConfigError> {
    let names: Vec<String> = T::value_variants()
        .iter()
        .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
        .collect();
    let quoted = names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let text = value
        .get_ref()
        .as_str()
        .ok_or_else(|| error(value, format!("`{name}` must be a string: one of {quoted}")))?;
    T::from_str(text, false).map_err(|_| {
        let mut message = format!("unknown value \"{text}\" for `{name}`");
        match did_you_mean(text, names.iter().map(String::as_str)) {
            Some(close) => message.push_str(&format!("; did you mean \"{close}\"?")),
            None => message.push_str(&format!(" (one of {quoted})")),
        }
        error(value, message)
    })
}

fn boolean(
    value: &Spanned<'_>,
    name: &str,
    error: &impl Fn(&Spanned<'_>, String) -> ConfigError,
) -> Result<bool, ConfigError> {
    value
        .get_ref()
        .as_bool()
        .ok_or_else(|| error(value, format!("`{name}` must be `true` or `false`")))
}

fn number(
    value: &Spanned<'_>,
    name: &str,
    error: &impl Fn(&Spanned<'_>, String) -> ConfigError,
) -> Result<f64, ConfigError> {
    match value.get_ref() {
        DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
        _ => None,
    }
    .ok_or_else(|| error(value, format!("`{name}` must be a number")))
}

/// `children`, `max-states`, `max-memory` or `threads`, within the ranges of the options.
fn bound(
    bounds: &mut Bounds,
    key: &str,
    value: &Spanned<'_>,
    table: &str,
    error: &impl Fn(&Spanned<'_>, String) -> ConfigError,
) -> Result<(), ConfigError> {
    use super::args::{MAX_MEMORY_MB, MAX_STATES, MAX_THREADS};
    let (low, high) = match key {
        "children" => (0, 4096),
        "max-states" => (1, MAX_STATES),
        "threads" => (1, MAX_THREADS as u64),
        _ => (1, MAX_MEMORY_MB),
    };
    let n = match value.get_ref() {
        DeValue::Integer(i) => i.as_str().replace('_', "").parse::<u64>().ok(),
        _ => None,
    }
    .filter(|n| (low..=high).contains(n))
    .ok_or_else(|| {
        error(
            value,
            format!("`{table}.{key}` must be a whole number from {low} to {high}"),
        )
    })?;
    match key {
        "children" => bounds.children = u32::try_from(n).ok(),
        "max-states" => bounds.max_states = Some(n),
        "threads" => bounds.threads = u16::try_from(n).ok(),
        _ => bounds.max_memory = Some(n),
    }
    Ok(())
}
