//! W0300 `scenario_without_expect`: a scenario with no `expect` line runs but can never fail.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::StepKind;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for scenario in &cx.program.scenarios {
        if scenario
            .steps
            .iter()
            .any(|s| matches!(s.kind, StepKind::Expect(_)))
        {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::W0300,
                format!("scenario `{}` checks nothing", scenario.name.as_str()),
                scenario.name.span,
                "no `expect` line",
            )
            .with_help("add `expect` lines stating what the run must end in"),
        );
    }
}
