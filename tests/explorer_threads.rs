//! The exploration on several threads finds what it finds on one (specs/semantics.md section
//! 15): the same configurations, moves, records with their witnesses, bounds and findings of
//! `wfl check`, on 1, 2, 3 and 8 threads — on the pool of the analysis benchmark at the real
//! thresholds, and on random machines with the configurations made ahead however few wait
//! ([`make_ahead_eagerly`]).

use std::fmt::Write;
use wfl::analysis::machine::{Exploration, Limits, explore, make_ahead_eagerly};
use wfl::analysis::machine_findings::DEFAULT_LIMITS;
use wfl::model::MachineId;
use wfl::sim::machine::Compiled;
use wfl::sim::random::Rng;

const POOL: &str = include_str!("../benches/pool.wfl");

const THREADS: [usize; 3] = [2, 3, 8];

/// What an exploration found, as one text: why it stopped, the counts, the states entered and
/// transitions taken with where first, the run errors, shadowed transitions and sends that
/// reached no child with theirs, the states that cannot finish and the combinations tried.
fn summary(x: &Exploration<'_>) -> String {
    let mut out = format!(
        "{:?} configs {} moves {} lookups {} work {} bytes {}\n",
        x.stop,
        x.configs,
        x.moves,
        x.lookups,
        x.work,
        x.bytes()
    );
    let _ = writeln!(out, "{:?}\n{:?}", x.reached, x.taken);
    let _ = writeln!(out, "{:?}\n{:?}\n{:?}", x.failures, x.shadows, x.unsent);
    let _ = write!(
        out,
        "{:?} {} {:?}",
        x.no_final, x.no_final_unknown, x.combos
    );
    out
}

/// The findings of `wfl check` on `text` within `limits`, as one text.
fn findings(text: &str, limits: Limits) -> String {
    let checked = wfl::check_text_with(text, &Default::default(), limits);
    format!("{:?}", checked.diagnostics)
}

/// Explores every machine of `text` and checks it within `limits` on one thread and on
/// [`THREADS`]; they must agree. The summaries on one thread, or `None` when `text` has errors.
fn agree(text: &str, limits: Limits) -> Option<Vec<String>> {
    let checked = wfl::check_text(text);
    let program = checked.program.as_ref()?;
    if checked.diagnostics.iter().any(|d| d.is_error()) {
        return None;
    }
    let compiled = Compiled::new(program).ok()?;
    let on = |threads| {
        let limits = Limits { threads, ..limits };
        let mut all: Vec<String> = (0..program.machines.len())
            .map(|m| {
                summary(&explore(
                    program,
                    &compiled,
                    MachineId::from_index(m),
                    limits,
                ))
            })
            .collect();
        all.push(findings(text, limits));
        all
    };
    let one = on(1);
    for threads in THREADS {
        let many = on(threads);
        for (a, b) in one.iter().zip(&many) {
            assert!(
                a == b,
                "{threads} threads:\n{b:.600}\none thread:\n{a:.600}\n{text}"
            );
        }
    }
    Some(one)
}

fn pool(children: u32, max_states: usize) -> Limits {
    Limits {
        children,
        max_states,
        ..DEFAULT_LIMITS
    }
}

#[test]
fn the_pool_is_explored_alike_on_any_number_of_threads() {
    // 98 336 configurations: thousands are made ahead at a time.
    let found = agree(POOL, pool(5, 200_000)).expect("the pool checks");
    assert!(
        found[1].starts_with("None configs 98336"),
        "{:.80}",
        found[1]
    );
}

/// Each bound stops the exploration of the pool at the same configuration, with the same
/// partial result, whatever the threads: configurations, memory, and work (its share in
/// `wfl check`, reached before the other two).
#[test]
fn every_bound_stops_the_pool_at_the_same_place_whatever_the_threads() {
    let states = pool(5, 50_000);
    let memory = Limits {
        max_bytes: 256 << 10,
        ..pool(5, 200_000)
    };
    for (limits, stop) in [(states, "Some(States)"), (memory, "Some(Memory)")] {
        let found = agree(POOL, limits).expect("the pool checks");
        assert!(found[1].starts_with(stop), "{:.80}", found[1]);
    }
    // Half a million steps (about 25 000 configurations of the pool): the work bound stops it
    // first.
    let work = pool(5, 200_000);
    let checked = wfl::check_text(POOL);
    let program = checked.program.expect("resolves");
    let compiled = Compiled::new(&program).expect("compiles");
    let root = MachineId::from_index(1);
    let prepared = std::sync::Arc::new(wfl::analysis::machine::Prepared::new(&program));
    let within = |threads| {
        let limits = Limits { threads, ..work };
        let x = wfl::analysis::machine::explore_within(
            &program, &compiled, root, limits, 500_000, &prepared,
        );
        summary(&x)
    };
    let one = within(1);
    assert!(one.starts_with("Some(Work)"), "{one:.80}");
    for threads in THREADS {
        assert!(within(threads) == one, "{threads} threads");
    }
}

/// A random child machine with an input and a parent that watches its children, sometimes
/// sends to them (then it runs the interpreter) or has an input of its own: worlds where
/// configurations made ahead and configurations explored by the interpreter alternate.
fn case(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut below = |n: u64| rng.next_u64() % n;
    let events = ["go", "back", "tick"];
    let mut text = String::new();
    let states = 2 + below(3);
    let default = below(3);
    let _ = writeln!(
        text,
        "machine kid {{\n  input var n: int 0..2 = {default}\n  initial -> S0"
    );
    let names: Vec<String> = (0..states).map(|s| format!("S{s}")).collect();
    let _ = writeln!(text, "  state {}", names.join(", "));
    for _ in 0..2 + below(4) {
        let (from, to) = (below(states), below(states));
        let event = events[below(3) as usize];
        let guard = match below(3) {
            0 => format!(" when n < {}", 1 + below(2)),
            1 => format!(" when n == {}", below(3)),
            _ => String::new(),
        };
        let action = match below(3) {
            0 => format!(" {{ set n = {} }}", below(3)),
            _ => String::new(),
        };
        let _ = writeln!(text, "  S{from} -> S{to} on {event}{guard}{action}");
    }
    text.push_str("}\nmachine boss {\n  children kids: kid\n");
    if below(2) == 0 {
        text.push_str("  input var k: int 0..1 = 0\n");
    }
    text.push_str("  initial -> Open\n  state Open, Busy\n");
    let quantifier = ["all", "any"][below(2) as usize];
    let watched = below(states);
    let send = if below(2) == 0 {
        format!(" {{ send {} to kids }}", events[below(3) as usize])
    } else {
        String::new()
    };
    let _ = writeln!(
        text,
        "  Open -> Busy on start when {quantifier} kids in [S{watched}]{send}\n  Busy -> Open on stop\n}}"
    );
    text
}

#[test]
fn random_machines_are_explored_alike_on_any_number_of_threads() {
    make_ahead_eagerly();
    let mut compared = 0;
    for seed in 0..60 {
        let limits = pool(2 + (seed % 3) as u32, 20_000);
        if agree(&case(seed), limits).is_some() {
            compared += 1;
        }
    }
    assert!(compared >= 50, "only {compared} cases compared");
}
