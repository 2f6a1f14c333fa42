//! The parser driver (item heads and statement runs, one pest call each) and the grammar's
//! whole-file rule must accept exactly the same texts. Checked on every fixture, every example,
//! and every variant of them with one line deleted or one character inserted.

use std::path::{Path, PathBuf};

use wfl::diagnostic::Code;

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut pending = vec![root.join("tests"), root.join("examples")];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "wfl") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The E0001 findings the lowering adds about text the grammar accepted; every other E0001 is the
/// driver's (pest's, a hint's, a missing `}`).
const LOWERING_E0001: &[&str] = &[
    "unknown escape",
    "lists nothing",
    "cannot follow an `in` list",
    "`not` cannot stand here",
];

/// Whether the driver found the text grammatical: no error from pest or the pre-scan. (Errors
/// the lowering adds — a too-large number, chained comparisons — are about well-formed text.)
fn driver_accepts(text: &str) -> bool {
    let (_, diagnostics) = wfl::syntax::parse(text);
    !diagnostics.iter().any(|d| {
        (d.code == Code::E0001 && !LOWERING_E0001.iter().any(|m| d.message.contains(m)))
            || d.code == Code::E0004
            || (d.code == Code::E0003 && d.message.starts_with("brackets"))
    })
}

fn agree(text: &str, what: &str) {
    let driver = driver_accepts(text);
    let grammar = wfl::syntax::accepts_whole_file(text);
    assert_eq!(
        driver, grammar,
        "{what}: driver accepts = {driver}, whole-file rule accepts = {grammar}\n{text}"
    );
}

#[test]
fn driver_and_whole_file_rule_agree() {
    let files = corpus();
    assert!(files.len() > 20, "corpus too small: {}", files.len());
    let mut variants = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // the invalid-UTF-8 fixture
        };
        let name = path.display().to_string();
        agree(&text, &name);
        // About 60 variants a file, spread evenly, whatever its size.
        let lines: Vec<&str> = text.lines().collect();
        for skip in (0..lines.len()).step_by(lines.len() / 30 + 1) {
            let mut variant: Vec<&str> = lines.clone();
            variant.remove(skip);
            agree(
                &variant.join("\n"),
                &format!("{name} without line {}", skip + 1),
            );
            variants += 1;
        }
        let inserts = [
            "{", "}", "\n", "->", "(", "]", ",", "x", "not", "==", ";", "\"",
        ];
        let positions: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for (n, &at) in positions
            .iter()
            .step_by(positions.len() / 30 + 1)
            .enumerate()
        {
            let insert = inserts[n % inserts.len()];
            let variant = format!("{}{insert}{}", &text[..at], &text[at..]);
            agree(&variant, &format!("{name} with {insert:?} at byte {at}"));
            variants += 1;
        }
    }
    assert!(variants > 1000);
}
