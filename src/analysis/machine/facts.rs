//! What is worked out once per program, before any machine is explored ([`Prepared`]): per
//! machine, the moves the outside makes in each state, the values it may set, whether it uses
//! `history`, what it looks at ([`Sight`]) and so whether its moves can be remembered, whether its
//! children's order can matter, and the size of the world under each machine as root. Every
//! traversal of the nesting of kinds is iterative and each kind is visited once: `wfl check`
//! explores every machine as a root, and a chain of 30 000 kinds must not recurse or go quadratic.

use super::world::ALL_VALUES_UP_TO;
use super::{ExternalEvent, MAX_WORLD};
use crate::model::{
    ActionKind, ActorId, EventId, Expr, ExprKind, Input, Machine, MachineId, Origin, Program,
    SendTarget, Target, Type,
};
use crate::sim::machine::World;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// Per machine: how many instances [`world_config`] makes with it as the root and `n` children
/// in every group, or some number above [`MAX_WORLD`] when that is more. Worked out once per
/// program, children before parents and iteratively, so that a chain of machine kinds as long as
/// the input costs its length, not its length squared, and no deep stack.
///
/// A machine on no cycle of the children groups (`cyclic`) has the same subtree wherever it is
/// (no machine below it can be above it), so its size is one plus `n` times its groups' sizes. A
/// machine on a cycle gets one level of its own kind, which depends on the way down: it is
/// counted by [`cyclic_world_size`], which stops as soon as the world is too big.
pub(super) fn world_sizes(program: &Program, cyclic: &[bool], n: u32) -> Vec<usize> {
    const UNKNOWN: usize = usize::MAX;
    let count = program.machines.len();
    let mut sizes = vec![UNKNOWN; count];
    if n == 0 {
        sizes.fill(1);
        return sizes;
    }
    let mut on_stack = vec![false; count];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for start in 0..count {
        if sizes[start] != UNKNOWN {
            continue;
        }
        stack.push((start, 0));
        on_stack[start] = true;
        while let Some((m, next)) = stack.last_mut() {
            let m = *m;
            let groups = &program.machines[m].children;
            if let Some(group) = groups.get(*next) {
                *next += 1;
                let c = group.machine.index();
                if c < count && sizes[c] == UNKNOWN && !on_stack[c] {
                    stack.push((c, 0));
                    on_stack[c] = true;
                }
                continue;
            }
            stack.pop();
            on_stack[m] = false;
            sizes[m] = if cyclic[m] {
                cyclic_world_size(program, cyclic, &sizes, MachineId::from_index(m), n)
            } else {
                // Every group's machine is done: none is on the stack, else this one would be
                // on a cycle.
                groups.iter().fold(1usize, |size, group| {
                    let child = sizes.get(group.machine.index()).copied().unwrap_or(1);
                    size.saturating_add((n as usize).saturating_mul(child))
                        .min(MAX_WORLD + 1)
                })
            };
        }
    }
    sizes
}

/// How many instances [`world_config`] makes from `root`, a machine on a cycle of children
/// groups, or some number above [`MAX_WORLD`]: on an explicit stack, over the machines on the
/// way down, with the sizes of machines on no cycle taken from `known` (where it has them). It
/// stops as soon as the world is too big: more than [`MAX_WORLD`] machines looked at, or a path
/// so deep that `n` children per level make more.
pub(super) fn cyclic_world_size(
    program: &Program,
    cyclic: &[bool],
    known: &[usize],
    root: MachineId,
    n: u32,
) -> usize {
    /// A machine on the way down: the next of its groups to look at, and its subtree's
    /// instances so far.
    struct Frame {
        machine: MachineId,
        next: usize,
        size: usize,
    }
    let mut stack = vec![Frame {
        machine: root,
        next: 0,
        size: 1,
    }];
    // How many times each machine is on the way down (a path, so a small map).
    let mut on_path: FxHashMap<MachineId, u8> = FxHashMap::default();
    on_path.insert(root, 1);
    // The fewest instances a path of the stack's depth makes: `n` to the depth.
    let mut deepest = vec![1usize];
    let mut looked_at = 1usize;
    while let Some(top) = stack.last_mut() {
        let groups = &program.machine(top.machine).children;
        if let Some(group) = groups.get(top.next) {
            top.next += 1;
            let times = on_path.get(&group.machine).copied().unwrap_or(0);
            // A machine nested in itself gets one level of its own kind.
            if times >= 2 {
                continue;
            }
            let c = group.machine.index();
            let done = known.get(c).filter(|&&s| s != usize::MAX);
            if let Some(&size) = done.filter(|_| !cyclic.get(c).copied().unwrap_or(true)) {
                top.size = top.size.saturating_add((n as usize).saturating_mul(size));
                if top.size > MAX_WORLD {
                    return top.size;
                }
                continue;
            }
            looked_at += 1;
            let depth = stack.len();
            if deepest.len() <= depth {
                let fewest = deepest[depth - 1].saturating_mul(n as usize);
                deepest.push(fewest);
            }
            if looked_at > MAX_WORLD || deepest[depth] > MAX_WORLD {
                return MAX_WORLD + 1;
            }
            on_path.insert(group.machine, times + 1);
            stack.push(Frame {
                machine: group.machine,
                next: 0,
                size: 1,
            });
            continue;
        }
        let Some(done) = stack.pop() else { break };
        if let Some(times) = on_path.get_mut(&done.machine) {
            *times -= 1;
        }
        match stack.last_mut() {
            None => return done.size,
            Some(parent) => {
                parent.size = parent
                    .size
                    .saturating_add((n as usize).saturating_mul(done.size));
                if parent.size > MAX_WORLD {
                    return parent.size;
                }
            }
        }
    }
    1
}

/// What the exploration of any root needs to know of every machine of the program, worked out
/// once: `wfl check` explores every machine as a root, and working it out again for each would
/// take time in proportion to the machines squared.
pub struct Prepared {
    /// Per machine: whether it has a `history` transition.
    pub(super) history: Vec<bool>,
    /// Per machine, per state: the external moves its transitions take.
    pub(super) moves: Vec<Vec<Vec<ExternalEvent>>>,
    /// Per machine, per state, per move: whether several transitions could take it.
    pub(super) contested: Vec<Vec<Vec<bool>>>,
    /// Per machine, per variable: the values a `set` from outside may give it (none but for
    /// inputs that change at any time).
    pub(super) settable: Vec<Vec<Vec<i64>>>,
    /// The events actions send, to find those the outside does not.
    pub(super) sends: Sends,
    /// See [`self_contained`], [`watches_children`], [`quiet_machines`], [`numbered_groups`].
    pub(super) contained: Vec<Option<Sight>>,
    pub(super) watches: Vec<bool>,
    pub(super) quiet: Vec<bool>,
    pub(super) numbered: Vec<Vec<bool>>,
    /// Per machine: whether it is on a cycle of children groups (nested in itself, maybe
    /// through others).
    pub(super) cyclic: Vec<bool>,
    /// [`world_sizes`] for one number of children, worked out when first asked for.
    pub(super) sizes: OnceLock<(u32, Vec<usize>)>,
}

impl Prepared {
    pub fn new(program: &Program) -> Prepared {
        let history = program
            .machines
            .iter()
            .map(|m| m.transitions.iter().any(|t| t.target == Target::History))
            .collect();
        // Per machine, per state: its transitions, in file order.
        let from: Vec<Vec<Vec<&crate::model::Transition>>> = program
            .machines
            .iter()
            .map(|m| {
                let mut from: Vec<Vec<&crate::model::Transition>> =
                    vec![Vec::new(); m.states.len()];
                for t in &m.transitions {
                    for s in &t.sources {
                        if let Some(list) = from.get_mut(s.index())
                            && list.last().is_none_or(|&last| !std::ptr::eq(last, t))
                        {
                            list.push(t);
                        }
                    }
                }
                from
            })
            .collect();
        let moves: Vec<Vec<Vec<ExternalEvent>>> = from
            .iter()
            .map(|per_state| {
                per_state
                    .iter()
                    .map(|transitions| {
                        let mut list: Vec<(EventId, Option<ActorId>)> = Vec::new();
                        let mut seen = FxHashSet::default();
                        for t in transitions {
                            for &event in t.events() {
                                let mv = (event, t.actor);
                                if seen.insert(mv) {
                                    list.push(mv);
                                }
                            }
                        }
                        list
                    })
                    .collect()
            })
            .collect();
        // Whether several transitions could take a move: counted per event, then per actor.
        let contested = from
            .iter()
            .zip(&moves)
            .map(|(per_state, per_state_moves)| {
                per_state
                    .iter()
                    .zip(per_state_moves)
                    .map(|(transitions, list)| {
                        let mut any_actor: FxHashMap<EventId, usize> = FxHashMap::default();
                        let mut by_actor: FxHashMap<(EventId, ActorId), usize> =
                            FxHashMap::default();
                        for t in transitions {
                            for &event in t.events() {
                                match t.actor {
                                    None => *any_actor.entry(event).or_default() += 1,
                                    Some(a) => *by_actor.entry((event, a)).or_default() += 1,
                                }
                            }
                        }
                        list.iter()
                            .map(|&(event, actor)| {
                                let open = any_actor.get(&event).copied().unwrap_or(0);
                                let named = actor
                                    .map_or(0, |a| by_actor.get(&(event, a)).copied().unwrap_or(0));
                                open + named >= 2
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        // Only inputs that may change at any time are set by the outside after the start.
        let settable = program
            .machines
            .iter()
            .map(|m| {
                m.vars
                    .iter()
                    .map(|v| match v.input {
                        Some(Input::AnyTime) => settable_values(program, v.ty).unwrap_or_default(),
                        _ => Vec::new(),
                    })
                    .collect()
            })
            .collect();
        Prepared {
            history,
            moves,
            contested,
            settable,
            sends: Sends::new(program),
            contained: self_contained(program),
            watches: watches_children(program),
            quiet: quiet_machines(program),
            numbered: numbered_groups(program),
            cyclic: cyclic_machines(program),
            sizes: OnceLock::new(),
        }
    }

    /// How many instances the world of `root` with `n` children per group has (see
    /// [`world_sizes`]): worked out for every machine at once, the first time, and looked up
    /// after that (`wfl check` explores every machine as a root, with one `n`).
    pub(super) fn world_size(&self, program: &Program, root: MachineId, n: u32) -> usize {
        let (cached, sizes) = self
            .sizes
            .get_or_init(|| (n, world_sizes(program, &self.cyclic, n)));
        let size = if *cached == n {
            sizes.get(root.index()).copied()
        } else {
            world_sizes(program, &self.cyclic, n)
                .get(root.index())
                .copied()
        };
        size.unwrap_or(MAX_WORLD + 1)
    }
}

/// Per machine: whether it is on a cycle of children groups (a group of its own kind, or of a
/// machine that has one of its kind below it).
pub(super) fn cyclic_machines(program: &Program) -> Vec<bool> {
    let edges = program
        .machines
        .iter()
        .enumerate()
        .flat_map(|(m, machine)| {
            machine
                .children
                .iter()
                .map(move |group| (m, group.machine.index(), 0))
        });
    crate::graph::Graph::new(program.machines.len(), edges).on_cycles()
}

/// The events the actions of each machine send, by where they go: what the world itself sends
/// an instance, which the outside then does not (specs/semantics.md, section 15, "The world").
pub(super) struct Sends {
    /// Per machine: the events it raises.
    pub(super) raised: Vec<Vec<EventId>>,
    /// Per machine: the events it sends to its parent.
    pub(super) up: Vec<Vec<EventId>>,
    /// Per machine, per children group: the events it sends to the group (or one child of it).
    pub(super) down: Vec<Vec<Vec<EventId>>>,
}

impl Sends {
    pub(super) fn new(program: &Program) -> Sends {
        let mut sends = Sends {
            raised: vec![Vec::new(); program.machines.len()],
            up: vec![Vec::new(); program.machines.len()],
            down: (program.machines.iter())
                .map(|m| vec![Vec::new(); m.children.len()])
                .collect(),
        };
        for (m, machine) in program.machines.iter().enumerate() {
            for action in machine.actions() {
                let list = match &action.kind {
                    ActionKind::Raise { event } => Some((&mut sends.raised[m], *event)),
                    ActionKind::Send {
                        event,
                        target: SendTarget::Parent,
                    } => Some((&mut sends.up[m], *event)),
                    ActionKind::Send { event, target } => target
                        .group()
                        .and_then(|g| sends.down[m].get_mut(g.index()))
                        .map(|list| (list, *event)),
                    ActionKind::Set { .. } => None,
                };
                if let Some((list, event)) = list
                    && !list.contains(&event)
                {
                    list.push(event);
                }
            }
        }
        sends
    }

    /// The events the world sends instance `i` of `world`: those its machine raises, those its
    /// parent sends to its group, those the children it has send up; with the machine's
    /// `external` events left out and its `internal` ones added.
    pub(super) fn inside(&self, program: &Program, world: &World<'_>, i: usize) -> Vec<EventId> {
        let instance = &world.instances[i];
        let m = instance.machine.index();
        let mut inside = self.raised[m].clone();
        if let (Some(parent), Some((group, _))) = (instance.parent, instance.slot) {
            let parent = world.instances[parent as usize].machine.index();
            inside.extend(self.down[parent].get(group.index()).into_iter().flatten());
        }
        for (g, children) in instance.children.iter().enumerate() {
            if !children.is_empty() {
                let child = program.machine(instance.machine).children[g].machine;
                inside.extend(&self.up[child.index()]);
            }
        }
        for &(event, origin) in &program.machine(instance.machine).origins {
            match origin {
                Origin::External => inside.retain(|&e| e != event),
                Origin::Internal => inside.push(event),
            }
        }
        inside.sort_unstable();
        inside.dedup();
        inside
    }
}

/// Every value of a variable, when there are at most [`ALL_VALUES_UP_TO`] of them.
pub(super) fn settable_values(program: &Program, ty: Type) -> Option<Vec<i64>> {
    match ty {
        Type::Bool => Some(vec![0, 1]),
        Type::Enum(e) => Some((0..program.enum_type(e).members.len() as i64).collect()),
        Type::Int { min, max } if ty != Type::INT && max.saturating_sub(min) < ALL_VALUES_UP_TO => {
            Some((min..=max).collect())
        }
        _ => None,
    }
}

/// How far an expression looks from its instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Sight {
    /// Its own state and variables.
    Own,
    /// Also the states of its children (quantifiers without `where`).
    ChildStates,
    /// Also its children's variables, or further.
    Beyond,
}

/// How far an expression looks, directly or through the views it reads (`views`: how far each
/// view of its machine looks, from [`view_sights`]).
pub(super) fn sight(e: &Expr, views: &[Sight]) -> Sight {
    let mut far = Sight::Own;
    e.walk_scope(&mut |e| match &e.kind {
        ExprKind::Quantifier { filter: None, .. } => far = far.max(Sight::ChildStates),
        ExprKind::Quantifier { .. } | ExprKind::At { .. } => far = Sight::Beyond,
        ExprKind::View(v) => far = far.max(views.get(v.index()).copied().unwrap_or(Sight::Beyond)),
        _ => {}
    });
    far
}

/// How far each view of machine `m` looks, each computed once, the views it reads first: views
/// built on one another (`view v2 = v1 and v1`) or in a long chain cost their size, iteratively.
pub(super) fn view_sights(m: &Machine) -> Vec<Sight> {
    const DONE: u8 = 2;
    let mut sights = vec![Sight::Beyond; m.views.len()];
    let mut mark = vec![0u8; m.views.len()];
    for first in 0..m.views.len() {
        let mut stack = vec![(first, false)];
        while let Some((v, reads_done)) = stack.pop() {
            let (Some(view), Some(&seen)) = (m.views.get(v), mark.get(v)) else {
                continue;
            };
            if reads_done {
                sights[v] = sight(&view.expr, &sights);
                mark[v] = DONE;
            } else if seen == 0 {
                // Marked as started, so a cycle (E0407, never analysed) cannot loop.
                mark[v] = 1;
                stack.push((v, true));
                view.expr.walk_scope(&mut |e| {
                    if let ExprKind::View(u) = e.kind {
                        stack.push((u.index(), false));
                    }
                });
            }
        }
    }
    sights
}

/// Whether an expression looks at children (`views` as for [`sight`]).
pub(super) fn looks_down(e: &Expr, views: &[Sight]) -> bool {
    sight(e, views) > Sight::Own
}

/// Per machine: what a move on an instance of it depends on, when it changes that instance
/// alone — it sends nothing — and depends on no more than its own fields and its children's
/// states; `None` otherwise.
pub(super) fn self_contained(program: &Program) -> Vec<Option<Sight>> {
    program
        .machines
        .iter()
        .map(|m| {
            let views = view_sights(m);
            let mut far = Sight::Own;
            let mut look = |e: &Expr| far = far.max(sight(e, &views));
            let mut sends = false;
            let mut actions = |actions: &[crate::model::Action]| {
                for a in actions {
                    a.expr().into_iter().for_each(&mut look);
                    sends |= matches!(a.kind, ActionKind::Send { .. });
                }
            };
            for t in &m.transitions {
                actions(&t.actions);
            }
            for s in &m.states {
                actions(&s.on_enter);
                actions(&s.on_exit);
            }
            for t in &m.transitions {
                if let Some(g) = &t.guard {
                    look(g);
                }
            }
            (!sends && far < Sight::Beyond).then_some(far)
        })
        .collect()
}

/// Per machine: whether an event-less transition's guard looks at its children (a change in a
/// child may then set it off).
pub(super) fn watches_children(program: &Program) -> Vec<bool> {
    program
        .machines
        .iter()
        .map(|m| {
            let views = view_sights(m);
            m.transitions.iter().any(|t| {
                t.is_eventless() && t.guard.as_ref().is_some_and(|g| looks_down(g, &views))
            })
        })
        .collect()
}

/// Per machine: whether it and every machine below it never `send … to parent`, so the order of
/// identical siblings cannot change what a run does.
pub(super) fn quiet_machines(program: &Program) -> Vec<bool> {
    let sends_up: Vec<bool> = program
        .machines
        .iter()
        .map(|m| {
            let up = |actions: &[crate::model::Action]| {
                actions.iter().any(|a| {
                    matches!(
                        a.kind,
                        ActionKind::Send {
                            target: SendTarget::Parent,
                            ..
                        }
                    )
                })
            };
            m.transitions.iter().any(|t| up(&t.actions))
                || m.states.iter().any(|s| up(&s.on_enter) || up(&s.on_exit))
        })
        .collect();
    // A machine is quiet when no machine below it, nor itself, sends up: every machine from
    // which one that sends up can be reached, over children groups, is not. One pass backwards
    // over the groups.
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); program.machines.len()];
    for (m, machine) in program.machines.iter().enumerate() {
        for c in &machine.children {
            if let Some(list) = parents.get_mut(c.machine.index()) {
                list.push(m);
            }
        }
    }
    let mut quiet: Vec<bool> = vec![true; program.machines.len()];
    let mut stack: Vec<usize> = (0..program.machines.len())
        .filter(|&m| sends_up[m])
        .collect();
    while let Some(m) = stack.pop() {
        if std::mem::replace(&mut quiet[m], false) {
            stack.extend(&parents[m]);
        }
    }
    quiet
}

/// Per machine, per children group: whether an action of the machine sends to one child of the
/// group by its number (`send … to one GROUP`, `send … to GROUP[i]`). Which child that is depends
/// on the order of the children, so the group's children are not interchangeable: swapping two of
/// them changes which one receives the event (specs/semantics.md, section 15, "Symmetry").
pub(super) fn numbered_groups(program: &Program) -> Vec<Vec<bool>> {
    program
        .machines
        .iter()
        .map(|m| {
            let mut numbered = vec![false; m.children.len()];
            for action in m.actions() {
                if let ActionKind::Send { target, .. } = &action.kind
                    && let Some(slot) = target.numbered().and_then(|g| numbered.get_mut(g.index()))
                {
                    *slot = true;
                }
            }
            numbered
        })
        .collect()
}
