//! W0200 `unreachable_state` and W0102 `unused_state`: no path of transitions from an initial rule
//! leads to a state (guards ignored); when nothing at all names the state, it is reported as unused.

use super::Context;
use crate::diagnostic::{Code, Diagnostic, MAX_LISTED, join_listed};
use crate::model::*;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (m, machine) in cx.program.machines.iter().enumerate() {
        let graph = &cx.graphs[m];
        // The sources of the transitions into each state, gathered once for the machine.
        let mut into: Vec<Vec<StateId>> = vec![Vec::new(); machine.states.len()];
        for t in &machine.transitions {
            if let Target::State(s) = t.target
                && let Some(list) = into.get_mut(s.index())
            {
                list.extend(&t.sources);
            }
        }
        for s in machine.state_ids() {
            let state = machine.state(s);
            if cx.usage.states[m][s.index()] {
                if machine.initials.is_empty() || graph.reachable[s.index()] {
                    continue;
                }
                let from: Vec<String> = into[s.index()]
                    .iter()
                    .map(|&p| format!("`{}`", machine.state(p).name.as_str()))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let mut diagnostic = Diagnostic::new(
                    Code::W0200,
                    format!("state `{}` is unreachable", state.name.as_str()),
                    state.name.span,
                    "no path of transitions from an initial rule leads here",
                );
                diagnostic = if from.is_empty() {
                    diagnostic.with_note("no transition enters it")
                } else {
                    diagnostic.with_note(format!(
                        "the transitions into it leave from {}, which {} unreachable too",
                        join_and(&from),
                        if from.len() == 1 { "is" } else { "are" }
                    ))
                };
                out.push(diagnostic.with_help("add a transition into it, or remove it"));
            } else {
                out.push(
                    Diagnostic::new(
                        Code::W0102,
                        format!("state `{}` is declared but never used", state.name.as_str()),
                        state.name.span,
                        "no transition or initial rule names this state",
                    )
                    .with_note("so it is unreachable: no instance can ever be in it")
                    .with_help("add the transitions that enter and leave it, or remove it"),
                );
            }
        }
    }
}

/// `a`, `a and b`, `a, b and c`; past [`MAX_LISTED`], `a, b, …, h, … (12 in all)`.
fn join_and(items: &[String]) -> String {
    match items {
        _ if items.len() > MAX_LISTED => join_listed(items.iter(), ", "),
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
