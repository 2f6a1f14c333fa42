//! `wfl test` for CI, where a transcript is not enough (the transcripts of its formats,
//! `--filter`, files without scenarios, coverage and `--fail-under` are fixtures under
//! `tests/cmd/test/`): annotations on the very `expect` lines, the JUnit report validated against
//! the schema, the LCOV file read back by `genhtml`, every example measured.

use std::path::Path;
use std::process::Command;

mod common;

use common::wfl;

#[test]
fn github_annotations_point_at_the_failing_expect_lines() {
    let out = wfl(&[
        "test",
        "--format",
        "github",
        "tests/run/failed_expectation.wfl",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let text = std::fs::read_to_string("tests/run/failed_expectation.wfl").expect("fixture");
    let annotated: Vec<usize> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("::error file=tests/run/failed_expectation.wfl,line="))
        .filter_map(|rest| rest.split(',').next()?.parse().ok())
        .collect();
    assert_eq!(annotated.len(), 3, "{stdout}");
    for line in annotated {
        let shown = text.lines().nth(line - 1).expect("a line of the file");
        assert!(
            shown.trim_start().starts_with("expect "),
            "line {line}: {shown}"
        );
    }
    assert_eq!(out.status.code(), Some(1));
}

/// `xmllint`, when it is installed (Debian's `libxml2-utils`).
fn xmllint() -> Option<Command> {
    let found = Command::new("xmllint").arg("--version").output().is_ok();
    if !found {
        eprintln!("xmllint is not installed: the JUnit report is not validated");
    }
    found.then(|| Command::new("xmllint"))
}

#[test]
fn the_junit_report_validates_against_the_schema() {
    let Some(_) = xmllint() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = wfl(&[
        "test",
        "--format",
        "junit",
        "examples/",
        "tests/run/",
        "tests/cli/error.wfl",
        "tests/cli/clean.wfl",
    ]);
    assert_eq!(out.status.code(), Some(1), "tests/run has failing fixtures");
    let report = std::env::temp_dir().join(format!("wfl-junit-{}.xml", std::process::id()));
    std::fs::write(&report, &out.stdout).expect("write the report");
    let mut schemas = vec![root.join("tests/junit/junit.xsd")];
    // Another schema to validate against, such as the Jenkins xUnit plugin's junit-10.xsd.
    schemas.extend(std::env::var_os("WFL_JUNIT_XSD").map(Into::into));
    for schema in schemas {
        let checked = xmllint()
            .expect("found above")
            .arg("--noout")
            .arg("--schema")
            .arg(&schema)
            .arg(&report)
            .output()
            .expect("xmllint runs");
        assert!(
            checked.status.success(),
            "{}: {}",
            schema.display(),
            String::from_utf8_lossy(&checked.stderr)
        );
    }
    let _ = std::fs::remove_file(&report);
}

/// A workflow, a machine and a group of children, each with behaviours covered, missed, and
/// impossible (which must not count).
const COVERAGE: &str = "tests/cli/coverage/spec.wfl";

#[test]
fn lcov_is_read_by_genhtml() {
    let dir = std::env::temp_dir().join(format!("wfl-lcov-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let lcov = dir.join("wfl.lcov");
    let lcov_arg = lcov.to_string_lossy().into_owned();
    let out = wfl(&["test", "--lcov", &lcov_arg, COVERAGE, "examples/"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&lcov).expect("the LCOV file is written");
    let ours = text
        .split_inclusive("end_of_record\n")
        .find(|record| record.contains(&format!("SF:{COVERAGE}\n")))
        .expect("a record for the fixture");
    insta::assert_snapshot!("test_lcov", ours);
    if Command::new("genhtml").arg("--version").output().is_err() {
        eprintln!("genhtml is not installed (Debian's lcov): the LCOV file is not read back");
    } else {
        let html = dir.join("html");
        let read = Command::new("genhtml")
            .arg("--branch-coverage")
            .arg("--output-directory")
            .arg(&html)
            .arg(&lcov)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("genhtml runs");
        let stderr = String::from_utf8_lossy(&read.stderr);
        assert!(read.status.success(), "{stderr}");
        assert!(!stderr.contains("WARNING"), "{stderr}");
        assert!(html.join("index.html").is_file());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_coverage_of_the_examples_is_shown() {
    let out = wfl(&["test", "--coverage", "--color", "never", "examples/"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    for file in std::fs::read_dir("examples").expect("examples/") {
        let name = file.expect("an entry").path();
        let name = name.to_string_lossy();
        assert!(
            stdout.lines().any(|l| l.starts_with(&*name)),
            "{name}: {stdout}"
        );
    }
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("coverage: ")),
        "{stdout}"
    );
}
