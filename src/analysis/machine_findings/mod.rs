//! Findings on machines (W0410–W0416, W0418) from their exploration, each run-based one with a witness:
//! a scenario the interpreter has replayed, step by step, along the shortest path the exploration
//! found.
//!
//! One file per rule, as in `check/`, each named after its code's name and holding a `check` that
//! adds the rule's findings for one exploration:
//!
//! - W0410, W0411 and W0412 say that something never happens, so only a complete exploration gives
//!   them: `state_unreachable_in_runs.rs`, `transition_never_taken.rs`, `no_way_to_final.rs`;
//! - W0413, W0414–W0416 and W0418 show a run that does something: `shadowed_transition.rs`;
//!   `initial_rules_incomplete.rs`, `livelock_reachable.rs`, `run_error_reachable.rs` (each run
//!   error some run runs into, with what they share in `failure.rs`); `send_reaches_no_child.rs`;
//! - N0417, an exploration that stopped before it saw everything: `machine_explored_in_part.rs`.
//!
//! The notes several rules share are in `notes.rs`; the witnesses in `witness.rs` (the run a
//! finding shows, as a scenario), `replay.rs` (a stored path run again by the interpreter) and
//! `scenario_lines.rs` (the lines of a scenario).

mod failure;
mod initial_rules_incomplete;
mod livelock_reachable;
mod machine_explored_in_part;
mod no_way_to_final;
mod notes;
mod replay;
mod run_error_reachable;
mod scenario_lines;
mod send_reaches_no_child;
mod shadowed_transition;
mod state_unreachable_in_runs;
mod transition_never_taken;
mod witness;

use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::machine::{Exploration, Limits, Prepared, explore_within, work_bound};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{MachineId, Program};
use crate::source::Span;

pub use machine_explored_in_part::stop_text;
pub use witness::{Reach, reach_lines};

/// The exploration `wfl check` and `wfl explore` run by default, the same for both so that they
/// agree: large enough for a model of a few machines with small ranges to be explored whole in
/// about a second (`wfl check` shares the work of [`work_bound`] among the machines of a file),
/// so that a bound seldom hides a finding; on a larger machine it is incomplete and reports only
/// what some run shows (never an unreachable state), and says so (N0417).
pub const DEFAULT_LIMITS: Limits = Limits {
    children: 2,
    max_states: 200_000,
    max_bytes: 64 << 20,
    threads: 1,
};

/// Adds the findings of exploring every machine of `program` (each as the root of a world, within
/// `limits`) to `out`. Machines the interpreter cannot compile, which the resolver should have
/// made impossible, are an internal error (E0007), not an exploration left out without a word.
pub fn check(program: &Program, limits: Limits, out: &mut Vec<Diagnostic>) {
    if program.machines.is_empty() {
        return;
    }
    let compiled = match crate::sim::compile_machines(program) {
        Ok(compiled) => compiled,
        Err(internal) => {
            out.push(*internal);
            return;
        }
    };
    let mut found = Found::default();
    // The work of all the explorations: each machine may take an equal share of what the ones
    // before it left.
    let mut work_left = work_bound(limits);
    let machines = program.machines.len();
    let prepared = Arc::new(Prepared::new(program));
    for m in 0..machines {
        let share = work_left / (machines - m) as u64;
        let root = MachineId::from_index(m);
        let x = explore_within(program, &compiled, root, limits, share, &prepared);
        work_left = work_left.saturating_sub(x.work);
        findings(&Cx::new(program, &x), &mut found);
    }
    out.extend(found.without_shadowing_never_taken());
}

/// Adds what the exploration of `cx.x.root` shows about it (and, for run errors, shadowing and
/// sends that reach no child, about the machines of its children) to `found`, but for findings
/// already known (from other roots), whose witnesses are not worked out again. The order is the
/// order in which the witnesses spend their share of the work.
fn findings(cx: &Cx<'_, '_, '_>, found: &mut Found) {
    machine_explored_in_part::check(cx, found);
    state_unreachable_in_runs::check(cx, found);
    transition_never_taken::check(cx, found);
    no_way_to_final::check(cx, found);
    shadowed_transition::check(cx, found);
    // Each run error by the rule of its kind, in the order the exploration ran into them.
    for failure in &cx.x.failures {
        initial_rules_incomplete::check(cx, failure, found);
        livelock_reachable::check(cx, failure, found);
        run_error_reachable::check(cx, failure, found);
    }
    send_reaches_no_child::check(cx, found);
}

/// What every rule reads: the program, the exploration of one root, and what it covered.
struct Cx<'p, 'x, 'c> {
    program: &'p Program,
    x: &'x Exploration<'c>,
    /// The note on what the exploration covered ([`notes::scope`]).
    scope: String,
}

impl<'p, 'x, 'c> Cx<'p, 'x, 'c> {
    fn new(program: &'p Program, x: &'x Exploration<'c>) -> Self {
        Cx {
            program,
            x,
            scope: notes::scope(program, x),
        }
    }
}

/// The findings of every exploration so far, in the order they were found, with the code and
/// span of each: a run error, a shadowing or a send that reaches no child seen from several
/// roots is reported once.
#[derive(Default)]
struct Found {
    list: Vec<Diagnostic>,
    known: FxHashSet<(Code, Span)>,
}

impl Found {
    /// Adds `d`, whether or not one with its code and span is known.
    fn push(&mut self, d: Diagnostic) {
        self.known.insert((d.code, d.primary.span));
        self.list.push(d);
    }

    /// Whether a finding with `code` at `span` is new (it is known from then on).
    fn first_time(&mut self, code: Code, span: Span) -> bool {
        self.known.insert((code, span))
    }

    /// The findings, but for the shadowing (W0413) of a transition that no run takes: that is
    /// W0411's, whichever root showed the shadowing.
    fn without_shadowing_never_taken(self) -> Vec<Diagnostic> {
        let never_taken: FxHashSet<Span> = (self.list.iter())
            .filter(|d| d.code == Code::W0411)
            .map(|d| d.primary.span)
            .collect();
        let mut list = self.list;
        list.retain(|d| d.code != Code::W0413 || !never_taken.contains(&d.primary.span));
        list
    }
}

#[cfg(test)]
mod testing {
    //! What the rules' tests share: a machine explored alone, one rule run on what it found.

    use super::*;

    /// The findings `rule` adds for the exploration of machine `root` of `text`, explored alone
    /// within [`DEFAULT_LIMITS`]. They must be the findings with `code` that `wfl check` reports
    /// for the file (message and span): so the rule is called, and no other rule gives its code.
    pub(super) fn rule_findings(
        text: &str,
        root: &str,
        code: Code,
        rule: impl Fn(&Cx<'_, '_, '_>, &mut Found),
    ) -> Vec<Diagnostic> {
        let checked = crate::check_text(text);
        assert!(
            !checked.diagnostics.iter().any(Diagnostic::is_error),
            "{:?}",
            checked.diagnostics
        );
        let program = checked.program.expect("resolves");
        let compiled = crate::sim::compile_machines(&program).expect("compiles");
        let m = (program.machines.iter())
            .position(|m| m.name.as_str() == root)
            .expect("the root is a machine of the file");
        let root = MachineId::from_index(m);
        let x = super::super::machine::explore(&program, &compiled, root, DEFAULT_LIMITS);
        let mut found = Found::default();
        rule(&Cx::new(&program, &x), &mut found);
        let heads = |list: &[Diagnostic]| -> Vec<(Span, String)> {
            let mut heads: Vec<_> = (list.iter())
                .filter(|d| d.code == code)
                .map(|d| (d.primary.span, d.message.clone()))
                .collect();
            heads.sort();
            heads
        };
        assert_eq!(heads(&found.list), heads(&checked.diagnostics));
        assert!(found.list.iter().all(|d| d.code == code));
        found.list
    }

    /// [`rule_findings`] for a rule that reports run errors: it is offered each failure in turn.
    pub(super) fn failure_findings(
        text: &str,
        root: &str,
        code: Code,
        rule: fn(&Cx<'_, '_, '_>, &super::super::machine::Failure, &mut Found),
    ) -> Vec<Diagnostic> {
        rule_findings(text, root, code, |cx, found| {
            for failure in &cx.x.failures {
                rule(cx, failure, found);
            }
        })
    }

    /// The one finding of `found`.
    pub(super) fn only(found: &[Diagnostic]) -> &Diagnostic {
        match found {
            [d] => d,
            _ => panic!("one finding expected: {found:?}"),
        }
    }

    /// Asserts that the notes of `d` hold `text` (which may run from one note to the next).
    pub(super) fn assert_notes_hold(d: &Diagnostic, text: &str) {
        let notes = d.notes.join("\n");
        assert!(notes.contains(text), "{text:?} is not in:\n{notes}");
    }
}
