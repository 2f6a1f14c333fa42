//! Every pass of `wfl check` is linear or n·log n in its input (issue 20). Each worst case found
//! for a pass (`benches/hostile_inputs.rs`) is checked at n and 10·n bytes, and the larger may take
//! at most 30 times as long as the smaller: a quadratic pass takes 100 times. Each size is timed
//! as the best of several runs, in CPU time, so that a loaded machine cannot make it fail.
//! `cargo bench --bench hostile` measures the same cases at 64 KB in release.

#[path = "../benches/hostile_inputs.rs"]
mod hostile_inputs;

use std::time::Duration;

/// The smaller size, in bytes.
const SMALL: usize = 4_000;
/// How much longer ten times the input may take.
const MAX_RATIO: f64 = 30.0;

/// The CPU time `f` takes on this thread. Wall-clock time would not do: on a machine with more
/// runnable threads than cores, a run shorter than a time slice often finishes before it is
/// preempted while a longer one never does, so the longer looks slower than it is.
#[cfg(unix)]
fn cpu_time(f: impl FnOnce()) -> Duration {
    fn now() -> Duration {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `clock_gettime` only writes the `timespec` it is given, which outlives the call.
        let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
        assert_eq!(status, 0, "the thread's CPU clock can be read");
        let secs = u64::try_from(t.tv_sec).unwrap_or(0);
        let nanos = u32::try_from(t.tv_nsec).unwrap_or(0);
        Duration::new(secs, nanos)
    }
    let start = now();
    f();
    now().saturating_sub(start)
}

/// Elsewhere, wall-clock time.
#[cfg(not(unix))]
fn cpu_time(f: impl FnOnce()) -> Duration {
    let start = std::time::Instant::now();
    f();
    start.elapsed()
}

/// The shortest of `runs` runs of `f`.
fn best_of(runs: usize, f: impl Fn()) -> Duration {
    (0..runs).map(|_| cpu_time(&f)).min().unwrap_or_default()
}

/// How much longer `run` takes on ten times the input.
fn growth(small: &str, large: &str, run: impl Fn(&str)) -> (Duration, Duration, f64) {
    let t_small = best_of(5, || run(small));
    let t_large = best_of(3, || run(large));
    let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-6);
    (t_small, t_large, ratio)
}

#[test]
fn every_pass_is_linear_in_the_worst_inputs_found() {
    for &(name, generate) in hostile_inputs::CASES {
        let small = generate(SMALL);
        let large = generate(SMALL * 10);
        let (t_small, t_large, ratio) = growth(&small, &large, |text| {
            wfl::check_text(text);
        });
        assert!(
            ratio < MAX_RATIO,
            "{name}: {} bytes took {t_small:?}, {} bytes {t_large:?}: {ratio:.0} times as long",
            small.len(),
            large.len()
        );
    }
}

/// Reading a broken statement again to say what was expected is fine; reading it again for every
/// statement a run of statements could still hold is not (pest unrolls `{1, n}` that way).
#[test]
fn a_broken_statement_costs_a_few_good_ones() {
    let broken = hostile_inputs::broken_and_chain(200_000);
    let good = broken.replacen(" and\n}", "\n}", 1);
    assert_ne!(good, broken);
    let (t_good, t_broken, ratio) = growth(&good, &broken, |text| {
        wfl::syntax::parse(text);
    });
    assert!(
        ratio < 8.0,
        "a valid 200 KB statement parses in {t_good:?}, broken in {t_broken:?}: {ratio:.0} times as long"
    );
}

/// `n` machine kinds, each with a group of the next (the last of none, or, for a ring, of the
/// first): `wfl check` explores each as the root of a world.
fn kinds(n: usize, ring: bool) -> String {
    let mut text = String::with_capacity(n * 90);
    for i in 0..n {
        text.push_str(&format!("machine m{i} {{\n"));
        if i + 1 < n || ring {
            text.push_str(&format!("  children c: m{}\n", (i + 1) % n));
        }
        text.push_str("  initial -> A\n  state A, B\n  A -> B on go\n  B -> A on back\n}\n\n");
    }
    text
}

/// What is known of every machine kind is worked out once per program, without recursion: the
/// worlds of a chain (or a ring) of 30 000 kinds are sized on a 1 MiB stack, and ten times the
/// kinds take about ten times as long, not a hundred.
#[test]
fn a_chain_of_machine_kinds_costs_its_length_and_no_deep_stack() {
    for ring in [false, true] {
        let text = kinds(30_000, ring);
        let notes = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || wfl::check_text(&text).diagnostics.len())
            .expect("a thread")
            .join()
            .expect("no stack overflow");
        // Each kind's world is too big to explore with two children per group but the last few.
        assert!(notes > 29_000, "ring {ring}: {notes} findings");
    }
    let (small, large) = (kinds(3_000, false), kinds(30_000, false));
    let (t_small, t_large, ratio) = growth(&small, &large, |text| {
        wfl::check_text(text);
    });
    assert!(
        ratio < MAX_RATIO,
        "3 000 kinds took {t_small:?}, 30 000 kinds {t_large:?}: {ratio:.0} times as long"
    );
}
