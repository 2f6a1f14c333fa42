//! `wfl.toml`: the lint levels of the files below it. For each checked file, the nearest one is
//! used, found by walking up from the file's directory (for standard input, from the current
//! directory) to the root of the file system. Each directory is looked at once per run.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files::{Input, describe, what, why};
use super::output;
use crate::lint::Levels;

/// The file name looked for.
pub const CONFIG_FILE: &str = "wfl.toml";

/// The most bytes a `wfl.toml` may have: it holds a table of lint levels, a few hundred bytes.
pub const MAX_CONFIG_LEN: u64 = 1 << 20;

/// What a directory's nearest `wfl.toml` gives.
#[derive(Clone)]
enum Found {
    /// No `wfl.toml` in it or above it: every warning at its default level.
    Nothing,
    Levels(Arc<Levels>),
    /// It cannot be read or used; the error was reported when it was read.
    Broken,
}

/// The `wfl.toml` files of one run, each read once.
pub struct Configs {
    /// The current directory, with symbolic links resolved; paths under it are shown relative.
    cwd: Option<PathBuf>,
    by_dir: HashMap<PathBuf, Found>,
    default: Arc<Levels>,
}

impl Configs {
    pub fn new(cwd: Option<PathBuf>) -> Configs {
        Configs {
            cwd,
            by_dir: HashMap::new(),
            default: Arc::new(Levels::default()),
        }
    }

    /// The lint levels for `input`, or `None` when its `wfl.toml` cannot be used (the reason is
    /// written to standard error the first time).
    pub fn levels_for(&mut self, input: &Input) -> Option<Arc<Levels>> {
        let start = match input {
            Input::Stdin => self.cwd.clone()?,
            Input::File(path) => {
                let dir = match path.parent() {
                    Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                std::fs::canonicalize(&dir).unwrap_or_else(|_| match &self.cwd {
                    Some(cwd) if dir.is_relative() => cwd.join(dir),
                    _ => dir,
                })
            }
        };
        match self.find(&start) {
            Found::Nothing => Some(self.default.clone()),
            Found::Levels(levels) => Some(levels),
            Found::Broken => None,
        }
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
    fn look(&self, candidate: &Path) -> Option<Found> {
        match std::fs::metadata(candidate) {
            Ok(meta) if meta.is_file() => Some(self.read(candidate)),
            Ok(meta) => {
                output::error(&format!(
                    "cannot use `{}`: it is {}, not a file",
                    self.show(candidate),
                    what(meta.file_type())
                ));
                Some(Found::Broken)
            }
            Err(err)
                if err.kind() == io::ErrorKind::NotFound
                    && std::fs::symlink_metadata(candidate).is_err() =>
            {
                None
            }
            Err(err) => {
                output::error(&format!(
                    "cannot read `{}`: {}",
                    self.show(candidate),
                    why(candidate, &err)
                ));
                Some(Found::Broken)
            }
        }
    }

    fn read(&self, path: &Path) -> Found {
        let shown = self.show(path);
        let text = match read_config(path) {
            Ok(text) => text,
            Err(why) => {
                output::error(&format!("cannot read `{shown}`: {why}"));
                return Found::Broken;
            }
        };
        match Levels::from_toml(&text, &shown) {
            Ok(levels) => Found::Levels(Arc::new(levels)),
            Err(err) => {
                output::error(&err.to_string());
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
