//! The tables of one exploration ([`Space`]): the layout of its configurations, the symmetric
//! groups, the remembered instances, the visited set with the parents and the moves kept, and
//! what the outside sends each instance; built once per root by [`layout`] from the world and
//! the layers switched on.

use super::canonical::Symmetric;
use super::encoding::{Slot, field, slot_end, value_range};
use super::facts::{Prepared, Sight};
use super::memo::{ChildState, Local, LocalSlot, SETTLED, Settled};
use super::visited::{Edges, FieldLayout, NO_PARENT, Parents, Probe, Store, mask};
use super::world::{Outside, outside_tables};
use super::{ExternalEvent, Layers};
use crate::model::{MachineId, Program, StateId, StateKind};
use crate::sim::machine::{Compiled, Config, InstanceId, World};
use std::sync::Arc;

/// The configurations seen, their index, their parents and (for final-state questions) their
/// successors.
pub(crate) struct Space<'c> {
    pub(super) c: &'c Compiled,
    pub(super) program: &'c Program,
    pub(super) slots: Vec<Slot>,
    /// The symmetric groups and the remembered instances, shared with the threads that make
    /// successors ahead ([`super::parallel`]).
    pub(super) shape: Arc<Shape>,
    pub(super) width: usize,
    pub(super) store: Store,
    pub(super) parent: Parents,
    /// The combination each configuration made from initial values came from.
    pub(super) initial: Vec<(u32, u32)>,
    /// The moves stored, for "a way to a final state" ([`no_way_to_final`]): those the
    /// interpreter ran, and all of them when the store keeps bytes. The moves of remembered
    /// instances in a packed store are worked out again from the remembered outcomes
    /// ([`Space::remembered_moves`]), a lookup each, rather than kept at four bytes each.
    pub(super) edges: Option<Edges>,
    /// The world's setup: `children` instances per group.
    pub(crate) config: Config,
    /// What is known of every machine of the program.
    pub(super) prepared: Arc<Prepared>,
    /// What the outside sends, per machine and place in the world ([`Outside`]), and which of
    /// them each instance's is.
    pub(super) outside: Vec<Outside>,
    pub(super) outside_of: Vec<u32>,
    /// What the moves of remembered instances make of them (filled by the exploration).
    pub(super) lists: Local,
    /// Per instance, what a move of it keeps of what is known ([`kept_after_moves`]).
    pub(super) kept: Vec<(Settled, Settled)>,
    /// The work of queueing a successor in bytes ([`Space::queue`]): the bytes it is copied,
    /// hashed or packed from, and those compared to put identical children in order.
    pub(super) queue_work: u64,
}

/// What the successors of a packed configuration are made from besides the memo, fixed once
/// the world is laid out: the symmetric groups ([`super::canonical`]) and the remembered
/// instances. The threads that make successors ahead read it while the driver stores
/// ([`super::parallel`]).
pub(super) struct Shape {
    pub(super) symmetric: Vec<Symmetric>,
    /// Per instance: the symmetric groups it is in, deepest first, and which of their children
    /// holds it.
    pub(super) containing: Vec<Vec<(u32, u32)>>,
    /// Per instance: where its fields are, when a move on it changes only them and depends only
    /// on them (see [`Local`]).
    pub(super) local: Vec<Option<LocalSlot>>,
}

/// The fields of every instance of `world`, the symmetric groups and the moves.
pub(super) fn layout<'c>(
    program: &'c Program,
    c: &'c Compiled,
    world: &World<'_>,
    config: Config,
    layers: Layers,
    prepared: Arc<Prepared>,
) -> Space<'c> {
    let history = &prepared.history;
    let mut offset = 0u32;
    let mut slots = Vec::with_capacity(world.instances.len());
    for instance in &world.instances {
        let m = program.machine(instance.machine);
        let states = m.states.len().max(1) as u64;
        let state = field(&mut offset, 0, states);
        let previous = history[instance.machine.index()].then(|| field(&mut offset, 0, states + 1));
        let vars = m
            .vars
            .iter()
            .map(|v| {
                let default = crate::sim::code::value_to_i64(v.default);
                let (base, count) = value_range(program, v.ty, default);
                field(&mut offset, base, count)
            })
            .collect();
        slots.push(Slot {
            machine: instance.machine,
            state,
            previous,
            vars,
            size: 1,
        });
    }
    // Subtree sizes, children before parents (ids are in pre-order).
    for i in (0..world.instances.len()).rev() {
        if let Some(parent) = world.instances[i].parent {
            let size = slots[i].size;
            slots[parent as usize].size += size;
        }
    }
    // Every field in order, and each instance's among them.
    let mut fields: Vec<FieldLayout> = Vec::new();
    let mut slot_fields = Vec::with_capacity(slots.len());
    for slot in &slots {
        let start = fields.len();
        fields.extend(
            std::iter::once(&slot.state)
                .chain(&slot.previous)
                .chain(&slot.vars)
                .map(|f| FieldLayout {
                    offset: f.offset,
                    width: f.width,
                    count: f.count,
                }),
        );
        slot_fields.push(start..fields.len());
    }
    let width = offset.max(1) as usize;
    let store = Store::new(width, &fields, layers.pack);
    let packing = store.packing();
    // The fields of instances `a..b` (a subtree).
    let fields_of = |a: usize, b: usize| slot_fields[a].start..slot_fields[b - 1].end;
    let quiet = &prepared.quiet;
    let mut symmetric = Vec::new();
    // Reverse pre-order: a group's subtrees are sorted before the group that holds them.
    for i in (0..world.instances.len()).rev() {
        for (g, group) in world.instances[i].children.iter().enumerate() {
            let Some(&first) = group.first() else {
                continue;
            };
            let parent_machine = world.instances[i].machine;
            let child_machine = program.machine(parent_machine).children[g].machine;
            if !layers.symmetry
                || group.len() < 2
                || !quiet[child_machine.index()]
                || prepared.numbered[parent_machine.index()][g]
            {
                continue;
            }
            let instances = slots[first as usize].size;
            let start = slots[first as usize].state.offset;
            let end = slot_end(&slots, first as usize + instances as usize, offset);
            let last = (first + (group.len() as u32 - 1) * instances) as usize;
            let (low, bits) = packing.bits_of(fields_of(last, last + instances as usize));
            symmetric.push(Symmetric::new(
                (first, instances, group.len() as u32),
                (start, end - start),
                (low, bits),
            ));
        }
    }
    let (outside, outside_of) = outside_tables(program, world, &prepared);
    let (contained, watches) = (&prepared.contained, &prepared.watches);
    let local = (0..slots.len())
        .map(|i| {
            let fields = slot_fields[i].clone();
            let (low, bits) = packing.bits_of(fields.clone());
            let parent_watches = world.instances[i]
                .parent
                .is_some_and(|p| watches[world.instances[p as usize].machine.index()]);
            let sight = contained[slots[i].machine.index()].filter(|_| layers.remember)?;
            let children: Vec<ChildState> = if sight == Sight::ChildStates {
                world.instances[i]
                    .children
                    .iter()
                    .flatten()
                    .map(|&c| {
                        let state = slot_fields[c as usize].start;
                        let (low, bits) = packing.bits_of(state..state + 1);
                        let field = &slots[c as usize].state;
                        ChildState {
                            low,
                            bits,
                            mask: mask(bits),
                            offset: field.offset,
                            width: field.width,
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let seen_bits = bits + children.iter().map(|c| c.bits).sum::<u32>();
            let kind = outside_of[i];
            (!parent_watches
                && seen_bits <= Local::BITS
                && children.len() < 1 << 12
                && kind < 1 << 12)
                .then_some(LocalSlot {
                    kind,
                    fields,
                    low,
                    mask: mask(bits),
                    low_word: low + bits < 64 && children.iter().all(|c| c.low + c.bits < 64),
                    children,
                })
        })
        .collect();
    let mut containing = vec![Vec::new(); slots.len()];
    for (g, group) in symmetric.iter().enumerate() {
        for k in 0..group.count {
            let first = group.first + k * group.instances;
            for i in first..first + group.instances {
                containing[i as usize].push((g as u32, k));
            }
        }
    }
    let kept = kept_after_moves(&slots);
    // Bytes go fast: 64 of them count as one step of the interpreter.
    let queue_work = 1
        + (width as u64
            + symmetric
                .iter()
                .map(|g| u64::from(g.bytes) * u64::from(g.count))
                .sum::<u64>())
            / 64;
    Space {
        queue_work,
        c,
        program,
        slots,
        shape: Arc::new(Shape {
            symmetric,
            containing,
            local,
        }),
        width,
        store,
        parent: Parents::default(),
        initial: Vec::new(),
        edges: None,
        config,
        prepared,
        outside,
        outside_of,
        lists: Local::default(),
        kept,
    }
}

/// Per instance (the first [`SETTLED`], when there are no more), the [`Settled`] bits a move of
/// it keeps of the configuration it is made on (see [`Space::known_after`]): its anchors' bits
/// but its own and its parent's, and its `stored` bits but those and its subtree's.
fn kept_after_moves(slots: &[Slot]) -> Vec<(Settled, Settled)> {
    if slots.len() > SETTLED {
        return Vec::new();
    }
    (0..slots.len())
        .map(|j| {
            let size = slots[j].size as usize;
            let parent = (0..j).rev().find(|&p| p + slots[p].size as usize > j);
            let anchors = parent.map_or(Settled::MAX, |p| !(1 << p)) & !(1 << j);
            let subtree = (j + 1..j + size).fold(Settled::MAX, |bits, y| bits & !(1 << y));
            (anchors, anchors & subtree)
        })
        .collect()
}

impl<'c> Space<'c> {
    /// Bytes its tables take: the configurations and their index, their parents, the moves
    /// between them, where each combination of initial values led, and the remembered moves.
    pub(super) fn bytes(&self) -> usize {
        let edges = self.edges.as_ref().map_or(0, Edges::bytes);
        self.store.bytes()
            + self.parent.bytes()
            + edges
            + self.initial.capacity() * std::mem::size_of::<(u32, u32)>()
            + self.lists.bytes()
    }

    /// The stored configuration `i`.
    pub(crate) fn get(&self, i: u32) -> Vec<u8> {
        let mut bytes = vec![0; self.width];
        self.store.load(i, &mut bytes);
        bytes
    }

    pub(crate) fn parent_of(&self, i: u32) -> Option<u32> {
        self.parent.get(i as usize).filter(|&p| p != NO_PARENT)
    }

    pub(crate) fn combo_of(&self, i: u32) -> Option<u32> {
        self.initial
            .iter()
            .find(|(config, _)| *config == i)
            .map(|(_, combo)| *combo)
    }

    /// Stores a configuration; its index and whether it is new.
    pub(super) fn insert(&mut self, bytes: &[u8], probe: Probe, parent: u32) -> (u32, bool) {
        let (index, new) = self.store.insert(bytes, probe);
        if new {
            self.parent.push(parent);
        }
        (index, new)
    }

    /// The states instances of `machine` rest in, in stored configuration `c`, in instance order.
    pub(crate) fn resting(&self, c: u32, machine: MachineId) -> Vec<StateId> {
        let bytes = self.get(c);
        (0..self.slots.len())
            .filter(|&i| self.slots[i].machine == machine)
            .map(|i| self.state_in(&bytes, i))
            .collect()
    }

    /// How many states `machine` has.
    pub(crate) fn program_machine_states(&self, machine: MachineId) -> usize {
        self.program.machine(machine).states.len()
    }

    /// The root's state in stored configuration `i`, read from its packed form when there is
    /// one (else loaded into `bytes`).
    pub(super) fn root_state_at(&self, i: u32, bytes: &mut [u8]) -> StateId {
        match self.store.key(i) {
            Some(key) => {
                let (low, bits) = self.store.packing().bits_of(0..1);
                StateId(((key >> low) & mask(bits)) as u32)
            }
            None => {
                self.store.load(i, bytes);
                self.state_in(bytes, 0)
            }
        }
    }

    /// [`Space::root_state_at`] of the first `n` stored configurations, in order: read one
    /// packed configuration after the other when there are packed ones.
    pub(super) fn each_root_state(&self, n: usize, mut f: impl FnMut(usize, StateId)) {
        match self.store.keys() {
            Some(keys) => {
                let (low, bits) = self.store.packing().bits_of(0..1);
                let state = mask(bits);
                for (i, key) in keys.take(n).enumerate() {
                    f(i, StateId(((key >> low) & state) as u32));
                }
            }
            None => {
                let mut bytes = vec![0; self.width];
                for i in 0..n {
                    f(i, self.root_state_at(i as u32, &mut bytes));
                }
            }
        }
    }

    /// Whether the root's `state` is final.
    pub(super) fn root_final(&self, state: StateId) -> bool {
        let root = &self.slots[0];
        self.program.machine(root.machine).states[state.index()].kind == StateKind::Final
    }

    /// The events the outside sends instance `i` in `state`, each with its actor.
    pub(crate) fn moves_of(&self, i: InstanceId, state: StateId) -> &[ExternalEvent] {
        self.outside_at(i)
            .and_then(|o| o.moves.get(state.index()))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether several transitions of instance `i` in `state` could take its `k`th move.
    pub(super) fn contested(&self, i: InstanceId, state: StateId, k: usize) -> bool {
        self.outside_at(i)
            .and_then(|o| o.contested.get(state.index())?.get(k).copied())
            .unwrap_or(false)
    }

    pub(super) fn outside_at(&self, i: InstanceId) -> Option<&Outside> {
        let kind = *self.outside_of.get(i as usize)?;
        self.outside.get(kind as usize)
    }

    /// The values a `set` from outside may give each variable of `machine`.
    pub(crate) fn settable(&self, machine: MachineId) -> &[Vec<i64>] {
        self.prepared
            .settable
            .get(machine.index())
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn compiled(&self) -> &'c Compiled {
        self.c
    }

    /// The sorted, encoded configuration of a world (for matching a replayed run against the
    /// stored path).
    pub(crate) fn key(&self, world: &World<'_>) -> Option<Vec<u8>> {
        let mut bytes = vec![0; self.width];
        self.encode(world, &mut bytes).ok()?;
        self.shape
            .canonical(&mut bytes, &mut Vec::new(), &mut Vec::new());
        Some(bytes)
    }
}
