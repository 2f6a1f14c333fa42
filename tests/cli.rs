//! The `wfl` binary as a user runs it: output, exit status, files, stdin, pipes.

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};

fn wfl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("wfl runs")
}

/// Exit status, stdout and stderr, as one snapshot.
fn transcript(args: &[&str]) -> String {
    let out = wfl(args);
    format!(
        "$ wfl {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        out.status
            .code()
            .map_or("signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

macro_rules! snapshot {
    ($name:literal, $($arg:expr),*) => {
        insta::assert_snapshot!($name, transcript(&[$($arg),*]));
    };
}

#[test]
fn clean_file_exits_0() {
    snapshot!("check_clean", "check", "tests/cli/clean.wfl");
}

#[test]
fn errors_exit_1() {
    snapshot!(
        "check_error",
        "check",
        "--color",
        "never",
        "tests/cli/error.wfl"
    );
}

#[test]
fn warnings_exit_0_unless_denied() {
    snapshot!(
        "check_warning",
        "check",
        "--color",
        "never",
        "tests/cli/warning.wfl"
    );
    snapshot!(
        "check_warning_denied",
        "check",
        "--color",
        "never",
        "--deny",
        "warnings",
        "tests/cli/warning.wfl"
    );
}

#[test]
fn directories_are_searched_for_wfl_files() {
    // `.hidden/` is skipped, `notes.txt` is not a spec, `nested/` is searched.
    snapshot!(
        "check_directory",
        "check",
        "--color",
        "never",
        "tests/cli/tree"
    );
}

#[test]
fn io_and_usage_errors_exit_2() {
    snapshot!("check_missing", "check", "tests/cli/missing.wfl");
    snapshot!("check_empty_directory", "check", "tests/cli/empty_dir");
    snapshot!(
        "check_bad_flag",
        "check",
        "--format",
        "xml",
        "tests/cli/clean.wfl"
    );
}

#[test]
fn missing_file_does_not_stop_the_others() {
    let out = wfl(&["check", "tests/cli/missing.wfl", "tests/cli/error.wfl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("unknown task `b`"));
}

#[test]
fn json_report_follows_the_schema() {
    snapshot!(
        "check_json",
        "check",
        "--format",
        "json",
        "tests/cli/error.wfl",
        "tests/cli/warning.wfl"
    );
    let out = wfl(&["check", "--format", "json", "tests/cli/error.wfl"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(report["version"], 1);
    let d = &report["diagnostics"][0];
    for field in [
        "code", "name", "severity", "message", "file", "span", "label", "labels", "notes", "help",
    ] {
        assert!(d.get(field).is_some(), "diagnostic has no `{field}`: {d}");
    }
    for field in ["start", "end", "line", "column", "end_line", "end_column"] {
        assert!(d["span"].get(field).is_some(), "span has no `{field}`");
    }
    assert_eq!(report["summary"]["errors"], 1);
}

#[test]
fn stdin_is_read_for_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(["check", "--color", "never", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("wfl runs");
    let mut stdin = child.stdin.take().expect("piped");
    stdin
        .write_all(b"workflow w { task a; a -> zz }\n")
        .expect("write");
    drop(stdin);
    let out = child.wait_with_output().expect("wfl ends");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("<stdin>:1:27"), "{stdout}");
}

#[test]
fn color_follows_the_flag() {
    let always = wfl(&["check", "--color", "always", "tests/cli/error.wfl"]);
    assert!(
        always.stdout.contains(&0x1b),
        "no escape sequence with --color always"
    );
    let never = wfl(&["check", "--color", "never", "tests/cli/error.wfl"]);
    assert!(!never.stdout.contains(&0x1b));
    // Not a terminal: auto means no color.
    let auto = wfl(&["check", "tests/cli/error.wfl"]);
    assert!(!auto.stdout.contains(&0x1b));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = std::env::temp_dir().join(format!("wfl-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for i in 0..200 {
        std::fs::write(
            dir.join(format!("f{i:03}.wfl")),
            "workflow w {\n  task a\n  a -> b\n}\n",
        )
        .expect("write");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(["check", "--color", "never"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wfl runs");
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .expect("piped")
        .read_exact(&mut first)
        .expect("some output");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wfl ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.is_empty(),
        "nothing to say about a closed pipe: {stderr}"
    );
    assert_ne!(out.status.code(), Some(101));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_prints_the_page_of_a_code() {
    let out = wfl(&["explain", "E0400"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.starts_with("## E0400 link_cycle"), "{page}");
    let by_name = wfl(&["explain", "link_cycle"]);
    assert_eq!(by_name.stdout, out.stdout);
    snapshot!("explain_unknown", "explain", "E04OO");
}

#[test]
fn explain_without_a_code_lists_them_all() {
    let out = wfl(&["explain"]);
    let list = String::from_utf8_lossy(&out.stdout);
    for code in wfl::diagnostic::Code::ALL {
        assert!(list.contains(code.as_str()), "{} not listed", code.as_str());
    }
}

#[test]
fn help_teaches() {
    snapshot!("help", "--help");
    snapshot!("check_help", "check", "--help");
}

#[test]
fn simulate_prints_the_trace_and_the_final_states() {
    snapshot!(
        "simulate_run",
        "simulate",
        "tests/cli/pipeline.wfl",
        "--workflow",
        "pipeline",
        "--set",
        "rows=0"
    );
    snapshot!(
        "simulate_scenario_json",
        "simulate",
        "tests/cli/pipeline.wfl",
        "--scenario",
        "extract fails",
        "--format",
        "json"
    );
}

#[test]
fn simulate_random_runs_are_counted_and_replayable() {
    let args = [
        "simulate",
        "tests/cli/pipeline.wfl",
        "--workflow",
        "pipeline",
        "--runs",
        "2000",
        "--seed",
        "9",
    ];
    snapshot!(
        "simulate_random",
        "simulate",
        "tests/cli/pipeline.wfl",
        "--workflow",
        "pipeline",
        "--runs",
        "2000",
        "--seed",
        "9"
    );
    let one = wfl(&[&args[..], &["--threads", "1"]].concat());
    let four = wfl(&[&args[..], &["--threads", "4"]].concat());
    assert_eq!(
        one.stdout, four.stdout,
        "the thread count changed the result"
    );
    let json = wfl(&[&args[..], &["--format", "json"]].concat());
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("stdout is JSON");
    assert_eq!(report["runs"], 2000);
    assert_eq!(report["seed"], 9);
}

#[test]
fn simulate_refuses_what_the_workflow_does_not_have() {
    snapshot!(
        "simulate_which_workflow",
        "simulate",
        "tests/cli/pipeline.wfl"
    );
    snapshot!(
        "simulate_unknown_variable",
        "simulate",
        "tests/cli/pipeline.wfl",
        "--workflow",
        "pipeline",
        "--set",
        "rws=3"
    );
    snapshot!(
        "simulate_value_outside_type",
        "simulate",
        "tests/cli/pipeline.wfl",
        "--workflow",
        "pipeline",
        "--set",
        "rows=500"
    );
    snapshot!(
        "simulate_unknown_member",
        "simulate",
        "tests/cli/pipeline.wfl",
        "--workflow",
        "pipeline",
        "--set",
        "mode=ful"
    );
    snapshot!(
        "simulate_unknown_task",
        "simulate",
        "tests/cli/pipeline.wfl",
        "--workflow",
        "pipeline",
        "--fail",
        "lod"
    );
    snapshot!(
        "simulate_unknown_scenario",
        "simulate",
        "tests/cli/pipeline.wfl",
        "--scenario",
        "extract fail"
    );
}

#[test]
fn simulate_does_not_run_a_file_with_errors() {
    snapshot!(
        "simulate_errors",
        "simulate",
        "--color",
        "never",
        "tests/cli/error.wfl"
    );
}

#[test]
fn test_runs_scenarios_and_tallies() {
    let out = wfl(&["test", "tests/conformance"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.ends_with("49 passed, 0 failed\n"), "{stdout}");
    let failing = wfl(&["test", "tests/run/failed_expectation.wfl"]);
    assert_eq!(failing.status.code(), Some(1));
}

#[test]
fn simulate_runs_a_machine() {
    let file = "tests/conformance/machine_semantics.wfl";
    snapshot!(
        "simulate_machine",
        "simulate",
        file,
        "--machine",
        "crew",
        "--spawn",
        "workers=2",
        "--events",
        "go, finish to workers[0], stop"
    );
    snapshot!(
        "simulate_machine_scenario_json",
        "simulate",
        file,
        "--scenario",
        "activity: a start sent by another actor is ignored",
        "--format",
        "json"
    );
    snapshot!(
        "simulate_machine_unknown_event",
        "simulate",
        file,
        "--machine",
        "crew",
        "--events",
        "goo"
    );
    snapshot!(
        "simulate_machine_missing_child",
        "simulate",
        file,
        "--machine",
        "crew",
        "--spawn",
        "workers=1",
        "--events",
        "finish to workers[3]"
    );
    snapshot!(
        "simulate_machine_run_error",
        "simulate",
        "--color",
        "never",
        "tests/run/livelock.wfl",
        "--set",
        "on=true"
    );
}

#[test]
fn simulate_reads_events_interactively() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args([
            "simulate",
            "tests/conformance/machine_semantics.wfl",
            "--machine",
            "activity",
            "--set",
            "kind=manual",
            "--interactive",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("wfl runs");
    let mut stdin = child.stdin.take().expect("piped");
    stdin
        .write_all(b"start by user\nbogus\ncomplete\n")
        .expect("write");
    drop(stdin);
    let out = child.wait_with_output().expect("wfl ends");
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("simulate_interactive", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn simulate_refuses_options_of_the_other_kind() {
    let file = "tests/conformance/machine_semantics.wfl";
    let out = wfl(&["simulate", file, "--machine", "crew", "--fail", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`--fail` does not apply to a machine"));
    let out = wfl(&[
        "simulate",
        file,
        "--machine",
        "crew",
        "--set",
        "workers[0].x=1",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = wfl(&[
        "simulate",
        file,
        "--machine",
        "activity",
        "--spawn",
        "workers=1",
    ]);
    assert_eq!(out.status.code(), Some(2));
}
