//! E0400 `link_cycle`: the links of a workflow form a cycle.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (w, workflow) in cx.program.workflows.iter().enumerate() {
        let graph = &cx.workflow_graphs[w];
        for cycle in graph.cycles() {
            let links: Vec<_> = cycle.iter().map(|&i| &workflow.links[i]).collect();
            let Some(first) = links.first() else {
                continue;
            };
            let mut names: Vec<&str> = links
                .iter()
                .map(|l| workflow.task(l.source).name.as_str())
                .collect();
            names.push(workflow.task(first.source).name.as_str());
            let mut diagnostic = Diagnostic::new(
                Code::E0400,
                format!(
                    "the links of workflow `{}` form a cycle: `{}`",
                    workflow.name.as_str(),
                    names.join(" -> ")
                ),
                first.span,
                link_label(cx, workflow, first),
            );
            for link in links.iter().skip(1) {
                diagnostic = diagnostic.with_label(link.span, link_label(cx, workflow, link));
            }
            let help = if links.len() == 1 {
                "remove this link; to run a task again, declare a second task for the rerun"
            } else {
                "remove one of these links, or split the loop into separate runs"
            };
            out.push(
                diagnostic
                    .with_note("a task in a cycle waits for itself: it could never have all its predecessors done")
                    .with_help(help),
            );
        }
    }
}

fn link_label(
    _cx: &Context,
    workflow: &crate::model::Workflow,
    link: &crate::model::Link,
) -> String {
    format!(
        "`{} -> {}`",
        workflow.task(link.source).name.as_str(),
        workflow.task(link.target).name.as_str()
    )
}
