//! W0418 `send_reaches_no_child`: some run makes a send to one child of a group (`send … to one
//! GROUP`, `send … to GROUP[i]`) when no child qualifies, so the event is not sent
//! (specs/diagnostics.md, "W0418 send_reaches_no_child").

use super::super::machine::Unsent;
use super::scenario_lines::state_text;
use super::witness::{Want, move_witness, with_witness};
use super::{Cx, Found};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ActionKind, ExprKind, Machine, MachineId, Program, SendTarget, Value};

/// Adds a finding for each send to one child that reached none, once per action.
pub(super) fn check(cx: &Cx<'_, '_, '_>, found: &mut Found) {
    for unsent in &cx.x.unsent {
        if found.first_time(Code::W0418, unsent.action) {
            found.list.push(finding(cx, unsent));
        }
    }
}

/// The finding of `unsent`, with the run that makes the send.
fn finding(cx: &Cx<'_, '_, '_>, unsent: &Unsent) -> Diagnostic {
    let program = cx.program;
    let machine = program.machine(unsent.machine);
    let action = machine.actions().find(|a| a.span == unsent.action);
    let (event, target) = match action.map(|a| &a.kind) {
        Some(ActionKind::Send { event, target }) => (program.event(*event), target),
        _ => ("?", &SendTarget::Parent),
    };
    let group = target.group().and_then(|g| machine.children.get(g.index()));
    let name = group.map_or("?", |c| c.name.as_str());
    let child = group.map_or(unsent.machine, |c| c.machine);
    let (label, help) = label_and_help(program, machine, target, name, child);
    let d = Diagnostic::new(
        Code::W0418,
        format!(
            "a run of `{}` sends `{event}` to one child of `{name}` when no child qualifies",
            machine.name.as_str()
        ),
        unsent.action,
        label,
    )
    .with_note("the event is not sent: no child receives it, and the run goes on")
    .with_note(cx.scope.clone());
    let title = format!("`{event}` reaches no child of `{name}`");
    let text = move_witness(
        program,
        cx.x,
        unsent.seen,
        &title,
        &Want::Unsent(unsent.action),
    );
    with_witness(d, cx.x, text).with_help(format!(
        "{help}; or, when dropping the event is what the model means, acknowledge it with `// wfl: allow(W0418) reason`"
    ))
}

/// The label of the send to `target` of `machine` (to group `name`, of machine `child`), and
/// the guard that would make it reach a child.
fn label_and_help(
    program: &Program,
    machine: &Machine,
    target: &SendTarget,
    name: &str,
    child: MachineId,
) -> (String, String) {
    match target {
        SendTarget::One {
            states: Some(states),
            ..
        } => {
            let names: Vec<String> = (states.iter())
                .map(|&s| state_text(program.machine(child).state(s).name.as_str()))
                .collect();
            let states = match names.as_slice() {
                [one] => one.clone(),
                _ => format!("[{}]", names.join(", ")),
            };
            (
                format!("no child of `{name}` is in {states} when this runs"),
                format!(
                    "send it only when one is: guard the transition with `when any {name} in {states}`"
                ),
            )
        }
        SendTarget::Index { index, .. } => {
            // The index in words, when it is a name or a number.
            let index = match index.kind {
                ExprKind::Var(v) => machine.vars[v.index()].name.as_str().to_owned(),
                ExprKind::Const(Value::Int(n)) => n.to_string(),
                _ => "INDEX".to_owned(),
            };
            (
                format!("`{index}` names no child of `{name}` when this runs"),
                format!(
                    "send it only when the child exists: guard the transition with `when {index} < count {name}`"
                ),
            )
        }
        _ => (
            format!("`{name}` has no children when this runs"),
            format!("guard the transition with `when any {name}`"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_notes_hold, rule_findings};
    use super::*;

    const SCHEDULER: &str = "machine worker {\n  state Idle, Busy\n  initial -> Idle\n  Idle -> Busy on assign\n  Busy -> Idle on finish\n}\n\
                             machine scheduler {\n  children workers: worker\n  input var next: int 0..3\n  state Open\n  initial -> Open\n\
                             Open -> Open on job { send assign to one workers in Idle }\n\
                             Open -> Open on pick { send assign to workers[next] }\n}\n";

    fn w0418(text: &str) -> Vec<Diagnostic> {
        rule_findings(text, "scheduler", Code::W0418, check)
    }

    #[test]
    fn a_send_that_finds_no_child_is_reported_for_each_way_to_name_one() {
        let mut found = w0418(SCHEDULER);
        found.sort_by_key(|d| d.primary.span.start);
        let labels: Vec<&str> = found.iter().map(|d| d.primary.message.as_str()).collect();
        assert_eq!(
            labels,
            [
                "no child of `workers` is in Idle when this runs",
                "`next` names no child of `workers` when this runs",
            ]
        );
        assert_notes_hold(
            &found[0],
            "  spawn workers * 2\n  send job\n  send job\n  send job\n  expect state == Open\n}",
        );
        assert_notes_hold(
            &found[1],
            "  spawn workers * 2\n  set next = 2\n  send pick\n",
        );
    }

    #[test]
    fn guarded_sends_always_reach_a_child() {
        let fixed = SCHEDULER
            .replace("on job {", "on job when any workers in Idle {")
            .replace("on pick {", "on pick when next < count workers {");
        assert!(w0418(&fixed).is_empty());
    }
}
