//! The worst inputs found for each pass, at 64 KB: `cargo bench --bench hostile`.
//!
//! Issue 20's promise: no input up to 64 KB takes over a second to check on one core. Each case
//! (`hostile_inputs.rs`, where each says what it stresses) is checked as `wfl check` does, without
//! rendering; `tests/scaling.rs` checks that each stays linear in its size.

use divan::Bencher;
use divan::counter::BytesCount;

#[path = "hostile_inputs.rs"]
mod hostile_inputs;

fn main() {
    divan::main();
}

fn names() -> impl Iterator<Item = &'static str> {
    hostile_inputs::CASES.iter().map(|&(name, _)| name)
}

/// Parse, resolve and check one case of 64 KB.
#[divan::bench(args = names(), sample_count = 10, sample_size = 1)]
fn check_64_kb(bencher: Bencher, name: &str) {
    let Some(&(_, generate)) = hostile_inputs::CASES.iter().find(|&&(n, _)| n == name) else {
        return;
    };
    let text = generate(64 * 1024);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| wfl::check_text(&text));
}
