//! What actions do: set a variable (within its range), send an event to children, to one child,
//! to the parent or to the instance itself; and the bookkeeping every change owes the run (the
//! instances made stale, the trace).

use super::compile::CAction;
use super::event::{Event, Missing, RunError};
use super::index;
use super::world::{InstanceId, Scope, World};
use crate::model::{ChildrenId, EventId, VarId};
use crate::source::Span;

impl World<'_> {
    pub(super) fn run_actions(
        &mut self,
        i: InstanceId,
        actions: &[CAction],
    ) -> Result<(), RunError> {
        for action in actions {
            self.charge(1);
            match action {
                CAction::Set { var, value } => {
                    let value = value.eval(&Scope {
                        world: self,
                        instance: i,
                    });
                    self.worked()?;
                    let m = &self.c.machines[self.instances[i as usize].machine.index()];
                    if let Some(Some((min, max))) = m.ranges.get(*var as usize)
                        && !(*min..=*max).contains(&value)
                    {
                        return Err(RunError::OutOfRange {
                            instance: i,
                            var: VarId(*var),
                            value,
                        });
                    }
                    if let Some(slot) = self.instances[i as usize].vars.get_mut(*var as usize) {
                        *slot = value;
                    }
                    self.touched(i);
                    self.record(Event::Set {
                        instance: i,
                        var: VarId(*var),
                        value,
                    });
                }
                CAction::SendChildren {
                    event,
                    children,
                    states,
                } => {
                    let group = self.instances[i as usize]
                        .children
                        .get(*children as usize)
                        .cloned()
                        .unwrap_or_default();
                    for child in group {
                        let state = self.instances[child as usize].state.map(|s| s.0);
                        if states
                            .as_ref()
                            .is_none_or(|states| state.is_some_and(|s| states.contains(&s)))
                        {
                            self.charge(1);
                            self.queue_event(i, child, EventId(*event));
                        }
                    }
                    self.worked()?;
                }
                CAction::SendOne {
                    event,
                    children,
                    states,
                    span,
                } => {
                    let group = self.group(i, *children);
                    let mut looked = 0;
                    let chosen = group.iter().copied().find(|&child| {
                        looked += 1;
                        let state = self.instances[child as usize].state;
                        states
                            .as_ref()
                            .is_none_or(|states| state.is_some_and(|s| states.contains(&s)))
                    });
                    self.charge(looked);
                    self.worked()?;
                    let missing = || Missing::InStates(states.clone());
                    self.send_to_one(i, chosen, (*event, *children, *span), missing);
                }
                CAction::SendIndex {
                    event,
                    children,
                    index: at,
                    span,
                } => {
                    let at = at.eval(&Scope {
                        world: self,
                        instance: i,
                    });
                    self.worked()?;
                    let group = self.group(i, *children);
                    let count = index(group.len());
                    let child = usize::try_from(at).ok().and_then(|k| group.get(k).copied());
                    let missing = || Missing::Index { index: at, count };
                    self.send_to_one(i, child, (*event, *children, *span), missing);
                }
                CAction::SendParent { event } => match self.instances[i as usize].parent {
                    Some(parent) => self.queue_event(i, parent, EventId(*event)),
                    None => self.record(Event::NoParent {
                        instance: i,
                        event: EventId(*event),
                    }),
                },
                CAction::Raise { event } => self.queue_event(i, i, EventId(*event)),
            }
        }
        Ok(())
    }

    /// Queues the event of a send to one child of a group (`send`: the event, the group and the
    /// action) for the child it `chose`; when there is none, the event is not sent, and the trace
    /// says why.
    pub(super) fn send_to_one(
        &mut self,
        i: InstanceId,
        chose: Option<InstanceId>,
        (event, children, action): (u32, u32, Span),
        missing: impl FnOnce() -> Missing,
    ) {
        match chose {
            Some(child) => self.queue_event(i, child, EventId(event)),
            None => self.record(Event::Unsent {
                instance: i,
                event: EventId(event),
                children: ChildrenId(children),
                missing: missing(),
                action,
            }),
        }
    }

    /// The children of group `children` of instance `i`, in index order.
    pub(super) fn group(&self, i: InstanceId, children: u32) -> &[InstanceId] {
        self.instances
            .get(i as usize)
            .and_then(|x| x.children.get(children as usize))
            .map_or(&[][..], Vec::as_slice)
    }

    /// Queues `event` for `to`. Each queued event takes a step to deliver, so a queue longer
    /// than the steps left cannot be drained within the bound: an event beyond them is counted
    /// (and shown in the trace) but not kept, and the run stops at its next step, as it would once
    /// the steps ran out. So the queue never holds more events than the bound has steps (a parent
    /// answering each of N children's replies with a broadcast to all N queued N² events, 3.9 GB
    /// at N = 10 000).
    pub(super) fn queue_event(&mut self, from: InstanceId, to: InstanceId, event: EventId) {
        if self.queue.len() < self.left as usize {
            self.queue.push_back((to, event));
        } else {
            self.overflow += 1;
        }
        self.record(Event::Sent { from, to, event });
    }

    /// Instance `i` changed: it and its ancestors are stale (see [`World::stabilise_on`]). An
    /// instance already stale has stale ancestors, so the walk stops there.
    pub(super) fn touched(&mut self, i: InstanceId) {
        let mut at = Some(i);
        while let Some(i) = at {
            let Some(&k) = self.position.get(i as usize) else {
                break;
            };
            if self.stale.mark(k as usize) {
                break;
            }
            at = self.instances.get(i as usize).and_then(|x| x.parent);
        }
    }

    pub(super) fn record(&mut self, event: Event) {
        self.events += 1;
        if let Some(trace) = &mut self.trace {
            trace.push(event);
        }
    }
}
