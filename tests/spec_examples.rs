//! The examples in `specs/*.md` are tested (checked, and their scenarios run): every fenced block whose info string starts with `wfl`
//! is checked and its scenarios run (`wfl::test_text`), and the codes it produces — checker findings
//! and E0500 for an unmet `expect` — must be exactly the ones its info string announces.
//!
//! - ```` ```wfl ````: the block must check with no finding at all;
//! - ```` ```wfl expect=E0101,W0200 ````: it must produce exactly that multiset of codes (in any
//!   order; a code listed twice must be produced twice).
//!
//! Notes (N0408, N0417: what the analysis could not cover, not a problem with the example) are
//! compared only in a block whose `expect=` lists one; elsewhere they are left out, so that an
//! example about a counter need not say that a counter keeps its machine from being explored whole.
//! - ```` ```wfl fragment ````: not checked (a piece of syntax that is not a whole file).
//!
//! Every failure names the file and the line of the block's opening fence, and shows the findings
//! as `wfl check` prints them.

use std::path::{Path, PathBuf};

use wfl::diagnostic::Code;

/// What a block's info string asks for.
#[derive(Debug, PartialEq, Eq)]
enum Expect {
    /// Not checked.
    Fragment,
    /// Exactly these codes, sorted.
    Codes(Vec<String>),
}

/// One ```` ```wfl ```` block of a markdown file.
#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    info: String,
    text: String,
}

/// The fenced blocks of `markdown` whose info string starts with `wfl`. Fences follow CommonMark:
/// up to three spaces of indentation, three or more backticks or tildes, closed by a fence of the
/// same character at least as long (or by the end of the file).
fn wfl_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let Some((fence_char, fence_len, indent, info)) = opening_fence(line) else {
            continue;
        };
        let mut body = String::new();
        for (_, inner) in lines.by_ref() {
            if is_closing_fence(inner, fence_char, fence_len) {
                break;
            }
            body.push_str(strip_indent(inner, indent));
            body.push('\n');
        }
        if info.starts_with("wfl") {
            blocks.push(Block {
                line: index + 1,
                info: info.to_owned(),
                text: body,
            });
        }
    }
    blocks
}

/// `(fence character, fence length, indentation, info string)` when `line` opens a fence.
fn opening_fence(line: &str) -> Option<(char, usize, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = line.get(indent..)?;
    let fence_char = rest.chars().next().filter(|&c| c == '`' || c == '~')?;
    let fence_len = rest.len() - rest.trim_start_matches(fence_char).len();
    if fence_len < 3 {
        return None;
    }
    let info = rest.get(fence_len..)?.trim();
    if fence_char == '`' && info.contains('`') {
        return None; // inline code such as ```` ```wfl ```` in running text
    }
    Some((fence_char, fence_len, indent, info))
}

fn is_closing_fence(line: &str, fence_char: char, fence_len: usize) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = line.trim_start_matches(' ');
    let len = rest.len() - rest.trim_start_matches(fence_char).len();
    len >= fence_len && rest.get(len..).is_some_and(|after| after.trim().is_empty())
}

/// Removes up to `indent` leading spaces (the indentation of the opening fence).
fn strip_indent(line: &str, indent: usize) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    line.get(spaces.min(indent)..).unwrap_or(line)
}

/// Reads an info string: `wfl`, `wfl fragment` or `wfl expect=CODE,CODE`.
fn parse_info(info: &str) -> Result<Expect, String> {
    let mut words = info.split_whitespace();
    if words.next() != Some("wfl") {
        return Err(format!(
            "info string `{info}`: the language must be exactly `wfl`"
        ));
    }
    let mut expect = Expect::Codes(Vec::new());
    let mut seen_attribute = false;
    for word in words {
        if seen_attribute {
            return Err(format!(
                "info string `{info}`: give `fragment` or one `expect=…`, not both or twice \
                 (no spaces inside the code list)"
            ));
        }
        seen_attribute = true;
        if word == "fragment" {
            expect = Expect::Fragment;
        } else if let Some(list) = word.strip_prefix("expect=") {
            let mut codes = Vec::new();
            for code in list.split(',') {
                let known = Code::ALL.iter().any(|c| c.as_str() == code);
                if !known {
                    return Err(format!(
                        "info string `{info}`: `{code}` is not a known code"
                    ));
                }
                codes.push(code.to_owned());
            }
            codes.sort();
            expect = Expect::Codes(codes);
        } else {
            return Err(format!(
                "info string `{info}`: unknown attribute `{word}` (expected `fragment` or \
                 `expect=CODE,CODE`)"
            ));
        }
    }
    Ok(expect)
}

/// Checks every block of one file; returns the number of checked blocks and one message per
/// failure.
fn check_file(path: &Path) -> (usize, Vec<String>) {
    let markdown = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let file = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let mut checked = 0;
    let mut failures = Vec::new();
    for block in wfl_blocks(&markdown) {
        let name = format!("{file} (block at line {})", block.line);
        let expected = match parse_info(&block.info) {
            Ok(Expect::Fragment) => continue,
            Ok(Expect::Codes(codes)) => codes,
            Err(message) => {
                failures.push(format!("{name}: {message}"));
                continue;
            }
        };
        checked += 1;
        // Checked, and its scenarios run: an unmet `expect` is E0500.
        let tested = wfl::test_text(&block.text);
        let mut diagnostics = tested.checked.diagnostics.clone();
        for result in &tested.results {
            if let wfl::sim::scenario::Verdict::Failed(unmet) = &result.verdict {
                diagnostics.extend(unmet.iter().cloned());
            }
        }
        let result = wfl::Checked {
            program: None,
            diagnostics,
        };
        let notes_expected = expected.iter().any(|code| code.starts_with('N'));
        let mut found: Vec<String> = result
            .diagnostics
            .iter()
            .filter(|d| notes_expected || d.severity != wfl::diagnostic::Severity::Note)
            .map(|d| d.code.as_str().to_owned())
            .collect();
        found.sort();
        if found != expected {
            let source = wfl::source::Source::new(name.clone(), block.text.clone())
                .expect("an example is far below 4 GiB");
            let rendered = wfl::diagnostic::render::human_string(source, &result.diagnostics);
            failures.push(format!(
                "{name}: should produce {} but produces {}\n{}",
                describe(&expected),
                describe(&found),
                if rendered.is_empty() {
                    "(no findings)\n".to_owned()
                } else {
                    rendered
                }
            ));
        }
    }
    (checked, failures)
}

fn describe(codes: &[String]) -> String {
    if codes.is_empty() {
        "no finding".to_owned()
    } else {
        format!("[{}]", codes.join(", "))
    }
}

/// Every `specs/*.md` file, sorted.
fn spec_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
}

fn assert_examples(files: &[PathBuf]) -> usize {
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in files {
        let (n, mut f) = check_file(file);
        checked += n;
        failures.append(&mut f);
    }
    assert!(
        failures.is_empty(),
        "{} example(s) in specs/ do not check as announced:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    checked
}

/// The language reference: its examples are the ones this test was written for.
#[test]
fn language_reference_examples() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/language.md");
    let checked = assert_examples(&[path]);
    assert!(checked > 0, "specs/language.md has no checked ```wfl block");
}

/// The README's example.
#[test]
fn readme_examples() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    assert!(
        assert_examples(&[path]) > 0,
        "README.md has no checked ```wfl block"
    );
}

/// Every other `specs/*.md` file (the diagnostics reference and whatever comes next).
#[test]
fn other_spec_examples() {
    let others: Vec<PathBuf> = spec_files()
        .into_iter()
        .filter(|path| path.file_name().is_none_or(|name| name != "language.md"))
        .collect();
    assert_examples(&others);
}

#[test]
fn fences_and_info_strings_are_read_as_documented() {
    let markdown = "text\n```wfl\nworkflow w {}\n```\n\n````markdown\n```wfl\nnot a block\n```\n````\n\n  ```wfl expect=E0404\n  machine m {}\n  ```\n```rust\nfn main() {}\n```\n~~~wfl fragment\nx\n~~~\n";
    let blocks = wfl_blocks(markdown);
    let lines: Vec<usize> = blocks.iter().map(|b| b.line).collect();
    assert_eq!(lines, vec![2, 12, 18]);
    assert_eq!(blocks[1].text, "machine m {}\n");
    assert_eq!(parse_info("wfl"), Ok(Expect::Codes(Vec::new())));
    assert_eq!(parse_info("wfl fragment"), Ok(Expect::Fragment));
    assert_eq!(
        parse_info("wfl expect=W0200,E0101,W0200"),
        Ok(Expect::Codes(vec![
            "E0101".to_owned(),
            "W0200".to_owned(),
            "W0200".to_owned()
        ]))
    );
    assert!(parse_info("wfl expect=E9999").is_err());
    assert!(parse_info("wfl expect=E0101, W0200").is_err());
    assert!(parse_info("wflx").is_err());
}
