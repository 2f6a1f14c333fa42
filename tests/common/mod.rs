//! Shared by the test harnesses: the binary run as a user runs it and its transcript
//! (`tests/cmd.rs` and the command-line tests), fixture headers (`tests/ui.rs`, `tests/run.rs`),
//! witnesses (`tests/ui.rs`, `tests/properties.rs`, `tests/machine_properties.rs`) and the
//! choices of random machines (`tests/machine_properties.rs`, `tests/explorer_reference.rs`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The variables that change what `wfl` prints (colours, the input limit): unset for every run,
/// so that a test depends on what it sets alone, not on the shell it was started from.
#[allow(dead_code)] // not every harness runs the binary
pub const OUTPUT_VARIABLES: [&str; 4] =
    ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "WFL_INPUT_LIMIT"];

/// `wfl ARGS`, to be run from the repository's root with [`OUTPUT_VARIABLES`] unset.
#[allow(dead_code)] // not every harness runs the binary
pub fn wfl_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wfl"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for name in OUTPUT_VARIABLES {
        command.env_remove(name);
    }
    command
}

/// The `wfl` binary run from the repository's root ([`wfl_command`]).
#[allow(dead_code)] // not every harness runs the binary
pub fn wfl(args: &[&str]) -> Output {
    wfl_command(args).output().expect("wfl runs")
}

/// Exit status, stdout and stderr of `wfl ARGS`, as one snapshot.
#[allow(dead_code)] // not every harness runs the binary
pub fn transcript(args: &[&str], out: &Output) -> String {
    transcript_of(&command_line(args), out)
}

/// `wfl ARGS` as typed in a shell ([`shell_word`]).
#[allow(dead_code)] // not every harness runs the binary
pub fn command_line(args: &[&str]) -> String {
    let mut line = "wfl".to_owned();
    for arg in args {
        line.push(' ');
        line.push_str(&shell_word(arg));
    }
    line
}

/// `word` as typed in a shell: as it is, unless a shell would split it, expand it or end the
/// command there; then in single quotes (double quotes when it has a single quote).
#[allow(dead_code)] // not every harness runs the binary
pub fn shell_word(word: &str) -> std::borrow::Cow<'_, str> {
    let special = |c: char| c.is_whitespace() || "'\"\\$`*?;&|<>()".contains(c);
    if !word.is_empty() && !word.contains(special) {
        word.into()
    } else if !word.contains('\'') {
        format!("'{word}'").into()
    } else {
        let mut quoted = String::from("\"");
        for c in word.chars() {
            if "\"\\$`".contains(c) {
                quoted.push('\\');
            }
            quoted.push(c);
        }
        quoted.push('"');
        quoted.into()
    }
}

/// Exit status, stdout and stderr of `command` (the line a user typed), as one snapshot.
#[allow(dead_code)] // not every harness runs the binary
pub fn transcript_of(command: &str, out: &Output) -> String {
    format!(
        "$ {command}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status
            .code()
            .map_or("signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `command`, reads the first `bytes` of its standard output and closes the pipe (as
/// `| head -c BYTES` does), then waits for it to end.
#[allow(dead_code)] // not every harness runs the binary
pub fn with_pipe_closed_after(command: &mut Command, bytes: usize) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wfl runs");
    let mut first = vec![0u8; bytes];
    child
        .stdout
        .as_mut()
        .expect("piped")
        .read_exact(&mut first)
        .expect("some output");
    drop(child.stdout.take());
    child.wait_with_output().expect("wfl ends")
}

/// `wfl simulate --interactive` on the `activity` machine of the conformance cases, fed `input`.
#[allow(dead_code)] // not every harness runs the binary
pub fn simulate_interactively(input: &[u8]) -> Output {
    let args = [
        "simulate",
        "tests/conformance/machine_semantics.wfl",
        "--machine",
        "activity",
        "--set",
        "kind=manual",
        "--interactive",
    ];
    wfl_fed(&args, input)
}

/// `wfl ARGS` run from the repository's root with `input` on its standard input.
#[allow(dead_code)] // not every harness runs the binary
pub fn wfl_fed(args: &[&str], input: &[u8]) -> Output {
    run_fed(&mut wfl_command(args), input)
}

/// Runs `command` with `input` on its standard input, written while the output is read (so that
/// neither side waits for the other when both are large).
#[allow(dead_code)] // not every harness runs the binary
pub fn run_fed(command: &mut Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wfl runs");
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_vec();
    // A command that stops reading early closes the pipe: that is its business, not an error.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wfl ends");
    writer.join().expect("the writer ends");
    out
}

/// insta settings that keep a fixture's snapshot beside it, `NAME.snap` for `NAME.EXT`, with the
/// fixture named as its input: `insta::glob!` would name each snapshot after the fixture's path
/// relative to the common prefix of every match, which changes whenever a fixture directory is
/// added. Assert with [`fixture_stem`] as the snapshot's name.
#[allow(dead_code)] // not every harness has fixtures with snapshots
pub fn snapshot_beside(fixture: &Path) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(fixture.parent().expect("fixture in a directory"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(fixture);
    settings.set_omit_expression(true);
    settings.remove_snapshot_suffix();
    settings
}

/// A fixture's name without its extension: its snapshot's name.
#[allow(dead_code)] // not every harness has fixtures with snapshots
pub fn fixture_stem(fixture: &Path) -> &str {
    fixture
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("utf-8 name")
}

/// The codes a fixture's first line announces: `// expect: W0200, E0101` (sorted), or none for
/// `// expect: clean`.
#[allow(dead_code)] // the property tests share this module for `witness_of` only
pub fn expected_codes(text: &str, path: &Path) -> Vec<String> {
    let first = text
        .trim_start_matches('\u{FEFF}')
        .lines()
        .next()
        .unwrap_or("");
    let Some(list) = first.strip_prefix("// expect:") else {
        panic!(
            "{}: the first line must be `// expect: CODES` or `// expect: clean`",
            path.display()
        );
    };
    let list = list.trim();
    if list == "clean" {
        return Vec::new();
    }
    let mut codes: Vec<String> = list.split(',').map(|c| c.trim().to_owned()).collect();
    codes.sort();
    codes
}

/// The witness scenario in a finding's notes (after "… run `wfl test`):"), if it has one.
#[allow(dead_code)] // not every harness that shares this module replays witnesses
pub fn witness_of(d: &wfl::diagnostic::Diagnostic) -> Option<&str> {
    d.notes
        .iter()
        .find_map(|n| n.split_once("run `wfl test`):\n").map(|(_, s)| s))
}

/// Runs `text` with `witness` (a finding's scenario) pasted at its end, as a user would: the
/// whole text run, and how the witness ended.
#[allow(dead_code)] // not every harness that shares this module replays witnesses
pub fn replay(text: &str, witness: &str) -> (String, wfl::sim::scenario::Verdict) {
    let with = format!("{text}\n{witness}\n");
    let tested = wfl::test_text(&with);
    let verdict = tested
        .results
        .last()
        .expect("the witness ran")
        .verdict
        .clone();
    (with, verdict)
}

/// Whether a witness ran as its finding says: a run error's witness (W0414, W0415, W0416) ends
/// in a run error, every other one passes.
#[allow(dead_code)] // not every harness that shares this module replays witnesses
pub fn witness_shows(code: &str, verdict: &wfl::sim::scenario::Verdict) -> bool {
    let run_error = matches!(code, "W0414" | "W0415" | "W0416");
    match verdict {
        wfl::sim::scenario::Verdict::Passed => !run_error,
        wfl::sim::scenario::Verdict::Failed(found) => {
            run_error
                && found
                    .iter()
                    .any(|f| f.code.as_str().starts_with("E05") && f.code.as_str() != "E0500")
        }
        _ => false,
    }
}

/// Every `*.wfl` file under `dir`, sorted.
#[allow(dead_code)] // not every harness reads the fixtures
pub fn wfl_files(dir: &Path) -> Vec<PathBuf> {
    files(dir, "wfl")
}

/// Every file under `dir` whose extension is `extension`, sorted.
#[allow(dead_code)] // not every harness reads the fixtures
pub fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
        for entry in entries {
            let path = entry.expect("readable directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The codes of `diagnostics`, sorted: what a fixture's `// expect:` line is compared with.
#[allow(dead_code)] // not every harness reads the fixtures
pub fn sorted_codes(diagnostics: &[wfl::diagnostic::Diagnostic]) -> Vec<String> {
    let mut found: Vec<String> = diagnostics
        .iter()
        .map(|d| d.code.as_str().to_owned())
        .collect();
    found.sort();
    found
}

/// Random choices for generated machines, from wfl's own seeded generator: the same seed, the
/// same case, on any machine.
#[allow(dead_code)] // only the harnesses that generate machines
pub struct Gen(wfl::sim::random::Rng);

#[allow(dead_code)] // only the harnesses that generate machines
impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen(wfl::sim::random::Rng::new(seed))
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n.max(1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// The `on` clause of a generated transition: `events[first]`, and sometimes (15 times in a
    /// hundred) `or` another of `events`.
    pub fn on_clause(&mut self, events: &[&str], first: usize) -> String {
        let mut clause = format!(" on {}", events[first]);
        if self.chance(15) {
            let second = (first + 1 + self.below(events.len() as u64 - 1) as usize) % events.len();
            clause.push_str(" or ");
            clause.push_str(events[second]);
        }
        clause
    }
}
