//! `wfl graph`: a workflow or a machine drawn as Mermaid, DOT or SVG, with what `wfl check` found
//! or a scenario's run on it.

use std::io::Write;

use super::args::{Format, GraphArgs, GraphFormat};
use super::check::AsCheck;
use super::files::{Input, Loaded, load_one, load_one_with, report_errors};
use super::output;
use super::simulate::{Usage, find_scenario};
use super::{EXIT_CLEAN, EXIT_USAGE};
use crate::diagnostic::Diagnostic;
use crate::draw::{self, Picture, overlay};
use crate::model::{Program, ScenarioTarget};
use crate::source::Source;

pub fn run(args: &GraphArgs) -> u8 {
    // The findings drawn are those `wfl check FILE` reports: its `wfl.toml` read as it reads it.
    let as_check = if args.findings {
        match AsCheck::of(&args.config, &Input::of(&args.file)) {
            Some(as_check) => Some(as_check),
            None => return EXIT_USAGE,
        }
    } else {
        None
    };
    let loaded = match &as_check {
        Some(c) => load_one_with(&args.file, "draw", &c.levels, c.exploration),
        None => load_one(&args.file, "draw"),
    };
    let Loaded {
        source,
        mut checked,
        errors,
    } = match loaded {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if let Some(as_check) = &as_check {
        as_check.reported(&mut checked.diagnostics);
    }
    let program = match (&checked.program, errors.is_empty()) {
        (Some(program), true) => program,
        _ => return report_errors(Format::Human, args.color, source, &errors, "drawn"),
    };
    let picture = match picture(args, program, &source, &checked.diagnostics) {
        Ok(picture) => picture,
        Err(Usage(message)) => {
            output::error(&message);
            return EXIT_USAGE;
        }
    };
    let text = match args.format {
        GraphFormat::Mermaid => draw::mermaid::write(&picture),
        GraphFormat::Dot => draw::dot::write(&picture),
        GraphFormat::Svg => draw::svg::write(&picture),
    };
    let mut out = output::stdout(args.color);
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(err) if !output::is_closed_pipe(&err) => {
            output::error(&format!("cannot write the picture: {err}"));
            EXIT_USAGE
        }
        _ => EXIT_CLEAN,
    }
}

/// The picture the arguments ask for, with its overlays.
fn picture(
    args: &GraphArgs,
    program: &Program,
    source: &Source,
    diagnostics: &[Diagnostic],
) -> Result<Picture, Usage> {
    let scenario = match &args.scenario {
        Some(wanted) => Some(find_scenario(program, wanted)?),
        None => None,
    };
    let target = super::pick::with_scenario(
        program,
        args.workflow.as_deref(),
        args.machine.as_deref(),
        scenario,
        "draw",
    )?;
    // The runs drawn: the one scenario asked for, or with `--coverage` every scenario of the item.
    let runs: Vec<usize> = match (scenario, args.coverage) {
        (Some(s), _) => vec![s],
        (None, true) => scenarios_of(program, target),
        (None, false) => Vec::new(),
    };
    let text = source.text();
    let mut picture = match target {
        ScenarioTarget::Workflow(w) => draw::workflow(program.workflow(w), text),
        ScenarioTarget::Machine(m) => draw::machine(program, m, text),
    };
    let bare = picture.clone();
    if args.findings {
        match target {
            ScenarioTarget::Workflow(w) => {
                overlay::workflow_findings(&mut picture, program.workflow(w), diagnostics)
            }
            ScenarioTarget::Machine(m) => {
                overlay::machine_findings(&mut picture, program, m, diagnostics)
            }
        }
    }
    // Each run marks its own copy of the picture; the item is compiled once for all of them.
    let mut run_pictures = Vec::with_capacity(runs.len());
    match target {
        ScenarioTarget::Workflow(w) if !runs.is_empty() => {
            let compiled = super::simulate::compiled_workflow(program, w)?;
            for &s in &runs {
                let mut run = bare.clone();
                let inputs = crate::sim::scenario::inputs(&program.scenarios[s]);
                overlay::workflow_run(&mut run, &compiled.run(&inputs, &[], None));
                run_pictures.push(run);
            }
        }
        ScenarioTarget::Machine(m) if !runs.is_empty() => {
            let compiled = crate::sim::compile_machines(program).map_err(|d| Usage(d.message))?;
            for &s in &runs {
                // The scenario runs from its own machine, which may hold `m` as children.
                let ScenarioTarget::Machine(root) = program.scenarios[s].target else {
                    continue;
                };
                let world = super::simulate_machine::scenario_world(program, &compiled, root, s)?;
                if world.instances.iter().any(|x| x.machine == m) {
                    let mut run = bare.clone();
                    overlay::machine_run_marks(&mut run, program, &world, m);
                    run_pictures.push(run);
                }
            }
        }
        _ => {}
    }
    if args.coverage && run_pictures.is_empty() {
        return Err(no_scenario(program, target, source));
    }
    match run_pictures.as_slice() {
        [] => {}
        [one] if !args.coverage => overlay::add_marks_of(&mut picture, one),
        runs => overlay::coverage(&mut picture, runs),
    }
    Ok(picture)
}

/// The scenarios of the file that may run `target`, in file order: a workflow's own; for a
/// machine, every machine scenario (one whose machine holds it as children runs it too; those
/// whose run has no instance of it are left out later).
fn scenarios_of(program: &Program, target: ScenarioTarget) -> Vec<usize> {
    (program.scenarios.iter().enumerate())
        .filter(|(_, s)| match (target, s.target) {
            (ScenarioTarget::Workflow(_), _) => s.target == target,
            (ScenarioTarget::Machine(_), ScenarioTarget::Machine(_)) => true,
            (ScenarioTarget::Machine(_), ScenarioTarget::Workflow(_)) => false,
        })
        .map(|(s, _)| s)
        .collect()
}

/// The usage error of `--coverage` on an item no scenario runs.
fn no_scenario(program: &Program, target: ScenarioTarget, source: &Source) -> Usage {
    let (kind, name) = match target {
        ScenarioTarget::Workflow(w) => ("workflow", program.workflow(w).name.as_str()),
        ScenarioTarget::Machine(m) => ("machine", program.machine(m).name.as_str()),
    };
    Usage(format!(
        "no scenario of {} runs {kind} `{}`: --coverage has nothing to draw",
        crate::source::escape_hidden(source.name(), false),
        crate::source::escape_hidden(name, false),
    ))
}
