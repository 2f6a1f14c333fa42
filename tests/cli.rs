//! The `wfl` binary as a user runs it, where a transcript is not enough: reports read back field
//! by field, runs compared with each other, pipes closed early, witnesses replayed, colours. A
//! command whose transcript says it all is a fixture under `tests/cmd/` (`tests/cmd.rs`).

use std::process::Command;

mod common;

use common::{wfl, with_pipe_closed_after};

#[test]
fn json_report_follows_the_schema() {
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
    let out = with_pipe_closed_after(
        Command::new(env!("CARGO_BIN_EXE_wfl"))
            .args(["check", "--color", "never"])
            .arg(&dir),
        64,
    );
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
fn simulate_shows_a_send_that_reaches_no_child() {
    // A third job finds both workers busy, and a pick names a worker that does not exist: each is
    // a trace line of kind `unsent` in JSON (tests/cmd/simulate/machine_unsent.cmd in words).
    let file = "tests/run/one_child_sends.wfl";
    let run = [
        "simulate",
        file,
        "--machine",
        "dispatcher",
        "--spawn",
        "workers=2",
        "--set",
        "next=5",
        "--events",
        "job, job, job, pick",
    ];
    let out = wfl(&[&run[..], &["--format", "json"]].concat());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let unsent: Vec<&serde_json::Value> = json["trace"]
        .as_array()
        .expect("a trace")
        .iter()
        .filter(|step| step["kind"] == "unsent")
        .collect();
    assert_eq!(unsent.len(), 2, "{json}");
    assert_eq!(unsent[0]["event"], "assign");
    assert_eq!(unsent[0]["instance"], "root");
}

#[test]
fn github_format_prints_workflow_commands() {
    // A warning (W0001) and an error (E0101) in one file, and a warning in another.
    let out = wfl(&["check", "--format", "github", "tests/cli/mixed.wfl"]);
    assert_eq!(out.status.code(), Some(1), "an error makes the run fail");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let commands: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), 2, "{stdout}");
    assert!(commands[0].starts_with("::warning file=tests/cli/mixed.wfl,line=2,col=3,"));
    assert!(commands[1].starts_with("::error file=tests/cli/mixed.wfl,line=5,col=14,"));
    // One line each: the notes and the help are escaped into the message.
    assert!(
        commands[1].ends_with("%0Ahelp: did you mean `load`?"),
        "{}",
        commands[1]
    );
}

/// The SARIF log (its keys sorted, as `serde_json::Value` keeps them) with what depends on the
/// machine or on the registry left out: the working directory, wfl's version, the rules (one per
/// code) and the results' `ruleIndex` (a place among them), which the test checks instead.
fn redacted_sarif(log: &serde_json::Value) -> String {
    let mut log = log.clone();
    let run = &mut log["runs"][0];
    if let Some(results) = run["results"].as_array_mut() {
        for result in results {
            result["ruleIndex"] = "[the place of ruleId in rules]".into();
        }
    }
    let cwd = serde_json::Value::from("[the working directory, as a file:// URI]");
    run["invocations"][0]["workingDirectory"]["uri"] = cwd.clone();
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = cwd;
    let driver = &mut run["tool"]["driver"];
    driver["version"] = "[version]".into();
    driver["semanticVersion"] = "[version]".into();
    driver["rules"] = "[one rule per registered code]".into();
    serde_json::to_string_pretty(&log).expect("a JSON value prints")
}

#[test]
fn sarif_log_is_what_github_code_scanning_reads() {
    let base = "https://example.com/wfl/specs";
    let args = [
        "check",
        "--format",
        "sarif",
        "--help-uri-base",
        base,
        "tests/cli/mixed.wfl",
        "tests/cli/warning.wfl",
    ];
    let out = wfl(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    insta::assert_snapshot!(
        "check_sarif",
        format!("$ wfl {}\n{}\n", args.join(" "), redacted_sarif(&log))
    );

    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "wfl");
    let base_uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("%SRCROOT% has a URI");
    assert!(
        base_uri.starts_with("file:///") && base_uri.ends_with('/'),
        "{base_uri}"
    );

    // One rule per code, in registry order, each with what GitHub shows.
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules is an array");
    assert_eq!(rules.len(), wfl::diagnostic::Code::ALL.len());
    for (rule, code) in rules.iter().zip(wfl::diagnostic::Code::ALL) {
        assert_eq!(rule["id"], code.as_str());
        assert_eq!(rule["name"], code.name());
        assert_eq!(rule["shortDescription"]["text"], code.summary());
        let full = rule["fullDescription"]["text"]
            .as_str()
            .expect("a full description");
        assert!(
            !full.trim().is_empty() && full.chars().count() <= 1000,
            "{}: {full:?}",
            code.as_str()
        );
        assert_eq!(
            rule["helpUri"],
            format!(
                "{base}/diagnostics.md#{}-{}",
                code.as_str().to_ascii_lowercase(),
                code.name()
            )
        );
        for help in ["text", "markdown"] {
            assert!(
                rule["help"][help]
                    .as_str()
                    .is_some_and(|t| !t.trim().is_empty()),
                "{}: no help.{help}",
                code.as_str()
            );
        }
        use wfl::diagnostic::Severity;
        let (level, problem) = match code.severity() {
            Severity::Error => ("error", "error"),
            Severity::Warning => ("warning", "warning"),
            Severity::Note => ("note", "recommendation"),
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
        assert_eq!(rule["properties"]["problem.severity"], problem);
    }

    // Every result: its rule (by id and by index), a level, a message, a located region.
    let results = run["results"].as_array().expect("results is an array");
    let found: Vec<(&str, &str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().expect("ruleId"),
                r["level"].as_str().expect("level"),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .expect("uri"),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("W0001", "warning", "tests/cli/mixed.wfl"),
            ("E0101", "error", "tests/cli/mixed.wfl"),
            ("W0100", "warning", "tests/cli/warning.wfl"),
        ]
    );
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at its rule"
        );
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        for field in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                region[field].as_u64().is_some_and(|n| n >= 1),
                "region has no `{field}`: {region}"
            );
        }
    }
    // `endColumn` is just past the last character: `lod` is columns 14 to 16.
    let region = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ),
        (&5.into(), &14.into(), &5.into(), &17.into())
    );

    // Without a base, no `helpUri` (a base that is not an absolute URL is a usage error:
    // tests/cmd/check/sarif_relative_help_uri_base.cmd).
    let out = wfl(&[
        "check",
        "--format",
        "sarif",
        "--help-uri-base",
        "",
        "tests/cli/clean.wfl",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules.iter().all(|rule| rule.get("helpUri").is_none()));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn min_severity_error_hides_warnings_and_does_not_count_them() {
    let json = wfl(&[
        "check",
        "--format",
        "json",
        "--min-severity",
        "error",
        "tests/cli/mixed.wfl",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("stdout is JSON");
    assert_eq!(report["summary"]["warnings"], 0);
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["diagnostics"].as_array().map(Vec::len), Some(1));
}

#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    for format in ["human", "json", "github", "sarif"] {
        let run = |threads: &str| {
            wfl(&[
                "check",
                "--color",
                "never",
                "--format",
                format,
                "--threads",
                threads,
                "tests/cli/parallel",
            ])
        };
        let one = run("1");
        assert_eq!(one.status.code(), Some(1));
        for threads in ["2", "4", "16"] {
            let many = run(threads);
            assert_eq!(
                String::from_utf8_lossy(&one.stdout),
                String::from_utf8_lossy(&many.stdout),
                "--format {format}: --threads {threads} changed the output"
            );
            assert_eq!(many.status.code(), one.status.code());
        }
    }
}

const NIGHTLY: &str = "tests/cli/explore/nightly.wfl";
const CREW: &str = "tests/cli/explore/crew.wfl";

/// Runs `scenarios` (appended to the text of `file`) with `wfl::test_text` and fails on any
/// scenario that does not pass, or on any finding of the file.
fn assert_witnesses_pass(file: &str, scenarios: &[String]) {
    let text = std::fs::read_to_string(file).expect("fixture");
    let with = format!("{text}\n{}", scenarios.join("\n"));
    let tested = wfl::test_text(&with);
    assert!(
        !tested
            .checked
            .diagnostics
            .iter()
            .any(wfl::diagnostic::Diagnostic::is_error),
        "{with}\n{:?}",
        tested.checked.diagnostics
    );
    assert_eq!(tested.results.len(), scenarios.len(), "{with}");
    for (result, scenario) in tested.results.iter().zip(scenarios) {
        assert!(
            matches!(result.verdict, wfl::sim::scenario::Verdict::Passed),
            "a witness does not pass:\n{scenario}\n{:?}",
            result.verdict
        );
    }
}

#[test]
fn explore_shows_a_run_for_each_end_state_of_a_workflow() {
    // Every witness, as a scenario's `set` and `fail` lines, reaches its state.
    let out = wfl(&["explore", NIGHTLY, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let table: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(table["version"], 1);
    assert_eq!(table["complete"], true);
    let scenario = |n: usize, witness: &serde_json::Value, expect: String| {
        let mut lines = vec![format!("scenario \"witness {n}\" for nightly {{")];
        for set in witness["set"].as_array().expect("set") {
            lines.push(format!(
                "  set {} = {}",
                set["var"].as_str().expect("var"),
                set["value"].as_str().expect("value")
            ));
        }
        let fail: Vec<&str> = witness["fail"]
            .as_array()
            .expect("fail")
            .iter()
            .map(|t| t.as_str().expect("task"))
            .collect();
        if !fail.is_empty() {
            lines.push(format!("  fail {}", fail.join(", ")));
        }
        lines.push(format!("  expect {expect}"));
        lines.push("}".to_owned());
        lines.join("\n")
    };
    let mut scenarios = Vec::new();
    for (kind, subject) in [("tasks", ""), ("links", "link "), ("end_states", "")] {
        for item in table[kind].as_array().expect(kind) {
            let (name, states) = match kind {
                "end_states" => ("workflow", std::slice::from_ref(item)),
                _ => (
                    item["name"].as_str().expect("name"),
                    item["states"].as_array().expect("states").as_slice(),
                ),
            };
            for reached in states {
                // A link without a state cannot be named in an `expect`.
                let Some(state) = reached["state"].as_str() else {
                    continue;
                };
                let expect = format!("{subject}{name} == {state}");
                scenarios.push(scenario(scenarios.len(), &reached["witness"], expect));
            }
        }
    }
    assert!(scenarios.len() > 10, "{scenarios:?}");
    assert_witnesses_pass(NIGHTLY, &scenarios);
}

#[test]
fn explore_shows_the_shortest_run_to_each_state_of_a_machine() {
    let out = wfl(&[
        "explore",
        CREW,
        "--machine",
        "crew",
        "--children",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let table: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(table["version"], 1);
    assert_eq!(table["machine"], "crew");
    assert_eq!(table["children"], 2);
    assert_eq!(table["complete"], true);
    assert_eq!(table["incomplete"], serde_json::Value::Null);
    let machines = table["machines"].as_array().expect("machines");
    assert_eq!(machines.len(), 2);
    assert_eq!(machines[0]["machine"], "crew", "the root comes first");
    // Each witness, pasted into a scenario, runs: a state's witness ends with the state entered
    // (this file has no event-less transition that could leave it at once), a transition's runs
    // without error.
    let mut scenarios = Vec::new();
    let mut never = Vec::new();
    for machine in machines {
        let name = machine["machine"].as_str().expect("machine");
        for (kind, items) in [
            ("state", &machine["states"]),
            ("transition", &machine["transitions"]),
        ] {
            for item in items.as_array().expect("items") {
                let item_name = item["name"].as_str().expect("name");
                let Some(lines) = item["witness"].as_array() else {
                    assert_eq!(item["reached"], false, "{item}");
                    never.push(format!("{name}: {item_name}"));
                    continue;
                };
                assert_eq!(item["reached"], true, "{item}");
                let expect = match (kind, name) {
                    ("state", "crew") => format!("state == {item_name}"),
                    ("state", _) => format!("any workers in {item_name}"),
                    _ => "true".to_owned(),
                };
                let mut text = format!(
                    "scenario \"witness {}: {name} {kind} {item_name}\" for crew {{\n",
                    scenarios.len()
                );
                for line in lines {
                    text.push_str(&format!("  {}\n", line.as_str().expect("line")));
                }
                text.push_str(&format!("  expect {expect}\n}}\n"));
                scenarios.push(text);
            }
        }
    }
    assert_eq!(
        never,
        [
            "crew: Overstaffed",
            "crew: Busy -> Overstaffed on finished when …"
        ],
        "with two workers, `count workers in Done >= 3` never holds"
    );
    assert_eq!(scenarios.len(), 13);
    assert_witnesses_pass(CREW, &scenarios);
}

#[test]
fn explore_stopped_early_says_not_seen() {
    // The exploration stores at most `--max-states` configurations, and says it stopped there.
    let out = wfl(&[
        "explore",
        CREW,
        "--machine",
        "crew",
        "--max-states",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let table: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(table["complete"], false);
    assert!(
        table["incomplete"]
            .as_str()
            .is_some_and(|why| why.contains("--max-states")),
        "{table}"
    );
}

#[test]
fn explore_reports_a_file_with_errors_in_json() {
    let out = wfl(&["explore", "tests/cli/error.wfl", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| c.starts_with('E')),
        "{codes:?}"
    );
}

/// The codes of a `--format json` report, in order.
fn json_codes(args: &[&str]) -> (Option<i32>, Vec<String>) {
    let out = wfl(args);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let codes = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_owned())
        .collect();
    (out.status.code(), codes)
}

#[test]
fn check_explores_machines_within_the_bounds_given() {
    let file = "tests/cli/bounds/crew.wfl";
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json", file];
        args.extend_from_slice(extra);
        json_codes(&args)
    };
    // Complete with two workers: `Overtime` is never entered.
    assert_eq!(
        check(&[]),
        (
            Some(0),
            vec!["W0410".into(), "W0411".into(), "W0411".into()]
        )
    );
    // Without workers `Overtime` is entered, and `Working` is not.
    let (_, codes) = check(&["--children", "0"]);
    assert_eq!(codes, ["W0410", "W0411"]);
    // Stopped early: nothing is claimed never to happen, and a note says why, for each machine
    // (tests/cmd/check/stopped_early*.cmd in words and as GitHub annotations).
    assert_eq!(
        check(&["--max-states", "2"]),
        (Some(0), vec!["N0417".into(), "N0417".into()])
    );
    // `--min-severity warning` leaves notes out.
    assert_eq!(
        check(&["--max-states", "2", "--min-severity", "warning"]),
        (Some(0), vec![])
    );
}

#[test]
fn the_search_for_states_that_cannot_finish_keeps_to_max_memory() {
    // With seven workers the exploration fits in 4 MB, but not the search for the states from
    // which the pool cannot close: W0412 is then left out, and a note says so
    // (tests/cmd/check/max_memory_too_small_for_w0412.cmd in words). With six in 8 MB, its waits
    // do not fit, and it answers by passes over the moves (`..._waits.cmd`).
    let bounds = |children: &'static str, mb: &'static str| {
        [
            "check",
            "--format",
            "json",
            "tests/cli/bounds/pool.wfl",
            "--children",
            children,
            "--max-states",
            "1000000",
            "--max-memory",
            mb,
        ]
    };
    assert_eq!(
        json_codes(&bounds("7", "4")),
        (Some(0), vec!["W0201".into(), "N0417".into()])
    );
    let answered = (
        Some(0),
        vec!["W0201".into(), "W0412".into(), "W0412".into()],
    );
    assert_eq!(json_codes(&bounds("6", "8")), answered);
    assert_eq!(
        json_codes(&bounds("6", "32")),
        (
            Some(0),
            vec!["W0201".into(), "W0412".into(), "W0412".into()]
        )
    );
}

#[test]
fn an_exploration_stopped_by_max_time_reports_what_it_saw_marked_incomplete() {
    let file = "tests/cli/bounds/counters.wfl";
    let unbounded = ["--max-states", "2147483648", "--max-memory", "4096"];
    // Eight million configurations take seconds; a tenth of a second stops them.
    let out = wfl(&[
        &["check", "--color", "never", "--max-time", "100ms", file][..],
        &unbounded,
    ]
    .concat());
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("note[N0417]: machine `counters` was explored in part: it was interrupted (`--max-time` or Ctrl-C) after "),
        "{stdout}"
    );
    assert!(
        stderr.contains("warning: the exploration was stopped at `--max-time 100ms`"),
        "{stderr}"
    );
    // `wfl explore` prints its tables, marked incomplete; no progress line on a pipe.
    let out = wfl(&[&["explore", "--max-time", "100ms", file][..], &unbounded].concat());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("incomplete: it was interrupted")),
        "{stdout}"
    );
    assert!(stdout.contains("states of `counters`:"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // A duration is a number with a unit.
    let out = wfl(&["check", "--max-time", "soon", file]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_and_explore_have_the_same_default_bounds_and_read_them_from_wfl_toml() {
    // The default bound is the same: 200 000 configurations.
    let file = "tests/cli/bounds/counters.wfl";
    let out = wfl(&["check", "--color", "never", file]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("it stopped at 200000 configurations (`--max-states`)"),
        "{stdout}"
    );
    let out = wfl(&["explore", file]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("machine `counters`: 200000 configurations"),
        "{stdout}"
    );
    // A `wfl.toml`'s `[check]` bounds hold for `wfl explore` too.
    let dir = std::env::temp_dir().join(format!("wfl-explore-bounds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    std::fs::write(dir.join("wfl.toml"), "[check]\nmax-states = 1000\n").expect("wfl.toml written");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let out = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(["explore".as_ref(), path.as_os_str()])
        .current_dir(&dir)
        .output()
        .expect("wfl runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("machine `counters`: 1000 configurations"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn colour_follows_clicolor_force_and_test_colours_its_verdicts() {
    let run = |colour: &str, env: &[(&str, &str)]| {
        let args = ["test", "--color", colour, "tests/run/too_much_work.wfl"];
        let out = common::wfl_command(&args)
            .arg("tests/conformance/machine_semantics.wfl")
            .envs(env.iter().copied())
            .output()
            .expect("wfl runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // Standard output is a pipe here: `auto` colours only when forced.
    let forced = run("auto", &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains("... \u{1b}["), "{forced}");
    assert!(forced.contains("FAILED\u{1b}[0m"), "{forced}");
    assert!(forced.contains("ok\u{1b}[0m"), "{forced}");
    assert!(!run("auto", &[]).contains('\u{1b}'));
    assert!(!run("auto", &[("NO_COLOR", "")]).contains('\u{1b}'));
    assert!(!run("never", &[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
}
