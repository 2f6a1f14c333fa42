//! E0404 `missing_initial`: a machine has no `initial` rule, so an instance has no state to start in.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for machine in &cx.program.machines {
        if !machine.initials.is_empty() {
            continue;
        }
        let example = machine
            .states
            .first()
            .map_or("STATE".to_owned(), |s| s.name.as_str().to_owned());
        out.push(
            Diagnostic::new(
                Code::E0404,
                format!("machine `{}` has no `initial` rule", machine.name.as_str()),
                machine.name.span,
                "an instance of this machine would have no state to start in",
            )
            .with_help(format!("add `initial -> {example}`")),
        );
    }
}
