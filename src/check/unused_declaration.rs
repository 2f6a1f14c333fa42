//! W0103 `unused_event` and W0104 `unused_actor`: a machine declares an event that none of its
//! transitions takes, or an actor that none of its transitions names with `by`.
//!
//! A declaration says what the machine takes (or whom it knows); one that no transition uses is
//! either left over from an older version of the machine or the sign of a missing transition.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let program = cx.program;
    for (m, machine) in program.machines.iter().enumerate() {
        let name = machine.name.as_str();
        for declared in machine.events.iter().flatten() {
            if !cx.usage.handled[m].contains(&declared.id) {
                let event = declared.name.as_str();
                out.push(
                    Diagnostic::new(
                        Code::W0103,
                        format!("machine `{name}` declares event `{event}` but never takes it"),
                        declared.name.span,
                        format!("no transition of `{name}` is `on {event}`"),
                    )
                    .with_note("an event no transition takes is ignored whenever it arrives")
                    .with_help(format!(
                        "remove `{event}` from the list, or add a transition `… on {event}`"
                    )),
                );
            }
        }
        for declared in machine.actors.iter().flatten() {
            if !cx.usage.actors[m].contains(&declared.id) {
                let actor = declared.name.as_str();
                out.push(
                    Diagnostic::new(
                        Code::W0104,
                        format!("machine `{name}` declares actor `{actor}` but never names it"),
                        declared.name.span,
                        format!("no transition of `{name}` is `by {actor}`"),
                    )
                    .with_note(format!(
                        "events sent by `{actor}` can only take the transitions open to every sender"
                    ))
                    .with_help(format!(
                        "remove `{actor}` from the list, or add `by {actor}` to the transitions it may take"
                    )),
                );
            }
        }
    }
}
