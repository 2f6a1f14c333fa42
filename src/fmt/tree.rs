//! The statements of a file, from its syntax tree: where each starts and ends, what kind of
//! statement it is (for alignment), and the statements of the block it ends with. The syntax tree
//! keeps the statements of an item in one list per kind; here they are back in the file's order.

use crate::source::Span;
use crate::syntax::ast;

/// What a statement is, as far as the layout cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Item,
    /// A machine's transition: `A -> B …`.
    Transition,
    /// A workflow's link: `a -> b …`.
    Link,
    /// `initial -> A …`.
    Initial,
    /// `view name = …`.
    View,
    Other,
}

/// An item or a statement, with the statements of its block.
#[derive(Debug)]
pub struct Node {
    pub span: Span,
    pub role: Role,
    /// In the file's order.
    pub children: Vec<Node>,
}

impl Node {
    fn leaf(span: Span, role: Role) -> Node {
        Node {
            span,
            role,
            children: Vec::new(),
        }
    }

    fn with(span: Span, role: Role, mut children: Vec<Node>) -> Node {
        children.sort_by_key(|child| child.span.start);
        Node {
            span,
            role,
            children,
        }
    }
}

/// The items of `file`, each with its statements.
pub fn items(file: &ast::File) -> Vec<Node> {
    file.items.iter().map(item).collect()
}

fn item(item: &ast::Item) -> Node {
    let children = match item {
        ast::Item::Workflow(w) => workflow(w),
        ast::Item::Machine(m) => machine(m),
        ast::Item::Scenario(s) => s
            .steps
            .iter()
            .map(|step| Node::leaf(step.span, Role::Other))
            .collect(),
    };
    Node::with(item.span(), Role::Item, children)
}

fn workflow(w: &ast::Workflow) -> Vec<Node> {
    let other = |span| Node::leaf(span, Role::Other);
    let properties = |props: &[ast::Property]| props.iter().map(|p| other(p.span)).collect();
    w.properties
        .iter()
        .map(|p| other(p.span))
        .chain(w.vars.iter().map(|v| other(v.span)))
        .chain(
            w.tasks
                .iter()
                .map(|t| Node::with(t.span, Role::Other, properties(&t.properties))),
        )
        .chain(w.links.iter().map(|l| Node::leaf(l.span, Role::Link)))
        .collect()
}

fn machine(m: &ast::Machine) -> Vec<Node> {
    let other = |span| Node::leaf(span, Role::Other);
    let actions = |actions: &[ast::Action]| actions.iter().map(|a| other(a.span)).collect();
    m.vars
        .iter()
        .map(|v| other(v.span))
        .chain(m.children.iter().map(|c| other(c.span)))
        .chain(m.events.iter().chain(&m.actors).map(|d| other(d.span)))
        .chain(m.initials.iter().map(|i| Node::leaf(i.span, Role::Initial)))
        .chain(m.states.iter().map(|s| {
            let hooks = s
                .hooks
                .iter()
                .map(|h| Node::with(h.span, Role::Other, actions(&h.actions)))
                .collect();
            Node::with(s.span, Role::Other, hooks)
        }))
        .chain(
            m.transitions
                .iter()
                .map(|t| Node::with(t.span, Role::Transition, actions(&t.actions))),
        )
        .chain(m.views.iter().map(|v| Node::leaf(v.span, Role::View)))
        .collect()
}
