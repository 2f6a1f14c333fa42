//! W0410 `state_unreachable_in_runs`: transitions lead to a state of the explored machine (so
//! W0200 does not apply), but no run enters it; only a complete exploration can say so
//! (specs/diagnostics.md, "W0410 state_unreachable_in_runs").

use super::{Cx, Found, notes};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Machine, StateId, Target};
use crate::source::Span;

/// Adds a finding for each state of the root's machine that the transitions reach, guards
/// ignored, but that no run of a complete exploration entered.
pub(super) fn check(cx: &Cx<'_, '_, '_>, found: &mut Found) {
    if !cx.x.complete() {
        return;
    }
    let m = cx.x.root;
    let machine = cx.program.machine(m);
    let structural = structurally_reachable(machine);
    // The transitions into each state, for the labels: the first four.
    let mut into: Vec<Vec<Span>> = vec![Vec::new(); machine.states.len()];
    for t in &machine.transitions {
        if let Target::State(to) = t.target
            && let Some(list) = into.get_mut(to.index())
            && list.len() < 4
        {
            list.push(t.span);
        }
    }
    for s in machine.state_ids() {
        if cx.x.reached[m.index()][s.index()].is_some() || !structural[s.index()] {
            continue;
        }
        found.push(finding(cx, machine, s, &into[s.index()]));
    }
}

/// The finding of state `s` of `machine`, with a label on each transition of `into` it.
fn finding(cx: &Cx<'_, '_, '_>, machine: &Machine, s: StateId, into: &[Span]) -> Diagnostic {
    let state = machine.state(s);
    let mut d = Diagnostic::new(
        Code::W0410,
        format!(
            "no run of `{}` enters state `{}`",
            machine.name.as_str(),
            state.name.as_str()
        ),
        state.name.span,
        "never entered",
    );
    for &span in into {
        d = d.with_label(span, "never taken");
    }
    let guards = (machine.transitions.iter())
        .filter(|t| t.target == Target::State(s))
        .filter_map(|t| t.guard.as_ref())
        .chain(
            (machine.initials.iter())
                .filter(|i| i.target == s)
                .filter_map(|i| i.guard.as_ref()),
        );
    d = d.with_note("transitions lead here, but in every run their guards are false or their source states are never reached");
    if let Some(note) = notes::frozen(machine, guards) {
        d = d.with_note(note);
    }
    d.with_note(cx.scope.clone()).with_help(
        "check the guards on the way here and the values the variables can have; or remove the state",
    )
}

/// States reachable from the initial rules over transitions, guards ignored.
fn structurally_reachable(machine: &Machine) -> Vec<bool> {
    let mut next: Vec<Vec<StateId>> = vec![Vec::new(); machine.states.len()];
    for t in &machine.transitions {
        if let Target::State(to) = t.target {
            for s in &t.sources {
                if let Some(list) = next.get_mut(s.index()) {
                    list.push(to);
                }
            }
        }
    }
    let mut seen = vec![false; machine.states.len()];
    let mut stack: Vec<StateId> = machine.initials.iter().map(|i| i.target).collect();
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut seen[s.index()], true) {
            continue;
        }
        stack.extend(&next[s.index()]);
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_notes_hold, only, rule_findings};
    use super::*;

    const CREW: &str = "machine worker {\n  initial -> Idle\n  state Idle, Busy\n  final state Done\n\
                        Idle -> Busy on go\n  Busy -> Done on finish\n}\n\
                        machine crew {\n  children workers: worker\n  initial -> Waiting\n  state Waiting, Working, Overtime\n\
                        final state Finished\n  Waiting -> Working when any workers in [Busy]\n\
                        Working -> Finished when all workers in [Done]\n\
                        Working -> Overtime when no workers in [Idle, Busy, Done]\n  Overtime -> Finished on close\n}\n";

    fn w0410(text: &str) -> Vec<Diagnostic> {
        rule_findings(text, "crew", Code::W0410, check)
    }

    #[test]
    fn a_state_whose_guards_never_hold_is_reported_with_the_transitions_into_it() {
        let found = w0410(CREW);
        let d = only(&found);
        assert_eq!(d.message, "no run of `crew` enters state `Overtime`");
        assert_eq!(&CREW[d.primary.span.range()], "Overtime");
        let labels: Vec<&str> = d.secondary.iter().map(|l| &CREW[l.span.range()]).collect();
        assert_eq!(
            labels,
            ["Working -> Overtime when no workers in [Idle, Busy, Done]"]
        );
        assert_notes_hold(
            d,
            "wfl explored all 6 configurations of `crew`, with 2 children",
        );
    }

    #[test]
    fn a_guard_that_some_run_satisfies_leaves_nothing_to_report() {
        let fixed = CREW.replace("no workers in [Idle, Busy, Done]", "any workers in [Idle]");
        assert!(w0410(&fixed).is_empty());
    }

    #[test]
    fn a_guard_on_a_frozen_variable_is_named_in_a_note() {
        let text = "machine m {\n  var fast: bool = false\n  initial -> Slow\n  state Slow, Quick\n\
                    Slow -> Quick on go when fast\n  Quick -> Slow on stop\n}\n";
        let found = rule_findings(text, "m", Code::W0410, check);
        let d = only(&found);
        assert_notes_hold(d, "`fast` is read on the way, but no action sets it");
    }

    #[test]
    fn an_incomplete_exploration_claims_no_state_is_never_entered() {
        let text = "machine meter {\n  input var count: int 0..1000 = 0\n  initial -> Counting\n  state Counting, Late\n\
                    Counting -> Counting on tick when count < 100 { set count = count + 1 }\n\
                    Counting -> Late on check when count > 2000\n  Late -> Counting on reset\n}\n";
        assert!(rule_findings(text, "meter", Code::W0410, check).is_empty());
    }
}
