//! E0401 `transient_without_exit`: a transient state must be left at once by a transition without
//! an event; without one, an instance would rest in it.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (m, machine) in cx.program.machines.iter().enumerate() {
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
            for t in &machine.transitions {
                if let Some(i) = t.sources.iter().position(|&x| x == s)
                    && t.event.is_some()
                {
                    diagnostic = diagnostic
                        .with_label(t.source_spans[i], "this transition waits for an event");
                }
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
