//! W0414 `initial_rules_incomplete`: for some combination of initial values that the exploration
//! creates a world from, no `initial` rule of a machine holds, so its instance cannot be created
//! (specs/diagnostics.md, "W0414 initial_rules_incomplete").

use super::super::machine::Failure;
use super::{Cx, Found, failure};
use crate::diagnostic::{Code, Diagnostic};
use crate::sim::machine::RunError;

/// Adds the finding of `f` when it is a world in which no initial rule holds.
pub(super) fn check(cx: &Cx<'_, '_, '_>, f: &Failure, found: &mut Found) {
    let RunError::NoInitialRule { .. } = f.error else {
        return;
    };
    let machine = cx.program.machine(f.machine);
    let first = machine.initials.first();
    let mut d = Diagnostic::new(
        Code::W0414,
        format!(
            "for some initial values no `initial` rule of `{}` holds",
            machine.name.as_str()
        ),
        first.map_or(machine.name.span, |i| i.span),
        "no rule holds for the values below",
    );
    for rule in machine.initials.iter().skip(1) {
        d = d.with_label(rule.span, "does not hold either");
    }
    failure::push(
        cx,
        f,
        d,
        "no initial rule holds",
        "end the rules with one without `when`, so some rule always holds",
        found,
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_notes_hold, failure_findings, only};
    use super::*;

    const LIGHT: &str = "machine light {\n  initial input var mode: {day, night, off} = day\n\
                         initial -> Bright when mode == day\n  initial -> Dim when mode == night\n\
                         state Bright, Dim\n  Bright -> Dim on dusk\n  Dim -> Bright on dawn\n}\n";

    fn w0414(text: &str) -> Vec<Diagnostic> {
        failure_findings(text, "light", Code::W0414, check)
    }

    #[test]
    fn a_value_no_rule_covers_is_reported_with_the_run_that_creates_it() {
        let found = w0414(LIGHT);
        let d = only(&found);
        assert_eq!(
            d.message,
            "for some initial values no `initial` rule of `light` holds"
        );
        assert_eq!(
            &LIGHT[d.primary.span.range()],
            "initial -> Bright when mode == day"
        );
        assert_eq!(d.secondary.len(), 1);
        assert_notes_hold(d, "  set mode = off\n  expect true\n}");
    }

    #[test]
    fn rules_that_end_without_a_guard_cover_every_value() {
        let fixed = LIGHT.replace("initial -> Dim when mode == night", "initial -> Dim");
        assert!(w0414(&fixed).is_empty());
    }
}
