//! `wfl explore` for workflows: every end state each task and each link can reach, and the
//! workflow's possible end states, each with a witness run that the interpreter has replayed.
//!
//! With `continue_on_failure = true` the states come from the symbolic analysis. With
//! `continue_on_failure = false` the states a halt leaves behind depend on timing, so the runs are
//! enumerated instead: for each combination of the variables' value classes, the run in which
//! nothing fails, and for each task that runs, the run in which it is the first to fail (with,
//! for the tasks still running then, the run in which they fail too). That is every distinct end.

use super::machine_findings::DEFAULT_LIMITS;
use super::workflow::{Incomplete, Inputs, Symbolic};
use crate::model::{LinkState, Program, TaskId, TaskState, WorkflowId, WorkflowState};
use crate::sim::trace::{Event, EventKind};
use crate::sim::workflow::{Compiled, Inputs as RunInputs, Outcome};

/// At most this many runs are enumerated for a workflow that stops at the first failure.
pub const MAX_RUNS: usize = 200_000;

/// One reachable end state and a run that reaches it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reached<S> {
    pub state: S,
    pub witness: Inputs,
}

/// What `wfl explore` shows for a workflow.
#[derive(Clone, Debug)]
pub struct Table {
    pub workflow: WorkflowId,
    pub tasks: Vec<Vec<Reached<TaskState>>>,
    /// `None` (inside) for "never gets a state".
    pub links: Vec<Vec<Reached<Option<LinkState>>>>,
    pub end_states: Vec<Reached<WorkflowState>>,
    /// Runs enumerated (0 when the table came from the symbolic analysis).
    pub runs: usize,
}

pub fn explore(program: &Program, id: WorkflowId) -> Result<Table, Incomplete> {
    let workflow = program.workflow(id);
    let compiled = Compiled::new(workflow, program).map_err(|_| Incomplete::Internal)?;
    let mut s = Symbolic::new(
        program,
        id,
        super::workflow::budget(DEFAULT_LIMITS.max_bytes),
    )?;
    let mut table = Table {
        workflow: id,
        tasks: vec![Vec::new(); workflow.tasks.len()],
        links: vec![Vec::new(); workflow.links.len()],
        end_states: Vec::new(),
        runs: 0,
    };
    if workflow.continue_on_failure {
        symbolic(&mut s, &compiled, &mut table)?;
    } else {
        enumerate(&s, &compiled, &mut table)?;
    }
    for list in &mut table.tasks {
        list.sort_by_key(|r| r.state);
    }
    for list in &mut table.links {
        list.sort_by_key(|r| r.state);
    }
    table.end_states.sort_by_key(|r| r.state);
    Ok(table)
}

fn run(compiled: &Compiled, inputs: &Inputs, trace: Option<&mut Vec<Event>>) -> Outcome {
    let run = RunInputs {
        vars: inputs.vars.clone(),
        fail: inputs.fail.clone(),
        ..RunInputs::default()
    };
    compiled.run(&run, &[], trace)
}

/// Records every state `outcome` shows that the table does not have yet.
fn record(table: &mut Table, outcome: &Outcome, inputs: &Inputs) {
    for (t, &state) in outcome.tasks.iter().enumerate() {
        if !table.tasks[t].iter().any(|r| r.state == state) {
            table.tasks[t].push(Reached {
                state,
                witness: inputs.clone(),
            });
        }
    }
    for (l, &state) in outcome.links.iter().enumerate() {
        if !table.links[l].iter().any(|r| r.state == state) {
            table.links[l].push(Reached {
                state,
                witness: inputs.clone(),
            });
        }
    }
    if !table.end_states.iter().any(|r| r.state == outcome.workflow) {
        table.end_states.push(Reached {
            state: outcome.workflow,
            witness: inputs.clone(),
        });
    }
}

fn symbolic(
    s: &mut Symbolic<'_>,
    compiled: &Compiled,
    table: &mut Table,
) -> Result<(), Incomplete> {
    // The run with nothing set and nothing failing shows NOT_RUN, inactive links and the end.
    let plain = Inputs::default();
    let outcome = run(compiled, &plain, None);
    record(table, &outcome, &plain);
    for t in 0..s.tasks.len() {
        let Some(fns) = s.tasks[t] else { continue };
        for f in [fns.ok, fns.failed, fns.skipped, fns.skipped_failure] {
            if let Some(inputs) = s.witness(f)? {
                record(table, &run(compiled, &inputs, None), &inputs);
            }
        }
    }
    for l in 0..s.links.len() {
        let Some(fns) = s.links[l] else { continue };
        for f in [fns.accepted, fns.rejected, fns.skipped, fns.skipped_failure] {
            if let Some(inputs) = s.witness(f)? {
                record(table, &run(compiled, &inputs, None), &inputs);
            }
        }
    }
    Ok(())
}

fn enumerate(s: &Symbolic<'_>, compiled: &Compiled, table: &mut Table) -> Result<(), Incomplete> {
    let sizes: Vec<usize> = s.domains.iter().map(|d| d.values.len()).collect();
    let combinations = sizes
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n.max(1)));
    let n = s.workflow.tasks.len();
    let budget = combinations.and_then(|c| c.checked_mul(n + 1));
    if budget.is_none_or(|b| b > MAX_RUNS) {
        return Err(Incomplete::NotSplittable(format!(
            "its variables have too many combinations to enumerate the runs of a workflow that stops \
             at its first failure (more than {MAX_RUNS} runs)"
        )));
    }
    let mut index = vec![0usize; sizes.len()];
    loop {
        let vars = s
            .domains
            .iter()
            .zip(&index)
            .filter(|&(d, &i)| i != d.default)
            .map(|(d, &i)| (d.var, d.values[i]))
            .collect::<Vec<_>>();
        let base = Inputs {
            vars: vars.clone(),
            fail: Vec::new(),
        };
        let outcome = run(compiled, &base, None);
        table.runs += 1;
        record(table, &outcome, &base);
        // Single failures first, so a state has the shortest witness; then, for the tasks that
        // were still running when the first failure stopped the run, that one failing too.
        let mut pairs = Vec::new();
        for (f, &state) in outcome.tasks.iter().enumerate() {
            if state != TaskState::FINISHED_OK {
                continue;
            }
            let first = Inputs {
                vars: vars.clone(),
                fail: vec![TaskId::from_index(f)],
            };
            let mut trace = Vec::new();
            let halted = run(compiled, &first, Some(&mut trace));
            table.runs += 1;
            record(table, &halted, &first);
            let halt = trace.iter().find_map(|e| match e.kind {
                EventKind::Task {
                    task,
                    to: TaskState::FINISHED_FAILURE,
                    ..
                } if task.index() == f => Some(e.tick),
                _ => None,
            });
            pairs.extend(trace.iter().filter_map(|e| match e.kind {
                EventKind::Task {
                    task,
                    to: TaskState::FINISHED_OK,
                    ..
                } if halt.is_some_and(|h| e.tick > h) => Some((f, task.index())),
                _ => None,
            }));
        }
        for (f, t) in pairs {
            if table.tasks[t]
                .iter()
                .any(|r| r.state == TaskState::FINISHED_FAILURE)
            {
                continue;
            }
            let both = Inputs {
                vars: vars.clone(),
                fail: vec![TaskId::from_index(f), TaskId::from_index(t)],
            };
            let outcome = run(compiled, &both, None);
            table.runs += 1;
            record(table, &outcome, &both);
        }
        // The next combination (odometer order).
        let mut k = 0;
        loop {
            if k == index.len() {
                return Ok(());
            }
            index[k] += 1;
            if index[k] < sizes[k] {
                break;
            }
            index[k] = 0;
            k += 1;
        }
    }
}
