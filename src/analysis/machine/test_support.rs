//! What the tests of the exploration's layers share: small machines that take every path of
//! the explorer, and comparisons of explorations.

use super::driver::explore_with;
use super::visited::Edges;
use super::{Exploration, Layers, Limits, PerMachine, Seen, Stop, explore};
use crate::model::{MachineId, Program};
use crate::sim::machine::Compiled;

pub(super) fn program(text: &str) -> Program {
    let checked = crate::check_text(text);
    assert!(!checked.diagnostics.iter().any(|d| d.is_error()));
    checked.program.expect("resolves")
}

pub(super) const POOL: &str = "machine w {\n  initial -> A\n  state A, B\n  A -> B on go\n  B -> A on back\n}\n\
                    machine pool {\n  children ws: w\n  initial -> Open\n  state Open\n  Open -> Open on go { send go to ws }\n}\n";

/// Nested groups of identical children, history, event-less transitions, parents whose
/// guards look at their children, a send and a root with a final state: every path of the
/// explorer (remembered moves, the interpreter, the packed canonical form, the sweeps towards
/// final states).
pub(super) const NESTED: &str = "machine leaf {\n  input var n: int 0..2 = 0\n  initial -> A\n  state A, B, C\n\
                      A -> B on go when n < 2 { set n = n + 1 }\n  B -> C on go\n  C -> history on undo\n\
                      B -> A on back\n  C -> A when n >= 2\n}\n\
                      machine mid {\n  children leaves: leaf\n  initial -> Idle\n  state Idle, Busy\n\
                      Idle -> Busy on start\n  Busy -> Idle on reset when all leaves in [A] { send back to leaves }\n}\n\
                      machine top {\n  children mids: mid\n  initial -> Open\n  state Open\n  final state Closed\n\
                      Open -> Closed on close when all mids in [Busy]\n}\n";

pub(super) fn limits(children: u32) -> Limits {
    Limits {
        children,
        max_states: 1 << 20,
        max_bytes: 1 << 30,
        threads: 1,
    }
}

/// Identical children in canonical order, and no other layer: what every layer but
/// [`Layer::Symmetry`] must find the same as.
pub(super) const SYMMETRIC: Layers = Layers {
    symmetry: true,
    ..Layers::NONE
};

/// Explores machine `root` of `p`, with `children` per group, with every layer and with
/// symmetry alone.
pub(super) fn with_and_without_shortcuts<'c>(
    p: &'c Program,
    c: &'c Compiled,
    root: usize,
    children: u32,
) -> [Exploration<'c>; 2] {
    let root = MachineId::from_index(root);
    [Layers::ALL, SYMMETRIC].map(|layers| explore_with(p, c, root, limits(children), layers))
}

/// Whether two explorations saw the same, configuration by configuration.
pub(super) fn assert_alike(fast: &Exploration<'_>, slow: &Exploration<'_>) {
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

pub(super) fn edges(x: &Exploration<'_>) -> usize {
    x.space.edges.as_ref().map_or(0, Edges::moves)
}

/// Explores `text`'s machine `root` with every layer and with symmetry alone; both must see the
/// same. The instances remembered, and the moves stored with and without the other layers.
pub(super) fn explores_alike(text: &str, root: usize, children: u32) -> (usize, usize, usize) {
    let p = program(text);
    let c = Compiled::new(&p).expect("compiles");
    let [fast, slow] = with_and_without_shortcuts(&p, &c, root, children);
    assert!(fast.space.store.is_packed() && !slow.space.store.is_packed());
    assert!(slow.space.shape.local.iter().all(Option::is_none));
    assert_alike(&fast, &slow);
    let remembered = fast
        .space
        .shape
        .local
        .iter()
        .filter(|l| l.is_some())
        .count();
    (remembered, edges(&fast), edges(&slow))
}

/// A machine nested in itself: the instances at the bottom have no children, the others do,
/// and each looks at its children's states.
pub(super) const TREE: &str = "machine node {\n  children kids: node\n  input var n: int 0..1 = 0\n  initial -> Idle\n  state Idle, Busy, Done\n\
                    Idle -> Busy on go\n  Busy -> Done on finish when all kids in [Done] { set n = 1 }\n\
                    Done -> Idle on again when count kids in [Done] < 2\n  Busy -> Busy when n > 0 { set n = 0 }\n}\n";

/// What a plain exploration and one with `layers` on find alike: the states entered, the
/// transitions taken, the states that cannot finish, the kinds of run errors and shadowed
/// transitions.
pub(super) fn assert_same_findings(x: &Exploration<'_>, plain: &Exploration<'_>) {
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

/// Explores [`POOL`] with `children` children and at most `max_states` configurations: why
/// it stopped, and the configurations stored.
pub(super) fn explore_pool(children: u32, max_states: usize) -> (Option<Stop>, usize) {
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
pub(super) const BREAKING: &str = "machine w {\n  input var tries: int 0..2 = 0\n  initial -> Idle\n  state Idle, Busy, Failed, Broken\n\
                final state Done\n  Idle -> Busy on go\n  Busy -> Done on finish\n  Busy -> Failed on fail\n\
                Failed -> Busy on retry when tries < 2 { set tries = tries + 1 }\n  Busy -> Broken on crash\n}\n\
                machine pool {\n  children ws: w\n  initial -> Open\n  state Open, Closing\n  final state Closed\n\
                Open -> Closing on close\n  Closing -> Open on reopen\n\
                Closing -> Closed on done when all ws in [Done]\n}\n";

/// A parent that looks at its children's states, with two moves that all of them in `A`
/// enable: a child's move may enable the parent's, and the parent's move may change what the
/// children's moves lead to, so neither passes on what it knew of the other. (`k` makes the
/// parent's moves remembered: its children's states recur with other values of `k`.)
pub(super) const WATCHING: &str = "machine kid {\n  input var k: int 0..1 = 0\n  initial -> B\n  state A, B\n  B -> A on step\n  A -> B on back\n}\n\
                        machine top {\n  children kids: kid\n  initial -> Idle\n  state Idle, Busy, Done\n\
                        Idle -> Busy on go when all kids in [A]\n  Idle -> Done on finish when all kids in [A]\n\
                        Busy -> Idle on stop\n  Done -> Idle on stop\n}\n";

/// A worker finishes only with `x` at its first value: from a busy worker with another, the
/// one way to a closed pool is the move to the anchor, which is not stored (the `set` from
/// the anchor is, as reversible).
pub(super) const GATED: &str = "machine w {\n  input var x: int 0..2 = 0\n  initial -> Idle\n  state Idle, Busy\n  final state Done\n\
                     Idle -> Busy on go\n  Busy -> Done on finish when x == 0\n}\n\
                     machine pool {\n  children ws: w\n  initial -> Open\n  state Open\n  final state Closed\n\
                     Open -> Closed on close when all ws in [Done]\n}\n";

/// A ring of states with one way out to a final state, and one to a dead end: the dead end
/// is the ring's last state's first move.
pub(super) const RING: &str = "machine ring {\n  initial -> S0\n  state S0, S1, S2, S3, Dead\n  final state F\n\
                    S3 -> Dead on b\n  S0 -> S1 on a\n  S1 -> S2 on a\n  S2 -> S3 on a\n  S3 -> S0 on a\n  S0 -> F on f\n}\n";
