//! Explicit-state exploration of a machine with its children (specs/semantics.md, "Machine
//! analysis").
//!
//! The world is fixed before the exploration starts: the root machine, `children` instances in
//! every `children` group, recursively (a group whose machine already appears twice on the way
//! down gets none: a machine nested in itself gets one level of its own kind). The world is
//! closed: from every combination of starting values of the inputs (other variables start at
//! their declared values) the explorer creates the world with the interpreter, then sends every
//! event that some transition of an instance's state takes and that no action of the world sends
//! it ([`Outside`]) — from every actor those transitions name, and from none — and sets every
//! `input var` to each of its values, on every instance, each a separate successor, breadth
//! first. Nothing here re-implements the semantics: each move is [`World::send`] on the compiled
//! model, so what the exploration finds is what a run does. A move on a self-contained instance
//! (one that sends nothing and looks only at itself and its children's states, under a parent
//! that does not watch it) is run once per machine and what it looks at, and its outcome
//! remembered ([`Local`]).
//!
//! A configuration (every instance's state, the state `history` goes back to when the machine
//! uses `history`, and the variables) is encoded in a fixed number of bytes: each field is stored
//! as an offset from its smallest value in 1, 2 or 4 bytes, big-endian. `store.rs` keeps the
//! configurations seen, packed into as few bits as their fields need when that fits in 96; the
//! parent of each is kept for witnesses.
//! Integers without a range are stored in a window around their default; a value outside it stops
//! the exploration, which is then incomplete (like the `--max-states` and `--max-memory` bounds).
//!
//! Symmetry: the instances of a group are identical machines, so two configurations that differ
//! only by the order of those children behave alike — when the order cannot matter. It can when a
//! child sends events to its parent (the parent receives them in child order), and when the parent
//! sends to one child by its number (`send … to one GROUP`, `send … to GROUP[i]`), so the reduction
//! is used only for groups whose machines never `send … to parent` and that no action addresses
//! that way. There, the children's encodings are sorted (bottom up), and of several identical
//! children only the first receives events.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

use super::compact::{Edges, NO_PARENT, Parents};
use super::store::{
    Chunked, FieldLayout, NEW, Probe, REFUSED, Store, hash_table_bytes, mask, read_field,
    write_field,
};

use crate::model::{
    ActionKind, ActorId, ChildrenId, EventId, Expr, ExprKind, Input, Machine, MachineId, Origin,
    Program, SendTarget, StateId, StateKind, Target, TransitionId, Type, VarId,
};
use crate::sim::machine::{Compiled, Config, Event, InstanceId, RunError, World};
use crate::source::Span;

/// An event sent from outside, and the actor it comes from.
type ExternalEvent = (EventId, Option<ActorId>);

/// How much the exploration may do.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Instances in each `children` group.
    pub children: u32,
    /// Configurations stored at most.
    pub max_states: usize,
    /// Bytes the stored configurations, their index and their links may take.
    pub max_bytes: usize,
}

/// The command line's hold on the explorations that run (the library never sets it): when set
/// (Ctrl-C, `--max-time`), every exploration stops at its next configuration and is incomplete
/// ([`Stop::Interrupted`]); what it found is reported as a bound's would be.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The configurations the explorations of this process have stored so far, for a progress bar.
pub static STORED: AtomicU64 = AtomicU64::new(0);

/// Whether the explorations are to stop ([`INTERRUPTED`]).
fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// At most this many instances in the explored world.
pub const MAX_WORLD: usize = 4096;
/// At most this many combinations of initial values.
pub const MAX_INITIAL: usize = 1 << 14;
/// Combinations of initial values looked at (before setting aside rearrangements of identical
/// children) at most.
const PRODUCT_LIMIT: u128 = 1 << 20;
/// Integer variables whose range has at most this many values start at every one of them; others
/// at their default, their smallest and their largest value.
const ALL_VALUES_UP_TO: i64 = 16;
/// Room around an unbounded integer's default (and zero) before the exploration gives up.
const WINDOW: i64 = 64;

/// Why an exploration stopped before it saw everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// `--max-states` configurations were stored.
    States,
    /// The stored configurations took `--max-memory`.
    Memory,
    /// An integer left the range the encoding has room for.
    Values { machine: MachineId, var: VarId },
    /// Too many combinations of initial values to try them all.
    Initial,
    /// The world would have more than [`MAX_WORLD`] instances.
    World,
    /// A variable has too many values to try setting each from outside (more than 16: an
    /// integer with a wide range or none).
    Wide { machine: MachineId, var: VarId },
    /// The exploration did the work it was allowed ([`work_bound`]; in `wfl check`, its share of
    /// the file's).
    Work,
    /// A run of an instance of `machine` took the whole bound on steps without coming back to
    /// where it was (W0415): where it would have gone on to, no run shows, so "never" cannot be
    /// said. The exploration goes on.
    Steps { machine: MachineId },
    /// A run went past what the interpreter lets one run do (too much work or too many events,
    /// E0508; a world too large, E0503): it stopped there, so where it would have gone on to is
    /// not known. The exploration goes on.
    Run,
    /// It was stopped from outside ([`INTERRUPTED`]: Ctrl-C, `--max-time`): unlike the other
    /// bounds, where depends on the machine's speed.
    Interrupted,
}

/// What a run may do from outside: send an event, or set a variable (a scenario's `send` and
/// `set` lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Send(EventId, Option<ActorId>),
    Set(VarId, i64),
}

/// An action on an instance (numbered in the stored, sorted configuration).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Move {
    pub instance: InstanceId,
    pub action: Action,
}

/// Where something was first seen: while the world was created from a combination of initial
/// values, or during a move from a stored configuration. Breadth-first order makes it the
/// shortest run that shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    Initial { combo: u32 },
    Move { from: u32, mv: Move },
}

/// Two transitions that one event enables at once; the later one is shadowed there.
#[derive(Clone, Copy, Debug)]
pub struct Shadow {
    pub machine: MachineId,
    pub first: TransitionId,
    pub later: TransitionId,
    pub seen: Seen,
}

/// A run error some run runs into.
#[derive(Clone, Debug)]
pub struct Failure {
    pub error: RunError,
    /// The machine of the instance the error is about.
    pub machine: MachineId,
    pub seen: Seen,
    /// A livelock that took the whole bound on steps (see [`Stop::Steps`]), rather than one
    /// that came back to where it was.
    pub cut: bool,
}

/// Whether a run error is a livelock that took the whole bound on steps, `taken` being the
/// steps the run took: a run that comes back to where it was is found sooner.
fn cut_by_bound(error: &RunError, taken: u64) -> bool {
    matches!(error, RunError::Livelock { steps, .. } if taken >= u64::from(*steps))
}

/// A send to one child of a group (`send … to one GROUP`, `send … to GROUP[i]`) that reached no
/// child in some run: the event was not sent.
#[derive(Clone, Copy, Debug)]
pub struct Unsent {
    /// The machine whose action it is.
    pub machine: MachineId,
    /// The action.
    pub action: Span,
    pub seen: Seen,
}

/// A combination of initial values: (instance, variable, value) for each value that is not the
/// default.
pub type Combo = Vec<(InstanceId, VarId, i64)>;

/// What an exploration found.
pub struct Exploration<'c> {
    pub root: MachineId,
    pub limits: Limits,
    pub stop: Option<Stop>,
    /// Stored configurations.
    pub configs: usize,
    /// Moves tried (successors computed).
    pub moves: u64,
    /// Configurations looked up in the store while exploring (each found, or added).
    pub lookups: u64,
    /// The work done, in steps (each about what a step of the interpreter takes): for each move
    /// run by the interpreter, eight, the instances of the world (loaded into it) and the steps
    /// the run took; for each remembered instance, one and the outcomes put in place; for each
    /// successor queued as bytes, one per 64 bytes copied and compared; for each world
    /// created, its instances and steps.
    pub work: u64,
    /// Whether each machine has an instance in the world.
    pub present: Present,
    /// Per machine, per state: where it was first entered.
    pub reached: PerMachine<Option<Seen>>,
    /// Per machine, per transition: where it was first taken.
    pub taken: PerMachine<Option<Seen>>,
    pub shadows: Vec<Shadow>,
    pub failures: Vec<Failure>,
    /// Sends to one child that reached none, the first time each action did.
    pub unsent: Vec<Unsent>,
    /// What is in `shadows`, `failures` and `unsent`, to find it at once.
    shadows_seen: FxHashSet<(MachineId, TransitionId, TransitionId)>,
    failures_seen: FxHashSet<(MachineId, (u8, u32))>,
    unsent_seen: FxHashSet<Span>,
    /// States of the root from which no configuration with the root in a final state can be
    /// reached, each with the first (shortest to reach) configuration that shows it. Only for a
    /// complete exploration of a root with final states.
    pub no_final: Vec<(StateId, u32)>,
    /// A complete exploration whose `no_final` could not be worked out within the bound on
    /// memory: W0412 is then not reported (and N0417 says so).
    pub no_final_unknown: bool,
    /// The combinations of initial values tried.
    pub combos: Vec<Combo>,
    pub(crate) space: Space<'c>,
    /// The work the witnesses of its findings may still do, counted as the exploration counts
    /// its own (see [`Exploration::work`]): as much as the exploration was allowed.
    witness_work: Cell<u64>,
    /// Whether a stored path could not be replayed since [`Exploration::take_replay_failed`]
    /// was last asked: the interpreter and the exploration disagree, a bug in wfl.
    replay_failed: Cell<bool>,
}

impl Exploration<'_> {
    pub fn complete(&self) -> bool {
        self.stop.is_none()
    }

    /// Spends `work` on witnesses; false, and none left, when there is not that much.
    pub(crate) fn spend_on_witnesses(&self, work: u64) -> bool {
        let left = self.witness_work.get();
        self.witness_work.set(left.saturating_sub(work));
        left >= work
    }

    /// Notes that a stored path could not be replayed (unless the witnesses' work ran out).
    pub(crate) fn replay_failed(&self) {
        if !self.witnesses_spent() {
            self.replay_failed.set(true);
        }
    }

    /// Whether a stored path could not be replayed since it was last asked.
    pub(crate) fn take_replay_failed(&self) -> bool {
        self.replay_failed.replace(false)
    }

    /// Whether the witnesses' work is spent: findings after that are shown without a run.
    pub(crate) fn witnesses_spent(&self) -> bool {
        self.witness_work.get() == 0
    }

    /// The instances of the explored world.
    pub(crate) fn space_instances(&self) -> u64 {
        self.space.slots.len() as u64
    }

    /// Bytes the exploration's tables took at the end.
    pub fn bytes(&self) -> usize {
        self.space.bytes()
    }

    /// The setup of the explored world with the initial values of combination `combo`: what
    /// [`World::new`] needs to create it.
    pub fn configuration(&self, combo: usize) -> Option<Config> {
        let (template, _) = World::new(self.space.c, self.root, &self.space.config, false);
        let mut config = self.space.config.clone();
        for &(instance, var, value) in self.combos.get(combo)? {
            config
                .at(&instance_path(&template, instance))
                .vars
                .push((var, value));
        }
        Some(config)
    }
}

/// The machines with an instance in the explored world, indexed by machine index like a
/// `Vec<bool>` of the program's machines: `x.present[m]`. It takes room for the world's machines
/// only: `wfl check` explores every machine of a file as a root, and a flag per machine of the
/// program for each would cost the number of machines squared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Present {
    /// Sorted.
    machines: Vec<MachineId>,
}

impl Present {
    fn new(world: &World<'_>) -> Present {
        let mut machines: Vec<MachineId> = world.instances.iter().map(|i| i.machine).collect();
        machines.sort_unstable();
        machines.dedup();
        Present { machines }
    }

    /// Where machine `m` is among them.
    fn position(&self, m: usize) -> Option<usize> {
        self.machines.binary_search(&MachineId::from_index(m)).ok()
    }
}

impl std::ops::Index<usize> for Present {
    type Output = bool;
    fn index(&self, m: usize) -> &bool {
        if self.position(m).is_some() {
            &true
        } else {
            &false
        }
    }
}

/// Per machine of the explored world, a list (an entry per state, or per transition), indexed by
/// machine index like a `Vec` per machine of the program: `x.reached[m][s]`. Machines without an
/// instance in the world have an empty list and take no room (see [`Present`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerMachine<T> {
    present: Present,
    lists: Vec<Vec<T>>,
}

impl<T: Clone> PerMachine<T> {
    /// For each machine present, `len(machine)` copies of `value`.
    fn new(present: &Present, len: impl Fn(MachineId) -> usize, value: T) -> PerMachine<T> {
        PerMachine {
            lists: present
                .machines
                .iter()
                .map(|&m| vec![value.clone(); len(m)])
                .collect(),
            present: present.clone(),
        }
    }
}

impl<T> std::ops::Index<usize> for PerMachine<T> {
    type Output = [T];
    fn index(&self, m: usize) -> &[T] {
        match self.present.position(m) {
            Some(k) => &self.lists[k],
            None => &[],
        }
    }
}

impl<T> std::ops::IndexMut<usize> for PerMachine<T> {
    fn index_mut(&mut self, m: usize) -> &mut [T] {
        match self.present.position(m) {
            Some(k) => &mut self.lists[k],
            None => &mut [],
        }
    }
}

/// One variable's or state's place in a configuration's bytes.
#[derive(Clone, Copy, Debug)]
struct Field {
    offset: u32,
    width: u8,
    /// The value stored as 0.
    base: i64,
    /// How many values fit.
    count: u64,
}

impl Field {
    fn put(&self, bytes: &mut [u8], value: i64) -> bool {
        let Some(offset) = value.checked_sub(self.base) else {
            return false;
        };
        let Ok(offset) = u64::try_from(offset) else {
            return false;
        };
        if offset >= self.count {
            return false;
        }
        write_field(bytes, self.offset, self.width, offset);
        true
    }

    fn get(&self, bytes: &[u8]) -> i64 {
        self.base + read_field(bytes, self.offset, self.width) as i64
    }
}

/// One instance's fields.
#[derive(Debug)]
struct Slot {
    machine: MachineId,
    state: Field,
    /// Only for machines with a `history` transition.
    previous: Option<Field>,
    vars: Vec<Field>,
    /// The instances of its subtree, itself included.
    size: u32,
}

/// A group of identical children whose order does not matter: `count` subtrees of `instances`
/// instances and `bytes` bytes each, starting at instance `first` and byte `start`.
#[derive(Debug)]
struct Symmetric {
    first: u32,
    instances: u32,
    count: u32,
    start: u32,
    bytes: u32,
    /// In the packed configuration: the lowest bit of the last child, and the bits of each.
    low: u32,
    bits: u32,
}

/// What the outside sends the instances of one machine in one place of the world: per state,
/// the events the state's transitions take that the world does not send them (specs/semantics.md,
/// section 15), each with its actor, and whether several transitions could take it.
struct Outside {
    moves: Vec<Vec<ExternalEvent>>,
    contested: Vec<Vec<bool>>,
}

/// The configurations seen, their index, their parents and (for final-state questions) their
/// successors.
pub(crate) struct Space<'c> {
    c: &'c Compiled,
    program: &'c Program,
    slots: Vec<Slot>,
    symmetric: Vec<Symmetric>,
    width: usize,
    store: Store,
    parent: Parents,
    /// The combination each configuration made from initial values came from.
    initial: Vec<(u32, u32)>,
    /// The moves stored, for "a way to a final state" ([`no_way_to_final`]): those the
    /// interpreter ran, and all of them when the store keeps bytes. The moves of remembered
    /// instances in a packed store are worked out again from the remembered outcomes
    /// ([`Space::remembered_moves`]), a lookup each, rather than kept at four bytes each.
    edges: Option<Edges>,
    /// The world's setup: `children` instances per group.
    pub(crate) config: Config,
    /// What is known of every machine of the program.
    prepared: Arc<Prepared>,
    /// What the outside sends, per machine and place in the world ([`Outside`]), and which of
    /// them each instance's is.
    outside: Vec<Outside>,
    outside_of: Vec<u32>,
    /// Per instance: where its fields are, when a move on it changes only them and depends only
    /// on them (see [`Local`]).
    local: Vec<Option<LocalSlot>>,
    /// What the moves of remembered instances make of them (filled by the exploration).
    lists: Local,
    /// Per instance: the symmetric groups it is in, deepest first, and which of their children
    /// holds it.
    containing: Vec<Vec<(u32, u32)>>,
    /// The work of queueing a successor in bytes ([`Space::queue`]): the bytes it is copied,
    /// hashed or packed from, and those compared to put identical children in order.
    queue_work: u64,
}

const NO_MOVER: u32 = u32::MAX;

/// Per instance (the first [`SETTLED`]), a bit: set when the anchors of that instance in a
/// configuration are all known to have been explored before it (or it has none), so they need
/// not be looked up. A configuration found by a remembered move inherits it from the one it was
/// found from for every other instance: the anchor of an instance that did not move, moved as it
/// did, was found when that anchor was explored, before. (An identical sibling's anchor is the
/// same configuration, so where identical children sit in their group does not matter.)
type Settled = u64;
const SETTLED: usize = 64;

/// What is known of the instances of a configuration waiting to be explored, as [`Settled`]
/// bits: that their anchors were explored before it; and that every move of theirs leads to a
/// configuration stored before it is explored, so none is looked up.
///
/// The second holds for instance `y` of a configuration D found from C by a remembered move `m`
/// of another instance `x` (`y` neither `x`'s parent nor in `x`'s subtree) when every move `m'`
/// of `y` on C led to a configuration stored before D: the moves of `x` and `y` change nothing
/// the other looks at, so `m'` on D makes what `m` makes of `m'(C)`, and `m'(C)` was explored
/// before D (it was stored before it), which stored what its moves make. Which configurations are stored, and
/// in what order, does not change; the moves not looked up are not stored either, and
/// [`no_way_to_final`] works them out when it needs them.
#[derive(Clone, Copy, Default)]
struct Known {
    anchors: Settled,
    stored: Settled,
}

/// Marks a stored move (in [`Space::edges`]) that a `set` made by changing its variable alone:
/// the `set` back to the value before is a move too, which is not stored. Configurations are
/// numbered below it (see [`explore_with`]).
const REVERSIBLE: u32 = 1 << 31;

/// A successor: where it is looked for, the anchor in [`Successors::anchors`] it is if it is
/// one, whether a `set` that changed its variable alone made it (then the `set` back undoes it;
/// see [`REVERSIBLE`]), and the remembered instance that moved and what it became (or
/// [`NO_MOVER`]).
#[derive(Clone, Copy)]
struct Made {
    probe: Probe,
    anchor: Option<u32>,
    reversible: bool,
    mover: (u32, u64),
}

/// See [`Successors::anchors`].
struct Anchor {
    probe: Probe,
    /// The configuration with a hole where the instance goes, the instance, and the outcomes
    /// (in [`Local::after`]) of the other `set`s of the variable, which wait on the anchor.
    hole: u128,
    low: u32,
    instance: u32,
    waiting: std::ops::Range<u32>,
    /// The configuration whose successor it is, and its place in [`Successors::explored`].
    from: u32,
    source: u32,
    /// Whether it was explored before `from`.
    before: bool,
}

/// A configuration explored in a batch: where its successors end in [`Successors::made`],
/// what was known of its instances, those whose moves were all looked up, and those whose
/// anchors were all explored before it (see [`Known`]).
struct Explored {
    from: u32,
    end: u32,
    known: Known,
    listed: Settled,
    found: Settled,
}

/// Configurations explored together while a packed store looks their successors up in its
/// hash table (see [`Store::settle`]).
const HASHED_BATCH: usize = 64;

/// Successors made in a batch before they are looked up, at most (see [`explore_with`]): 48
/// bytes each.
const BATCH: usize = 1 << 19;

/// The successors of a batch of configurations: where each is looked for, and their bytes when
/// the store does not pack them (with room for sorting identical children).
#[derive(Default)]
struct Successors {
    made: Vec<Made>,
    /// What [`Successors::unwait`] rebuilds `made` from.
    spare: Vec<Made>,
    explored: Vec<Explored>,
    /// One per instance (not [`Settled`]) and variable of remembered `set`s: the configuration
    /// with its first value, and whether it was explored before (then the other `set`s of that
    /// variable are not looked up; see [`Local`]).
    anchors: Vec<Anchor>,
    bytes: Vec<u8>,
    /// What the store answers of them.
    found: Vec<u32>,
    scratch: Vec<u8>,
    order: Vec<u32>,
}

impl Successors {
    /// Drops the anchors explored before, and puts the `set`s that wait on the others after
    /// their anchor, to be looked up in the order they were made.
    fn unwait(&mut self, space: &Space<'_>, local: &Local) {
        if self.anchors.iter().all(|a| a.before) {
            // Nothing waits: the anchors are dropped in place.
            let mut kept = 0;
            let mut start = 0;
            for explored in &mut self.explored {
                for k in start..explored.end as usize {
                    let made = self.made[k];
                    if made.anchor.is_none() {
                        self.made[kept] = made;
                        kept += 1;
                    }
                }
                start = explored.end as usize;
                explored.end = kept as u32;
            }
            self.made.truncate(kept);
            return;
        }
        let mut made = std::mem::take(&mut self.spare);
        std::mem::swap(&mut made, &mut self.made);
        self.made.clear();
        let mut start = 0;
        for explored in &mut self.explored {
            for &made in &made[start..explored.end as usize] {
                let Some(anchor) = made.anchor.map(|n| &self.anchors[n as usize]) else {
                    self.made.push(made);
                    continue;
                };
                if anchor.before {
                    continue;
                }
                self.made.push(made);
                let waiting = anchor.waiting.start as usize..anchor.waiting.end as usize;
                for (&a, &set) in local.after[waiting.clone()]
                    .iter()
                    .zip(&local.sets[waiting])
                {
                    let instance = anchor.instance as usize;
                    let successor = space.moved(anchor.hole, anchor.low, instance, a);
                    self.made.push(Made {
                        probe: space.store.probe_key(successor),
                        anchor: None,
                        reversible: Local::pure(set),
                        mover: (anchor.instance, a),
                    });
                }
            }
            start = explored.end as usize;
            explored.end = self.made.len() as u32;
        }
        self.spare = made;
    }

    /// Bytes its lists take.
    fn bytes(&self) -> usize {
        use std::mem::size_of;
        (self.made.capacity() + self.spare.capacity()) * size_of::<Made>()
            + self.explored.capacity() * size_of::<Explored>()
            + self.anchors.capacity() * size_of::<Anchor>()
            + self.bytes.capacity()
            + self.found.capacity() * 4
    }

    fn clear(&mut self) {
        self.made.clear();
        self.explored.clear();
        self.anchors.clear();
        self.bytes.clear();
    }
}

impl<'c> Space<'c> {
    /// Bytes its tables take: the configurations and their index, their parents, the moves
    /// between them, where each combination of initial values led, and the remembered moves.
    fn bytes(&self) -> usize {
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

    /// Writes the world's configuration into `out`; false when a value does not fit.
    fn encode(&self, world: &World<'_>, out: &mut [u8]) -> Result<(), Stop> {
        for (slot, instance) in self.slots.iter().zip(&world.instances) {
            let state = instance.state.map_or(0, |s| i64::from(s.0));
            slot.state.put(out, state);
            if let Some(previous) = &slot.previous {
                previous.put(out, instance.previous.map_or(0, |s| i64::from(s.0) + 1));
            }
            for (v, field) in slot.vars.iter().enumerate() {
                let value = instance.vars.get(v).copied().unwrap_or(0);
                if !field.put(out, value) {
                    return Err(Stop::Values {
                        machine: slot.machine,
                        var: VarId::from_index(v),
                    });
                }
            }
        }
        Ok(())
    }

    /// Loads stored configuration bytes into the world's instances.
    fn decode(&self, bytes: &[u8], world: &mut World<'_>) {
        for (slot, instance) in self.slots.iter().zip(world.instances.iter_mut()) {
            instance.state = Some(StateId(slot.state.get(bytes) as u32));
            if let Some(previous) = &slot.previous {
                let p = previous.get(bytes);
                instance.previous = (p > 0).then(|| StateId((p - 1) as u32));
            }
            for (field, value) in slot.vars.iter().zip(instance.vars.iter_mut()) {
                *value = field.get(bytes);
            }
        }
    }

    /// Sorts the children of every symmetric group, deepest first.
    fn canonical(&self, bytes: &mut [u8], scratch: &mut Vec<u8>, order: &mut Vec<u32>) {
        for group in &self.symmetric {
            let (start, len, count) = (
                group.start as usize,
                group.bytes as usize,
                group.count as usize,
            );
            let region = &bytes[start..start + len * count];
            let sorted = region
                .chunks_exact(len)
                .zip(region.chunks_exact(len).skip(1))
                .all(|(a, b)| a <= b);
            if sorted {
                continue;
            }
            order.clear();
            order.extend(0..group.count);
            order.sort_by(|&a, &b| {
                let a = &region[a as usize * len..(a as usize + 1) * len];
                let b = &region[b as usize * len..(b as usize + 1) * len];
                a.cmp(b)
            });
            scratch.clear();
            for &k in order.iter() {
                scratch.extend_from_slice(&region[k as usize * len..(k as usize + 1) * len]);
            }
            bytes[start..start + len * count].copy_from_slice(scratch);
        }
    }

    /// Puts a successor (bytes after a move) in canonical order and asks for its place in the
    /// table; a packed store keeps only the probe.
    fn queue(&self, bytes: &mut [u8], reversible: bool, successors: &mut Successors) {
        self.canonical(bytes, &mut successors.scratch, &mut successors.order);
        if !self.store.is_packed() {
            successors.bytes.extend_from_slice(bytes);
        }
        successors.made.push(Made {
            probe: self.store.probe(bytes),
            anchor: None,
            reversible,
            mover: (NO_MOVER, 0),
        });
    }

    /// [`Space::canonical`] for a packed configuration in which only instance `changed` differs
    /// from a canonical one: that instance's subtree is moved to its place in each group it is
    /// in, deepest first. Packed children compare as their bytes do, so the result is the packed
    /// form of what [`Space::canonical`] makes of the bytes.
    fn canonical_key(&self, key: &mut u128, changed: usize) {
        for &(g, k) in &self.containing[changed] {
            let group = &self.symmetric[g as usize];
            if group.bits == 0 {
                // Children with one configuration each: nothing to order.
                continue;
            }
            if group.low + group.count * group.bits <= 64 {
                // The whole group in the low word (the common case): 64-bit arithmetic.
                let mut low = *key as u64;
                bubble(&mut low, group, k as usize);
                *key = *key & !u128::from(u64::MAX) | u128::from(low);
            } else {
                bubble(key, group, k as usize);
            }
        }
    }

    /// Whether `before` and `after` differ in nothing but variable `var` of instance `i`.
    fn only_var_changed(&self, before: &[u8], after: &[u8], i: usize, var: usize) -> bool {
        let field = &self.slots[i].vars[var];
        let (from, to) = (
            field.offset as usize,
            field.offset as usize + usize::from(field.width),
        );
        before[..from] == after[..from] && before[to..] == after[to..]
    }

    /// [`Settled`] bits with those of skipped children set as the identical sibling before them
    /// has them (in groups of childless children).
    fn settled_siblings(&self, mut bits: Settled, skip: &[bool]) -> Settled {
        for group in self.symmetric.iter().filter(|g| g.instances == 1) {
            for k in 1..group.count as usize {
                let q = group.first as usize + k;
                if q < SETTLED && skip[q] {
                    bits |= (bits >> (q - 1) & 1) << q;
                }
            }
        }
        bits
    }

    /// What is known of a configuration found from one of which `known` is known (packed as
    /// `key`) by a remembered move of instance `mover.0`, which became `mover.1`: every other
    /// instance keeps its bits, at its new place, but its parent, whose moves may look at its
    /// state (then they are other moves, and may have an anchor where there was none); and no
    /// instance in its subtree, whose states its moves may look at, keeps its `stored` bit.
    /// Nothing, when the move is not one of those, or places are not known (nested groups, more
    /// than [`SETTLED`] instances).
    fn known_after(&self, known: Known, mover: (u32, u64), key: u128) -> Known {
        let (j, after) = (mover.0 as usize, u128::from(mover.1));
        if j >= SETTLED || self.slots.len() > SETTLED {
            return Known::default();
        }
        let size = self.slots[j].size as usize;
        let parent = (0..j).rev().find(|&p| p + self.slots[p].size as usize > j);
        let kept = parent.map_or(Settled::MAX, |p| !(1 << p)) & !(1 << j);
        let subtree = (j + 1..j + size).fold(Settled::MAX, |bits, y| bits & !(1 << y));
        let known = Known {
            anchors: known.anchors & kept,
            stored: known.stored & kept & subtree,
        };
        match self.containing[j].as_slice() {
            [] => known,
            &[(g, k)] if self.symmetric[g as usize].instances == 1 => {
                let group = &self.symmetric[g as usize];
                let (count, k) = (group.count as usize, k as usize);
                let child = |c: usize| {
                    (key >> (group.low + (count - 1 - c) as u32 * group.bits)) & mask(group.bits)
                };
                // Its place among the others (among equal ones, any place is the same).
                let to = (0..count).filter(|&c| c != k && child(c) < after).count();
                let first = group.first as usize;
                let all = Settled::MAX >> (SETTLED - count);
                let place = |bits: Settled| {
                    let own = bits >> first & all;
                    let others = own & ((1 << k) - 1) | (own >> (k + 1)) << k;
                    let placed = others & ((1 << to) - 1) | (others >> to) << (to + 1);
                    bits & !(all << first) | placed << first
                };
                Known {
                    anchors: place(known.anchors),
                    stored: place(known.stored),
                }
            }
            _ => Known::default(),
        }
    }

    /// Calls `f` with the configuration each remembered move makes of stored configuration
    /// `from` (in a packed store), until it says to stop; whether it did. Moves that were not
    /// looked up when `from` was explored (see [`Known`]) are among them.
    fn remembered_moves(
        &self,
        from: u32,
        skip: &mut [bool],
        mut f: impl FnMut(u32) -> bool,
    ) -> bool {
        let Some(key) = self.store.key(from) else {
            return false;
        };
        self.skipped_key(key, skip);
        for (i, slot) in self.local.iter().enumerate() {
            let Some(slot) = slot.as_ref().filter(|_| !skip[i]) else {
                continue;
            };
            let list_key = slot.list_key(key);
            let Some(&(start, len, _)) = self.lists.lists.get(&list_key) else {
                continue;
            };
            let hole = key & !(mask(slot.bits) << slot.low);
            for &after in &self.lists.after[start as usize..(start + len) as usize] {
                let successor = self.moved(hole, slot.low, i, after);
                if let Some(to) = self.store.find(self.store.probe_key(successor))
                    && f(to)
                {
                    return true;
                }
            }
        }
        false
    }

    /// The packed configuration, in canonical order, that `hole` (a packed configuration with
    /// instance `i`'s bits cleared, at `low`) makes with the instance packed as `after`.
    fn moved(&self, hole: u128, low: u32, i: usize, after: u64) -> u128 {
        let mut successor = hole | u128::from(after) << low;
        self.canonical_key(&mut successor, i);
        successor
    }

    /// Whether two configurations agree outside instance `i`'s bytes.
    fn outside_equal(&self, a: &[u8], b: &[u8], i: usize) -> bool {
        let start = self.slots[i].state.offset as usize;
        let end = slot_end(&self.slots, i + 1, self.width as u32) as usize;
        a[..start] == b[..start] && a[end..] == b[end..]
    }

    /// Instances that receive no events in configuration `bytes`: each identical to its previous
    /// sibling in a symmetric group, with its subtree.
    fn skipped(&self, bytes: &[u8], skip: &mut [bool]) {
        skip.fill(false);
        for group in &self.symmetric {
            let len = group.bytes as usize;
            for k in 1..group.count as usize {
                let at = group.start as usize + k * len;
                if bytes[at - len..at] == bytes[at..at + len] {
                    let first = group.first as usize + k * group.instances as usize;
                    skip[first..first + group.instances as usize].fill(true);
                }
            }
        }
    }

    /// [`Space::skipped`] for a packed configuration.
    fn skipped_key(&self, key: u128, skip: &mut [bool]) {
        skip.fill(false);
        for group in &self.symmetric {
            let child = |k: u32| {
                (key >> (group.low + (group.count - 1 - k) * group.bits)) & mask(group.bits)
            };
            for k in 1..group.count {
                if child(k - 1) == child(k) {
                    let first = (group.first + k * group.instances) as usize;
                    skip[first..first + group.instances as usize].fill(true);
                }
            }
        }
    }

    /// Stores a configuration; its index and whether it is new.
    fn insert(&mut self, bytes: &[u8], probe: Probe, parent: u32) -> (u32, bool) {
        let (index, new) = self.store.insert(bytes, probe);
        if new {
            self.parent.push(parent);
        }
        (index, new)
    }

    /// The state of instance `i` in stored bytes.
    fn state_in(&self, bytes: &[u8], i: usize) -> StateId {
        StateId(self.slots[i].state.get(bytes) as u32)
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
    fn root_state_at(&self, i: u32, bytes: &mut [u8]) -> StateId {
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

    /// Whether the root's `state` is final.
    fn root_final(&self, state: StateId) -> bool {
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
    fn contested(&self, i: InstanceId, state: StateId, k: usize) -> bool {
        self.outside_at(i)
            .and_then(|o| o.contested.get(state.index())?.get(k).copied())
            .unwrap_or(false)
    }

    fn outside_at(&self, i: InstanceId) -> Option<&Outside> {
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
        self.canonical(&mut bytes, &mut Vec::new(), &mut Vec::new());
        Some(bytes)
    }
}

/// Explores machine `root` with its children.
pub fn explore<'c>(
    program: &'c Program,
    c: &'c Compiled,
    root: MachineId,
    limits: Limits,
) -> Exploration<'c> {
    explore_with(program, c, root, limits, Layers::ALL)
}

/// One optimisation of the explorer, which can be switched on alone ([`Variant::Only`]) to check
/// that it finds what a plain breadth-first search finds.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// Configurations stored packed in as few bits as their fields need, when that fits in 96.
    Packing,
    /// Identical children in any order are one configuration (their canonical form), and of
    /// several identical children only the first receives events. It changes how many
    /// configurations there are, not which states are entered or which transitions taken.
    Symmetry,
    /// The moves of self-contained instances run once per machine and what it looks at, their
    /// outcomes remembered ([`Local`]).
    Remembered,
    /// The `set`s of a variable after its first value looked up only when that first one (the
    /// anchor) was not explored before (see [`Local`]). With [`Layer::Remembered`] and
    /// [`Layer::Packing`], which it works on.
    Anchors,
    /// No move looked up of an instance whose moves all lead to configurations stored already
    /// ([`Known::stored`]). With [`Layer::Remembered`] and [`Layer::Packing`], which it works on.
    Stored,
}

/// Every [`Layer`], for tests that switch each on alone.
#[doc(hidden)]
pub fn layers() -> &'static [Layer] {
    &[
        Layer::Packing,
        Layer::Symmetry,
        Layer::Remembered,
        Layer::Anchors,
        Layer::Stored,
    ]
}

/// Other ways [`explore`] can go: for tests that check they find the same, and for benchmarks.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum Variant {
    /// Every layer off: configurations as bytes, identical children told apart, every move run
    /// by the interpreter and looked up.
    Plain,
    /// One layer on (with those it needs), the others off.
    Only(Layer),
    /// Every layer on: what [`explore`] does.
    All,
    /// Every layer on, and configurations looked up in sorted batches (delayed duplicate
    /// detection) from the start, not only once a hash table would pass the bound on memory.
    Sorted,
}

/// [`explore`], the other way.
#[doc(hidden)]
pub fn explore_variant<'c>(
    program: &'c Program,
    c: &'c Compiled,
    root: MachineId,
    limits: Limits,
    variant: Variant,
) -> Exploration<'c> {
    let layers = match variant {
        Variant::Plain => Layers::NONE,
        Variant::Only(layer) => Layers::only(layer),
        Variant::All => Layers::ALL,
        Variant::Sorted => Layers {
            sorted: true,
            ..Layers::ALL
        },
    };
    explore_with(program, c, root, limits, layers)
}

/// Which optimisations [`explore_with`] uses ([`Layer`]); tests switch them off to check that
/// they change nothing but what they are for.
#[derive(Clone, Copy, Debug)]
struct Layers {
    /// [`Layer::Packing`].
    pack: bool,
    /// [`Layer::Symmetry`].
    symmetry: bool,
    /// [`Layer::Remembered`].
    remember: bool,
    /// [`Layer::Anchors`].
    anchors: bool,
    /// [`Layer::Stored`].
    stored: bool,
    /// Look successors up in sorted batches from the start, not only once the hash table would
    /// pass the bound on memory (see [`Store::settle`]).
    sorted: bool,
}

impl Layers {
    const ALL: Layers = Layers {
        pack: true,
        symmetry: true,
        remember: true,
        anchors: true,
        stored: true,
        sorted: false,
    };
    const NONE: Layers = Layers {
        pack: false,
        symmetry: false,
        remember: false,
        anchors: false,
        stored: false,
        sorted: false,
    };

    /// `layer` on, with the layers it works on; the others off.
    fn only(layer: Layer) -> Layers {
        let none = Layers::NONE;
        match layer {
            Layer::Packing => Layers { pack: true, ..none },
            Layer::Symmetry => Layers {
                symmetry: true,
                ..none
            },
            Layer::Remembered => Layers {
                remember: true,
                ..none
            },
            Layer::Anchors => Layers {
                pack: true,
                remember: true,
                anchors: true,
                ..none
            },
            Layer::Stored => Layers {
                pack: true,
                remember: true,
                stored: true,
                ..none
            },
        }
    }
}

/// [`explore`], with the `layers` switched on.
fn explore_with<'c>(
    program: &'c Program,
    c: &'c Compiled,
    root: MachineId,
    limits: Limits,
    layers: Layers,
) -> Exploration<'c> {
    let prepared = Arc::new(Prepared::new(program));
    explore_bounded(
        program,
        c,
        root,
        limits,
        layers,
        work_bound(limits),
        prepared,
    )
}

/// Steps of work ([`Exploration::work`]) an exploration may do per configuration `--max-states`
/// allows: the default, 200 000 configurations, gives 100 million steps (about a second) for all
/// the machines of a file.
pub const WORK_PER_STATE: u64 = 500;

/// The interpreter's units of work (an instruction of a guard, view or action run, a child a
/// quantifier looks at) that take about as long as a step of the exploration's work: a move
/// whose guards are as long as the file costs what it takes, not a step.
pub const WORK_UNITS_PER_STEP: u64 = 4;

/// The work an exploration within `limits` may do.
pub fn work_bound(limits: Limits) -> u64 {
    (limits.max_states as u64).saturating_mul(WORK_PER_STATE)
}

/// [`explore`], doing at most `work` steps of work (`wfl check` shares one bound among the
/// machines of a file), with what is known of the program's machines.
pub fn explore_within<'c>(
    program: &'c Program,
    c: &'c Compiled,
    root: MachineId,
    limits: Limits,
    work: u64,
    prepared: &Arc<Prepared>,
) -> Exploration<'c> {
    let prepared = Arc::clone(prepared);
    explore_bounded(program, c, root, limits, Layers::ALL, work, prepared)
}

/// [`explore_with`], doing at most `work` steps of work.
fn explore_bounded<'c>(
    program: &'c Program,
    c: &'c Compiled,
    root: MachineId,
    limits: Limits,
    layers: Layers,
    work: u64,
    prepared: Arc<Prepared>,
) -> Exploration<'c> {
    let size = prepared.world_size(program, root, limits.children);
    let too_big = size > MAX_WORLD;
    // Creating the world is work too: when it takes more than the share, it is not created.
    let creation = 32 + 32 * size as u64;
    let no_work = !too_big && creation > work;
    // Configurations are numbered below the mark of reversible moves.
    let max_states = limits.max_states.min(REVERSIBLE as usize);
    let config = if too_big || no_work {
        Config::default()
    } else {
        world_config(program, root, limits.children)
    };
    let anchors = layers.anchors;
    let mut stop = None;
    let (mut scratch, _) = World::new_with(c, root, &config, true, true);
    if too_big || scratch.instances.is_empty() {
        stop = Some(Stop::World);
    } else if no_work {
        stop = Some(Stop::Work);
    }
    let space = layout(program, c, &scratch, config, layers, prepared);
    let present = Present::new(&scratch);
    let mut x = Exploration {
        root,
        limits,
        stop,
        configs: 0,
        moves: 0,
        lookups: 0,
        work: creation.min(work) + scratch.steps,
        // Only for the machines of the world: the rest of a program with many machines would
        // cost each root its size.
        reached: PerMachine::new(&present, |m| program.machine(m).states.len(), None),
        taken: PerMachine::new(&present, |m| program.machine(m).transitions.len(), None),
        present,
        shadows: Vec::new(),
        failures: Vec::new(),
        shadows_seen: FxHashSet::default(),
        failures_seen: FxHashSet::default(),
        unsent: Vec::new(),
        unsent_seen: FxHashSet::default(),
        no_final: Vec::new(),
        no_final_unknown: false,
        combos: Vec::new(),
        space,
        witness_work: Cell::new(work),
        replay_failed: Cell::new(false),
    };
    if x.stop.is_some() {
        return x;
    }
    let root_has_final = program
        .machine(root)
        .states
        .iter()
        .any(|s| s.kind == StateKind::Final);
    if root_has_final {
        x.space.edges = Some(Edges::default());
    }
    let (combos, all) = combos(program, &x.space.slots, &x.space.symmetric);
    // They are kept for the witnesses.
    let combos_bytes = combos.capacity() * std::mem::size_of::<Combo>()
        + combos
            .iter()
            .map(|c| c.capacity() * std::mem::size_of::<(InstanceId, VarId, i64)>())
            .sum::<usize>();
    if !all {
        x.stop = Some(Stop::Initial);
    }
    // An input whose values cannot all be tried: the exploration goes on (what it finds
    // happens), but it does not see every run. Other variables only actions change.
    for slot in &x.space.slots {
        for (v, var) in program.machine(slot.machine).vars.iter().enumerate() {
            if var.input.is_some() && settable_values(program, var.ty).is_none() {
                x.stop = x.stop.or(Some(Stop::Wide {
                    machine: slot.machine,
                    var: VarId::from_index(v),
                }));
            }
        }
    }
    let mut bytes = vec![0u8; x.space.width];
    let mut successors = Successors::default();
    // Per configuration stored and not yet explored, in order: what is known of its instances.
    let mut waiting: Chunked<Known> = Chunked::new();
    // The configurations each combination of initial values gives.
    for (k, combo) in combos.iter().enumerate() {
        if x.work > work {
            x.stop = Some(Stop::Work);
            break;
        }
        if interrupted() {
            x.stop = Some(Stop::Interrupted);
            break;
        }
        let combo_index = k as u32;
        let mut config = x.space.config.clone();
        for &(instance, var, value) in combo {
            let path = instance_path(&scratch, instance);
            config.at(&path).vars.push((var, value));
        }
        let (world, created) = World::new_with(c, root, &config, true, true);
        x.work += 32
            + 32 * world.instances.len() as u64
            + world.steps
            + world.work() / WORK_UNITS_PER_STEP;
        let seen = Seen::Initial { combo: combo_index };
        x.record_trace(&world, seen);
        if let Err(error) = created {
            x.record_failure(&world, error, seen, world.steps);
            continue;
        }
        if let Err(why) = x.space.encode(&world, &mut bytes) {
            x.stop = x.stop.or(Some(why));
            continue;
        }
        x.space
            .canonical(&mut bytes, &mut successors.scratch, &mut successors.order);
        let held = x.space.bytes() + waiting.bytes() + combos_bytes;
        let more = x.space.store.growth(1)
            + x.space.store.bytes_per_new()
            + x.space.parent.growth(1)
            + waiting.growth(1);
        if held + more > limits.max_bytes {
            x.stop = Some(Stop::Memory);
            break;
        }
        let probe = x.space.store.probe(&bytes);
        x.lookups += 1;
        let (index, new) = x.space.insert(&bytes, probe, NO_PARENT);
        if new {
            waiting.push(Known::default());
            x.space.initial.push((index, combo_index));
            if x.space.parent.len() >= max_states {
                x.stop = Some(Stop::States);
                break;
            }
        }
    }
    x.combos = combos;
    let n = scratch.instances.len();
    let mut skip = vec![false; n];
    let mut current = vec![0u8; x.space.width];
    let mut local = Local::default();
    // Per instance whose moves were all looked up from the configuration explored (`listed`):
    // the latest configuration they led to. And the configurations it found, with their movers.
    let mut latest = vec![0u32; n.min(SETTLED)];
    let mut fresh: Vec<(u32, (u32, u64))> = Vec::new();
    let mut next = 0usize;
    // The configurations explored together (a batch), whose successors are looked up together
    // once all are made (see [`Store::settle`]): a few at a time while the store looks them up
    // in a hash table (so that fetching the keys they are compared with overlaps), one at a time
    // when it keeps bytes; once it sorts them, the rest of those stored, which is the rest of a
    // BFS layer, or fewer when their successors fill the batch.
    'explore: while next < x.space.parent.len()
        && !matches!(
            x.stop,
            Some(Stop::States | Stop::Memory | Stop::Work | Stop::Interrupted)
        )
    {
        let stored_before = x.space.parent.len();
        let end = if x.space.store.is_sorted() {
            x.space.parent.len()
        } else if x.space.store.is_packed() {
            (next + HASHED_BATCH).min(x.space.parent.len())
        } else {
            next + 1
        };
        // Successors take more memory than configurations stored: a batch has at most a
        // quarter as many as there are configurations, and takes at most an eighth of the bound
        // on memory (with the copy `unwait` makes).
        let most = limits.max_bytes / 16 / std::mem::size_of::<Made>();
        let cap = (x.space.parent.len() / 4).min(most).clamp(1 << 12, BATCH);
        while next < end && successors.made.len() < cap {
            if x.work > work {
                x.stop = Some(Stop::Work);
                break 'explore;
            }
            if next.is_multiple_of(1024) && interrupted() {
                x.stop = Some(Stop::Interrupted);
                break 'explore;
            }
            let from = next as u32;
            next += 1;
            let known = waiting.get(from as usize).unwrap_or_default();
            let inherited = known.anchors;
            let mut listed: Settled = 0;
            // Instances whose anchors were looked for and all found explored before.
            let mut found: Settled = 0;
            // The configuration packed, when the store keeps it so: remembered moves then work on
            // the packed form alone, and its bytes are needed only to run the interpreter.
            let key_now = x.space.store.key(from);
            let mut loaded = key_now.is_none();
            match key_now {
                Some(key) => x.space.skipped_key(key, &mut skip),
                None => {
                    x.space.store.load(from, &mut current);
                    x.space.skipped(&current, &mut skip);
                }
            }
            for (i, &skipped) in skip.iter().enumerate() {
                if skipped {
                    continue;
                }
                let machine = x.space.slots[i].machine;
                // A remembered instance: what each of its moves makes of it, put in place without
                // running the interpreter. `code` is the instance packed; the key adds the states of
                // its children when its machine looks at them — all its moves depend on.
                let (code, local_key) = match &x.space.local[i] {
                    Some(slot) => {
                        let code = match key_now {
                            Some(key) => (key >> slot.low) & mask(slot.bits),
                            None => x
                                .space
                                .store
                                .packing()
                                .pack_range(&current, slot.fields.clone()),
                        };
                        let key = match key_now {
                            Some(key) => slot.list_key(key),
                            None => {
                                let seen = slot.children.iter().fold(code, |seen, c| {
                                    let state = read_field(&current, c.offset, c.width);
                                    seen << c.bits | u128::from(state)
                                });
                                Local::key(slot.kind, slot.children.len(), seen)
                            }
                        };
                        (Some(code), Some(key))
                    }
                    None => (None, None),
                };
                if let Some(key) = local_key
                    && let Some(&(start, len, tried)) = local.lists.get(&key)
                {
                    x.moves += u64::from(tried);
                    x.work += u64::from(len) + 1;
                    let slot = x.space.local[i]
                        .as_ref()
                        .expect("remembered instances have a slot");
                    let range = start as usize..(start + len) as usize;
                    let outcomes = &local.after[range.clone()];
                    let sets = &local.sets[range];
                    if let Some(key) = key_now {
                        // The configuration with a hole where the instance goes.
                        let hole = key & !(mask(slot.bits) << slot.low);
                        if i < SETTLED && known.stored >> i & 1 == 1 {
                            // Every move of the instance leads to a configuration stored already:
                            // none is looked up ([`no_way_to_final`] works them out again).
                            continue;
                        }
                        if i < SETTLED {
                            listed |= 1 << i;
                            found |= 1 << i;
                        }
                        let inherits = i < SETTLED && inherited >> i & 1 == 1;
                        let mut k = 0;
                        while k < outcomes.len() {
                            let (after, set) = (outcomes[k], sets[k]);
                            let anchor = set != Local::NO_SET && set & Local::ANCHOR != 0;
                            // The other `set`s of the variable follow their anchor, and are looked
                            // up only if it was not explored before.
                            let first = k + 1;
                            let mut end = first;
                            if anchor {
                                let var = Local::var(set);
                                while end < sets.len()
                                    && sets[end] != Local::NO_SET
                                    && Local::var(sets[end]) == var
                                {
                                    end += 1;
                                }
                                if inherits {
                                    k = end;
                                    continue;
                                }
                            }
                            let probe = x
                                .space
                                .store
                                .probe_key(x.space.moved(hole, slot.low, i, after));
                            successors.made.push(Made {
                                probe,
                                anchor: anchor.then_some(successors.anchors.len() as u32),
                                reversible: Local::pure(set),
                                mover: (i as u32, after),
                            });
                            k = end;
                            if !anchor {
                                continue;
                            }
                            successors.anchors.push(Anchor {
                                probe,
                                hole,
                                low: slot.low,
                                instance: i as u32,
                                waiting: start + first as u32..start + end as u32,
                                from,
                                source: successors.explored.len() as u32,
                                before: false,
                            });
                        }
                    } else {
                        for (&after, &set) in outcomes.iter().zip(sets) {
                            bytes.copy_from_slice(&current);
                            x.space.store.packing().unpack_range(
                                u128::from(after),
                                slot.fields.clone(),
                                &mut bytes,
                            );
                            x.space.queue(&mut bytes, Local::pure(set), &mut successors);
                            x.work += x.space.queue_work;
                        }
                    }
                    continue;
                }
                if !loaded {
                    x.space.store.load(from, &mut current);
                    loaded = true;
                }
                let start = local.after.len();
                let mut tried = 0u32;
                let state = x.space.state_in(&current, i);
                let sends = x.space.moves_of(i as u32, state).len();
                let vars = x.space.settable(machine).len();
                let sets: usize = x.space.settable(machine).iter().map(Vec::len).sum();
                let (mut var, mut value) = (0usize, 0usize);
                for k in 0..sends + sets {
                    let action = if k < sends {
                        let (event, actor) = x.space.moves_of(i as u32, state)[k];
                        Action::Send(event, actor)
                    } else {
                        while var < vars && value >= x.space.settable(machine)[var].len() {
                            var += 1;
                            value = 0;
                        }
                        let Some(&v) = x
                            .space
                            .settable(machine)
                            .get(var)
                            .and_then(|l| l.get(value))
                        else {
                            break;
                        };
                        value += 1;
                        if x.space.slots[i].vars[var].get(&current) == v {
                            continue;
                        }
                        Action::Set(VarId::from_index(var), v)
                    };
                    let mv = Move {
                        instance: i as u32,
                        action,
                    };
                    x.moves += 1;
                    tried += 1;
                    let seen = Seen::Move { from, mv };
                    x.space.decode(&current, &mut scratch);
                    scratch.reset();
                    let steps_before = scratch.steps;
                    // A move costs about eight steps of the interpreter besides loading the
                    // world and running.
                    x.work += 8 + n as u64;
                    let sent = match action {
                        // An ignored event changes nothing in a stored (stable) configuration, and
                        // enters nothing: no run needed.
                        Action::Send(event, actor) if !scratch.takes(i as u32, event, actor) => {
                            x.work += scratch.work() / WORK_UNITS_PER_STEP;
                            continue;
                        }
                        Action::Send(event, actor) => {
                            if x.space.contested(i as u32, state, k) {
                                let enabled = scratch.enabled_all(i as u32, event, actor);
                                x.record_shadows(machine, &enabled, seen);
                            }
                            // The guards evaluated to choose it (the run starts counting anew).
                            x.work += scratch.work() / WORK_UNITS_PER_STEP;
                            scratch.send(i as u32, event, actor)
                        }
                        Action::Set(var, value) => scratch.set(i as u32, var, value),
                    };
                    x.record_trace(&scratch, seen);
                    // Its steps, and the work of its guards, views and actions: a step may
                    // evaluate a guard as long as the file.
                    x.work += scratch.steps - steps_before + scratch.work() / WORK_UNITS_PER_STEP;
                    if let Err(error) = sent {
                        let taken = scratch.steps - steps_before;
                        x.record_failure(&scratch, error, seen, taken);
                        continue;
                    }
                    if let Err(why) = x.space.encode(&scratch, &mut bytes) {
                        x.stop = x.stop.or(Some(why));
                        continue;
                    }
                    // A `set` that changed its variable alone: the `set` back undoes it.
                    let pure = match action {
                        Action::Set(var, _) => {
                            x.space.only_var_changed(&current, &bytes, i, var.index())
                        }
                        Action::Send(..) => false,
                    };
                    if let (Some(code), Some(slot)) = (code, &x.space.local[i]) {
                        debug_assert!(
                            x.space.outside_equal(&bytes, &current, i),
                            "a self-contained move changed another instance"
                        );
                        let after = x
                            .space
                            .store
                            .packing()
                            .pack_range(&bytes, slot.fields.clone());
                        if after != code {
                            local.after.push(after as u64);
                            local.sets.push(match action {
                                Action::Set(var, value) => {
                                    let first = x.space.settable(machine)[var.index()].first();
                                    var.index() as u32
                                        | match (pure, first == Some(&value)) {
                                            (false, _) => 0,
                                            (true, true) if anchors => Local::PURE | Local::ANCHOR,
                                            (true, _) => Local::PURE,
                                        }
                                }
                                Action::Send(..) => Local::NO_SET,
                            });
                        }
                    }
                    // Most moves change nothing (an ignored event, a false guard): no lookup.
                    if bytes == current {
                        continue;
                    }
                    x.space.queue(&mut bytes, pure, &mut successors);
                    x.work += x.space.queue_work;
                }
                if let Some(key) = local_key {
                    let len = local.after.len() - start;
                    local.lists.insert(key, (start as u32, len as u32, tried));
                }
            }
            successors.explored.push(Explored {
                from,
                end: successors.made.len() as u32,
                known,
                listed,
                found,
            });
        }
        // An anchor counts if it was explored before the configuration that made it, that is,
        // stored before it.
        x.lookups += successors.anchors.len() as u64;
        if !successors.anchors.is_empty() {
            let anchors = &successors.anchors;
            x.space
                .store
                .find_all(anchors.len(), |k| anchors[k].probe, &mut successors.found);
            for (anchor, &index) in successors.anchors.iter_mut().zip(&successors.found) {
                anchor.before = index < anchor.from;
                if !anchor.before && (anchor.instance as usize) < SETTLED {
                    successors.explored[anchor.source as usize].found &= !(1 << anchor.instance);
                }
            }
            successors.unwait(&x.space, &local);
        }
        // The memory taken: the tables, the configurations waiting to be explored (the chunks
        // before the next one are given back), the batch, the remembered moves, the
        // combinations of initial values.
        waiting.release_before(next);
        let n = successors.made.len();
        let held = |x: &Exploration<'_>| {
            x.space.bytes() + waiting.bytes() + successors.bytes() + local.bytes() + combos_bytes
        };
        // What the batch may add, besides what each new configuration takes in the store: its
        // parent and its place in the queue (`per_config`), a chunk of each list, and the moves
        // (one per successor, and one list of them per configuration explored).
        let edges = x
            .space
            .edges
            .as_ref()
            .map_or(0, |edges| edges.growth(successors.explored.len(), n));
        let besides = x.space.parent.growth(n) + waiting.growth(n) + edges;
        let per_config = 4 + std::mem::size_of::<Known>();
        let (mut now, mut store_growth) = (held(&x), x.space.store.growth(n));
        let mut per_new = per_config + x.space.store.bytes_per_new();
        // A hash table that may not hold the batch within the bound on memory is sorted into
        // runs, which take less, when they fit beside it.
        if now + besides + store_growth + n * per_new > limits.max_bytes {
            let others = now - x.space.store.bytes() + besides;
            if x.space.store.sort(limits.max_bytes.saturating_sub(others)) {
                (now, store_growth) = (held(&x), x.space.store.growth(n));
                per_new = per_config + x.space.store.bytes_per_new();
            }
        }
        // Room for new configurations: up to the bounds on configurations and on memory.
        let free = limits
            .max_bytes
            .saturating_sub(now + besides + store_growth);
        let room = (max_states - x.space.parent.len()).min(free / per_new);
        // What the store may take meanwhile: the rest.
        let store_limit = limits
            .max_bytes
            .saturating_sub(now - x.space.store.bytes() + besides + room.min(n) * per_config);
        x.lookups += successors.made.len() as u64;
        let made = &successors.made;
        x.space.store.settle(
            made.len(),
            |k| made[k].probe,
            &successors.bytes,
            room,
            store_limit,
            &mut successors.found,
        );
        let mut start = 0;
        let packed = x.space.store.is_packed();
        for explored in &successors.explored {
            let &Explored {
                from,
                end,
                known,
                listed,
                found,
            } = explored;
            let range = start..end as usize;
            start = end as usize;
            latest.fill(0);
            for (made, &index) in successors.made[range.clone()]
                .iter()
                .zip(&successors.found[range])
            {
                if index == REFUSED {
                    // Past the room: the bound on configurations stops it before.
                    x.stop = Some(Stop::Memory);
                    break 'explore;
                }
                let (to, new) = (index & !NEW, index & NEW != 0);
                if let Some(l) = latest.get_mut(made.mover.0 as usize) {
                    *l = (*l).max(to);
                }
                // An edge twice (two moves to one configuration) costs four bytes; looking for it
                // among this configuration's edges would cost more time than it saves. A
                // remembered move is worked out again when it is needed.
                if let Some(edges) = &mut x.space.edges
                    && to != from
                    && (made.mover.0 == NO_MOVER || !packed)
                {
                    edges.push(if made.reversible { to | REVERSIBLE } else { to });
                }
                if new {
                    x.space.parent.push(from);
                    fresh.push((to, made.mover));
                    if x.space.parent.len() >= max_states {
                        x.stop = Some(Stop::States);
                        break 'explore;
                    }
                }
            }
            let key_now = x.space.store.key(from);
            if let Some(key) = key_now
                && successors.explored.len() > 1
            {
                // (With one configuration, still what it was made for.)
                x.space.skipped_key(key, &mut skip);
            }
            let mine = x.space.settled_siblings(known.anchors | found, &skip);
            for (to, mover) in fresh.drain(..) {
                waiting.push(match key_now {
                    Some(key) => {
                        // Instances whose every move led to a configuration stored before this one.
                        let before = latest.iter().enumerate().filter(|&(_, &l)| l < to);
                        let stored = before.fold(0, |bits, (y, _)| bits | 1 << y) & listed;
                        let stored = if layers.stored { stored } else { 0 };
                        let known = Known {
                            anchors: mine,
                            stored: x.space.settled_siblings(known.stored | stored, &skip),
                        };
                        x.space.known_after(known, mover, key)
                    }
                    None => Known::default(),
                });
            }
            if let Some(edges) = &mut x.space.edges {
                edges.close();
            }
        }
        successors.clear();
        let stored = x.space.parent.len() - stored_before;
        STORED.fetch_add(stored as u64, Ordering::Relaxed);
    }
    x.configs = x.space.parent.len();
    x.space.lists = local;
    drop(successors);
    if x.complete() && root_has_final {
        let room = limits.max_bytes.saturating_sub(x.space.bytes());
        match no_way_to_final(&x.space, SWEEPS, room) {
            Some(no_final) => x.no_final = no_final,
            None => x.no_final_unknown = true,
        }
    }
    x
}

impl Exploration<'_> {
    /// Marks the states entered and the transitions taken in the world's trace.
    fn record_trace(&mut self, world: &World<'_>, seen: Seen) {
        let Some(trace) = &world.trace else { return };
        for event in trace {
            match *event {
                Event::Initial {
                    instance, state, ..
                } => {
                    let m = world.instances[instance as usize].machine;
                    self.reached[m.index()][state.index()].get_or_insert(seen);
                }
                Event::Step {
                    instance,
                    to,
                    transition,
                    ..
                } => {
                    let m = world.instances[instance as usize].machine;
                    self.reached[m.index()][to.index()].get_or_insert(seen);
                    self.taken[m.index()][transition.index()].get_or_insert(seen);
                }
                Event::Unsent {
                    instance, action, ..
                } if self.unsent_seen.insert(action) => {
                    self.unsent.push(Unsent {
                        machine: world.instances[instance as usize].machine,
                        action,
                        seen,
                    });
                }
                _ => {}
            }
        }
    }

    /// Records a run error of a run that took `taken` steps, the first time it is seen.
    fn record_failure(&mut self, world: &World<'_>, error: RunError, seen: Seen, taken: u64) {
        let machine = error_instance(&error)
            .and_then(|i| world.instances.get(i as usize))
            .map_or(self.root, |i| i.machine);
        let cut = cut_by_bound(&error, taken);
        if cut {
            self.stop = self.stop.or(Some(Stop::Steps { machine }));
        }
        // Not a finding of its own (`wfl test` reports it), but the runs after it are unknown.
        if matches!(
            error,
            RunError::TooManyInstances { .. } | RunError::TooMuchWork { .. }
        ) {
            self.stop = self.stop.or(Some(Stop::Run));
        }
        if self.failures_seen.insert((machine, error_key(&error))) {
            self.failures.push(Failure {
                error,
                machine,
                seen,
                cut,
            });
        }
    }

    fn record_shadows(&mut self, machine: MachineId, enabled: &[TransitionId], seen: Seen) {
        let Some((&first, later)) = enabled.split_first() else {
            return;
        };
        let transitions = &self.space.program.machine(machine).transitions;
        for &later in later {
            // A later transition without a guard is a deliberate fallback, not a mistake.
            if transitions[later.index()].guard.is_none() {
                continue;
            }
            if self.shadows_seen.insert((machine, first, later)) {
                self.shadows.push(Shadow {
                    machine,
                    first,
                    later,
                    seen,
                });
            }
        }
    }
}

/// The instance a run error is about (for a livelock, the first of its cycle).
pub(crate) fn error_instance(error: &RunError) -> Option<InstanceId> {
    match error {
        RunError::NoInitialRule { instance }
        | RunError::HistoryWithoutEarlierState { instance, .. }
        | RunError::OutOfRange { instance, .. }
        | RunError::StuckInTransient { instance, .. } => Some(*instance),
        RunError::Livelock { cycle, .. } => cycle.as_ref().and_then(|c| c.first()).map(|(i, _)| *i),
        RunError::TooManyInstances { .. } | RunError::TooMuchWork { .. } => None,
    }
}

/// What tells run errors apart as mistakes (see [`same_error`]): their kind, and the variable,
/// transition or state they are about.
fn error_key(error: &RunError) -> (u8, u32) {
    match error {
        RunError::NoInitialRule { .. } => (0, 0),
        RunError::HistoryWithoutEarlierState { transition, .. } => (1, transition.0),
        RunError::Livelock { .. } => (2, 0),
        RunError::OutOfRange { var, .. } => (3, var.0),
        RunError::StuckInTransient { state, .. } => (4, state.0),
        RunError::TooManyInstances { .. } => (5, 0),
        RunError::TooMuchWork { .. } => (6, 0),
    }
}

/// Whether two run errors are the same mistake: the same kind, about the same variable,
/// transition or state (the instance aside).
pub(crate) fn same_error(a: &RunError, b: &RunError) -> bool {
    match (a, b) {
        (RunError::OutOfRange { var: a, .. }, RunError::OutOfRange { var: b, .. }) => a == b,
        (
            RunError::HistoryWithoutEarlierState { transition: a, .. },
            RunError::HistoryWithoutEarlierState { transition: b, .. },
        ) => a == b,
        (
            RunError::StuckInTransient { state: a, .. },
            RunError::StuckInTransient { state: b, .. },
        ) => a == b,
        (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// Per machine: how many instances [`world_config`] makes with it as the root and `n` children
/// in every group, or some number above [`MAX_WORLD`] when that is more. Worked out once per
/// program, children before parents and iteratively, so that a chain of machine kinds as long as
/// the input costs its length, not its length squared, and no deep stack.
///
/// A machine on no cycle of the children groups (`cyclic`) has the same subtree wherever it is
/// (no machine below it can be above it), so its size is one plus `n` times its groups' sizes. A
/// machine on a cycle gets one level of its own kind, which depends on the way down: it is
/// counted by [`cyclic_world_size`], which stops as soon as the world is too big.
fn world_sizes(program: &Program, cyclic: &[bool], n: u32) -> Vec<usize> {
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
fn cyclic_world_size(
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

/// The world's setup: `n` children in every group, down the tree, none in a group whose machine
/// is already twice on the way down. Called once [`world_sizes`] has found the world within
/// [`MAX_WORLD`] instances, so it builds at most that many; on an explicit stack, each subtree
/// built once and copied into the other children of its group.
fn world_config(program: &Program, root: MachineId, n: u32) -> Config {
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

/// The values a variable may take, as (smallest, how many); `None` for an unbounded integer, kept
/// in a window.
fn value_range(program: &Program, ty: Type, default: i64) -> (i64, u64) {
    match ty {
        Type::Bool => (0, 2),
        Type::Enum(e) => (0, program.enum_type(e).members.len().max(1) as u64),
        Type::Int { min, max } if ty != Type::INT => {
            let span = (i128::from(max) - i128::from(min) + 1) as u128;
            if span <= u128::from(u32::MAX) {
                (min, span as u64)
            } else {
                let lo = default.min(0).saturating_sub(WINDOW).max(min);
                let hi = default.max(0).saturating_add(WINDOW).min(max);
                (lo, (i128::from(hi) - i128::from(lo) + 1) as u64)
            }
        }
        _ => {
            let lo = default.min(0).saturating_sub(WINDOW);
            // In `i128`: a default at the 64-bit bounds makes a window wider than `i64` holds.
            let hi = default.max(0).saturating_add(WINDOW);
            (lo, (i128::from(hi) - i128::from(lo) + 1) as u64)
        }
    }
}

fn field(offset: &mut u32, base: i64, count: u64) -> Field {
    let width = if count <= 1 << 8 {
        1
    } else if count <= 1 << 16 {
        2
    } else {
        4
    };
    let f = Field {
        offset: *offset,
        width,
        base,
        count,
    };
    *offset += u32::from(width);
    f
}

/// The fields of every instance of `world`, the symmetric groups and the moves.
fn layout<'c>(
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
    let store = Store::new(width, &fields, layers.pack, layers.sorted);
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
            symmetric.push(Symmetric {
                first,
                instances,
                count: group.len() as u32,
                start,
                bytes: end - start,
                low,
                bits,
            });
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
                    bits,
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
        symmetric,
        width,
        store,
        parent: Parents::default(),
        initial: Vec::new(),
        edges: None,
        config,
        prepared,
        outside,
        outside_of,
        local,
        lists: Local::default(),
        containing,
    }
}

/// What the outside sends each instance of `world`: the tables, one per machine and set of events
/// the world sends it, and each instance's.
fn outside_tables(
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
fn outside_of_machine(
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

/// What the exploration of any root needs to know of every machine of the program, worked out
/// once: `wfl check` explores every machine as a root, and working it out again for each would
/// take time in proportion to the machines squared.
pub struct Prepared {
    /// Per machine: whether it has a `history` transition.
    history: Vec<bool>,
    /// Per machine, per state: the external moves its transitions take.
    moves: Vec<Vec<Vec<ExternalEvent>>>,
    /// Per machine, per state, per move: whether several transitions could take it.
    contested: Vec<Vec<Vec<bool>>>,
    /// Per machine, per variable: the values a `set` from outside may give it (none but for
    /// inputs that change at any time).
    settable: Vec<Vec<Vec<i64>>>,
    /// The events actions send, to find those the outside does not.
    sends: Sends,
    /// See [`self_contained`], [`watches_children`], [`quiet_machines`], [`numbered_groups`].
    contained: Vec<Option<Sight>>,
    watches: Vec<bool>,
    quiet: Vec<bool>,
    numbered: Vec<Vec<bool>>,
    /// Per machine: whether it is on a cycle of children groups (nested in itself, maybe
    /// through others).
    cyclic: Vec<bool>,
    /// [`world_sizes`] for one number of children, worked out when first asked for.
    sizes: OnceLock<(u32, Vec<usize>)>,
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
    fn world_size(&self, program: &Program, root: MachineId, n: u32) -> usize {
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
fn cyclic_machines(program: &Program) -> Vec<bool> {
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
struct Sends {
    /// Per machine: the events it raises.
    raised: Vec<Vec<EventId>>,
    /// Per machine: the events it sends to its parent.
    up: Vec<Vec<EventId>>,
    /// Per machine, per children group: the events it sends to the group (or one child of it).
    down: Vec<Vec<Vec<EventId>>>,
}

impl Sends {
    fn new(program: &Program) -> Sends {
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
    fn inside(&self, program: &Program, world: &World<'_>, i: usize) -> Vec<EventId> {
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
fn settable_values(program: &Program, ty: Type) -> Option<Vec<i64>> {
    match ty {
        Type::Bool => Some(vec![0, 1]),
        Type::Enum(e) => Some((0..program.enum_type(e).members.len() as i64).collect()),
        Type::Int { min, max } if ty != Type::INT && max.saturating_sub(min) < ALL_VALUES_UP_TO => {
            Some((min..=max).collect())
        }
        _ => None,
    }
}

/// Where the bytes of instance `i` start (or `end` past the last instance).
fn slot_end(slots: &[Slot], i: usize, end: u32) -> u32 {
    slots.get(i).map_or(end, |s| s.state.offset)
}

/// What moves on self-contained instances do, remembered: a move on an instance whose machine
/// sends nothing and looks only at its own state and variables and at its children's states —
/// under a parent whose event-less transitions do not look at its children — changes that
/// instance alone, and only what it looks at decides how. So the outcomes of all the moves on an
/// instance are kept per machine, instance packed and children's states: the instance packed
/// after each move that changes it without a run error, and how many moves were tried.
///
/// Only the first instance seen so runs the interpreter, and records what it entered and took,
/// the transitions it found enabled together and the errors it ran into. Those records keep the
/// first time they are made, so later instances with the same key have nothing to add to them.
///
/// Anchors. A `set` writes the variable, then runs what that enables: where it leads depends on
/// the configuration after the write alone, not on the value before. So from configurations
/// that differ only in variable `v` of one instance, `set`s of `v` lead to the same places. Take
/// the one of them, B, with `v` at its first value: when a `set` of `v` on configuration C makes
/// B (the anchor) and changes nothing else, every other `set` of `v` on C leads where the same
/// `set` on B leads. If B was explored before C, those were all stored then: C looks none of
/// them up, and stores none of those moves. For [`no_way_to_final`], C leads where B leads: the
/// `set` from B that made C changed the variable alone, and is stored as [`REVERSIBLE`]. The
/// configurations stored, and their order, do not change.
#[derive(Default)]
struct Local {
    /// Per [`Local::key`]: where the outcomes are in `after` (start, count) and the moves tried.
    lists: FxHashMap<u64, (u32, u32, u32)>,
    /// The instance packed after each move that changes it and runs into no error.
    after: Vec<u64>,
    /// Per outcome in `after`: the variable, when a `set` made it ([`Local::PURE`] added when it
    /// changed nothing else, and [`Local::ANCHOR`] too when it set the variable's first value);
    /// else [`Local::NO_SET`].
    sets: Vec<u32>,
}

impl Local {
    /// Bytes its lists take.
    fn bytes(&self) -> usize {
        use std::mem::size_of;
        hash_table_bytes(self.lists.capacity(), size_of::<(u64, (u32, u32, u32))>())
            + self.after.capacity() * size_of::<u64>()
            + self.sets.capacity() * size_of::<u32>()
    }

    const NO_SET: u32 = u32::MAX;
    /// The `set` changed its variable alone.
    const PURE: u32 = 1 << 30;
    /// ... and set its first value.
    const ANCHOR: u32 = 1 << 31;

    fn var(set: u32) -> u32 {
        set & !(Local::PURE | Local::ANCHOR)
    }

    fn pure(set: u32) -> bool {
        set != Local::NO_SET && set & Local::PURE != 0
    }

    /// Bits of an instance's packed form (with its children's states) at most, to be
    /// remembered.
    const BITS: u32 = 40;

    /// The key of an instance of a machine in a place of the world (`kind`, an [`Outside`],
    /// below `1 << 12`: the outside may send it other events elsewhere) with `children` (below
    /// `1 << 12`) whose states it looks at, packed with them as `seen`. The number of children
    /// tells instances of one machine apart that have different numbers of them (a machine
    /// nested in itself has none at the bottom).
    fn key(kind: u32, children: usize, seen: u128) -> u64 {
        seen as u64 | u64::from(kind) << 40 | (children as u64) << 52
    }
}

/// Where the fields of an instance whose moves are remembered are: their indices among all the
/// fields, and their bits in the packed configuration.
#[derive(Clone, Debug)]
struct LocalSlot {
    /// Its [`Outside`].
    kind: u32,
    fields: std::ops::Range<usize>,
    low: u32,
    bits: u32,
    /// The state fields of its children, when its machine looks at their states: each one's
    /// place in the packed configuration and in the bytes.
    children: Vec<ChildState>,
}

impl LocalSlot {
    /// The [`Local::key`] of the instance in a packed configuration.
    fn list_key(&self, key: u128) -> u64 {
        let code = (key >> self.low) & mask(self.bits);
        let seen = self.children.iter().fold(code, |seen, c| {
            seen << c.bits | (key >> c.low) & mask(c.bits)
        });
        Local::key(self.kind, self.children.len(), seen)
    }
}

#[derive(Clone, Copy, Debug)]
struct ChildState {
    low: u32,
    bits: u32,
    offset: u32,
    width: u8,
}

/// Bits of a packed configuration, as a 64- or 128-bit number.
trait Bits:
    Copy
    + Ord
    + std::ops::Shl<u32, Output = Self>
    + std::ops::Shr<u32, Output = Self>
    + std::ops::BitAnd<Output = Self>
    + std::ops::BitOr<Output = Self>
    + std::ops::Not<Output = Self>
{
    fn mask(bits: u32) -> Self;
}

impl Bits for u64 {
    fn mask(bits: u32) -> u64 {
        mask(bits) as u64
    }
}

impl Bits for u128 {
    fn mask(bits: u32) -> u128 {
        mask(bits)
    }
}

/// Moves child `k` of `group`, the only one out of place, to its place among the others (a
/// step of insertion sort over the packed children, first child highest).
fn bubble<B: Bits>(key: &mut B, group: &Symmetric, mut k: usize) {
    let (bits, count) = (group.bits, group.count as usize);
    let m = B::mask(bits);
    let at = |c: usize| group.low + (count - 1 - c) as u32 * bits;
    let get = |key: B, c: usize| (key >> at(c)) & m;
    let put = |key: &mut B, c: usize, v: B| {
        *key = *key & !(m << at(c)) | v << at(c);
    };
    let moved = get(*key, k);
    while k > 0 && get(*key, k - 1) > moved {
        let before = get(*key, k - 1);
        put(key, k, before);
        k -= 1;
    }
    while k + 1 < count && get(*key, k + 1) < moved {
        let after = get(*key, k + 1);
        put(key, k, after);
        k += 1;
    }
    put(key, k, moved);
}

/// How far an expression looks from its instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Sight {
    /// Its own state and variables.
    Own,
    /// Also the states of its children (quantifiers without `where`).
    ChildStates,
    /// Also its children's variables, or further.
    Beyond,
}

/// How far an expression looks, directly or through the views it reads (`views`: how far each
/// view of its machine looks, from [`view_sights`]).
fn sight(e: &Expr, views: &[Sight]) -> Sight {
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
fn view_sights(m: &Machine) -> Vec<Sight> {
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
fn looks_down(e: &Expr, views: &[Sight]) -> bool {
    sight(e, views) > Sight::Own
}

/// Per machine: what a move on an instance of it depends on, when it changes that instance
/// alone — it sends nothing — and depends on no more than its own fields and its children's
/// states; `None` otherwise.
fn self_contained(program: &Program) -> Vec<Option<Sight>> {
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
fn watches_children(program: &Program) -> Vec<bool> {
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
fn quiet_machines(program: &Program) -> Vec<bool> {
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
fn numbered_groups(program: &Program) -> Vec<Vec<bool>> {
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

/// Every combination of initial values of the inputs (bool and enum variables: every value;
/// integers with a small range: every value, with a large one: default, smallest and largest;
/// unbounded: the default; other variables start at their declared value), one per arrangement of identical children, and whether they all fit under
/// [`MAX_INITIAL`] (else the first ones; only the defaults when there are more than
/// [`PRODUCT_LIMIT`] before rearrangements are set aside).
fn combos(program: &Program, slots: &[Slot], symmetric: &[Symmetric]) -> (Vec<Combo>, bool) {
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

/// For each root state, the first configuration with the root in it from which no configuration
/// with the root in a final state can be reached.
///
/// The moves stored are those looked up: not the `set`s an explored anchor covers (its
/// [`REVERSIBLE`] move leads back), nor the moves of instances whose every move led to a
/// configuration stored before (see [`Known`]). Those are worked out again
/// ([`Space::remembered_moves`]) for configurations the stored moves do not show to lead to a
/// final one.
///
/// `None` when its own tables would take more than `room` bytes (the rest of `--max-memory`).
fn no_way_to_final(space: &Space<'_>, sweeps: usize, room: usize) -> Option<Vec<(StateId, u32)>> {
    let Some(edges) = &space.edges else {
        return Some(Vec::new());
    };
    let n = space.parent.len().min(edges.explored());
    // `good` and `pending` (a byte and four per configuration), then, if the sweeps leave some,
    // `waits` (four more), the list of waits (eight per move looked at) and the configurations
    // being settled, those two as they grow.
    let mut taken = n * 5;
    if taken > room {
        return None;
    }
    let successors = |from: usize| edges.from(from);
    let parent = |i: u32| space.parent.get(i as usize).unwrap_or(NO_PARENT);
    let mut bytes = vec![0; space.width];
    let mut skip = vec![false; space.slots.len()];
    let mut good = vec![false; n];
    for (i, g) in good.iter_mut().enumerate() {
        *g = space.root_final(space.root_state_at(i as u32, &mut bytes));
    }
    // Sweeps over the configurations not yet known to lead to a final one, over the moves
    // stored, from the last to the first and back: most moves lead to configurations found
    // later, the rest (a `set` undone, a retry) to earlier ones, and the way back settles those.
    // A configuration that leads to a final one makes its parent (found earlier, and one move
    // before it) lead there too, and what a reversible `set` made of it (the `set` back leads
    // to it).
    let mut pending: Vec<u32> = Vec::with_capacity(good.iter().filter(|&&g| !g).count());
    pending.extend((0..n as u32).rev().filter(|&i| !good[i as usize]));
    for _ in 0..sweeps {
        let before = pending.len();
        pending.retain(|&from| {
            let leads = good[from as usize]
                || successors(from as usize).any(|t| good[(t & !REVERSIBLE) as usize]);
            if leads {
                good[from as usize] = true;
                let p = parent(from);
                if p != NO_PARENT {
                    good[p as usize] = true;
                }
                for t in successors(from as usize) {
                    if t & REVERSIBLE != 0 {
                        good[(t & !REVERSIBLE) as usize] = true;
                    }
                }
            }
            !leads
        });
        // A pass that settles few: the exact pass below settles the rest, at one look each.
        if before - pending.len() <= before / 16 {
            break;
        }
        pending.reverse();
    }
    // The rest, exactly, last first: each looks at every move (stored, and worked out again)
    // once, until one leads to a configuration known to lead to a final one; if none does, it
    // waits on them, and is settled when one of them is. `waits` is per configuration the first
    // of the waits on it, each wait the configuration waiting and the next wait.
    pending.sort_unstable_by(|a, b| b.cmp(a));
    // Settling goes from configuration to parent in no order: the parents listed one after the
    // other (four bytes each) when they fit, rather than found in their ranges each time.
    let listed: Option<Vec<u32>> = (!pending.is_empty() && taken + n * 4 <= room).then(|| {
        taken += n * 4;
        space.parent.iter().take(n).collect()
    });
    let parent = |i: u32| match &listed {
        Some(listed) => listed.get(i as usize).copied().unwrap_or(NO_PARENT),
        None => parent(i),
    };
    const NONE: u32 = u32::MAX;
    let mut waits: Vec<u32> = Vec::new();
    let mut wait_list: Vec<(u32, u32)> = Vec::new();
    let mut settle: Vec<u32> = Vec::new();
    let mut on = Vec::new();
    for &from in &pending {
        if good[from as usize] {
            continue;
        }
        on.clear();
        on.extend(successors(from as usize).map(|t| t & !REVERSIBLE));
        let leads = on.iter().any(|&t| good[t as usize])
            || space.remembered_moves(from, &mut skip, |t| {
                on.push(t);
                good[t as usize]
            });
        if !leads {
            if waits.is_empty() {
                taken += n * 4;
                if taken > room {
                    return None;
                }
                waits = vec![NONE; n];
            }
            for &t in &on {
                if !push_within(&mut wait_list, (from, waits[t as usize]), &mut taken, room) {
                    return None;
                }
                waits[t as usize] = wait_list.len() as u32 - 1;
            }
            continue;
        }
        good[from as usize] = true;
        if !push_within(&mut settle, from, &mut taken, room) {
            return None;
        }
        while let Some(t) = settle.pop() {
            let p = parent(t);
            if p != NO_PARENT && !good[p as usize] {
                good[p as usize] = true;
                if !push_within(&mut settle, p, &mut taken, room) {
                    return None;
                }
            }
            let mut w = waits.get(t as usize).copied().unwrap_or(NONE);
            while w != NONE {
                let (source, next) = wait_list[w as usize];
                if !good[source as usize] {
                    good[source as usize] = true;
                    if !push_within(&mut settle, source, &mut taken, room) {
                        return None;
                    }
                }
                w = next;
            }
        }
    }
    let mut out: Vec<(StateId, u32)> = Vec::new();
    let mut listed = vec![false; space.program.machine(space.slots[0].machine).states.len()];
    for (i, g) in good.iter().enumerate() {
        if *g {
            continue;
        }
        let state = space.root_state_at(i as u32, &mut bytes);
        if let Some(seen) = listed.get_mut(state.index())
            && !std::mem::replace(seen, true)
        {
            out.push((state, i as u32));
        }
    }
    out.sort_by_key(|(s, _)| s.0);
    Some(out)
}

/// Pushes `item` onto `list`, when what `taken` counts, with the list grown if it must be (its
/// old and new allocations both held a moment), stays within `room` bytes; whether it did.
fn push_within<T>(list: &mut Vec<T>, item: T, taken: &mut usize, room: usize) -> bool {
    if list.len() == list.capacity() {
        let size = std::mem::size_of::<T>();
        let old = list.capacity();
        let capacity = (old * 2).max(16);
        if *taken + capacity * size > room {
            return false;
        }
        list.reserve_exact(capacity - list.len());
        *taken += (list.capacity() - old) * size;
    }
    list.push(item);
    true
}

/// Passes [`no_way_to_final`] makes at most over the moves stored before it works out the rest
/// (it stops sooner when a pass settles few; the pool of the analysis benchmark takes four).
const SWEEPS: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    fn program(text: &str) -> Program {
        let checked = crate::check_text(text);
        assert!(!checked.diagnostics.iter().any(|d| d.is_error()));
        checked.program.expect("resolves")
    }

    const POOL: &str = "machine w {\n  initial -> A\n  state A, B\n  A -> B on go\n  B -> A on back\n}\n\
                        machine pool {\n  children ws: w\n  initial -> Open\n  state Open\n  Open -> Open on go { send go to ws }\n}\n";

    /// Nested groups of identical children, history, event-less transitions, parents whose
    /// guards look at their children, a send and a root with a final state: every path of the
    /// explorer (remembered moves, the interpreter, the packed canonical form, the sweeps towards
    /// final states).
    const NESTED: &str = "machine leaf {\n  input var n: int 0..2 = 0\n  initial -> A\n  state A, B, C\n\
                          A -> B on go when n < 2 { set n = n + 1 }\n  B -> C on go\n  C -> history on undo\n\
                          B -> A on back\n  C -> A when n >= 2\n}\n\
                          machine mid {\n  children leaves: leaf\n  initial -> Idle\n  state Idle, Busy\n\
                          Idle -> Busy on start\n  Busy -> Idle on reset when all leaves in [A] { send back to leaves }\n}\n\
                          machine top {\n  children mids: mid\n  initial -> Open\n  state Open\n  final state Closed\n\
                          Open -> Closed on close when all mids in [Busy]\n}\n";

    fn limits(children: u32) -> Limits {
        Limits {
            children,
            max_states: 1 << 20,
            max_bytes: 1 << 30,
        }
    }

    /// Every layer, with configurations looked up in sorted batches from the start.
    const SORTED: Layers = Layers {
        sorted: true,
        ..Layers::ALL
    };

    /// Identical children in canonical order, and no other layer: what every layer but
    /// [`Layer::Symmetry`] must find the same as.
    const SYMMETRIC: Layers = Layers {
        symmetry: true,
        ..Layers::NONE
    };

    /// Explores machine `root` of `p`, with `children` per group, with every layer (looking
    /// configurations up in a hash table, and in sorted batches) and with symmetry alone.
    fn with_and_without_shortcuts<'c>(
        p: &'c Program,
        c: &'c Compiled,
        root: usize,
        children: u32,
    ) -> [Exploration<'c>; 3] {
        let root = MachineId::from_index(root);
        [Layers::ALL, SORTED, SYMMETRIC]
            .map(|layers| explore_with(p, c, root, limits(children), layers))
    }

    /// Whether two explorations saw the same, configuration by configuration.
    fn assert_alike(fast: &Exploration<'_>, slow: &Exploration<'_>) {
        assert!(fast.complete() && slow.complete());
        assert_eq!(fast.configs, slow.configs);
        assert_eq!(fast.moves, slow.moves);
        assert_eq!(fast.reached, slow.reached);
        assert_eq!(fast.taken, slow.taken);
        // Unless one of them had no room left for it.
        if !fast.no_final_unknown && !slow.no_final_unknown {
            assert_eq!(fast.no_final, slow.no_final);
        }
        assert_eq!(fast.failures.len(), slow.failures.len());
        assert_eq!(fast.shadows.len(), slow.shadows.len());
        for i in 0..fast.configs as u32 {
            assert_eq!(fast.space.get(i), slow.space.get(i));
        }
    }

    fn edges(x: &Exploration<'_>) -> usize {
        x.space.edges.as_ref().map_or(0, Edges::moves)
    }

    /// Explores `text`'s machine `root` with and without the shortcuts; all must see the same,
    /// and looking configurations up in sorted batches changes nothing else either. The
    /// instances remembered, and the moves stored with and without the shortcuts.
    fn explores_alike(text: &str, root: usize, children: u32) -> (usize, usize, usize) {
        let p = program(text);
        let c = Compiled::new(&p).expect("compiles");
        let [fast, sorted, slow] = with_and_without_shortcuts(&p, &c, root, children);
        assert!(fast.space.store.is_packed() && !slow.space.store.is_packed());
        assert!(!fast.space.store.is_sorted() && sorted.space.store.is_sorted());
        assert!(slow.space.local.iter().all(Option::is_none));
        assert_alike(&fast, &slow);
        assert_alike(&sorted, &slow);
        assert_eq!(sorted.lookups, fast.lookups);
        assert_eq!(sorted.space.edges, fast.space.edges);
        let remembered = fast.space.local.iter().filter(|l| l.is_some()).count();
        (remembered, edges(&fast), edges(&slow))
    }

    #[test]
    fn the_shortcuts_change_nothing() {
        // The leaves and the root (which looks at its children's states) are remembered; not the
        // mids, which send to their children.
        assert_eq!(explores_alike(NESTED, 2, 2).0, 5);
    }

    /// A machine nested in itself: the instances at the bottom have no children, the others do,
    /// and each looks at its children's states.
    const TREE: &str = "machine node {\n  children kids: node\n  input var n: int 0..1 = 0\n  initial -> Idle\n  state Idle, Busy, Done\n\
                        Idle -> Busy on go\n  Busy -> Done on finish when all kids in [Done] { set n = 1 }\n\
                        Done -> Idle on again when count kids in [Done] < 2\n  Busy -> Busy when n > 0 { set n = 0 }\n}\n";

    #[test]
    fn the_shortcuts_change_nothing_for_a_machine_nested_in_itself() {
        // The root and its two children, which have none (the machine is twice on their way down).
        assert_eq!(explores_alike(TREE, 0, 2).0, 3);
    }

    /// What a plain exploration and one with `layers` on find alike: the states entered, the
    /// transitions taken, the states that cannot finish, the kinds of run errors and shadowed
    /// transitions.
    fn assert_same_findings(x: &Exploration<'_>, plain: &Exploration<'_>) {
        let seen = |list: &PerMachine<Option<Seen>>, m: usize| -> Vec<bool> {
            list[m].iter().map(Option::is_some).collect()
        };
        assert!(x.complete() && plain.complete());
        for m in 0..x.present.machines.len() {
            let m = x.present.machines[m].index();
            assert_eq!(seen(&x.reached, m), seen(&plain.reached, m));
            assert_eq!(seen(&x.taken, m), seen(&plain.taken, m));
        }
        let states = |x: &Exploration<'_>| x.no_final.iter().map(|s| s.0).collect::<Vec<_>>();
        assert_eq!(states(x), states(plain));
        assert_eq!(x.failures.len(), plain.failures.len());
        assert_eq!(x.shadows.len(), plain.shadows.len());
    }

    #[test]
    fn each_layer_alone_finds_what_a_plain_search_finds() {
        for (text, root, children) in [
            (NESTED, 2, 2),
            (TREE, 0, 2),
            (BREAKING, 1, 3),
            (GATED, 1, 2),
            (WATCHING, 1, 2),
        ] {
            let p = program(text);
            let c = Compiled::new(&p).expect("compiles");
            let root = MachineId::from_index(root);
            let explore = |variant| explore_variant(&p, &c, root, limits(children), variant);
            let plain = explore(Variant::Plain);
            for &layer in layers() {
                let x = explore(Variant::Only(layer));
                if layer == Layer::Symmetry {
                    // Fewer configurations: arrangements of identical children are one.
                    assert!(x.configs < plain.configs, "{text}");
                    assert_same_findings(&x, &plain);
                } else {
                    assert_alike(&x, &plain);
                }
            }
            assert_same_findings(&explore(Variant::All), &plain);
        }
    }

    /// Explores [`POOL`] with `children` children and at most `max_states` configurations: why
    /// it stopped, and the configurations stored.
    fn explore_pool(children: u32, max_states: usize) -> (Option<Stop>, usize) {
        let p = program(POOL);
        let c = Compiled::new(&p).expect("compiles");
        let limits = Limits {
            children,
            max_states,
            max_bytes: 1 << 20,
        };
        let x = explore(&p, &c, MachineId::from_index(1), limits);
        (x.stop, x.configs)
    }

    /// A worker that breaks, or runs out of retries, keeps the pool from closing; the
    /// configurations that cannot close are found early and late in the exploration.
    const BREAKING: &str = "machine w {\n  input var tries: int 0..2 = 0\n  initial -> Idle\n  state Idle, Busy, Failed, Broken\n\
                    final state Done\n  Idle -> Busy on go\n  Busy -> Done on finish\n  Busy -> Failed on fail\n\
                    Failed -> Busy on retry when tries < 2 { set tries = tries + 1 }\n  Busy -> Broken on crash\n}\n\
                    machine pool {\n  children ws: w\n  initial -> Open\n  state Open, Closing\n  final state Closed\n\
                    Open -> Closing on close\n  Closing -> Open on reopen\n\
                    Closing -> Closed on done when all ws in [Done]\n}\n";

    #[test]
    fn anchors_spare_lookups_and_change_nothing() {
        // Every configuration found, in the same order, the same states that cannot close; with
        // fewer moves stored, as `set`s of `tries` lead back to their anchor.
        let (remembered, fast, slow) = explores_alike(BREAKING, 1, 3);
        assert_eq!(remembered, 4);
        assert!(
            fast < slow,
            "{fast} moves stored with anchors, {slow} without"
        );
        let (_, fast, slow) = explores_alike(GATED, 1, 2);
        assert!(fast < slow);
        // A worker that starts sets `x` to its last value: the anchor (`x` at 0) of a busy
        // worker is found after it, and the other `set`s are looked up then; what a root's move
        // and a worker's move pass on to the next configuration is tried both ways.
        let late = "machine w {\n  input var x: int 0..2 = 0\n  initial -> Idle\n  state Idle, Busy, Done\n\
                    Idle -> Busy on go { set x = 2 }\n  Busy -> Done on finish when x == 1\n  Done -> Idle on again\n}\n\
                    machine pool {\n  children ws: w\n  input var n: int 0..1 = 0\n  initial -> Open\n  state Open, Paused\n\
                    final state Closed\n  Open -> Paused on pause\n  Paused -> Open on resume\n\
                    Open -> Closed on close when all ws in [Done]\n}\n";
        let (_, fast, slow) = explores_alike(late, 1, 3);
        assert!(fast < slow);
    }

    /// A parent that looks at its children's states, with two moves that all of them in `A`
    /// enable: a child's move may enable the parent's, and the parent's move may change what the
    /// children's moves lead to, so neither passes on what it knew of the other. (`k` makes the
    /// parent's moves remembered: its children's states recur with other values of `k`.)
    const WATCHING: &str = "machine kid {\n  input var k: int 0..1 = 0\n  initial -> B\n  state A, B\n  B -> A on step\n  A -> B on back\n}\n\
                            machine top {\n  children kids: kid\n  initial -> Idle\n  state Idle, Busy, Done\n\
                            Idle -> Busy on go when all kids in [A]\n  Idle -> Done on finish when all kids in [A]\n\
                            Busy -> Idle on stop\n  Done -> Idle on stop\n}\n";

    #[test]
    fn moves_that_lead_to_stored_configurations_are_not_looked_up_and_change_nothing() {
        for (text, root, children) in [
            (BREAKING, 1, 3),
            (GATED, 1, 3),
            (WATCHING, 1, 2),
            (WATCHING, 1, 3),
            (NESTED, 2, 2),
            (TREE, 0, 2),
        ] {
            explores_alike(text, root, children);
        }
        // With the moves of other instances passed on, and without.
        let lookups = |text: &str, stored: bool| {
            let p = program(text);
            let c = Compiled::new(&p).expect("compiles");
            let limits = Limits {
                children: 3,
                max_states: 1 << 20,
                max_bytes: 1 << 30,
            };
            let layers = Layers {
                stored,
                ..Layers::ALL
            };
            let x = explore_with(&p, &c, MachineId::from_index(1), limits, layers);
            (x.configs, x.lookups)
        };
        let (configs, spared) = lookups(BREAKING, true);
        let (same, all) = lookups(BREAKING, false);
        assert_eq!(configs, same);
        // 6118 and 8280, today.
        assert!(4 * spared < 3 * all, "{spared} lookups, {all} without");
    }

    /// A worker finishes only with `x` at its first value: from a busy worker with another, the
    /// one way to a closed pool is the move to the anchor, which is not stored (the `set` from
    /// the anchor is, as reversible).
    const GATED: &str = "machine w {\n  input var x: int 0..2 = 0\n  initial -> Idle\n  state Idle, Busy\n  final state Done\n\
                         Idle -> Busy on go\n  Busy -> Done on finish when x == 0\n}\n\
                         machine pool {\n  children ws: w\n  initial -> Open\n  state Open\n  final state Closed\n\
                         Open -> Closed on close when all ws in [Done]\n}\n";

    /// A ring of states with one way out to a final state, and one to a dead end: the dead end
    /// is the ring's last state's first move.
    const RING: &str = "machine ring {\n  initial -> S0\n  state S0, S1, S2, S3, Dead\n  final state F\n\
                        S3 -> Dead on b\n  S0 -> S1 on a\n  S1 -> S2 on a\n  S2 -> S3 on a\n  S3 -> S0 on a\n  S0 -> F on f\n}\n";

    #[test]
    fn the_sweeps_towards_final_states_change_nothing() {
        // BREAKING: Open and Closing, with a broken worker; GATED: none; NESTED: none.
        for (text, root, children, states) in [
            (BREAKING, 1, 3, 2),
            (BREAKING, 1, 4, 2),
            (GATED, 1, 3, 0),
            (NESTED, 2, 2, 0),
            (RING, 0, 2, 1),
        ] {
            let p = program(text);
            let c = Compiled::new(&p).expect("compiles");
            // Without the shortcuts, every move is stored, and none worked out again.
            let [x, sorted, all] = with_and_without_shortcuts(&p, &c, root, children);
            assert!(x.complete() && sorted.complete() && all.complete());
            let expected = no_way_to_final(&all.space, 0, usize::MAX).expect("room");
            assert_eq!(expected.len(), states);
            // Without sweeps, every configuration is settled by the moves it makes.
            for sweeps in [0, 1, 2, SWEEPS] {
                assert_eq!(
                    no_way_to_final(&x.space, sweeps, usize::MAX),
                    Some(expected.clone())
                );
                assert_eq!(
                    no_way_to_final(&sorted.space, sweeps, usize::MAX),
                    Some(expected.clone())
                );
            }
        }
    }

    #[test]
    fn the_search_for_states_that_cannot_finish_keeps_the_bound_on_memory() {
        let p = program(BREAKING);
        let c = Compiled::new(&p).expect("compiles");
        let pool = MachineId::from_index(1);
        let free = explore_with(&p, &c, pool, limits(3), Layers::ALL);
        assert!(free.complete() && !free.no_final_unknown);
        assert_eq!(free.no_final.len(), 2);
        // The least bound the exploration completes within (it needs more than its tables
        // while it runs: the configurations waiting, the batch).
        let (mut low, mut high) = (free.bytes(), free.bytes() + (1 << 20));
        while low < high {
            let mid = (low + high) / 2;
            let bound = Limits {
                max_bytes: mid,
                ..limits(3)
            };
            if explore_with(&p, &c, pool, bound, Layers::ALL).complete() {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        // Every bound gives the answer, or says it has none: never a part of it.
        let n = free.configs;
        for extra in (0..16 * n).step_by(n / 16 + 1).chain([1 << 20]) {
            let bound = Limits {
                max_bytes: low + extra,
                ..limits(3)
            };
            let x = explore_with(&p, &c, pool, bound, Layers::ALL);
            match (x.complete(), x.no_final_unknown) {
                (true, false) => assert_eq!(x.no_final, free.no_final),
                (true, true) => {
                    assert!(x.no_final.is_empty());
                    assert!(extra < 1 << 20, "a megabyte is enough");
                }
                (false, _) => assert!(x.no_final.is_empty() && !x.no_final_unknown),
            }
        }
        // The exploration needs more room while it runs than the search after it (the stored
        // tables are small next to the configurations waiting and the batch): the search is
        // given what is left, from none up.
        let mut unknown = 0;
        for room in (0..16 * n).step_by(n / 16 + 1) {
            match no_way_to_final(&free.space, SWEEPS, room) {
                Some(no_final) => assert_eq!(no_final, free.no_final, "room {room}"),
                None => unknown += 1,
            }
        }
        assert!(unknown > 0, "some room is too little");
        assert_eq!(no_way_to_final(&free.space, SWEEPS, 0), None);
    }

    #[test]
    fn a_table_that_would_pass_the_memory_bound_stops_the_exploration_with_what_it_found() {
        let p = program(BREAKING);
        let c = Compiled::new(&p).expect("compiles");
        let pool = MachineId::from_index(1);
        let hashed = explore_with(&p, &c, pool, limits(6), Layers::ALL);
        let sorted = explore_with(&p, &c, pool, limits(6), SORTED);
        assert_alike(&sorted, &hashed);
        assert_eq!(sorted.space.edges, hashed.space.edges);
        // The hash table of indices takes less than sorted runs (an entry of eight bytes and
        // its share of a directory per configuration): the store stays a table.
        assert!(hashed.bytes() < sorted.bytes());
        for max_bytes in [hashed.bytes() - 1, hashed.bytes() / 2] {
            let tight = Limits {
                max_bytes,
                ..limits(6)
            };
            let stopped = explore_with(&p, &c, pool, tight, Layers::ALL);
            assert_eq!(stopped.stop, Some(Stop::Memory));
            assert!(!stopped.space.store.is_sorted());
            assert!(stopped.bytes() <= tight.max_bytes);
            assert!(stopped.configs > 0);
            for i in 0..stopped.configs as u32 {
                assert_eq!(stopped.space.get(i), hashed.space.get(i));
            }
        }
    }

    #[test]
    fn a_world_too_big_is_refused_before_it_is_built() {
        assert_eq!(explore_pool(u32::MAX, 10), (Some(Stop::World), 0));
    }

    #[test]
    fn identical_children_are_one_configuration_whatever_their_order() {
        // Each of 3 identical children is A or B: 4 multisets, not 8 arrangements.
        assert_eq!(explore_pool(3, 1000), (None, 4));
    }

    #[test]
    fn the_bound_on_configurations_is_kept_and_makes_it_incomplete() {
        assert_eq!(explore_pool(3, 2), (Some(Stop::States), 2));
    }

    /// A run that goes past what the interpreter lets one run do is no finding of its own, but
    /// what would follow it is unknown: the exploration is incomplete, and says why.
    #[test]
    fn a_run_past_the_interpreters_bounds_makes_it_incomplete() {
        let p = program(POOL);
        let c = Compiled::new(&p).expect("compiles");
        let mut x = explore(&p, &c, MachineId::from_index(1), limits(3));
        assert!(x.complete());
        let (world, _) = World::new(&c, x.root, &x.space.config, false);
        let error = RunError::TooMuchWork {
            work: crate::sim::machine::MAX_WORK + 1,
            events: 0,
        };
        x.record_failure(&world, error, Seen::Initial { combo: 0 }, 0);
        assert_eq!(x.stop, Some(Stop::Run));
    }
}
