//! The moves of a configuration, made as successors to be looked up: by the interpreter
//! (every event the outside sends an instance, every `set` of an input), or from the memo of
//! remembered moves when the instance's outcomes are known ([`super::memo`]). A batch of them
//! ([`Successors`]) is looked up in the visited set at once.

use super::driver::Driver;
use super::memo::{Known, Local, SETTLED, Settled};
use super::space::{Shape, Space};
use super::visited::{Probe, Store, read_field};
use super::{Action, Move, Seen, WORK_UNITS_PER_STEP};
use crate::model::{StateId, VarId};
use std::ops::Range;

pub(super) const NO_MOVER: u32 = u32::MAX;

/// Marks a stored move (in [`Space::edges`]) that a `set` made by changing its variable alone:
/// the `set` back to the value before is a move too, which is not stored. Configurations are
/// numbered below it (see [`explore_with`]).
pub(super) const REVERSIBLE: u32 = 1 << 31;

/// A successor: where it is looked for, the anchor in [`Successors::anchors`] it is if it is
/// one, whether a `set` that changed its variable alone made it (then the `set` back undoes it;
/// see [`REVERSIBLE`]), and the remembered instance that moved and what it became (or
/// [`NO_MOVER`]).
#[derive(Clone, Copy)]
pub(super) struct Made {
    pub(super) probe: Probe,
    pub(super) anchor: Option<u32>,
    pub(super) reversible: bool,
    pub(super) mover: (u32, u64),
    /// Where the mover's outcome is in [`Local::after`], or [`NO_MOVER`].
    pub(super) outcome: u32,
}

/// See [`Successors::anchors`].
#[derive(Clone)]
pub(super) struct Anchor {
    pub(super) probe: Probe,
    /// The configuration with a hole where the instance goes, the instance, and the outcomes
    /// (in [`Local::after`]) of the other `set`s of the variable, which wait on the anchor.
    pub(super) hole: u128,
    pub(super) low: u32,
    pub(super) instance: u32,
    pub(super) waiting: std::ops::Range<u32>,
    /// The configuration whose successor it is, and its place in [`Successors::explored`].
    pub(super) from: u32,
    pub(super) source: u32,
    /// Whether it was explored before `from`.
    pub(super) before: bool,
}

/// A configuration explored in a batch: where its successors end in [`Successors::made`],
/// what was known of its instances, those whose moves were all looked up, and those whose
/// anchors were all explored before it (see [`Known`]).
#[derive(Clone, Copy)]
pub(super) struct Explored {
    pub(super) from: u32,
    /// The configuration packed, when the store keeps it so.
    pub(super) key: Option<u128>,
    pub(super) end: u32,
    pub(super) known: Known,
    pub(super) listed: Settled,
    pub(super) found: Settled,
    /// The instances that receive no events in it ([`Shape::skipped`]).
    pub(super) skipped: Settled,
}

impl Explored {
    /// Configuration `from` (packed as `key`, when the store keeps it so), with what is
    /// `known` of it, before anything is made of it.
    pub(super) fn start((from, key): (u32, Option<u128>), known: Known) -> Explored {
        Explored {
            from,
            key,
            end: 0,
            known,
            listed: 0,
            found: 0,
            skipped: 0,
        }
    }
}

impl Explored {
    /// Whether every move of remembered instance `i` is known to lead to a configuration
    /// stored already: then none is made or looked up ([`no_way_to_final`] works them out
    /// again when it needs them).
    #[inline]
    pub(super) fn all_stored(&self, i: usize) -> bool {
        i < SETTLED && self.known.stored >> i & 1 == 1
    }
}

/// The first [`SETTLED`] of `skip` as bits.
pub(super) fn skipped_bits(skip: &[bool]) -> Settled {
    (skip.iter().take(SETTLED).enumerate()).fold(0, |bits, (i, &s)| bits | Settled::from(s) << i)
}

/// Configurations explored together while a packed store looks their successors up in its
/// hash table (see [`Store::settle`]).
pub(super) const HASHED_BATCH: usize = 64;

/// Successors made in a batch before they are looked up, at most (see [`explore_with`]): 48
/// bytes each.
pub(super) const BATCH: usize = 1 << 19;

/// The successors of a batch of configurations: where each is looked for, and their bytes when
/// the store does not pack them (with room for sorting identical children).
#[derive(Default)]
pub(super) struct Successors {
    pub(super) made: Vec<Made>,
    /// What [`Successors::unwait`] rebuilds `made` from.
    pub(super) spare: Vec<Made>,
    pub(super) explored: Vec<Explored>,
    /// One per instance (not [`Settled`]) and variable of remembered `set`s: the configuration
    /// with its first value, and whether it was explored before (then the other `set`s of that
    /// variable are not looked up; see [`Local`]).
    pub(super) anchors: Vec<Anchor>,
    pub(super) bytes: Vec<u8>,
    /// What the store answers of them.
    pub(super) found: Vec<u32>,
    pub(super) scratch: Vec<u8>,
    pub(super) order: Vec<u32>,
    /// When set, the packed successors [`Successors::remembered_packed`] makes, one per
    /// [`Made`]: the driver looks them up again to prefetch them when it takes what a thread
    /// made ([`super::parallel`]), the prefetch a thread made having warmed its own core.
    pub(super) keys: Option<Vec<u128>>,
}

impl Successors {
    /// Drops the anchors explored before, and puts the `set`s that wait on the others after
    /// their anchor, to be looked up in the order they were made.
    pub(super) fn unwait(&mut self, space: &Space<'_>, local: &Local) {
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
                for ((&a, &set), outcome) in local.after[waiting.clone()]
                    .iter()
                    .zip(&local.sets[waiting.clone()])
                    .zip(waiting)
                {
                    let instance = anchor.instance as usize;
                    let successor = space.shape.moved(anchor.hole, anchor.low, instance, a);
                    self.made.push(Made {
                        probe: space.store.probe_key(successor),
                        anchor: None,
                        reversible: Local::pure(set),
                        mover: (anchor.instance, a),
                        outcome: outcome as u32,
                    });
                }
            }
            start = explored.end as usize;
            explored.end = self.made.len() as u32;
        }
        self.spare = made;
    }

    /// Bytes its lists take.
    pub(super) fn bytes(&self) -> usize {
        use std::mem::size_of;
        (self.made.capacity() + self.spare.capacity()) * size_of::<Made>()
            + self.explored.capacity() * size_of::<Explored>()
            + self.anchors.capacity() * size_of::<Anchor>()
            + self.bytes.capacity()
            + self.found.capacity() * 4
    }

    /// Queues what the remembered moves of instance `i` (its `outcomes` in the memo) make of
    /// packed configuration `key`, put in place without running the interpreter; the `set`s of
    /// a variable after its anchor wait on it ([`Successors::unwait`]). It reads only the
    /// tables and the memo, so threads can run it side by side ([`super::parallel`]).
    /// `store` asks for the memory each successor will be looked up in, when given. Not called
    /// for an instance whose moves are [`Explored::all_stored`].
    pub(super) fn remembered_packed(
        &mut self,
        (shape, store): (&Shape, Option<&Store>),
        local: &Local,
        (i, key): (usize, u128),
        outcomes: Range<usize>,
        explored: &mut Explored,
    ) {
        debug_assert!(!explored.all_stored(i), "called for nothing to make");
        let slot = shape.local[i]
            .as_ref()
            .expect("remembered instances have a slot");
        let start = outcomes.start as u32;
        let (after, sets) = (&local.after[outcomes.clone()], &local.sets[outcomes]);
        // The configuration with a hole where the instance goes.
        let hole = key & !(slot.mask << slot.low);
        if i < SETTLED {
            explored.listed |= 1 << i;
            explored.found |= 1 << i;
        }
        let inherits = i < SETTLED && explored.known.anchors >> i & 1 == 1;
        let successors = self;
        let mut k = 0;
        while k < after.len() {
            let set = sets[k];
            let anchor = set != Local::NO_SET && set & Local::ANCHOR != 0;
            // The other `set`s of the variable follow their anchor, and are looked up only if
            // it was not explored before.
            let first = k + 1;
            let mut end = first;
            if anchor {
                let var = Local::var(set);
                while end < sets.len() && sets[end] != Local::NO_SET && Local::var(sets[end]) == var
                {
                    end += 1;
                }
                if inherits {
                    k = end;
                    continue;
                }
            }
            let successor = shape.moved(hole, slot.low, i, after[k]);
            let probe = store.map_or(Probe::unfetched(successor), |s| s.probe_key(successor));
            if let Some(keys) = &mut successors.keys {
                keys.push(successor);
            }
            successors.made.push(Made {
                probe,
                anchor: anchor.then_some(successors.anchors.len() as u32),
                reversible: Local::pure(set),
                mover: (i as u32, after[k]),
                outcome: start + k as u32,
            });
            if anchor {
                successors.anchors.push(Anchor {
                    probe,
                    hole,
                    low: slot.low,
                    instance: i as u32,
                    waiting: start + first as u32..start + end as u32,
                    from: explored.from,
                    source: successors.explored.len() as u32,
                    before: false,
                });
            }
            k = end;
        }
    }

    pub(super) fn clear(&mut self) {
        self.made.clear();
        self.explored.clear();
        self.anchors.clear();
        self.bytes.clear();
    }
}

impl Space<'_> {
    /// Puts a successor (bytes after a move) in canonical order and asks for its place in the
    /// table; a packed store keeps only the probe.
    pub(super) fn queue(&self, bytes: &mut [u8], reversible: bool, successors: &mut Successors) {
        self.shape
            .canonical(bytes, &mut successors.scratch, &mut successors.order);
        if !self.store.is_packed() {
            successors.bytes.extend_from_slice(bytes);
        }
        successors.made.push(Made {
            probe: self.store.probe(bytes),
            anchor: None,
            reversible,
            mover: (NO_MOVER, 0),
            outcome: NO_MOVER,
        });
    }
}

impl Driver<'_> {
    /// Makes the successors of stored configuration `from`: for each instance that receives
    /// events in it, what the memo knows its moves make, or what the interpreter makes of them.
    pub(super) fn explore_one(&mut self, from: u32) {
        let known = self.waiting.get(from as usize).unwrap_or_default();
        // The configuration packed, when the store keeps it so: remembered moves then work on
        // the packed form alone, and its bytes are needed only to run the interpreter.
        let key_now = self.x.space.store.key(from);
        let mut explored = Explored::start((from, key_now), known);
        let mut loaded = key_now.is_none();
        match key_now {
            Some(key) => self.x.space.shape.skipped_key(key, &mut self.skip),
            None => {
                self.x.space.store.load(from, &mut self.current);
                self.x.space.shape.skipped(&self.current, &mut self.skip);
            }
        }
        explored.skipped = skipped_bits(&self.skip);
        for i in 0..self.skip.len() {
            if self.skip[i] {
                continue;
            }
            let (code, memo_key) = self.memo_key(i, key_now);
            if let Some(memo_key) = memo_key
                && let Some(&(start, len, tried)) = self.local.lists.get(&memo_key)
            {
                self.x.moves += u64::from(tried);
                self.x.work += u64::from(len) + 1;
                let outcomes = start as usize..(start + len) as usize;
                match key_now {
                    Some(_) if explored.all_stored(i) => {}
                    Some(key) => self.successors.remembered_packed(
                        (&self.x.space.shape, Some(&self.x.space.store)),
                        &self.local,
                        (i, key),
                        outcomes,
                        &mut explored,
                    ),
                    None => self.remembered_bytes(i, outcomes),
                }
                continue;
            }
            if !loaded {
                self.x.space.store.load(from, &mut self.current);
                loaded = true;
            }
            let code = code.or_else(|| self.packed_code(i, key_now?));
            self.run_moves(i, from, code, memo_key);
        }
        explored.end = self.successors.made.len() as u32;
        self.successors.explored.push(explored);
    }

    /// For a remembered instance `i` of the configuration explored (packed as `key_now`, or in
    /// `current`): its key in the memo, which adds the states of its children when its machine
    /// looks at them — all its moves depend on; and the instance packed when that was needed to
    /// make the key (from the bytes: a packed configuration gives it only when the memo has no
    /// list for it, [`Driver::packed_code`]).
    fn memo_key(&self, i: usize, key_now: Option<u128>) -> (Option<u128>, Option<u64>) {
        let space = &self.x.space;
        let Some(slot) = &space.shape.local[i] else {
            return (None, None);
        };
        match key_now {
            Some(key) => (None, Some(slot.list_key(key))),
            None => {
                let code = space
                    .store
                    .packing()
                    .pack_range(&self.current, slot.fields.clone());
                let seen = slot.children.iter().fold(code, |seen, c| {
                    let state = read_field(&self.current, c.offset, c.width);
                    seen << c.bits | u128::from(state)
                });
                (
                    Some(code),
                    Some(Local::key(slot.kind, slot.children.len(), seen)),
                )
            }
        }
    }

    /// Remembered instance `i` of packed configuration `key`, packed.
    fn packed_code(&self, i: usize, key: u128) -> Option<u128> {
        let slot = self.x.space.shape.local[i].as_ref()?;
        Some((key >> slot.low) & slot.mask)
    }

    /// Queues what the remembered moves of instance `i` (its `outcomes` in the memo) make of
    /// the configuration in `current`, as bytes.
    fn remembered_bytes(&mut self, i: usize, outcomes: Range<usize>) {
        let x = &mut self.x;
        let slot = x.space.shape.local[i]
            .as_ref()
            .expect("remembered instances have a slot");
        for k in outcomes {
            let (after, set) = (self.local.after[k], self.local.sets[k]);
            self.bytes.copy_from_slice(&self.current);
            x.space.store.packing().unpack_range(
                u128::from(after),
                slot.fields.clone(),
                &mut self.bytes,
            );
            x.space
                .queue(&mut self.bytes, Local::pure(set), &mut self.successors);
            x.work += x.space.queue_work;
        }
    }

    /// Runs every move of instance `i` of configuration `from` (in `current`) with the
    /// interpreter and queues the configurations they make; when the instance is remembered
    /// (`code` its packed form, `memo_key` its key), the memo keeps what each makes of it.
    fn run_moves(&mut self, i: usize, from: u32, code: Option<u128>, memo_key: Option<u64>) {
        let start = self.local.after.len();
        let state = self.x.space.state_in(&self.current, i);
        self.actions_of(i, state);
        for k in 0..self.actions.len() {
            self.run_move(i, from, state, k, code);
        }
        if let Some(key) = memo_key {
            let len = self.local.after.len() - start;
            let tried = self.actions.len() as u32;
            self.memo()
                .lists
                .insert(key, (start as u32, len as u32, tried));
        }
    }

    /// The moves of instance `i`, in `state` in `current`, into `actions`: the events the
    /// outside sends it there, in order, then a `set` of each input to each value it does not
    /// have.
    fn actions_of(&mut self, i: usize, state: StateId) {
        let space = &self.x.space;
        let slot = &space.slots[i];
        self.actions.clear();
        let sends = space.moves_of(i as u32, state).iter();
        self.actions
            .extend(sends.map(|&(event, actor)| Action::Send(event, actor)));
        for (var, values) in space.settable(slot.machine).iter().enumerate() {
            let now = slot.vars[var].get(&self.current);
            let sets = values.iter().filter(|&&v| v != now);
            self.actions
                .extend(sets.map(|&v| Action::Set(VarId::from_index(var), v)));
        }
    }

    /// Runs move `k` of instance `i` (in `state`) on configuration `from` with the interpreter:
    /// records what it enters, takes and runs into, and queues the configuration it makes when
    /// that is another.
    fn run_move(&mut self, i: usize, from: u32, state: StateId, k: usize, code: Option<u128>) {
        let action = self.actions[k];
        let (x, scratch) = (&mut self.x, &mut self.scratch);
        let machine = x.space.slots[i].machine;
        let mv = Move {
            instance: i as u32,
            action,
        };
        x.moves += 1;
        let seen = Seen::Move { from, mv };
        x.space.decode(&self.current, scratch);
        scratch.reset();
        let steps_before = scratch.steps;
        // A move costs about eight steps of the interpreter besides loading the world and
        // running.
        x.work += 8 + self.skip.len() as u64;
        let sent = match action {
            // An ignored event changes nothing in a stored (stable) configuration, and enters
            // nothing: no run needed.
            Action::Send(event, actor) if !scratch.takes(i as u32, event, actor) => {
                x.work += scratch.work() / WORK_UNITS_PER_STEP;
                return;
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
        x.record_trace(scratch, seen);
        // Its steps, and the work of its guards, views and actions: a step may evaluate a guard
        // as long as the file.
        x.work += scratch.steps - steps_before + scratch.work() / WORK_UNITS_PER_STEP;
        if let Err(error) = sent {
            let taken = scratch.steps - steps_before;
            x.record_failure(scratch, error, seen, taken);
            return;
        }
        if let Err(why) = x.space.encode(scratch, &mut self.bytes) {
            x.stop = x.stop.or(Some(why));
            return;
        }
        // A `set` that changed its variable alone: the `set` back undoes it.
        let pure = match action {
            Action::Set(var, _) => {
                x.space
                    .only_var_changed(&self.current, &self.bytes, i, var.index())
            }
            Action::Send(..) => false,
        };
        if let Some(code) = code {
            self.remember(i, code, action, pure);
        }
        // Most moves change nothing (an ignored event, a false guard): no lookup.
        if self.bytes == self.current {
            return;
        }
        self.x
            .space
            .queue(&mut self.bytes, pure, &mut self.successors);
        self.x.work += self.x.space.queue_work;
    }

    /// Keeps in the memo what `action` (`pure` when a `set` that changed its variable alone)
    /// made of remembered instance `i`, packed as `code` before, when it changed it.
    fn remember(&mut self, i: usize, code: u128, action: Action, pure: bool) {
        let space = &self.x.space;
        let Some(slot) = &space.shape.local[i] else {
            return;
        };
        debug_assert!(
            space.outside_equal(&self.bytes, &self.current, i),
            "a self-contained move changed another instance"
        );
        let after = space
            .store
            .packing()
            .pack_range(&self.bytes, slot.fields.clone());
        if after == code {
            return;
        }
        let sets = match action {
            Action::Set(var, value) => {
                let first = space.settable(space.slots[i].machine)[var.index()].first();
                var.index() as u32
                    | match (pure, first == Some(&value)) {
                        (false, _) => 0,
                        (true, true) if self.layers.anchors => Local::PURE | Local::ANCHOR,
                        (true, _) => Local::PURE,
                    }
            }
            Action::Send(..) => Local::NO_SET,
        };
        self.keeps.push(None);
        let memo = self.memo();
        memo.after.push(after as u64);
        memo.sets.push(sets);
    }
}
