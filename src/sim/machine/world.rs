//! The world a machine runs in: its instances (an arena, the root first), created from a
//! configuration, and what a scenario, a simulation or the explorer asks of it between runs.

use std::cell::Cell;
use std::collections::VecDeque;

use super::compile::Compiled;
use super::config::Config;
use super::event::{Event, RunError};
use super::livelock::Detector;
use super::stabilise::Stale;
use super::{MAX_DEPTH, MAX_FIELDS, MAX_INSTANCES, index};
use crate::model::{ActorId, ChildrenId, EventId, MachineId, StateId, TransitionId, ViewId};
use crate::sim::code::{Code, Env, Quantifier};

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

/// What a configuration makes (see [`World::measure`]).
struct Size {
    instances: usize,
    fields: usize,
    depth: usize,
}

/// Instances, their queue of events, and what happened.
pub struct World<'c> {
    pub(super) c: &'c Compiled,
    pub instances: Vec<Instance>,
    pub(super) queue: VecDeque<(InstanceId, EventId)>,
    /// Children before parents, each in creation order: the order event-less transitions are
    /// looked for in.
    pub(super) order: Vec<InstanceId>,
    /// Per instance: its position in `order`.
    pub(super) position: Vec<u32>,
    /// The instances an event-less transition may be enabled in (see [`Stale`]).
    pub(super) stale: Stale,
    /// The steps the current stabilisation may still take.
    pub(super) left: u32,
    /// Its last steps, once few are left: the cycle a livelock names.
    pub(super) recent: Vec<(InstanceId, StateId)>,
    /// The events actions sent beyond the steps left (see [`World::queue_event`]).
    pub(super) overflow: usize,
    /// The work done in the current stabilisation (see [`World::worked`]); a cell, since guards
    /// are evaluated on a shared world.
    pub(super) work: Cell<u64>,
    /// The events of the run so far, recorded in the trace or not (see [`World::worked`]).
    pub(super) events: u64,
    pub trace: Option<Vec<Event>>,
    /// Steps taken (transitions and ignored events), over the world's life.
    pub steps: u64,
    /// When set, a stabilisation that comes back to where it was is a livelock at once, not after
    /// the whole step budget (the explorer's way to afford many livelocking moves).
    pub(super) detector: Option<Detector>,
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
    pub(super) world: &'w World<'c>,
    pub(super) instance: InstanceId,
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
