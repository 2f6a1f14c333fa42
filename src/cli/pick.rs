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
    let workflow_named = |name: &str| {
        program
            .workflows
            .iter()
            .position(|w| w.name.as_str() == name)
    };
    let machine_named = |name: &str| {
        program
            .machines
            .iter()
            .position(|m| m.name.as_str() == name)
    };
    if let Some(name) = workflow {
        if let Some(i) = workflow_named(name) {
            return Ok(Some(ScenarioTarget::Workflow(WorkflowId::from_index(i))));
        }
        if machine_named(name).is_some() {
            return Err(Usage(format!(
                "no workflow is named `{name}`: `{name}` is a machine; use `--machine {name}`"
            )));
        }
        let names = program.workflows.iter().map(|w| w.name.as_str());
        return Err(Usage(format!(
            "no workflow is named `{name}`{}",
            hint(name, names)
        )));
    }
    if let Some(name) = machine {
        if let Some(i) = machine_named(name) {
            return Ok(Some(ScenarioTarget::Machine(MachineId::from_index(i))));
        }
        if workflow_named(name).is_some() {
            return Err(Usage(format!(
                "no machine is named `{name}`: `{name}` is a workflow; use `--workflow {name}`"
            )));
        }
        let names = program.machines.iter().map(|m| m.name.as_str());
        return Err(Usage(format!(
            "no machine is named `{name}`{}",
            hint(name, names)
        )));
    }
    Ok(None)
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
