//! ui tests: every `tests/ui/**/*.wfl` is checked; its first line says which codes it must
//! produce (`// expect: W0200, E0101` or `// expect: clean`), and the rendered diagnostics are an
//! insta snapshot beside the fixture (`name.snap`). Every witness in the findings, pasted into the
//! fixture, must show its finding when `wfl test` runs it.

mod common;

use common::{expected_codes, replay, sorted_codes, witness_of, witness_shows};

#[test]
fn ui() {
    insta::glob!("ui/**/*.wfl", |path| {
        // `NAME.fixed.wfl` is `NAME.wfl` with its help applied, checked by tests/fixes.rs.
        if path.to_string_lossy().ends_with(".fixed.wfl") {
            return;
        }
        let bytes = std::fs::read(path).expect("fixture readable");
        let name = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let header = String::from_utf8_lossy(&bytes).into_owned();
        let expected = expected_codes(&header, path);
        let (source, checked) = wfl::check_bytes(&name, bytes).expect("fixture under 4 GiB");
        let found = sorted_codes(&checked.diagnostics);
        let rendered = wfl::diagnostic::render::human_string(source, &checked.diagnostics);
        // Every witness, pasted into the file, shows its finding.
        for d in &checked.diagnostics {
            if let Some(witness) = witness_of(d) {
                let (with, verdict) = replay(&header, witness);
                assert!(
                    witness_shows(d.code.as_str(), &verdict),
                    "{name}: the witness of {} does not show it:\n{with}\n{verdict:?}",
                    d.code.as_str()
                );
            }
        }
        assert_eq!(
            found, expected,
            "{name}: codes differ from its `// expect:` line\n{rendered}"
        );
        common::snapshot_beside(path).bind(|| {
            insta::assert_snapshot!(common::fixture_stem(path), rendered);
        });
    });
}
