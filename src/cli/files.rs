//! The files a command reads: paths as given, directories searched for `*.wfl`, `-` for stdin.
//!
//! Nothing is skipped in silence: every path, directory entry or file that cannot be read is a
//! one-line error naming it (exit status 2), and every other file is still read. A spec is read
//! up to the size limit and no further, whatever its metadata says (`/dev/zero` says 0 bytes).

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};

use std::io::Write;

use super::args::{ColorWhen, Format};
use super::simulate::write_json;
use super::{EXIT_FINDINGS, EXIT_USAGE, output};
use crate::analysis::machine::Limits;
use crate::analysis::machine_findings::DEFAULT_LIMITS;
use crate::diagnostic::render::{self, JsonDiagnostic};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Levels;
use crate::source::{MAX_SOURCE_LEN, Source, Sources};

/// The environment variable that lowers the input limit (a whole number of bytes), so that tests
/// can show the limit at work without reading gigabytes. A value above the limit changes nothing.
pub const INPUT_LIMIT_VAR: &str = "WFL_INPUT_LIMIT";

/// The most bytes a spec may have: [`MAX_SOURCE_LEN`] (4 GiB less one byte), or less when
/// [`INPUT_LIMIT_VAR`] says so.
pub fn input_limit() -> u64 {
    let most = MAX_SOURCE_LEN as u64;
    std::env::var(INPUT_LIMIT_VAR)
        .ok()
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map_or(most, |lowered| lowered.min(most))
}

/// Where a spec comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The input a command line's path names: `-` is standard input.
    pub fn of(path: &Path) -> Input {
        if path.as_os_str() == "-" {
            Input::Stdin
        } else {
            Input::File(path.to_path_buf())
        }
    }

    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_owned(),
            Input::File(path) => path.display().to_string(),
        }
    }

    /// The spec's bytes, read up to [`input_limit`]; `Err` is the one-line message that says why
    /// it could not be read, naming it.
    pub fn read(&self) -> Result<Vec<u8>, String> {
        let limit = input_limit();
        let read = match self {
            Input::Stdin => read_stdin(limit),
            Input::File(path) => File::open(path)
                .map_err(ReadError::Io)
                .and_then(|file| read_open(file, limit)),
        };
        read.map_err(|err| err.message(&self.name(), limit))
    }
}

/// Why a spec could not be read.
#[derive(Debug)]
enum ReadError {
    Io(io::Error),
    /// It has more bytes than the limit.
    TooLarge,
    /// Its size or modification time changed while it was read, or it gave another number of
    /// bytes than its size said: what was read may be half old, half new.
    Changed {
        expected: u64,
        read: u64,
    },
    /// Memory for its bytes could not be had.
    OutOfMemory {
        bytes: u64,
    },
}

impl ReadError {
    fn message(&self, name: &str, limit: u64) -> String {
        match self {
            ReadError::Io(err) => format!("cannot read `{name}`: {}", describe(err)),
            ReadError::TooLarge if limit == MAX_SOURCE_LEN as u64 => format!(
                "cannot read `{name}`: it is larger than 4 GiB ({limit} bytes), the most a spec \
                 may have"
            ),
            ReadError::TooLarge => format!(
                "cannot read `{name}`: it is larger than {limit} bytes, the most a spec may have \
                 ({INPUT_LIMIT_VAR})"
            ),
            ReadError::Changed { expected, read } => format!(
                "cannot read `{name}`: it changed while it was read ({expected} bytes when it \
                 was opened, {read} read); check it again"
            ),
            ReadError::OutOfMemory { bytes } => {
                format!("cannot read `{name}`: not enough memory for {bytes} bytes")
            }
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> ReadError {
        ReadError::Io(err)
    }
}

/// Standard input, read up to `limit` bytes. On Unix its descriptor is read as a file, so that a
/// regular file redirected to it is measured first and watched for changes like any other.
fn read_stdin(limit: u64) -> Result<Vec<u8>, ReadError> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = io::stdin().as_fd().try_clone_to_owned() {
            return read_open(File::from(fd), limit);
        }
    }
    read_bounded(&mut io::stdin().lock(), limit, 0)
}

/// An open file, read from where it stands up to `limit` bytes. A regular file larger than the
/// limit is refused before anything is read; one that changes while it is read is an error.
fn read_open(file: File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let before = file.metadata()?;
    read_measured(file, limit, &before)
}

/// [`read_open`], `before` being what the file's metadata said before it was read.
fn read_measured(
    mut file: File,
    limit: u64,
    before: &std::fs::Metadata,
) -> Result<Vec<u8>, ReadError> {
    if !before.is_file() {
        // A pipe, a FIFO, a device: no size to trust, only the limit.
        return read_bounded(&mut file, limit, 0);
    }
    let start = file.stream_position().unwrap_or(0);
    let expected = before.len().saturating_sub(start);
    if expected > limit {
        return Err(ReadError::TooLarge);
    }
    let bytes = read_bounded(&mut file, limit, expected)?;
    let after = file.metadata()?;
    let read = bytes.len() as u64;
    let unchanged = after.len() == before.len() && after.modified().ok() == before.modified().ok();
    // Some file systems (`/proc`) give a size of 0 for files that have bytes.
    let as_said = read == expected || before.len() == 0;
    if unchanged && as_said {
        Ok(bytes)
    } else {
        Err(ReadError::Changed { expected, read })
    }
}

/// Everything `reader` gives, if that is at most `limit` bytes; reading stops one byte past the
/// limit. `expected` (what the file's size says, or 0) sizes the first read; the buffer then
/// doubles, never past the limit, so an endless input takes at most `limit` bytes of memory.
fn read_bounded(reader: &mut impl Read, limit: u64, expected: u64) -> Result<Vec<u8>, ReadError> {
    // One byte past the limit is enough to know the input is over it.
    let most = limit.saturating_add(1);
    let mut bytes: Vec<u8> = Vec::new();
    let mut room = expected.saturating_add(1).max(8 << 10).min(most);
    loop {
        let wanted = usize::try_from(room).map_err(|_| ReadError::OutOfMemory { bytes: room })?;
        bytes
            .try_reserve_exact(wanted)
            .map_err(|_| ReadError::OutOfMemory {
                bytes: bytes.len() as u64 + room,
            })?;
        let got = reader.by_ref().take(room).read_to_end(&mut bytes)? as u64;
        let len = bytes.len() as u64;
        if len > limit {
            return Err(ReadError::TooLarge);
        }
        if got < room {
            return Ok(bytes);
        }
        room = len.min(most - len);
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
    load_one_with(path, verb, &Levels::default(), DEFAULT_LIMITS)
}

/// [`load_one`], checking with these lint `levels` and bounds of `exploration`.
pub fn load_one_with(
    path: &Path,
    verb: &str,
    levels: &Levels,
    exploration: Limits,
) -> Result<Loaded, u8> {
    let input = Input::of(path);
    let name = input.name();
    let bytes = input.read().map_err(|message| {
        output::error(&message);
        EXIT_USAGE
    })?;
    let Some((source, checked)) = crate::check_bytes_with(&name, bytes, levels, exploration) else {
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
/// (sorted, hidden directories skipped, symbolic links to directories not followed), each file
/// once. Whatever cannot be read (a path, a directory, an entry, a broken link, a `*.wfl` that is
/// not a regular file) is a one-line error naming it, and sets `io_failed`; the rest is still
/// collected.
pub fn collect_inputs(
    paths: &[PathBuf],
    selection: &Selection,
    io_failed: &mut bool,
) -> Vec<Input> {
    let mut found = Found::default();
    for path in paths {
        if path.as_os_str() == "-" {
            found.add(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let before = (found.files, found.failed);
                walk(path, selection, &mut found);
                if (found.files, found.failed) == before {
                    found.fail(format!("no `.wfl` files in `{}`", path.display()));
                }
            }
            // Named on the command line, anything is read: a FIFO, `/dev/stdin`, a device.
            Ok(_) => found.add(Input::File(path.clone())),
            Err(err)
                if err.kind() == io::ErrorKind::NotFound
                    && expand_glob(path, selection, &mut found) => {}
            Err(err) => found.fail(cannot_read(path, &err)),
        }
    }
    *io_failed |= found.failed;
    found.inputs
}

/// The inputs found so far.
#[derive(Default)]
struct Found {
    inputs: Vec<Input>,
    /// The files already in `inputs`, by [`identity`], and whether standard input is.
    seen: HashSet<PathBuf>,
    stdin: bool,
    /// Files found, each time it was found.
    files: usize,
    /// Something could not be read (and was reported).
    failed: bool,
}

impl Found {
    /// Adds `input` unless it is already there (a path given twice, a file under two directories
    /// given, `-` twice): each file is read and reported once.
    fn add(&mut self, input: Input) {
        let new = match &input {
            Input::Stdin => !std::mem::replace(&mut self.stdin, true),
            Input::File(path) => {
                self.files += 1;
                self.seen.insert(identity(path))
            }
        };
        if new {
            self.inputs.push(input);
        }
    }

    fn fail(&mut self, message: String) {
        output::error(&message);
        self.failed = true;
    }
}

/// What makes two paths the same file for wfl: the same name in the same directory (links in
/// the directory part resolved). Two links to one file in two directories stay two files, since
/// each may have its own `wfl.toml`.
fn identity(path: &Path) -> PathBuf {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return path.to_path_buf();
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    std::fs::canonicalize(parent).map_or_else(|_| path.to_path_buf(), |dir| dir.join(name))
}

/// Searches `root` for spec files (`*.wfl`, or those `selection` includes), depth first in name
/// order (in each directory its files, then its subdirectories), with the `.gitignore` files of
/// the directories searched and above them respected (the `ignore` crate, as ripgrep does). A
/// directory that cannot be listed, or an entry that cannot be looked at, is reported and the
/// search goes on with the others. Links to directories are not followed, so the search ends even
/// when links make loops.
fn walk(root: &Path, selection: &Selection, found: &mut Found) {
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .git_ignore(true)
        .git_exclude(true)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        // Hidden directories are skipped; hidden links are looked at by `add_link`, which says
        // nothing about them; a hidden `*.wfl` file is checked as any other.
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(is_hidden_name(entry.file_name())
                    && entry.file_type().is_some_and(|kind| kind.is_dir()))
        })
        .build();
    let mut entries = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.depth() > 0 => entries.push(entry),
            Ok(_) => {}
            Err(err) => found.fail(walk_error(&err)),
        }
    }
    entries.sort_by_cached_key(|entry| walk_order(entry.path()));
    for entry in entries {
        let path = entry.into_path();
        let kind = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta.file_type(),
            Err(err) => {
                found.fail(cannot_read(&path, &err));
                continue;
            }
        };
        if kind.is_dir() || selection.excludes(&path) {
            continue;
        }
        let hidden = path.file_name().is_some_and(is_hidden_name);
        let spec = selection.includes(&path);
        if kind.is_symlink() {
            add_link(path, spec, hidden, found);
        } else if spec {
            add_entry(path, kind, found);
        }
    }
}

/// Whether a file or directory name starts with `.`.
fn is_hidden_name(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// The order files are taken in: depth first, by name, the files of a directory before its
/// subdirectories (each path's directories are sorted after any file beside them).
fn walk_order(path: &Path) -> Vec<(bool, std::ffi::OsString)> {
    let mut key: Vec<(bool, std::ffi::OsString)> = path
        .components()
        .map(|c| (true, c.as_os_str().to_owned()))
        .collect();
    if let Some(last) = key.last_mut() {
        last.0 = false;
    }
    key
}

/// A walk's error as one line naming what could not be read.
fn walk_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { path, err } => match err.io_error() {
            // The system's own error, read again without the `ignore` crate's words around it.
            Some(io) if path.is_dir() => {
                let why = std::fs::read_dir(path)
                    .err()
                    .map_or_else(|| describe(io), |e| describe(&e));
                format!("cannot read directory `{}`: {why}", path.display())
            }
            Some(io) => cannot_read(path, io),
            None => format!("cannot read `{}`: {err}", path.display()),
        },
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err)
        }
        ignore::Error::Partial(errs) => errs.iter().map(walk_error).collect::<Vec<_>>().join("; "),
        other => format!("cannot search a directory: {other}"),
    }
}

/// Which files found in directories are specs: every `*.wfl` file, or those `include` names, less
/// those `exclude` names (`wfl.toml`). Globs are matched
/// against paths relative to `base`, the directory of the `wfl.toml` that gave them.
#[derive(Debug, Default)]
pub struct Selection {
    /// Globs of the files to take, and the directory they are relative to.
    include: Option<(PathBuf, globset::GlobSet)>,
    /// Globs of the files and directories to leave out, and the directory they are relative to.
    exclude: Option<(PathBuf, globset::GlobSet)>,
}

impl Selection {
    /// Every `*.wfl` file.
    pub fn new() -> Selection {
        Selection::default()
    }

    /// With `include` and `exclude` globs relative to `base`; `Err` names a glob that cannot be
    /// read, and why.
    pub fn with_globs(
        mut self,
        base: &Path,
        include: &[String],
        exclude: &[String],
    ) -> Result<Selection, String> {
        let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
        if !include.is_empty() {
            self.include = Some((base.clone(), glob_set(include)?));
        }
        if !exclude.is_empty() {
            self.exclude = Some((base, glob_set(exclude)?));
        }
        Ok(self)
    }

    fn includes(&self, path: &Path) -> bool {
        match &self.include {
            Some((base, include)) => relative(base, path).is_some_and(|r| include.is_match(r)),
            None => path.extension().is_some_and(|ext| ext == "wfl"),
        }
    }

    /// Whether `path`, or a directory it is in below the base, is excluded.
    fn excludes(&self, path: &Path) -> bool {
        let Some((base, exclude)) = &self.exclude else {
            return false;
        };
        relative(base, path).is_some_and(|relative| {
            relative
                .ancestors()
                .filter(|a| !a.as_os_str().is_empty())
                .any(|a| exclude.is_match(a))
        })
    }
}

/// `path` relative to `base` (links resolved in both), when it is below it.
fn relative(base: &Path, path: &Path) -> Option<PathBuf> {
    let absolute = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::canonicalize(dir).ok()?.join(path.file_name()?)
        }
        _ => std::env::current_dir().ok()?.join(path),
    };
    absolute.strip_prefix(base).ok().map(Path::to_path_buf)
}

/// A path given on the command line that does not exist and has `*`, `?` or `[` in it: a glob the
/// shell did not expand (it was quoted). The files it matches are searched for below its part
/// without any, as in a directory given, with the same `.gitignore` files and `exclude` globs.
fn expand_glob(pattern: &Path, selection: &Selection, found: &mut Found) -> bool {
    let text = pattern.to_string_lossy();
    if !text.contains(['*', '?', '[']) {
        return false;
    }
    let mut base = PathBuf::new();
    let mut rest = Vec::new();
    for component in pattern.components() {
        let part = component.as_os_str().to_string_lossy();
        if rest.is_empty() && !part.contains(['*', '?', '[']) {
            base.push(component);
        } else {
            rest.push(part.into_owned());
        }
    }
    let base = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    };
    // Not a glob after all (`a[b.wfl`): a file that does not exist.
    let Ok(glob) = glob_set(&[rest.join("/")]) else {
        return false;
    };
    let canonical = std::fs::canonicalize(&base).unwrap_or_else(|_| base.clone());
    let globbed = Selection {
        include: Some((canonical, glob)),
        exclude: selection.exclude.clone(),
    };
    let before = (found.files, found.failed);
    if base.is_dir() {
        walk(&base, &globbed, found);
    }
    if (found.files, found.failed) == before {
        found.fail(format!("no file matches `{text}`"));
    }
    true
}

/// Globs as `wfl.toml` and the command line write them: `*` within a name, `**` across
/// directories.
fn glob_set(patterns: &[String]) -> Result<globset::GlobSet, String> {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let glob = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|err| format!("`{pattern}` is not a glob: {}", err.kind()))?;
        set.add(glob);
    }
    set.build().map_err(|err| err.to_string())
}

/// A `*.wfl` entry of a directory that is neither a directory nor a link: a file is added,
/// anything else (a FIFO, a socket, a device) reported.
fn add_entry(path: PathBuf, kind: std::fs::FileType, found: &mut Found) {
    if kind.is_file() {
        found.add(Input::File(path));
    } else {
        found.fail(format!(
            "cannot check `{}`: it is {}, not a regular file",
            path.display(),
            what(kind)
        ));
    }
}

/// A symbolic link in a directory searched. A link to a directory is not followed (so that a
/// search always ends), and says so unless it is hidden; a link named `*.wfl` (`spec`) is added
/// when it leads to a file, reported otherwise (to nothing, to itself, to a FIFO…).
fn add_link(path: PathBuf, spec: bool, hidden: bool, found: &mut Found) {
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => {
            if !hidden {
                output::warning(&format!(
                    "`{}` is a symbolic link to a directory: it was not searched (name the \
                     directory itself to check its files)",
                    path.display()
                ));
            }
        }
        _ if !spec => {}
        Ok(meta) if meta.is_file() => found.add(Input::File(path)),
        Ok(meta) => found.fail(format!(
            "cannot check `{}`: it links to {}, not a regular file",
            path.display(),
            what(meta.file_type())
        )),
        Err(err) => found.fail(cannot_read(&path, &err)),
    }
}

/// `cannot read `PATH`: REASON`.
fn cannot_read(path: &Path, err: &io::Error) -> String {
    format!("cannot read `{}`: {}", path.display(), why(path, err))
}

/// Why `path` could not be opened, in words; for a link to nothing, what it links to.
pub fn why(path: &Path, err: &io::Error) -> String {
    let dangling = err.kind() == io::ErrorKind::NotFound
        && std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_symlink());
    match std::fs::read_link(path) {
        Ok(target) if dangling => format!(
            "it is a symbolic link to `{}`, which does not exist",
            target.display()
        ),
        _ => describe(err),
    }
}

/// A kind of file in words: "a FIFO", "a socket"…
pub fn what(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// An I/O error in words, without Rust's "(os error 2)".
pub fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        // `io::repeat` is endless, as `/dev/zero` is.
        let endless = read_bounded(&mut io::repeat(b'x'), 100_000, 0);
        assert!(matches!(endless, Err(ReadError::TooLarge)), "{endless:?}");
        for (len, fits) in [(0, true), (99, true), (100, true), (101, false)] {
            let bytes = vec![b'a'; len];
            let read = read_bounded(&mut bytes.as_slice(), 100, 0);
            assert_eq!(read.is_ok(), fits, "{len} bytes");
            if let Ok(read) = read {
                assert_eq!(read, bytes);
            }
        }
        // A wrong size from the metadata changes nothing.
        let bytes = vec![b'b'; 50_000];
        let read = read_bounded(&mut bytes.as_slice(), 1 << 20, 10).expect("fits");
        assert_eq!(read.len(), 50_000);
        let read = read_bounded(&mut bytes.as_slice(), 1 << 20, 1 << 19).expect("fits");
        assert_eq!(read.len(), 50_000);
    }

    #[test]
    fn a_file_that_changes_while_it_is_read_is_an_error() {
        let path = std::env::temp_dir().join(format!("wfl-changed-{}.wfl", std::process::id()));
        std::fs::write(&path, "workflow w {\n  task a\n}\n").expect("write");
        let before = std::fs::metadata(&path).expect("metadata");
        // Written to between the look at its size and the read.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(b"// more\n"))
            .expect("append");
        let file = File::open(&path).expect("open");
        let read = read_measured(file, 1 << 20, &before);
        assert!(
            matches!(
                read,
                Err(ReadError::Changed {
                    expected: 24,
                    read: 32
                })
            ),
            "{read:?}"
        );
        // Unchanged, it reads.
        let file = File::open(&path).expect("open");
        assert_eq!(read_open(file, 1 << 20).expect("reads").len(), 32);
        let _ = std::fs::remove_file(&path);
    }
}
