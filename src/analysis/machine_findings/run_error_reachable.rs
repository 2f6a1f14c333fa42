//! W0416 `run_error_reachable`: some run of a machine ends in a run error other than a livelock
//! or a missing initial rule: a variable set outside its range, `history` with no earlier state,
//! a run that rests in a transient state (specs/diagnostics.md, "W0416 run_error_reachable").

use super::super::machine::Failure;
use super::{Cx, Found, failure};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Machine;
use crate::sim::machine::RunError;
use crate::source::Span;

/// Adds the finding of `f` when it is one of the run errors this rule reports.
pub(super) fn check(cx: &Cx<'_, '_, '_>, f: &Failure, found: &mut Found) {
    let machine = cx.program.machine(f.machine);
    let Some((message, span, label)) = head(machine, &f.error) else {
        return;
    };
    let d = Diagnostic::new(Code::W0416, message, span, label);
    let help = "guard the step that leads there, or widen what it needs";
    failure::push(cx, f, d, "a run error", help, found);
}

/// The message, primary span and label of the finding of `error`, a run error of an instance of
/// `machine`; `None` for the run errors other rules report (W0414, W0415) and for those that
/// only stop the exploration (N0417).
fn head(machine: &Machine, error: &RunError) -> Option<(String, Span, &'static str)> {
    let name = machine.name.as_str();
    Some(match error {
        RunError::OutOfRange { var, value, .. } => {
            let v = &machine.vars[var.index()];
            (
                format!(
                    "a run of `{name}` sets `{}` to {value}, outside its range",
                    v.name.as_str()
                ),
                v.span,
                "some run leaves this range",
            )
        }
        RunError::HistoryWithoutEarlierState { transition, .. } => (
            format!("a run of `{name}` takes `history` with no earlier state to go back to"),
            machine.transitions[transition.index()].span,
            "some run takes it from the state it was created in",
        ),
        RunError::StuckInTransient { state, .. } => {
            let s = machine.state(*state);
            (
                format!(
                    "a run of `{name}` rests in transient state `{}`",
                    s.name.as_str()
                ),
                s.name.span,
                "some run stays here",
            )
        }
        RunError::NoInitialRule { .. }
        | RunError::Livelock { .. }
        | RunError::TooManyInstances { .. }
        | RunError::TooMuchWork { .. } => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_notes_hold, failure_findings, only};
    use super::*;

    const COUNTER: &str = "machine counter {\n  var n: int 0..3 = 0\n  initial -> Counting\n  state Counting\n\
                           Counting -> Counting on tick { set n = n + 1 }\n  Counting -> Counting on reset { set n = 0 }\n}\n";

    fn w0416(text: &str) -> Vec<Diagnostic> {
        failure_findings(text, "counter", Code::W0416, check)
    }

    #[test]
    fn a_value_out_of_range_is_reported_with_the_run_that_sets_it() {
        let found = w0416(COUNTER);
        let d = only(&found);
        assert_eq!(
            d.message,
            "a run of `counter` sets `n` to 4, outside its range"
        );
        assert_eq!(&COUNTER[d.primary.span.range()], "var n: int 0..3 = 0");
        assert_notes_hold(
            d,
            "{\n  send tick\n  send tick\n  send tick\n  send tick\n  expect true\n}",
        );
    }

    #[test]
    fn history_with_no_earlier_state_and_a_transient_state_to_rest_in_are_reported() {
        let text = "machine counter {\n  var n: int 0..3 = 0\n  initial -> A\n  state A\n  transient state T\n\
                    A -> history on back\n  A -> T on go\n  T -> A when n > 0\n}\n";
        let found = w0416(text);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "a run of `counter` takes `history` with no earlier state to go back to",
                "a run of `counter` rests in transient state `T`",
            ]
        );
    }

    #[test]
    fn a_guarded_counter_stays_in_range() {
        let fixed = COUNTER.replace("on tick {", "on tick when n < 3 {");
        assert!(w0416(&fixed).is_empty());
    }
}
