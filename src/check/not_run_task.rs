//! W0202 `not_run_task`: no path of links leads to a task from the declared start tasks, so every
//! run leaves it `NOT_RUN`.

use super::Context;
use crate::diagnostic::{Code, Diagnostic, join_listed};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (w, workflow) in cx.program.workflows.iter().enumerate() {
        // Without `start`, the initial nodes are the tasks with no incoming link, and in an
        // acyclic workflow those reach every task.
        let Some((start, start_span)) = &workflow.start else {
            continue;
        };
        let graph = &cx.workflow_graphs[w];
        let reached = graph.reachable(start.iter().map(|t| t.index()));
        let starts = start
            .iter()
            .map(|&t| format!("`{}`", workflow.task(t).name.as_str()));
        let starts = format!("runs start from {}", join_listed(starts, ", "));
        for (task, reached) in workflow.tasks.iter().zip(reached) {
            if reached {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::W0202,
                    format!("task `{}` never runs", task.name.as_str()),
                    task.name.span,
                    "no path of links leads here from the start tasks",
                )
                .with_label(*start_span, starts.clone())
                .with_note(
                    "a task no path reaches from the initial nodes is `NOT_RUN` for the whole run",
                )
                .with_help("link it from a task the run reaches, add it to `start`, or remove it"),
            );
        }
    }
}
