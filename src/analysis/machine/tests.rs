//! The exploration from end to end: each layer changes nothing but what it is for.

use super::driver::explore_with;
use super::final_search::{SWEEPS, no_way_to_final};
use super::visited::Edges;
use super::*;
use crate::model::{MachineId, Program};
use crate::sim::machine::{Compiled, RunError, World};

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
        threads: 1,
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
        threads: 1,
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
