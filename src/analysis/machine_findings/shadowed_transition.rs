//! W0413 `shadowed_transition`: in some run, one event enables two transitions of an instance at
//! once, and the earlier one in the file takes it (specs/diagnostics.md, "W0413
//! shadowed_transition"). A transition that no run takes at all is W0411's instead
//! ([`Found::without_shadowing_never_taken`]).

use super::super::machine::{Action, Move, Seen, Shadow};
use super::witness::{Want, move_witness, with_witness};
use super::{Cx, Found};
use crate::diagnostic::{Code, Diagnostic};

/// Adds a finding for each shadowing the exploration saw, once per shadowed transition.
pub(super) fn check(cx: &Cx<'_, '_, '_>, found: &mut Found) {
    for shadow in &cx.x.shadows {
        let owner = cx.program.machine(shadow.machine);
        let later = &owner.transitions[shadow.later.index()];
        if found.first_time(Code::W0413, later.span) {
            found.list.push(finding(cx, shadow));
        }
    }
}

/// The finding of `shadow`, with the run that shows it.
fn finding(cx: &Cx<'_, '_, '_>, shadow: &Shadow) -> Diagnostic {
    let owner = cx.program.machine(shadow.machine);
    let first = &owner.transitions[shadow.first.index()];
    let later = &owner.transitions[shadow.later.index()];
    // The event of the move that showed it: a transition may take several.
    let event = match shadow.seen {
        Seen::Move {
            mv: Move {
                action: Action::Send(e, _),
                ..
            },
            ..
        } => cx.program.event(e),
        _ => "?",
    };
    let d = Diagnostic::new(
        Code::W0413,
        format!(
            "`{event}` enables two transitions of `{}` at once; the later one is shadowed",
            owner.name.as_str()
        ),
        later.span,
        "enabled too, but not taken",
    )
    .with_label(
        first.span,
        "this one comes first in the file, so it takes the event",
    );
    let title = format!("`{event}` enables two transitions");
    let want = Want::Shadow(shadow.machine, shadow.first, shadow.later);
    let text = move_witness(cx.program, cx.x, shadow.seen, &title, &want);
    // The order alone leaves both enabled: the later one is a fallback only without a guard.
    with_witness(d, cx.x, text).with_help(
        "make the guards exclusive, or put the more specific transition first and leave the \
         other without a guard, as the fallback",
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_notes_hold, only, rule_findings};
    use super::*;

    const TICKET: &str = "machine ticket {\n  initial input var priority: {low, high} = low\n\
                          initial input var vip: bool = false\n  initial -> New\n  state New, Urgent, Queued\n\
                          New -> Queued on triage when priority == low\n  New -> Urgent on triage when vip\n\
                          Urgent -> Queued on handled\n  Queued -> New on reopen\n}\n";

    fn w0413(text: &str) -> Vec<Diagnostic> {
        rule_findings(text, "ticket", Code::W0413, check)
    }

    #[test]
    fn an_event_that_enables_two_transitions_is_reported_on_the_later_one() {
        let found = w0413(TICKET);
        let d = only(&found);
        assert_eq!(
            d.message,
            "`triage` enables two transitions of `ticket` at once; the later one is shadowed"
        );
        assert_eq!(
            &TICKET[d.primary.span.range()],
            "New -> Urgent on triage when vip"
        );
        assert_eq!(
            &TICKET[d.secondary[0].span.range()],
            "New -> Queued on triage when priority == low"
        );
        assert_notes_hold(
            d,
            "{\n  set vip = true\n  send triage\n  expect state == Queued\n}",
        );
    }

    #[test]
    fn exclusive_guards_shadow_nothing() {
        let fixed = TICKET.replace("when vip", "when vip and priority == high");
        assert!(w0413(&fixed).is_empty());
    }
}
