//! The analysis never skips a machine or a workflow without saying so: what it explores, it
//! reports on; what it gives up on gets a note (N0408, N0417) or an internal error (E0007).

/// The codes `wfl check` reports on `text`, in order.
fn codes(text: &str) -> Vec<String> {
    wfl::check_text(text)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_owned())
        .collect()
}

/// A machine whose one guard reads the last of a chain of `n` views (`view v0 = …`, `view vN =
/// vN-1`), the first of which never holds.
fn view_chain(n: usize) -> String {
    let mut text = String::from("machine m {\n  var a: bool\n  view v0 = a and not a\n");
    for v in 1..=n {
        text.push_str(&format!("  view v{v} = v{}\n", v - 1));
    }
    text.push_str(&format!(
        "  initial -> A\n  state A\n  final state B\n  A -> B on go when v{n}\n}}\n"
    ));
    text
}

/// A chain of 1 001 views (once E0007 under `wfl test` and "no problems found", unexplored, under
/// `wfl check`) is explored like a short one: the transition its guard keeps shut is found never
/// taken, and the state behind it never entered, with no note that anything was left out.
#[test]
fn a_long_chain_of_views_is_explored() {
    for n in [1, 1_001] {
        let found = codes(&view_chain(n));
        assert_eq!(found, ["W0412", "W0410", "W0411"], "a chain of {n} views");
    }
}

/// A workflow of `n` tasks whose analysis grows fast (`at_least_one`, error links and conditions
/// over many variables, under `continue_on_failure`).
fn hard_workflow(name: &str, n: usize) -> String {
    let mut text = format!("workflow {name} {{\n  continue_on_failure = true\n");
    for v in 0..12 {
        text.push_str(&format!("  var e{v}: {{a, b, c, d}}\n"));
    }
    for t in 0..n {
        text.push_str(&format!("  task t{t} {{ accept = at_least_one }}\n"));
    }
    for t in 1..n {
        for (k, p) in [t - 1, t / 2, t.saturating_sub(5)].into_iter().enumerate() {
            if k > 0 && (p == t - 1 || (k == 2 && p == t / 2)) {
                continue;
            }
            let on_error = if (t + k) % 3 == 0 { " on error" } else { "" };
            let (x, y) = ((t * 7 + k) % 12, (t * 5 + k * 3 + 1) % 12);
            text.push_str(&format!(
                "  t{p} -> t{t}{on_error} when e{x} == a or e{y} != b\n"
            ));
        }
    }
    text.push_str("}\n");
    text
}

/// The codes `wfl check --max-memory MB` reports on `text`, and the first N0408's message.
fn codes_within(text: &str, mb: usize) -> (Vec<String>, String) {
    let limits = wfl::analysis::machine::Limits {
        max_bytes: mb << 20,
        ..wfl::analysis::machine_findings::DEFAULT_LIMITS
    };
    let checked = wfl::check_text_with(text, &Default::default(), limits);
    let codes = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_owned());
    let note = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "N0408");
    (
        codes.collect(),
        note.map(|d| d.message.clone()).unwrap_or_default(),
    )
}

/// A workflow whose analysis outgrows its budget says so at once: N0408, and nothing else about
/// its runs.
#[test]
fn a_workflow_past_the_analysis_budget_gets_a_note() {
    let (found, message) = codes_within(&hard_workflow("w", 120), 1);
    assert_eq!(found, ["N0408"]);
    // Stopped by the bound on steps that `--max-memory` sets (a step per 64 bytes), long before
    // its tables could reach the bound on memory (once, 415 MB and a second at `--max-memory 1`).
    assert!(message.contains("more steps than"), "{message}");
}

/// The workflows of a file share one bound on steps: many hard workflows, each within the bound
/// alone, cost the file one bound, not one each; those past their share get N0408.
#[test]
fn the_workflows_of_a_file_share_the_bound_on_steps() {
    let (alone, _) = codes_within(&hard_workflow("w", 8), 8);
    assert!(!alone.contains(&"N0408".to_owned()), "{alone:?}");
    let file: String = (0..8).map(|k| hard_workflow(&format!("w{k}"), 8)).collect();
    let (found, message) = codes_within(&file, 8);
    let notes = found.iter().filter(|c| *c == "N0408").count();
    assert!((1..8).contains(&notes), "{found:?}");
    assert!(message.contains("its share"), "{message}");
}

/// The exploration counts the work of the guards it evaluates, not only the steps they decide: an
/// event-less transition from every state whose guard is as long as the file is evaluated after
/// every move (a 63 KB file of this shape took 35 s in `wfl check`, counted as a step a move).
#[test]
fn the_work_of_long_guards_counts_against_the_bound() {
    let mut text = String::from(
        "machine m {\n  input var a: int 0..15 = 0\n  initial -> A\n  state A, B, C, D\n  A -> B on n\n  B -> C on n\n  C -> D on n\n  D -> A on n\n  * -> A when ",
    );
    let terms: Vec<String> = (0..4_000)
        .map(|i| format!("a == {}", 16 + i % 40))
        .collect();
    text.push_str(&terms.join(" or "));
    text.push_str("\n}\n");
    let limits = wfl::analysis::machine::Limits {
        max_states: 500,
        ..wfl::analysis::machine_findings::DEFAULT_LIMITS
    };
    let checked = wfl::check_text_with(&text, &Default::default(), limits);
    let note = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "N0417")
        .map(|d| d.message.clone());
    let note = note.expect("the exploration stops at its bound on work");
    assert!(note.contains("steps of work"), "{note}");
}
