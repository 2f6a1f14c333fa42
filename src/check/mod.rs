//! Structural checks on a resolved program: graph facts that hold whatever the guards, conditions
//! and outcomes are. One file per rule; each adds its findings to the list and never stops early.
//!
//! The checks run only on a program that resolved without errors: on a partial program they would
//! report the consequences of a mistake already reported.

mod dead_end_state;
mod event_origin;
mod history_without_earlier_state;
mod link_cycle;
mod lone_name;
mod machine_graph;
mod missing_initial;
mod not_run_task;
mod scenario_without_expect;
mod transient_without_exit;
mod transition_from_final;
mod unhandled_event;
mod unknown_actor;
mod unreachable_state;
mod unused;
mod unused_declaration;
mod usage;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::suggest::Suggester;
use crate::model::Program;

pub use usage::Usage;

/// What every rule may read: the program and the facts several rules share.
pub struct Context<'p> {
    pub program: &'p Program,
    pub usage: Usage,
    pub graphs: Vec<machine_graph::MachineGraph>,
    /// Each workflow's tasks and links (edge ids are link ids).
    pub workflow_graphs: Vec<crate::graph::Graph>,
    /// Did-you-mean for the file's findings, within its budget.
    pub suggest: Suggester,
}

/// Runs every structural rule over `program`, then (when they found no error) the semantic
/// analysis, exploring machines within `exploration`.
pub fn check(program: &Program, exploration: crate::analysis::machine::Limits) -> Vec<Diagnostic> {
    let mut out = structural(program);
    // The semantic analysis reasons about runs: only for a program whose structure is sound.
    if !out.iter().any(Diagnostic::is_error) {
        let budget = crate::analysis::workflow::budget(exploration.max_bytes);
        crate::analysis::check(program, budget, &mut out);
        crate::analysis::machine_findings::check(program, exploration, &mut out);
    }
    out
}

/// The structural rules alone, without the semantic analysis: what `wfl lsp` shows first, in
/// linear time, before the analysis (which may explore machines) has run.
pub fn structural(program: &Program) -> Vec<Diagnostic> {
    let cx = Context {
        program,
        usage: Usage::of(program),
        graphs: program
            .machines
            .iter()
            .map(machine_graph::MachineGraph::new)
            .collect(),
        workflow_graphs: program.workflows.iter().map(workflow_graph).collect(),
        suggest: Suggester::for_file(size_of(program)),
    };
    let rules: &[fn(&Context, &mut Vec<Diagnostic>)] = &[
        link_cycle::check,
        not_run_task::check,
        missing_initial::check,
        unreachable_state::check,
        dead_end_state::check,
        transient_without_exit::check,
        transition_from_final::check,
        history_without_earlier_state::check,
        unused::check,
        unused_declaration::check,
        event_origin::check,
        unhandled_event::check,
        unknown_actor::check,
        lone_name::check,
        scenario_without_expect::check,
    ];
    let mut out = Vec::new();
    for rule in rules {
        rule(&cx, &mut out);
    }
    out
}

/// The file's size, as far as the program knows it: where its last item ends.
pub(super) fn size_of(program: &Program) -> usize {
    let workflows = program.workflows.iter().map(|w| w.span);
    let machines = program.machines.iter().map(|m| m.span);
    let scenarios = program.scenarios.iter().map(|s| s.span);
    let ends = workflows.chain(machines).chain(scenarios).map(|s| s.end);
    ends.max().map_or(0, |end| end as usize)
}

fn workflow_graph(workflow: &crate::model::Workflow) -> crate::graph::Graph {
    let links = workflow.links.iter().enumerate();
    crate::graph::Graph::new(
        workflow.tasks.len(),
        links.map(|(i, l)| (l.source.index(), l.target.index(), i)),
    )
}
