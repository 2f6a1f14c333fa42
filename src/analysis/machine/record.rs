//! What an exploration records as it goes, each the first time and with where it was seen
//! (breadth first, so with the shortest run): the states entered and the transitions taken (read
//! from the interpreter's trace), the run errors, the shadowed transitions and the sends that
//! reached no child.

use super::{Exploration, Failure, Seen, Shadow, Stop, Unsent, cut_by_bound};
use crate::model::{MachineId, TransitionId};
use crate::sim::machine::{Event, InstanceId, RunError, World};

impl Exploration<'_> {
    /// Marks the states entered and the transitions taken in the world's trace.
    pub(super) fn record_trace(&mut self, world: &World<'_>, seen: Seen) {
        let Some(trace) = &world.trace else { return };
        for event in trace {
            match *event {
                Event::Initial {
                    instance, state, ..
                } => {
                    let m = world.instances[instance as usize].machine;
                    self.reached[m.index()][state.index()].get_or_insert(seen);
                }
                Event::Step {
                    instance,
                    to,
                    transition,
                    ..
                } => {
                    let m = world.instances[instance as usize].machine;
                    self.reached[m.index()][to.index()].get_or_insert(seen);
                    self.taken[m.index()][transition.index()].get_or_insert(seen);
                }
                Event::Unsent {
                    instance, action, ..
                } if self.unsent_seen.insert(action) => {
                    self.unsent.push(Unsent {
                        machine: world.instances[instance as usize].machine,
                        action,
                        seen,
                    });
                }
                _ => {}
            }
        }
    }

    /// Records a run error of a run that took `taken` steps, the first time it is seen.
    pub(super) fn record_failure(
        &mut self,
        world: &World<'_>,
        error: RunError,
        seen: Seen,
        taken: u64,
    ) {
        let machine = error_instance(&error)
            .and_then(|i| world.instances.get(i as usize))
            .map_or(self.root, |i| i.machine);
        let cut = cut_by_bound(&error, taken);
        if cut {
            self.stop = self.stop.or(Some(Stop::Steps { machine }));
        }
        // Not a finding of its own (`wfl test` reports it), but the runs after it are unknown.
        if matches!(
            error,
            RunError::TooManyInstances { .. } | RunError::TooMuchWork { .. }
        ) {
            self.stop = self.stop.or(Some(Stop::Run));
        }
        if self.failures_seen.insert((machine, error_key(&error))) {
            self.failures.push(Failure {
                error,
                machine,
                seen,
                cut,
            });
        }
    }

    pub(super) fn record_shadows(
        &mut self,
        machine: MachineId,
        enabled: &[TransitionId],
        seen: Seen,
    ) {
        let Some((&first, later)) = enabled.split_first() else {
            return;
        };
        let transitions = &self.space.program.machine(machine).transitions;
        for &later in later {
            // A later transition without a guard is a deliberate fallback, not a mistake.
            if transitions[later.index()].guard.is_none() {
                continue;
            }
            if self.shadows_seen.insert((machine, first, later)) {
                self.shadows.push(Shadow {
                    machine,
                    first,
                    later,
                    seen,
                });
            }
        }
    }
}

/// The instance a run error is about (for a livelock, the first of its cycle).
pub(crate) fn error_instance(error: &RunError) -> Option<InstanceId> {
    match error {
        RunError::NoInitialRule { instance }
        | RunError::HistoryWithoutEarlierState { instance, .. }
        | RunError::OutOfRange { instance, .. }
        | RunError::StuckInTransient { instance, .. } => Some(*instance),
        RunError::Livelock { cycle, .. } => cycle.as_ref().and_then(|c| c.first()).map(|(i, _)| *i),
        RunError::TooManyInstances { .. } | RunError::TooMuchWork { .. } => None,
    }
}

/// What tells run errors apart as mistakes (see [`same_error`]): their kind, and the variable,
/// transition or state they are about.
pub(super) fn error_key(error: &RunError) -> (u8, u32) {
    match error {
        RunError::NoInitialRule { .. } => (0, 0),
        RunError::HistoryWithoutEarlierState { transition, .. } => (1, transition.0),
        RunError::Livelock { .. } => (2, 0),
        RunError::OutOfRange { var, .. } => (3, var.0),
        RunError::StuckInTransient { state, .. } => (4, state.0),
        RunError::TooManyInstances { .. } => (5, 0),
        RunError::TooMuchWork { .. } => (6, 0),
    }
}

/// Whether two run errors are the same mistake: the same kind, about the same variable,
/// transition or state (the instance aside).
pub(crate) fn same_error(a: &RunError, b: &RunError) -> bool {
    match (a, b) {
        (RunError::OutOfRange { var: a, .. }, RunError::OutOfRange { var: b, .. }) => a == b,
        (
            RunError::HistoryWithoutEarlierState { transition: a, .. },
            RunError::HistoryWithoutEarlierState { transition: b, .. },
        ) => a == b,
        (
            RunError::StuckInTransient { state: a, .. },
            RunError::StuckInTransient { state: b, .. },
        ) => a == b,
        (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}
