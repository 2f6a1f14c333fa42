//! W0205 `lone_name`: a transition's `on EVENT` or `by ACTOR` names something that nothing else in
//! the file names, and that is one letter away from a name used more often — most likely a typo.
//!
//! In a machine that does not declare its events (or actors), `on cancle` makes an event of its own
//! that no one sends: the transition can be taken only by an event nobody thinks of sending. (Where
//! the machine declares them, an undeclared name is E0106 or E0107 and a declared one is named
//! twice, so this rule never fires there.) A name is
//! reported only when it is named once in the whole file (a name written the same way twice is
//! meant), by a transition (sends and scenarios have W0203 and W0204), and one edit away from a
//! name of the same kind that is named more often, or else from one that a transition above it
//! names once too (one finding for the pair): one letter added, removed or changed, or two
//! neighbours swapped. Names that differ by more (`enable` and `disable`, `lock` and `unlock`,
//! `start` and `restart`) are different names, not typos, and so are numbered names that differ by
//! one digit (`step1` and `step2`).

use super::Context;
use crate::diagnostic::suggest::{BUDGET_PER_BYTE, MIN_BUDGET};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{NameUses, Program};
use crate::source::Span;

/// Names shorter than this differ by one letter too often on purpose (`go`, `up`, `on`).
const SHORTEST: usize = 4;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let program = cx.program;
    let mut budget = Budget::for_file(super::size_of(program));
    let events = (&program.events, &program.event_uses);
    let actors = (&program.actors, &program.actor_uses);
    report(program, events, "event", &mut budget, out);
    report(program, actors, "actor", &mut budget, out);
}

/// What the comparisons of one file may cost, as a [`crate::diagnostic::suggest::Suggester`]'s
/// budget: one step per candidate looked at, plus its length. Once it is spent, no more W0205 is
/// reported: a file of thousands of names of one length would otherwise compare every pair.
struct Budget(u64);

impl Budget {
    fn for_file(bytes: usize) -> Budget {
        let per_byte = u64::try_from(bytes).map_or(u64::MAX, |b| b.saturating_mul(BUDGET_PER_BYTE));
        Budget(MIN_BUDGET.max(per_byte))
    }

    /// Takes `steps`; false when they are not left.
    fn spend(&mut self, steps: usize) -> bool {
        let steps = u64::try_from(steps).unwrap_or(u64::MAX).saturating_add(1);
        match self.0.checked_sub(steps) {
            Some(left) => {
                self.0 = left;
                true
            }
            None => {
                self.0 = 0;
                false
            }
        }
    }
}

/// A name another may be a typo of: its length, text, uses, and where a transition names it.
type Candidate<'a> = (usize, &'a str, u32, Option<Span>);

fn report(
    program: &Program,
    (names, uses): (&Vec<String>, &Vec<NameUses>),
    kind: &str,
    budget: &mut Budget,
    out: &mut Vec<Diagnostic>,
) {
    // Candidates: every name, by length, so that each lone name compares itself with the names of
    // its length and its two neighbours' only.
    let mut by_length: Vec<Candidate<'_>> = names
        .iter()
        .zip(uses)
        .map(|(n, u)| (n.chars().count(), n.as_str(), u.count, span_of(u)))
        .collect();
    by_length.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (name, used) in names.iter().zip(uses) {
        let (1, Some((span, machine))) = (used.count, used.in_transition) else {
            continue;
        };
        let length = name.chars().count();
        if length < SHORTEST {
            continue;
        }
        let from = by_length.partition_point(|c| c.0 + 1 < length);
        let window = by_length[from..].iter().take_while(|c| c.0 <= length + 1);
        // A name named more often is the one meant; else, of two names each named once by a
        // transition, the later one is reported (one finding for the pair).
        let mut found: Option<Candidate<'_>> = None;
        for candidate in window {
            let &(other_length, other, count, other_span) = candidate;
            let compared = count > 1
                || (found.is_none() && count == 1 && other_span.is_some_and(|s| s < span));
            let steps = if compared { other_length + length } else { 0 };
            if !budget.spend(steps) {
                return;
            }
            if compared && one_edit_apart(name, other) {
                found = Some(*candidate);
                if count > 1 {
                    break;
                }
            }
        }
        if let Some(other) = found {
            let machine = program.machine(machine).name.as_str();
            out.push(finding(kind, name, span, other, machine));
        }
    }
}

/// Where a transition names a name used once.
fn span_of(uses: &NameUses) -> Option<Span> {
    uses.in_transition.map(|(span, _)| span)
}

/// W0205 for `name`, named once, in a transition of `machine`: a machine that does not declare its
/// events (or actors) — where it does, an undeclared name is E0106 (E0107) and a declared one is
/// named twice.
fn finding(kind: &str, name: &str, span: Span, other: Candidate<'_>, machine: &str) -> Diagnostic {
    let (_, other, count, other_span) = other;
    let diagnostic = if count > 1 {
        Diagnostic::new(
            Code::W0205,
            format!("{kind} `{name}` is named only here"),
            span,
            format!("one letter from `{other}`, which the file names {count} times"),
        )
    } else {
        let mut diagnostic = Diagnostic::new(
            Code::W0205,
            format!("{kind} `{name}` is named only here"),
            span,
            format!("one letter from `{other}`, which the file names once too"),
        );
        if let Some(at) = other_span {
            diagnostic = diagnostic.with_label(at, format!("`{other}` is named here"));
        }
        diagnostic.with_note("one of the two is most likely a misspelling of the other")
    };
    diagnostic
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
        // One digit for another: numbered names (`step1`, `step2`), not a typo.
        (1, 1) => !(a[prefix].is_ascii_digit() && b[prefix].is_ascii_digit()),
        // Changed, added or removed.
        (0, 1) | (1, 0) => true,
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
            ("step1", "step2"),
            ("phase10", "phase11"),
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
