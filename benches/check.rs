//! `wfl check` throughput on generated specs: `cargo bench --bench check`.
//!
//! The headline case is a 10 MB workflow of 100 000 tasks (the target: at least 15 MB/s
//! end to end on one core, peak memory under 30 bytes per input byte; memory is measured with
//! `/usr/bin/time -v target/release/wfl check FILE`, see the README's performance notes).

use divan::Bencher;
use divan::counter::BytesCount;

#[path = "generate.rs"]
mod generate;

#[path = "counting.rs"]
mod counting;

fn main() {
    peak_memory(100_000);
    divan::main();
}

/// Peak heap in use while checking the 100 000-task spec, per byte of input (the input's own
/// bytes included), printed before the timings.
fn peak_memory(tasks: usize) {
    let text = generate::workflow(tasks);
    let mut checked = None;
    let peak = counting::peak_of(|| checked = Some(wfl::check_text(&text))) + text.len();
    drop(checked);
    println!(
        "peak heap checking {tasks} tasks ({:.1} MB): {:.1} MB = {:.1} bytes per input byte",
        text.len() as f64 / 1e6,
        peak as f64 / 1e6,
        peak as f64 / text.len() as f64
    );
}

/// Parse, resolve and check, as `wfl check` does, without rendering.
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 10, sample_size = 1)]
fn check_workflow(bencher: Bencher, tasks: usize) {
    let text = generate::workflow(tasks);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| wfl::check_text(&text));
}

/// The syntax stage alone: pre-scan, pest, lowering.
#[divan::bench(args = [100_000], sample_count = 10, sample_size = 1)]
fn parse_workflow(bencher: Bencher, tasks: usize) {
    let text = generate::workflow(tasks);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| wfl::syntax::parse(&text));
}
