//! The breadth-first driver: creates the world from each combination of initial values,
//! explores the configurations stored in order, a batch at a time (its successors made by
//! [`super::successors`], looked up in [`super::visited`]), keeps the bounds (configurations,
//! memory, work, interruption), then asks [`super::final_search`] for the states that cannot
//! finish.

use super::facts::{Prepared, settable_values};
use super::final_search::{SWEEPS, Unanswered, no_way_to_final};
use super::memo::{Known, Local, SETTLED, Settled};
use super::parallel::Ahead;
use super::space::layout;
use super::successors::{BATCH, Explored, HASHED_BATCH, Made, NO_MOVER, REVERSIBLE, Successors};
use super::visited::{Chunked, Edges, NEW, NO_PARENT, REFUSED};
use super::world::{combos, instance_path, world_config};
use super::{
    Action, Combo, Exploration, Layers, Limits, MAX_WORLD, STORED, Seen, Stop, WORK_UNITS_PER_STEP,
    interrupted, work_bound,
};
use crate::model::{MachineId, Program, StateKind, VarId};
use crate::sim::machine::{Compiled, Config, InstanceId, World};
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// [`explore`](super::explore), with the `layers` switched on.
pub(super) fn explore_with<'c>(
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

/// [`explore_with`], doing at most `work` steps of work.
pub(super) fn explore_bounded<'c>(
    program: &'c Program,
    c: &'c Compiled,
    root: MachineId,
    limits: Limits,
    layers: Layers,
    work: u64,
    prepared: Arc<Prepared>,
) -> Exploration<'c> {
    let mut driver = match Driver::new(program, c, root, limits, layers, work, prepared) {
        Ok(driver) => driver,
        Err(x) => return *x,
    };
    let root_has_final = program
        .machine(root)
        .states
        .iter()
        .any(|s| s.kind == StateKind::Final);
    if root_has_final {
        driver.x.space.edges = Some(Edges::default());
    }
    let combos = driver.combinations();
    driver.store_initial(&combos);
    driver.x.combos = combos;
    while driver.goes_on() && driver.explore_batch() {}
    driver.finish(root_has_final)
}

/// An exploration while it runs: what it found, and the lists it works with.
pub(super) struct Driver<'c> {
    pub(super) x: Exploration<'c>,
    /// The world the interpreter runs moves in.
    pub(super) scratch: World<'c>,
    pub(super) limits: Limits,
    pub(super) layers: Layers,
    /// The work it may do ([`Exploration::work`]).
    pub(super) work: u64,
    /// Configurations stored at most: the bound, below the mark of reversible moves.
    pub(super) max_states: usize,
    /// What the combinations of initial values take (they are kept for the witnesses).
    pub(super) combos_bytes: usize,
    /// A successor, and the configuration explored, as bytes.
    pub(super) bytes: Vec<u8>,
    pub(super) current: Vec<u8>,
    /// Per instance: whether it receives no events in the configuration explored.
    pub(super) skip: Vec<bool>,
    /// The moves of the instance whose moves are run.
    pub(super) actions: Vec<Action>,
    pub(super) successors: Successors,
    /// Per configuration stored and not yet explored, in order: what is known of its instances.
    pub(super) waiting: Chunked<Known>,
    /// The remembered moves, shared with the threads that make successors ahead: the driver
    /// adds to them ([`Driver::memo`]) only when no thread reads them.
    pub(super) local: Arc<Local>,
    /// Per outcome in the memo, once worked out: whether the move keeps the anchors of its
    /// instance known ([`Local::keeps_anchors`]).
    pub(super) keeps: Vec<Option<bool>>,
    /// Per instance whose moves were all looked up from the configuration explored (`listed`):
    /// the latest configuration they led to.
    pub(super) latest: Vec<u32>,
    /// The configurations it found, with their movers.
    pub(super) fresh: Vec<(u32, (u32, u64), u32)>,
    /// The next configuration to explore.
    pub(super) next: usize,
    /// What the configurations next in line make, made ahead on several threads.
    pub(super) ahead: Ahead,
}

impl<'c> Driver<'c> {
    /// Lays the world of `root` out; the exploration, already stopped, when it is too big or
    /// creating it would take more than the `work` allowed.
    fn new(
        program: &'c Program,
        c: &'c Compiled,
        root: MachineId,
        limits: Limits,
        layers: Layers,
        work: u64,
        prepared: Arc<Prepared>,
    ) -> Result<Driver<'c>, Box<Exploration<'c>>> {
        let size = prepared.world_size(program, root, limits.children);
        let too_big = size > MAX_WORLD;
        // Creating the world is work too: when it takes more than the share, it is not created.
        let creation = 32 + 32 * size as u64;
        let no_work = !too_big && creation > work;
        let config = if too_big || no_work {
            Config::default()
        } else {
            world_config(program, root, limits.children)
        };
        let (scratch, _) = World::new_with(c, root, &config, true, true);
        let space = layout(program, c, &scratch, config, layers, prepared);
        let done = creation.min(work) + scratch.steps;
        let mut x = Exploration::new(root, limits, space, &scratch, done, work);
        if too_big || scratch.instances.is_empty() {
            x.stop = Some(Stop::World);
        } else if no_work {
            x.stop = Some(Stop::Work);
        }
        if x.stop.is_some() {
            return Err(Box::new(x));
        }
        let (n, width) = (scratch.instances.len(), x.space.width);
        Ok(Driver {
            x,
            scratch,
            limits,
            layers,
            work,
            // Configurations are numbered below the mark of reversible moves.
            max_states: limits.max_states.min(REVERSIBLE as usize),
            combos_bytes: 0,
            bytes: vec![0; width],
            current: vec![0; width],
            skip: vec![false; n],
            actions: Vec::new(),
            successors: Successors::default(),
            waiting: Chunked::new(),
            local: Arc::default(),
            keeps: Vec::new(),
            latest: vec![0; n.min(SETTLED)],
            fresh: Vec::new(),
            next: 0,
            ahead: Ahead::default(),
        })
    }

    /// The combinations of initial values to start from. The exploration is incomplete when
    /// they cannot all be tried, and when an input has too many values to try setting each: it
    /// goes on (what it finds happens), but it does not see every run. Other variables only
    /// actions change.
    fn combinations(&mut self) -> Vec<Combo> {
        let x = &mut self.x;
        let program = x.space.program;
        let (combos, all) = combos(program, &x.space.slots, &x.space.shape.symmetric);
        self.combos_bytes = combos.capacity() * std::mem::size_of::<Combo>()
            + combos
                .iter()
                .map(|c| c.capacity() * std::mem::size_of::<(InstanceId, VarId, i64)>())
                .sum::<usize>();
        if !all {
            x.stop = Some(Stop::Initial);
        }
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
        combos
    }

    /// Creates the world from each combination of initial values and stores the configurations
    /// they give, until a bound stops it.
    fn store_initial(&mut self, combos: &[Combo]) {
        for (k, combo) in combos.iter().enumerate() {
            if self.x.work > self.work {
                self.x.stop = Some(Stop::Work);
                break;
            }
            if interrupted() {
                self.x.stop = Some(Stop::Interrupted);
                break;
            }
            if let Err(stop) = self.store_combo(k as u32, combo) {
                self.x.stop = Some(stop);
                break;
            }
        }
    }

    /// Creates the world from combination `index`, `combo`, and stores its configuration; the
    /// bound that stops the exploration, if one does.
    fn store_combo(&mut self, index: u32, combo: &Combo) -> Result<(), Stop> {
        let x = &mut self.x;
        let mut config = x.space.config.clone();
        for &(instance, var, value) in combo {
            let path = instance_path(&self.scratch, instance);
            config.at(&path).vars.push((var, value));
        }
        let (world, created) = World::new_with(x.space.compiled(), x.root, &config, true, true);
        x.work += 32
            + 32 * world.instances.len() as u64
            + world.steps
            + world.work() / WORK_UNITS_PER_STEP;
        let seen = Seen::Initial { combo: index };
        x.record_trace(&world, seen);
        if let Err(error) = created {
            x.record_failure(&world, error, seen, world.steps);
            return Ok(());
        }
        if let Err(why) = x.space.encode(&world, &mut self.bytes) {
            x.stop = x.stop.or(Some(why));
            return Ok(());
        }
        let successors = &mut self.successors;
        x.space.shape.canonical(
            &mut self.bytes,
            &mut successors.scratch,
            &mut successors.order,
        );
        let held = x.space.bytes() + self.waiting.bytes() + self.combos_bytes;
        let more = x.space.store.growth(1)
            + x.space.store.bytes_per_new()
            + x.space.parent.growth(1)
            + self.waiting.growth(1);
        if held + more > self.limits.max_bytes {
            return Err(Stop::Memory);
        }
        let probe = x.space.store.probe(&self.bytes);
        x.lookups += 1;
        let (stored, new) = x.space.insert(&self.bytes, probe, NO_PARENT);
        if new {
            self.waiting.push(Known::default());
            x.space.initial.push((stored, index));
            if x.space.parent.len() >= self.max_states {
                return Err(Stop::States);
            }
        }
        Ok(())
    }

    /// Whether configurations stored are still to be explored, and no bound stopped it.
    fn goes_on(&self) -> bool {
        self.next < self.x.space.parent.len()
            && !matches!(
                self.x.stop,
                Some(Stop::States | Stop::Memory | Stop::Work | Stop::Interrupted)
            )
    }

    /// Explores a batch of configurations, whose successors are looked up together once all
    /// are made (see [`Store::settle`]), and stores the new ones; false when a bound stopped it.
    fn explore_batch(&mut self) -> bool {
        let stored_before = self.x.space.parent.len();
        let (end, cap) = (self.batch_end(), self.batch_cap());
        while self.next < end && self.successors.made.len() < cap {
            if self.x.work > self.work {
                self.x.stop = Some(Stop::Work);
                return false;
            }
            if self.next.is_multiple_of(1024) && interrupted() {
                self.x.stop = Some(Stop::Interrupted);
                return false;
            }
            let from = self.next as u32;
            self.next += 1;
            self.explore_next(from);
        }
        self.look_up_anchors();
        if !self.store_batch() {
            return false;
        }
        self.successors.clear();
        let stored = self.x.space.parent.len() - stored_before;
        STORED.fetch_add(stored as u64, Ordering::Relaxed);
        true
    }

    /// Where the batch ends: a few configurations at a time while the store keeps them packed
    /// (so that fetching the keys they are compared with overlaps), one at a time when it keeps
    /// bytes, or fewer when their successors fill the batch ([`Driver::batch_cap`]).
    fn batch_end(&self) -> usize {
        let (store, stored) = (&self.x.space.store, self.x.space.parent.len());
        if store.is_packed() {
            (self.next + HASHED_BATCH).min(stored)
        } else {
            self.next + 1
        }
    }

    /// Successors a batch makes at most. They take more memory than configurations stored: a
    /// batch has at most a quarter as many as there are configurations, and takes at most an
    /// eighth of the bound on memory (with the copy `unwait` makes).
    fn batch_cap(&self) -> usize {
        let most = self.limits.max_bytes / 16 / std::mem::size_of::<Made>();
        (self.x.space.parent.len() / 4)
            .min(most)
            .clamp(1 << 12, BATCH)
    }

    /// Looks the anchors of the batch up: an anchor counts if it was explored before the
    /// configuration that made it, that is, stored before it. Then drops those and puts the
    /// `set`s that wait on the others after them ([`Successors::unwait`]).
    fn look_up_anchors(&mut self) {
        let (x, successors) = (&mut self.x, &mut self.successors);
        x.lookups += successors.anchors.len() as u64;
        if successors.anchors.is_empty() {
            return;
        }
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
        successors.unwait(&x.space, &self.local);
    }

    /// Looks the successors of the batch up, stores the new ones within the bounds and records
    /// what each configuration explored led to; false when a bound stopped it.
    fn store_batch(&mut self) -> bool {
        // The chunks before the next configuration to explore are given back.
        self.waiting.release_before(self.next);
        let room = self.room_for_batch();
        let successors = &mut self.successors;
        self.x.lookups += successors.made.len() as u64;
        let made = &successors.made;
        self.x.space.store.settle(
            made.len(),
            |k| made[k].probe,
            &successors.bytes,
            room,
            &mut successors.found,
        );
        let mut start = 0;
        for e in 0..self.successors.explored.len() {
            if !self.record_explored(e, start) {
                return false;
            }
            start = self.successors.explored[e].end as usize;
        }
        true
    }

    /// The memory held: the tables, the configurations waiting to be explored, the batch, the
    /// remembered moves, the combinations of initial values.
    fn held(&self) -> usize {
        self.x.space.bytes()
            + self.waiting.bytes()
            + self.successors.bytes()
            + self.local.bytes()
            + self.keeps.capacity() * std::mem::size_of::<Option<bool>>()
            + self.combos_bytes
    }

    /// How many new configurations the batch may store: up to the bounds on configurations and
    /// on memory.
    fn room_for_batch(&self) -> usize {
        let n = self.successors.made.len();
        // What the batch may add, besides what each new configuration takes in the store: its
        // parent and its place in the queue (`per_config`), a chunk of each list, and the moves
        // (one per successor, and one list of them per configuration explored).
        let explored = self.successors.explored.len();
        let space = &self.x.space;
        let edges = space.edges.as_ref().map_or(0, |e| e.growth(explored, n));
        let besides = space.parent.growth(n) + self.waiting.growth(n) + edges;
        let per_new = 4 + std::mem::size_of::<Known>() + space.store.bytes_per_new();
        let held = self.held() + besides + space.store.growth(n);
        let free = self.limits.max_bytes.saturating_sub(held);
        (self.max_states - space.parent.len()).min(free / per_new)
    }

    /// Stores what configuration `e` of the batch led to (its successors from `start`): the
    /// new configurations with their parent, the moves kept, and what is known of the instances
    /// of each new one; false when a bound stopped it.
    fn record_explored(&mut self, e: usize, start: usize) -> bool {
        let &Explored {
            from,
            key,
            end,
            known,
            listed,
            found,
            skipped,
        } = &self.successors.explored[e];
        let packed = self.x.space.store.is_packed();
        self.latest.fill(0);
        for k in start..end as usize {
            let (made, index) = (self.successors.made[k], self.successors.found[k]);
            if index == REFUSED {
                // Past the room: the bound on configurations stops it before.
                self.x.stop = Some(Stop::Memory);
                return false;
            }
            let (to, new) = (index & !NEW, index & NEW != 0);
            if let Some(l) = self.latest.get_mut(made.mover.0 as usize) {
                *l = (*l).max(to);
            }
            // An edge twice (two moves to one configuration) costs four bytes; looking for it
            // among this configuration's edges would cost more time than it saves. A
            // remembered move is worked out again when it is needed.
            if let Some(edges) = &mut self.x.space.edges
                && to != from
                && (made.mover.0 == NO_MOVER || !packed)
            {
                edges.push(if made.reversible { to | REVERSIBLE } else { to });
            }
            if new {
                self.x.space.parent.push(from);
                self.fresh.push((to, made.mover, made.outcome));
                if self.x.space.parent.len() >= self.max_states {
                    self.x.stop = Some(Stop::States);
                    return false;
                }
            }
        }
        self.pass_on_known(key, known, (listed, found), skipped);
        if let Some(edges) = &mut self.x.space.edges {
            edges.close();
        }
        true
    }

    /// Puts the configurations found from the one explored (packed as `key_now`, when the
    /// store keeps it so) in the queue, with what is known of their instances (see [`Known`]):
    /// the anchors explored before, and the instances whose every move led to a configuration
    /// stored before the new one.
    fn pass_on_known(
        &mut self,
        key_now: Option<u128>,
        known: Known,
        (listed, found): (Settled, Settled),
        skipped: Settled,
    ) {
        let space = &self.x.space;
        let mine = space.settled_siblings(known.anchors | found, skipped);
        for (to, mover, outcome) in self.fresh.drain(..) {
            self.waiting.push(match key_now {
                Some(key) => {
                    let before = self.latest.iter().enumerate().filter(|&(_, &l)| l < to);
                    let stored = before.fold(0, |bits, (y, _)| bits | 1 << y) & listed;
                    let stored = if self.layers.stored { stored } else { 0 };
                    let known = Known {
                        anchors: mine,
                        stored: space.settled_siblings(known.stored | stored, skipped),
                    };
                    let j = mover.0 as usize;
                    let keeps = self.layers.anchors
                        && j < SETTLED
                        && mine >> j & 1 == 1
                        && self.local.keeps_anchors(
                            &mut self.keeps,
                            space,
                            key,
                            j,
                            (mover.1, outcome),
                        );
                    space.known_after(known, mover, key, keeps)
                }
                None => Known::default(),
            });
        }
    }

    /// What it found, with the states of the root that cannot reach a final one when it is
    /// complete and the root has final states.
    fn finish(self, root_has_final: bool) -> Exploration<'c> {
        let Driver {
            mut x,
            local,
            successors,
            ahead,
            ..
        } = self;
        // The threads making configurations ahead are done with the memo.
        drop((successors, ahead));
        x.configs = x.space.parent.len();
        x.space.lists = Arc::unwrap_or_clone(local);
        if x.complete() && root_has_final {
            let room = x.limits.max_bytes.saturating_sub(x.space.bytes());
            // Interrupted, it is incomplete as an exploration cut short is, with nothing said of
            // the states that cannot finish.
            match no_way_to_final(&x.space, SWEEPS, room, x.limits.threads, &interrupted) {
                Ok(no_final) => x.no_final = no_final,
                Err(Unanswered::Room) => x.no_final_unknown = true,
                Err(Unanswered::Interrupted) => x.stop = Some(Stop::Interrupted),
            }
        }
        x
    }
}

#[cfg(test)]
mod tests {

    use crate::analysis::machine::driver::explore_with;
    use crate::analysis::machine::test_support::*;
    use crate::analysis::machine::*;
    use crate::model::MachineId;
    use crate::sim::machine::{Compiled, RunError, World};

    #[test]
    fn a_table_that_would_pass_the_memory_bound_stops_the_exploration_with_what_it_found() {
        let p = program(BREAKING);
        let c = Compiled::new(&p).expect("compiles");
        let pool = MachineId::from_index(1);
        let hashed = explore_with(&p, &c, pool, limits(6), Layers::ALL);
        for max_bytes in [hashed.bytes() - 1, hashed.bytes() / 2] {
            let tight = Limits {
                max_bytes,
                ..limits(6)
            };
            let stopped = explore_with(&p, &c, pool, tight, Layers::ALL);
            assert_eq!(stopped.stop, Some(Stop::Memory));
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
