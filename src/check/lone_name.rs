//! W0205 `lone_name`: a transition's `on EVENT` or `by ACTOR` names something that nothing else in
//! the file names, and that is one letter away from a name used more often — most likely a typo.
//!
//! In a machine that does not declare its events (or actors), `on cancle` makes an event of its own
//! that no one sends: the transition can be taken only by an event nobody thinks of sending. (Where
//! the machine declares them, an undeclared name is E0106 or E0107 and a declared one is named
//! twice, so this rule never fires there.) A name is
//! reported only when it is named once in the whole file (a name written the same way twice is
//! meant), by a transition (sends and scenarios have W0203 and W0204), and one edit away from a
//! name of the same kind that is named more often: one letter added, removed or changed, or two
//! neighbours swapped. Names that differ by more (`enable` and `disable`, `lock` and `unlock`,
//! `start` and `restart`) are different names, not typos.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{NameUses, Program};
use crate::source::Span;

/// Names shorter than this differ by one letter too often on purpose (`go`, `up`, `on`).
const SHORTEST: usize = 4;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let program = cx.program;
    report(program, &program.events, &program.event_uses, "event", out);
    report(program, &program.actors, &program.actor_uses, "actor", out);
}

fn report(
    program: &Program,
    names: &[String],
    uses: &[NameUses],
    kind: &str,
    out: &mut Vec<Diagnostic>,
) {
    // Candidates: the names used more than once, by length, so that each lone name compares
    // itself with the names of its length and its two neighbours' only.
    let mut by_length: Vec<(usize, &str, u32)> = names
        .iter()
        .zip(uses)
        .filter(|(_, u)| u.count > 1)
        .map(|(n, u)| (n.chars().count(), n.as_str(), u.count))
        .collect();
    by_length.sort_unstable();
    for (name, used) in names.iter().zip(uses) {
        let (1, Some((span, machine))) = (used.count, used.in_transition) else {
            continue;
        };
        let length = name.chars().count();
        if length < SHORTEST {
            continue;
        }
        let from = by_length.partition_point(|c| c.0 + 1 < length);
        let close = by_length[from..]
            .iter()
            .take_while(|c| c.0 <= length + 1)
            .find(|c| one_edit_apart(name, c.1));
        if let Some(&(_, other, count)) = close {
            let machine = program.machine(machine).name.as_str();
            out.push(finding(kind, name, span, other, count, machine));
        }
    }
}

/// W0205 for `name`, named once, in a transition of `machine`: a machine that does not declare its
/// events (or actors) — where it does, an undeclared name is E0106 (E0107) and a declared one is
/// named twice.
fn finding(
    kind: &str,
    name: &str,
    span: Span,
    other: &str,
    count: u32,
    machine: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::W0205,
        format!("{kind} `{name}` is named only here"),
        span,
        format!("one letter from `{other}`, which the file names {count} times"),
    )
    .with_note(format!(
        "a name written once makes an {kind} of its own: no other line of the file refers to `{name}`"
    ))
    .with_note(format!(
        "declare the {kind}s of `{machine}` (`{kind} {other}, …`) to make a misspelt one an error"
    ))
    .with_suggestion(Some(other))
}

/// Whether `a` becomes `b` by one letter added, removed or changed, or two neighbours swapped.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ra, rb) = (a.len() - prefix - suffix, b.len() - prefix - suffix);
    match (ra, rb) {
        // Changed, added or removed.
        (1, 1) | (0, 1) | (1, 0) => true,
        // Two neighbours swapped.
        (2, 2) => a[prefix] == b[prefix + 1] && a[prefix + 1] == b[prefix],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::one_edit_apart;

    #[test]
    fn typos_are_one_edit_apart_and_other_names_are_not() {
        for (a, b) in [
            ("cancle", "cancel"),
            ("custmer", "customer"),
            ("payed", "paid"),
            ("aprove", "approve"),
            ("closee", "close"),
            ("submit", "sbumit"),
        ] {
            assert_eq!(one_edit_apart(a, b), a != "payed", "{a} {b}");
        }
        for (a, b) in [
            ("enable", "disable"),
            ("lock", "unlock"),
            ("start", "restart"),
            ("cancel", "cancel"),
            ("abcd", "dcba"),
        ] {
            assert!(!one_edit_apart(a, b), "{a} {b}");
        }
    }
}
