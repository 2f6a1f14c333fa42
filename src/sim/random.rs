//! Random runs: failures drawn from each task's `failure_rate` with a seeded generator, counted
//! over many runs. Run `i` draws from its own stream derived from the seed and `i`, so the result
//! is the same for a seed whatever the machine and the number of threads.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use super::workflow::{Compiled, Inputs};
use crate::model::{TaskState, WorkflowState};

/// xoshiro256** seeded through SplitMix64: small, fast, and fixed here forever, so a seed means
/// the same runs in every version of wfl.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    /// The stream of run `run` of a random simulation with `seed`.
    pub fn for_run(seed: u64, run: u64) -> Rng {
        Rng::new(seed ^ run.wrapping_mul(0xD1B5_4A32_D192_ED03).rotate_left(17))
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// What many runs ended in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub runs: u64,
    pub seed: u64,
    /// Runs per workflow end state, indexed like `WorkflowState::ALL`.
    pub workflow: [u64; 5],
    /// Per task, runs per end state, indexed like `TaskState::ALL`.
    pub tasks: Vec<[u64; 9]>,
    /// Runs per number of ticks.
    pub ticks: BTreeMap<u64, u64>,
    /// Task evaluations over all runs.
    pub evaluations: u64,
}

impl Stats {
    fn merge(&mut self, other: Stats) {
        self.runs += other.runs;
        for (a, b) in self.workflow.iter_mut().zip(other.workflow) {
            *a += b;
        }
        if self.tasks.is_empty() {
            self.tasks = other.tasks;
        } else {
            for (a, b) in self.tasks.iter_mut().zip(other.tasks) {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
            }
        }
        for (ticks, n) in other.ticks {
            *self.ticks.entry(ticks).or_default() += n;
        }
        self.evaluations += other.evaluations;
    }

    pub fn mean_ticks(&self) -> f64 {
        if self.runs == 0 {
            return 0.0;
        }
        let total: f64 = self.ticks.iter().map(|(&t, &n)| t as f64 * n as f64).sum();
        total / self.runs as f64
    }

    /// The smallest tick count at or above which 5% of the runs ended (nearest rank).
    pub fn p95_ticks(&self) -> u64 {
        let rank = (self.runs * 95).div_ceil(100).max(1);
        let mut seen = 0;
        for (&ticks, &n) in &self.ticks {
            seen += n;
            if seen >= rank {
                return ticks;
            }
        }
        0
    }

    pub fn workflow_count(&self, state: WorkflowState) -> u64 {
        self.workflow[state as usize]
    }

    pub fn task_count(&self, task: usize, state: TaskState) -> u64 {
        self.tasks
            .get(task)
            .map_or(0, |counts| counts[state as usize])
    }
}

/// Runs `compiled` `runs` times with failures drawn at random (on top of `inputs`), on `threads`
/// threads; `progress` counts finished runs as they go.
pub fn simulate(
    compiled: &Compiled,
    inputs: &Inputs,
    runs: u64,
    seed: u64,
    threads: usize,
    progress: &AtomicU64,
) -> Stats {
    let mut total = Stats {
        seed,
        ..Stats::default()
    };
    for stats in in_batches(runs, threads, |range| {
        batch(compiled, inputs, seed, range, progress)
    }) {
        total.merge(stats);
    }
    total
}

/// Splits runs `0..runs` into one range of consecutive runs per thread (at most 256 threads),
/// runs `work` on each range on its own thread, and returns the results in range order.
///
/// A worker only panics on a bug in wfl. Its panic is raised again here, with its message, once
/// every worker has ended: counts with runs missing are never returned as if complete.
pub fn in_batches<R: Send>(
    runs: u64,
    threads: usize,
    work: impl Fn(std::ops::Range<u64>) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, 256) as u64;
    let per_thread = runs.div_ceil(threads);
    let work = &work;
    let joined: Vec<std::thread::Result<R>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|k| {
                let from = (k * per_thread).min(runs);
                let to = ((k + 1) * per_thread).min(runs);
                scope.spawn(move || work(from..to))
            })
            .collect();
        // Joined here, so the scope does not replace a worker's panic with its own.
        workers.into_iter().map(|worker| worker.join()).collect()
    });
    joined
        .into_iter()
        .map(|result| result.unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        .collect()
}

fn batch(
    compiled: &Compiled,
    inputs: &Inputs,
    seed: u64,
    runs: std::ops::Range<u64>,
    progress: &AtomicU64,
) -> Stats {
    let n = compiled.task_count();
    let mut stats = Stats {
        tasks: vec![[0; 9]; n],
        ..Stats::default()
    };
    let mut failures = vec![false; n];
    for (done, run) in runs.enumerate() {
        let mut rng = Rng::for_run(seed, run);
        for (t, fails) in failures.iter_mut().enumerate() {
            *fails = rng.next_f64() < compiled.failure_rate(t);
        }
        let outcome = compiled.run(inputs, &failures, None);
        stats.runs += 1;
        stats.workflow[outcome.workflow as usize] += 1;
        for (counts, state) in stats.tasks.iter_mut().zip(&outcome.tasks) {
            counts[*state as usize] += 1;
        }
        *stats.ticks.entry(outcome.ticks).or_default() += 1;
        stats.evaluations += outcome.evaluations;
        if done % 256 == 255 {
            progress.fetch_add(256, Ordering::Relaxed);
        }
    }
    progress.fetch_add(stats.runs % 256, Ordering::Relaxed);
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_fixed() {
        // xoshiro256** seeded by SplitMix64 (checked against an independent implementation).
        // These values are part of wfl's promise: a seed replays the same runs in every version.
        let mut rng = Rng::new(42);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                1546998764402558742,
                6990951692964543102,
                12544586762248559009
            ]
        );
        let x = Rng::new(7).next_f64();
        assert!((0.0..1.0).contains(&x));
    }

    #[test]
    fn batches_cover_every_run_once_in_order() {
        for threads in [1, 3, 8, 1000] {
            let ranges = in_batches(10, threads, |range| range);
            let runs: Vec<u64> = ranges.into_iter().flatten().collect();
            assert_eq!(runs, (0..10).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn a_worker_panic_is_raised_again_not_dropped() {
        let result = std::panic::catch_unwind(|| {
            in_batches(1000, 4, |range| {
                assert!(range.start != 500, "worker bug at run {}", range.start);
                range.end - range.start
            })
        });
        let panic = result.expect_err("the worker's panic reaches the caller");
        let message = panic.downcast_ref::<String>().map(String::as_str);
        assert_eq!(message, Some("worker bug at run 500"));
    }
}
