//! A run to completion (specs/semantics.md, section 14): an event delivered or a variable set
//! from outside, then the queue drained and event-less transitions taken, children first, until
//! nothing is enabled — within the step budget and the bounds on work and events.

use super::event::{Event, RunError};
use super::livelock::cycle_of;
use super::world::{InstanceId, Scope, World};
use super::{MAX_EVENTS, MAX_STEPS, MAX_WORK, STEPS_PER_INSTANCE};
use crate::model::{ActorId, EventId, StateKind, Target, TransitionId, VarId};

impl World<'_> {
    /// An external event (from a scenario or the command line) to instance `to`, run to
    /// completion.
    pub fn send(
        &mut self,
        to: InstanceId,
        event: EventId,
        actor: Option<ActorId>,
    ) -> Result<(), RunError> {
        self.begin();
        self.deliver(to, event, actor)?;
        self.stabilise_on()
    }

    /// Sets a variable from outside (a scenario's `set` after the start), then stabilises.
    pub fn set(&mut self, instance: InstanceId, var: VarId, value: i64) -> Result<(), RunError> {
        if let Some(slot) = self
            .instances
            .get_mut(instance as usize)
            .and_then(|i| i.vars.get_mut(var.index()))
        {
            *slot = value;
        }
        self.record(Event::Set {
            instance,
            var,
            value,
        });
        self.begin();
        self.stabilise_on()
    }

    /// The steps one stabilisation may take.
    pub(super) fn budget(&self) -> u32 {
        let instances = u32::try_from(self.instances.len()).unwrap_or(u32::MAX);
        MAX_STEPS.saturating_add(instances.saturating_mul(STEPS_PER_INSTANCE))
    }

    /// A stabilisation starts: the whole bound ahead of it.
    pub(super) fn begin(&mut self) {
        self.left = self.budget();
        self.recent.clear();
        self.overflow = 0;
        self.work.set(0);
    }

    /// Adds `units` to the work of the stabilisation; whether it is still within [`MAX_WORK`].
    pub(super) fn charge(&self, units: u64) -> bool {
        let work = self.work.get().saturating_add(units);
        self.work.set(work);
        work <= MAX_WORK
    }

    /// E0508 once the stabilisation has done more than [`MAX_WORK`] units of work — one for each
    /// instruction of a guard, view, filter or value run, each child a quantifier looks at, and
    /// each action run or event it queues — or the run has more than [`MAX_EVENTS`] events.
    /// Checked after every evaluation whose value the run acts on, so nothing is decided on an
    /// evaluation cut short. Steps alone bound neither a run's time (a guard over 100 000 children
    /// evaluated at each of their replies is 10^10) nor its trace (a scenario has many lines).
    pub(super) fn worked(&self) -> Result<(), RunError> {
        let work = self.work.get();
        if work > MAX_WORK || self.events > MAX_EVENTS {
            return Err(RunError::TooMuchWork {
                work,
                events: self.events,
            });
        }
        Ok(())
    }

    /// Drains the queue, then takes event-less transitions (children first), one at a time,
    /// draining the queue after each, until nothing is enabled; within the steps left.
    ///
    /// The first instance in children-first order with an enabled event-less transition is found
    /// among the stale ones only: an instance found without one stays so until something its
    /// guards read changes — its state, its variables or its descendants' (guards read nothing
    /// else) — which makes it and its ancestors stale again. So a step costs the instances it
    /// changes, not a scan of the world (50 000 children each taking one event-less transition
    /// took 8.5 s).
    pub(super) fn stabilise_on(&mut self) -> Result<(), RunError> {
        // The instances may have been changed from outside (a scenario's `set`, the explorer).
        self.stale.all(self.order.len());
        if let Some(d) = &mut self.detector {
            d.power = 0;
            d.since = 0;
            d.trail.clear();
        }
        loop {
            if let Some(livelock) = self.repeats() {
                return Err(livelock);
            }
            while let Some((to, event)) = self.queue.pop_front() {
                self.deliver(to, event, None)?;
                if !self.queue.is_empty()
                    && let Some(livelock) = self.repeats()
                {
                    return Err(livelock);
                }
            }
            let mut fired = false;
            while let Some(k) = self.stale.pop_first() {
                let Some(&i) = self.order.get(k) else {
                    continue;
                };
                let enabled = self.enabled(i, None, None);
                self.worked()?;
                if let Some(t) = enabled {
                    self.spend(i)?;
                    self.fire(i, t, None, None)?;
                    fired = true;
                    break;
                }
            }
            if !fired {
                break;
            }
        }
        if self.overflow > 0 {
            return Err(self.out_of_steps());
        }
        self.worked()?;
        for &i in &self.order {
            let instance = &self.instances[i as usize];
            if let Some(state) = instance.state
                && self.c.machines[instance.machine.index()]
                    .kinds
                    .get(state.index())
                    == Some(&StateKind::Transient)
            {
                return Err(RunError::StuckInTransient { instance: i, state });
            }
        }
        Ok(())
    }

    /// One step of the budget; a livelock when it runs out, named by the repeating steps.
    pub(super) fn spend(&mut self, i: InstanceId) -> Result<(), RunError> {
        if let Some(d) = &mut self.detector
            && let Some(state) = self.instances[i as usize].state
        {
            d.trail.push((i, state));
        }
        // Only the last steps matter for naming a cycle.
        if self.left <= 256
            && let Some(state) = self.instances[i as usize].state
        {
            self.recent.push((i, state));
        }
        if self.left == 0 || self.overflow > 0 {
            return Err(self.out_of_steps());
        }
        self.left -= 1;
        Ok(())
    }

    /// The livelock of a run with no step left, or with more events to deliver than steps left.
    pub(super) fn out_of_steps(&self) -> RunError {
        let queued = (self.overflow > 0 && self.left > 0)
            .then(|| (self.queue.len() + self.overflow, self.left));
        RunError::Livelock {
            steps: self.budget(),
            cycle: if queued.is_some() {
                None
            } else {
                cycle_of(&self.recent)
            },
            queued,
        }
    }

    pub(super) fn deliver(
        &mut self,
        to: InstanceId,
        event: EventId,
        actor: Option<ActorId>,
    ) -> Result<(), RunError> {
        self.spend(to)?;
        self.steps += 1;
        let enabled = self.enabled(to, Some(event), actor);
        self.worked()?;
        match enabled {
            Some(t) => self.fire(to, t, Some(event), actor),
            None => {
                if let Some(state) = self.instances.get(to as usize).and_then(|i| i.state) {
                    self.record(Event::Ignored {
                        instance: to,
                        state,
                        event,
                        actor,
                    });
                }
                Ok(())
            }
        }
    }

    /// The first transition (file order) from the instance's state that takes `event` (`None`:
    /// event-less) from `actor` and whose guard holds.
    pub(super) fn enabled(
        &self,
        i: InstanceId,
        event: Option<EventId>,
        actor: Option<ActorId>,
    ) -> Option<u32> {
        let instance = self.instances.get(i as usize)?;
        let state = instance.state?;
        let m = &self.c.machines[instance.machine.index()];
        if event.is_none() && !m.eventless.get(state.index()).copied().unwrap_or(false) {
            return None;
        }
        let scope = Scope {
            world: self,
            instance: i,
        };
        m.on_event(state, event.map(|e| e.0)).find(|&t| {
            let t = &m.transitions[t as usize];
            t.actor.is_none_or(|a| Some(a) == actor.map(|a| a.0))
                && t.guard.as_ref().is_none_or(|g| g.eval(&scope) != 0)
        })
    }

    /// Exit actions, transition actions, the new state, entry actions.
    pub(super) fn fire(
        &mut self,
        i: InstanceId,
        t: u32,
        event: Option<EventId>,
        actor: Option<ActorId>,
    ) -> Result<(), RunError> {
        self.steps += u64::from(event.is_none());
        let c = self.c;
        let instance = &self.instances[i as usize];
        let m = &c.machines[instance.machine.index()];
        let Some(from) = instance.state else {
            return Ok(());
        };
        let transition = &m.transitions[t as usize];
        let to = match transition.target {
            Target::State(s) => s,
            Target::History => match instance.previous {
                Some(s) => s,
                None => {
                    return Err(RunError::HistoryWithoutEarlierState {
                        instance: i,
                        transition: TransitionId(t),
                    });
                }
            },
        };
        // Recorded first, so the effects of its actions follow it in the trace.
        self.record(Event::Step {
            instance: i,
            from,
            to,
            transition: TransitionId(t),
            event,
            actor,
        });
        self.run_actions(i, &m.on_exit[from.index()])?;
        self.run_actions(i, &transition.actions)?;
        let instance = &mut self.instances[i as usize];
        // A self-transition keeps the state before the stay: `history` goes back past it.
        if to != from {
            instance.previous = Some(from);
        }
        instance.state = Some(to);
        self.touched(i);
        self.run_actions(i, &m.on_enter[to.index()])
    }
}

/// The positions (in children-first order) of the instances that may have an enabled event-less
/// transition: a bit each. Ancestors of a stale instance are stale, and the search takes the first.
#[derive(Debug, Default)]
pub(super) struct Stale {
    words: Vec<u64>,
    /// No bit is set in the words before this one.
    first: usize,
}

impl Stale {
    /// Every one of `n` positions stale.
    pub(super) fn all(&mut self, n: usize) {
        self.words.clear();
        self.words.resize(n.div_ceil(64), u64::MAX);
        if let Some(last) = self.words.last_mut()
            && !n.is_multiple_of(64)
        {
            *last = (1u64 << (n % 64)) - 1;
        }
        self.first = 0;
    }

    /// Marks position `k` stale; whether it already was.
    pub(super) fn mark(&mut self, k: usize) -> bool {
        let Some(word) = self.words.get_mut(k / 64) else {
            return true;
        };
        let bit = 1u64 << (k % 64);
        let was = *word & bit != 0;
        *word |= bit;
        self.first = self.first.min(k / 64);
        was
    }

    /// The first stale position, no longer stale.
    pub(super) fn pop_first(&mut self) -> Option<usize> {
        while let Some(word) = self.words.get_mut(self.first) {
            if *word != 0 {
                let bit = word.trailing_zeros() as usize;
                *word &= *word - 1;
                return Some(self.first * 64 + bit);
            }
            self.first += 1;
        }
        None
    }
}
