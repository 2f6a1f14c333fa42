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
//! as an offset from its smallest value in 1, 2 or 4 bytes, big-endian. The visited set keeps the
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
//!
//! The layers, each in its file, each optimisation one that tests can switch off ([`Layer`],
//! [`Variant`]):
//!
//! - `mod.rs`: the public surface — [`Limits`], [`Exploration`] and what it found, [`explore`],
//!   [`explore_within`], [`explore_variant`];
//! - `facts.rs`: what is computed once per program ([`Prepared`]), iteratively;
//! - `world.rs`: the explored world of one root, what the outside sends it, the combinations of
//!   initial values;
//! - `encoding.rs`: the layout of a configuration's bytes;
//! - `space.rs`: the tables of one exploration, laid out from the world and the layers;
//! - `canonical.rs`: the canonical form under symmetry;
//! - `memo.rs`: the memo of remembered moves, the anchors, what is known of the instances of a
//!   configuration waiting to be explored;
//! - `successors.rs`: the moves of a configuration, by the interpreter or from the memo;
//! - `visited/`: the visited set (an exact, compact table of packed configurations, or bytes in
//!   an arena), the parents and the moves kept;
//! - `final_search.rs`: the graph kept for "a way to a final state" (W0412);
//! - `driver.rs`: the breadth-first driver and its bounds;
//! - `parallel.rs`: the successors of the configurations next in line, made on several threads
//!   ([`Limits::threads`]) with the result of one;
//! - `record.rs`: what the exploration records as it goes (states entered, transitions taken,
//!   run errors, shadowed transitions, sends that reached no child).

use crate::model::{ActorId, EventId, MachineId, Program, StateId, TransitionId, VarId};
use crate::sim::machine::{Compiled, Config, InstanceId, RunError, World};
use crate::source::Span;
use driver::{explore_bounded, explore_with};
use rustc_hash::FxHashSet;
use space::Space;
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use world::instance_path;

mod canonical;
mod driver;
mod encoding;
mod facts;
mod final_search;
mod memo;
mod parallel;
mod record;
mod space;
mod successors;
#[cfg(test)]
mod test_support;
mod visited;
mod world;

pub use facts::Prepared;
#[doc(hidden)]
pub use parallel::make_ahead_eagerly;
pub(crate) use record::{error_instance, same_error};

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
    /// Threads that make the successors of the configurations (at least one): the result does
    /// not depend on it ([`parallel`]).
    pub threads: usize,
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

impl<'c> Exploration<'c> {
    /// An exploration of `root` in the world `space` lays out (`world`, as created), which has
    /// found nothing yet, has done `done` steps of work and may do `work` for its witnesses.
    fn new(
        root: MachineId,
        limits: Limits,
        space: Space<'c>,
        world: &World<'_>,
        done: u64,
        work: u64,
    ) -> Exploration<'c> {
        let program = space.program;
        let present = Present::new(world);
        Exploration {
            root,
            limits,
            stop: None,
            configs: 0,
            moves: 0,
            lookups: 0,
            work: done,
            // Only for the machines of the world: the rest of a program with many machines
            // would cost each root its size.
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
        }
    }

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
}

impl Layers {
    const ALL: Layers = Layers {
        pack: true,
        symmetry: true,
        remember: true,
        anchors: true,
        stored: true,
    };
    const NONE: Layers = Layers {
        pack: false,
        symmetry: false,
        remember: false,
        anchors: false,
        stored: false,
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::analysis::machine::test_support::*;

    use crate::model::MachineId;
    use crate::sim::machine::Compiled;

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
}
