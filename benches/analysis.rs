//! Semantic analysis: `cargo bench --bench analysis`.
//!
//! The targets: a generated 60-task workflow (2^60 combinations of outcomes) analysed in
//! about a second; a machine with 6 identical children of a 6-state machine explored exhaustively,
//! at 2 million configurations per second per core, with the bytes each takes reported.

use divan::Bencher;
use divan::counter::ItemsCount;
use wfl::analysis::machine::{Limits, Variant, explore, explore_variant};
use wfl::model::MachineId;
use wfl::sim::machine::Compiled;

#[path = "generate.rs"]
mod generate;

#[path = "spec.rs"]
mod spec;
use spec::program;

fn main() {
    divan::main();
}

/// Every task's and link's end states and the findings with their witnesses, for a generated
/// workflow of 60 tasks (conditions on three variables, normal and error links, both accept
/// modes).
#[divan::bench(sample_count = 5)]
fn workflow_60_tasks(bencher: Bencher) {
    let program = program(&generate::workflow(60));
    bencher.bench(|| {
        let mut out = Vec::new();
        let budget = wfl::analysis::workflow::budget(64 << 20);
        wfl::analysis::check(&program, budget, &mut out);
        out
    });
}

/// A 60-task chain whose every link adds two integer variables of `0..63` (`a + b > k`): each
/// condition is worked out for every one of the 4 096 combinations of their values, the most the
/// analysis enumerates for one condition. With the default bound (`--max-memory 64`) about 50 such
/// conditions are analysed; these 59 are given 128 MB.
#[divan::bench(sample_count = 5)]
fn workflow_60_sums_of_small_ranges(bencher: Bencher) {
    let mut text = String::from("workflow sums {\n  continue_on_failure = true\n");
    text.push_str("  var a: int 0..63\n  var b: int 0..63\n  var c: int 0..63\n");
    for t in 0..60 {
        text.push_str(&format!("  task t{t}\n"));
    }
    for t in 1..60 {
        let (x, y) = [("a", "b"), ("b", "c"), ("a", "c")][t % 3];
        text.push_str(&format!(
            "  t{} -> t{t} when {x} + {y} > {}\n",
            t - 1,
            t * 2
        ));
    }
    text.push_str("}\n");
    let program = program(&text);
    bencher.bench(|| {
        let mut out = Vec::new();
        let budget = wfl::analysis::workflow::budget(128 << 20);
        wfl::analysis::check(&program, budget, &mut out);
        out
    });
}

/// A pool of 6 identical workers (6 states, an attempts counter 0..3), explored exhaustively: the
/// counter is configurations stored.
const POOL: &str = include_str!("pool.wfl");

#[divan::bench(sample_count = 5, args = ["hashed", "sorted"])]
/// Looking configurations up in a hash table (the default), or in sorted batches (delayed
/// duplicate detection, what the explorer moves to when the table would pass `--max-memory`).
fn machine_6_identical_children(bencher: Bencher, lookup: &str) {
    let explore = |program, compiled, pool, limits| match lookup {
        "sorted" => explore_variant(program, compiled, pool, limits, Variant::Sorted),
        _ => explore(program, compiled, pool, limits),
    };
    let program = program(POOL);
    let compiled = Compiled::new(&program).expect("compiles");
    let pool = MachineId::from_index(1);
    let limits = Limits {
        children: 6,
        max_states: 10_000_000,
        max_bytes: 4 << 30,
    };
    let x = explore(&program, &compiled, pool, limits);
    assert!(x.complete());
    eprintln!(
        "pool with 6 workers, {lookup}: {} configurations, {} moves, {} lookups, {} bytes ({:.1} bytes per configuration)",
        x.configs,
        x.moves,
        x.lookups,
        x.bytes(),
        x.bytes() as f64 / x.configs as f64
    );
    bencher
        .counter(ItemsCount::new(x.configs))
        .bench(|| explore(&program, &compiled, pool, limits).configs);
}
