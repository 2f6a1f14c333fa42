//! The worst inputs found for each pass of `wfl check`, generated at any size: shared by the
//! benchmark that measures them at 64 KB (`benches/hostile.rs`) and the test that checks each pass
//! stays linear or n·log n in them (`tests/scaling.rs`). Every case is named for what it stresses.

use std::fmt::Write;

/// A case: its name and its generator (the text of about `bytes` bytes).
pub type Case = (&'static str, fn(usize) -> String);

/// Every case, in the order the benchmark reports them.
pub const CASES: &[Case] = &[
    ("misspelt_uses", misspelt_uses),
    ("long_misspelt_names", long_misspelt_names),
    ("unclosed_paren", unclosed_paren),
    ("broken_and_chain", broken_and_chain),
    ("broken_nested_chain", broken_nested_chain),
    ("broken_statements", broken_statements),
    ("in_list", in_list),
    ("long_sum", long_sum),
    ("link_lists", link_lists),
    ("unknown_members", unknown_members),
    ("unreachable_states", unreachable_states),
    ("events_of_one_state", events_of_one_state),
    ("lone_names", lone_names),
    ("events_of_one_transition", events_of_one_transition),
];

/// `head`, then `unit(0)`, `unit(1)`, … while the text is under `bytes`, then `tail`.
fn fill(head: &str, unit: impl Fn(usize) -> String, tail: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 256);
    out.push_str(head);
    let mut i = 0;
    while out.len() + tail.len() < bytes {
        out.push_str(&unit(i));
        i += 1;
    }
    out.push_str(tail);
    out
}

/// Did-you-mean: a task per 16 bytes, and a link to a misspelt task on each line after them
/// (E0101 with a suggestion to look for, every time).
pub fn misspelt_uses(bytes: usize) -> String {
    let tasks = (bytes / 16).max(1);
    let mut head = String::from("workflow w {\n  task t0");
    for i in 1..tasks {
        let _ = write!(head, ", t{i}");
    }
    head.push('\n');
    fill(
        &head,
        |i| format!("  t{} -> x{}\n", i % tasks, i % tasks),
        "}\n",
        bytes,
    )
}

/// Did-you-mean: names of a few thousand characters, each used misspelt.
pub fn long_misspelt_names(bytes: usize) -> String {
    let len = (bytes / 8).clamp(8, 4000);
    let name = |i: usize| format!("n{i}_{}", "a".repeat(len));
    let names = (bytes / 3 / len).max(1);
    let mut head = String::from("workflow w {\n  task ");
    for i in 0..names {
        let _ = write!(head, "{}{}", if i > 0 { ", " } else { "" }, name(i));
    }
    head.push('\n');
    fill(
        &head,
        |i| format!("  {}b -> {}\n", name(i % names), name(0)),
        "}\n",
        bytes,
    )
}

/// Error recovery: one condition whose `(` is never closed, after two good statements.
pub fn unclosed_paren(bytes: usize) -> String {
    fill(
        "workflow w {\n  var r: int\n  task a, b\n  a -> b when (r > 0",
        |_| " and r > 0".to_owned(),
        "\n}\n",
        bytes,
    )
}

/// Error recovery: a long `and` chain with a dangling `and` at its end.
pub fn broken_and_chain(bytes: usize) -> String {
    fill(
        "workflow w {\n  var r: int\n  task a, b\n  a -> b when r > 0",
        |_| " and r > 0".to_owned(),
        " and\n}\n",
        bytes,
    )
}

/// Error recovery: a chain of `not`, parentheses, quantifiers and sums, broken at its end.
pub fn broken_nested_chain(bytes: usize) -> String {
    let parts = [
        " and not (r < 1 or r == 2)",
        " or any c where (((r > 0)))",
        " and count c in A > 1",
        " and (r + 1 - 2 > 3)",
    ];
    fill(
        "machine m {\n  children c: m\n  var r: int\n  state A\n  initial -> A\n  A -> A on go when r > 0",
        |i| parts[i % parts.len()].to_owned(),
        " and ((\n}\n",
        bytes,
    )
}

/// Error recovery: a broken statement on every line (the parser stops after 50 errors).
pub fn broken_statements(bytes: usize) -> String {
    fill(
        "workflow w {\n  task a, b\n",
        |i| format!("  a -> -> b{i}\n"),
        "}\n",
        bytes,
    )
}

/// The workflow analysis: `r in [0, 1, 2, …]` cuts `r` into twice as many classes as values.
pub fn in_list(bytes: usize) -> String {
    fill(
        "workflow w {\n  var r: int\n  task a, b\n  a -> b when r in [0",
        |i| format!(", {}", i + 1),
        "]\n}\n",
        bytes,
    )
}

/// The workflow analysis: one condition adding thousands of integer variables (two of `0..63`, the
/// rest of one value each), which it would work out for each of the 4 096 combinations of their
/// values, reading every term each time: its steps are charged before, and it stops at its bound.
pub fn long_sum(bytes: usize) -> String {
    let vars = bytes / 28;
    let mut out = String::from("workflow w {\n  var a: int 0..63\n  var b: int 0..63\n");
    for i in 0..vars {
        let _ = writeln!(out, "  var v{i}: int 0..0");
    }
    out.push_str("  task x, y\n  x -> y when a + b");
    for i in 0..vars {
        let _ = write!(out, " + v{i}");
    }
    out.push_str(" > 3\n}\n");
    out
}

/// Copies: one link statement whose lists stand for the square of their length in links (E0408).
pub fn link_lists(bytes: usize) -> String {
    let names = (bytes / 16).max(1);
    let list = |prefix: &str| {
        (0..names)
            .map(|i| format!("{prefix}{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (sources, targets) = (list("s"), list("t"));
    format!("workflow w {{\n  task {sources}\n  task {targets}\n  [{sources}] -> [{targets}]\n}}\n")
}

/// Messages: an enumeration of many members, compared with an unknown member on every line (each
/// E0101 says what the members are).
pub fn unknown_members(bytes: usize) -> String {
    let members = (bytes / 12).max(1);
    let mut head = String::from("workflow w {\n  task a, b\n  var m: {m0");
    for i in 1..members {
        let _ = write!(head, ", m{i}");
    }
    head.push_str("}\n");
    fill(
        &head,
        |i| format!("  a -> b when m == x{i}\n"),
        "}\n",
        bytes,
    )
}

/// The structural checks: a chain of states no initial rule reaches (W0200 for each, saying where
/// the transitions into it come from).
pub fn unreachable_states(bytes: usize) -> String {
    let states = (bytes / 24).max(2);
    let mut head = String::from("machine m {\n  initial -> Start\n  state Start, s1");
    for i in 2..states {
        let _ = write!(head, ", s{i}");
    }
    head.push_str("\n  final state s0\n  Start -> Start on tick\n");
    fill(
        &head,
        |i| {
            format!(
                "  s{} -> s{} on e\n",
                i % (states - 1) + 1,
                i % (states - 1)
            )
        },
        "}\n",
        bytes,
    )
}

/// The machine exploration: a state left by a transition per event, in each of the 16
/// configurations a variable makes (each event delivered was looked for among all of them: the
/// square of the file).
pub fn events_of_one_state(bytes: usize) -> String {
    fill(
        "machine m {\n  var v: int 0..15 = 0\n  initial -> A\n  state A\n",
        |i| format!("  A -> A on e{i}\n"),
        "}\n",
        bytes,
    )
}

/// W0205: events of one length, each named once by a transition (every one is compared with the
/// others of its length, within the check's budget).
pub fn lone_names(bytes: usize) -> String {
    let letters = |mut i: usize| {
        let mut name = String::with_capacity(6);
        for _ in 0..6 {
            name.push(char::from(b'a' + (i % 26) as u8));
            i /= 26;
        }
        name
    };
    fill(
        "machine m {\n  initial -> A\n  state A\n",
        |i| format!("  A -> A on {}\n", letters(i)),
        "}\n",
        bytes,
    )
}

/// One transition on an event per 8 bytes (`A -> A on e0 or e1 or …`): the lowering's look for an
/// event named twice, the interpreter's table of transitions by event, and the exploration, which
/// delivers each event in each of the 16 configurations a variable makes.
pub fn events_of_one_transition(bytes: usize) -> String {
    fill(
        "machine m {\n  var v: int 0..15 = 0\n  initial -> A\n  state A\n  A -> A on e0",
        |i| format!(" or e{}", i + 1),
        "\n}\n",
        bytes,
    )
}
