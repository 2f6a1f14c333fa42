//! `wfl graph`: a workflow or a machine drawn as Mermaid, DOT or SVG, with what `wfl check` found
//! or a scenario's run on it.

use std::io::Write;

use super::args::{Format, GraphArgs, GraphFormat};
use super::files::{Loaded, load_one, report_errors};
use super::output;
use super::simulate::{Usage, find_scenario};
use super::{EXIT_CLEAN, EXIT_USAGE};
use crate::diagnostic::Diagnostic;
use crate::draw::{self, Picture, overlay};
use crate::model::{Program, ScenarioTarget};
use crate::source::Source;

pub fn run(args: &GraphArgs) -> u8 {
    let Loaded {
        source,
        checked,
        errors,
    } = match load_one(&args.file, "draw") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
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
    let text = source.text();
    match target {
        ScenarioTarget::Workflow(w) => {
            let workflow = program.workflow(w);
            let mut picture = draw::workflow(workflow, text);
            if args.findings {
                overlay::workflow_findings(&mut picture, workflow, diagnostics);
            }
            if let Some(s) = scenario {
                let compiled = super::simulate::compiled_workflow(program, w)?;
                let inputs = crate::sim::scenario::inputs(&program.scenarios[s]);
                let outcome = compiled.run(&inputs, &[], None);
                overlay::workflow_run(&mut picture, &outcome);
            }
            Ok(picture)
        }
        ScenarioTarget::Machine(m) => {
            let mut picture = draw::machine(program, m, text);
            if args.findings {
                overlay::machine_findings(&mut picture, program, m, diagnostics);
            }
            if let Some(s) = scenario {
                let compiled =
                    crate::sim::compile_machines(program).map_err(|d| Usage(d.message))?;
                let world = super::simulate_machine::scenario_world(program, &compiled, m, s)?;
                overlay::machine_run_marks(&mut picture, program, &world, m);
            }
            Ok(picture)
        }
    }
}
