//! One configuration, where a transcript is not enough (the transcripts, of `wfl.toml`'s options
//! and globs, `.gitignore`, quoted globs, `--no-config`, the per-code flags, `--quiet` and
//! configuration errors in the JSON, are fixtures under `tests/cmd/config/`): `--config` finds
//! what the nearest `wfl.toml` finds, and mistakes in a `wfl.toml` are errors with a place.
//!
//! `tests/cli/config/project/` holds a `wfl.toml` (`exclude`, `[check]`, `[test]`, `[lints]`), a
//! `.gitignore` that ignores `build/`, a spec with a dangling doc comment, one in `nested/`, and
//! specs with errors in `generated/` (excluded) and `build/` (ignored).

mod common;

const PROJECT: &str = "tests/cli/config/project";

#[test]
fn config_names_the_file_the_nearest_one_would_be() {
    let named = common::wfl(&[
        "check",
        "--config",
        "tests/cli/config/project/wfl.toml",
        PROJECT,
    ]);
    let nearest = common::wfl_command(&["check"])
        .current_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PROJECT))
        .output()
        .expect("wfl runs");
    // The same findings, with paths as given.
    let text = String::from_utf8_lossy(&named.stdout).replace("tests/cli/config/project/", "");
    assert_eq!(text, String::from_utf8_lossy(&nearest.stdout));
    assert_eq!(named.status.code(), Some(1));
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
        let out = common::wfl_command(&["check", "a.wfl"])
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
