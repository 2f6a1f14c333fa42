//! JUnit XML, the test report CI systems read (Jenkins, GitLab, GitHub test reporters): a
//! `<testsuites>` holding a `<testsuite>` per file and a `<testcase>` per scenario, as the Ant
//! and Jenkins JUnit schemas describe it. No time or host name is written: the report depends only
//! on the files tested (specs/cli.md).

use std::io::{self, Write};

/// A test case: a scenario (or, for a file whose scenarios could not run, the file).
pub struct Case {
    pub name: String,
    pub result: CaseResult,
}

pub enum CaseResult {
    Passed,
    /// An expectation did not hold (`kind` is the code of the first finding, `E0500`).
    Failure {
        message: String,
        kind: String,
        text: String,
    },
    /// It could not run: the file has errors.
    Error {
        message: String,
        kind: String,
        text: String,
    },
    Skipped {
        message: String,
    },
}

/// The test cases of one file.
pub struct Suite {
    name: String,
    cases: Vec<Case>,
}

impl Suite {
    pub fn new(name: &str) -> Suite {
        Suite {
            name: name.to_owned(),
            cases: Vec::new(),
        }
    }

    pub fn push(&mut self, case: Case) {
        self.cases.push(case);
    }

    /// Test cases, failures, errors and skipped ones.
    fn counts(&self) -> [usize; 4] {
        let mut counts = [self.cases.len(), 0, 0, 0];
        for case in &self.cases {
            match case.result {
                CaseResult::Passed => {}
                CaseResult::Failure { .. } => counts[1] += 1,
                CaseResult::Error { .. } => counts[2] += 1,
                CaseResult::Skipped { .. } => counts[3] += 1,
            }
        }
        counts
    }
}

/// Writes the whole report.
pub fn write(out: &mut impl Write, suites: &[Suite]) -> io::Result<()> {
    let mut totals = [0; 4];
    for suite in suites {
        for (total, n) in totals.iter_mut().zip(suite.counts()) {
            *total += n;
        }
    }
    // `<testsuites>` has no `skipped` in the Jenkins schema; each `<testsuite>` has.
    let [tests, failures, errors, _] = totals;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="wfl test" tests="{tests}" failures="{failures}" errors="{errors}">"#
    )?;
    for suite in suites {
        let [tests, failures, errors, skipped] = suite.counts();
        let name = attribute(&suite.name);
        writeln!(
            out,
            r#"  <testsuite name="{name}" tests="{tests}" failures="{failures}" errors="{errors}" skipped="{skipped}" file="{name}">"#
        )?;
        for case in &suite.cases {
            write_case(out, &name, case)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

fn write_case(out: &mut impl Write, file: &str, case: &Case) -> io::Result<()> {
    // The schemas CI tools document have no place for a test case's file or line.
    let name = attribute(&case.name);
    let head = format!(r#"    <testcase name="{name}" classname="{file}""#);
    match &case.result {
        CaseResult::Passed => writeln!(out, "{head}/>"),
        CaseResult::Skipped { message } => writeln!(
            out,
            "{head}>\n      <skipped message=\"{}\"/>\n    </testcase>",
            attribute(message)
        ),
        CaseResult::Failure {
            message,
            kind,
            text,
        }
        | CaseResult::Error {
            message,
            kind,
            text,
        } => {
            let element = match case.result {
                CaseResult::Error { .. } => "error",
                _ => "failure",
            };
            writeln!(
                out,
                "{head}>\n      <{element} message=\"{}\" type=\"{}\">{}</{element}>\n    </testcase>",
                attribute(message),
                attribute(kind),
                content(text)
            )
        }
    }
}

/// Text as an attribute value: markup and line breaks escaped.
fn attribute(text: &str) -> String {
    crate::draw::xml_attribute(text)
}

/// Text as element content: markup escaped, line breaks kept.
fn content(text: &str) -> String {
    crate::draw::xml_escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(
            attribute("a<b & \"c\"\n'd'"),
            "a&lt;b &amp; &quot;c&quot;&#10;&apos;d&apos;"
        );
        assert_eq!(content("x\ny\u{1b}[31m\u{0}"), "x\ny\\u{1b}[31m\\u{0}");
        assert_eq!(content("\u{FFFE}"), "\\u{fffe}");
    }
}
