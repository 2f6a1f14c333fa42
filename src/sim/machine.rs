//! The state-machine interpreter: specs/semantics.md, section 14.
//!
//! Every machine of a program is compiled once ([`Compiled`]): per state, the transitions that
//! leave it in file order; guards, values and filters as stack programs; actions as a small list.
//! A [`World`] holds the instances (an arena: a root and its descendants), the FIFO queue of events
//! sent by actions, and the trace.

use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::Arc;

use super::code::{Code, Env, Quantifier, Unsupported, value_to_i64};
use crate::model::{
    ActionKind, ActorId, ChildrenId, EventId, MachineId, Program, SendTarget, StateId, StateKind,
    Target, TransitionId, Type, VarId, ViewId,
};
use crate::source::Span;

/// More steps than this in one stabilisation is a livelock (specs/semantics.md, section 14), plus
/// [`STEPS_PER_INSTANCE`] for every instance: a broadcast to 50 000 children and their replies
/// is a long cascade, not a livelock.
pub const MAX_STEPS: u32 = 10_000;
pub const STEPS_PER_INSTANCE: u32 = 4;
/// At most this many instances in one world (a scenario's or a simulation's `spawn`s).
pub const MAX_INSTANCES: usize = 100_000;
/// At most this many variables and children groups in all the instances of a world: what their
/// memory grows with (100 000 instances of a machine with 5 000 variables would take 4 GB).
pub const MAX_FIELDS: usize = 10_000_000;
/// Instances nest at most this deep below the root (a machine may have children of its own kind):
/// evaluating a quantifier whose filter reads a view with a quantifier goes one level down each.
pub const MAX_DEPTH: usize = 64;
/// At most this much work in one stabilisation (see [`World::worked`]): a guard that looks at
/// every child, evaluated for each of their replies, grows with the square of the children.
pub const MAX_WORK: u64 = 100_000_000;
/// At most this many events (the lines of its trace) in one run, over all its stabilisations: what
/// the trace's memory and a simulation's output grow with (see [`World::worked`]).
pub const MAX_EVENTS: u64 = 2_000_000;

/// Every machine of a program, ready to run.
#[derive(Debug)]
pub struct Compiled {
    machines: Vec<CMachine>,
}

impl CMachine {
    /// The transitions leaving `state` on `event` (event-less ones for `None`), in file order.
    fn on_event(&self, state: StateId, event: Option<u32>) -> impl Iterator<Item = u32> + '_ {
        let list = self
            .from_state
            .get(state.index())
            .map_or(&[][..], Vec::as_slice);
        let start = list.partition_point(|&(e, _)| e < event);
        let len = list[start..].partition_point(|&(e, _)| e == event);
        list[start..start + len].iter().map(|&(_, t)| t)
    }
}

#[derive(Debug)]
struct CMachine {
    kinds: Vec<StateKind>,
    defaults: Vec<i64>,
    /// Per variable: its integer range, checked when an action sets it.
    ranges: Vec<Option<(i64, i64)>>,
    /// Per children group: the child machine.
    children: Vec<u32>,
    initials: Vec<(u32, Option<Code>)>,
    transitions: Vec<CTransition>,
    /// Per state: the transitions leaving it, as (event, transition), by event (event-less
    /// first) and in file order for each event, so that those of one event are found by a binary
    /// search (see [`CMachine::on_event`]): a state with a transition per event would otherwise
    /// cost the square of its transitions to explore. A transition on several events (`on go or
    /// start`) is listed under each.
    from_state: Vec<Vec<(Option<u32>, u32)>>,
    /// Per state: whether an event-less transition leaves it (stabilisation looks only there).
    eventless: Vec<bool>,
    on_enter: Vec<Vec<CAction>>,
    on_exit: Vec<Vec<CAction>>,
    /// Per view: its program, which the programs that read it run (see [`Env::view`]).
    views: Vec<Code>,
}

#[derive(Debug)]
struct CTransition {
    target: Target,
    actor: Option<u32>,
    guard: Option<Code>,
    actions: Vec<CAction>,
}

#[derive(Debug)]
enum CAction {
    Set {
        var: u32,
        value: Code,
    },
    SendChildren {
        event: u32,
        children: u32,
        states: Option<Vec<u32>>,
    },
    /// `send … to one GROUP [in STATES]`.
    SendOne {
        event: u32,
        children: u32,
        states: Option<Arc<[StateId]>>,
        span: Span,
    },
    /// `send … to GROUP[INDEX]`.
    SendIndex {
        event: u32,
        children: u32,
        index: Code,
        span: Span,
    },
    SendParent {
        event: u32,
    },
    Raise {
        event: u32,
    },
}

impl Compiled {
    pub fn new(program: &Program) -> Result<Compiled, Unsupported> {
        let mut machines = Vec::with_capacity(program.machines.len());
        for (m, machine) in program.machines.iter().enumerate() {
            let id = Some(MachineId::from_index(m));
            let code = |e: &crate::model::Expr| Code::compile(e, program, id);
            let actions = |list: &[crate::model::Action]| -> Result<Vec<CAction>, Unsupported> {
                list.iter()
                    .map(|a| {
                        Ok(match &a.kind {
                            ActionKind::Set { var, value } => CAction::Set {
                                var: var.0,
                                value: code(value)?,
                            },
                            ActionKind::Send { event, target } => {
                                let event = event.0;
                                match target {
                                    SendTarget::Children { children, states } => {
                                        CAction::SendChildren {
                                            event,
                                            children: children.0,
                                            states: states
                                                .as_ref()
                                                .map(|s| s.iter().map(|s| s.0).collect()),
                                        }
                                    }
                                    SendTarget::One { children, states } => CAction::SendOne {
                                        event,
                                        children: children.0,
                                        states: states.as_deref().map(Arc::from),
                                        span: a.span,
                                    },
                                    SendTarget::Index { children, index } => CAction::SendIndex {
                                        event,
                                        children: children.0,
                                        index: code(index)?,
                                        span: a.span,
                                    },
                                    SendTarget::Parent => CAction::SendParent { event },
                                }
                            }
                            ActionKind::Raise { event } => CAction::Raise { event: event.0 },
                        })
                    })
                    .collect()
            };
            let n = machine.states.len();
            let mut from_state = vec![Vec::new(); n];
            let mut transitions = Vec::with_capacity(machine.transitions.len());
            for (i, t) in machine.transitions.iter().enumerate() {
                for s in &t.sources {
                    if let Some(list) = from_state.get_mut(s.index()) {
                        match t.events() {
                            [] => list.push((None, index(i))),
                            events => list.extend(events.iter().map(|e| (Some(e.0), index(i)))),
                        }
                    }
                }
                transitions.push(CTransition {
                    target: t.target,
                    actor: t.actor.map(|a| a.0),
                    guard: t.guard.as_ref().map(code).transpose()?,
                    actions: actions(&t.actions)?,
                });
            }
            machines.push(CMachine {
                kinds: machine.states.iter().map(|s| s.kind).collect(),
                defaults: machine
                    .vars
                    .iter()
                    .map(|v| value_to_i64(v.default))
                    .collect(),
                ranges: machine
                    .vars
                    .iter()
                    .map(|v| match v.ty {
                        Type::Int { min, max } if v.ty != Type::INT => Some((min, max)),
                        _ => None,
                    })
                    .collect(),
                children: machine.children.iter().map(|c| c.machine.0).collect(),
                initials: machine
                    .initials
                    .iter()
                    .map(|i| Ok((i.target.0, i.guard.as_ref().map(code).transpose()?)))
                    .collect::<Result<_, Unsupported>>()?,
                eventless: from_state
                    .iter()
                    .map(|list| list.iter().any(|&(e, _)| e.is_none()))
                    .collect(),
                // Stable: file order within each event.
                from_state: from_state
                    .into_iter()
                    .map(|mut list| {
                        list.sort_by_key(|&(e, _)| e);
                        list
                    })
                    .collect(),
                transitions,
                on_enter: machine
                    .states
                    .iter()
                    .map(|s| actions(&s.on_enter))
                    .collect::<Result<_, _>>()?,
                on_exit: machine
                    .states
                    .iter()
                    .map(|s| actions(&s.on_exit))
                    .collect::<Result<_, _>>()?,
                views: machine
                    .views
                    .iter()
                    .map(|v| code(&v.expr))
                    .collect::<Result<_, _>>()?,
            });
        }
        Ok(Compiled { machines })
    }
}

impl Compiled {
    /// How many instructions the machines' programs have in all: proportional to the file, since
    /// every expression is compiled once.
    pub fn instructions(&self) -> usize {
        self.machines
            .iter()
            .map(|m| {
                let actions = |list: &[CAction]| -> usize {
                    list.iter()
                        .map(|a| match a {
                            CAction::Set { value, .. } => value.len(),
                            CAction::SendIndex { index, .. } => index.len(),
                            _ => 1,
                        })
                        .sum()
                };
                m.views.iter().map(Code::len).sum::<usize>()
                    + m.initials
                        .iter()
                        .filter_map(|(_, g)| g.as_ref().map(Code::len))
                        .sum::<usize>()
                    + m.transitions
                        .iter()
                        .map(|t| t.guard.as_ref().map_or(0, Code::len) + actions(&t.actions))
                        .sum::<usize>()
                    + m.on_enter
                        .iter()
                        .chain(&m.on_exit)
                        .map(|l| actions(l))
                        .sum::<usize>()
            })
            .sum()
    }
}

/// An instance's index in its world.
pub type InstanceId = u32;

#[derive(Clone, Debug)]
pub struct Instance {
    pub machine: MachineId,
    /// `None` until its initial rules have run.
    pub state: Option<StateId>,
    /// The state it was in before it entered the current one (what `history` goes back to).
    pub previous: Option<StateId>,
    pub vars: Vec<i64>,
    /// Per children group, the children in creation order.
    pub children: Vec<Vec<InstanceId>>,
    pub parent: Option<InstanceId>,
    /// Where it hangs under its parent: the group and the index in it.
    pub slot: Option<(ChildrenId, u32)>,
}

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
    /// [`MAX_INSTANCES`] (`wanted`), more variables and children groups than [`MAX_FIELDS`]
    /// (`fields`), or instances nested deeper than [`MAX_DEPTH`] (`depth`). Nothing is created.
    TooManyInstances {
        wanted: usize,
        fields: usize,
        depth: usize,
    },
    /// More than [`MAX_WORK`] units of work in one stabilisation (`work`), or more than
    /// [`MAX_EVENTS`] events in the run (`events`).
    TooMuchWork { work: u64, events: u64 },
}

/// How a world's instances are set up before they are created: variables and spawned children,
/// per instance, nested.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub vars: Vec<(VarId, i64)>,
    /// Children to create, per group.
    pub spawn: Vec<(ChildrenId, u32)>,
    /// The configuration of individual children: (group, index) → their own.
    pub children: Vec<((ChildrenId, u32), Config)>,
}

impl Config {
    /// The configuration of the descendant at `path` (created on the way).
    pub fn at(&mut self, path: &[(ChildrenId, u32)]) -> &mut Config {
        let mut at = self;
        for &(group, index) in path {
            let position = match at
                .children
                .iter()
                .position(|(slot, _)| *slot == (group, index))
            {
                Some(p) => p,
                None => {
                    at.children.push(((group, index), Config::default()));
                    at.children.len() - 1
                }
            };
            at = &mut at.children[position].1;
        }
        at
    }

    /// How many children of `group` it spawns (saturating: it is compared with the limits).
    fn count(&self, group: ChildrenId) -> u32 {
        self.spawn
            .iter()
            .filter(|(g, _)| *g == group)
            .fold(0u32, |sum, (_, n)| sum.saturating_add(*n))
    }

    /// The first configured child (as a path, depth first) that the configuration does not spawn.
    pub fn unspawned(&self) -> Option<Vec<(ChildrenId, u32)>> {
        // Iterative: a path on the command line may be as long as the user likes.
        let mut path = Vec::new();
        let mut stack: Vec<(&Config, usize)> = vec![(self, 0)];
        while let Some((config, next)) = stack.pop() {
            let Some(((group, index), child)) = config.children.get(next) else {
                path.pop();
                continue;
            };
            stack.push((config, next + 1));
            path.push((*group, *index));
            if *index >= config.count(*group) {
                return Some(path);
            }
            stack.push((child, 0));
        }
        None
    }
}

/// Iterative: a configuration nests as deep as the paths of `--set` and `--spawn` go.
impl Drop for Config {
    fn drop(&mut self) {
        let mut nested: Vec<Config> = self.children.drain(..).map(|(_, c)| c).collect();
        while let Some(mut config) = nested.pop() {
            nested.extend(config.children.drain(..).map(|(_, c)| c));
        }
    }
}

/// What a configuration makes (see [`World::measure`]).
struct Size {
    instances: usize,
    fields: usize,
    depth: usize,
}

/// Instances, their queue of events, and what happened.
pub struct World<'c> {
    c: &'c Compiled,
    pub instances: Vec<Instance>,
    queue: VecDeque<(InstanceId, EventId)>,
    /// Children before parents, each in creation order: the order event-less transitions are
    /// looked for in.
    order: Vec<InstanceId>,
    /// Per instance: its position in `order`.
    position: Vec<u32>,
    /// The instances an event-less transition may be enabled in (see [`Stale`]).
    stale: Stale,
    /// The steps the current stabilisation may still take.
    left: u32,
    /// Its last steps, once few are left: the cycle a livelock names.
    recent: Vec<(InstanceId, StateId)>,
    /// The events actions sent beyond the steps left (see [`World::queue_event`]).
    overflow: usize,
    /// The work done in the current stabilisation (see [`World::worked`]); a cell, since guards
    /// are evaluated on a shared world.
    work: Cell<u64>,
    /// The events of the run so far, recorded in the trace or not (see [`World::worked`]).
    events: u64,
    pub trace: Option<Vec<Event>>,
    /// Steps taken (transitions and ignored events), over the world's life.
    pub steps: u64,
    /// When set, a stabilisation that comes back to where it was is a livelock at once, not after
    /// the whole step budget (the explorer's way to afford many livelocking moves).
    detector: Option<Detector>,
}

/// Brent's cycle detection over the world between two steps: the instances and the queue, which
/// decide everything that follows. A repeat means the run would go round for ever, so the step
/// budget would run out: the same livelock, found early.
#[derive(Default)]
struct Detector {
    saved: Vec<i64>,
    scratch: Vec<i64>,
    power: u32,
    since: u32,
    /// The steps since `saved`: one turn of the cycle when it is found.
    trail: Vec<(InstanceId, StateId)>,
}

impl<'c> World<'c> {
    /// Creates machine `root` and its configured descendants, runs their initial rules (children
    /// first) and stabilises; the world, and whether that went without a run error.
    pub fn new(
        c: &'c Compiled,
        root: MachineId,
        config: &Config,
        trace: bool,
    ) -> (World<'c>, Result<(), RunError>) {
        World::new_with(c, root, config, trace, false)
    }

    /// [`World::new`], finding livelocks early when `detect` is set (see
    /// [`World::detect_livelocks`]).
    pub fn new_with(
        c: &'c Compiled,
        root: MachineId,
        config: &Config,
        trace: bool,
        detect: bool,
    ) -> (World<'c>, Result<(), RunError>) {
        let mut world = World::from_instances(c, Vec::new());
        world.trace = trace.then(Vec::new);
        world.detector = detect.then(Detector::default);
        let size = world.measure(root, config);
        if size.instances > MAX_INSTANCES || size.fields > MAX_FIELDS || size.depth > MAX_DEPTH {
            return (
                world,
                Err(RunError::TooManyInstances {
                    wanted: size.instances,
                    fields: size.fields,
                    depth: size.depth,
                }),
            );
        }
        world.create(root, None, None, config);
        world.arrange();
        // The events entry actions queue are delivered by the stabilisation that follows.
        world.begin();
        for i in world.order.clone() {
            if let Err(e) = world.initial(i) {
                return (world, Err(e));
            }
        }
        let stable = world.stabilise_on();
        (world, stable)
    }

    /// A world holding exactly `instances` (instance 0 the root), with an empty queue and no
    /// trace: the explorer's way to step from a configuration it has stored.
    pub fn from_instances(c: &'c Compiled, instances: Vec<Instance>) -> World<'c> {
        let mut world = World {
            c,
            instances,
            queue: VecDeque::new(),
            order: Vec::new(),
            position: Vec::new(),
            stale: Stale::default(),
            left: 0,
            recent: Vec::new(),
            overflow: 0,
            work: Cell::new(0),
            events: 0,
            trace: None,
            steps: 0,
            detector: None,
        };
        world.arrange();
        world
    }

    /// What creating machine `root` from `config` would make: its instances, their variables and
    /// children groups, and how deep they nest below the root — counted without recursion and
    /// without creating anything (children that are not configured one by one spawn nothing).
    fn measure(&self, root: MachineId, config: &Config) -> Size {
        let fields = |m: u32| {
            self.c
                .machines
                .get(m as usize)
                .map_or(0, |m| m.defaults.len() + m.children.len())
        };
        let mut size = Size {
            instances: 1,
            fields: fields(root.0),
            depth: 0,
        };
        let mut stack = vec![(config, root.0, 0usize)];
        while let Some((config, machine, depth)) = stack.pop() {
            let Some(m) = self.c.machines.get(machine as usize) else {
                continue;
            };
            for (g, &child) in m.children.iter().enumerate() {
                let group = ChildrenId::from_index(g);
                let n = config.count(group) as usize;
                if n > 0 {
                    size.instances = size.instances.saturating_add(n);
                    size.fields = size.fields.saturating_add(n.saturating_mul(fields(child)));
                    size.depth = size.depth.max(depth + 1);
                }
                for ((_, index), nested) in
                    config.children.iter().filter(|(slot, _)| slot.0 == group)
                {
                    if (*index as usize) < n {
                        stack.push((nested, child, depth + 1));
                    }
                }
            }
        }
        size
    }

    /// The order event-less transitions are looked for in, from the instances' tree.
    fn arrange(&mut self) {
        self.order = post_order(&self.instances);
        self.position = vec![0; self.instances.len()];
        for (k, &i) in self.order.iter().enumerate() {
            if let Some(p) = self.position.get_mut(i as usize) {
                *p = index(k);
            }
        }
    }

    /// Finds livelocks by the run coming back to where it was (see [`Detector`]) as well as by
    /// the step budget: the same errors, most of them found much sooner.
    pub fn detect_livelocks(&mut self) {
        self.detector = Some(Detector::default());
    }

    /// A livelock, if the world between two steps is where it was before.
    fn repeats(&mut self) -> Option<RunError> {
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

    /// Empties the queue and the trace (keeping their memory): after a run error, before the
    /// explorer loads another configuration into the instances.
    pub fn reset(&mut self) {
        self.queue.clear();
        self.events = 0;
        self.work.set(0);
        if let Some(trace) = &mut self.trace {
            trace.clear();
        }
    }

    /// The units of work (see [`World::worked`]) done since the last stabilisation began, or the
    /// last [`World::reset`]: what the explorer counts besides steps, since one step may evaluate
    /// a guard as long as the file.
    pub fn work(&self) -> u64 {
        self.work.get()
    }

    /// Whether some transition of instance `i`'s state takes `event` from `actor` (guards aside):
    /// the explorer skips deliveries that would only be ignored.
    pub fn may_take(&self, i: InstanceId, event: EventId, actor: Option<ActorId>) -> bool {
        let Some(instance) = self.instances.get(i as usize) else {
            return false;
        };
        let Some(state) = instance.state else {
            return false;
        };
        let m = &self.c.machines[instance.machine.index()];
        m.on_event(state, Some(event.0)).any(|t| {
            let t = &m.transitions[t as usize];
            t.actor.is_none_or(|a| Some(a) == actor.map(|a| a.0))
        })
    }

    /// Whether `event` from `actor` enables a transition of instance `i` now. When it does not, a
    /// [`World::send`] to a stable world changes nothing (the event is ignored): the explorer
    /// skips those.
    pub fn takes(&self, i: InstanceId, event: EventId, actor: Option<ActorId>) -> bool {
        self.enabled(i, Some(event), actor).is_some()
    }

    /// The transitions of instance `i` that `event` from `actor` enables now (file order).
    pub fn enabled_all(
        &self,
        i: InstanceId,
        event: EventId,
        actor: Option<ActorId>,
    ) -> Vec<TransitionId> {
        let Some(instance) = self.instances.get(i as usize) else {
            return Vec::new();
        };
        let Some(state) = instance.state else {
            return Vec::new();
        };
        let m = &self.c.machines[instance.machine.index()];
        let scope = Scope {
            world: self,
            instance: i,
        };
        m.on_event(state, Some(event.0))
            .filter(|&t| {
                let t = &m.transitions[t as usize];
                t.actor.is_none_or(|a| Some(a) == actor.map(|a| a.0))
                    && t.guard.as_ref().is_none_or(|g| g.eval(&scope) != 0)
            })
            .map(TransitionId)
            .collect()
    }

    fn create(
        &mut self,
        machine: MachineId,
        parent: Option<InstanceId>,
        slot: Option<(ChildrenId, u32)>,
        config: &Config,
    ) -> InstanceId {
        let m = &self.c.machines[machine.index()];
        let mut vars = m.defaults.clone();
        for &(v, value) in &config.vars {
            if let Some(slot) = vars.get_mut(v.index()) {
                *slot = value;
            }
        }
        let id = index(self.instances.len());
        self.instances.push(Instance {
            machine,
            state: None,
            previous: None,
            vars,
            children: vec![Vec::new(); m.children.len()],
            parent,
            slot,
        });
        // Recursive, [`MAX_DEPTH`] deep at most ([`World::measure`] checked the configuration).
        let unconfigured = Config::default();
        for (g, &child_machine) in m.children.iter().enumerate() {
            let group = ChildrenId::from_index(g);
            // The children configured one by one, sorted by index: found by a search, not a scan
            // per child (a scenario may configure thousands of 100 000 children).
            let mut configured: Vec<(u32, &Config)> = config
                .children
                .iter()
                .filter(|(slot, _)| slot.0 == group)
                .map(|((_, k), c)| (*k, c))
                .collect();
            configured.sort_by_key(|(k, _)| *k);
            for k in 0..config.count(group) {
                let first = configured.partition_point(|(j, _)| *j < k);
                let child_config = match configured.get(first) {
                    Some(&(j, c)) if j == k => c,
                    _ => &unconfigured,
                };
                let child = self.create(
                    MachineId(child_machine),
                    Some(id),
                    Some((group, k)),
                    child_config,
                );
                self.instances[id as usize].children[g].push(child);
            }
        }
        id
    }

    /// The first initial rule whose guard holds; its state entered (with its entry actions).
    fn initial(&mut self, i: InstanceId) -> Result<(), RunError> {
        let m = &self.c.machines[self.instances[i as usize].machine.index()];
        let chosen = m.initials.iter().enumerate().find(|(_, (_, guard))| {
            guard.as_ref().is_none_or(|g| {
                g.eval(&Scope {
                    world: self,
                    instance: i,
                }) != 0
            })
        });
        self.worked()?;
        let Some((rule, &(state, _))) = chosen else {
            return Err(RunError::NoInitialRule { instance: i });
        };
        self.instances[i as usize].state = Some(StateId(state));
        self.record(Event::Initial {
            instance: i,
            state: StateId(state),
            rule: index(rule),
        });
        self.run_actions(i, &m.on_enter[state as usize])
    }

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
    fn budget(&self) -> u32 {
        let instances = u32::try_from(self.instances.len()).unwrap_or(u32::MAX);
        MAX_STEPS.saturating_add(instances.saturating_mul(STEPS_PER_INSTANCE))
    }

    /// A stabilisation starts: the whole bound ahead of it.
    fn begin(&mut self) {
        self.left = self.budget();
        self.recent.clear();
        self.overflow = 0;
        self.work.set(0);
    }

    /// Adds `units` to the work of the stabilisation; whether it is still within [`MAX_WORK`].
    fn charge(&self, units: u64) -> bool {
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
    fn worked(&self) -> Result<(), RunError> {
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
    fn stabilise_on(&mut self) -> Result<(), RunError> {
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
    fn spend(&mut self, i: InstanceId) -> Result<(), RunError> {
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
    fn out_of_steps(&self) -> RunError {
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

    fn deliver(
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
    fn enabled(
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
    fn fire(
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

    fn run_actions(&mut self, i: InstanceId, actions: &[CAction]) -> Result<(), RunError> {
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
    fn send_to_one(
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
    fn group(&self, i: InstanceId, children: u32) -> &[InstanceId] {
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
    fn queue_event(&mut self, from: InstanceId, to: InstanceId, event: EventId) {
        if self.queue.len() < self.left as usize {
            self.queue.push_back((to, event));
        } else {
            self.overflow += 1;
        }
        self.record(Event::Sent { from, to, event });
    }

    /// Instance `i` changed: it and its ancestors are stale (see [`World::stabilise_on`]). An
    /// instance already stale has stale ancestors, so the walk stops there.
    fn touched(&mut self, i: InstanceId) {
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

    fn record(&mut self, event: Event) {
        self.events += 1;
        if let Some(trace) = &mut self.trace {
            trace.push(event);
        }
    }

    /// The instance at `path` (groups and indices) from `from`, if it exists.
    pub fn resolve(&self, from: InstanceId, path: &[(ChildrenId, u32)]) -> Option<InstanceId> {
        path.iter().try_fold(from, |at, &(group, index)| {
            self.instances
                .get(at as usize)?
                .children
                .get(group.index())?
                .get(index as usize)
                .copied()
        })
    }

    /// The value of view `v` in instance `i` (`None` when there is no such instance or view).
    pub fn view(&self, i: InstanceId, v: ViewId) -> Option<i64> {
        let instance = self.instances.get(i as usize)?;
        let code = self.c.machines[instance.machine.index()]
            .views
            .get(v.index())?;
        Some(code.eval(&self.scope(i)))
    }

    /// The scope expressions are evaluated in for instance `i`.
    pub fn scope(&self, i: InstanceId) -> Scope<'_, 'c> {
        Scope {
            world: self,
            instance: i,
        }
    }
}

/// An instance, as compiled code sees it.
pub struct Scope<'w, 'c> {
    world: &'w World<'c>,
    instance: InstanceId,
}

impl Env for Scope<'_, '_> {
    fn var(&self, v: u32) -> i64 {
        self.world
            .instances
            .get(self.instance as usize)
            .and_then(|i| i.vars.get(v as usize))
            .copied()
            .unwrap_or(0)
    }

    fn state(&self) -> i64 {
        self.world
            .instances
            .get(self.instance as usize)
            .and_then(|i| i.state)
            .map_or(-1, |s| i64::from(s.0))
    }

    fn quantify(&self, q: &Quantifier) -> i64 {
        let Some(group) = self
            .world
            .instances
            .get(self.instance as usize)
            .and_then(|i| i.children.get(q.children as usize))
        else {
            return q.value(0, 0);
        };
        let (mut counted, mut considered) = (0, 0);
        for &child in group {
            if !self.world.charge(1) {
                break;
            }
            let scope = Scope {
                world: self.world,
                instance: child,
            };
            let passes = q.filter.as_ref().is_none_or(|f| f.eval(&scope) != 0);
            if passes {
                considered += 1;
                if q.counts(scope.state(), true) {
                    counted += 1;
                }
            }
        }
        q.value(counted, considered)
    }

    fn charge(&self, units: u64) -> bool {
        self.world.charge(units)
    }

    fn view(&self, v: u32) -> Option<&Code> {
        let instance = self.world.instances.get(self.instance as usize)?;
        self.world.c.machines[instance.machine.index()]
            .views
            .get(v as usize)
    }
}

/// The positions (in children-first order) of the instances that may have an enabled event-less
/// transition: a bit each. Ancestors of a stale instance are stale, and the search takes the first.
#[derive(Debug, Default)]
struct Stale {
    words: Vec<u64>,
    /// No bit is set in the words before this one.
    first: usize,
}

impl Stale {
    /// Every one of `n` positions stale.
    fn all(&mut self, n: usize) {
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
    fn mark(&mut self, k: usize) -> bool {
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
    fn pop_first(&mut self) -> Option<usize> {
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

/// Children before parents, each group in creation order.
fn post_order(instances: &[Instance]) -> Vec<InstanceId> {
    let mut order = Vec::with_capacity(instances.len());
    if instances.is_empty() {
        return order;
    }
    // Iterative: (instance, children visited?).
    let mut stack: Vec<(InstanceId, bool)> = vec![(0, false)];
    while let Some((i, expanded)) = stack.pop() {
        if expanded {
            order.push(i);
            continue;
        }
        stack.push((i, true));
        if let Some(instance) = instances.get(i as usize) {
            for group in instance.children.iter().rev() {
                for &child in group.iter().rev() {
                    stack.push((child, false));
                }
            }
        }
    }
    order
}

/// The shortest repeating run of steps at the end of `recent`, if its last steps repeat.
fn cycle_of(recent: &[(InstanceId, StateId)]) -> Option<Vec<(InstanceId, StateId)>> {
    let n = recent.len();
    (1..=64.min(n / 2))
        .find(|&period| recent[n - period..] == recent[n - 2 * period..n - period])
        .map(|period| recent[n - period..].to_vec())
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}
