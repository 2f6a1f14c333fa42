//! "A way to a final state" (W0412): on the graph kept of the moves between the configurations
//! stored, the root states from which no configuration with the root in a final state can be
//! reached ([`no_way_to_final`]), within what is left of the bound on memory.

use super::memo::MoveCursor;
use super::parallel::{Helper, Tables};
use super::space::Space;
use super::successors::REVERSIBLE;
use super::visited::{NO_PARENT, Probe};
use crate::model::StateId;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::Relaxed;

/// Why [`no_way_to_final`] has no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unanswered {
    /// Its tables would take more than the room it was given.
    Room,
    /// It was stopped from outside ([`INTERRUPTED`](super::INTERRUPTED)).
    Interrupted,
}

/// Configurations whose remembered moves [`no_way_to_final`] works out together, at most: their
/// successors are looked up in the store with the fetches of all of them overlapping. It asks
/// whether it is to stop between two windows.
const WINDOW: usize = 256;

/// Configurations given to each thread, with more than one: a part takes a few milliseconds,
/// much more than starting a thread.
const PART: usize = 16 * WINDOW;

/// Successors of a configuration looked up ahead, at most: most find a move that leads to a
/// final state in their first (on the pool of the analysis benchmark at 8 workers, 96 % of
/// those looked up; looking up two ahead took a fifth longer).
const FETCHED: usize = 1;

/// A successor that is not stored.
const NOT_FOUND: u32 = u32::MAX;

/// The first configurations remembered moves make of a window of configurations to be
/// settled, worked out and looked up together (the fetches from memory of a window overlap;
/// looked up one at a time, each waits for two or three reads in turn), on several threads
/// when it is given them.
#[derive(Default)]
struct Window {
    /// Per configuration, where it is in its moves, the indices of its first [`FETCHED`]
    /// successors, and how many it has of those.
    moves: Vec<(MoveCursor, [u32; FETCHED], u8)>,
    /// Per thread, the instances skipped in the configuration it works on.
    skips: Vec<Vec<bool>>,
    /// Configurations given to each thread, with more than one.
    part: usize,
    /// The successors of a configuration past its first ones.
    rest: Vec<u128>,
}

impl Window {
    fn new(space: &Space<'_>, threads: usize, part: usize) -> Window {
        Window {
            moves: Vec::new(),
            skips: vec![vec![false; space.slots.len()]; threads.max(1)],
            part: part.max(1),
            rest: Vec::new(),
        }
    }

    /// Works out and looks up the first successors by remembered moves of the configurations
    /// at the start of `pending` that are not known to be `good`, on `threads` threads (at most
    /// those it was made for): [`WINDOW`] of them on this one alone, a part per thread when
    /// there are several or it is not the one that settles them (`ahead`); the configurations
    /// it took.
    fn fetch<'p>(
        &mut self,
        space: &Space<'_>,
        (pending, good): (&'p [u32], &Flags),
        threads: usize,
        ahead: bool,
    ) -> &'p [u32] {
        let threads = threads.clamp(1, self.skips.len());
        let size = if threads > 1 || ahead {
            self.part * threads
        } else {
            WINDOW
        };
        let chunk = &pending[..pending.len().min(size)];
        self.moves.clear();
        self.moves.resize(
            chunk.len(),
            (MoveCursor::default(), [NOT_FOUND; FETCHED], 0),
        );
        let parts = chunk.len().div_ceil(self.part).clamp(1, threads);
        if parts == 1 {
            look_up_first(space, chunk, good, &mut self.skips[0], &mut self.moves);
            return chunk;
        }
        let per = chunk.len().div_ceil(parts);
        let tables = &Tables(space);
        std::thread::scope(|scope| {
            let mut work = chunk
                .chunks(per)
                .zip(self.moves.chunks_mut(per))
                .zip(self.skips.iter_mut());
            let mine = work.next();
            for ((part, moves), skip) in work {
                scope.spawn(move || look_up_first(tables.get(), part, good, skip, moves));
            }
            if let Some(((part, moves), skip)) = mine {
                look_up_first(space, part, good, skip, moves);
            }
        });
        chunk
    }

    /// Calls `f` with the index of each configuration the remembered moves of configuration
    /// `w` of the window, `from`, lead to, until it says to stop; whether it did.
    fn any_move(
        &mut self,
        space: &Space<'_>,
        (w, from): (usize, u32),
        mut f: impl FnMut(u32) -> bool,
    ) -> bool {
        let (mut at, first, count) = self.moves[w];
        for &t in &first[..count as usize] {
            if t != NOT_FOUND && f(t) {
                return true;
            }
        }
        if (count as usize) < FETCHED {
            // Its moves are all looked at.
            return false;
        }
        let Some(key) = space.store.key(from) else {
            return false;
        };
        // The rest, all worked out and fetched before they are looked up (most of those that
        // get here look at every move).
        let skip = &mut self.skips[0];
        space.shape.skipped_key(key, skip);
        self.rest.clear();
        while let Some(successor) = space.next_remembered(key, skip, &mut at) {
            self.rest.push(successor);
            space.store.probe_key(successor);
        }
        for &successor in &self.rest {
            space.store.prefetch_stored(Probe::unfetched(successor));
        }
        self.rest.iter().any(|&successor| {
            space
                .store
                .find(Probe::unfetched(successor))
                .is_some_and(&mut f)
        })
    }

    /// Bytes it takes on one thread: the larger windows of several threads, and the one made
    /// ahead, are not counted, so that whether the search fits does not depend on the threads.
    fn bytes(&self) -> usize {
        WINDOW * std::mem::size_of::<(MoveCursor, [u32; FETCHED], u8)>()
            + self.skips.first().map_or(0, Vec::capacity)
            + self.rest.capacity() * 16
    }
}

/// Works out the first [`FETCHED`] successors by remembered moves of each configuration of
/// `part` not known to be `good`, a [`WINDOW`] at a time, and sets `moves` to where each is in
/// its moves and their indices. The store is only read.
fn look_up_first(
    space: &Space<'_>,
    part: &[u32],
    good: &Flags,
    skip: &mut [bool],
    moves: &mut [(MoveCursor, [u32; FETCHED], u8)],
) {
    for (part, moves) in part.chunks(WINDOW).zip(moves.chunks_mut(WINDOW)) {
        let mut counts = [0u8; WINDOW];
        let mut keys = [[0u128; FETCHED]; WINDOW];
        for (w, &from) in part.iter().enumerate() {
            if good.get(from as usize) {
                continue;
            }
            let Some(key) = space.store.key(from) else {
                continue;
            };
            space.shape.skipped_key(key, skip);
            let at = &mut moves[w].0;
            while (counts[w] as usize) < FETCHED
                && let Some(successor) = space.next_remembered(key, skip, at)
            {
                keys[w][counts[w] as usize] = successor;
                counts[w] += 1;
            }
        }
        // The lines of the table first, then the configurations they point to, then the
        // lookups, each asking for the bit of what it found (read when the window is settled):
        // the fetches of the window overlap.
        for (first, &count) in keys.iter().zip(&counts).take(part.len()) {
            for &key in &first[..count as usize] {
                space.store.probe_key(key);
            }
        }
        for (first, &count) in keys.iter().zip(&counts).take(part.len()) {
            for &key in &first[..count as usize] {
                space.store.prefetch_stored(Probe::unfetched(key));
            }
        }
        for (w, (_, first, count)) in moves.iter_mut().enumerate().take(part.len()) {
            *count = counts[w];
            for (k, t) in first.iter_mut().enumerate().take(counts[w] as usize) {
                *t = space
                    .store
                    .find(Probe::unfetched(keys[w][k]))
                    .unwrap_or(NOT_FOUND);
                good.prefetch(*t as usize);
            }
        }
    }
}

/// For each root state, the first configuration with the root in it from which no configuration
/// with the root in a final state can be reached.
///
/// The moves stored are those looked up: not the `set`s an explored anchor covers (its
/// [`REVERSIBLE`] move leads back), nor the moves of instances whose every move led to a
/// configuration stored before (see [`Known`]). Those are worked out again
/// ([`Space::next_remembered`]) for configurations the stored moves do not show to lead to a
/// final one.
///
/// No answer when its own tables would take more than `room` bytes (the rest of
/// `--max-memory`), or when `interrupted` says to stop (it is asked every [`WINDOW`]
/// configurations looked at, and after each sweep).
pub(super) fn no_way_to_final(
    space: &Space<'_>,
    sweeps: usize,
    room: usize,
    threads: usize,
    interrupted: &dyn Fn() -> bool,
) -> Result<Vec<(StateId, u32)>, Unanswered> {
    no_way_to_final_in_parts(space, (sweeps, room, true), (threads, PART), interrupted)
}

/// [`no_way_to_final`], giving each of `threads` a `part` of the configurations to look up;
/// without its `exact` pass, by passes alone ([`settle_by_passes`]).
fn no_way_to_final_in_parts(
    space: &Space<'_>,
    (sweeps, room, exact): (usize, usize, bool),
    (threads, part): (usize, usize),
    interrupted: &dyn Fn() -> bool,
) -> Result<Vec<(StateId, u32)>, Unanswered> {
    let Some(edges) = &space.edges else {
        return Ok(Vec::new());
    };
    let n = space.parent.len().min(edges.explored());
    // `good` and `pending` (a bit and four bytes per configuration), then, if the sweeps leave
    // some, the first wait on each (four more), the list of waits (eight per move looked at) and
    // the configurations being settled, those two as they grow.
    let mut taken = n * 4 + n.div_ceil(64) * 8;
    if taken > room {
        return Err(Unanswered::Room);
    }
    let successors = |from: usize| edges.from(from);
    // Whether any move is stored (when every instance is remembered, none is).
    let stored_moves = edges.moves() > 0;
    let parent = |i: u32| space.parent.get(i as usize).unwrap_or(NO_PARENT);
    let mut bytes = vec![0; space.width];
    let mut good = Flags::new(n);
    space.each_root_state(n, |i, state| {
        if space.root_final(state) {
            good.set(i);
        }
    });
    // Sweeps over the configurations not yet known to lead to a final one, over the moves
    // stored, from the last to the first and back: most moves lead to configurations found
    // later, the rest (a `set` undone, a retry) to earlier ones, and the way back settles those.
    // A configuration that leads to a final one makes its parent (found earlier, and one move
    // before it) lead there too, and what a reversible `set` made of it (the `set` back leads
    // to it).
    let mut pending: Vec<u32> = Vec::with_capacity(n - good.count());
    pending.extend((0..n as u32).rev().filter(|&i| !good.get(i as usize)));
    // Without moves stored, a sweep settles none (the configurations pending are not known to
    // lead to a final one, and none leads to one that is): none is made.
    let sweeps = if stored_moves { sweeps } else { 0 };
    for _ in 0..sweeps {
        let before = pending.len();
        pending.retain(|&from| {
            let leads = good.get(from as usize)
                || successors(from as usize).any(|t| good.get((t & !REVERSIBLE) as usize));
            if leads {
                good.set(from as usize);
                let p = parent(from);
                if p != NO_PARENT {
                    good.set(p as usize);
                }
                for t in successors(from as usize) {
                    if t & REVERSIBLE != 0 {
                        good.set((t & !REVERSIBLE) as usize);
                    }
                }
            }
            !leads
        });
        if interrupted() {
            return Err(Unanswered::Interrupted);
        }
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
    let mut waits = Waits::default();
    let mut settle: Vec<u32> = Vec::new();
    let exact: Result<(), Unanswered> = 'exact: {
        if !exact {
            break 'exact Err(Unanswered::Room);
        }
        let mut on = Vec::new();
        let mut window = Window::new(space, threads, part);
        let (tables, good) = (&Tables(space), &good);
        let helpers = threads.saturating_sub(1);
        std::thread::scope(|scope| {
            // The next chunk's first successors are looked up by a helper (itself on all the
            // threads but this one) while this one settles the chunk before.
            let mut helper = (helpers > 0)
                .then(|| {
                    Helper::start_in(
                        scope,
                        threads,
                        move |(mut ahead, rest): (Window, &[u32])| {
                            let chunk = ahead.fetch(tables.get(), (rest, good), helpers, true);
                            (ahead, chunk)
                        },
                    )
                })
                .flatten();
            let mut spare = helper.as_ref().map(|_| Window::new(space, threads, part));
            let mut given = false;
            let mut rest = &pending[..];
            loop {
                if interrupted() {
                    break Err(Unanswered::Interrupted);
                }
                let chunk = match &mut helper {
                    Some(helper) if given => {
                        let (made, chunk) = helper.take();
                        spare = Some(std::mem::replace(&mut window, made));
                        chunk
                    }
                    _ if rest.is_empty() => break Ok(()),
                    _ => window.fetch(space, (rest, good), threads, false),
                };
                rest = &rest[chunk.len()..];
                given = false;
                if let (Some(helper), false) = (&helper, rest.is_empty())
                    && let Some(ahead) = spare.take()
                {
                    helper.give((ahead, rest));
                    given = true;
                }
                if taken + window.bytes() > room {
                    break Err(Unanswered::Room);
                }
                for (w, &from) in chunk.iter().enumerate() {
                    if good.get(from as usize) {
                        continue;
                    }
                    on.clear();
                    if stored_moves {
                        on.extend(successors(from as usize).map(|t| t & !REVERSIBLE));
                    }
                    let leads = on.iter().any(|&t| good.get(t as usize))
                        || window.any_move(space, (w, from), |t| {
                            on.push(t);
                            good.get(t as usize)
                        });
                    let fitted = if leads {
                        waits.settle(from, good, &parent, &mut settle, (&mut taken, room))
                    } else {
                        waits.wait(from, &on, n, (&mut taken, room))
                    };
                    if !fitted {
                        return Err(Unanswered::Room);
                    }
                }
            }
        })
    };
    match exact {
        Ok(()) => {}
        Err(Unanswered::Interrupted) => return Err(Unanswered::Interrupted),
        Err(Unanswered::Room) => {
            // The waits did not fit: they are given back, and the configurations not yet known
            // to lead to a final one are settled by passes over all their moves instead, which
            // take no room of their own but time.
            drop((waits, settle));
            pending.clear();
            pending.extend((0..n as u32).rev().filter(|&c| !good.get(c as usize)));
            settle_by_passes(space, &mut good, &mut pending, &parent, interrupted)?;
        }
    }
    let mut out: Vec<(StateId, u32)> = Vec::new();
    let mut listed = vec![false; space.program.machine(space.slots[0].machine).states.len()];
    for i in 0..n {
        if good.get(i) {
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
    Ok(out)
}

/// The configurations waiting on each configuration to be known to lead to a final state: per
/// configuration the first of the waits on it, each wait the configuration waiting and the
/// next wait.
#[derive(Default)]
struct Waits {
    first: Vec<u32>,
    list: Vec<(u32, u32)>,
    /// Per configuration, whether some wait on it (most have none: their `first` is not read).
    waited: Flags,
}

impl Waits {
    const NONE: u32 = u32::MAX;

    /// Makes configuration `from` (one of `n`) wait on each of `on`, within `room` bytes with
    /// what `taken` counts; whether they fit.
    fn wait(
        &mut self,
        from: u32,
        on: &[u32],
        n: usize,
        (taken, room): (&mut usize, usize),
    ) -> bool {
        if self.first.is_empty() {
            *taken += n * 4 + n.div_ceil(64) * 8;
            if *taken > room {
                return false;
            }
            self.first = vec![Waits::NONE; n];
            self.waited = Flags::new(n);
        }
        for &t in on {
            if !push_within(&mut self.list, (from, self.first[t as usize]), taken, room) {
                return false;
            }
            self.first[t as usize] = self.list.len() as u32 - 1;
            self.waited.set(t as usize);
        }
        true
    }

    /// Marks `from` as leading to a final state, and with it its parents and the configurations
    /// waiting on it, and on them in turn; whether the list of those to settle fitted.
    fn settle(
        &self,
        from: u32,
        good: &Flags,
        parent: &dyn Fn(u32) -> u32,
        settle: &mut Vec<u32>,
        (taken, room): (&mut usize, usize),
    ) -> bool {
        good.set(from as usize);
        if !push_within(settle, from, taken, room) {
            return false;
        }
        while let Some(t) = settle.pop() {
            let p = parent(t);
            if p != NO_PARENT && !good.get(p as usize) {
                good.set(p as usize);
                if !push_within(settle, p, taken, room) {
                    return false;
                }
            }
            let mut wait = match self.waited.holds(t as usize) {
                true => self.first[t as usize],
                false => Waits::NONE,
            };
            while wait != Waits::NONE {
                let (source, next) = self.list[wait as usize];
                if !good.get(source as usize) {
                    good.set(source as usize);
                    if !push_within(settle, source, taken, room) {
                        return false;
                    }
                }
                wait = next;
            }
        }
        true
    }
}

/// Whether one of the moves of configuration `from` (stored, or worked out again) leads to a
/// configuration known to be `good`, looked at one at a time.
fn leads_to_good(space: &Space<'_>, good: &Flags, from: u32, skip: &mut [bool]) -> bool {
    let stored = space.edges.as_ref().is_some_and(|edges| {
        edges
            .from(from as usize)
            .any(|t| good.get((t & !REVERSIBLE) as usize))
    });
    stored
        || space.store.key(from).is_some_and(|key| {
            space.shape.skipped_key(key, skip);
            let mut at = MoveCursor::default();
            std::iter::from_fn(|| space.next_remembered(key, skip, &mut at)).any(|s| {
                space
                    .store
                    .find(Probe::unfetched(s))
                    .is_some_and(|t| good.get(t as usize))
            })
        })
}

/// A bit per configuration (whether it is known to lead to a final state; whether some wait on
/// it), so that the lookups of the search at random stay in the caches (a megabyte per eight
/// million).
///
/// One thread sets bits; another may read them meanwhile (the helper that looks successors up
/// ahead skips the configurations known to lead to a final state): a bit it reads before it is
/// set only makes it look up a successor that will not be needed. So the words are atomic, read
/// and written without ordering (plain loads and stores), and a bit is set by a load and a
/// store, not a locked read-modify-write: the one thread that sets them loses none.
#[derive(Default)]
struct Flags(Vec<AtomicU64>);

impl Flags {
    fn new(n: usize) -> Flags {
        Flags((0..n.div_ceil(64)).map(|_| AtomicU64::new(0)).collect())
    }

    #[inline]
    fn get(&self, i: usize) -> bool {
        self.0[i / 64].load(Relaxed) >> (i % 64) & 1 != 0
    }

    /// Sets bit `i`; from one thread at a time (see [`Flags`]).
    #[inline]
    fn set(&self, i: usize) {
        let word = &self.0[i / 64];
        word.store(word.load(Relaxed) | 1 << (i % 64), Relaxed);
    }

    /// Asks for the cache line of bit `i`, if it has one.
    #[inline]
    fn prefetch(&self, i: usize) {
        if let Some(word) = self.0.get(i / 64) {
            super::visited::prefetch(word);
        }
    }

    /// [`Flags::get`], false past its end (an empty one holds none).
    #[inline]
    fn holds(&self, i: usize) -> bool {
        (self.0.get(i / 64)).is_some_and(|w| w.load(Relaxed) >> (i % 64) & 1 != 0)
    }

    fn count(&self) -> usize {
        self.0
            .iter()
            .map(|w| w.load(Relaxed).count_ones() as usize)
            .sum()
    }
}

/// Passes [`settle_by_passes`] makes at most before it gives up.
const FALLBACK_PASSES: usize = 64;

/// Settles the configurations of `pending` (none known to lead to a final one, latest first)
/// by passes over them, each looking at every move of each (stored, and worked out again) until
/// one leads to a configuration known to lead to a final one, the way back alternating, until
/// a pass settles none: then those left cannot reach one. No room of its own beyond the list;
/// [`Unanswered::Room`] when [`FALLBACK_PASSES`] passes do not settle them all (the exact way,
/// with the waits, did not fit).
fn settle_by_passes(
    space: &Space<'_>,
    good: &mut Flags,
    pending: &mut Vec<u32>,
    parent: &dyn Fn(u32) -> u32,
    interrupted: &dyn Fn() -> bool,
) -> Result<(), Unanswered> {
    let mut skip = vec![false; space.slots.len()];
    for _ in 0..FALLBACK_PASSES {
        let before = pending.len();
        let mut stopped = false;
        let mut looked = 0usize;
        pending.retain(|&from| {
            looked += 1;
            if stopped || looked.is_multiple_of(4096) && interrupted() {
                stopped = true;
                return true;
            }
            if good.get(from as usize) {
                return false;
            }
            let leads = leads_to_good(space, good, from, &mut skip);
            if leads {
                // It, and the configurations on its way back to the first.
                let mut c = from;
                while c != NO_PARENT && !good.get(c as usize) {
                    good.set(c as usize);
                    c = parent(c);
                }
            }
            !leads
        });
        if stopped {
            return Err(Unanswered::Interrupted);
        }
        if pending.len() == before {
            return Ok(());
        }
        pending.reverse();
    }
    Err(Unanswered::Room)
}

/// Pushes `item` onto `list`, when what `taken` counts, with the list grown if it must be (its
/// old and new allocations both held a moment), stays within `room` bytes; whether it did.
pub(super) fn push_within<T>(list: &mut Vec<T>, item: T, taken: &mut usize, room: usize) -> bool {
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
pub(super) const SWEEPS: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::machine::driver::explore_with;
    use crate::analysis::machine::test_support::*;
    use crate::analysis::machine::*;
    use crate::model::MachineId;
    use crate::sim::machine::Compiled;

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
            let [x, all] = with_and_without_shortcuts(&p, &c, root, children);
            assert!(x.complete() && all.complete());
            let expected = no_way_to_final(&all.space, 0, usize::MAX, 1, &|| false).expect("room");
            assert_eq!(expected.len(), states);
            // Without sweeps, every configuration is settled by the moves it makes; on one
            // thread or several.
            for sweeps in [0, 1, 2, SWEEPS] {
                for (threads, part) in [(1, PART), (2, 1), (3, 5), (2, PART)] {
                    let bounds = (sweeps, usize::MAX, true);
                    assert_eq!(
                        no_way_to_final_in_parts(&x.space, bounds, (threads, part), &|| false),
                        Ok(expected.clone())
                    );
                }
                // By passes alone, as when the waits do not fit.
                let bounds = (sweeps, usize::MAX, false);
                assert_eq!(
                    no_way_to_final_in_parts(&x.space, bounds, (1, PART), &|| false),
                    Ok(expected.clone())
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
            match no_way_to_final(&free.space, SWEEPS, room, 1, &|| false) {
                Ok(no_final) => assert_eq!(no_final, free.no_final, "room {room}"),
                Err(why) => {
                    assert_eq!(why, Unanswered::Room);
                    unknown += 1;
                }
            }
        }
        assert!(unknown > 0, "some room is too little");
        let none = no_way_to_final(&free.space, SWEEPS, 0, 1, &|| false);
        assert_eq!(none, Err(Unanswered::Room));
    }

    /// A hand-made graph: a ring of four states with one way out to a final state and one to a
    /// dead end. From the dead end, and only from it, no final state can be reached.
    #[test]
    fn a_ring_with_a_dead_end_has_one_state_that_cannot_finish() {
        let p = program(RING);
        let c = Compiled::new(&p).expect("compiles");
        let x = explore(&p, &c, MachineId::from_index(0), limits(1));
        let ring = p.machine(MachineId::from_index(0));
        let dead = ring.states.iter().position(|s| s.name.text == "Dead");
        let found = no_way_to_final(&x.space, SWEEPS, usize::MAX, 1, &|| false).expect("room");
        let states: Vec<usize> = found.iter().map(|(s, _)| s.index()).collect();
        assert_eq!(states, dead.into_iter().collect::<Vec<_>>());
    }

    /// Asked to stop, the search stops (each sweep, and every few thousand configurations of
    /// the exact pass), with no answer rather than a part of one; and an exploration whose
    /// search was stopped is incomplete, as one cut short is.
    #[test]
    fn the_search_stops_when_it_is_interrupted() {
        let p = program(BREAKING);
        let c = Compiled::new(&p).expect("compiles");
        let x = explore(&p, &c, MachineId::from_index(1), limits(4));
        assert!(x.complete() && !x.no_final.is_empty());
        for sweeps in [0, SWEEPS] {
            let stopped = no_way_to_final(&x.space, sweeps, usize::MAX, 1, &|| true);
            assert_eq!(stopped, Err(Unanswered::Interrupted), "{sweeps} sweeps");
        }
        // Stopped after the sweeps, in the exact pass.
        let asked = std::cell::Cell::new(0);
        let later = || {
            asked.set(asked.get() + 1);
            asked.get() > 1
        };
        let stopped = no_way_to_final(&x.space, 0, usize::MAX, 1, &later);
        assert_eq!(stopped, Err(Unanswered::Interrupted));
    }
}
