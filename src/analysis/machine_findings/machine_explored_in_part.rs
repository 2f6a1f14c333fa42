//! N0417 `machine_explored_in_part`: the exploration of a machine stopped before it saw
//! everything (a bound, an interruption, a value it cannot store), or which of its states can
//! still finish did not fit in memory; so the findings that need every run are not reported for
//! it (specs/diagnostics.md, "N0417 machine_explored_in_part").

use super::super::machine::{Exploration, MAX_INITIAL, MAX_WORLD, Stop};
use super::{Cx, Found};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Program;

/// Adds the note of an exploration that saw everything but could not work out W0412, or of one
/// that stopped before it saw everything.
pub(super) fn check(cx: &Cx<'_, '_, '_>, found: &mut Found) {
    let (program, x) = (cx.program, cx.x);
    let d = if x.complete() && x.no_final_unknown {
        Some(finals_unknown(program, x))
    } else {
        stopped(program, x)
    };
    found.list.extend(d);
}

/// The note of a complete exploration whose states that can still finish were not worked out.
fn finals_unknown(program: &Program, x: &Exploration<'_>) -> Diagnostic {
    let machine = program.machine(x.root);
    Diagnostic::new(
        Code::N0417,
        format!(
            "machine `{}` was explored, but which of its states can still finish was not worked out: it did not fit in {} MB (`--max-memory`)",
            machine.name.as_str(),
            x.limits.max_bytes >> 20
        ),
        machine.name.span,
        "explored in part",
    )
    .with_note(format!(
        "W0412 is not reported for `{}`; the other findings come from all {} configurations",
        machine.name.as_str(),
        x.configs
    ))
    .with_help("give it more room with `wfl check --max-memory MB`; or, when the other findings are enough, acknowledge it with `// wfl: allow(N0417) reason` above the machine")
}

/// The note of an exploration that stopped before it saw everything, if it did.
fn stopped(program: &Program, x: &Exploration<'_>) -> Option<Diagnostic> {
    let machine = program.machine(x.root);
    let why = stop_text(program, x)?;
    let acknowledge = "acknowledge it with `// wfl: allow(N0417) reason` above the machine";
    let help = match what_to_do(program, x.stop?) {
        Some(help) => format!("{help}; or, when the part seen is enough, {acknowledge}"),
        None => format!("when the part seen is enough, {acknowledge}"),
    };
    Some(
        Diagnostic::new(
            Code::N0417,
            format!(
                "machine `{}` was explored in part: {why}",
                machine.name.as_str()
            ),
            machine.name.span,
            "explored in part",
        )
        .with_note(format!(
            "W0410–W0412 need every run, so they are not reported for `{}`; W0413–W0416, which one run shows, are reported from the {} configurations seen",
            machine.name.as_str(),
            x.configs,
        ))
        .with_help(help),
    )
}

/// How to let an exploration that `stop` stopped go further; `None` when the reason says it.
fn what_to_do(program: &Program, stop: Stop) -> Option<String> {
    match stop {
        Stop::States => Some("explore further with `wfl check --max-states N`, or look at what was seen with `wfl explore FILE --machine NAME`".to_owned()),
        Stop::Memory => Some("give it more room with `wfl check --max-memory MB`".to_owned()),
        Stop::Values { machine, var } => Some(format!(
            "give `{}` a range (`int 0..100`)",
            program.machine(machine).vars[var.index()].name.as_str()
        )),
        // The reason says what to do.
        Stop::Wide { .. } => None,
        Stop::Steps { .. } => Some("fix the run that W0415 shows; then every run can be followed to its end".to_owned()),
        Stop::Work => Some("explore it on its own with `wfl explore FILE --machine NAME`, or let `wfl check` work longer with `--max-states N`".to_owned()),
        Stop::Initial => Some("give the variables fewer initial values: smaller ranges, or defaults that `initial` rules do not depend on".to_owned()),
        Stop::World => Some("explore fewer children with `wfl check --children N`".to_owned()),
        Stop::Run => Some("run the machine in a scenario (`wfl test`), which shows the run that goes too far, and make it do less".to_owned()),
        Stop::Interrupted => Some("let it run to the end: without `--max-time`, and without Ctrl-C".to_owned()),
    }
}

/// Why an exploration is incomplete, in words.
pub fn stop_text(program: &Program, x: &Exploration<'_>) -> Option<String> {
    let stop = x.stop?;
    Some(match stop {
        Stop::States => format!(
            "it stopped at {} (`--max-states`)",
            crate::sim::render::plural(x.limits.max_states as u64, "configuration")
        ),
        Stop::Memory => format!(
            "it stopped at {} MB (`--max-memory`)",
            x.limits.max_bytes >> 20
        ),
        Stop::Values { machine, var } => format!(
            "`{}` of `{}` left the values around its default that wfl can store",
            program.machine(machine).vars[var.index()].name.as_str(),
            program.machine(machine).name.as_str()
        ),
        Stop::Initial => format!("there are more than {MAX_INITIAL} combinations of initial values"),
        Stop::World => format!("the world would have more than {MAX_WORLD} instances (`--children`)"),
        Stop::Wide { machine, var } => format!(
            "the input `{}` of `{}` has too many values to try each (give it a range of at most 16 values)",
            program.machine(machine).vars[var.index()].name.as_str(),
            program.machine(machine).name.as_str()
        ),
        Stop::Work => format!(
            "it stopped after {} steps of work, its share of what `wfl check` does for the machines of a file (`--max-states`)",
            x.work
        ),
        Stop::Steps { machine } => format!(
            "a run of `{}` does not become stable within the bound on steps, so where it would have gone on to is not known",
            program.machine(machine).name.as_str()
        ),
        Stop::Run => "a run did more than wfl lets one run do (too much work or too many events, E0508; or a world too large, E0503), so where it would have gone on to is not known".to_owned(),
        Stop::Interrupted => format!(
            "it was interrupted (`--max-time` or Ctrl-C) after {} configurations, so what it found depends on how fast the computer is",
            x.configs
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{only, rule_findings};
    use super::*;

    const METER: &str = "machine meter {\n  input var count: int 0..1000 = 0\n  initial -> Counting\n  state Counting, Late\n\
                         Counting -> Counting on tick when count < 100 { set count = count + 1 }\n\
                         Counting -> Late on check when count > 2000\n  Late -> Counting on reset\n}\n";

    fn n0417(text: &str) -> Vec<Diagnostic> {
        rule_findings(text, "meter", Code::N0417, check)
    }

    #[test]
    fn an_input_with_too_many_values_stops_the_exploration_and_says_so() {
        let found = n0417(METER);
        let d = only(&found);
        assert_eq!(
            d.message,
            "machine `meter` was explored in part: the input `count` of `meter` has too many values to try each (give it a range of at most 16 values)"
        );
        assert_eq!(
            d.help.as_deref(),
            Some(
                "when the part seen is enough, acknowledge it with `// wfl: allow(N0417) reason` above the machine"
            )
        );
    }

    #[test]
    fn a_counter_only_actions_change_is_explored_whole() {
        let fixed = METER.replace("input var count", "var count");
        assert!(n0417(&fixed).is_empty());
    }
}
