//! W0103 `unused_event` and W0104 `unused_actor`: a machine declares an event that none of its
//! transitions takes, or an actor that none of its transitions names with `by`.
//!
//! A declaration says what the machine takes (or whom it knows); one that no transition uses is
//! either left over from an older version of the machine or the sign of a missing transition.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Name;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (m, machine) in cx.program.machines.iter().enumerate() {
        let events = machine.events.iter().flatten();
        let untaken = events.filter(|d| !cx.usage.handled[m].contains(&d.id));
        for declared in untaken {
            out.push(unused(&EVENT, machine.name.as_str(), &declared.name));
        }
        let actors = machine.actors.iter().flatten();
        let unnamed = actors.filter(|d| !cx.usage.actors[m].contains(&d.id));
        for declared in unnamed {
            out.push(unused(&ACTOR, machine.name.as_str(), &declared.name));
        }
    }
}

/// The words of one of the two findings.
struct Words {
    code: Code,
    kind: &'static str,
    /// "never takes it", "never names it".
    never: &'static str,
    /// The clause of a transition that would use it: `on`, `by`.
    clause: &'static str,
    /// Why it matters, for a name `{}`.
    note: fn(&str) -> String,
    /// How to use it, for a name `{}`.
    use_it: fn(&str) -> String,
}

const EVENT: Words = Words {
    code: Code::W0103,
    kind: "event",
    never: "never takes it",
    clause: "on",
    note: |_| "an event no transition takes is ignored whenever it arrives".to_owned(),
    use_it: |event| format!("add a transition `… on {event}`"),
};

const ACTOR: Words = Words {
    code: Code::W0104,
    kind: "actor",
    never: "never names it",
    clause: "by",
    note: |actor| {
        format!("events sent by `{actor}` can only take the transitions open to every sender")
    },
    use_it: |actor| format!("add `by {actor}` to the transitions it may take"),
};

fn unused(words: &Words, machine: &str, name: &Name) -> Diagnostic {
    let (kind, name_text) = (words.kind, name.as_str());
    Diagnostic::new(
        words.code,
        format!(
            "machine `{machine}` declares {kind} `{name_text}` but {}",
            words.never
        ),
        name.span,
        format!(
            "no transition of `{machine}` is `{} {name_text}`",
            words.clause
        ),
    )
    .with_note((words.note)(name_text))
    .with_help(format!(
        "remove `{name_text}` from the list, or {}",
        (words.use_it)(name_text)
    ))
}
