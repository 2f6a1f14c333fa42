//! What `wfl check` prints is bounded by what it reads, and carries nothing that can act on a
//! terminal or a CI log (specs/cli.md, "How much is shown, and how text from a file is shown").
//!
//! Every `.wfl` file of the repository, the hostile files made here, and every file of the corpus
//! `WFL_OUTPUT_CORPUS` names (the fuzzers' corpora, for one) are checked in every format. Each report, less what the format prints
//! for an empty file (the SARIF rules, the summary line), must be at most [`SLOPE`] times the
//! file's size plus [`CONSTANT`], hold no hidden character (no control character but line breaks
//! and tabs, none but the colours' own escapes in colour), and have no line that a text from the
//! file could have started (`::command` for GitHub Actions).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;

use common::wfl;

/// A report is at most this many times the size of its file…
const SLOPE: usize = 10;
/// …plus this many bytes.
const CONSTANT: usize = 256 * 1024;

const FORMATS: [&[&str]; 5] = [
    &["--format", "human", "--color", "never"],
    &["--format", "human", "--color", "always"],
    &["--format", "json"],
    &["--format", "github"],
    &["--format", "sarif"],
];

/// A directory of its own for the files a test writes.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wfl-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Every `.wfl` file under `dir`, but in `target/` and hidden directories.
fn wfl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                wfl_files(&path, out);
            }
        } else if name.ends_with(".wfl") {
            out.push(path);
        }
    }
}

/// Every file of the directory `WFL_OUTPUT_CORPUS` names, if it is set, and of its
/// subdirectories: `WFL_OUTPUT_CORPUS=fuzz/corpus cargo test --release --test output_bounds` runs
/// the property over the corpora the fuzzers made (`fuzz/run`). Not by default: a fuzzing
/// session leaves tens of thousands of files there, each checked in every format.
fn fuzz_corpus() -> Vec<PathBuf> {
    let Some(root) = std::env::var_os("WFL_OUTPUT_CORPUS").map(PathBuf::from) else {
        return Vec::new();
    };
    let mut dirs = vec![root.clone()];
    if let Ok(entries) = std::fs::read_dir(&root) {
        dirs.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir()),
        );
    }
    let mut files = Vec::new();
    for dir in dirs {
        if let Ok(entries) = std::fs::read_dir(dir) {
            files.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_file()),
            );
        }
    }
    files.sort();
    files
}

/// Hidden characters, as a hostile file would hold them.
const HIDDEN: &str = "\u{1b}[31m\u{7}\u{0}\u{202e}\u{2066}\u{9b}\u{7f}\r";

/// Files made to give as much output as they can: many findings, long lines, long names, hidden
/// characters. Each is at most 64 KB, and checks quickly.
fn hostile() -> Vec<(&'static str, Vec<u8>)> {
    let long = |i: usize| format!("n{i}_{}", "q".repeat(60));
    let mut files: Vec<(&'static str, String)> = Vec::new();

    // One 64 KB condition of chained comparisons: an E0006 for each.
    let chain = "(0<r<1)and".repeat(6500);
    files.push((
        "chain",
        format!("workflow w {{\n  var r: int = 0\n  task a, b\n  a -> b when {chain}(0<r<1)\n}}\n"),
    ));
    // 64 KB of unknown names.
    let uses: String = (0..5500).map(|i| format!("  a -> u{i}\n")).collect();
    files.push(("unknown", format!("workflow w {{\n  task a\n{uses}}}\n")));
    // A thousand tasks on one line, each used misspelt.
    let tasks: Vec<String> = (0..1000).map(|i| format!("t{i}")).collect();
    let uses: String = (0..1000).map(|i| format!("  t{i} -> x{i}\n")).collect();
    files.push((
        "tasks",
        format!("workflow w {{\n  task {}\n{uses}}}\n", tasks.join(",")),
    ));
    // Every name twice on one long line: each E0100 shows that line twice.
    let dups: Vec<String> = (0..2500).map(|i| format!("t{i},t{i}")).collect();
    files.push((
        "duplicates",
        format!("workflow w {{\n  task {}\n}}\n", dups.join(",")),
    ));
    // Many long lines, each with several findings.
    let lines: String = (0..60)
        .map(|i| {
            let chained: Vec<String> = (0..30).map(|j| format!("0<r<{j}")).collect();
            format!("  a -> u{i}x when {}\n", chained.join(" and "))
        })
        .collect();
    files.push((
        "long_lines",
        format!("workflow w {{\n  var r: int = 0\n  task a\n{lines}}}\n"),
    ));
    // A long name, misspelt.
    let big = format!("n{}", "x".repeat(2000));
    files.push((
        "long_name",
        format!("workflow w {{\n  task {big}\n  {big}y -> {big}\n}}\n"),
    ));
    // Warnings of many kinds, each many times, with long names.
    let mut warnings = String::from("workflow w {\n  task a\n");
    warnings += &(0..30)
        .map(|i| format!("  var {}: int = 0\n", long(i)))
        .collect::<String>();
    warnings += "}\nmachine m {\n  initial -> S0\n  state S0\n";
    warnings += &(0..30)
        .map(|i| format!("  state {}\n", long(i)))
        .collect::<String>();
    warnings += &(0..30)
        .map(|i| format!("  view {} = true\n", long(i + 100)))
        .collect::<String>();
    warnings += "}\n";
    warnings += &(0..30)
        .map(|i| format!("scenario \"{}\" for w {{\n}}\n", long(i + 200)))
        .collect::<String>();
    warnings += &(0..30)
        .map(|i| format!("/// doc {i}\n\n"))
        .collect::<String>();
    files.push(("warnings", warnings));
    // Errors of many kinds, each many times.
    let mut errors = format!(
        "workflow w {{\n  var r: int = 0\n  task {}\n",
        vec!["a"; 40].join(",")
    );
    errors += &(0..30)
        .map(|i| format!("  a -> {}\n", long(i)))
        .collect::<String>();
    errors += &"  a -> a when 0 < r < 1\n".repeat(30);
    errors += &(0..30)
        .map(|i| format!("  {}x = 1\n", long(i)))
        .collect::<String>();
    errors += "}\n";
    files.push(("errors", errors));
    // A machine whose findings carry long runs as witnesses, over long event names.
    let event = |i: usize| format!("e{i}_{}", "z".repeat(200));
    let states: Vec<String> = (0..=40).map(|i| format!("S{i}")).collect();
    let mut machine = format!(
        "machine m {{\n  initial -> S0\n  state {}\n",
        states.join(",")
    );
    for i in 0..40 {
        machine += &format!(
            "  S{i} -> S{} on {}\n  S{i} -> S0 on {}\n",
            i + 1,
            event(i),
            event(i)
        );
    }
    machine += "  S40 -> S0 on back\n}\n";
    files.push(("witnesses", machine));
    // A link cycle through two thousand tasks: one finding with a label per link.
    let tasks: Vec<String> = (0..2000).map(|i| format!("t{i}")).collect();
    let links: String = (0..2000)
        .map(|i| format!("  t{i} -> t{}\n", (i + 1) % 2000))
        .collect();
    files.push((
        "cycle",
        format!("workflow w {{\n  task {}\n{links}}}\n", tasks.join(",")),
    ));
    // Hidden characters in names, strings, comments and doc comments.
    files.push((
        "hidden",
        format!(
            "workflow w{HIDDEN} {{\n  task a{HIDDEN}, b\n  a -> x{HIDDEN}\n  // {HIDDEN}\n  /// {HIDDEN}\n}}\n\
             machine m {{\n  state \"s{HIDDEN}\\n::error::x\"\n  state \"s{HIDDEN}\\n::error::x\"\n}}\n\
             scenario \"sc{HIDDEN}\\n::error::y\" for m {{\n  expect state == \"q{HIDDEN}\"\n}}\n"
        ),
    ));
    // A 64 KB line of hidden characters.
    files.push(("hidden_line", format!("task {}\n", HIDDEN.repeat(3600))));
    // Wide characters, duplicated on one line.
    let wide: Vec<String> = (0..200)
        .map(|i| format!("{}{}", "名".repeat(40), i % 10))
        .collect();
    files.push((
        "wide",
        format!("workflow w {{\n  task {}\n}}\n", wide.join(",")),
    ));
    // As many findings per byte as can be.
    files.push((
        "tiny",
        format!("workflow w {{task {}}}\n", vec!["a"; 200].join(",")),
    ));
    // Broken syntax.
    files.push((
        "brackets",
        format!("workflow w {{\n{}\n", ")]}{([".repeat(5000)),
    ));
    let mut result: Vec<(&'static str, Vec<u8>)> = files
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    // Every character up to U+07FF, and bytes that are not UTF-8.
    let all: String = (1..0x800u32).filter_map(char::from_u32).collect();
    result.push(("all_characters", all.repeat(4).into_bytes()));
    result.push((
        "not_utf8",
        [b"task a\n".as_slice(), &[0xff, 0xfe, 0x1b, b'\n']].concat(),
    ));
    result
}

/// What each format prints for an empty file: its fixed part.
fn baselines(dir: &Path) -> Vec<usize> {
    let empty = dir.join("empty.wfl");
    std::fs::write(&empty, "").expect("write");
    let empty = empty.to_string_lossy().into_owned();
    FORMATS
        .iter()
        .map(|format| {
            let out = wfl(&[&["check"], *format, &[&empty]].concat());
            out.stdout.len() + out.stderr.len()
        })
        .collect()
}

/// The problems with the reports on `path`, in every format.
fn problems(path: &Path, baselines: &[usize]) -> Vec<String> {
    let size = std::fs::metadata(path).map_or(0, |m| m.len() as usize);
    let name = path.to_string_lossy().into_owned();
    let mut problems = Vec::new();
    for (format, baseline) in FORMATS.iter().zip(baselines) {
        let out = wfl(&[&["check"], *format, &[&name]].concat());
        let printed = out.stdout.len() + out.stderr.len();
        let allowed = SLOPE * size + CONSTANT;
        if printed.saturating_sub(*baseline) > allowed {
            problems.push(format!(
                "{name} {format:?}: {printed} bytes for a file of {size} (at most {allowed} \
                 beyond the {baseline} of an empty file)"
            ));
        }
        let colour = format.contains(&"always");
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            if let Some(bad) = hidden(&text, colour) {
                problems.push(format!("{name} {format:?}: {stream} holds {bad:?}"));
            }
            let forged = text.lines().find(|line| {
                let line = line.trim_start();
                if format.contains(&"github") && stream == "stdout" {
                    !["::error ", "::warning ", "::notice ", "checked "]
                        .iter()
                        .any(|start| line.starts_with(start))
                } else {
                    line.starts_with("::")
                }
            });
            if let Some(line) = forged {
                problems.push(format!("{name} {format:?}: {stream} has the line {line:?}"));
            }
        }
    }
    problems
}

/// The first hidden character of `text` but line breaks (and, in `colour`, the SGR escapes
/// `ESC[…m` that set colours).
fn hidden(text: &str, colour: bool) -> Option<char> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if colour && c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            let sgr = chars.by_ref().take_while(|c| *c != 'm');
            if sgr.into_iter().any(|c| !(c.is_ascii_digit() || c == ';')) {
                return Some('\u{1b}');
            }
            continue;
        }
        if c != '\n' && is_hidden(c) {
            return Some(c);
        }
    }
    None
}

/// Whether `c` must not reach the output as it is (specs/cli.md: controls but tab, bidirectional
/// formatting characters, line and paragraph separators).
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                | '\u{2028}' | '\u{2029}'
        )
}

/// Checks `files`, on as many threads as there are cores, and returns every problem found.
fn problems_in(files: &[PathBuf], baselines: &[usize]) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .flat_map(|path| problems(path, baselines))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    })
}

#[test]
fn every_report_is_bounded_by_its_file_and_holds_no_hidden_character() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch("output-bounds");
    let mut files = Vec::new();
    wfl_files(root, &mut files);
    files.extend(fuzz_corpus());
    for (name, bytes) in hostile() {
        let path = dir.join(format!("{name}.wfl"));
        std::fs::write(&path, bytes).expect("write");
        files.push(path);
    }
    assert!(files.len() > 100, "the repository's files were not found");
    let baselines = baselines(&dir);
    let problems = problems_in(&files, &baselines);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A spec with hidden characters wherever a file can hold text: a doc comment, a comment, quoted
/// state names (one with a line break that would start a GitHub command), a scenario name; its
/// mistakes are in names, so that their messages quote them.
const HOSTILE: &str = "/// doc \u{1b}]0;pwned\u{7}\n\
    workflow w {\n  task a\n  a -> b  // a comment \u{1b}[2J\u{9b}31m\u{0}\n  \
    /// dangling \u{1b}]0;pwned\u{7}\u{202e}\n}\n\
    machine m {\n  initial -> A\n  state A, B\n  state \"x\\n::error::forged\u{1b}[31m\"\n  \
    state \"x\\n::error::forged\u{1b}[31m\"\n  A -> B on go\n  A -> \"y\u{1b}]0;t\u{7}\" on stop\n}\n\
    scenario \"s\u{202e}cba\\n::warning::z\u{1b}[5m\" for m {\n  send go\n  expect state == \"q\u{1b}\"\n}\n";

/// Hidden characters where the syntax has no place for them.
const HOSTILE_SYNTAX: &str =
    "workflow w {\n  task a\u{1b}[31mRED\u{7}\u{0} \u{1b}]0;pwned\u{7}\n  a -> \u{202e}b\n}\n";

/// `text` with each ESC (which only the colours leave) shown as `␛`, for a readable snapshot.
fn visible(text: &[u8]) -> String {
    String::from_utf8_lossy(text).replace('\u{1b}', "␛")
}

/// `wfl ARGS -` with `input` on standard input.
fn wfl_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(args)
        .arg("-")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wfl runs");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).expect("write stdin");
    }
    child.wait_with_output().expect("wfl ends")
}

#[test]
fn hidden_characters_are_escaped_in_every_format() {
    let human = wfl_stdin(&["check", "--color", "never"], HOSTILE);
    insta::assert_snapshot!("hostile_human", visible(&human.stdout));
    let colour = wfl_stdin(&["check", "--color", "always"], HOSTILE);
    insta::assert_snapshot!("hostile_colour", visible(&colour.stdout));
    let github = wfl_stdin(&["check", "--format", "github"], HOSTILE);
    insta::assert_snapshot!("hostile_github", visible(&github.stdout));
    let json = wfl_stdin(&["check", "--format", "json"], HOSTILE);
    insta::assert_snapshot!("hostile_json", visible(&json.stdout));
    let sarif = wfl_stdin(&["check", "--format", "sarif"], HOSTILE);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF is JSON");
    let results = serde_json::to_string_pretty(&log["runs"][0]["results"]).expect("JSON");
    insta::assert_snapshot!("hostile_sarif_results", results);
    let test = wfl_stdin(&["test", "--color", "never"], HOSTILE);
    insta::assert_snapshot!("hostile_test", visible(&test.stdout));
    let syntax = wfl_stdin(&["check", "--color", "never"], HOSTILE_SYNTAX);
    insta::assert_snapshot!("hostile_syntax", visible(&syntax.stdout));
    for out in [&human, &colour, &github, &json, &sarif, &test, &syntax] {
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stderr.is_empty());
    }
}

#[test]
fn a_file_name_with_hidden_characters_is_escaped() {
    let dir = scratch("hidden-name");
    let path = dir.join("a\u{1b}]0;t\u{7}\u{202e}.wfl");
    std::fs::write(&path, "workflow w {\n  task a\n  a -> b\n}\n").expect("write");
    let name = path.to_string_lossy().into_owned();
    // As text (human, GitHub), as a JSON string (the same name once parsed), as a URI (SARIF).
    let shown = [
        "a\\u{1b}]0;t\\u{7}\\u{202e}.wfl",
        "a\\u{1b}]0;t\\u{7}\\u{202e}.wfl",
        "a\\u001b]0;t\\u0007\\u202e.wfl",
        "a\\u{1b}]0;t\\u{7}\\u{202e}.wfl",
        "a%1B%5D0%3Bt%07%E2%80%AE.wfl",
    ];
    for (format, shown) in FORMATS.iter().zip(shown) {
        let out = wfl(&[&["check"], *format, &[&name]].concat());
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            hidden(&text, format.contains(&"always")),
            None,
            "{format:?}: {text}"
        );
        assert!(text.contains(shown), "{format:?}: {text}");
    }
    let test = wfl(&["test", "--color", "never", &name]);
    let text = String::from_utf8_lossy(&test.stdout);
    assert_eq!(hidden(&text, false), None, "{text}");
    // A path that cannot be read is named on standard error, escaped too.
    let missing = dir.join("gone\u{1b}[31m\u{9b}\n::error::x.wfl");
    let out = wfl(&["check", &missing.to_string_lossy()]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(hidden(&text, false), None, "{text}");
    assert!(
        text.contains("gone\\u{1b}[31m\\u{9b}\\u{a}::error::x.wfl"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_run_with_hidden_names_is_escaped() {
    let dir = scratch("hidden-test");
    let path = dir.join("hostile_run.wfl");
    let spec = "machine m {\n  initial -> A\n  state A, \"B\\n::error::x\u{1b}[31m\"\n  \
                A -> \"B\\n::error::x\u{1b}[31m\" on go\n}\n\
                scenario \"run \u{1b}]0;t\u{7}\\n::error::y\" for m {\n  send go\n  expect state == A\n}\n";
    std::fs::write(&path, spec).expect("write");
    let out = wfl(&["test", "--color", "never", &path.to_string_lossy()]);
    let text = visible(&out.stdout).replace(&*dir.to_string_lossy(), "[DIR]");
    insta::assert_snapshot!("hostile_scenario_run", text);
    assert!(!text.contains('␛') && !text.lines().any(|l| l.trim_start().starts_with("::")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn many_findings_are_folded_alike_in_every_format() {
    let dir = scratch("folded");
    let path = dir.join("chain.wfl");
    let chain = "(0<r<1)and".repeat(199);
    let spec =
        format!("workflow w {{\n  var r: int = 0\n  task a, b\n  a -> b when {chain}(0<r<1)\n}}\n");
    std::fs::write(&path, spec).expect("write");
    let file = path.to_string_lossy().into_owned();
    let note = "180 more E0006 findings in this file are not shown";
    let summary = "checked 1 file: 200 errors, 0 warnings (180 not shown)";

    let human = wfl(&["check", "--color", "never", &file]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert_eq!(human.status.code(), Some(1));
    assert_eq!(text.matches("error[E0006]").count(), 20);
    assert_eq!(text.matches(note).count(), 1);
    assert_eq!(text.lines().last(), Some(summary));

    let github = wfl(&["check", "--format", "github", &file]);
    let text = String::from_utf8_lossy(&github.stdout);
    assert_eq!(github.status.code(), Some(1));
    assert_eq!(
        text.lines().filter(|l| l.starts_with("::error ")).count(),
        20
    );
    assert_eq!(text.matches(note).count(), 1);
    assert_eq!(text.lines().last(), Some(summary));

    let json = wfl(&["check", "--format", "json", &file]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(json.status.code(), Some(1));
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 20);
    assert_eq!(diagnostics[19]["notes"][0], note);
    assert_eq!(report["summary"]["errors"], 200);
    assert_eq!(report["summary"]["not_shown"], 180);

    let sarif = wfl(&["check", "--format", "sarif", &file]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("JSON");
    assert_eq!(sarif.status.code(), Some(1));
    let run = &log["runs"][0];
    assert_eq!(run["results"].as_array().map(Vec::len), Some(20));
    assert!(
        run["results"][19]["message"]["text"]
            .as_str()
            .is_some_and(|t| t.contains(note))
    );
    let notification = &run["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "note");
    assert!(
        notification["message"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("180 more findings are not in this log"))
    );

    // A clean file's JSON summary has no `not_shown`.
    let clean = wfl(&["check", "--format", "json", "tests/cli/clean.wfl"]);
    let report: serde_json::Value = serde_json::from_slice(&clean.stdout).expect("JSON");
    assert!(report["summary"].get("not_shown").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_long_line_is_cut_around_each_finding() {
    let dir = scratch("long-line");
    let path = dir.join("chain.wfl");
    let chain = "(0<r<1)and".repeat(6500);
    let spec =
        format!("workflow w {{\n  var r: int = 0\n  task a, b\n  a -> b when {chain}(0<r<1)\n}}\n");
    std::fs::write(&path, &spec).expect("write");
    let out = wfl(&["check", "--color", "never", &path.to_string_lossy()]);
    let text = String::from_utf8_lossy(&out.stdout).replace(&*dir.to_string_lossy(), "[DIR]");
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest < 120, "a line of {widest} characters");
    assert!(
        text.len() < 16 * 1024,
        "{} bytes for one 64 KB line",
        text.len()
    );
    // The first findings, and one far along the line: its column is the file's.
    let blocks: Vec<&str> = text.split("\n\n").collect();
    insta::assert_snapshot!(
        "long_line_excerpts",
        [blocks[0], blocks[1], blocks[19]].join("\n\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_command_shows_hidden_characters_escaped() {
    let dir = scratch("commands");
    let path = dir.join("machine.wfl");
    let spec = "machine m {\n  initial -> A\n  state A, \"B\u{1b}]0;t\u{7}\u{202e}\u{9b}\\n::error::x\"\n  \
                A -> \"B\u{1b}]0;t\u{7}\u{202e}\u{9b}\\n::error::x\" on go\n}\n\
                scenario \"s\u{1b}[31m\" for m {\n  send go\n  expect state == A\n}\n";
    std::fs::write(&path, spec).expect("write");
    let file = path.to_string_lossy().into_owned();
    for color in ["never", "always"] {
        for args in [
            &["simulate", &file, "--machine", "m", "--events", "go"][..],
            &["simulate", &file, "--scenario", "s\u{1b}[31m"],
            &["explore", &file, "--machine", "m"],
            &["test", &file],
        ] {
            let out = wfl(&[args, &["--color", color]].concat());
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(!text.is_empty(), "{args:?}: nothing printed");
            assert_eq!(hidden(&text, color == "always"), None, "{args:?}: {text}");
            assert!(
                text.contains("\\u{1b}]0;t\\u{7}\\u{202e}\\u{9b}\\u{a}::error::x"),
                "{args:?}: {text}"
            );
            // A line break in a name forges no line of its own.
            assert!(
                !text.lines().any(|l| l.trim_start().starts_with("::")),
                "{args:?}: {text}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
