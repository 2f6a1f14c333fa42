//! One configuration: `wfl.toml`'s options and globs, `.gitignore`, quoted globs, `--config`,
//! `--no-config`, the per-code flags and `--quiet`, and configuration errors in the JSON.
//!
//! `tests/cli/config/project/` holds a `wfl.toml` (`exclude`, `[check]`, `[test]`, `[lints]`), a
//! `.gitignore` that ignores `build/`, a spec with a dangling doc comment, one in `nested/`, and
//! specs with errors in `generated/` (excluded) and `build/` (ignored).

use std::path::Path;
use std::process::{Command, Output};

mod common;

const PROJECT: &str = "tests/cli/config/project";

/// `wfl ARGS` run in `dir` (relative to the repository's root).
fn wfl_in(dir: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .env_remove("NO_COLOR")
        .output()
        .expect("wfl runs")
}

fn transcript_in(dir: &str, args: &[&str]) -> String {
    format!(
        "(in {dir})\n{}",
        common::transcript(args, &wfl_in(dir, args))
    )
}

#[test]
fn the_nearest_configuration_sets_the_options_and_the_files() {
    // `generated/` is excluded, `build/` ignored by `.gitignore`; the format is `github` and
    // warnings are denied, as `[check]` says; `unused_variable` is allowed by `[lints]`.
    insta::assert_snapshot!("config_check", transcript_in(PROJECT, &["check"]));
    // The command line wins over the file.
    insta::assert_snapshot!(
        "config_check_flags_win",
        transcript_in(
            PROJECT,
            &["check", "--format", "human", "--color", "never", "--quiet"]
        )
    );
    // `[test]` turns coverage on.
    insta::assert_snapshot!("config_test", transcript_in(PROJECT, &["test"]));
}

#[test]
fn config_names_the_file_and_no_config_ignores_it() {
    let named = common::wfl(&[
        "check",
        "--config",
        "tests/cli/config/project/wfl.toml",
        PROJECT,
    ]);
    let nearest = wfl_in(PROJECT, &["check"]);
    // The same findings, with paths as given.
    let text = String::from_utf8_lossy(&named.stdout).replace("tests/cli/config/project/", "");
    assert_eq!(text, String::from_utf8_lossy(&nearest.stdout));
    assert_eq!(named.status.code(), Some(1));
    insta::assert_snapshot!(
        "config_none",
        transcript_in(PROJECT, &["check", "--no-config", "--color", "never"])
    );
    let missing = common::wfl(&["check", "--config", "nowhere/wfl.toml", PROJECT]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr),
        "error: cannot read `nowhere/wfl.toml`: No such file or directory\n"
    );
}

#[test]
fn quoted_globs_are_expanded_with_gitignore_respected() {
    insta::assert_snapshot!(
        "config_glob",
        common::transcript(
            &[
                "check",
                "--no-config",
                "--format",
                "json",
                "tests/cli/config/**/*.wfl"
            ],
            &common::wfl(&[
                "check",
                "--no-config",
                "--format",
                "json",
                "tests/cli/config/**/*.wfl"
            ])
        )
    );
    let none = common::wfl(&["check", "tests/cli/config/**/nothing*.wfl"]);
    assert_eq!(none.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&none.stderr),
        "error: no file matches `tests/cli/config/**/nothing*.wfl`\n"
    );
}

#[test]
fn per_code_flags_set_levels_as_ruff_does() {
    let run = |flags: &[&str]| {
        let mut args = vec!["check", "--no-config", "--color", "never"];
        args.extend(flags);
        args.extend(["tests/cli/warning.wfl", "tests/cli/mixed.wfl"]);
        common::transcript(&args, &common::wfl(&args))
    };
    insta::assert_snapshot!("flags_select", run(&["--select", "W0100"]));
    insta::assert_snapshot!("flags_ignore", run(&["--ignore", "unused_variable,W0001"]));
    insta::assert_snapshot!(
        "flags_deny",
        run(&["--deny", "W0100", "--min-severity", "error"])
    );
    insta::assert_snapshot!(
        "flags_warn_after_select",
        run(&["--select", "W0001", "--warn", "W0100", "--quiet"])
    );
    insta::assert_snapshot!("flags_unknown", run(&["--deny", "W0101x"]));
    insta::assert_snapshot!("flags_error_code", run(&["--ignore", "E0101"]));
}

#[test]
fn configuration_errors_are_in_the_json_too() {
    insta::assert_snapshot!(
        "config_errors_json",
        common::transcript(
            &[
                "check",
                "--format",
                "json",
                "tests/cli/bad_config/specs.wfl"
            ],
            &common::wfl(&[
                "check",
                "--format",
                "json",
                "tests/cli/bad_config/specs.wfl"
            ])
        )
    );
}

#[test]
fn configuration_errors_are_in_the_json_of_wfl_test_too() {
    let args = [
        "test",
        "--format",
        "json",
        "--config",
        "tests/cli/bad_config/wfl.toml",
        "tests/run/passing.wfl",
    ];
    let out = common::wfl(&args);
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        report["config_errors"][0]["message"],
        "unknown code or rule `dead_end_stat`; did you mean `dead_end_state`?"
    );
    assert_eq!(report["config_errors"][0]["line"], 2);
}

#[test]
fn mistakes_in_the_options_are_errors_with_a_place() {
    let dir = std::env::temp_dir().join(format!("wfl-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    std::fs::write(dir.join("a.wfl"), "workflow w {\n  task a\n}\n").expect("write");
    let cases = [
        (
            "[check]\nformat = \"jsn\"\n",
            "wfl.toml:2:10: unknown value \"jsn\" for `check.format`; did you mean \"json\"?",
        ),
        (
            "[check]\nmax-state = 3\n",
            "wfl.toml:2:13: unknown key `check.max-state`; did you mean `max-states`?",
        ),
        (
            "[check]\nchildren = 5000\n",
            "wfl.toml:2:12: `check.children` must be a whole number from 0 to 4096",
        ),
        (
            "[test]\nfail-under = 120\n",
            "wfl.toml:2:14: `test.fail-under` must be a percentage from 0 to 100",
        ),
        (
            "exclude = \"build\"\n",
            "wfl.toml:1:11: `exclude` must be a list of globs: `exclude = [\"build/**\"]`",
        ),
        (
            "exclude = [\"a[\"]\n",
            "wfl.toml:1:12: `a[` is not a glob: unclosed character class; missing ']'",
        ),
        (
            "[chek]\n",
            "wfl.toml:1:2: unknown key `chek`; did you mean `check`?",
        ),
    ];
    for (toml, expected) in cases {
        std::fs::write(dir.join("wfl.toml"), toml).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_wfl"))
            .args(["check", "a.wfl"])
            .current_dir(&dir)
            .output()
            .expect("wfl runs");
        assert_eq!(out.status.code(), Some(2), "{toml}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("error: {expected}\n"),
            "{toml}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
