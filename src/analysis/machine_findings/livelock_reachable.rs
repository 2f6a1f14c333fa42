//! W0415 `livelock_reachable`: some run of a machine never becomes stable, its event-less
//! transitions (or `raise`s) firing for ever, or does not become stable within the bound on steps
//! (specs/diagnostics.md, "W0415 livelock_reachable").

use super::super::machine::Failure;
use super::{Cx, Found, failure};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Machine, StateId};
use crate::sim::machine::{InstanceId, RunError};

/// Adds the finding of `f` when it is a livelock: one that comes back to where it was, or one
/// that took the whole bound on steps (`f.cut`).
pub(super) fn check(cx: &Cx<'_, '_, '_>, f: &Failure, found: &mut Found) {
    let RunError::Livelock { steps, cycle, .. } = &f.error else {
        return;
    };
    let machine = cx.program.machine(f.machine);
    let name = machine.name.as_str();
    if f.cut {
        let d = Diagnostic::new(
            Code::W0415,
            format!("a run of `{name}` does not become stable within the bound of {steps} steps"),
            machine.name.span,
            "some run takes more steps than the bound",
        )
        .with_note(format!(
            "a stabilisation may take {} steps, plus {} for every instance of the world; this run goes on without coming back to where it was, so wfl does not know what it would do after",
            crate::sim::machine::MAX_STEPS,
            crate::sim::machine::STEPS_PER_INSTANCE
        ));
        let help = "let the run become stable in fewer steps: give some of its event-less transitions an event, or make a guard false once it has fired";
        failure::push(cx, f, d, "a run that does not become stable", help, found);
    } else {
        let cycle = cycle.as_deref().map(|c| cycle_text(machine, c));
        let d = Diagnostic::new(
            Code::W0415,
            format!(
                "a run of `{name}` never becomes stable{}",
                cycle.unwrap_or_default()
            ),
            machine.name.span,
            "some run livelocks",
        );
        let help =
            "make a guard of the event-less transitions (or of a `raise`) false once it has fired";
        failure::push(cx, f, d, "a livelock", help, found);
    }
}

/// `: A -> B -> A`, the states the livelock goes round.
fn cycle_text(machine: &Machine, cycle: &[(InstanceId, StateId)]) -> String {
    let names: Vec<String> = (cycle.iter())
        .map(|&(_, s)| {
            machine
                .states
                .get(s.index())
                .map_or("?".to_owned(), |st| st.name.as_str().to_owned())
        })
        .collect();
    format!(
        ": {} -> {}",
        names.join(" -> "),
        names.first().cloned().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_notes_hold, failure_findings, only};
    use super::*;

    const BLINKER: &str = "machine blinker {\n  input var auto: bool = false\n  initial -> Off\n  state Off, On\n\
                           Off -> On when auto\n  On -> Off when auto\n  Off -> On on press\n  On -> Off on press\n}\n";

    fn w0415(text: &str) -> Vec<Diagnostic> {
        failure_findings(text, "blinker", Code::W0415, check)
    }

    #[test]
    fn a_livelock_is_reported_with_its_cycle_and_the_run_into_it() {
        let found = w0415(BLINKER);
        let d = only(&found);
        assert_eq!(
            d.message,
            "a run of `blinker` never becomes stable: On -> Off -> On"
        );
        assert_notes_hold(
            d,
            "witness: a livelock\" for blinker {\n  set auto = true\n  expect true\n}",
        );
    }

    #[test]
    fn a_run_that_takes_the_whole_bound_on_steps_is_reported_as_cut() {
        let text = "machine blinker {\n  var n: int 0..20000 = 0\n  initial -> Counting\n  state Counting\n\
                    Counting -> Counting when n < 20000 { set n = n + 1 }\n}\n";
        let found = w0415(text);
        let d = only(&found);
        assert!(
            d.message
                .starts_with("a run of `blinker` does not become stable within the bound of "),
            "{}",
            d.message
        );
        assert!(
            d.notes[0].starts_with("a stabilisation may take 10000 steps"),
            "{:?}",
            d.notes
        );
        let fixed = text.replace("20000", "20");
        assert!(w0415(&fixed).is_empty());
    }

    #[test]
    fn a_run_that_stops_going_round_is_stable() {
        let fixed = BLINKER.replace(
            "On -> Off when auto",
            "On -> Off when auto { set auto = false }",
        );
        assert!(w0415(&fixed).is_empty());
    }
}
