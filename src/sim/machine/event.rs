//! What a run reports: the events of its trace, and the errors that stop it.

use std::sync::Arc;

use super::InstanceId;
use crate::model::{ActorId, ChildrenId, EventId, StateId, TransitionId, VarId};
use crate::source::Span;

/// One thing that happened in a world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// An initial rule put the instance in its first state.
    Initial {
        instance: InstanceId,
        state: StateId,
        rule: u32,
    },
    /// A transition was taken.
    Step {
        instance: InstanceId,
        from: StateId,
        to: StateId,
        transition: TransitionId,
        event: Option<EventId>,
        actor: Option<ActorId>,
    },
    /// No transition takes the event in the instance's state.
    Ignored {
        instance: InstanceId,
        state: StateId,
        event: EventId,
        actor: Option<ActorId>,
    },
    /// An action or a scenario set a variable.
    Set {
        instance: InstanceId,
        var: VarId,
        value: i64,
    },
    /// An action queued an event for an instance.
    Sent {
        from: InstanceId,
        to: InstanceId,
        event: EventId,
    },
    /// `send … to parent` from an instance that has none: the event goes nowhere.
    NoParent {
        instance: InstanceId,
        event: EventId,
    },
    /// `send … to one GROUP` or `send … to GROUP[i]` when no child qualifies: the event is not
    /// sent (specs/semantics.md, section 14.6).
    Unsent {
        instance: InstanceId,
        event: EventId,
        children: ChildrenId,
        missing: Missing,
        /// The action, as written.
        action: Span,
    },
}

/// Why a send to one child of a group reached none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// `send … to one GROUP [in STATES]`: no child (in one of the states).
    InStates(Option<Arc<[StateId]>>),
    /// `send … to GROUP[i]`: no child `index`; the group has `count`.
    Index { index: i64, count: u32 },
}

/// What went wrong in a run; the scenario runner and `simulate` turn it into a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    /// No initial rule of the instance's machine matches.
    NoInitialRule { instance: InstanceId },
    /// `history` from a state the instance was in from its creation.
    HistoryWithoutEarlierState {
        instance: InstanceId,
        transition: TransitionId,
    },
    /// More than the step budget without becoming stable; the repeating steps, when the last
    /// steps repeat. `queued`: (events queued, steps left) when the run stopped because more events
    /// waited than it had steps left to deliver them — the budget would run out before the queue.
    Livelock {
        steps: u32,
        cycle: Option<Vec<(InstanceId, StateId)>>,
        queued: Option<(usize, u32)>,
    },
    /// A `set` action gave an integer variable a value outside its range.
    OutOfRange {
        instance: InstanceId,
        var: VarId,
        value: i64,
    },
    /// After stabilising, an instance rests in a transient state.
    StuckInTransient {
        instance: InstanceId,
        state: StateId,
    },
    /// A configuration that makes a world larger than wfl runs: more instances than
    /// [`MAX_INSTANCES`](super::MAX_INSTANCES) (`wanted`), more variables and children groups
    /// than [`MAX_FIELDS`](super::MAX_FIELDS) (`fields`), or instances nested deeper than
    /// [`MAX_DEPTH`](super::MAX_DEPTH) (`depth`). Nothing is created.
    TooManyInstances {
        wanted: usize,
        fields: usize,
        depth: usize,
    },
    /// More than [`MAX_WORK`](super::MAX_WORK) units of work in one stabilisation (`work`), or
    /// more than [`MAX_EVENTS`](super::MAX_EVENTS) events in the run (`events`).
    TooMuchWork { work: u64, events: u64 },
}
