//! Semantic analysis: `cargo bench --bench analysis`.
//!
//! The targets: a generated 60-task workflow (2^60 combinations of outcomes) analysed in
//! about a second; a pool of 6, 7 and 8 identical children of a 6-state machine explored
//! exhaustively at 2 million configurations per second per core or more, in at most 16 bytes per
//! configuration with the moves kept: each prints the bytes per configuration and the
//! configurations per second of one run (`cargo bench --bench analysis -- machine_pool`).

use divan::Bencher;
use divan::counter::ItemsCount;
use wfl::analysis::machine::{Limits, explore};
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

/// A pool of identical workers (6 states, an attempts counter 0..3), explored exhaustively with
/// the moves kept for "a way to a final state": the counter is configurations stored.
const POOL: &str = include_str!("pool.wfl");

/// The pool with `workers` workers: the program, compiled, its root and the bounds (none reached).
fn pool(workers: u32) -> (wfl::model::Program, Limits) {
    let limits = Limits {
        children: workers,
        max_states: 100_000_000,
        max_bytes: 16 << 30,
        threads: 1,
    };
    (program(POOL), limits)
}

/// Explores the pool once, outside the measured runs, and prints what its tables take per
/// configuration stored and how many configurations a second that run stored (one core).
fn report(workers: u32) {
    let (program, limits) = pool(workers);
    let compiled = Compiled::new(&program).expect("compiles");
    let root = MachineId::from_index(1);
    let start = std::time::Instant::now();
    let x = explore(&program, &compiled, root, limits);
    let seconds = start.elapsed().as_secs_f64();
    assert!(x.complete());
    eprintln!(
        "pool of {workers}: {} configurations, {} moves, {} lookups; {} bytes, {:.1} bytes per configuration; {:.2} million configurations per second",
        x.configs,
        x.moves,
        x.lookups,
        x.bytes(),
        x.bytes() as f64 / x.configs as f64,
        x.configs as f64 / seconds / 1e6
    );
}

/// The pool of 6, 7 and 8 workers.
#[divan::bench(sample_count = 3, args = [6, 7, 8])]
fn machine_pool(bencher: Bencher, workers: u32) {
    report(workers);
    bench_pool(bencher, workers, 1);
}

/// Explores the pool of `workers` on `threads` threads, counting configurations stored.
fn bench_pool(bencher: Bencher, workers: u32, threads: usize) {
    let (program, limits) = pool(workers);
    let limits = Limits { threads, ..limits };
    let compiled = Compiled::new(&program).expect("compiles");
    let root = MachineId::from_index(1);
    let configs = explore(&program, &compiled, root, limits).configs;
    bencher
        .counter(ItemsCount::new(configs))
        .bench(|| explore(&program, &compiled, root, limits).configs);
}

/// The pool of 7 workers explored on 1 and 2 threads (`Limits::threads`): the same
/// configurations, those whose moves are remembered made ahead on the threads.
#[divan::bench(sample_count = 3, args = [1, 2])]
fn machine_pool_7_threads(bencher: Bencher, threads: usize) {
    bench_pool(bencher, 7, threads);
}
