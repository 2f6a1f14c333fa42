//! `wfl test` fixtures: every `tests/run/*.wfl` runs under the built binary; its first line says
//! which codes the output must show (`// expect: E0500, E0500` or `// expect: clean`), and the
//! output is an insta snapshot beside the fixture (`name.snap`).

mod common;

use std::process::Command;

use common::expected_codes;

/// The codes in rendered output: `error[E0500]`, `warning[W0100]`.
fn found_codes(output: &str) -> Vec<String> {
    let mut codes: Vec<String> = output
        .match_indices('[')
        .filter_map(|(i, _)| {
            let head = &output[..i];
            let code = output.get(i + 1..i + 6)?;
            let tagged = head.ends_with("error") || head.ends_with("warning");
            (tagged && output.get(i + 6..i + 7) == Some("]")).then(|| code.to_owned())
        })
        .collect();
    codes.sort();
    codes
}

#[test]
fn run_fixtures() {
    insta::glob!("run/*.wfl", |path| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).expect("fixture readable");
        let out = Command::new(env!("CARGO_BIN_EXE_wfl"))
            .args(["test", "--color", "never", &name])
            .current_dir(root)
            .output()
            .expect("wfl runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let expected = expected_codes(&text, path);
        assert_eq!(
            found_codes(&stdout),
            expected,
            "{name}: codes differ from its `// expect:` line\n{stdout}"
        );
        let failed = expected.iter().any(|c| c.starts_with('E'));
        assert_eq!(
            out.status.code(),
            Some(i32::from(failed)),
            "{name}: exit status\n{stdout}"
        );
        let transcript = format!("exit: {}\n{stdout}", out.status.code().unwrap_or(-1));
        common::snapshot_beside(path).bind(|| {
            insta::assert_snapshot!(common::fixture_stem(path), transcript);
        });
    });
}
