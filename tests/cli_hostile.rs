//! The command line against an unlucky user or an attacker (issue 20): no file left unchecked in
//! silence, no read without bound, no failure swallowed. The trees these tests need are made in a
//! scratch directory of the system's temporary directory, and removed after.
//!
//! The cases that are a command on the repository's files and its output are fixtures,
//! `tests/cmd/hostile/*.cmd` (numbers on the command line bounded, a path or standard input given
//! twice, endless files): what is left here needs a tree or an input made by the test (files
//! without permissions, links, a FIFO, files at the size limit, a sparse 4 GiB file, endless
//! standard input), a pipe closed early, or properties a transcript cannot pin (a panic's line).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;

use common::{simulate_interactively, transcript, with_pipe_closed_after};

/// A directory of its own for one test, removed (permissions restored first) when dropped.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("wfl-hostile-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Scratch { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    /// Writes `text` at `relative`, creating the directories above it.
    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("directories");
        }
        std::fs::write(&path, text).expect("write");
        path
    }

    /// `wfl ARGS` run in the scratch directory.
    fn wfl(&self, args: &[&str]) -> Output {
        wfl_in(&self.dir, args, &[])
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // A directory without permissions cannot be emptied by a user other than root.
        let _ = Command::new("chmod")
            .args(["-R", "u+rwx"])
            .arg(&self.dir)
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn wfl_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("RUST_BACKTRACE")
        .env_remove("WFL_INPUT_LIMIT")
        .envs(env.iter().copied())
        .output()
        .expect("wfl runs")
}

const CLEAN: &str = "workflow w {\n  task a\n}\n";
const BROKEN: &str = "workflow w {\n  task a\n  a -> zz\n}\n";

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

#[test]
fn an_unreadable_directory_is_reported_and_every_other_file_checked() {
    let scratch = Scratch::new("locked");
    scratch.write("top/a_ok/x.wfl", CLEAN);
    scratch.write("top/b_locked/x.wfl", CLEAN);
    scratch.write("top/c_ok/x.wfl", BROKEN);
    let status = Command::new("chmod")
        .arg("000")
        .arg(scratch.path("top/b_locked"))
        .status()
        .expect("chmod runs");
    assert!(status.success());
    let args = ["check", "--color", "never", "top"];
    // Root reads a directory without permissions: the check then runs as `nobody`, with a copy
    // of wfl that `nobody` can run.
    let out = if is_root() {
        let Ok(setpriv) = which("setpriv") else {
            println!("skipped: running as root, and `setpriv` (util-linux) is not installed");
            return;
        };
        let copy = scratch.path("wfl");
        std::fs::copy(env!("CARGO_BIN_EXE_wfl"), &copy).expect("copy wfl");
        Command::new(setpriv)
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&copy)
            .args(args)
            .current_dir(&scratch.dir)
            .env_remove("RUST_BACKTRACE")
            .output()
            .expect("setpriv runs")
    } else {
        scratch.wfl(&args)
    };
    if String::from_utf8_lossy(&out.stderr).starts_with("setpriv:") {
        // Such as a temporary directory mounted `noexec`: `nobody` cannot run the copy.
        println!(
            "skipped: setpriv could not run wfl as nobody: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    insta::assert_snapshot!("locked_directory", transcript(&args, &out));
}

/// The path of a program on `PATH`.
fn which(program: &str) -> Result<PathBuf, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .ok_or(())
}

#[cfg(unix)]
#[test]
fn entries_that_cannot_be_read_are_reported_one_by_one() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;
    let scratch = Scratch::new("entries");
    scratch.write("tree/a.wfl", CLEAN);
    scratch.write("tree/sub.wfl/inside.wfl", BROKEN);
    symlink("nowhere.wfl", scratch.path("tree/dangling.wfl")).expect("symlink");
    symlink("loop.wfl", scratch.path("tree/loop.wfl")).expect("symlink");
    symlink("a.wfl", scratch.path("tree/link.wfl")).expect("symlink");
    // Links to directories are not followed: a loop through one ends.
    symlink("..", scratch.path("tree/up")).expect("symlink");
    let fifo = Command::new("mkfifo")
        .arg(scratch.path("tree/fifo.wfl"))
        .status()
        .expect("mkfifo runs");
    assert!(fifo.success());
    // A name that is not UTF-8 is checked, and shown with a replacement character.
    let not_utf8 = std::ffi::OsStr::from_bytes(b"tree/caf\xe9.wfl");
    std::fs::write(scratch.dir.join(not_utf8), BROKEN).expect("write");
    let too_long = format!("{}.wfl", "n".repeat(300));
    let args = [
        "check",
        "--color",
        "never",
        "missing.wfl",
        too_long.as_str(),
        "tree",
    ];
    let out = scratch.wfl(&args);
    insta::assert_snapshot!("unreadable_entries", transcript(&args, &out));
}

#[cfg(unix)]
#[test]
fn a_wfl_toml_that_cannot_be_used_is_an_error() {
    let scratch = Scratch::new("config");
    // A directory, a link to nothing: each stops the files below it, and only them.
    std::fs::create_dir_all(scratch.path("a/wfl.toml")).expect("directory");
    scratch.write("a/x.wfl", CLEAN);
    scratch.write("b/x.wfl", CLEAN);
    std::os::unix::fs::symlink("nothing", scratch.path("b/wfl.toml")).expect("symlink");
    scratch.write("c/x.wfl", BROKEN);
    let args = ["check", "--color", "never", "a", "b", "c"];
    let out = scratch.wfl(&args);
    insta::assert_snapshot!("config_not_a_file", transcript(&args, &out));
}

/// The limit on a spec's size, lowered so that tests need not read 4 GiB.
const LIMIT: (&str, &str) = ("WFL_INPUT_LIMIT", "100000");

#[test]
fn a_file_is_read_up_to_the_limit_and_not_a_byte_more() {
    let scratch = Scratch::new("limit");
    // At the limit a file is read; one byte over, it is not.
    let at_limit = format!("{CLEAN}{}\n", "/".repeat(100_000 - CLEAN.len() - 1));
    scratch.write("at.wfl", &at_limit);
    scratch.write("over.wfl", &format!("{at_limit} "));
    let out = wfl_in(&scratch.dir, &["check", "at.wfl", "over.wfl"], &[LIMIT]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("checked 1 file: no problems found"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`over.wfl`: it is larger than"));
}

#[test]
fn endless_standard_input_is_read_up_to_the_limit() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(["check", "-"])
        .env(LIMIT.0, LIMIT.1)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wfl runs");
    let mut stdin = child.stdin.take().expect("piped");
    // `yes`: written until wfl stops reading.
    let writer = std::thread::spawn(move || {
        let line = b"y\n".repeat(4096);
        let mut written = 0usize;
        while stdin.write_all(&line).is_ok() {
            written += line.len();
        }
        written
    });
    let out = child.wait_with_output().expect("wfl ends");
    let written = writer.join().expect("the writer ends");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot read `<stdin>`: it is larger than 100000 bytes, the most a spec may have \
         (WFL_INPUT_LIMIT)\n"
    );
    assert!(written < 10_000_000, "wfl read {written} bytes");
}

#[test]
fn a_file_over_4_gib_is_refused_before_it_is_read() {
    let scratch = Scratch::new("sparse");
    // Sparse: 4 GiB and one byte of size, no disk.
    let path = scratch.path("big.wfl");
    std::fs::File::create(&path)
        .and_then(|file| file.set_len((4 << 30) + 1))
        .expect("a sparse file");
    let out = scratch.wfl(&["check", "big.wfl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot read `big.wfl`: it is larger than 4 GiB (4294967295 bytes), the most a \
         spec may have\n"
    );
    // The same file as standard input is measured too.
    let out = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(["check", "-"])
        .stdin(std::fs::File::open(&path).expect("open"))
        .output()
        .expect("wfl runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`<stdin>`: it is larger than 4 GiB"));
}

#[test]
fn interactive_input_skips_bad_lines_and_goes_on() {
    let mut input = b"start by user\n\xff\xfe go\n".to_vec();
    input.extend(b"x".repeat(1 << 20));
    input.extend(b"\ncomplete\n");
    let out = simulate_interactively(&input);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(
        "interactive_bad_lines",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// What a panic prints: one line on standard error, exit status 101, nothing on standard output.
fn assert_reported_as_a_bug(out: &Output, site: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{site}: {stderr}");
    assert!(out.stdout.is_empty(), "{site}");
    assert_eq!(stderr.lines().count(), 1, "{site}: {stderr}");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        stderr.starts_with(&format!(
            "error: internal error: wfl {version} panicked at src/"
        )),
        "{site}: {stderr}"
    );
    for part in [
        "a panic asked for by `wfl debug-panic` (item 3)",
        "This is a bug in wfl",
        "the command line and the files it read",
    ] {
        assert!(stderr.contains(part), "{site}: no `{part}` in {stderr}");
    }
}

#[test]
fn a_panic_anywhere_is_reported_as_a_bug_in_wfl() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    for site in ["main", "check-worker", "random-worker"] {
        let out = wfl_in(dir, &["debug-panic", site], &[]);
        assert_reported_as_a_bug(&out, site);
    }
    // Hidden from the help.
    let help = wfl_in(dir, &["--help"], &[]);
    assert!(!String::from_utf8_lossy(&help.stdout).contains("debug-panic"));
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let commands: &[&[&str]] = &[
        &["explain"],
        &["check", "--color", "never", "examples", "tests/ui"],
        &["test", "--color", "never", "tests/run"],
        &[
            "simulate",
            "tests/cli/pipeline.wfl",
            "--workflow",
            "pipeline",
        ],
        &[
            "explore",
            "examples/data_pipeline.wfl",
            "--workflow",
            "sales_pipeline",
        ],
    ];
    for args in commands {
        let out = with_pipe_closed_after(
            Command::new(env!("CARGO_BIN_EXE_wfl"))
                .args(*args)
                .current_dir(dir)
                .env_remove("RUST_BACKTRACE"),
            16,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
        assert_ne!(out.status.code(), None, "{args:?}: killed by a signal");
    }
}

#[test]
fn control_characters_in_names_are_escaped_in_error_lines() {
    let scratch = Scratch::new("controls");
    let name = "evil\u{1b}]0;owned\u{7}\u{1b}[31m.wfl";
    let args = ["check", name];
    let out = scratch.wfl(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.contains(&0x1b), "{:?}", out.stderr);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot read `evil\\u{1b}]0;owned\\u{7}\\u{1b}[31m.wfl`: No such file or directory\n"
    );
}
