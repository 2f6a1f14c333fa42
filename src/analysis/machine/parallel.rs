//! The successors of the configurations next in line, made ahead on the other threads
//! ([`Limits::threads`](super::Limits::threads)) while the driver stores, with the same result
//! as on one thread.
//!
//! A configuration of a packed store whose every instance that receives events is remembered,
//! with its moves already in the memo ([`Local`]), is explored without the interpreter: what it
//! makes depends only on its packed form, on what is known of it ([`Known`], fixed when it was
//! stored), on the world's [`Shape`] and on the memo entries it reads, which never change once
//! made. So the configurations waiting are taken a range at a time, and while the driver
//! explores and stores those of one range, the other threads make what the configurations of
//! the next range make, each a contiguous part of it. They work from copies of those
//! configurations' packed forms and of what is known of them, and share the shape and the memo;
//! the driver adds to the memo only once they are done ([`Driver::memo`]), so a memo entry made
//! since they started is one they did not see, never one that changed under them.
//!
//! The driver explores the configurations in order as it does on one thread: for each, it takes
//! what was made ahead (putting its anchors after those of the batch), or, when the
//! configuration needs the interpreter or a memo entry made since, explores it itself
//! ([`Driver::explore_one`]). Every configuration gets the successors, the moves, the work and
//! the records it gets on one thread, in the same order: the bounds stop at the same
//! configuration, and the numbers, parents, moves and witnesses are the same.
//!
//! What is made ahead and not yet taken is not counted in `--max-memory` (that would make the
//! bound depend on the threads): it is at most twice [`AHEAD_MADE`] successors.

use super::driver::Driver;
use super::memo::{Known, Local};
use super::space::{Shape, Space};
use super::successors::{Anchor, Explored, Made, Successors, skipped_bits};
use std::cell::Cell;
use std::ops::Range;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Configurations made ahead per thread at a time: enough that starting a thread pays.
const AHEAD_PER_THREAD: usize = 4096;

/// Configurations made ahead at most at a time, whatever the threads.
const AHEAD_MOST: usize = 1 << 14;

/// Successors made ahead at most at a time, whatever the threads (64 bytes each with their
/// packed form: 4 MiB). The configurations of a part after its share are explored by the
/// driver.
const AHEAD_MADE: usize = 1 << 16;

/// Fewer configurations waiting than this are explored on one thread.
const AHEAD_LEAST: usize = 1024;

thread_local! {
    /// See [`make_ahead_eagerly`].
    static EAGER: Cell<bool> = const { Cell::new(false) };
}

/// For tests: from now on, the explorations run by this thread make the configurations ahead
/// however few wait, three per thread at a time, so that small explorations go through the
/// threads too, split in many places. Only how fast they go depends on it.
#[doc(hidden)]
pub fn make_ahead_eagerly() {
    EAGER.set(true);
}

/// What a configuration made ahead makes: where its successors and anchors are in
/// [`Ahead::made`] and [`Ahead::anchors`], what it explored, the moves tried and the work done.
#[derive(Clone)]
struct Done {
    explored: Explored,
    made: Range<u32>,
    anchors: Range<u32>,
    moves: u64,
    work: u64,
}

/// The range after the one being taken, made meanwhile, from configuration `start` on.
enum Next {
    /// Being made, a part by each of the first `helpers`.
    Running { start: usize, helpers: usize },
    /// Made: what each helper made of its part.
    Made { start: usize, parts: Vec<Part> },
}

/// The configurations made ahead: from `start` on, each one's [`Done`], or `None` when it needs
/// the interpreter; and the range after, being made.
#[derive(Default)]
pub(super) struct Ahead {
    start: usize,
    done: Vec<Option<Done>>,
    made: Vec<Made>,
    /// The packed successor of each of `made`.
    keys: Vec<u128>,
    anchors: Vec<Anchor>,
    /// Up to where the configurations are explored on one thread, after a range in which most
    /// needed the interpreter (making them ahead did not pay).
    alone_until: usize,
    next: Option<Next>,
    /// The threads that make configurations ahead, started when they are first needed.
    helpers: Vec<Helper<Work, Part>>,
}

impl Ahead {
    /// What configuration `from` makes, when it was made ahead.
    fn get(&self, from: usize) -> Option<&Done> {
        let k = from.checked_sub(self.start)?;
        self.done.get(k)?.as_ref()
    }

    /// Whether it holds configuration `from` (made ahead, or found to need the interpreter).
    fn holds(&self, from: usize) -> bool {
        (self.start..self.end()).contains(&from)
    }

    /// The first configuration after those it holds.
    fn end(&self) -> usize {
        self.start + self.done.len()
    }

    /// Waits for the threads making the next range, if they run.
    fn wait(&mut self) {
        if let Some(Next::Running { start, helpers }) = self.next.take() {
            let parts = self.helpers[..helpers]
                .iter_mut()
                .map(Helper::take)
                .collect();
            self.next = Some(Next::Made { start, parts });
        }
    }

    /// Starts the helpers, up to `n` of them (fewer when a thread cannot be started).
    fn start_helpers(&mut self, n: usize) {
        while self.helpers.len() < n {
            match Helper::start(n + 1, |work: Work| work.make()) {
                Some(helper) => self.helpers.push(helper),
                None => break,
            }
        }
    }

    /// Drops what it holds and starts at configuration `from`, with what the threads made from
    /// there when they made the range that starts there: whether they did.
    fn restart(&mut self, from: usize) -> bool {
        self.done.clear();
        self.made.clear();
        self.keys.clear();
        self.anchors.clear();
        self.start = from;
        self.wait();
        match self.next.take() {
            Some(Next::Made { start, parts }) if start == from => {
                for part in parts {
                    self.append(part);
                }
                true
            }
            _ => false,
        }
    }

    /// Puts a thread's part after the parts before it, its indices moved past theirs.
    fn append(&mut self, part: Part) {
        let (made, anchors) = (self.made.len() as u32, self.anchors.len() as u32);
        let Part { done, successors } = part;
        self.done.extend(done.into_iter().map(|done| {
            done.map(|done| Done {
                made: done.made.start + made..done.made.end + made,
                anchors: done.anchors.start + anchors..done.anchors.end + anchors,
                ..done
            })
        }));
        self.made.extend(successors.made.into_iter().map(|m| Made {
            anchor: m.anchor.map(|a| a + anchors),
            ..m
        }));
        self.anchors.extend(successors.anchors);
        self.keys.extend(successors.keys.into_iter().flatten());
    }
}

/// The tables, read by the threads that look the first moves of the search for final states up
/// ([`super::final_search`]).
pub(super) struct Tables<'a, 'c>(pub(super) &'a Space<'c>);

// SAFETY: the one thing in a `Space` that is not `Sync` is the cursor (a `Cell`) that the
// parents and the moves kept (`Space::parent`, `Space::edges`) move when they are read. The
// other threads read only the store (its keys and its table), the shape and the memo
// (`Store::key`, `Store::find`, `Shape::skipped_key`, `Space::next_remembered`), never the
// parents or the moves kept, so only the thread that owns the `Space` ever touches the cursor;
// and nothing in the `Space` changes while they read it (the search for final states runs
// once the exploration is over, and its threads are done before it returns).
unsafe impl Sync for Tables<'_, '_> {}

impl<'a, 'c> Tables<'a, 'c> {
    /// The tables (a method, so that a thread's closure holds the whole `Tables`).
    pub(super) fn get(&self) -> &'a Space<'c> {
        self.0
    }
}

/// What one thread made of its part: [`Ahead`]'s lists, numbered from the part's start.
#[derive(Default)]
struct Part {
    done: Vec<Option<Done>>,
    successors: Successors,
}

/// What a thread makes a part from: the shape and the memo, shared, and, for each configuration
/// of the part from `start` on, its packed form (when the store keeps it packed) and what is
/// known of it.
struct Work {
    shape: Arc<Shape>,
    local: Arc<Local>,
    start: usize,
    configs: Vec<(Option<u128>, Known)>,
    /// Successors it makes at most.
    most: usize,
}

impl Driver<'_> {
    /// Explores configuration `from`: with what was made of it ahead, when there are several
    /// threads and the memo held its moves, else by [`Driver::explore_one`].
    pub(super) fn explore_next(&mut self, from: u32) {
        if self.limits.threads > 1 && !self.ahead.holds(from as usize) {
            self.make_ahead(from as usize);
        }
        if !self.take_ahead(from as usize) {
            self.explore_one(from);
        }
    }

    /// The memo, to add to: once the threads that read it are done.
    pub(super) fn memo(&mut self) -> &mut Local {
        self.ahead.wait();
        Arc::get_mut(&mut self.local)
            .expect("only the threads making a range ahead share the memo, and they are done")
    }

    /// Puts what configuration `from` made ahead in the batch, as [`Driver::explore_one`] would
    /// have; false when it was not made ahead.
    fn take_ahead(&mut self, from: usize) -> bool {
        let Some(done) = self.ahead.get(from) else {
            return false;
        };
        // Fetched ahead, on this core, for the lookups of the batch.
        for &key in &self.ahead.keys[done.made.start as usize..done.made.end as usize] {
            self.x.space.store.probe_key(key);
        }
        let successors = &mut self.successors;
        let first_anchor = successors.anchors.len() as u32;
        let source = successors.explored.len() as u32;
        successors.made.extend(
            self.ahead.made[done.made.start as usize..done.made.end as usize]
                .iter()
                .map(|&made| Made {
                    anchor: made.anchor.map(|a| first_anchor + (a - done.anchors.start)),
                    ..made
                }),
        );
        successors.anchors.extend(
            self.ahead.anchors[done.anchors.start as usize..done.anchors.end as usize]
                .iter()
                .map(|anchor| Anchor {
                    source,
                    ..anchor.clone()
                }),
        );
        successors.explored.push(Explored {
            end: successors.made.len() as u32,
            ..done.explored
        });
        self.x.moves += done.moves;
        self.x.work += done.work;
        true
    }

    /// Makes ahead the configurations waiting from `from` on: takes what the other threads made
    /// of them while the configurations before were stored, or, when they did not, makes them
    /// now on every thread (when there are enough of them and it paid last time). Then starts
    /// the other threads on the range after.
    fn make_ahead(&mut self, from: usize) {
        let eager = EAGER.get();
        let (per_thread, least) = if eager {
            (3, 1)
        } else {
            (AHEAD_PER_THREAD, AHEAD_LEAST)
        };
        let threads = self.limits.threads;
        if !self.ahead.restart(from) {
            let space = &self.x.space;
            let end = (space.parent.len()).min(from + (threads * per_thread).min(AHEAD_MOST));
            if end < from + least || from < self.ahead.alone_until || !space.store.is_packed() {
                return;
            }
            self.make_now(from..end, threads);
        }
        let (start, end) = (from, self.ahead.end());
        let needed_interpreter = self.ahead.done.iter().filter(|d| d.is_none()).count();
        if needed_interpreter * 2 > self.ahead.done.len() && !eager {
            // Most needed the interpreter: the next as many are explored on one thread.
            self.ahead.alone_until = end + (end - start);
            return;
        }
        self.ahead.start_helpers(threads - 1);
        let helpers = self.ahead.helpers.len();
        let after = (self.x.space.parent.len()).min(end + (helpers * per_thread).min(AHEAD_MOST));
        if helpers > 0 && after >= end + least {
            let works: Vec<Work> = self.parts(end..after, helpers).collect();
            let helpers = works.len();
            for (work, helper) in works.into_iter().zip(&self.ahead.helpers) {
                helper.give(work);
            }
            self.ahead.next = Some(Next::Running {
                start: end,
                helpers,
            });
        }
    }

    /// Makes the configurations `range` on `threads` threads, this one and the helpers, while
    /// they are all that happens; their parts go to [`Driver::ahead`].
    fn make_now(&mut self, range: Range<usize>, threads: usize) {
        self.ahead.start_helpers(threads - 1);
        let threads = self.ahead.helpers.len() + 1;
        let mut works = self.parts(range, threads).collect::<Vec<_>>().into_iter();
        let mine = works.next();
        let given = works.len();
        for (work, helper) in works.zip(&self.ahead.helpers) {
            helper.give(work);
        }
        if let Some(work) = mine {
            let part = work.make();
            self.ahead.append(part);
        }
        for k in 0..given {
            let part = self.ahead.helpers[k].take();
            self.ahead.append(part);
        }
    }

    /// The work of making `range` ahead, split in `threads` contiguous parts.
    fn parts(&self, range: Range<usize>, threads: usize) -> impl Iterator<Item = Work> + '_ {
        let per_thread = range.len().div_ceil(threads).max(1);
        let most = AHEAD_MADE / threads;
        let space = &self.x.space;
        range.clone().step_by(per_thread).map(move |start| {
            let end = (start + per_thread).min(range.end);
            let configs = (start..end)
                .map(|from| {
                    let key = space.store.key(from as u32);
                    (key, self.waiting.get(from).unwrap_or_default())
                })
                .collect();
            Work {
                shape: Arc::clone(&space.shape),
                local: Arc::clone(&self.local),
                start,
                configs,
                most,
            }
        })
    }
}

impl Work {
    /// Makes what the configurations of its part make from the memo alone, up to `most`
    /// successors.
    fn make(&self) -> Part {
        let mut out = Part::default();
        out.successors.keys = Some(Vec::new());
        let mut skip = vec![false; self.shape.local.len()];
        for (k, &(key, known)) in self.configs.iter().enumerate() {
            let done = if out.successors.made.len() < self.most {
                self.made_from_memo((self.start + k) as u32, (key, known), &mut skip, &mut out)
            } else {
                None
            };
            out.done.push(done);
        }
        out
    }

    /// What configuration `from`, packed as `key`, makes, when every instance that receives
    /// events in it is remembered and the memo holds its moves, as [`Driver::explore_one`]
    /// makes it; else `None`, and nothing added to `out`.
    fn made_from_memo(
        &self,
        from: u32,
        (key, known): (Option<u128>, Known),
        skip: &mut [bool],
        out: &mut Part,
    ) -> Option<Done> {
        // A configuration kept as bytes is explored by the driver.
        let key = key?;
        let (shape, local) = (&*self.shape, &*self.local);
        let successors = &mut out.successors;
        let (made, anchors) = (successors.made.len(), successors.anchors.len());
        let mut explored = Explored::start((from, Some(key)), known);
        let (mut moves, mut work) = (0, 0);
        shape.skipped_key(key, skip);
        explored.skipped = skipped_bits(skip);
        for (i, _) in skip.iter().enumerate().filter(|(_, skipped)| !**skipped) {
            let listed = shape.local[i]
                .as_ref()
                .and_then(|slot| local.lists.get(&slot.list_key(key)));
            let Some(&(start, len, tried)) = listed else {
                successors.made.truncate(made);
                successors.anchors.truncate(anchors);
                if let Some(keys) = &mut successors.keys {
                    keys.truncate(made);
                }
                return None;
            };
            // What a memo hit costs in [`Driver::explore_one`].
            moves += u64::from(tried);
            work += u64::from(len) + 1;
            if !explored.all_stored(i) {
                let outcomes = start as usize..(start + len) as usize;
                successors.remembered_packed(
                    (shape, None),
                    local,
                    (i, key),
                    outcomes,
                    &mut explored,
                );
            }
        }
        Some(Done {
            explored,
            made: made as u32..successors.made.len() as u32,
            anchors: anchors as u32..successors.anchors.len() as u32,
            moves,
            work,
        })
    }
}

/// How long a thread that waits for another (for a job, or for what it made) checks before it
/// sleeps, when there are no more threads than cores: waking a sleeping thread takes tens of
/// microseconds. A job takes a millisecond or more, so a helper woken for one loses little, and
/// checking longer only burns the core (2 ms: the same wall time, 1.08 to 1.15 times the CPU).
/// With more threads than cores, it sleeps at once (checking would keep the thread it waits for
/// from running).
const SPIN: Duration = Duration::from_micros(250);

/// A thread kept for the whole exploration, that runs the jobs given to it one after the other
/// and gives back what each made, in order: starting a thread for each job costs more than the
/// job gains on a two-core machine (the new thread often starts on the core of the one that
/// started it, and waits for it).
pub(super) struct Helper<J, R> {
    jobs: Option<Sender<J>>,
    made: Receiver<R>,
    /// How long it waits for what the thread made before it sleeps.
    spin: Duration,
    /// The thread, when it is not a scoped one.
    thread: Option<JoinHandle<()>>,
}

impl<J: Send, R: Send> Helper<J, R> {
    /// A thread that runs `run` on each job, one of `threads` working at once (this one
    /// counted); `None` when it cannot be started.
    pub(super) fn start(threads: usize, run: impl FnMut(J) -> R + Send + 'static) -> Option<Self>
    where
        J: 'static,
        R: 'static,
    {
        let (mut helper, serve) = Helper::wired(threads, run);
        let thread = std::thread::Builder::new().name("wfl-helper".into());
        helper.thread = Some(thread.spawn(serve).ok()?);
        Some(helper)
    }

    /// [`Helper::start`], the thread in `scope`.
    pub(super) fn start_in<'s>(
        scope: &'s std::thread::Scope<'s, '_>,
        threads: usize,
        run: impl FnMut(J) -> R + Send + 's,
    ) -> Option<Self>
    where
        J: 's,
        R: 's,
    {
        let (helper, serve) = Helper::wired(threads, run);
        let thread = std::thread::Builder::new().name("wfl-helper".into());
        thread.spawn_scoped(scope, serve).ok()?;
        Some(helper)
    }

    /// A helper without its thread yet, and what its thread is to run.
    fn wired<'s>(
        threads: usize,
        run: impl FnMut(J) -> R + Send + 's,
    ) -> (Self, impl FnOnce() + Send + 's)
    where
        J: 's,
        R: 's,
    {
        let (jobs, job) = mpsc::channel();
        let (done, made) = mpsc::channel();
        let spin = spin(threads);
        let helper = Helper {
            jobs: Some(jobs),
            made,
            spin,
            thread: None,
        };
        (helper, move || serve(&job, &done, run, spin))
    }

    /// Gives it a job.
    pub(super) fn give(&self, job: J) {
        if let Some(jobs) = &self.jobs {
            // It stops only when it panicked: `take` says so.
            let _ = jobs.send(job);
        }
    }

    /// What it made of the oldest job given and not yet taken, once it is made. Its panic goes
    /// on in this thread.
    pub(super) fn take(&mut self) -> R {
        match wait_for(|| self.made.try_recv(), self.spin) {
            Some(made) => made,
            None => match self.made.recv() {
                Ok(made) => made,
                Err(_) => {
                    self.jobs = None;
                    match self.thread.take().map(JoinHandle::join) {
                        Some(Err(panic)) => std::panic::resume_unwind(panic),
                        _ => panic!("a helper thread stopped"),
                    }
                }
            },
        }
    }
}

impl<J, R> Drop for Helper<J, R> {
    /// Tells the thread to stop, and waits for it when it is not a scoped one (whose scope
    /// waits for it).
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A helper's thread: runs the jobs until there are no more, each job dropped before what it
/// made is given back (so that what it shares is no longer shared then).
fn serve<J, R>(job: &Receiver<J>, done: &Sender<R>, mut run: impl FnMut(J) -> R, spin: Duration) {
    loop {
        let next = wait_for(|| job.try_recv(), spin).map_or_else(|| job.recv(), Ok);
        let Ok(next) = next else {
            return;
        };
        if done.send(run(next)).is_err() {
            return;
        }
    }
}

/// How long a thread, one of `threads` working at once, checks before it sleeps ([`SPIN`]).
fn spin(threads: usize) -> Duration {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if threads <= cores {
        SPIN
    } else {
        Duration::ZERO
    }
}

/// What `poll` gives within `spin`; `None` when it gave nothing, or said nothing ever will.
fn wait_for<T>(mut poll: impl FnMut() -> Result<T, TryRecvError>, spin: Duration) -> Option<T> {
    let started = Instant::now();
    loop {
        for _ in 0..64 {
            match poll() {
                Ok(made) => return Some(made),
                Err(TryRecvError::Disconnected) => return None,
                Err(TryRecvError::Empty) => std::hint::spin_loop(),
            }
        }
        if started.elapsed() >= spin {
            return None;
        }
        // Another thread that is ready runs meanwhile, when there is one on this core.
        std::thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::super::driver::{explore_bounded, explore_with};
    use super::super::{Exploration, Layers, Limits, Prepared, Stop, work_bound};
    use super::{Helper, make_ahead_eagerly};
    use crate::model::{MachineId, Program};
    use crate::sim::machine::Compiled;
    use std::fmt::Write;
    use std::sync::Arc;

    /// The pool of the analysis benchmark: remembered workers with an input (anchors).
    const POOL: &str = include_str!("../../../benches/pool.wfl");

    /// A parent that sends to its children and watches them (so it runs the interpreter) over
    /// remembered children with an input, history and a final state: configurations made ahead
    /// and configurations that need the interpreter side by side. A leaf that goes sets `n` to
    /// its last value: the anchor (`n` at 0) of a busy leaf is found after it.
    const MIXED: &str = "machine leaf {\n  input var n: int 0..2 = 0\n  initial -> A\n  state A, B, C\n\
                         A -> B on go { set n = 2 }\n  B -> C on go when n == 1\n  C -> history on undo\n  B -> A on back\n}\n\
                         machine top {\n  children leaves: leaf\n  var k: int 0..3 = 0\n  initial -> Open\n\
                         state Open\n  final state Closed\n\
                         Open -> Open on poke when k < 3 { set k = k + 1\n send back to leaves }\n\
                         Open -> Closed on close when all leaves in [C]\n}\n";

    /// Remembered workers that set `x` to its last value when they start: the anchor (`x` at 0)
    /// of a busy worker is found after it, and the other `set`s wait on it.
    const LATE: &str = "machine w {\n  input var x: int 0..2 = 0\n  initial -> Idle\n  state Idle, Busy, Done\n\
                        Idle -> Busy on go { set x = 2 }\n  Busy -> Done on finish when x == 1\n  Done -> Idle on again\n}\n\
                        machine pool {\n  children ws: w\n  input var n: int 0..1 = 0\n  initial -> Open\n  state Open, Paused\n\
                        final state Closed\n  Open -> Paused on pause\n  Paused -> Open on resume\n\
                        Open -> Closed on close when all ws in [Done]\n}\n";

    fn program(text: &str) -> Program {
        let checked = crate::check_text(text);
        assert!(!checked.diagnostics.iter().any(|d| d.is_error()));
        checked.program.expect("resolves")
    }

    /// Everything an exploration found and kept, in order: the bounds, the counts, the records
    /// with their witnesses, each configuration with its parent and combination, the moves kept
    /// and the memo.
    fn summary(x: &Exploration<'_>) -> String {
        let mut out = format!(
            "{:?} configs {} moves {} lookups {} work {}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n",
            x.stop,
            x.configs,
            x.moves,
            x.lookups,
            x.work,
            x.reached,
            x.taken,
            x.failures,
            x.shadows,
            x.unsent
        );
        let _ = writeln!(
            out,
            "{:?} {} {:?}",
            x.no_final, x.no_final_unknown, x.combos
        );
        for i in 0..x.configs as u32 {
            let space = &x.space;
            let (bytes, parent) = (space.get(i), space.parent_of(i));
            let _ = writeln!(out, "{bytes:?} {parent:?} {:?}", space.combo_of(i));
        }
        let lists = &x.space.lists;
        let mut memo: Vec<_> = lists.lists.iter().collect();
        memo.sort_unstable();
        let _ = write!(
            out,
            "{:?}\n{memo:?} {:?} {:?}",
            x.space.edges, lists.after, lists.sets
        );
        out
    }

    /// Explores `root` of `text` on 1, 2, 3 and 8 threads, configurations made ahead however
    /// few wait, within `limits` and `work`; the summaries must be one. Returns the first.
    fn same_whatever_the_threads(text: &str, root: usize, limits: Limits, work: u64) -> String {
        make_ahead_eagerly();
        let p = program(text);
        let c = Compiled::new(&p).expect("compiles");
        let prepared = Arc::new(Prepared::new(&p));
        let root = MachineId::from_index(root);
        let explore = |threads| {
            let limits = Limits { threads, ..limits };
            let prepared = Arc::clone(&prepared);
            let x = explore_bounded(&p, &c, root, limits, Layers::ALL, work, prepared);
            summary(&x)
        };
        let one = explore(1);
        for threads in [2, 3, 8] {
            assert!(explore(threads) == one, "{threads} threads differ from one");
        }
        one
    }

    fn limits(children: u32) -> Limits {
        Limits {
            children,
            max_states: 1 << 20,
            ..crate::analysis::machine_findings::DEFAULT_LIMITS
        }
    }

    /// A helper gives back what it made of each job in the order given, and its panic goes on
    /// in the thread that takes what it made.
    #[test]
    fn a_helper_gives_back_what_it_made_in_order_and_its_panic() {
        let mut helper = Helper::start(2, |n: u32| n * 2).expect("starts");
        for n in 0..5 {
            helper.give(n);
        }
        let made: Vec<u32> = (0..5).map(|_| helper.take()).collect();
        assert_eq!(made, [0, 2, 4, 6, 8]);
        let failing = |n: u32| if n == 1 { panic!("job 1") } else { n };
        let mut failing = Helper::start(2, failing).expect("starts");
        failing.give(0);
        failing.give(1);
        assert_eq!(failing.take(), 0);
        let take = std::panic::AssertUnwindSafe(|| failing.take());
        let panic = std::panic::catch_unwind(take).expect_err("the job's panic goes on");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"job 1"));
    }

    #[test]
    fn the_threads_change_nothing() {
        for (text, root, children) in [(POOL, 1, 3), (POOL, 1, 4), (MIXED, 1, 3), (LATE, 1, 4)] {
            let limits = limits(children);
            let found = same_whatever_the_threads(text, root, limits, work_bound(limits));
            assert!(found.starts_with("None"), "complete: {found:.80}");
        }
    }

    /// Configurations, memory and work: each bound stops it at the same place whatever the
    /// threads, halfway through.
    #[test]
    fn every_bound_stops_it_at_the_same_place_whatever_the_threads() {
        let (p, children) = (program(POOL), 4);
        let c = Compiled::new(&p).expect("compiles");
        let whole = explore_with(
            &p,
            &c,
            MachineId::from_index(1),
            limits(children),
            Layers::ALL,
        );
        let (configs, bytes, work) = (whole.configs, whole.bytes(), whole.work);
        let states = Limits {
            max_states: configs / 2,
            ..limits(children)
        };
        let memory = Limits {
            max_bytes: bytes / 2,
            ..limits(children)
        };
        let cases = [
            (states, work_bound(states), Stop::States),
            (memory, work_bound(memory), Stop::Memory),
            (limits(children), work / 2, Stop::Work),
        ];
        for (limits, work, stop) in cases {
            let found = same_whatever_the_threads(POOL, 1, limits, work);
            assert!(found.starts_with(&format!("Some({stop:?})")), "{found:.80}");
        }
    }
}
