//! Shared by the fixture harnesses (`tests/ui.rs`, `tests/run.rs`).

use std::path::Path;

/// The codes a fixture's first line announces: `// expect: W0200, E0101` (sorted), or none for
/// `// expect: clean`.
pub fn expected_codes(text: &str, path: &Path) -> Vec<String> {
    let first = text
        .trim_start_matches('\u{FEFF}')
        .lines()
        .next()
        .unwrap_or("");
    let Some(list) = first.strip_prefix("// expect:") else {
        panic!(
            "{}: the first line must be `// expect: CODES` or `// expect: clean`",
            path.display()
        );
    };
    let list = list.trim();
    if list == "clean" {
        return Vec::new();
    }
    let mut codes: Vec<String> = list.split(',').map(|c| c.trim().to_owned()).collect();
    codes.sort();
    codes
}
