//! E0403 `history_without_earlier_state`: `S -> history` where no transition ever enters `S`, so
//! an instance in `S` was never in another state before it: `history` has nowhere to go.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (m, machine) in cx.program.machines.iter().enumerate() {
        for t in &machine.transitions {
            // With `*`, some sources may well have an earlier state; the interpreter reports
            // the others at run time.
            if t.target != Target::History || t.any_source {
                continue;
            }
            for (s, &span) in t.sources.iter().zip(&t.source_spans) {
                if cx.graphs[m].entered[s.index()] {
                    continue;
                }
                let name = machine.state(*s).name.as_str();
                out.push(
                    Diagnostic::new(
                        Code::E0403,
                        format!("`history` from `{name}`, which no transition enters"),
                        t.target_span,
                        "there is no earlier state to go back to",
                    )
                    .with_label(span, format!("an instance can only be in `{name}` from its start"))
                    .with_help(format!("name the target state instead of `history`, or add a transition into `{name}`")),
                );
            }
        }
    }
}
