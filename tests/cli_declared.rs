//! `wfl simulate --events` and its interactive prompt check an event and an actor against the
//! declarations of the machine that receives them (specs/cli.md, `wfl simulate --machine`).

mod common;

use std::process::Output;

const FILE: &str = "tests/cli/declared.wfl";

/// `wfl simulate` of the crew with one worker, then `extra`, fed `input`.
fn simulate(extra: &[&str], input: &[u8]) -> Output {
    let mut args = vec![
        "simulate",
        FILE,
        "--machine",
        "crew",
        "--spawn",
        "workers=1",
    ];
    args.extend_from_slice(extra);
    common::wfl_fed(&args, input)
}

/// The usage error `--events ITEM` gives, with its exit status 2.
fn refused(item: &str) -> String {
    let out = simulate(&["--events", item], b"");
    assert_eq!(out.status.code(), Some(2), "{item}");
    String::from_utf8_lossy(&out.stderr).trim_end().to_owned()
}

#[test]
fn events_must_be_declared_by_the_machine_that_receives_them() {
    assert_eq!(
        refused("strat"),
        "error: `strat`: machine `crew` declares no event `strat`; did you mean `start`?"
    );
    // Known to the file (the worker takes it), but not one of the crew's.
    assert_eq!(
        refused("go"),
        "error: `go`: machine `crew` declares no event `go`"
    );
    assert_eq!(
        refused("start to workers[0]"),
        "error: `start to workers[0]`: machine `worker` declares no event `start`"
    );
    assert_eq!(
        refused("stop to workers[0] by formean"),
        "error: `stop to workers[0] by formean`: machine `worker` declares no actor `formean`; \
         did you mean `foreman`?"
    );
    let out = simulate(&["--events", "start, stop to workers[0] by foreman"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("workers[0]: Idle"));
}

#[test]
fn the_prompt_refuses_an_undeclared_event_and_goes_on() {
    let out = simulate(
        &["--interactive"],
        b"strat\ngo\nstart\nstop to workers[0] by bob\n",
    );
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = stdout.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(
        errors,
        [
            "error: `strat`: machine `crew` declares no event `strat`; did you mean `start`?",
            "error: `go`: machine `crew` declares no event `go`",
            "error: `stop to workers[0] by bob`: machine `worker` declares no actor `bob`",
        ]
    );
    assert!(
        stdout.contains("root: Ready -> Busy  on `start`"),
        "{stdout}"
    );
}
