//! Every snapshot is used by a test: a snapshot left behind when its test is renamed or removed
//! would go on looking like a checked output (what `cargo insta test --unreferenced=reject` does,
//! without needing cargo-insta).
//!
//! `tests/snapshots/BIN__NAME.snap` must be named (`"NAME"`) in `tests/BIN.rs`; a snapshot beside a
//! fixture (`tests/ui/**/NAME.snap`, `tests/run/NAME.snap`) must have its fixture, `NAME.wfl`.

use std::path::{Path, PathBuf};

fn snapshots(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("a readable directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "snap") {
                out.push(path);
            }
        }
    }
}

#[test]
fn every_snapshot_is_used_by_a_test() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut found = Vec::new();
    snapshots(&tests, &mut found);
    let mut unused = Vec::new();
    for path in found {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 name");
        let used = if path.parent() == Some(tests.join("snapshots").as_path()) {
            stem.split_once("__").is_some_and(|(bin, name)| {
                std::fs::read_to_string(tests.join(format!("{bin}.rs")))
                    .is_ok_and(|source| source.contains(&format!("\"{name}\"")))
            })
        } else {
            path.with_extension("wfl").is_file()
        };
        if !used {
            unused.push(
                path.strip_prefix(&tests)
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
            );
        }
    }
    assert!(
        unused.is_empty(),
        "snapshots no test uses (remove them, or the test that lost them): {unused:?}"
    );
}
