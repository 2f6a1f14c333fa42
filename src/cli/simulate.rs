//! `wfl simulate`: one run with its trace and final states, or many random runs counted.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::args::{Format, SimulateArgs, SimulateFormat};
use super::files::{Loaded, load_one, report_errors};
use super::output;
use super::{EXIT_CLEAN, EXIT_USAGE};
use crate::diagnostic::suggest::did_you_mean;
use crate::model::{
    Program, ScenarioTarget, TaskId, TaskState, Type, VarId, Workflow, WorkflowId, WorkflowState,
};
use crate::sim::random::{self, Stats};
use crate::sim::render::{JsonEvent, JsonOutcome, Namer};
use crate::sim::scenario;
use crate::sim::workflow::{Compiled, Inputs};
use crate::source::Source;

/// A usage error: one line on standard error, exit 2.
pub struct Usage(pub String);

pub fn run(args: &SimulateArgs) -> u8 {
    let Loaded {
        source,
        checked,
        errors,
    } = match load_one(&args.file, "simulate") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let program = match (&checked.program, errors.is_empty()) {
        (Some(program), true) => program,
        _ => return report_errors(args.format.text(), args.color, source, &errors, "run"),
    };
    match simulate(args, program, &source) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) if output::is_closed_pipe(&err) => EXIT_CLEAN,
        Ok(Err(err)) => {
            output::error(&format!("cannot write the report: {err}"));
            EXIT_USAGE
        }
        Err(Usage(message)) => {
            output::error(&message);
            EXIT_USAGE
        }
    }
}

/// Runs what the arguments say; the exit status (1 when the run hit an error) or a usage error.
fn simulate(
    args: &SimulateArgs,
    program: &Program,
    source: &Source,
) -> Result<io::Result<u8>, Usage> {
    let scenario = match &args.scenario {
        Some(wanted) => Some(find_scenario(program, wanted)?),
        None => None,
    };
    let target = pick_target(program, args, scenario)?;
    check_flags(args, target)?;
    if args.format == SimulateFormat::Html && (args.runs.is_some() || args.interactive) {
        return Err(Usage(
            "`--format html` shows one run: leave out `--runs` and `--interactive`".to_owned(),
        ));
    }
    let w = match target {
        ScenarioTarget::Workflow(w) => w,
        ScenarioTarget::Machine(m) => {
            return super::simulate_machine::run(args, program, m, scenario, source);
        }
    };
    let workflow = program.workflow(w);
    let compiled = compiled_workflow(program, w)?;
    let mut inputs = match scenario {
        Some(s) => scenario::inputs(&program.scenarios[s]),
        None => Inputs::default(),
    };
    add_flags(args, program, workflow, &mut inputs)?;
    let mut out = output::stdout(args.color);
    let written = match args.runs {
        Some(runs) => random_runs(args, &mut out, workflow, &compiled, &inputs, runs),
        None => one_run(
            args,
            &mut out,
            program,
            workflow,
            &compiled,
            &inputs,
            source.text(),
        ),
    };
    Ok(written.map(|()| EXIT_CLEAN))
}

/// Workflow `w` compiled; a workflow the compiler cannot handle is an internal error.
pub fn compiled_workflow(program: &Program, w: WorkflowId) -> Result<Compiled, Usage> {
    crate::sim::compile(program)
        .map_err(|d| Usage(d.message))?
        .into_iter()
        .nth(w.index())
        .ok_or_else(|| Usage("internal error: the workflow was not compiled".to_owned()))
}

/// Options for the other kind of item are a mistake, not something to ignore.
fn check_flags(args: &SimulateArgs, target: ScenarioTarget) -> Result<(), Usage> {
    let workflow_only = [
        ("--fail", !args.fail.is_empty()),
        ("--duration", !args.duration.is_empty()),
        ("--start-from", !args.start_from.is_empty()),
        ("--stop-at", args.stop_at.is_some()),
        ("--kill-at", args.kill_at.is_some()),
        ("--runs", args.runs.is_some()),
    ];
    let machine_only = [
        ("--spawn", !args.spawn.is_empty()),
        ("--events", args.events.is_some()),
        ("--interactive", args.interactive),
    ];
    let (wrong, kind) = match target {
        ScenarioTarget::Workflow(_) => {
            (machine_only.iter().find(|(_, given)| *given), "a workflow")
        }
        ScenarioTarget::Machine(_) => (workflow_only.iter().find(|(_, given)| *given), "a machine"),
    };
    match wrong {
        Some((flag, _)) => Err(Usage(format!("`{flag}` does not apply to {kind}"))),
        None => Ok(()),
    }
}

pub fn find_scenario(program: &Program, wanted: &str) -> Result<usize, Usage> {
    if let Some(i) = program
        .scenarios
        .iter()
        .position(|s| s.name.as_str() == wanted)
    {
        return Ok(i);
    }
    let names = program.scenarios.iter().map(|s| s.name.as_str());
    Err(Usage(format!(
        "no scenario is named \"{wanted}\"{}",
        hint(wanted, names)
    )))
}

/// What to run: `--workflow`, `--machine`, the scenario's target, or the file's only item.
fn pick_target(
    program: &Program,
    args: &SimulateArgs,
    scenario: Option<usize>,
) -> Result<ScenarioTarget, Usage> {
    super::pick::with_scenario(
        program,
        args.workflow.as_deref(),
        args.machine.as_deref(),
        scenario,
        "simulate",
    )
}

/// `--set`, `--fail`, `--duration`, `--start-from`, `--stop-at`, `--kill-at`, on top of a
/// scenario's configuration.
fn add_flags(
    args: &SimulateArgs,
    program: &Program,
    workflow: &Workflow,
    inputs: &mut Inputs,
) -> Result<(), Usage> {
    for set in &args.set {
        let (var, value) = set
            .split_once('=')
            .ok_or_else(|| Usage(format!("`--set {set}`: write `--set VAR=VALUE`")))?;
        let (v, ty) = find_var(workflow, var.trim())?;
        let value = parse_value(program, ty, value.trim())
            .map_err(|expected| Usage(format!("`--set {set}`: `{}` is {expected}", var.trim())))?;
        inputs.vars.retain(|(other, _)| *other != v);
        inputs.vars.push((v, value));
    }
    for task in &args.fail {
        inputs
            .fail
            .push(find_task(workflow, task.trim(), "--fail")?);
    }
    for duration in &args.duration {
        let (task, ticks) = duration.split_once('=').ok_or_else(|| {
            Usage(format!(
                "`--duration {duration}`: write `--duration TASK=TICKS`"
            ))
        })?;
        let task = find_task(workflow, task.trim(), "--duration")?;
        let ticks: u32 = ticks
            .trim()
            .parse()
            .ok()
            .filter(|&t| t >= 1)
            .ok_or_else(|| {
                Usage(format!(
                    "`--duration {duration}`: ticks must be a whole number from 1 to {}",
                    u32::MAX
                ))
            })?;
        inputs.durations.push((task, ticks));
    }
    if !args.start_from.is_empty() {
        let tasks: Result<Vec<TaskId>, Usage> = args
            .start_from
            .iter()
            .map(|t| find_task(workflow, t.trim(), "--start-from"))
            .collect();
        inputs.start_from = Some(tasks?);
    }
    if args.stop_at.is_some() {
        inputs.stop_at = args.stop_at;
    }
    if args.kill_at.is_some() {
        inputs.kill_at = args.kill_at;
    }
    Ok(())
}

fn find_var(workflow: &Workflow, name: &str) -> Result<(VarId, Type), Usage> {
    match workflow.vars.iter().position(|v| v.name.as_str() == name) {
        Some(i) => Ok((VarId::from_index(i), workflow.vars[i].ty)),
        None => {
            let names = workflow.vars.iter().map(|v| v.name.as_str());
            Err(Usage(format!(
                "`--set`: workflow `{}` has no variable `{name}`{}",
                workflow.name.as_str(),
                hint(name, names)
            )))
        }
    }
}

fn find_task(workflow: &Workflow, name: &str, flag: &str) -> Result<TaskId, Usage> {
    match workflow.tasks.iter().position(|t| t.name.as_str() == name) {
        Some(i) => Ok(TaskId::from_index(i)),
        None => {
            let names = workflow.tasks.iter().map(|t| t.name.as_str());
            Err(Usage(format!(
                "`{flag}`: workflow `{}` has no task `{name}`{}",
                workflow.name.as_str(),
                hint(name, names)
            )))
        }
    }
}

/// A value of type `ty` as written on the command line; the words for the type when it is not one.
pub fn parse_value(program: &Program, ty: Type, text: &str) -> Result<i64, String> {
    match ty {
        Type::Bool => match text {
            "true" => Ok(1),
            "false" => Ok(0),
            _ => Err("a bool: write `true` or `false`".to_owned()),
        },
        Type::Int { min, max } => match text.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            Ok(n) => Err(format!("an integer in {min}..{max}, and {n} is not in it")),
            Err(_) => Err("an integer".to_owned()),
        },
        Type::Enum(id) => {
            let members = &program.enum_type(id).members;
            match members.iter().position(|m| m.as_str() == text) {
                Some(i) => Ok(i64::try_from(i).unwrap_or(0)),
                None => {
                    let list: Vec<String> = members
                        .iter()
                        .map(|m| format!("`{}`", m.as_str()))
                        .collect();
                    Err(format!(
                        "one of {}{}",
                        list.join(", "),
                        hint(text, members.iter().map(|m| m.as_str()))
                    ))
                }
            }
        }
        Type::State(_) | Type::TaskState | Type::LinkState | Type::WorkflowState => {
            Err("not a variable a run can be given".to_owned())
        }
    }
}

/// "; did you mean `x`?" when a candidate is close.
pub fn hint<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(name, candidates)
        .map_or(String::new(), |close| format!("; did you mean `{close}`?"))
}

/// The JSON of one run (schema in specs/cli.md).
#[derive(Serialize)]
struct JsonRun<'a> {
    version: u32,
    workflow: &'a str,
    trace: Vec<JsonEvent>,
    outcome: JsonOutcome,
}

fn one_run(
    args: &SimulateArgs,
    out: &mut impl Write,
    program: &Program,
    workflow: &Workflow,
    compiled: &Compiled,
    inputs: &Inputs,
    source: &str,
) -> io::Result<()> {
    let mut trace = Vec::new();
    let outcome = compiled.run(inputs, &[], Some(&mut trace));
    let namer = Namer {
        workflow,
        source,
        vars: &outcome.vars,
        enums: &program.enums,
    };
    match args.format {
        SimulateFormat::Html => {
            let page =
                crate::draw::html::workflow_page(program, workflow, source, &trace, &outcome);
            out.write_all(page.as_bytes())
        }
        SimulateFormat::Json => write_json(
            out,
            &JsonRun {
                version: 1,
                workflow: workflow.name.as_str(),
                trace: trace.iter().map(|e| namer.json_event(e)).collect(),
                outcome: namer.json_outcome(&outcome),
            },
        ),
        SimulateFormat::Human => {
            writeln!(out, "workflow `{}`", workflow.name.as_str())?;
            for event in &trace {
                writeln!(out, "{}", namer.line(event))?;
            }
            writeln!(out)?;
            write!(out, "{}", namer.table(&outcome))
        }
    }
}

/// The JSON of random runs (schema in specs/cli.md).
#[derive(Serialize)]
struct JsonRuns<'a> {
    version: u32,
    workflow: &'a str,
    runs: u64,
    seed: u64,
    end_states: Vec<JsonCount>,
    ticks: JsonTicks,
    tasks: Vec<JsonTaskCounts>,
}

#[derive(Serialize)]
struct JsonCount {
    state: &'static str,
    runs: u64,
}

#[derive(Serialize)]
struct JsonTicks {
    mean: f64,
    p95: u64,
}

#[derive(Serialize)]
struct JsonTaskCounts {
    name: String,
    states: Vec<JsonCount>,
}

fn random_runs(
    args: &SimulateArgs,
    out: &mut impl Write,
    workflow: &Workflow,
    compiled: &Compiled,
    inputs: &Inputs,
    runs: u64,
) -> io::Result<()> {
    let threads = super::args::threads(args.threads);
    let progress = AtomicU64::new(0);
    let stats = std::thread::scope(|scope| {
        let worker =
            scope.spawn(|| random::simulate(compiled, inputs, runs, args.seed, threads, &progress));
        let bar = if io::stderr().is_terminal() && runs >= 1000 {
            indicatif::ProgressBar::new(runs)
        } else {
            indicatif::ProgressBar::hidden()
        };
        while !worker.is_finished() {
            bar.set_position(progress.load(Ordering::Relaxed));
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        bar.finish_and_clear();
        // A panic in the runs is a bug in wfl: it goes on, never printed as partial counts.
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    match args.format.text() {
        Format::Json => write_json(out, &json_stats(workflow, &stats)),
        Format::Human => write_stats(out, workflow, &stats),
    }
}

fn json_stats<'a>(workflow: &'a Workflow, stats: &Stats) -> JsonRuns<'a> {
    JsonRuns {
        version: 1,
        workflow: workflow.name.as_str(),
        runs: stats.runs,
        seed: stats.seed,
        end_states: WorkflowState::ALL
            .iter()
            .map(|&s| JsonCount {
                state: s.as_str(),
                runs: stats.workflow_count(s),
            })
            .filter(|c| c.runs > 0)
            .collect(),
        ticks: JsonTicks {
            mean: stats.mean_ticks(),
            p95: stats.p95_ticks(),
        },
        tasks: workflow
            .tasks
            .iter()
            .enumerate()
            .map(|(t, task)| JsonTaskCounts {
                name: task.name.as_str().to_owned(),
                states: TaskState::ALL
                    .iter()
                    .map(|&s| JsonCount {
                        state: s.as_str(),
                        runs: stats.task_count(t, s),
                    })
                    .filter(|c| c.runs > 0)
                    .collect(),
            })
            .collect(),
    }
}

fn write_stats(out: &mut impl Write, workflow: &Workflow, stats: &Stats) -> io::Result<()> {
    let percent = |n: u64| {
        if stats.runs == 0 {
            0.0
        } else {
            100.0 * n as f64 / stats.runs as f64
        }
    };
    writeln!(
        out,
        "{} runs of workflow `{}`, seed {}",
        stats.runs,
        workflow.name.as_str(),
        stats.seed
    )?;
    writeln!(out, "workflow end states:")?;
    for &state in WorkflowState::ALL {
        let n = stats.workflow_count(state);
        if n > 0 {
            writeln!(
                out,
                "  {:<16}  {n:>9}  {:>6.2}%",
                state.as_str(),
                percent(n)
            )?;
        }
    }
    writeln!(
        out,
        "ticks: mean {:.2}, p95 {}",
        stats.mean_ticks(),
        stats.p95_ticks()
    )?;
    // Only the states some task ended in, as columns.
    let states: Vec<TaskState> = TaskState::ALL
        .iter()
        .copied()
        .filter(|&s| (0..workflow.tasks.len()).any(|t| stats.task_count(t, s) > 0))
        .collect();
    let width = workflow
        .tasks
        .iter()
        .map(|t| t.name.as_str().len())
        .max()
        .unwrap_or(4)
        .max(4);
    write!(out, "task end states (runs):\n  {:<width$}", "task")?;
    for state in &states {
        write!(out, "  {:>16}", state.as_str())?;
    }
    writeln!(out)?;
    for (t, task) in workflow.tasks.iter().enumerate() {
        write!(out, "  {:<width$}", task.name.as_str())?;
        for &state in &states {
            write!(out, "  {:>16}", stats.task_count(t, state))?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "replay with the same `--runs` and `--seed {}`",
        stats.seed
    )
}

pub fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    // Serialized first, so a closed pipe is reported as one by `writeln!`.
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    writeln!(out, "{text}")
}
