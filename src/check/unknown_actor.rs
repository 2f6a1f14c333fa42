//! W0204 `unknown_actor`: a scenario sends an event `by` an actor that no transition of the
//! receiving machine names, so the actor can only ever take transitions open to any sender.

use super::Context;
use super::usage::machine_at;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let program = cx.program;
    for scenario in &program.scenarios {
        let ScenarioTarget::Machine(root) = scenario.target else {
            continue;
        };
        for step in &scenario.steps {
            let StepKind::Send {
                to,
                by: Some(actor),
                ..
            } = &step.kind
            else {
                continue;
            };
            let receiver = machine_at(program, root, to);
            let known = &cx.usage.actors[receiver.index()];
            if known.contains(actor) {
                continue;
            }
            let name = program.actor(*actor);
            let close = cx
                .suggest
                .did_you_mean(name, known.iter().map(|&a| program.actor(a)));
            out.push(
                Diagnostic::new(
                    Code::W0204,
                    format!(
                        "no transition of `{}` names actor `{name}`",
                        program.machine(receiver).name.as_str()
                    ),
                    step.span,
                    format!("`{name}` can only take transitions open to every sender"),
                )
                // The primary span is the step, not the actor's name.
                .with_suggestion_help(close),
            );
        }
    }
}
