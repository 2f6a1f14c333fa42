//! A machine as a picture: a node per state (transient dashed, final with a double border), a
//! start node its `initial` rules leave from, a `history` node when a transition goes back, an
//! edge per transition and source with its event, actor and guard, the `children` declarations
//! beside, doc comments as tooltips.

use super::{Edge, EdgeKind, Node, Picture, Shape, edge, expression_text, name_label, tooltip};
use crate::model::{MachineId, Program, StateKind, Target, Transition};

/// The node of the start point, after the states.
pub const INITIAL_ID: &str = "init";
/// The node of `history`, after the start point.
pub const HISTORY_ID: &str = "hist";

/// The picture of machine `m`; `source` is the file's text (guards are quoted from it). Node `i`
/// is state `i`; then the start point, then `history` if a transition goes there. The edges are
/// the initial rules (ids `i0`, `i1`, …), then each transition from each of its sources (`tr3_0`:
/// transition 3 from its first source).
pub fn machine(program: &Program, m: MachineId, source: &str) -> Picture {
    let machine = program.machine(m);
    let quote = |span: crate::source::Span| expression_text(source, span);
    let mut nodes: Vec<Node> = machine
        .states
        .iter()
        .enumerate()
        .map(|(s, state)| Node {
            id: format!("s{s}"),
            label: name_label(state.name.as_str()),
            shape: match state.kind {
                StateKind::Normal => Shape::State,
                StateKind::Transient => Shape::Transient,
                StateKind::Final => Shape::Final,
            },
            tooltip: state.doc.as_deref().map(tooltip),
            marks: Vec::new(),
        })
        .collect();
    let initial = nodes.len();
    nodes.push(Node {
        id: INITIAL_ID.to_owned(),
        label: String::new(),
        shape: Shape::Initial,
        tooltip: Some("a new instance starts here".to_owned()),
        marks: Vec::new(),
    });
    let goes_back = machine
        .transitions
        .iter()
        .any(|t| t.target == Target::History);
    let history = nodes.len();
    if goes_back {
        nodes.push(Node {
            id: HISTORY_ID.to_owned(),
            label: "H".to_owned(),
            shape: Shape::History,
            tooltip: Some("history: back to the state the instance was in before".to_owned()),
            marks: Vec::new(),
        });
    }
    let mut edges: Vec<Edge> = machine
        .initials
        .iter()
        .enumerate()
        .map(|(r, rule)| {
            let label = rule
                .guard
                .as_ref()
                .map_or(String::new(), |g| format!("when {}", quote(g.span)));
            edge(
                format!("i{r}"),
                (initial, rule.target.index()),
                &label,
                EdgeKind::Initial,
                None,
            )
        })
        .collect();
    for (t, transition) in machine.transitions.iter().enumerate() {
        let label = transition_label(program, transition, &quote);
        let to = match transition.target {
            Target::State(s) => s.index(),
            Target::History => history,
        };
        for (k, from) in transition.sources.iter().enumerate() {
            edges.push(edge(
                format!("tr{t}_{k}"),
                (from.index(), to),
                &label,
                EdgeKind::Transition,
                transition.doc.as_deref(),
            ));
        }
    }
    Picture {
        title: format!("machine {}", name_label(machine.name.as_str())),
        nodes,
        edges,
        children: machine
            .children
            .iter()
            .map(|c| {
                format!(
                    "children {}: {}",
                    name_label(c.name.as_str()),
                    name_label(program.machine(c.machine).name.as_str())
                )
            })
            .collect(),
        notes: Vec::new(),
    }
}

/// `finish by user when valid`: the events, the actor and the guard as written.
fn transition_label(
    program: &Program,
    transition: &Transition,
    quote: &dyn Fn(crate::source::Span) -> String,
) -> String {
    let events: Vec<&str> = transition
        .events()
        .iter()
        .map(|&e| program.event(e))
        .collect();
    let mut parts = Vec::new();
    if !events.is_empty() {
        parts.push(events.join(" or "));
    }
    if let Some(actor) = transition.actor {
        parts.push(format!("by {}", program.actor(actor)));
    }
    if let Some(guard) = &transition.guard {
        parts.push(format!("when {}", quote(guard.span)));
    }
    parts.join(" ")
}
