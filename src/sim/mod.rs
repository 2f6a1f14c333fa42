//! The interpreter: compiled workflows run tick by tick, scenarios checked against the run.

pub mod code;
pub mod coverage;
pub mod machine;
pub mod machine_render;
pub mod machine_scenario;
pub mod random;
pub mod render;
pub mod scenario;
pub mod trace;
pub mod workflow;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Program;
use scenario::{ScenarioResult, Verdict};

/// Compiles every workflow of `program`; a workflow the compiler cannot handle is an internal
/// error (the resolver only lets compilable conditions through).
pub fn compile(program: &Program) -> Result<Vec<workflow::Compiled>, Box<Diagnostic>> {
    program
        .workflows
        .iter()
        .map(|w| {
            workflow::Compiled::new(w, program).map_err(|_| {
                Box::new(
                    Diagnostic::new(
                        Code::E0007,
                        format!(
                            "internal error: workflow `{}` could not be compiled",
                            w.name.as_str()
                        ),
                        w.name.span,
                        "here",
                    )
                    .with_note("this is a bug in wfl; please report it with this file"),
                )
            })
        })
        .collect()
}

/// Compiles the machines of `program`; one the compiler cannot handle is an internal error, as
/// for [`compile`].
pub fn compile_machines(program: &Program) -> Result<machine::Compiled, Box<Diagnostic>> {
    machine::Compiled::new(program).map_err(|_| {
        let span = program
            .machines
            .first()
            .map(|m| m.name.span)
            .unwrap_or_default();
        Box::new(
            Diagnostic::new(
                Code::E0007,
                "internal error: a machine could not be compiled",
                span,
                "here",
            )
            .with_note("this is a bug in wfl; please report it with this file"),
        )
    })
}

/// Runs every scenario of `program` (whose file text is `source`), in file order.
pub fn run_scenarios(
    program: &Program,
    source: &str,
) -> Result<Vec<ScenarioResult>, Box<Diagnostic>> {
    let workflows = compile(program)?;
    let machines = compile_machines(program)?;
    Ok(program
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| match s.target {
            crate::model::ScenarioTarget::Workflow(_) => {
                scenario::run(program, &workflows, i, source)
            }
            crate::model::ScenarioTarget::Machine(_) => {
                machine_scenario::run(program, &machines, i, source)
            }
        })
        .collect())
}

/// Counts of a test run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Tally {
    pub fn add(&mut self, verdict: &Verdict) {
        match verdict {
            Verdict::Passed => self.passed += 1,
            Verdict::Failed(_) => self.failed += 1,
            Verdict::Skipped(_) => self.skipped += 1,
        }
    }
}
