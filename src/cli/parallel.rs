//! Work on many items at once, results in item order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

/// Runs `work` on every item, on up to `threads` threads, and hands each result to `sink` in the
/// order of `items`, as soon as it and every result before it are ready. With one thread (or one
/// item) everything runs on the calling thread.
///
/// The threads take the next item from a shared counter, so a slow item holds up only the output
/// after it, not the work.
pub fn ordered<T, R>(
    items: Vec<T>,
    threads: usize,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R),
) where
    T: Send,
    R: Send,
{
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        for item in items {
            sink(work(item));
        }
        return;
    }
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let next = AtomicUsize::new(0);
    let (slots, next, work) = (&slots, &next, &work);
    std::thread::scope(|scope| {
        // Bounded, so the threads do not run far ahead of a slow sink.
        let (sender, receiver) = mpsc::sync_channel::<(usize, R)>(threads * 2);
        let mut workers = Vec::with_capacity(threads);
        for _ in 0..threads {
            let sender = sender.clone();
            workers.push(scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(slot) = slots.get(index) else {
                        break;
                    };
                    let item = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
                    if let Some(item) = item
                        && sender.send((index, work(item))).is_err()
                    {
                        break;
                    }
                }
            }));
        }
        drop(sender);
        let mut waiting = BTreeMap::new();
        let mut expected = 0;
        for (index, result) in receiver {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&expected) {
                sink(result);
                expected += 1;
            }
        }
        // A worker only panics on a bug in wfl: its panic goes on here, with its own message
        // (the scope would replace it with "a scoped thread panicked").
        for worker in workers {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_whatever_the_threads() {
        for threads in [1, 2, 3, 8] {
            let items: Vec<u64> = (0..200).collect();
            let mut seen = Vec::new();
            ordered(
                items,
                threads,
                |i| {
                    // Uneven work, so threads finish out of order.
                    if i % 7 == 0 {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    i * 2
                },
                |r| seen.push(r),
            );
            assert_eq!(
                seen,
                (0..200).map(|i| i * 2).collect::<Vec<_>>(),
                "{threads} threads"
            );
        }
        let mut none = Vec::new();
        ordered(Vec::<u8>::new(), 4, |i| i, |r| none.push(r));
        assert!(none.is_empty());
    }

    #[test]
    fn a_worker_panic_reaches_the_caller_with_its_message() {
        let result = std::panic::catch_unwind(|| {
            ordered(
                (0..50).collect(),
                3,
                |i: u32| {
                    assert!(i != 7, "bug on item {i}");
                    i
                },
                |_| {},
            );
        });
        let panic = result.expect_err("the panic is not swallowed");
        let message = panic.downcast_ref::<String>().map(String::as_str);
        assert_eq!(message, Some("bug on item 7"));
    }
}
