//! The memo of remembered moves ([`Layer::Remembered`](super::Layer::Remembered)): what the
//! moves of a self-contained instance make of it, run once by the interpreter per machine, place
//! and what the instance looks at, then put in place in the packed configuration ([`Local`]); the
//! anchors that spare the lookups of `set`s ([`Layer::Anchors`](super::Layer::Anchors)); and
//! what is known of the instances of a configuration waiting to be explored ([`Known`]), passed
//! on from the configuration it was found from ([`Layer::Stored`](super::Layer::Stored)).

use super::canonical::{Bits, Symmetric};
use super::space::Space;
use super::visited::hash_table_bytes;
use rustc_hash::FxHashMap;

/// Per instance (the first [`SETTLED`]), a bit: set when the anchors of that instance in a
/// configuration are all known to have been explored before it (or it has none), so they need
/// not be looked up. A configuration found by a remembered move inherits it from the one it was
/// found from for every other instance: the anchor of an instance that did not move, moved as it
/// did, was found when that anchor was explored, before. The instance that moved keeps its bit
/// too when its move leads from its anchor before to its anchor after
/// ([`Local::keeps_anchors`]). (An identical sibling's anchor is the same configuration, so
/// where identical children sit in their group does not matter.)
pub(super) type Settled = u64;

pub(super) const SETTLED: usize = 64;

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
pub(super) struct Known {
    pub(super) anchors: Settled,
    pub(super) stored: Settled,
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
#[derive(Clone, Default)]
pub(super) struct Local {
    /// Per [`Local::key`]: where the outcomes are in `after` (start, count) and the moves tried.
    pub(super) lists: FxHashMap<u64, (u32, u32, u32)>,
    /// The instance packed after each move that changes it and runs into no error.
    pub(super) after: Vec<u64>,
    /// Per outcome in `after`: the variable, when a `set` made it ([`Local::PURE`] added when it
    /// changed nothing else, and [`Local::ANCHOR`] too when it set the variable's first value);
    /// else [`Local::NO_SET`].
    pub(super) sets: Vec<u32>,
}

impl Local {
    /// Bytes its lists take.
    pub(super) fn bytes(&self) -> usize {
        use std::mem::size_of;
        hash_table_bytes(self.lists.capacity(), size_of::<(u64, (u32, u32, u32))>())
            + self.after.capacity() * size_of::<u64>()
            + self.sets.capacity() * size_of::<u32>()
    }

    /// The outcomes of the list with key `key`: where they are in `after`.
    fn outcomes(&self, key: u64) -> Option<std::ops::Range<usize>> {
        let &(start, len, _) = self.lists.get(&key)?;
        Some(start as usize..(start + len) as usize)
    }

    /// The `set`s to a first value among `outcomes`: each one's variable and outcome.
    fn anchors_in(&self, outcomes: std::ops::Range<usize>) -> impl Iterator<Item = (u32, u64)> {
        let sets = &self.sets[outcomes.clone()];
        let after = &self.after[outcomes];
        (sets.iter().zip(after))
            .filter(|&(&set, _)| set != Local::NO_SET && set & Local::ANCHOR != 0)
            .map(|(&set, &after)| (Local::var(set), after))
    }

    /// Whether the anchors of remembered instance `j` of a configuration C stay known to have
    /// been explored before it when C was found from packed configuration `key` (whose anchors
    /// of `j` were explored before it) by a move of `j` that made it `o`.
    ///
    /// They do when, for each of its variables that has an anchor in C (a `set` of it to its
    /// first value that changes it alone, `o` -> `b`), the instance had an anchor for it in the
    /// configuration before (`K` -> `a`, `K` what it was) and one of its moves from `a` makes
    /// `b`. Then C's anchor for that variable (C with the instance `b`) is what that move makes
    /// of the anchor before (the configuration before with the instance `a`: the move changes
    /// the instance alone, and only what it sees decides how, the same in both), which was
    /// explored before the configuration C was found from: so it was stored before C. Worked
    /// out once per outcome, when the lists it needs are in the memo (else: not known, no), and
    /// kept in `keeps` (one per outcome in `after`).
    pub(super) fn keeps_anchors(
        &self,
        keeps: &mut [Option<bool>],
        space: &Space<'_>,
        key: u128,
        j: usize,
        (o, at): (u64, u32),
    ) -> bool {
        // `at`: where the outcome is in `after`, which holds what was worked out of it.
        match keeps.get(at as usize) {
            Some(&Some(keeps)) => return keeps,
            Some(None) => {}
            None => return false,
        }
        let at = at as usize;
        let Some(slot) = space.shape.local.get(j).and_then(Option::as_ref) else {
            return false;
        };
        let Some(before) = self.outcomes(slot.list_key(key)) else {
            return false;
        };
        debug_assert!(before.contains(&at) && self.after[at] == o);
        let hole = key & !(slot.mask << slot.low);
        let with = |local: u64| slot.list_key(hole | u128::from(local) << slot.low);
        let Some(now) = self.outcomes(with(o)) else {
            return false;
        };
        let mut kept = Some(true);
        for (var, b) in self.anchors_in(now) {
            let a = self.anchors_in(before.clone()).find(|&(v, _)| v == var);
            let Some((_, a)) = a else {
                kept = Some(false);
                break;
            };
            match self.outcomes(with(a)) {
                Some(from_a) if self.after[from_a.clone()].contains(&b) => {}
                Some(_) => {
                    kept = Some(false);
                    break;
                }
                // Not in the memo yet: not known.
                None => kept = None,
            }
        }
        keeps[at] = kept;
        kept == Some(true)
    }

    pub(super) const NO_SET: u32 = u32::MAX;
    /// The `set` changed its variable alone.
    pub(super) const PURE: u32 = 1 << 30;
    /// ... and set its first value.
    pub(super) const ANCHOR: u32 = 1 << 31;

    pub(super) fn var(set: u32) -> u32 {
        set & !(Local::PURE | Local::ANCHOR)
    }

    pub(super) fn pure(set: u32) -> bool {
        set != Local::NO_SET && set & Local::PURE != 0
    }

    /// Bits of an instance's packed form (with its children's states) at most, to be
    /// remembered.
    pub(super) const BITS: u32 = 40;

    /// The key of an instance of a machine in a place of the world (`kind`, an [`Outside`],
    /// below `1 << 12`: the outside may send it other events elsewhere) with `children` (below
    /// `1 << 12`) whose states it looks at, packed with them as `seen`. The number of children
    /// tells instances of one machine apart that have different numbers of them (a machine
    /// nested in itself has none at the bottom).
    pub(super) fn key(kind: u32, children: usize, seen: u128) -> u64 {
        seen as u64 | u64::from(kind) << 40 | (children as u64) << 52
    }
}

/// Where the fields of an instance whose moves are remembered are: their indices among all the
/// fields, and their bits in the packed configuration.
#[derive(Clone, Debug)]
pub(super) struct LocalSlot {
    /// Its [`Outside`].
    pub(super) kind: u32,
    pub(super) fields: std::ops::Range<usize>,
    pub(super) low: u32,
    /// Its bits, moved down to bit 0, all set.
    pub(super) mask: u128,
    /// The state fields of its children, when its machine looks at their states: each one's
    /// place in the packed configuration and in the bytes.
    pub(super) children: Vec<ChildState>,
    /// Whether it and its children's states are all in the low 64 bits of the packed
    /// configuration (then [`LocalSlot::list_key`] reads them with 64-bit arithmetic).
    pub(super) low_word: bool,
}

impl LocalSlot {
    /// The [`Local::key`] of the instance in a packed configuration.
    pub(super) fn list_key(&self, key: u128) -> u64 {
        let seen = if self.low_word {
            // What it sees fits [`Local::BITS`], so in 64 bits.
            let key = key as u64;
            let code = (key >> self.low) & self.mask as u64;
            let seen = self.children.iter().fold(code, |seen, c| {
                seen << c.bits | (key >> c.low) & c.mask as u64
            });
            u128::from(seen)
        } else {
            let code = (key >> self.low) & self.mask;
            self.children
                .iter()
                .fold(code, |seen, c| seen << c.bits | (key >> c.low) & c.mask)
        };
        Local::key(self.kind, self.children.len(), seen)
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) struct ChildState {
    pub(super) low: u32,
    pub(super) bits: u32,
    /// The low `bits` bits set.
    pub(super) mask: u128,
    pub(super) offset: u32,
    pub(super) width: u8,
}

impl Space<'_> {
    /// [`Settled`] bits with those of `skipped` children set as the identical sibling before
    /// them has them (in groups of childless children).
    pub(super) fn settled_siblings(&self, mut bits: Settled, skipped: Settled) -> Settled {
        for group in self.shape.symmetric.iter().filter(|g| g.instances == 1) {
            for k in 1..group.count as usize {
                let q = group.first as usize + k;
                if q < SETTLED && skipped >> q & 1 == 1 {
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
    /// The instance that moved keeps its anchors' bit when `keeps` says it does
    /// ([`Local::keeps_anchors`]). Nothing, when the move is not one of those, or places are not
    /// known (nested groups, more than [`SETTLED`] instances).
    pub(super) fn known_after(
        &self,
        known: Known,
        mover: (u32, u64),
        key: u128,
        keeps: bool,
    ) -> Known {
        let j = mover.0 as usize;
        let Some(&(anchors, stored)) = self.kept.get(j) else {
            return Known::default();
        };
        let known = Known {
            anchors: known.anchors & anchors,
            stored: known.stored & stored,
        };
        let own = Settled::from(keeps);
        match self.shape.containing[j].as_slice() {
            [] => Known {
                anchors: known.anchors | own << j,
                ..known
            },
            &[(g, k)] if self.shape.symmetric[g as usize].instances == 1 => {
                let group = &self.shape.symmetric[g as usize];
                let (count, k) = (group.count as usize, k as usize);
                // Its place among the others (among equal ones, any place is the same).
                let to = if group.in_low_word() {
                    place_among(key as u64, group, k, mover.1)
                } else {
                    place_among(key, group, k, u128::from(mover.1))
                };
                let first = group.first as usize;
                let all = Settled::MAX >> (SETTLED - count);
                let place = |bits: Settled, mine: Settled| {
                    let group = bits >> first & all;
                    let others = group & ((1 << k) - 1) | (group >> (k + 1)) << k;
                    let placed = others & ((1 << to) - 1) | (others >> to) << (to + 1);
                    bits & !(all << first) | (placed | mine << to) << first
                };
                Known {
                    anchors: place(known.anchors, own),
                    stored: place(known.stored, 0),
                }
            }
            _ => Known::default(),
        }
    }

    /// The configuration, packed, that the next remembered move makes of packed configuration
    /// `key` (stored, in a packed store), from where `at` is in them, which it moves on; `skip`
    /// as [`Space::skipped_key`] sets it for `key`. Moves that were not looked up when the
    /// configuration was explored (see [`Known`]) are among them.
    pub(super) fn next_remembered(
        &self,
        key: u128,
        skip: &[bool],
        at: &mut MoveCursor,
    ) -> Option<u128> {
        while at.instance < self.shape.local.len() {
            let i = at.instance;
            if let Some(slot) = self.shape.local[i].as_ref().filter(|_| !skip[i]) {
                // The instance's list, looked up once.
                let (start, len) = *at.list.get_or_insert_with(|| {
                    self.lists
                        .lists
                        .get(&slot.list_key(key))
                        .map_or((0, 0), |&(start, len, _)| (start, len))
                });
                if at.outcome < len {
                    let after = self.lists.after[(start + at.outcome) as usize];
                    at.outcome += 1;
                    let hole = key & !(slot.mask << slot.low);
                    return Some(self.shape.moved(hole, slot.low, i, after));
                }
            }
            at.instance += 1;
            at.outcome = 0;
            at.list = None;
        }
        None
    }
}

/// How many of the children of `group` in packed configuration `key`, child `k` aside, are
/// below `after`: where child `k` goes when it becomes `after`.
#[inline]
pub(super) fn place_among<B: Bits>(key: B, group: &Symmetric, k: usize, after: B) -> usize {
    let count = group.count as usize;
    let each = B::mask(group.bits);
    let child = |c: usize| (key >> (group.low + (count - 1 - c) as u32 * group.bits)) & each;
    (0..count).filter(|&c| c != k && child(c) < after).count()
}

/// Where [`Space::next_remembered`] is in the remembered moves of a configuration: the
/// instance, the outcome in its list, and where that list is, once looked up.
#[derive(Clone, Copy, Default, Debug)]
pub(super) struct MoveCursor {
    instance: usize,
    outcome: u32,
    list: Option<(u32, u32)>,
}

#[cfg(test)]
mod tests {

    use crate::analysis::machine::driver::explore_with;
    use crate::analysis::machine::test_support::*;
    use crate::analysis::machine::*;
    use crate::model::MachineId;
    use crate::sim::machine::Compiled;

    #[test]
    fn the_shortcuts_change_nothing() {
        // The leaves and the root (which looks at its children's states) are remembered; not the
        // mids, which send to their children.
        assert_eq!(explores_alike(NESTED, 2, 2).0, 5);
    }

    #[test]
    fn the_shortcuts_change_nothing_for_a_machine_nested_in_itself() {
        // The root and its two children, which have none (the machine is twice on their way down).
        assert_eq!(explores_alike(TREE, 0, 2).0, 3);
    }

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

    /// The anchors of the worker that moved stay known when its move leads from its anchor
    /// before to its anchor after (`start`, `finish`, `pause`: `attempts` untouched; not
    /// `retry`, which counts): on the pool of the analysis benchmark at 4 workers, 35 905
    /// lookups today, 51 247 when every configuration looked the anchor of the worker that
    /// moved up. The same 17 585 configurations (SPIN's count).
    #[test]
    fn a_move_that_commutes_with_its_anchors_keeps_them_known() {
        let p = program(include_str!("../../../benches/pool.wfl"));
        let c = Compiled::new(&p).expect("compiles");
        let x = explore(&p, &c, MachineId::from_index(1), limits(4));
        assert_eq!(x.configs, 17_585);
        assert!(x.lookups < 40_000, "{} lookups", x.lookups);
    }

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
                threads: 1,
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
}
