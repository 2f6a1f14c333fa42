//! W0100 `unused_variable` and W0101 `unused_view`: declared, never read.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Var;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (w, workflow) in cx.program.workflows.iter().enumerate() {
        for (var, &used) in workflow.vars.iter().zip(&cx.usage.workflow_vars[w]) {
            if !used {
                out.push(unused_var(var, "no link condition or expectation reads it"));
            }
        }
    }
    for (m, machine) in cx.program.machines.iter().enumerate() {
        for (var, &used) in machine.vars.iter().zip(&cx.usage.machine_vars[m]) {
            if !used {
                out.push(unused_var(
                    var,
                    "no guard, view, action or expectation reads it",
                ));
            }
        }
        for (view, &used) in machine.views.iter().zip(&cx.usage.views[m]) {
            if !used {
                out.push(
                    Diagnostic::new(
                        Code::W0101,
                        format!("view `{}` is never used", view.name.as_str()),
                        view.name.span,
                        "no guard, view, filter or expectation uses it",
                    )
                    .with_help("use it in a scenario's `expect` to check it, or remove it")
                    // Nothing reads it, so the declaration goes alone.
                    .with_fix(
                        format!("remove view `{}`", view.name.as_str()),
                        view.span,
                        "",
                    ),
                );
            }
        }
    }
}

fn unused_var(var: &Var, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::W0100,
        format!("variable `{}` is never read", var.name.as_str()),
        var.name.span,
        why,
    )
    .with_help("remove it, or use it in a condition")
}
