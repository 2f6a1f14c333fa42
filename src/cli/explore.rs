//! `wfl explore`: every reachable end state, each with the run that reaches it.

use std::io::{self, Write};

use serde::Serialize;

use super::args::{ExploreArgs, Format};
use super::files::{Loaded, load_one, report_errors};
use super::output;
use super::simulate::{Usage, write_json};
use super::{EXIT_CLEAN, EXIT_USAGE};
use crate::analysis::explore::{self, Reached, Table};
use crate::analysis::workflow::Inputs;
use crate::model::{Link, LinkKind, Program, ScenarioTarget, Workflow, WorkflowId};

pub fn run(args: &ExploreArgs) -> u8 {
    let Loaded {
        source,
        checked,
        errors,
    } = match load_one(&args.file, "explore") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let program = match (&checked.program, errors.is_empty()) {
        (Some(program), true) => program,
        _ => return report_errors(args.format, args.color, source, &errors, "explored"),
    };
    let mut out = output::stdout(args.color);
    let target = match pick(program, args) {
        Ok(target) => target,
        Err(Usage(message)) => {
            output::error(&message);
            return EXIT_USAGE;
        }
    };
    let written = match target {
        ScenarioTarget::Workflow(w) => explore_workflow(args, &mut out, program, w),
        ScenarioTarget::Machine(m) => {
            super::explore_machine::run(args, &mut out, program, m, &source)
        }
    };
    match written {
        Err(err) if !output::is_closed_pipe(&err) => {
            output::error(&format!("cannot write the report: {err}"));
            EXIT_USAGE
        }
        _ => EXIT_CLEAN,
    }
}

fn pick(program: &Program, args: &ExploreArgs) -> Result<ScenarioTarget, Usage> {
    match super::pick::named(program, args.workflow.as_deref(), args.machine.as_deref())? {
        Some(target) => Ok(target),
        None => super::pick::only(program, "explore"),
    }
}

/// `set rows = 0; fail extract`, or `the plain run`.
pub fn witness_text(program: &Program, w: WorkflowId, inputs: &Inputs) -> String {
    let workflow = program.workflow(w);
    let mut parts: Vec<String> = inputs
        .vars
        .iter()
        .map(|&(v, value)| {
            let var = &workflow.vars[v.index()];
            let text = match var.ty {
                crate::model::Type::Bool => (value != 0).to_string(),
                crate::model::Type::Enum(id) => program
                    .enum_type(id)
                    .members
                    .get(usize::try_from(value).unwrap_or(0))
                    .map_or_else(|| value.to_string(), |m| m.as_str().to_owned()),
                _ => value.to_string(),
            };
            format!("set {} = {text}", var.name.as_str())
        })
        .collect();
    if !inputs.fail.is_empty() {
        let names: Vec<&str> = inputs
            .fail
            .iter()
            .map(|t| workflow.task(*t).name.as_str())
            .collect();
        parts.push(format!("fail {}", names.join(", ")));
    }
    if parts.is_empty() {
        "the plain run (defaults, nothing fails)".to_owned()
    } else {
        parts.join("; ")
    }
}

#[derive(Serialize)]
struct JsonTable {
    version: u32,
    workflow: String,
    complete: bool,
    /// Why the table is incomplete, when it is.
    incomplete: Option<String>,
    tasks: Vec<JsonItem>,
    links: Vec<JsonItem>,
    end_states: Vec<JsonReached>,
}

#[derive(Serialize)]
struct JsonItem {
    name: String,
    states: Vec<JsonReached>,
}

#[derive(Serialize)]
struct JsonReached {
    /// `null` for a link that never gets a state.
    state: Option<&'static str>,
    witness: JsonWitness,
}

#[derive(Serialize)]
struct JsonWitness {
    set: Vec<JsonSet>,
    fail: Vec<String>,
}

#[derive(Serialize)]
struct JsonSet {
    var: String,
    value: String,
}

fn json_witness(program: &Program, w: WorkflowId, inputs: &Inputs) -> JsonWitness {
    let workflow = program.workflow(w);
    let text = witness_text(
        program,
        w,
        &Inputs {
            vars: inputs.vars.clone(),
            fail: Vec::new(),
        },
    );
    let values: Vec<&str> = text.split("; ").collect();
    JsonWitness {
        set: inputs
            .vars
            .iter()
            .zip(values)
            .map(|(&(v, _), part)| JsonSet {
                var: workflow.vars[v.index()].name.as_str().to_owned(),
                value: part.rsplit(" = ").next().unwrap_or("").to_owned(),
            })
            .collect(),
        fail: inputs
            .fail
            .iter()
            .map(|t| workflow.task(*t).name.as_str().to_owned())
            .collect(),
    }
}

/// A link as `wfl explore` and `wfl test --coverage` name it: `extract -> load [on error]`.
pub fn link_name(workflow: &Workflow, link: &Link) -> String {
    let on_error = if link.kind == LinkKind::Error {
        " on error"
    } else {
        ""
    };
    format!(
        "{} -> {}{on_error}",
        workflow.task(link.source).name.as_str(),
        workflow.task(link.target).name.as_str()
    )
}

fn explore_workflow(
    args: &ExploreArgs,
    out: &mut impl Write,
    program: &Program,
    w: WorkflowId,
) -> io::Result<()> {
    let workflow = program.workflow(w);
    let link_name = |l: usize| link_name(workflow, &workflow.links[l]);
    let table = explore::explore(program, w);
    match args.format {
        Format::Json => {
            let json = match &table {
                Ok(table) => JsonTable {
                    version: 1,
                    workflow: workflow.name.as_str().to_owned(),
                    complete: true,
                    incomplete: None,
                    tasks: workflow
                        .tasks
                        .iter()
                        .zip(&table.tasks)
                        .map(|(t, states)| JsonItem {
                            name: t.name.as_str().to_owned(),
                            states: states
                                .iter()
                                .map(|r| JsonReached {
                                    state: Some(r.state.as_str()),
                                    witness: json_witness(program, w, &r.witness),
                                })
                                .collect(),
                        })
                        .collect(),
                    links: table
                        .links
                        .iter()
                        .enumerate()
                        .map(|(l, states)| JsonItem {
                            name: link_name(l),
                            states: states
                                .iter()
                                .map(|r| JsonReached {
                                    state: r.state.map(|s| s.as_str()),
                                    witness: json_witness(program, w, &r.witness),
                                })
                                .collect(),
                        })
                        .collect(),
                    end_states: table
                        .end_states
                        .iter()
                        .map(|r| JsonReached {
                            state: Some(r.state.as_str()),
                            witness: json_witness(program, w, &r.witness),
                        })
                        .collect(),
                },
                Err(why) => JsonTable {
                    version: 1,
                    workflow: workflow.name.as_str().to_owned(),
                    complete: false,
                    incomplete: Some(why.why()),
                    tasks: Vec::new(),
                    links: Vec::new(),
                    end_states: Vec::new(),
                },
            };
            write_json(out, &json)
        }
        Format::Human => {
            let table = match table {
                Ok(table) => table,
                Err(why) => {
                    return writeln!(
                        out,
                        "workflow `{}` was not explored: {}",
                        workflow.name.as_str(),
                        why.why()
                    );
                }
            };
            write_table(out, program, w, &table, &link_name)
        }
    }
}

fn write_table(
    out: &mut impl Write,
    program: &Program,
    w: WorkflowId,
    table: &Table,
    link_name: &dyn Fn(usize) -> String,
) -> io::Result<()> {
    let workflow = program.workflow(w);
    let how = if table.runs == 0 {
        "every outcome of every task and every value of every variable, analysed at once".to_owned()
    } else {
        format!(
            "every distinct end, from {} runs (it stops at its first failure)",
            table.runs
        )
    };
    writeln!(out, "workflow `{}`: {how}", workflow.name.as_str())?;
    writeln!(out, "each state with a run that reaches it")?;
    let rows = |out: &mut dyn Write,
                name: &str,
                states: Vec<(String, String)>,
                width: usize|
     -> io::Result<()> {
        for (k, (state, witness)) in states.iter().enumerate() {
            let label = if k == 0 { name } else { "" };
            writeln!(out, "  {label:<width$}  {state:<17} {witness}")?;
        }
        Ok(())
    };
    writeln!(out, "tasks:")?;
    let width = workflow
        .tasks
        .iter()
        .map(|t| t.name.as_str().len())
        .max()
        .unwrap_or(0);
    for (t, states) in table.tasks.iter().enumerate() {
        rows(
            out,
            workflow.tasks[t].name.as_str(),
            describe_all(program, w, states, |s| s.as_str().to_owned()),
            width,
        )?;
    }
    if !table.links.is_empty() {
        writeln!(out, "links:")?;
        let names: Vec<String> = (0..table.links.len()).map(link_name).collect();
        let width = names.iter().map(String::len).max().unwrap_or(0);
        for (l, states) in table.links.iter().enumerate() {
            let states = describe_all(program, w, states, |s| {
                s.map_or("(no state)".to_owned(), |s| s.as_str().to_owned())
            });
            rows(out, &names[l], states, width)?;
        }
    }
    writeln!(out, "end states:")?;
    let states = describe_all(program, w, &table.end_states, |s| s.as_str().to_owned());
    rows(out, "workflow", states, 8)
}

fn describe_all<S>(
    program: &Program,
    w: WorkflowId,
    states: &[Reached<S>],
    name: impl Fn(&S) -> String,
) -> Vec<(String, String)> {
    states
        .iter()
        .map(|r| (name(&r.state), witness_text(program, w, &r.witness)))
        .collect()
}
