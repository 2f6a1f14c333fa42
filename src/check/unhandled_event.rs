//! W0203 `unhandled_event`: an event is sent to a machine none of whose transitions handles it, so
//! it is always ignored — most often a misspelt event name.

use super::Context;
use super::usage::machine_at;
use crate::diagnostic::{Code, Diagnostic, join_listed};
use crate::model::*;
use crate::source::Span;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let program = cx.program;
    // Per machine, the machines with a group of it, in order: one pass over the groups (looking
    // for each machine's parents among all machines would take their number squared).
    let mut parents_of: Vec<Vec<MachineId>> = vec![Vec::new(); program.machines.len()];
    for (p, machine) in program.machines.iter().enumerate() {
        for c in &machine.children {
            if let Some(list) = parents_of.get_mut(c.machine.index())
                && list.last() != Some(&MachineId::from_index(p))
            {
                list.push(MachineId::from_index(p));
            }
        }
    }
    for (m, machine) in program.machines.iter().enumerate() {
        let id = MachineId::from_index(m);
        let parents = &parents_of[m];
        for action in machine.actions() {
            match &action.kind {
                ActionKind::Raise { event } => report(cx, out, *event, &[id], action.span),
                ActionKind::Send { event, target } => match target.group() {
                    Some(children) => report(
                        cx,
                        out,
                        *event,
                        &[machine.children[children.index()].machine],
                        action.span,
                    ),
                    None if !parents.is_empty() => {
                        report(cx, out, *event, parents, action.span);
                    }
                    None => {}
                },
                ActionKind::Set { .. } => {}
            }
        }
    }
    for scenario in &program.scenarios {
        let ScenarioTarget::Machine(root) = scenario.target else {
            continue;
        };
        for step in &scenario.steps {
            if let StepKind::Send { event, to, .. } = &step.kind {
                report(cx, out, *event, &[machine_at(program, root, to)], step.span);
            }
        }
    }
}

/// Warns when none of `receivers` handles `event`.
fn report(
    cx: &Context,
    out: &mut Vec<Diagnostic>,
    event: EventId,
    receivers: &[MachineId],
    span: Span,
) {
    if receivers
        .iter()
        .any(|r| cx.usage.handled[r.index()].contains(&event))
    {
        return;
    }
    let program = cx.program;
    let name = program.event(event);
    let names = receivers
        .iter()
        .map(|r| format!("`{}`", program.machine(*r).name.as_str()));
    let handled = receivers
        .iter()
        .flat_map(|r| cx.usage.handled[r.index()].iter())
        .map(|&e| program.event(e));
    out.push(
        Diagnostic::new(
            Code::W0203,
            format!(
                "no transition of {} handles event `{name}`",
                join_listed(names, " or ")
            ),
            span,
            "this event is always ignored",
        )
        // The primary span is the whole action or step: the help only, no fix (one would
        // replace the statement with the name).
        .with_suggestion_help(cx.suggest.did_you_mean(name, handled)),
    );
}
