//! `wfl test --coverage`: what the scenarios exercised, of what the analysis finds possible.
//!
//! A *behaviour* is an end state a task reaches, a state a link takes, a state a machine enters or
//! a transition it takes. For each workflow and machine of a file, the behaviours that some run
//! can show are those the analysis finds (`wfl explore`'s tables, the bounds of `wfl check`); a
//! behaviour it proves impossible is not counted as missing. When the analysis cannot say (a
//! workflow it cannot make exact, a machine explored in part), the item is listed as not measured
//! and left out of the totals. Groups of children break a machine's figures down by the
//! `children` declaration their instances were created by.

use std::io::{self, Write};

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::explore::link_name;
use super::explore_machine::transition_name;
use crate::analysis::explore;
use crate::analysis::machine::{Limits, explore as explore_machine};
use crate::analysis::machine_findings::stop_text;
use crate::diagnostic::bound::shorten_line;
use crate::diagnostic::render::line_text;
use crate::model::{
    LinkState, MachineId, Program, ScenarioTarget, StateId, TaskState, TransitionId, WorkflowId,
};
use crate::sim::coverage::MachineVisits;
use crate::sim::scenario::ScenarioResult;
use crate::source::Source;

/// The coverage of one file's workflows and machines.
#[derive(Debug, Serialize)]
pub struct FileCoverage {
    pub file: String,
    /// Why nothing in the file was measured (it has errors), when nothing was.
    pub not_measured: Option<String>,
    pub units: Vec<Unit>,
}

impl FileCoverage {
    /// A file with errors: nothing ran, nothing is measured.
    pub fn with_errors(file: &str) -> FileCoverage {
        FileCoverage {
            file: file.to_owned(),
            not_measured: Some("the file has errors".to_owned()),
            units: Vec::new(),
        }
    }
}

/// A workflow, a machine, or a group of a machine's children.
#[derive(Debug, Serialize)]
pub struct Unit {
    /// `"workflow"`, `"machine"` or `"children"`.
    pub kind: &'static str,
    /// The workflow's or machine's name; for children, `PARENT.GROUP`.
    pub name: String,
    /// For children, their machine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// Why the analysis could not say what is possible, when it could not: then the unit is not
    /// counted in the totals, and `items` holds only what the scenarios did.
    pub not_measured: Option<String>,
    pub covered: usize,
    pub total: usize,
    pub items: Vec<Item>,
}

/// One behaviour.
#[derive(Debug, Serialize)]
pub struct Item {
    /// `"task"`, `"link"`, `"state"` or `"transition"`.
    pub kind: &'static str,
    /// The task, the link (`a -> b`), the state or the transition (`A -> B on go`).
    pub name: String,
    /// For a task or a link, the end state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<&'static str>,
    /// The line of its declaration, 1-based.
    pub line: usize,
    /// The runs that ended so (tasks, links), the times entered or taken (machines).
    pub hits: u64,
}

impl Unit {
    fn new(
        kind: &'static str,
        name: String,
        not_measured: Option<String>,
        items: Vec<Item>,
    ) -> Unit {
        let measured = not_measured.is_none();
        Unit {
            kind,
            name,
            machine: None,
            not_measured,
            covered: if measured {
                items.iter().filter(|i| i.hits > 0).count()
            } else {
                0
            },
            total: if measured { items.len() } else { 0 },
            items,
        }
    }
}

/// Covered and total behaviours of the units counted: workflows and machines (groups of children
/// break a machine down, and are not counted again).
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Totals {
    pub covered: usize,
    pub total: usize,
    /// `covered / total` in percent, 100 when there is nothing to cover.
    pub percent: f64,
}

impl Totals {
    pub fn of<'a>(files: impl IntoIterator<Item = &'a FileCoverage>) -> Totals {
        let (covered, total) = files
            .into_iter()
            .flat_map(|f| &f.units)
            .filter(|u| u.kind != "children")
            .fold((0, 0), |(c, t), u| (c + u.covered, t + u.total));
        Totals {
            covered,
            total,
            percent: percent(covered, total),
        }
    }
}

fn percent(covered: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        // Rounded down to a tenth, so that 99.96% is not shown as 100.0%.
        (covered as f64 * 1000.0 / total as f64).floor() / 10.0
    }
}

/// The coverage of `program` (the file `source`) by the scenario runs `results`.
pub fn of_file(
    program: &Program,
    results: &[&ScenarioResult],
    source: &Source,
    limits: Limits,
) -> FileCoverage {
    let line = |offset: u32| source.line_col(offset as usize).line;
    let mut units = Vec::new();
    for w in (0..program.workflows.len()).map(WorkflowId::from_index) {
        units.push(workflow_unit(program, w, results, &line));
    }
    let machines = crate::sim::compile_machines(program).ok();
    let mut visits = MachineVisits::default();
    for result in results {
        if let Some(v) = &result.visits {
            for (key, n) in &v.entered {
                *visits.entered.entry(*key).or_default() += n;
            }
            for (key, n) in &v.taken {
                *visits.taken.entry(*key).or_default() += n;
            }
        }
    }
    // Each machine explored once, as the root of its world: what it can do as anyone's child too.
    let possible: Vec<Result<Possible, String>> = (0..program.machines.len())
        .map(|m| possible_of(program, machines.as_ref(), MachineId::from_index(m), limits))
        .collect();
    for m in (0..program.machines.len()).map(MachineId::from_index) {
        let Some(possible_here) = possible.get(m.index()) else {
            continue;
        };
        let machine = program.machine(m);
        units.push(machine_unit(
            program,
            m,
            "machine",
            machine.name.as_str().to_owned(),
            possible_here,
            &visits,
            |_| true,
            &line,
        ));
        // Its groups of children, each with the possible behaviours of the children's machine.
        for (c, children) in machine.children.iter().enumerate() {
            let group = crate::model::ChildrenId::from_index(c);
            let child = children.machine;
            let Some(child_possible) = possible.get(child.index()) else {
                continue;
            };
            let mut unit = machine_unit(
                program,
                child,
                "children",
                format!("{}.{}", machine.name.as_str(), children.name.as_str()),
                child_possible,
                &visits,
                |owner| owner.group == Some((m, group)),
                &line,
            );
            unit.machine = Some(program.machine(child).name.as_str().to_owned());
            units.push(unit);
        }
    }
    FileCoverage {
        file: source.name().to_owned(),
        not_measured: None,
        units,
    }
}

/// What a machine's runs can do, as the exploration of it as a root finds.
struct Possible {
    states: Vec<bool>,
    transitions: Vec<bool>,
}

fn possible_of(
    program: &Program,
    compiled: Option<&crate::sim::machine::Compiled>,
    m: MachineId,
    limits: Limits,
) -> Result<Possible, String> {
    let compiled = compiled.ok_or_else(|| "it could not be compiled".to_owned())?;
    let x = explore_machine(program, compiled, m, limits);
    if !x.complete() {
        return Err(format!(
            "its exploration is incomplete: {}",
            stop_text(program, &x).unwrap_or_else(|| "not every move could be tried".to_owned())
        ));
    }
    Ok(Possible {
        states: x.reached[m.index()].iter().map(Option::is_some).collect(),
        transitions: x.taken[m.index()].iter().map(Option::is_some).collect(),
    })
}

fn workflow_unit(
    program: &Program,
    w: WorkflowId,
    results: &[&ScenarioResult],
    line: &impl Fn(u32) -> usize,
) -> Unit {
    let workflow = program.workflow(w);
    let mut task_hits: FxHashMap<(usize, TaskState), u64> = FxHashMap::default();
    let mut link_hits: FxHashMap<(usize, LinkState), u64> = FxHashMap::default();
    for result in results {
        let ours = program
            .scenarios
            .get(result.scenario)
            .is_some_and(|s| s.target == ScenarioTarget::Workflow(w));
        let Some((outcome, _)) = result.run.as_ref().filter(|_| ours) else {
            continue;
        };
        for (t, state) in outcome.tasks.iter().enumerate() {
            *task_hits.entry((t, *state)).or_default() += 1;
        }
        for (l, state) in outcome.links.iter().enumerate() {
            if let Some(state) = state {
                *link_hits.entry((l, *state)).or_default() += 1;
            }
        }
    }
    let table = explore::explore(program, w);
    let mut items = Vec::new();
    for (t, task) in workflow.tasks.iter().enumerate() {
        let possible = |s: TaskState| {
            table
                .as_ref()
                .is_ok_and(|table| table.tasks[t].iter().any(|r| r.state == s))
        };
        for &state in TaskState::ALL {
            let hits = task_hits.get(&(t, state)).copied().unwrap_or(0);
            if hits > 0 || possible(state) {
                items.push(Item {
                    kind: "task",
                    name: task.name.as_str().to_owned(),
                    state: Some(state.as_str()),
                    line: line(task.name.span.start),
                    hits,
                });
            }
        }
    }
    for (l, link) in workflow.links.iter().enumerate() {
        let possible = |s: LinkState| {
            table
                .as_ref()
                .is_ok_and(|table| table.links[l].iter().any(|r| r.state == Some(s)))
        };
        for &state in LinkState::ALL {
            let hits = link_hits.get(&(l, state)).copied().unwrap_or(0);
            if hits > 0 || possible(state) {
                items.push(Item {
                    kind: "link",
                    name: link_name(workflow, link),
                    state: Some(state.as_str()),
                    line: line(link.span.start),
                    hits,
                });
            }
        }
    }
    let not_measured = table
        .err()
        .map(|why| format!("the analysis cannot make it exact: {}", why.why()));
    Unit::new(
        "workflow",
        workflow.name.as_str().to_owned(),
        not_measured,
        items,
    )
}

#[allow(clippy::too_many_arguments)]
fn machine_unit(
    program: &Program,
    m: MachineId,
    kind: &'static str,
    name: String,
    possible: &Result<Possible, String>,
    visits: &MachineVisits,
    counts: impl Fn(&crate::sim::coverage::Owner) -> bool,
    line: &impl Fn(u32) -> usize,
) -> Unit {
    let machine = program.machine(m);
    let mut entered: FxHashMap<StateId, u64> = FxHashMap::default();
    for ((owner, state), n) in &visits.entered {
        if owner.machine == m && counts(owner) {
            *entered.entry(*state).or_default() += u64::from(*n);
        }
    }
    let mut taken: FxHashMap<TransitionId, u64> = FxHashMap::default();
    for ((owner, transition), n) in &visits.taken {
        if owner.machine == m && counts(owner) {
            *taken.entry(*transition).or_default() += u64::from(*n);
        }
    }
    let possible_state = |s: StateId| {
        possible
            .as_ref()
            .is_ok_and(|p| p.states.get(s.index()).copied().unwrap_or(false))
    };
    let possible_transition = |t: usize| {
        possible
            .as_ref()
            .is_ok_and(|p| p.transitions.get(t).copied().unwrap_or(false))
    };
    let mut items = Vec::new();
    for s in machine.state_ids() {
        let hits = entered.get(&s).copied().unwrap_or(0);
        if hits > 0 || possible_state(s) {
            let state = machine.state(s);
            items.push(Item {
                kind: "state",
                name: state.name.as_str().to_owned(),
                state: None,
                line: line(state.name.span.start),
                hits,
            });
        }
    }
    for (t, transition) in machine.transitions.iter().enumerate() {
        let id = TransitionId::from_index(t);
        let hits = taken.get(&id).copied().unwrap_or(0);
        if hits > 0 || possible_transition(t) {
            items.push(Item {
                kind: "transition",
                name: transition_name(program, m, id),
                state: None,
                line: line(transition.span.start),
                hits,
            });
        }
    }
    Unit::new(kind, name, possible.as_ref().err().cloned(), items)
}

/// The human table: per file, a line per unit with its figures, a line per behaviour not
/// covered; then the totals.
pub fn write_human(out: &mut impl Write, files: &[FileCoverage]) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "coverage: the behaviours the scenarios exercised, of those the analysis finds possible"
    )?;
    for file in files {
        match &file.not_measured {
            Some(why) => writeln!(out, "{}: not measured ({why})", shown(&file.file))?,
            None if file.units.is_empty() => continue,
            None => writeln!(out, "{}", shown(&file.file))?,
        }
        for unit in &file.units {
            let indent = if unit.kind == "children" {
                "    "
            } else {
                "  "
            };
            let what = match &unit.machine {
                Some(machine) => format!("children {} ({machine})", shown(&unit.name)),
                None => format!("{} {}", unit.kind, shown(&unit.name)),
            };
            match &unit.not_measured {
                Some(why) => writeln!(out, "{indent}{what}: not measured ({why})")?,
                None => writeln!(
                    out,
                    "{indent}{what}: {}/{} ({:.1}%)",
                    unit.covered,
                    unit.total,
                    percent(unit.covered, unit.total)
                )?,
            }
            if unit.not_measured.is_some() || unit.kind == "children" {
                continue;
            }
            for item in unit.items.iter().filter(|i| i.hits == 0) {
                writeln!(
                    out,
                    "{indent}  not covered: {} `{}`{} (line {})",
                    item.kind,
                    shown(&item.name),
                    item.state.map_or_else(String::new, |s| format!(" {s}")),
                    item.line
                )?;
            }
        }
    }
    let totals = Totals::of(files);
    writeln!(
        out,
        "coverage: {} of {} behaviours ({:.1}%)",
        totals.covered, totals.total, totals.percent
    )
}

fn shown(text: &str) -> String {
    line_text(&shorten_line(text)).into_owned()
}

/// LCOV, as `genhtml` and the coverage services read it: a record per file, each behaviour
/// counted on the line of its declaration. A line is covered when every behaviour on it is (its
/// hit count is the least of theirs); each behaviour is also a branch of its line (`BRDA`), so
/// that a task with one end state of two covered shows as a half-taken line. Units not measured
/// are left out.
pub fn write_lcov(out: &mut impl Write, files: &[FileCoverage]) -> io::Result<()> {
    for file in files {
        let mut lines: std::collections::BTreeMap<usize, Vec<&Item>> = Default::default();
        for unit in file.units.iter().filter(|u| u.not_measured.is_none()) {
            if unit.kind == "children" {
                continue;
            }
            for item in &unit.items {
                lines.entry(item.line).or_default().push(item);
            }
        }
        if lines.is_empty() {
            // Nothing measured: a record without lines is one some readers refuse.
            continue;
        }
        writeln!(out, "TN:")?;
        writeln!(out, "SF:{}", lcov_path(&file.file))?;
        let (mut branches, mut taken) = (0, 0);
        for (line, items) in &lines {
            for (k, item) in items.iter().enumerate() {
                writeln!(out, "BRDA:{line},0,{k},{}", item.hits)?;
                branches += 1;
                taken += usize::from(item.hits > 0);
            }
        }
        writeln!(out, "BRF:{branches}")?;
        writeln!(out, "BRH:{taken}")?;
        let mut hit = 0;
        for (line, items) in &lines {
            let count = items.iter().map(|i| i.hits).min().unwrap_or(0);
            hit += usize::from(count > 0);
            writeln!(out, "DA:{line},{count}")?;
        }
        writeln!(out, "LF:{}", lines.len())?;
        writeln!(out, "LH:{hit}")?;
        writeln!(out, "end_of_record")?;
    }
    Ok(())
}

/// A file name on an LCOV line: without line breaks, which would end the record's line.
fn lcov_path(name: &str) -> String {
    line_text(name).into_owned()
}
