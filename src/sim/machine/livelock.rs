//! Livelocks: found early by the run coming back to where it was (Brent's cycle detection), and
//! named by the steps that repeat.

use super::event::RunError;
use super::world::{InstanceId, World};
use crate::model::StateId;

/// Brent's cycle detection over the world between two steps: the instances and the queue, which
/// decide everything that follows. A repeat means the run would go round for ever, so the step
/// budget would run out: the same livelock, found early.
#[derive(Default)]
pub(super) struct Detector {
    pub(super) saved: Vec<i64>,
    pub(super) scratch: Vec<i64>,
    pub(super) power: u32,
    pub(super) since: u32,
    /// The steps since `saved`: one turn of the cycle when it is found.
    pub(super) trail: Vec<(InstanceId, StateId)>,
}

impl World<'_> {
    /// Finds livelocks by the run coming back to where it was (see [`Detector`]) as well as by
    /// the step budget: the same errors, most of them found much sooner.
    pub fn detect_livelocks(&mut self) {
        self.detector = Some(Detector::default());
    }

    /// A livelock, if the world between two steps is where it was before.
    pub(super) fn repeats(&mut self) -> Option<RunError> {
        let d = self.detector.as_mut()?;
        // A queue that keeps growing never repeats: the budget finds that livelock.
        if self.queue.len() > 64 {
            return None;
        }
        d.scratch.clear();
        for instance in &self.instances {
            d.scratch
                .push(instance.state.map_or(-1, |s| i64::from(s.0)));
            d.scratch
                .push(instance.previous.map_or(-1, |s| i64::from(s.0)));
            d.scratch.extend_from_slice(&instance.vars);
        }
        for &(to, event) in &self.queue {
            d.scratch.push(i64::from(to) << 32 | i64::from(event.0));
        }
        if d.power > 0 && d.scratch == d.saved {
            let cycle = std::mem::take(&mut d.trail);
            return Some(RunError::Livelock {
                steps: self.budget(),
                cycle: (!cycle.is_empty()).then_some(cycle),
                queued: None,
            });
        }
        d.since += 1;
        if d.since >= d.power {
            std::mem::swap(&mut d.saved, &mut d.scratch);
            d.power = (d.power * 2).max(1);
            d.since = 0;
            d.trail.clear();
        }
        None
    }
}

/// The shortest repeating run of steps at the end of `recent`, if its last steps repeat.
pub(super) fn cycle_of(recent: &[(InstanceId, StateId)]) -> Option<Vec<(InstanceId, StateId)>> {
    let n = recent.len();
    (1..=64.min(n / 2))
        .find(|&period| recent[n - period..] == recent[n - 2 * period..n - period])
        .map(|period| recent[n - period..].to_vec())
}
