//! The workflow interpreter: specs/semantics.md, sections 1 to 12.
//!
//! A workflow is compiled once ([`Compiled`]): dense task and link indices, incoming and outgoing
//! links as flat adjacency arrays, conditions as stack programs. A run ([`Compiled::run`]) then
//! moves tick by tick, jumping over ticks where nothing happens, and records every state change
//! with its reason when asked to.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rustc_hash::FxHashMap;

use super::code::{Code, Unsupported, value_to_i64};
use super::trace::{Event, EventKind, TaskWhy, WorkflowWhy};
use crate::model::{
    Accept, LinkId, LinkKind, LinkState, Program, TaskId, TaskState, VarId, Workflow, WorkflowState,
};
use crate::source::Span;

/// A workflow ready to run.
#[derive(Debug)]
pub struct Compiled {
    tasks: Vec<CTask>,
    links: Vec<CLink>,
    /// Incoming links of task `t`: `incoming[incoming_at[t]..incoming_at[t + 1]]`.
    incoming_at: Vec<u32>,
    incoming: Vec<u32>,
    outgoing_at: Vec<u32>,
    outgoing: Vec<u32>,
    codes: Vec<Code>,
    continue_on_failure: bool,
    max_parallel: usize,
    /// Declared `start`, or `None`: the tasks with no incoming link.
    start: Option<Vec<u32>>,
    /// Variables' defaults.
    pub defaults: Vec<i64>,
}

#[derive(Debug)]
struct CTask {
    duration: u32,
    accept: Accept,
    failure_rate: f64,
}

#[derive(Debug)]
struct CLink {
    source: u32,
    target: u32,
    kind: LinkKind,
    /// Index into `codes`.
    condition: Option<u32>,
}

/// What one run is given.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Variables set to other values than their defaults.
    pub vars: Vec<(VarId, i64)>,
    /// Tasks that fail when they finish.
    pub fail: Vec<TaskId>,
    /// Durations replacing the declared ones.
    pub durations: Vec<(TaskId, u32)>,
    /// Initial nodes given from outside (a resumed run), replacing `start`.
    pub start_from: Option<Vec<TaskId>>,
    pub stop_at: Option<u32>,
    pub kill_at: Option<u32>,
}

/// Where a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The variables' values in the run.
    pub vars: Vec<i64>,
    pub tasks: Vec<TaskState>,
    /// `None` for a link that never got a state (its target was never evaluated, or its source
    /// is NOT_RUN).
    pub links: Vec<Option<LinkState>>,
    pub workflow: WorkflowState,
    /// The tick the run ended at (a `u64`: durations are `u32` and add up along a chain).
    pub ticks: u64,
    /// How many times a task was evaluated (its incoming links read and a decision taken).
    pub evaluations: u64,
}

/// Why a task fails when it finishes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Failure {
    No,
    AsTold,
    AtRandom,
}

impl Compiled {
    pub fn new(workflow: &Workflow, program: &Program) -> Result<Compiled, Unsupported> {
        let n = workflow.tasks.len();
        let mut codes = Vec::new();
        // A list link (`[a, b] -> [c, d] when …`) is a link per pair, each with the condition
        // written once: compiled once, by where it is written (1 000 × 1 000 pairs are one program).
        let mut compiled: FxHashMap<Span, u32> = FxHashMap::default();
        let mut links = Vec::with_capacity(workflow.links.len());
        for link in &workflow.links {
            let condition = match &link.condition {
                Some(expr) => match compiled.get(&expr.span) {
                    Some(&code) => Some(code),
                    None => {
                        codes.push(Code::compile(expr, program, None)?);
                        let code = index(codes.len() - 1);
                        compiled.insert(expr.span, code);
                        Some(code)
                    }
                },
                None => None,
            };
            links.push(CLink {
                source: link.source.0,
                target: link.target.0,
                kind: link.kind,
                condition,
            });
        }
        let (incoming_at, incoming) = adjacency(n, links.iter().map(|l| l.target));
        let (outgoing_at, outgoing) = adjacency(n, links.iter().map(|l| l.source));
        Ok(Compiled {
            tasks: workflow
                .tasks
                .iter()
                .map(|t| CTask {
                    duration: t.duration,
                    accept: t.accept,
                    failure_rate: t.failure_rate,
                })
                .collect(),
            links,
            incoming_at,
            incoming,
            outgoing_at,
            outgoing,
            codes,
            continue_on_failure: workflow.continue_on_failure,
            max_parallel: workflow.max_parallel.map_or(usize::MAX, |n| n as usize),
            start: workflow
                .start
                .as_ref()
                .map(|(tasks, _)| tasks.iter().map(|t| t.0).collect()),
            defaults: workflow
                .vars
                .iter()
                .map(|v| value_to_i64(v.default))
                .collect(),
        })
    }

    /// How many instructions the link conditions compile to in all: proportional to the file,
    /// since each condition is compiled once, however many links a list link stands for.
    pub fn instructions(&self) -> usize {
        self.codes.iter().map(Code::len).sum()
    }

    pub fn task_count(&self) -> usize {
        self.tasks.len()
    }

    pub fn failure_rate(&self, task: usize) -> f64 {
        self.tasks.get(task).map_or(0.0, |t| t.failure_rate)
    }

    /// Runs the workflow. `random_failures[t]` makes task `t` fail as if drawn at random;
    /// `trace` receives every event when given.
    pub fn run(
        &self,
        inputs: &Inputs,
        random_failures: &[bool],
        trace: Option<&mut Vec<Event>>,
    ) -> Outcome {
        let mut run = Run::new(self, inputs, random_failures, trace);
        run.go();
        let vars = run.vars;
        Outcome {
            vars,
            tasks: run.tasks,
            links: run.links,
            workflow: run.workflow,
            ticks: run.tick,
            evaluations: run.evaluations,
        }
    }

    fn incoming_of(&self, t: usize) -> &[u32] {
        range(&self.incoming, &self.incoming_at, t)
    }

    fn outgoing_of(&self, t: usize) -> &[u32] {
        range(&self.outgoing, &self.outgoing_at, t)
    }
}

/// The state of one run.
struct Run<'c, 't> {
    c: &'c Compiled,
    vars: Vec<i64>,
    durations: Vec<u32>,
    failure: Vec<Failure>,
    stop_at: Option<u32>,
    kill_at: Option<u32>,
    tasks: Vec<TaskState>,
    links: Vec<Option<LinkState>>,
    /// A link is active when its source can run (is not NOT_RUN).
    active: Vec<bool>,
    /// Per task: active incoming links whose source is not done yet.
    pending: Vec<u32>,
    workflow: WorkflowState,
    tick: u64,
    /// WAITING tasks whose active incoming links all have a done source, by declaration order.
    ready: BinaryHeap<Reverse<u32>>,
    /// IN_QUEUE tasks in the order they start: the tick they were queued, then declaration order.
    queue: VecDeque<u32>,
    /// RUNNING tasks by (finishing tick, declaration order).
    running: BinaryHeap<Reverse<(u64, u32)>>,
    /// The first task that failed, when `continue_on_failure` is false.
    halted_by: Option<u32>,
    /// Reachable tasks not done yet.
    remaining: usize,
    evaluations: u64,
    trace: Option<&'t mut Vec<Event>>,
}

impl<'c, 't> Run<'c, 't> {
    fn new(
        c: &'c Compiled,
        inputs: &Inputs,
        random_failures: &[bool],
        trace: Option<&'t mut Vec<Event>>,
    ) -> Self {
        let n = c.tasks.len();
        let mut vars = c.defaults.clone();
        for &(var, value) in &inputs.vars {
            if let Some(slot) = vars.get_mut(var.index()) {
                *slot = value;
            }
        }
        let mut durations: Vec<u32> = c.tasks.iter().map(|t| t.duration).collect();
        for &(task, ticks) in &inputs.durations {
            if let Some(d) = durations.get_mut(task.index()) {
                *d = ticks.max(1);
            }
        }
        let mut failure: Vec<Failure> = (0..n)
            .map(|t| {
                if random_failures.get(t).copied().unwrap_or(false) {
                    Failure::AtRandom
                } else {
                    Failure::No
                }
            })
            .collect();
        for task in &inputs.fail {
            if let Some(f) = failure.get_mut(task.index()) {
                *f = Failure::AsTold;
            }
        }
        Run {
            c,
            vars,
            durations,
            failure,
            stop_at: inputs.stop_at,
            kill_at: inputs.kill_at,
            tasks: vec![TaskState::WAITING; n],
            links: vec![None; c.links.len()],
            active: vec![false; c.links.len()],
            pending: vec![0; n],
            workflow: WorkflowState::NOT_RUN,
            tick: 0,
            ready: BinaryHeap::new(),
            queue: VecDeque::new(),
            running: BinaryHeap::new(),
            halted_by: None,
            remaining: 0,
            evaluations: 0,
            trace,
        }
        .with_start(inputs.start_from.as_deref())
    }

    /// Rule 1: the initial nodes, NOT_RUN for what no path reaches, the active links.
    fn with_start(mut self, start_from: Option<&[TaskId]>) -> Self {
        let c = self.c;
        let n = c.tasks.len();
        let initial: Vec<u32> = match (start_from, &c.start) {
            (Some(tasks), _) => tasks.iter().map(|t| t.0).collect(),
            (None, Some(tasks)) => tasks.clone(),
            (None, None) => (0..n)
                .filter(|&t| c.incoming_of(t).is_empty())
                .map(index)
                .collect(),
        };
        let mut reached = vec![false; n];
        let mut stack: Vec<u32> = Vec::new();
        for t in initial {
            if let Some(r) = reached.get_mut(t as usize)
                && !*r
            {
                *r = true;
                stack.push(t);
            }
        }
        while let Some(t) = stack.pop() {
            for &l in c.outgoing_of(t as usize) {
                let target = c.links[l as usize].target;
                if !reached[target as usize] {
                    reached[target as usize] = true;
                    stack.push(target);
                }
            }
        }
        for (l, link) in c.links.iter().enumerate() {
            if reached[link.source as usize] {
                self.active[l] = true;
                self.pending[link.target as usize] += 1;
            }
        }
        self.workflow_to(WorkflowState::RUNNING, WorkflowWhy::Started);
        self.remaining = reached.iter().filter(|&&r| r).count();
        for (t, &reached) in reached.iter().enumerate() {
            if !reached {
                self.task_to(t, TaskState::NOT_RUN, TaskWhy::Unreachable);
            } else if self.pending[t] == 0 {
                self.ready.push(Reverse(index(t)));
            }
        }
        self
    }

    fn go(&mut self) {
        loop {
            // Rule 9, in order: finishes, stop / kill, the failure rule, evaluation, starts.
            while let Some(&Reverse((at, t))) = self.running.peek() {
                if at != self.tick {
                    break;
                }
                self.running.pop();
                self.finish(t as usize);
            }
            // A run whose last task has just finished is over: a stop or kill in the same tick
            // comes too late.
            if self.running.is_empty() && (self.remaining == 0 || self.halted_by.is_some()) {
                match self.halted_by {
                    Some(failed) => self.workflow_to(
                        WorkflowState::FINISHED_FAILURE,
                        WorkflowWhy::Failed(TaskId(failed)),
                    ),
                    None => self.workflow_to(WorkflowState::FINISHED_OK, WorkflowWhy::AllDone),
                }
                return;
            }
            if self.stop_at.map(u64::from) == Some(self.tick) {
                self.stop();
                return;
            }
            if self.kill_at.map(u64::from) == Some(self.tick) {
                self.kill();
                return;
            }
            // The failure rule: once halted, nothing is evaluated or started; the run waits for
            // the running tasks (the check above ends it).
            if self.halted_by.is_none() {
                self.evaluate_ready();
                self.start_queued();
                if self.running.is_empty() && self.queue.is_empty() {
                    self.workflow_to(WorkflowState::FINISHED_OK, WorkflowWhy::AllDone);
                    return;
                }
            }
            let next_finish = self.running.peek().map(|&Reverse((at, _))| at);
            let next = [
                next_finish,
                self.stop_at.map(u64::from),
                self.kill_at.map(u64::from),
            ]
            .into_iter()
            .flatten()
            .filter(|&t| t > self.tick)
            .min();
            match next {
                Some(next) => self.tick = next,
                // Nothing left that could happen (cannot occur: running tasks always finish).
                None => return,
            }
        }
    }

    fn finish(&mut self, t: usize) {
        let ticks = self.durations[t];
        let (to, why) = match self.failure[t] {
            Failure::No => (TaskState::FINISHED_OK, TaskWhy::Finished { ticks }),
            Failure::AsTold => (TaskState::FINISHED_FAILURE, TaskWhy::FailedAsTold { ticks }),
            Failure::AtRandom => (
                TaskState::FINISHED_FAILURE,
                TaskWhy::FailedAtRandom { ticks },
            ),
        };
        self.task_to(t, to, why);
        if to == TaskState::FINISHED_FAILURE
            && !self.c.continue_on_failure
            && self.halted_by.is_none()
        {
            self.halted_by = Some(index(t));
        }
        self.done(t);
    }

    /// `t` is done: its targets wait for one link less.
    fn done(&mut self, t: usize) {
        self.remaining = self.remaining.saturating_sub(1);
        for &l in self.c.outgoing_of(t) {
            let target = self.c.links[l as usize].target as usize;
            let pending = &mut self.pending[target];
            *pending = pending.saturating_sub(1);
            if *pending == 0 && self.tasks[target] == TaskState::WAITING {
                self.ready.push(Reverse(index(target)));
            }
        }
    }

    /// Rules 2 and 3, with skips cascading in the same tick.
    fn evaluate_ready(&mut self) {
        let mut queued: Vec<u32> = Vec::new();
        while let Some(Reverse(t)) = self.ready.pop() {
            let t = t as usize;
            if self.tasks[t] != TaskState::WAITING {
                continue;
            }
            self.evaluations += 1;
            let mut any_incoming = false;
            let mut all_accepted = true;
            let mut first_accepted = None;
            let mut first_skipped_failure = None;
            for &l in self.c.incoming_of(t) {
                if !self.active[l as usize] {
                    continue;
                }
                any_incoming = true;
                let state = self.link_state(l as usize);
                match state {
                    LinkState::ACCEPTED => {
                        first_accepted.get_or_insert(l);
                    }
                    LinkState::SKIPPED_FAILURE => {
                        all_accepted = false;
                        first_skipped_failure.get_or_insert(l);
                    }
                    LinkState::REJECTED | LinkState::SKIPPED => all_accepted = false,
                }
            }
            let accept = self.c.tasks[t].accept;
            let why = if !any_incoming {
                Some(TaskWhy::NoIncomingLink)
            } else if all_accepted {
                Some(TaskWhy::AllAccepted)
            } else {
                match (accept, first_accepted) {
                    (Accept::AtLeastOne, Some(l)) => Some(TaskWhy::OneAccepted(LinkId(l))),
                    _ => None,
                }
            };
            match why {
                Some(why) => {
                    self.task_to(t, TaskState::IN_QUEUE, why);
                    queued.push(index(t));
                }
                None => {
                    let to = if first_skipped_failure.is_some() {
                        TaskState::SKIPPED_FAILURE
                    } else {
                        TaskState::SKIPPED
                    };
                    let why = TaskWhy::Skipped {
                        failure: first_skipped_failure.map(LinkId),
                        some_accepted: first_accepted.is_some(),
                    };
                    self.task_to(t, to, why);
                    self.done(t);
                }
            }
        }
        // Queued in the same tick: declaration order (the IN_QUEUE events came in that order).
        queued.sort_unstable();
        self.queue.extend(queued);
    }

    /// The state of link `l` from its source's state, its kind and its condition (the table of
    /// rule 2).
    fn link_state(&mut self, l: usize) -> LinkState {
        let c = self.c;
        let link = &c.links[l];
        let source = self.tasks[link.source as usize];
        // The condition is read only where the table needs it.
        let needs_condition = matches!(
            (source, link.kind),
            (TaskState::FINISHED_OK, LinkKind::Normal)
                | (TaskState::FINISHED_FAILURE, LinkKind::Error)
        );
        let condition = match link.condition {
            Some(code) if needs_condition => {
                Some(c.codes[code as usize].eval(self.vars.as_slice()) != 0)
            }
            _ => None,
        };
        let holds = condition.unwrap_or(true);
        let state = match (source, link.kind) {
            (TaskState::FINISHED_OK, LinkKind::Normal) if holds => LinkState::ACCEPTED,
            (TaskState::FINISHED_OK, LinkKind::Normal) => LinkState::REJECTED,
            (TaskState::FINISHED_OK, LinkKind::Error) => LinkState::REJECTED,
            (TaskState::FINISHED_FAILURE, LinkKind::Normal) => LinkState::SKIPPED_FAILURE,
            (TaskState::FINISHED_FAILURE, LinkKind::Error) if holds => LinkState::ACCEPTED,
            (TaskState::SKIPPED, _) => LinkState::SKIPPED,
            // FINISHED_FAILURE with a false condition, and SKIPPED_FAILURE (a source that is not
            // done cannot be read: the target waits for it).
            _ => LinkState::SKIPPED_FAILURE,
        };
        self.links[l] = Some(state);
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.push(Event {
                tick: self.tick,
                kind: EventKind::Link {
                    link: LinkId(index(l)),
                    to: state,
                    source,
                    condition,
                },
            });
        }
        state
    }

    /// Rule 4: queued tasks start while fewer than `max_parallel` run.
    fn start_queued(&mut self) {
        while self.running.len() < self.c.max_parallel {
            let Some(t) = self.queue.pop_front() else {
                break;
            };
            let t = t as usize;
            self.task_to(t, TaskState::RUNNING, TaskWhy::Started);
            let finish = self.tick + u64::from(self.durations[t]);
            self.running.push(Reverse((finish, index(t))));
        }
    }

    /// Rule 6: a user stop.
    fn stop(&mut self) {
        let mut running: Vec<u32> = self.running.drain().map(|Reverse((_, t))| t).collect();
        running.sort_unstable();
        for t in running {
            self.task_to(t as usize, TaskState::FINISHED_FAILURE, TaskWhy::Stopped);
        }
        self.workflow_to(WorkflowState::STOP, WorkflowWhy::StoppedByUser);
    }

    /// Rule 6: the process is killed; the workflow stays RUNNING.
    fn kill(&mut self) {
        let mut running: Vec<u32> = self.running.drain().map(|Reverse((_, t))| t).collect();
        running.sort_unstable();
        for t in running {
            self.task_to(t as usize, TaskState::UNKNOWN, TaskWhy::Killed);
        }
    }

    fn task_to(&mut self, t: usize, to: TaskState, why: TaskWhy) {
        let from = std::mem::replace(&mut self.tasks[t], to);
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.push(Event {
                tick: self.tick,
                kind: EventKind::Task {
                    task: TaskId(index(t)),
                    from,
                    to,
                    why,
                },
            });
        }
    }

    fn workflow_to(&mut self, to: WorkflowState, why: WorkflowWhy) {
        let from = std::mem::replace(&mut self.workflow, to);
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.push(Event {
                tick: self.tick,
                kind: EventKind::Workflow { from, to, why },
            });
        }
    }
}

/// Flat adjacency: for each item, the indices (of `keys`) whose key is that node.
fn adjacency(nodes: usize, keys: impl Iterator<Item = u32> + Clone) -> (Vec<u32>, Vec<u32>) {
    let mut at = vec![0u32; nodes + 1];
    for key in keys.clone() {
        if let Some(slot) = at.get_mut(key as usize + 1) {
            *slot += 1;
        }
    }
    for i in 0..nodes {
        at[i + 1] += at[i];
    }
    let mut fill = at.clone();
    let mut items = vec![0u32; at[nodes] as usize];
    for (i, key) in keys.enumerate() {
        if let Some(slot) = fill.get_mut(key as usize) {
            items[*slot as usize] = index(i);
            *slot += 1;
        }
    }
    (at, items)
}

fn range<'a>(items: &'a [u32], at: &[u32], node: usize) -> &'a [u32] {
    match (at.get(node), at.get(node + 1)) {
        (Some(&from), Some(&to)) => items.get(from as usize..to as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// Indices fit `u32`: the model's ids are `u32`.
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}
