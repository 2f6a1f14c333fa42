//! Which workflow or machine of a file a command works on: the one `--workflow NAME` or
//! `--machine NAME` names, or the file's only item. Shared by `wfl simulate` and `wfl explore`.

use super::simulate::{Usage, hint};
use crate::model::{MachineId, Program, ScenarioTarget, WorkflowId};

/// The item `--workflow` or `--machine` names (`workflow` first), if either is given. A name that
/// is an item of the other kind says which flag to use.
pub fn named(
    program: &Program,
    workflow: Option<&str>,
    machine: Option<&str>,
) -> Result<Option<ScenarioTarget>, Usage> {
    let workflows: Vec<&str> = program.workflows.iter().map(|w| w.name.as_str()).collect();
    let machines: Vec<&str> = program.machines.iter().map(|m| m.name.as_str()).collect();
    let (name, kind, names, other, others, make): (_, _, _, _, _, fn(usize) -> ScenarioTarget) =
        match (workflow, machine) {
            (Some(name), _) => (name, "workflow", &workflows, "machine", &machines, |i| {
                ScenarioTarget::Workflow(WorkflowId::from_index(i))
            }),
            (None, Some(name)) => (name, "machine", &machines, "workflow", &workflows, |i| {
                ScenarioTarget::Machine(MachineId::from_index(i))
            }),
            (None, None) => return Ok(None),
        };
    if let Some(i) = names.iter().position(|&n| n == name) {
        return Ok(Some(make(i)));
    }
    if others.contains(&name) {
        return Err(Usage(format!(
            "no {kind} is named `{name}`: `{name}` is a {other}; use `--{other} {name}`"
        )));
    }
    Err(Usage(format!(
        "no {kind} is named `{name}`{}",
        hint(name, names.iter().copied())
    )))
}

/// What a command with `--scenario` works on: `--workflow`, `--machine`, the scenario's target,
/// or the file's only item (`verb`: what the command does with it).
pub fn with_scenario(
    program: &Program,
    workflow: Option<&str>,
    machine: Option<&str>,
    scenario: Option<usize>,
    verb: &str,
) -> Result<ScenarioTarget, Usage> {
    let from_scenario = scenario
        .and_then(|s| program.scenarios.get(s))
        .map(|s| s.target);
    match (named(program, workflow, machine)?, from_scenario) {
        (Some(named), Some(target)) if named != target => Err(Usage(
            "the scenario is for another workflow or machine than the one named".to_owned(),
        )),
        (Some(target), _) | (None, Some(target)) => Ok(target),
        (None, None) => only(program, verb),
    }
}

/// The file's only workflow or machine; with several, an error that lists them. `verb` is what the
/// command does with it (`simulate`, `explore`).
pub fn only(program: &Program, verb: &str) -> Result<ScenarioTarget, Usage> {
    match (program.workflows.as_slice(), program.machines.as_slice()) {
        ([_], []) => Ok(ScenarioTarget::Workflow(WorkflowId(0))),
        ([], [_]) => Ok(ScenarioTarget::Machine(MachineId(0))),
        ([], []) => Err(Usage(format!(
            "the file has no workflow or machine to {verb}"
        ))),
        (workflows, machines) => {
            let names: Vec<String> = workflows
                .iter()
                .map(|w| format!("workflow `{}`", w.name.as_str()))
                .chain(
                    machines
                        .iter()
                        .map(|m| format!("machine `{}`", m.name.as_str())),
                )
                .collect();
            Err(Usage(format!(
                "the file has several items to {verb} ({}): choose one with `--workflow NAME` or `--machine NAME`",
                crate::diagnostic::join_listed(names.iter(), ", ")
            )))
        }
    }
}
