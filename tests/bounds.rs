//! What a file can make `wfl check` build, say or recurse through is bounded by the file (issue
//! 20): copies (E0408), the names a message lists, the depth of a chain of views. Inputs are
//! generated here.

// Only some of the cases are used here.
#[allow(dead_code)]
#[path = "../benches/hostile_inputs.rs"]
mod hostile_inputs;

use wfl::diagnostic::{Code, Diagnostic};

/// Everything a finding says, in words.
fn words(d: &Diagnostic) -> usize {
    d.message.len()
        + d.primary.message.len()
        + d.secondary.iter().map(|l| l.message.len()).sum::<usize>()
        + d.notes.iter().map(String::len).sum::<usize>()
        + d.help.as_ref().map_or(0, String::len)
}

#[test]
fn lists_that_stand_for_millions_of_links_are_refused() {
    // 12 500 sources and as many targets: 156 million links.
    let text = hostile_inputs::link_lists(200_000);
    let checked = wfl::check_text(&text);
    let codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::E0408]);
    let program = checked.program.expect("the file parses");
    assert!(program.workflows[0].links.is_empty());
}

#[test]
fn a_transition_on_many_events_from_every_state_is_refused() {
    // `* -> S0 on e0 or … or e2999` from 3 000 states: 9 million listings of one transition, each
    // state under each event (specs/language.md, section 1.11, "Copies").
    let n = 3_000;
    let states: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
    let events: Vec<String> = (0..n).map(|i| format!("e{i}")).collect();
    let text = format!(
        "machine m {{\n  state {}\n  initial -> S0\n  * -> S0 on {}\n}}\n",
        states.join(", "),
        events.join(" or ")
    );
    let checked = wfl::check_text(&text);
    let codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::E0408]);
    let program = checked.program.expect("the file parses");
    assert!(program.machines[0].transitions.is_empty());
}

#[test]
fn copies_are_counted_across_statements() {
    // Each statement makes 400 links: fine alone, but not 3 000 of them.
    let list = |prefix: &str| {
        (0..20)
            .map(|i| format!("{prefix}{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (s, t) = (list("s"), list("t"));
    let mut text = format!("workflow w {{\n  var r: int\n  task {s}\n  task {t}\n");
    for i in 0..3_000 {
        text.push_str(&format!("  [{s}] -> [{t}] when r > {i}\n"));
    }
    text.push_str("}\n");
    let checked = wfl::check_text(&text);
    let e0408: Vec<&Diagnostic> = (checked.diagnostics.iter())
        .filter(|d| d.code == Code::E0408)
        .collect();
    assert_eq!(e0408.len(), 1, "one finding for the file");
    // Each statement copies 399 links with a condition of 3 (`r`, `>`, the number): 1 596.
    let allowed = wfl::resolve::copies_allowed(text.trim_end().len());
    let first_refused = allowed / 1_596 + 1;
    assert!(first_refused < 3_000);
    let line = text[..e0408[0].primary.span.start as usize].lines().count();
    assert_eq!(line, 4 + first_refused);
}

#[test]
fn messages_list_a_few_names_however_many_there_are() {
    let enumeration = hostile_inputs::unknown_members(64 * 1024);
    // A machine that sends to its parent, child of a thousand machines (W0203 names the parents);
    // a link cycle keeps the analysis from running, not the structural checks.
    let mut parents = String::from("workflow w {\n  task a\n  a -> a\n}\n");
    parents.push_str(
        "machine c {\n  state A\n  initial -> A\n  A -> A on go { send x to parent }\n}\n",
    );
    for i in 0..1_000 {
        parents.push_str(&format!(
            "machine p{i} {{\n  children k: c\n  state A\n  initial -> A\n  A -> A on y\n}}\n"
        ));
    }
    for (name, text, code) in [
        ("enumeration", enumeration, Code::E0101),
        ("parents", parents, Code::W0203),
    ] {
        let checked = wfl::check_text(&text);
        let found: Vec<&Diagnostic> = (checked.diagnostics.iter())
            .filter(|d| d.code == code)
            .collect();
        assert!(!found.is_empty(), "{name}: no {code:?}");
        for d in found {
            assert!(
                words(d) < 600,
                "{name}: a finding of {} characters: {}",
                words(d),
                d.message
            );
        }
    }
}

#[test]
fn a_long_chain_of_views_resolves_on_a_small_stack() {
    let mut text =
        String::from("machine m {\n  var x: bool\n  state A\n  initial -> A when v99999\n");
    text.push_str("  view v0 = x\n");
    for i in 1..100_000 {
        text.push_str(&format!("  view v{i} = v{}\n", i - 1));
    }
    text.push_str("}\n");
    let resolved = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let (file, diagnostics) = wfl::syntax::parse(&text);
            assert!(diagnostics.is_empty(), "{diagnostics:?}");
            wfl::resolve::resolve(&file).1
        })
        .expect("thread starts")
        .join()
        .expect("resolving does not overflow the stack");
    assert!(resolved.is_empty(), "{resolved:?}");
}

#[test]
fn a_finding_labels_a_few_places_however_many_there_are() {
    // 300 transient states, each left only on events, by 240 transitions from `*` as well.
    let mut text = String::from("machine m {\n  initial -> s0\n  state s0\n  transient state t0");
    for i in 1..300 {
        text.push_str(&format!(", t{i}"));
    }
    text.push('\n');
    for i in 0..300 {
        text.push_str(&format!("  s0 -> t{i} on go{i}\n"));
    }
    for i in 0..240 {
        text.push_str(&format!("  * -> s0 on e{i}\n"));
    }
    text.push_str("}\n");
    let checked = wfl::check_text(&text);
    let e0401: Vec<&Diagnostic> = (checked.diagnostics.iter())
        .filter(|d| d.code == Code::E0401)
        .collect();
    assert_eq!(e0401.len(), 300);
    for d in e0401 {
        assert!(d.secondary.len() <= 8, "{} labels", d.secondary.len());
        assert!(
            d.notes.iter().any(|n| n.contains("240 transitions")),
            "{:?}",
            d.notes
        );
    }
}

#[test]
fn a_statement_that_repeats_many_links_is_one_finding() {
    let list = |prefix: &str| {
        (0..16)
            .map(|i| format!("{prefix}{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (s, t) = (list("s"), list("t"));
    let statement = format!("  [{s}] -> [{t}]\n");
    let text = format!("workflow w {{\n  task {s}\n  task {t}\n{statement}{statement}}}\n");
    let checked = wfl::check_text(&text);
    let e0405: Vec<&Diagnostic> = (checked.diagnostics.iter())
        .filter(|d| d.code == Code::E0405)
        .collect();
    assert_eq!(e0405.len(), 1);
    assert!(
        e0405[0].message.contains("(256 in all)"),
        "{}",
        e0405[0].message
    );
}
