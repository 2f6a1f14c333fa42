//! What a workflow run did, event by event, and why.

use crate::model::{LinkId, LinkState, TaskId, TaskState, WorkflowState};

/// One state change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub tick: u64,
    pub kind: EventKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Workflow {
        from: WorkflowState,
        to: WorkflowState,
        why: WorkflowWhy,
    },
    Task {
        task: TaskId,
        from: TaskState,
        to: TaskState,
        why: TaskWhy,
    },
    /// A link gets its state when its target is evaluated.
    Link {
        link: LinkId,
        to: LinkState,
        /// The state of the link's source then.
        source: TaskState,
        /// The condition's value, when it was evaluated.
        condition: Option<bool>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkflowWhy {
    Started,
    /// Every task that can run is done.
    AllDone,
    /// This task failed and `continue_on_failure` is false; the run ends once the tasks still
    /// running are done.
    Failed(TaskId),
    StoppedByUser,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskWhy {
    /// No path of links leads to it from the initial nodes.
    Unreachable,
    /// Processed: it has no active incoming link.
    NoIncomingLink,
    /// Processed: every active incoming link is ACCEPTED.
    AllAccepted,
    /// Processed (`at_least_one`): this incoming link is ACCEPTED.
    OneAccepted(LinkId),
    /// Skipped: not every incoming link is ACCEPTED (`all_valid`) or none is (`at_least_one`).
    /// `failure` names the first SKIPPED_FAILURE link, which makes it SKIPPED_FAILURE.
    Skipped {
        failure: Option<LinkId>,
        some_accepted: bool,
    },
    /// Started: a slot is free (`running` tasks were running before it, `max_parallel` allows).
    Started,
    /// Finished after its duration.
    Finished { ticks: u32 },
    /// Failed after its duration: the scenario or the command line says it fails.
    FailedAsTold { ticks: u32 },
    /// Failed after its duration: drawn from its `failure_rate`.
    FailedAtRandom { ticks: u32 },
    /// Was running when the user stopped the workflow.
    Stopped,
    /// Was running when the process was killed.
    Killed,
}
