//! What the overlays draw on a picture: the findings of `wfl check` on the nodes and edges their
//! spans point at, a workflow run's end states, the states and transitions a machine run used,
//! and, for the report page, the marks after each step of a run.

use std::collections::HashMap;

use super::{Mark, Picture, tooltip};
use crate::diagnostic::Diagnostic;
use crate::model::{LinkKind, MachineId, Program, Workflow};
use crate::sim::machine::{Event as MachineEvent, World};
use crate::sim::trace::{Event, EventKind};
use crate::sim::workflow::Outcome;
use crate::source::Span;

/// `inner` lies within `outer`.
fn within(inner: Span, outer: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Adds a finding to what the element's tooltip says.
fn note_finding(tip: &mut Option<String>, d: &Diagnostic) {
    let line = format!("{}: {}", d.code.as_str(), d.message);
    *tip = Some(tooltip(&match tip.take() {
        Some(before) => format!("{before}\n\n{line}"),
        None => line,
    }));
}

/// What a finding is drawn on: nodes and edges by index.
#[derive(Default)]
struct On {
    nodes: Vec<usize>,
    edges: Vec<usize>,
}

/// Marks each node and edge a finding's primary span points at ([`Mark::Finding`], the finding
/// in its tooltip); a finding on the item but on nothing drawn becomes a note of the picture.
/// `item` is the span of the workflow or machine drawn: findings outside it are not its own.
fn mark_findings(
    picture: &mut Picture,
    item: Span,
    diagnostics: &[Diagnostic],
    on: impl Fn(&Diagnostic) -> On,
) {
    for d in diagnostics.iter().filter(|d| within(d.primary.span, item)) {
        let On { nodes, edges } = on(d);
        if nodes.is_empty() && edges.is_empty() {
            picture
                .notes
                .push(tooltip(&format!("{}: {}", d.code.as_str(), d.message)));
        }
        for n in nodes {
            if let Some(node) = picture.nodes.get_mut(n) {
                add_mark(&mut node.marks, Mark::Finding);
                note_finding(&mut node.tooltip, d);
            }
        }
        for e in edges {
            if let Some(edge) = picture.edges.get_mut(e) {
                add_mark(&mut edge.marks, Mark::Finding);
                note_finding(&mut edge.tooltip, d);
            }
        }
    }
}

fn add_mark(marks: &mut Vec<Mark>, mark: Mark) {
    if !marks.contains(&mark) {
        marks.push(mark);
    }
}

/// The findings on a workflow's picture (made by [`super::workflow`]). A finding on a link
/// statement that stands for several links (`[a, b] -> c`) is on the links its message names, or
/// on all of them when it names none.
pub fn workflow_findings(picture: &mut Picture, workflow: &Workflow, diagnostics: &[Diagnostic]) {
    mark_findings(picture, workflow.span, diagnostics, |d| {
        let span = d.primary.span;
        let mut on = On::default();
        let links: Vec<usize> = (0..workflow.links.len())
            .filter(|&l| within(span, workflow.links[l].span))
            .collect();
        // Only a list link's findings need the message read (its links share a span).
        let named: Vec<usize> = links
            .iter()
            .copied()
            .filter(|_| links.len() > 1)
            .filter(|&l| {
                let link = &workflow.links[l];
                let on_error = if link.kind == LinkKind::Error {
                    " on error"
                } else {
                    ""
                };
                d.message.contains(&format!(
                    "`{} -> {}{on_error}`",
                    workflow.task(link.source).name.as_str(),
                    workflow.task(link.target).name.as_str()
                ))
            })
            .collect();
        on.edges = if named.is_empty() { links } else { named };
        if on.edges.is_empty() {
            // On a task's name; else inside its declaration (which `task a, b` shares).
            let named = |t: &usize| workflow.tasks[*t].name.span == span;
            let declared = |t: &usize| within(span, workflow.tasks[*t].decl_span);
            on.nodes = (0..workflow.tasks.len()).filter(named).collect();
            if on.nodes.is_empty() {
                on.nodes = (0..workflow.tasks.len()).filter(declared).collect();
            }
        }
        on
    });
}

/// The findings on a machine's picture (made by [`super::machine`]): on a state when they point
/// at its name, on every edge of a transition or initial rule when they point into it.
pub fn machine_findings(
    picture: &mut Picture,
    program: &Program,
    m: MachineId,
    diagnostics: &[Diagnostic],
) {
    let machine = program.machine(m);
    let ids = edge_ids(picture);
    mark_findings(picture, machine.span, diagnostics, |d| {
        let span = d.primary.span;
        let mut on = On {
            nodes: (0..machine.states.len())
                .filter(|&s| machine.states[s].name.span == span)
                .collect(),
            edges: Vec::new(),
        };
        for (r, rule) in machine.initials.iter().enumerate() {
            if within(span, rule.span) {
                on.edges.extend(ids.get(&format!("i{r}")));
            }
        }
        for (t, transition) in machine.transitions.iter().enumerate() {
            if within(span, transition.span) {
                on.edges.extend(
                    (0..transition.sources.len()).filter_map(|k| ids.get(&format!("tr{t}_{k}"))),
                );
            }
        }
        on
    });
}

/// Each edge's index by its id.
fn edge_ids(picture: &Picture) -> HashMap<String, usize> {
    picture
        .edges
        .iter()
        .enumerate()
        .map(|(e, edge)| (edge.id.clone(), e))
        .collect()
}

/// Colours each task and link of a workflow's picture by its state at the end of a run.
pub fn workflow_run(picture: &mut Picture, outcome: &Outcome) {
    for (node, &state) in picture.nodes.iter_mut().zip(&outcome.tasks) {
        add_mark(&mut node.marks, Mark::Task(state));
    }
    for (edge, state) in picture.edges.iter_mut().zip(&outcome.links) {
        if let Some(state) = state {
            add_mark(&mut edge.marks, Mark::Link(*state));
        }
    }
}

/// Adds the marks of `run` (the same picture, marked by one run) to `picture`'s.
pub fn add_marks_of(picture: &mut Picture, run: &Picture) {
    for (node, marked) in picture.nodes.iter_mut().zip(&run.nodes) {
        for &mark in &marked.marks {
            add_mark(&mut node.marks, mark);
        }
    }
    for (edge, marked) in picture.edges.iter_mut().zip(&run.edges) {
        for &mark in &marked.marks {
            add_mark(&mut edge.marks, mark);
        }
    }
}

/// Marks `picture` with what several runs of it did together (`wfl graph --coverage`; `runs` are
/// the same picture, each marked by one run): a state entered or a transition taken by any run is
/// entered or taken, else not; a task or link is filled with the end state most runs gave it (the
/// earlier in the legend on a tie), and its tooltip counts each. No state is a current one.
pub fn coverage(picture: &mut Picture, runs: &[Picture]) {
    for (n, node) in picture.nodes.iter_mut().enumerate() {
        let seen: Vec<&[Mark]> = runs.iter().map(|r| r.nodes[n].marks.as_slice()).collect();
        mark_together(&mut node.marks, &mut node.tooltip, &seen);
    }
    for (e, edge) in picture.edges.iter_mut().enumerate() {
        let seen: Vec<&[Mark]> = runs.iter().map(|r| r.edges[e].marks.as_slice()).collect();
        mark_together(&mut edge.marks, &mut edge.tooltip, &seen);
    }
}

/// One element's marks from the marks each run gave it (`seen`): see [`coverage`].
fn mark_together(marks: &mut Vec<Mark>, tip: &mut Option<String>, seen: &[&[Mark]]) {
    let any = |m: Mark| seen.iter().any(|s| s.contains(&m));
    for (yes, no) in [
        (Mark::Entered, Mark::NotEntered),
        (Mark::Taken, Mark::NotTaken),
    ] {
        match (any(yes), any(no)) {
            (true, _) => add_mark(marks, yes),
            (false, true) => add_mark(marks, no),
            (false, false) => {}
        }
    }
    // Each end state with the number of runs that gave it, most first, then in the legend's order.
    let mut counts: Vec<(Mark, usize)> = Vec::new();
    for &mark in seen.iter().flat_map(|s| s.iter()) {
        if !matches!(mark, Mark::Task(_) | Mark::Link(_)) {
            continue;
        }
        match counts.iter_mut().find(|(m, _)| *m == mark) {
            Some((_, count)) => *count += 1,
            None => counts.push((mark, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let Some(&(most, _)) = counts.first() else {
        return;
    };
    add_mark(marks, most);
    let states: Vec<String> = counts
        .iter()
        .map(|&(mark, count)| match mark {
            Mark::Task(state) => format!("{} ×{count}", state.as_str()),
            Mark::Link(state) => format!("{} ×{count}", state.as_str()),
            _ => String::new(),
        })
        .collect();
    let line = format!(
        "end states in the {} scenarios: {}",
        seen.len(),
        states.join(", ")
    );
    *tip = Some(tooltip(&match tip.take() {
        Some(before) => format!("{before}\n\n{line}"),
        None => line,
    }));
}

/// The marks of every node and edge, by index, as a run goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marks {
    pub nodes: Vec<Vec<Mark>>,
    pub edges: Vec<Vec<Mark>>,
}

/// One step of a run on the report page: its line of the trace, and the nodes and edges whose
/// marks it changes, with their marks after it.
#[derive(Clone, Debug)]
pub struct Step {
    pub text: String,
    /// Picture node index, its marks after the step.
    pub nodes: Vec<(usize, Vec<Mark>)>,
    pub edges: Vec<(usize, Vec<Mark>)>,
}

impl Marks {
    fn new(picture: &Picture) -> Marks {
        Marks {
            nodes: vec![Vec::new(); picture.nodes.len()],
            edges: vec![Vec::new(); picture.edges.len()],
        }
    }
}

/// The marks as a run goes on, and what the current step has changed: each event touches a few
/// nodes and edges, so a run of `n` events costs in proportion to `n`, whatever the picture's size.
struct Stepper {
    now: Marks,
    nodes: Vec<usize>,
    edges: Vec<usize>,
}

impl Stepper {
    fn node(&mut self, n: usize) -> Option<&mut Vec<Mark>> {
        let marks = self.now.nodes.get_mut(n)?;
        self.nodes.push(n);
        Some(marks)
    }

    fn edge(&mut self, e: usize) -> Option<&mut Vec<Mark>> {
        let marks = self.now.edges.get_mut(e)?;
        self.edges.push(e);
        Some(marks)
    }

    /// The step that ends here: the elements touched since the last one, with their marks now.
    fn step(&mut self, text: String) -> Step {
        let collect = |touched: &mut Vec<usize>, all: &[Vec<Mark>]| {
            touched.sort_unstable();
            touched.dedup();
            touched
                .drain(..)
                .map(|i| (i, all[i].clone()))
                .collect::<Vec<_>>()
        };
        Step {
            text,
            nodes: collect(&mut self.nodes, &self.now.nodes),
            edges: collect(&mut self.edges, &self.now.edges),
        }
    }
}

/// A workflow run on its picture: every task WAITING at first, then each event of the trace
/// (with its line, from `line`) sets a task's or a link's state. The marks before the first step
/// and the steps.
pub fn workflow_steps(
    picture: &Picture,
    trace: &[Event],
    line: impl Fn(&Event) -> String,
) -> (Marks, Vec<Step>) {
    let mut start = Marks::new(picture);
    for marks in &mut start.nodes {
        marks.push(Mark::Task(crate::model::TaskState::WAITING));
    }
    let mut stepper = Stepper {
        now: start.clone(),
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    let mut steps = Vec::with_capacity(trace.len());
    for event in trace {
        match event.kind {
            EventKind::Task { task, to, .. } => {
                if let Some(marks) = stepper.node(task.index()) {
                    *marks = vec![Mark::Task(to)];
                }
            }
            EventKind::Link { link, to, .. } => {
                if let Some(marks) = stepper.edge(link.index()) {
                    *marks = vec![Mark::Link(to)];
                }
            }
            EventKind::Workflow { .. } => {}
        }
        steps.push(stepper.step(line(event)));
    }
    (start, steps)
}

/// What a machine run did to the picture of machine `m`: the states its instances of `m` entered,
/// the initial rules and transitions they took, and where its first instance of `m` is.
struct MachineRun<'p> {
    picture: &'p Picture,
    program: &'p Program,
    ids: HashMap<String, usize>,
    m: MachineId,
    /// The first instance of `m` (the one whose state is drawn as current).
    first: Option<u32>,
}

impl MachineRun<'_> {
    /// The marks before anything happened: nothing entered, nothing taken.
    fn start(&self, states: usize) -> Marks {
        let mut marks = Marks::new(self.picture);
        for (n, node) in marks.nodes.iter_mut().enumerate() {
            if n < states {
                node.push(Mark::NotEntered);
            }
        }
        for edge in &mut marks.edges {
            edge.push(Mark::NotTaken);
        }
        marks
    }

    /// The marks after `event`, when it concerns an instance of the machine drawn; `current` is
    /// the node the first instance is in.
    fn apply(
        &self,
        stepper: &mut Stepper,
        current: &mut Option<usize>,
        world: &World<'_>,
        event: &MachineEvent,
    ) {
        let of_machine =
            |i: u32| world.instances.get(i as usize).map(|x| x.machine) == Some(self.m);
        let (instance, to, edge) = match *event {
            MachineEvent::Initial {
                instance,
                state,
                rule,
            } => (instance, state, self.ids.get(&format!("i{rule}"))),
            MachineEvent::Step {
                instance,
                from,
                to,
                transition,
                ..
            } => {
                let sources = world
                    .instances
                    .get(instance as usize)
                    .and_then(|x| self.program.machines.get(x.machine.index()))
                    .and_then(|m| m.transitions.get(transition.index()))
                    .map_or(&[][..], |t| t.sources.as_slice());
                let k = sources.iter().position(|&s| s == from).unwrap_or(0);
                (
                    instance,
                    to,
                    self.ids.get(&format!("tr{}_{k}", transition.index())),
                )
            }
            _ => return,
        };
        if !of_machine(instance) {
            return;
        }
        if let Some(marks) = edge.and_then(|&e| stepper.edge(e)) {
            *marks = vec![Mark::Taken];
        }
        let is_first = Some(instance) == self.first;
        if is_first && let Some(marks) = current.and_then(|n| stepper.node(n)) {
            marks.retain(|&m| m != Mark::Current);
        }
        if let Some(marks) = stepper.node(to.index()) {
            marks.retain(|&m| m != Mark::NotEntered);
            add_mark(marks, Mark::Entered);
            if is_first {
                marks.push(Mark::Current);
                *current = Some(to.index());
            }
        }
    }
}

/// Builds the run of machine `m` over its picture.
fn machine_run<'p>(
    picture: &'p Picture,
    program: &'p Program,
    world: &World<'_>,
    m: MachineId,
) -> MachineRun<'p> {
    MachineRun {
        picture,
        program,
        ids: edge_ids(picture),
        m,
        first: world
            .instances
            .iter()
            .position(|x| x.machine == m)
            .and_then(|i| u32::try_from(i).ok()),
    }
}

/// Colours a machine's picture by what the run in `world` did (its trace): the states its
/// instances of `m` entered and did not, the transitions taken and not, the current state of its
/// first instance of `m`.
pub fn machine_run_marks(
    picture: &mut Picture,
    program: &Program,
    world: &World<'_>,
    m: MachineId,
) {
    let (mut marks, steps) = machine_steps(picture, program, world, m, |_| String::new());
    for step in steps {
        for (n, after) in step.nodes {
            marks.nodes[n] = after;
        }
        for (e, after) in step.edges {
            marks.edges[e] = after;
        }
    }
    for (node, after) in picture.nodes.iter_mut().zip(marks.nodes) {
        for mark in after {
            add_mark(&mut node.marks, mark);
        }
    }
    for (edge, after) in picture.edges.iter_mut().zip(marks.edges) {
        for mark in after {
            add_mark(&mut edge.marks, mark);
        }
    }
}

/// A machine run on its picture, step by step: the marks before the first step (nothing entered,
/// nothing taken) and a step per event of the world's trace (with its line, from `line`).
pub fn machine_steps(
    picture: &Picture,
    program: &Program,
    world: &World<'_>,
    m: MachineId,
    line: impl Fn(&MachineEvent) -> String,
) -> (Marks, Vec<Step>) {
    let run = machine_run(picture, program, world, m);
    let start = run.start(program.machine(m).states.len());
    let mut stepper = Stepper {
        now: start.clone(),
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    let mut current = None;
    let trace = world.trace.as_deref().unwrap_or(&[]);
    let mut steps = Vec::with_capacity(trace.len());
    for event in trace {
        run.apply(&mut stepper, &mut current, world, event);
        steps.push(stepper.step(line(event)));
    }
    (start, steps)
}
