//! The statements of a file, from its syntax tree: where each starts and ends, and the statements
//! of the block it ends with. The syntax tree keeps the statements of an item in one list per
//! kind; here they are back in the file's order.

use crate::source::Span;
use crate::syntax::ast;

/// An item or a statement, with the statements of its block.
#[derive(Debug)]
pub struct Node {
    pub span: Span,
    /// A workflow, machine or scenario: its body is always laid out over several lines.
    pub is_item: bool,
    /// In the file's order.
    pub children: Vec<Node>,
}

impl Node {
    fn with(span: Span, is_item: bool, mut children: Vec<Node>) -> Node {
        children.sort_by_key(|child| child.span.start);
        Node {
            span,
            is_item,
            children,
        }
    }
}

/// Statements without a block of their own.
fn leaves(spans: impl Iterator<Item = Span>) -> Vec<Node> {
    spans
        .map(|span| Node::with(span, false, Vec::new()))
        .collect()
}

/// The items of `file`, each with its statements.
pub fn items(file: &ast::File) -> Vec<Node> {
    file.items.iter().map(item).collect()
}

fn item(item: &ast::Item) -> Node {
    let children = match item {
        ast::Item::Workflow(w) => workflow(w),
        ast::Item::Machine(m) => machine(m),
        ast::Item::Scenario(s) => leaves(s.steps.iter().map(|step| step.span)),
    };
    Node::with(item.span(), true, children)
}

fn workflow(w: &ast::Workflow) -> Vec<Node> {
    let simple = w.properties.iter().map(|p| p.span);
    let simple = simple.chain(w.vars.iter().map(|v| v.span));
    let simple = simple.chain(w.links.iter().map(|l| l.span));
    let tasks = w.tasks.iter().map(|t| {
        let properties = leaves(t.properties.iter().map(|p| p.span));
        Node::with(t.span, false, properties)
    });
    leaves(simple).into_iter().chain(tasks).collect()
}

fn machine(m: &ast::Machine) -> Vec<Node> {
    let actions = |actions: &[ast::Action]| leaves(actions.iter().map(|a| a.span));
    let simple = m.vars.iter().map(|v| v.span);
    let simple = simple.chain(m.children.iter().map(|c| c.span));
    let simple = simple.chain(m.events.iter().chain(&m.actors).map(|d| d.span));
    let simple = simple.chain(m.initials.iter().map(|i| i.span));
    let simple = simple.chain(m.views.iter().map(|v| v.span));
    let states = m.states.iter().map(|s| {
        let hooks = s.hooks.iter();
        let hooks = hooks.map(|h| Node::with(h.span, false, actions(&h.actions)));
        Node::with(s.span, false, hooks.collect())
    });
    let transitions = m
        .transitions
        .iter()
        .map(|t| Node::with(t.span, false, actions(&t.actions)));
    leaves(simple)
        .into_iter()
        .chain(states)
        .chain(transitions)
        .collect()
}
