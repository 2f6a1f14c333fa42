//! The explored world of one root: its setup (`children` instances per group, bounded by
//! [`MAX_WORLD`](super::MAX_WORLD)), the path of an instance in it, what the outside may send
//! each of its instances ([`Outside`], specs/semantics.md section 15) and the combinations of
//! initial values of the inputs it starts from ([`combos`]).

use super::canonical::Symmetric;
use super::encoding::Slot;
use super::facts::Prepared;
use super::{Combo, ExternalEvent, MAX_INITIAL};
use crate::model::{ChildrenId, EventId, MachineId, Program, Type, VarId};
use crate::sim::machine::{Config, InstanceId, World};
use rustc_hash::FxHashMap;

/// Combinations of initial values looked at (before setting aside rearrangements of identical
/// children) at most.
pub(super) const PRODUCT_LIMIT: u128 = 1 << 20;

/// Integer variables whose range has at most this many values start at every one of them; others
/// at their default, their smallest and their largest value.
pub(super) const ALL_VALUES_UP_TO: i64 = 16;

/// What the outside sends the instances of one machine in one place of the world: per state,
/// the events the state's transitions take that the world does not send them (specs/semantics.md,
/// section 15), each with its actor, and whether several transitions could take it.
pub(super) struct Outside {
    pub(super) moves: Vec<Vec<ExternalEvent>>,
    pub(super) contested: Vec<Vec<bool>>,
}

/// The world's setup: `n` children in every group, down the tree, none in a group whose machine
/// is already twice on the way down. Called once [`world_sizes`] has found the world within
/// [`MAX_WORLD`] instances, so it builds at most that many; on an explicit stack, each subtree
/// built once and copied into the other children of its group.
pub(super) fn world_config(program: &Program, root: MachineId, n: u32) -> Config {
    /// A machine on the way down: the next of its groups to look at, and its setup so far.
    struct Frame {
        machine: MachineId,
        next: usize,
        config: Config,
    }
    let mut stack = vec![Frame {
        machine: root,
        next: 0,
        config: Config::default(),
    }];
    // How many times each machine is on the way down.
    let mut on_path: FxHashMap<MachineId, u8> = FxHashMap::default();
    on_path.insert(root, 1);
    while let Some(top) = stack.last_mut() {
        let groups = &program.machine(top.machine).children;
        if let Some(group) = groups.get(top.next) {
            top.next += 1;
            // A machine nested in itself (a group of groups) gets one level of its own kind.
            let times = on_path.get(&group.machine).copied().unwrap_or(0);
            if times >= 2 || n == 0 {
                continue;
            }
            on_path.insert(group.machine, times + 1);
            stack.push(Frame {
                machine: group.machine,
                next: 0,
                config: Config::default(),
            });
            continue;
        }
        let Some(mut done) = stack.pop() else { break };
        if let Some(times) = on_path.get_mut(&done.machine) {
            *times -= 1;
        }
        let Some(parent) = stack.last_mut() else {
            return std::mem::take(&mut done.config);
        };
        // The group just done is the one before the parent's next.
        let group = ChildrenId::from_index(parent.next - 1);
        parent.config.spawn.push((group, n));
        for k in 1..n {
            parent
                .config
                .children
                .push(((group, k - 1), done.config.clone()));
        }
        parent
            .config
            .children
            .push(((group, n - 1), std::mem::take(&mut done.config)));
    }
    Config::default()
}

/// The path of groups and indices from the root to instance `i`.
pub(crate) fn instance_path(world: &World<'_>, i: InstanceId) -> Vec<(ChildrenId, u32)> {
    let mut path = Vec::new();
    let mut at = i;
    while let Some(instance) = world.instances.get(at as usize) {
        let (Some(parent), Some(slot)) = (instance.parent, instance.slot) else {
            break;
        };
        path.push(slot);
        at = parent;
    }
    path.reverse();
    path
}

/// What the outside sends each instance of `world`: the tables, one per machine and set of events
/// the world sends it, and each instance's.
pub(super) fn outside_tables(
    program: &Program,
    world: &World<'_>,
    prepared: &Prepared,
) -> (Vec<Outside>, Vec<u32>) {
    let mut kinds: FxHashMap<(MachineId, Vec<EventId>), u32> = FxHashMap::default();
    let mut tables = Vec::new();
    let mut of = Vec::with_capacity(world.instances.len());
    for (i, instance) in world.instances.iter().enumerate() {
        let m = instance.machine;
        let inside = prepared.sends.inside(program, world, i);
        let kind = *kinds.entry((m, inside)).or_insert_with_key(|(_, inside)| {
            tables.push(outside_of_machine(program, prepared, m, inside));
            (tables.len() - 1) as u32
        });
        of.push(kind);
    }
    (tables, of)
}

/// What the outside sends an instance of machine `m` that the world sends the events `inside`
/// (sorted): per state, the moves of its transitions but for events the world sends. An actor is
/// someone outside (actions send events from none), and any actor that a transition of the
/// machine names for an event may send it in every state, where it counts as none when no
/// transition of the state names it: so an event the world sends is still sent from outside by
/// those actors.
pub(super) fn outside_of_machine(
    program: &Program,
    prepared: &Prepared,
    m: MachineId,
    inside: &[EventId],
) -> Outside {
    let machine = program.machine(m);
    let is_inside = |e: &EventId| inside.binary_search(e).is_ok();
    let (mut moves, mut contested) = (Vec::new(), Vec::new());
    for (s, (list, flags)) in (prepared.moves[m.index()].iter())
        .zip(&prepared.contested[m.index()])
        .enumerate()
    {
        let mut kept: Vec<(ExternalEvent, bool)> = (list.iter().zip(flags))
            .filter(|((e, actor), _)| actor.is_some() || !is_inside(e))
            .map(|(&mv, &flag)| (mv, flag))
            .collect();
        for &(event, _) in list.iter().filter(|(e, a)| a.is_none() && is_inside(e)) {
            let actors = (machine.transitions.iter())
                .filter(|t| t.events().contains(&event))
                .filter_map(|t| t.actor);
            for a in actors {
                if kept.iter().any(|&(mv, _)| mv == (event, Some(a))) {
                    continue;
                }
                // Where several transitions of the state could take it.
                let takers = (machine.transitions.iter())
                    .filter(|t| t.sources.iter().any(|x| x.index() == s))
                    .filter(|t| t.events().contains(&event) && t.actor.is_none_or(|b| b == a))
                    .count();
                kept.push(((event, Some(a)), takers >= 2));
            }
        }
        let (l, f): (Vec<ExternalEvent>, Vec<bool>) = kept.into_iter().unzip();
        moves.push(l);
        contested.push(f);
    }
    Outside { moves, contested }
}

/// Every combination of initial values of the inputs (bool and enum variables: every value;
/// integers with a small range: every value, with a large one: default, smallest and largest;
/// unbounded: the default; other variables start at their declared value), one per arrangement of identical children, and whether they all fit under
/// [`MAX_INITIAL`] (else the first ones; only the defaults when there are more than
/// [`PRODUCT_LIMIT`] before rearrangements are set aside).
pub(super) fn combos(
    program: &Program,
    slots: &[Slot],
    symmetric: &[Symmetric],
) -> (Vec<Combo>, bool) {
    let mut choices: Vec<(InstanceId, VarId, Vec<i64>)> = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let m = program.machine(slot.machine);
        // Only inputs start elsewhere than at their declared value.
        for (v, var) in m.vars.iter().enumerate().filter(|(_, v)| v.input.is_some()) {
            let default = crate::sim::code::value_to_i64(var.default);
            let mut values = vec![default];
            match var.ty {
                Type::Bool => values.push(1 - default.clamp(0, 1)),
                Type::Enum(e) => {
                    let n = program.enum_type(e).members.len() as i64;
                    values.extend((0..n).filter(|&x| x != default));
                }
                Type::Int { min, max } if var.ty != Type::INT => {
                    if max.saturating_sub(min) < ALL_VALUES_UP_TO {
                        values.extend((min..=max).filter(|&x| x != default));
                    } else {
                        values.extend([min, max].into_iter().filter(|&x| x != default));
                        values.dedup();
                    }
                }
                _ => {}
            }
            if values.len() > 1 {
                choices.push((i as u32, VarId::from_index(v), values));
            }
        }
    }
    // The first choice of each instance: a subtree's choices are contiguous, like its instances.
    let mut first_choice = vec![choices.len(); slots.len() + 1];
    for (k, (i, _, _)) in choices.iter().enumerate().rev() {
        first_choice[*i as usize] = k;
    }
    for i in (0..slots.len()).rev() {
        first_choice[i] = first_choice[i].min(first_choice[i + 1]);
    }
    let mut total: u128 = 1;
    for (_, _, values) in &choices {
        total = total.saturating_mul(values.len() as u128);
    }
    if total > PRODUCT_LIMIT {
        return (vec![Combo::new()], false);
    }
    let mut out = Vec::new();
    let mut all = true;
    let mut digits = vec![0usize; choices.len()];
    for _ in 0..total {
        // One combination per arrangement of identical children: their values in order.
        let sorted = symmetric.iter().all(|g| {
            (1..g.count).all(|k| {
                let child = |k: u32| {
                    let first = (g.first + k * g.instances) as usize;
                    &digits[first_choice[first]..first_choice[first + g.instances as usize]]
                };
                child(k - 1) <= child(k)
            })
        });
        if sorted {
            if out.len() == MAX_INITIAL {
                all = false;
                break;
            }
            out.push(
                choices
                    .iter()
                    .zip(&digits)
                    .filter(|(_, d)| **d > 0)
                    .map(|((i, v, values), &d)| (*i, *v, values[d]))
                    .collect(),
            );
        }
        // Next combination, last choice fastest.
        for (d, (_, _, values)) in digits.iter_mut().zip(&choices).rev() {
            *d += 1;
            if *d < values.len() {
                break;
            }
            *d = 0;
        }
    }
    (out, all)
}
