//! Workflow interpreter throughput: `cargo bench --bench simulate`.
//!
//! The target is at least 5 million task evaluations per second on one core. Every
//! benchmark reports `Outcome::evaluations` as items, so divan's `item/s` column is that rate:
//!
//! - `run_generated`: one run of a generated workflow (100 000 tasks for the headline figure),
//!   compiled once outside the timed part;
//! - `run_generated_traced`: the same run recording its trace, as `wfl simulate` does;
//! - `run_layered`: one run of a wide workflow (layers of 1 000 tasks, each task waiting for two of
//!   the layer before, `max_parallel = 64`), where the queue and the running set stay large;
//! - `random_runs`: `wfl simulate --runs`-style runs of the generated 100-task workflow (failure
//!   rates of 0.01 on a third of its tasks), 10 000 runs per sample on one thread.

use std::fmt::Write;
use std::sync::atomic::AtomicU64;

use divan::Bencher;
use divan::counter::ItemsCount;
use wfl::sim::random::simulate;
use wfl::sim::workflow::{Compiled, Inputs};

#[path = "generate.rs"]
mod generate;

fn main() {
    divan::main();
}

/// The generated workflow of `tasks` tasks, checked and compiled.
fn compiled(tasks: usize) -> Compiled {
    compile(&generate::workflow(tasks))
}

/// `tasks` tasks in layers of `width`; task `i` of a layer waits for tasks `i` and `i + 1` of the
/// layer before (one normal link, one `at_least_one` error link now and then).
fn layered(tasks: usize, width: usize) -> String {
    let mut out = String::with_capacity(tasks * 60);
    out.push_str("workflow layered {\n  continue_on_failure = true\n  max_parallel = 64\n");
    for i in 0..tasks {
        let _ = writeln!(out, "  task t{i} {{ duration = {} }}", 1 + i % 4);
        if i >= width {
            let layer = i - i % width;
            let a = i - width;
            let b = layer - width + (i + 1) % width;
            let _ = writeln!(out, "  t{a} -> t{i}");
            let _ = writeln!(out, "  t{b} -> t{i}");
        }
    }
    out.push_str("}\n");
    out
}

fn compile(text: &str) -> Compiled {
    let checked = wfl::check_text(text);
    let program = checked.program.expect("the generated workflow parses");
    assert!(
        !checked.diagnostics.iter().any(|d| d.is_error()),
        "the generated workflow checks without errors"
    );
    let workflow = program.workflows.first().expect("one workflow");
    Compiled::new(workflow, &program).expect("the generated workflow compiles")
}

/// One deterministic run (no failures) of the generated workflow.
#[divan::bench(args = [1_000, 100_000], sample_count = 20, sample_size = 1)]
fn run_generated(bencher: Bencher, tasks: usize) {
    let compiled = compiled(tasks);
    let inputs = Inputs::default();
    let evaluations = compiled.run(&inputs, &[], None).evaluations;
    assert_eq!(evaluations, tasks as u64, "every task is evaluated once");
    bencher
        .counter(ItemsCount::new(evaluations))
        .bench(|| compiled.run(&inputs, &[], None));
}

/// The same run, recording every event.
#[divan::bench(args = [100_000], sample_count = 20, sample_size = 1)]
fn run_generated_traced(bencher: Bencher, tasks: usize) {
    let compiled = compiled(tasks);
    let inputs = Inputs::default();
    let evaluations = compiled.run(&inputs, &[], None).evaluations;
    bencher
        .counter(ItemsCount::new(evaluations))
        .with_inputs(|| Vec::with_capacity(8 * tasks))
        .bench_local_refs(|trace| compiled.run(&inputs, &[], Some(trace)));
}

/// One run of the wide workflow.
#[divan::bench(args = [100_000], sample_count = 20, sample_size = 1)]
fn run_layered(bencher: Bencher, tasks: usize) {
    let compiled = compile(&layered(tasks, 1_000));
    let inputs = Inputs::default();
    let evaluations = compiled.run(&inputs, &[], None).evaluations;
    assert_eq!(evaluations, tasks as u64, "every task is evaluated once");
    bencher
        .counter(ItemsCount::new(evaluations))
        .bench(|| compiled.run(&inputs, &[], None));
}

/// Random runs of the generated 100-task workflow on one thread, `runs` per sample.
#[divan::bench(args = [10_000], sample_count = 20, sample_size = 1)]
fn random_runs(bencher: Bencher, runs: u64) {
    let compiled = compiled(100);
    let inputs = Inputs::default();
    let progress = AtomicU64::new(0);
    let seed = 42;
    let evaluations = simulate(&compiled, &inputs, runs, seed, 1, &progress).evaluations;
    bencher
        .counter(ItemsCount::new(evaluations))
        .bench(|| simulate(&compiled, &inputs, runs, seed, 1, &progress));
}
