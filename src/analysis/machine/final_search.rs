//! "A way to a final state" (W0412): on the graph kept of the moves between the configurations
//! stored, the root states from which no configuration with the root in a final state can be
//! reached ([`no_way_to_final`]), within what is left of the bound on memory.

use super::space::Space;
use super::successors::REVERSIBLE;
use super::visited::NO_PARENT;
use crate::model::StateId;

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
pub(super) fn no_way_to_final(
    space: &Space<'_>,
    sweeps: usize,
    room: usize,
) -> Option<Vec<(StateId, u32)>> {
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
