//! A workflow as a picture: a node per task (the tasks a run starts from with a double border),
//! an edge per link (error links dashed), conditions and accept modes in the labels, doc comments
//! as tooltips.

use super::{EdgeKind, Node, Picture, Shape, edge, expression_text, name_label, tooltip};
use crate::model::{Accept, LinkKind, Workflow};

/// The picture of `workflow`; `source` is the file's text (conditions are quoted from it).
/// Node `i` is task `i`, edge `i` is link `i`.
pub fn workflow(workflow: &Workflow, source: &str) -> Picture {
    let mut has_incoming = vec![false; workflow.tasks.len()];
    for link in &workflow.links {
        if let Some(slot) = has_incoming.get_mut(link.target.index()) {
            *slot = true;
        }
    }
    let starts = |t: usize| match &workflow.start {
        Some((tasks, _)) => tasks.iter().any(|s| s.index() == t),
        None => !has_incoming[t],
    };
    let nodes = workflow
        .tasks
        .iter()
        .enumerate()
        .map(|(t, task)| {
            let mut label = name_label(task.name.as_str());
            if task.accept == Accept::AtLeastOne {
                label.push_str("\naccept at_least_one");
            }
            Node {
                id: format!("t{t}"),
                label,
                shape: if starts(t) {
                    Shape::StartTask
                } else {
                    Shape::Task
                },
                tooltip: task.doc.as_deref().map(tooltip),
                marks: Vec::new(),
            }
        })
        .collect();
    let edges = workflow
        .links
        .iter()
        .enumerate()
        .map(|(l, link)| {
            let condition = link
                .condition
                .as_ref()
                .map(|c| expression_text(source, c.span));
            let (kind, mut label) = match link.kind {
                LinkKind::Normal => (EdgeKind::Link, String::new()),
                LinkKind::Error => (EdgeKind::ErrorLink, "on error".to_owned()),
            };
            if let Some(condition) = condition {
                if !label.is_empty() {
                    label.push(' ');
                }
                label.push_str("when ");
                label.push_str(&condition);
            }
            edge(
                format!("l{l}"),
                (link.source.index(), link.target.index()),
                &label,
                kind,
                None,
            )
        })
        .collect();
    Picture {
        title: format!("workflow {}", name_label(workflow.name.as_str())),
        nodes,
        edges,
        children: Vec::new(),
        notes: Vec::new(),
    }
}
