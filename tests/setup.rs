//! A user's setup: shell completions, the man page, and the links SARIF rules carry (from the
//! `repository` of Cargo.toml).

use std::process::Command;

mod common;

use common::wfl;

#[test]
fn completions_are_made_for_every_shell() {
    for shell in ["bash", "elvish", "fish", "powershell", "zsh"] {
        let out = wfl(&["completions", shell]);
        let script = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        // The options of the subcommands are there, `wfl test`'s new ones too.
        assert!(script.contains("fail-under"), "{shell}: {script}");
    }
    // Bash reads its script without a syntax error.
    let script = wfl(&["completions", "bash"]).stdout;
    if let Ok(checked) = Command::new("bash")
        .arg("-n")
        .arg("/dev/stdin")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut bash| {
            use std::io::Write;
            bash.stdin.take().expect("piped").write_all(&script)?;
            bash.wait_with_output()
        })
    {
        assert!(
            checked.status.success(),
            "{}",
            String::from_utf8_lossy(&checked.stderr)
        );
    }
}

#[test]
fn the_man_page_has_every_command_and_option() {
    let out = wfl(&["man"]);
    let page = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    assert!(page.contains(".TH wfl 1"), "{page}");
    for section in [
        "WFL CHECK",
        "WFL TEST",
        "WFL SIMULATE",
        "WFL EXPLORE",
        "WFL EXPLAIN",
    ] {
        assert!(page.contains(&format!(".SH \"{section}\"")), "{section}");
    }
    for option in [
        r"\-\-fail\-under",
        r"\-\-no\-config",
        r"\-\-select",
        r"\-\-max\-states",
    ] {
        assert!(page.contains(option), "{option}");
    }
    assert!(!page.contains("debug"), "a hidden command");
}

#[test]
fn sarif_rules_link_to_the_diagnostics_reference() {
    let out = wfl(&["check", "--format", "sarif", "tests/cli/warning.wfl"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], "https://github.com/wfl-lang/wfl");
    let rules = driver["rules"].as_array().expect("rules");
    let base = "https://github.com/wfl-lang/wfl/blob/HEAD/specs/diagnostics.md#";
    for rule in rules {
        let help = rule["helpUri"].as_str().expect("a helpUri");
        assert!(help.starts_with(base), "{help}");
    }
    assert!(
        rules
            .iter()
            .any(|r| r["helpUri"] == format!("{base}w0100-unused_variable"))
    );
}
