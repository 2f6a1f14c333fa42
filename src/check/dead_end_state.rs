//! W0201 `dead_end_state`: a state that is not final has no transition out, so an instance that
//! enters it stays there forever.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (m, machine) in cx.program.machines.iter().enumerate() {
        let graph = &cx.graphs[m];
        for s in machine.state_ids() {
            let state = machine.state(s);
            // Final states are meant to be ends; transient ones are E0401; unused ones W0102;
            // unreachable ones W0200 (no instance can get stuck where none can get).
            let unreachable = !machine.initials.is_empty() && !graph.reachable[s.index()];
            if state.kind != StateKind::Normal
                || graph.outgoing[s.index()]
                || !cx.usage.states[m][s.index()]
                || unreachable
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::W0201,
                    format!("state `{}` is a dead end", state.name.as_str()),
                    state.name.span,
                    "no transition leaves this state",
                )
                .with_note("an instance that enters it stays there for good")
                .with_help(format!(
                    "add a transition out of `{}`, or declare it `final state`",
                    state.name.as_str()
                )),
            );
        }
    }
}
