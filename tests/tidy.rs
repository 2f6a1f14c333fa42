//! Tidy checks: the registry of diagnostic codes (`src/diagnostic/codes.rs`), its reference page
//! (`specs/diagnostics.md`) and the ui fixtures (`tests/ui/**/*.wfl`) must agree.
//!
//! - Every code has one row in the page's table and one `## CODE name` section, both in registry
//!   order, with the registry's name, severity and summary verbatim; nothing is documented that the
//!   registry does not have.
//! - Every section has the four parts of an explanation, and shows its code in a checked example
//!   (`tests/spec_examples.rs` checks that the example really produces it).
//! - Every code has a ui fixture whose `// expect:` line lists it, and no fixture expects a code
//!   that does not exist.
//!
//! E0007 (`internal_error`) can only come from a bug in wfl, so it has no example and no fixture;
//! E0002 (`invalid_utf8`) cannot be shown in a UTF-8 page, so it has a fixture but no checked
//! example.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use wfl::diagnostic::{Code, DIAGNOSTICS_MD, explanation_section};

/// Codes that no input is meant to produce.
const NO_TRIGGER: &[&str] = &["E0007"];
/// Codes whose example cannot be a checked ```` ```wfl ```` block.
const NO_CHECKED_EXAMPLE: &[&str] = &["E0002", "E0007"];
/// The parts of every section, in order.
const PARTS: &[&str] = &[
    "### What it does",
    "### Why is this bad?",
    "### Example",
    "### How to fix",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn page() -> String {
    let path = root().join("specs/diagnostics.md");
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// `E0101`, `W0200`, `N0417`: a letter (error, warning, note) and four digits.
fn looks_like_code(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some('E' | 'W' | 'N'))
        && text.len() == 5
        && chars.all(|c| c.is_ascii_digit())
}

fn expected_row(code: Code) -> String {
    format!(
        "| {} | {} | {} | {} |",
        code.as_str(),
        code.name(),
        code.severity().as_str(),
        code.summary()
    )
}

fn expected_tagline(code: Code) -> String {
    format!("*{}* — {}", code.severity().as_str(), code.summary())
}

/// Collects every problem instead of stopping at the first, so one run shows them all.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn add(&mut self, problem: String) {
        self.0.push(problem);
    }

    fn assert_none(self, what: &str) {
        assert!(self.0.is_empty(), "{what}:\n  - {}", self.0.join("\n  - "));
    }
}

#[test]
fn the_table_lists_every_code_once_in_registry_order() {
    let page = page();
    let mut problems = Problems::default();
    let rows: Vec<(usize, &str)> = page
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            line.strip_prefix("| ")
                .and_then(|rest| rest.split(' ').next())
                .is_some_and(looks_like_code)
        })
        .map(|(i, line)| (i + 1, line))
        .collect();
    let codes: Vec<&str> = rows.iter().filter_map(|(_, line)| line.get(2..7)).collect();
    for (line, row) in &rows {
        let code = row.get(2..7).unwrap_or("");
        match Code::ALL.iter().find(|c| c.as_str() == code) {
            None => problems.add(format!(
                "line {line}: a table row for `{code}`, which is not in the registry"
            )),
            Some(&c) if *row != expected_row(c) => problems.add(format!(
                "line {line}: the row of {code} differs from the registry\n      found:    {row}\n      expected: {}",
                expected_row(c)
            )),
            Some(_) => {}
        }
    }
    for code in Code::ALL {
        let count = codes.iter().filter(|&&c| c == code.as_str()).count();
        if count != 1 {
            problems.add(format!(
                "{} has {count} table rows; expected one: {}",
                code.as_str(),
                expected_row(*code)
            ));
        }
    }
    let registry: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let known: Vec<&str> = codes
        .iter()
        .copied()
        .filter(|c| registry.contains(c))
        .collect();
    if known != registry {
        problems.add(format!(
            "the table rows are not in registry order\n      found:    {}\n      expected: {}",
            known.join(" "),
            registry.join(" ")
        ));
    }
    problems.assert_none("specs/diagnostics.md's table and the registry disagree");
}

#[test]
fn every_code_has_one_section_in_registry_order() {
    let page = page();
    let mut problems = Problems::default();
    let headings: Vec<(usize, &str)> = page
        .lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with("## "))
        .map(|(i, line)| (i + 1, line))
        .collect();
    let mut seen = Vec::new();
    for (line, heading) in &headings {
        let words: Vec<&str> = heading.split(' ').collect();
        let Some(code) = Code::ALL.iter().find(|c| words.get(1) == Some(&c.as_str())) else {
            problems.add(format!(
                "line {line}: `{heading}` is not a section of a registered code (`## CODE name`)"
            ));
            continue;
        };
        let expected = format!("## {} {}", code.as_str(), code.name());
        if *heading != expected {
            problems.add(format!("line {line}: `{heading}` should read `{expected}`"));
        }
        seen.push(code.as_str());
    }
    for code in Code::ALL {
        let count = seen.iter().filter(|&&c| c == code.as_str()).count();
        if count != 1 {
            problems.add(format!(
                "{} has {count} sections; expected one, headed `## {} {}`",
                code.as_str(),
                code.as_str(),
                code.name()
            ));
        }
    }
    let registry: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    if seen != registry {
        problems.add(format!(
            "the sections are not in registry order\n      found:    {}\n      expected: {}",
            seen.join(" "),
            registry.join(" ")
        ));
    }
    problems.assert_none("specs/diagnostics.md's sections and the registry disagree");
}

#[test]
fn every_section_is_a_whole_explanation() {
    let mut problems = Problems::default();
    for code in Code::ALL {
        // What `wfl explain` prints: the page compiled into the binary.
        let Some(section) = code.explanation() else {
            problems.add(format!("`wfl explain {}` finds no section", code.as_str()));
            continue;
        };
        let mut lines = section.lines().skip(1).filter(|l| !l.trim().is_empty());
        let tagline = lines.next().unwrap_or("");
        if tagline != expected_tagline(*code) {
            problems.add(format!(
                "{}: the line under the heading should be `{}`, not `{tagline}`",
                code.as_str(),
                expected_tagline(*code)
            ));
        }
        let parts: Vec<&str> = section.lines().filter(|l| l.starts_with("### ")).collect();
        if parts != PARTS {
            problems.add(format!(
                "{}: the parts are {parts:?}; expected {PARTS:?}",
                code.as_str()
            ));
        }
        if !NO_CHECKED_EXAMPLE.contains(&code.as_str()) {
            let shown = section.lines().any(|line| {
                line.trim_start()
                    .strip_prefix("```wfl expect=")
                    .is_some_and(|codes| codes.split(',').any(|c| c.trim() == code.as_str()))
            });
            if !shown {
                problems.add(format!(
                    "{}: no ```wfl expect=… block of the section produces it",
                    code.as_str()
                ));
            }
        }
    }
    problems.assert_none("specs/diagnostics.md has incomplete explanations");
}

#[test]
fn a_section_runs_to_the_next_code_heading() {
    let sample = "# T\n## E0001 a\ntext\n### Example\nx\n## E0002 b\nmore\n";
    assert_eq!(
        explanation_section(sample, "E0001"),
        Some("## E0001 a\ntext\n### Example\nx")
    );
    assert_eq!(
        explanation_section(sample, "E0002"),
        Some("## E0002 b\nmore")
    );
    assert_eq!(explanation_section(sample, "E0003"), None);
    // The page `wfl explain` prints from is this one.
    assert!(DIAGNOSTICS_MD.starts_with("# Diagnostics\n"));
}

/// Every `*.wfl` file under `dir`, sorted.
fn fixtures(dir: &Path) -> Vec<PathBuf> {
    common::wfl_files(dir)
}

#[test]
fn every_code_has_a_ui_fixture() {
    // Checker findings have `tests/ui` fixtures; run findings (E05xx) `tests/run` fixtures.
    let mut problems = Problems::default();
    let mut covered = BTreeSet::new();
    let all = fixtures(&root().join("tests/ui"))
        .into_iter()
        .chain(fixtures(&root().join("tests/run")));
    for path in all {
        let bytes = std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let text = String::from_utf8_lossy(&bytes);
        let name = path
            .strip_prefix(root())
            .unwrap_or(&path)
            .display()
            .to_string();
        // A fixture may start with a byte-order mark, as tests/ui.rs allows.
        let first = text
            .trim_start_matches('\u{FEFF}')
            .lines()
            .next()
            .unwrap_or("");
        let Some(list) = first.strip_prefix("// expect:") else {
            problems.add(format!(
                "{name}: the first line must be `// expect: CODES` or `// expect: clean`"
            ));
            continue;
        };
        let list = list.trim();
        if list == "clean" {
            continue;
        }
        for code in list.split(',').map(str::trim) {
            if Code::ALL.iter().any(|c| c.as_str() == code) {
                covered.insert(code.to_owned());
            } else {
                problems.add(format!(
                    "{name}: expects `{code}`, which is not a registered code"
                ));
            }
        }
    }
    for code in Code::ALL {
        if !NO_TRIGGER.contains(&code.as_str()) && !covered.contains(code.as_str()) {
            problems.add(format!(
                "{} ({}) has no fixture: add tests/ui/<stage>/{}.wfl whose first line lists it",
                code.as_str(),
                code.name(),
                code.name()
            ));
        }
    }
    problems.assert_none("the ui fixtures and the registry disagree");
}

/// The thing found, when a message "expected …, found …" lists it among what was expected too
/// ("expected a workflow statement (`var`, …), found `var`"): a message that contradicts itself.
fn found_among_expected(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("expected ")?;
    let (expected, found) = rest.rsplit_once(", found ")?;
    let found = found.trim();
    let listed = if found.starts_with('`') {
        // A token: the same token in backticks among the expected.
        expected.contains(found)
    } else {
        // Words such as "end of line".
        expected.contains(&format!(" {found}")) || expected.starts_with(found)
    };
    listed.then_some(found)
}

#[test]
fn a_contradiction_is_recognised() {
    let contradictions = [
        "expected a workflow statement (`var`, `task`, a link or a property), found `var`",
        "expected `=`, `raise` or `send`, found `send`",
        "expected `;` or end of line, found end of line",
    ];
    for message in contradictions {
        assert!(found_among_expected(message).is_some(), "{message}");
    }
    let fine = [
        "expected a name, found end of line",
        "expected `and` or `or`, found `a`",
        "expected `}` to close `task report {`",
    ];
    for message in fine {
        assert_eq!(found_among_expected(message), None, "{message}");
    }
}

#[test]
fn no_message_finds_what_it_expected() {
    let mut problems = Problems::default();
    for path in common::files(&root().join("tests/ui"), "snap") {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        // The first line of each finding: `error[E0001]: MESSAGE`.
        for line in text.lines().filter(|l| l.contains("]: ")) {
            let message = line.split_once("]: ").map_or("", |(_, m)| m);
            if let Some(found) = found_among_expected(message) {
                problems.add(format!(
                    "{}: \"{message}\" lists {found} among what it expected",
                    path.strip_prefix(root()).unwrap_or(&path).display()
                ));
            }
        }
    }
    problems.assert_none("a syntax error says it expected what it found");
}
