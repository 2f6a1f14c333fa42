//! `wfl check` throughput on generated specs: `cargo bench --bench check`.
//!
//! The headline case is a 10 MB workflow of 100 000 tasks (the target: at least 15 MB/s
//! end to end on one core, peak memory under 30 bytes per input byte; memory is measured with
//! `/usr/bin/time -v target/release/wfl check FILE`, see the README's performance notes).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use divan::Bencher;
use divan::counter::BytesCount;

#[path = "generate.rs"]
mod generate;

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let in_use = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(in_use, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    peak_memory(100_000);
    divan::main();
}

/// Peak heap in use while checking the 100 000-task spec, per byte of input (the input's own
/// bytes included), printed before the timings.
fn peak_memory(tasks: usize) {
    let text = generate::workflow(tasks);
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let checked = wfl::check_text(&text);
    let peak = PEAK.load(Ordering::Relaxed) - before + text.len();
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
