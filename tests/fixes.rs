//! Advice that works: a help that says "do X" is tested by doing X.
//!
//! Beside a ui fixture `tests/ui/<stage>/NAME.wfl` (see `tests/ui.rs`), `NAME.fixed.wfl` is the
//! same file with every help of its snapshot applied literally. It starts with its own
//! `// expect:` line (what it still reports, usually `clean`), and it must report none of the
//! codes `NAME.wfl` expects: when doing what the help says does not make the finding go away, the
//! help is wrong, and the help is what gets fixed. When it reports nothing at all, its scenarios
//! pass: a fix that leaves a run doing something else than the file says is no fix (a twin that
//! still reports a finding may have a scenario that shows it). `tests/ui.rs` skips `.fixed.wfl`
//! files.
//!
//! And a help that proposes an edit cannot go untested: every fixture whose snapshot has such a
//! help has a `.fixed.wfl` twin, unless the help is on the commented list of helps that are not
//! edits of the file.

mod common;

use common::{expected_codes, sorted_codes, wfl_files};
use std::path::{Path, PathBuf};

/// What a `.fixed.wfl` file is named after.
const FIXED: &str = ".fixed.wfl";

/// Words that make a help an edit of the file: a did-you-mean, or a help that tells the reader to
/// write, add, remove or change something in it. Found by reading every help of the snapshots.
const EDIT_WORDS: &[&str] = &[
    "did you mean",
    "write",
    "add",
    "remove",
    "rename",
    "keep",
    "put",
    "use",
    "declare",
    "move",
    "compare",
    "choose",
    "define",
    "spawn",
    "pick",
    "join",
    "combine",
    "split",
    "make",
    "guard",
    "fix",
    "test",
    "name",
    "end",
    "close",
    "acknowledge",
];

/// Helps that match an edit word but are not an edit of the fixture, each with why.
const NOT_EDITS: &[&str] = &[
    // An action outside the file: the editor's encoding (the fixture holds the invalid bytes).
    "save the file as UTF-8",
];

/// Stages whose fixtures' helps are reworded with the syntax hints of issue 15 item 1, which
/// write their `.fixed.wfl` twins with them: checked here once those land.
const STAGES_WITH_TWINS_PENDING: &[&str] = &[];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every ui fixture (`*.wfl`, the twins included), sorted.
fn ui_files() -> Vec<PathBuf> {
    wfl_files(&root().join("tests/ui"))
}

fn is_twin(path: &Path) -> bool {
    path.to_string_lossy().ends_with(FIXED)
}

/// `NAME.wfl` for `NAME.fixed.wfl`.
fn original_of(twin: &Path) -> PathBuf {
    let name = twin.to_string_lossy();
    PathBuf::from(format!("{}.wfl", &name[..name.len() - FIXED.len()]))
}

/// `NAME.fixed.wfl` for `NAME.wfl`.
fn twin_of(fixture: &Path) -> PathBuf {
    fixture.with_extension("fixed.wfl")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The codes `wfl check` reports for a file, sorted, and the rendered report.
fn codes_found(path: &Path) -> (Vec<String>, String) {
    let (source, checked) =
        wfl::check_bytes(&relative(path), read(path)).expect("fixture under 4 GiB");
    (
        sorted_codes(&checked.diagnostics),
        wfl::diagnostic::render::human_string(source, &checked.diagnostics),
    )
}

/// Whether `word` occurs in `text` as a whole word (or words).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether a help's text proposes an edit of the file it is about.
fn proposes_edit(help: &str) -> bool {
    let lower = help.to_lowercase();
    !NOT_EDITS.iter().any(|not| help.starts_with(not))
        && EDIT_WORDS.iter().any(|word| has_word(&lower, word))
}

/// The helps of a snapshot (`= help: …` lines), in order.
fn helps(snapshot: &str) -> Vec<&str> {
    snapshot
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("= help: "))
        .collect()
}

#[test]
fn every_fixed_twin_reports_none_of_its_fixture_codes() {
    let mut problems = Vec::new();
    let twins: Vec<PathBuf> = ui_files().into_iter().filter(|p| is_twin(p)).collect();
    assert!(!twins.is_empty(), "no `.fixed.wfl` file under tests/ui");
    for twin in twins {
        let original = original_of(&twin);
        let name = relative(&twin);
        if !original.is_file() {
            problems.push(format!("{name}: no {} beside it", relative(&original)));
            continue;
        }
        let fixed_codes = expected_codes(&String::from_utf8_lossy(&read(&original)), &original);
        let still = expected_codes(&String::from_utf8_lossy(&read(&twin)), &twin);
        let (found, rendered) = codes_found(&twin);
        if found != still {
            problems.push(format!(
                "{name}: reports {found:?}, its `// expect:` line says {still:?}\n{rendered}"
            ));
        }
        let runs = if still.is_empty() {
            wfl::test_text(&String::from_utf8_lossy(&read(&twin))).results
        } else {
            Vec::new()
        };
        for result in &runs {
            if !matches!(result.verdict, wfl::sim::scenario::Verdict::Passed) {
                problems.push(format!(
                    "{name}: scenario {} does not pass: {:?}",
                    result.scenario + 1,
                    result.verdict
                ));
            }
        }
        let left: Vec<&String> = found.iter().filter(|c| fixed_codes.contains(c)).collect();
        if !left.is_empty() {
            problems.push(format!(
                "{name}: the help of {} applied, it still reports {left:?}: the advice does not \
                 work\n{rendered}",
                relative(&original)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn every_help_that_proposes_an_edit_is_applied_in_a_fixed_twin() {
    let mut missing = Vec::new();
    for fixture in ui_files().into_iter().filter(|p| !is_twin(p)) {
        let stage = fixture
            .parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if STAGES_WITH_TWINS_PENDING.contains(&stage.as_str()) {
            continue;
        }
        let Ok(snapshot) = std::fs::read_to_string(fixture.with_extension("snap")) else {
            continue; // tests/ui.rs asks for the snapshot
        };
        let edits: Vec<&str> = helps(&snapshot)
            .into_iter()
            .filter(|h| proposes_edit(h))
            .collect();
        if !edits.is_empty() && !twin_of(&fixture).is_file() {
            missing.push(format!(
                "{}: its helps propose edits ({}); add {} with them applied",
                relative(&fixture),
                edits.join(" | "),
                relative(&twin_of(&fixture))
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "{} fixtures without their fix applied:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn the_edit_words_are_found_as_words() {
    assert!(proposes_edit("did you mean `load`?"));
    assert!(proposes_edit("remove it, or use it in a condition"));
    assert!(proposes_edit("add `initial -> Closed`"));
    assert!(!proposes_edit(
        "the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`"
    ));
    assert!(!proposes_edit("save the file as UTF-8"));
    // `address` holds `add`, `unused` holds `use`: neither is the word.
    assert!(!proposes_edit("the address is unused"));
    assert_eq!(
        helps("x\n  = help: one\n   = help: two\n= note: three"),
        ["one", "two"]
    );
    assert_eq!(
        original_of(Path::new("a/b.fixed.wfl")),
        Path::new("a/b.wfl")
    );
    assert_eq!(twin_of(Path::new("a/b.wfl")), Path::new("a/b.fixed.wfl"));
}

/// `text` with the structured fixes of `diagnostics` applied (see `wfl::diagnostic::Fix`), the
/// later ones first so that each span still points at its text; a fix that overlaps one already
/// applied is left out. Returns the text and the fixes applied, by code.
fn apply_fixes(text: &str, diagnostics: &[wfl::diagnostic::Diagnostic]) -> (String, Vec<String>) {
    let mut fixes: Vec<(&wfl::diagnostic::Fix, String)> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref().map(|f| (f, d.code.as_str().to_owned())))
        .collect();
    fixes.sort_by_key(|(f, _)| std::cmp::Reverse((f.span.start, f.span.end)));
    let mut out = text.to_owned();
    let mut applied = Vec::new();
    let mut floor = usize::MAX;
    for (fix, code) in fixes {
        let range = fix.span.range();
        if range.end > floor {
            continue;
        }
        out.replace_range(range.clone(), &fix.replacement);
        floor = range.start;
        applied.push(code);
    }
    (out, applied)
}

/// The structured fixes (what `wfl lsp` offers as quick fixes and `--format json` prints) do
/// what their help says: applied to a fixture, each clears its finding — the fixture reports at
/// least one finding fewer of that code per fix.
#[test]
fn every_structured_fix_clears_its_finding() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for fixture in ui_files().into_iter().filter(|p| !is_twin(p)) {
        let text = String::from_utf8_lossy(&read(&fixture)).into_owned();
        let before = wfl::check_text(&text).diagnostics;
        let (fixed, applied) = apply_fixes(&text, &before);
        if applied.is_empty() {
            continue;
        }
        checked += applied.len();
        let after = wfl::check_text(&fixed).diagnostics;
        let count = |ds: &[wfl::diagnostic::Diagnostic], code: &str| {
            ds.iter().filter(|d| d.code.as_str() == code).count()
        };
        for code in &applied {
            let fixes = applied.iter().filter(|c| *c == code).count();
            if count(&after, code) + fixes > count(&before, code) {
                problems.push(format!(
                    "{}: {fixes} fix(es) of {code} applied, it still reports {} of {}:\n{fixed}",
                    relative(&fixture),
                    count(&after, code),
                    count(&before, code)
                ));
                break;
            }
        }
    }
    assert!(checked >= 20, "only {checked} structured fixes found");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// `text` with the quick fixes `wfl lsp` offers for its findings (`wfl check`'s, structural and
/// semantic) applied, as an editor applies them: the preferred code action of each finding, the
/// later ones first, one that overlaps an edit already made left for the next round; rounds until
/// no fix is left (at most 8). Returns the text and the codes fixed.
fn apply_quick_fixes(text: &str) -> (String, Vec<String>) {
    use wfl::lsp::{document::Document, edit};
    let mut text = text.to_owned();
    let mut fixed = Vec::new();
    for _ in 0..8 {
        let Some(mut doc) = Document::new(1, text.clone()) else {
            break;
        };
        doc.diagnostics = wfl::check_text(&text).diagnostics;
        let whole = wfl::source::Span::new(0, text.len());
        let mut edits: Vec<(edit::Edit, String)> = edit::actions(&doc, whole)
            .into_iter()
            .filter(|action| action.preferred)
            .flat_map(|action| {
                let code = doc.diagnostics[action.diagnostic].code.as_str().to_owned();
                action.edits.into_iter().map(move |e| (e, code.clone()))
            })
            .collect();
        if edits.is_empty() {
            break;
        }
        edits.sort_by_key(|((span, _), _)| std::cmp::Reverse((span.start, span.end)));
        let mut floor = usize::MAX;
        for ((span, replacement), code) in edits {
            if span.end as usize > floor {
                continue;
            }
            text.replace_range(span.range(), &replacement);
            floor = span.start as usize;
            fixed.push(code);
        }
    }
    (text, fixed)
}

/// The quick fixes do what the `.fixed.wfl` twins show by hand: for every fixture with a twin
/// whose findings all carry a fix, applying them (as `wfl lsp`'s code actions, in an editor)
/// leaves a text where `wfl check` reports none of the fixture's codes, and no error the twin
/// does not report either.
#[test]
fn quick_fixes_clear_every_finding_of_the_fixtures_they_cover() {
    let mut problems = Vec::new();
    let mut covered = Vec::new();
    for twin in ui_files().into_iter().filter(|p| is_twin(p)) {
        let fixture = original_of(&twin);
        let text = String::from_utf8_lossy(&read(&fixture)).into_owned();
        let before = wfl::check_text(&text).diagnostics;
        if before.is_empty() || before.iter().any(|d| d.fix.is_none()) {
            continue;
        }
        covered.push(relative(&fixture));
        let (fixed, _) = apply_quick_fixes(&text);
        let codes = sorted_codes(&before);
        let left: Vec<String> = sorted_codes(&wfl::check_text(&fixed).diagnostics)
            .into_iter()
            .filter(|c| codes.contains(c))
            .collect();
        if !left.is_empty() {
            problems.push(format!(
                "{}: the quick fixes applied, it still reports {left:?}:\n{fixed}",
                relative(&fixture)
            ));
        }
        // Nor a new error: at most the errors the twin, fixed by hand, still reports. (A later
        // stage's warnings may appear once the errors are gone; the twin may fix them by hand.)
        let twin_codes = sorted_codes(
            &wfl::check_bytes("", read(&twin))
                .map(|(_, c)| c.diagnostics)
                .unwrap_or_default(),
        );
        let new: Vec<String> = sorted_codes(&wfl::check_text(&fixed).diagnostics)
            .into_iter()
            .filter(|c| c.starts_with('E') && !twin_codes.contains(c))
            .collect();
        if !new.is_empty() {
            problems.push(format!(
                "{}: the quick fixes applied, it reports {new:?}, which {} does not:\n{fixed}",
                relative(&fixture),
                relative(&twin)
            ));
        }
    }
    assert!(
        covered.len() >= 50,
        "only {} fixtures have a fix for every finding: {covered:?}",
        covered.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
