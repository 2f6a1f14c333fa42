//! E0401 `transient_without_exit`: a transient state must be left at once by a transition without
//! an event; without one, an instance would rest in it.

use super::Context;
use crate::diagnostic::{Code, Diagnostic, MAX_LISTED};
use crate::model::*;
use crate::source::Span;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (m, machine) in cx.program.machines.iter().enumerate() {
        // Per state, where the transitions that leave it on an event name it: gathered once.
        let mut waits: Vec<Vec<Span>> = vec![Vec::new(); machine.states.len()];
        for t in machine.transitions.iter().filter(|t| !t.is_eventless()) {
            for (s, &span) in t.sources.iter().zip(&t.source_spans) {
                if let Some(list) = waits.get_mut(s.index()) {
                    list.push(span);
                }
            }
        }
        for s in machine.state_ids() {
            let state = machine.state(s);
            // An unused transient state is W0102 (unused_state) alone.
            if state.kind != StateKind::Transient
                || cx.graphs[m].eventless_exit[s.index()]
                || !cx.usage.states[m][s.index()]
            {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                Code::E0401,
                format!(
                    "transient state `{}` has no event-less way out",
                    state.name.as_str()
                ),
                state.name.span,
                "no transition without an event leaves this state",
            );
            let waiting = &waits[s.index()];
            for &span in waiting.iter().take(MAX_LISTED) {
                diagnostic = diagnostic.with_label(span, "this transition waits for an event");
            }
            if waiting.len() > MAX_LISTED {
                diagnostic = diagnostic.with_note(format!(
                    "{} transitions from it wait for an event in all",
                    waiting.len()
                ));
            }
            out.push(
                diagnostic
                    .with_note("an instance must leave a transient state as soon as it enters it")
                    .with_help(format!(
                        "add a transition without `on`: `{} -> TARGET`",
                        state.name.as_str()
                    )),
            );
        }
    }
}
