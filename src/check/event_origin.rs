//! W0105 `event_origin_unneeded`: an `internal event` that no action of the file sends to its
//! machine, or an `external event` that no action sends it either (specs/language.md, 5.9).
//!
//! `internal` tells the exploration never to send an event from outside; when no action sends
//! it to the machine either, nothing does, and no run takes its transitions. `external` tells it
//! to send an event from outside although an action sends it; when none does, the outside sends
//! it anyway, and the word says something that is not so.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ActionKind, EventId, Machine, Origin, Program, SendTarget};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let program = cx.program;
    if program.machines.iter().all(|m| m.origins.is_empty()) {
        return;
    }
    let sent = sent_to(program);
    for (m, machine) in program.machines.iter().enumerate() {
        for &(event, origin) in &machine.origins {
            if !sent[m].contains(&event) {
                out.push(unneeded(program, machine, event, origin));
            }
        }
    }
}

/// Per machine: the events an action of the file sends to an instance of it: those it raises,
/// those a machine with a group of it sends to the group, those a machine it has a group of sends
/// to its parent.
fn sent_to(program: &Program) -> Vec<Vec<EventId>> {
    let mut sent = vec![Vec::new(); program.machines.len()];
    for (p, machine) in program.machines.iter().enumerate() {
        for action in machine.actions() {
            match &action.kind {
                ActionKind::Raise { event } => sent[p].push(*event),
                ActionKind::Send {
                    event,
                    target: SendTarget::Parent,
                } => {
                    // Every machine with a group of this one is a parent.
                    for (q, parent) in program.machines.iter().enumerate() {
                        if parent.children.iter().any(|c| c.machine.index() == p) {
                            sent[q].push(*event);
                        }
                    }
                }
                ActionKind::Send { event, target } => {
                    if let Some(group) =
                        target.group().and_then(|g| machine.children.get(g.index()))
                    {
                        sent[group.machine.index()].push(*event);
                    }
                }
                ActionKind::Set { .. } => {}
            }
        }
    }
    for list in &mut sent {
        list.sort_unstable();
        list.dedup();
    }
    sent
}

fn unneeded(program: &Program, machine: &Machine, event: EventId, origin: Origin) -> Diagnostic {
    let name = machine
        .events
        .iter()
        .flatten()
        .find(|d| d.id == event)
        .map(|d| (d.name.as_str(), d.name.span));
    let (text, span) = name.unwrap_or((program.event(event), machine.name.span));
    let m = machine.name.as_str();
    match origin {
        Origin::Internal => Diagnostic::new(
            Code::W0105,
            format!("`{text}` is declared `internal`, but no action sends it to `{m}`"),
            span,
            "nothing sends it",
        )
        .with_note("the exploration does not send it from outside either, so no run takes the transitions on it")
        .with_help(format!(
            "declare it with `event {text}` to let the outside send it, or send it from an action"
        )),
        Origin::External => Diagnostic::new(
            Code::W0105,
            format!("`{text}` is declared `external`, but no action sends it to `{m}`"),
            span,
            "`external` changes nothing here",
        )
        .with_note("the outside sends every event that no action sends, without `external`")
        .with_help(format!("declare it with `event {text}`")),
    }
}
