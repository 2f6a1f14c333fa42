//! E0402 `transition_from_final`: a transition names a final state as its source.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for machine in &cx.program.machines {
        for t in &machine.transitions {
            if t.any_source {
                continue; // `*` stands for the non-final states only.
            }
            for (s, &span) in t.sources.iter().zip(&t.source_spans) {
                let state = machine.state(*s);
                if state.kind != StateKind::Final {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        Code::E0402,
                        format!("a transition leaves final state `{}`", state.name.as_str()),
                        span,
                        "a final state cannot be left",
                    )
                    .with_label(state.name.span, "declared final here")
                    .with_note("a final state ends the instance's life: nothing leaves it")
                    .with_help(format!(
                        "remove `{}` from the sources, or declare it a plain `state`",
                        state.name.as_str()
                    )),
                );
            }
        }
    }
}
