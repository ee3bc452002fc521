//! Work over many objects spread over the machine's cores, its results in the objects' order
//! (so what is computed does not depend on how it was cut).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, Once, OnceLock, PoisonError};

/// The cores work is spread over (at most 8), read once: the standard library reads the
/// cgroup's quota files on every call, which was 4 % of the loop's time while a filter was
/// typed under churn (each frame filters in parts).
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(8)))
}

/// `map` over `items` cut in consecutive parts, one a core and none under `worth_a_thread`
/// items (below that a thread costs more than it saves), the parts' results laid end to end in
/// the items' order. The first part runs on the calling thread.
pub fn map_in_parts<T, R>(
    items: &[T],
    worth_a_thread: usize,
    map: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let parts = (items.len() / worth_a_thread.max(1)).clamp(1, cores());
    if parts == 1 {
        return map(items);
    }
    let part = items.len().div_ceil(parts);
    let map = &map;
    std::thread::scope(|scope| {
        let others: Vec<_> = items[part..]
            .chunks(part)
            .map(|chunk| scope.spawn(move || map(chunk)))
            .collect();
        let mut results = map(&items[..part]);
        for other in others {
            match other.join() {
                Ok(more) => results.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}

/// `work(part)` for each part in `0..parts`, the results in the parts' order. Each part is
/// claimed by whichever thread comes to it first: the calling thread, and helpers (one a core
/// besides it) started once and parked between jobs. A helper the system wakes late finds the
/// parts taken, and the caller waits only for a part a helper is in, never for a helper that
/// has not begun: under churn on two cores, a thread spawned for a keystroke's search began up
/// to 4 ms late, and the keystroke waited for it.
pub fn claim_parts<R: Send>(parts: usize, work: impl Fn(usize) -> R + Sync) -> Vec<R> {
    if parts <= 1 || cores() == 1 {
        return (0..parts).map(work).collect();
    }
    let slots: Vec<Mutex<Option<R>>> = (0..parts).map(|_| Mutex::new(None)).collect();
    let run = |part: usize| {
        let result = work(part);
        *slots[part].lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
    };
    let run: &(dyn Fn(usize) + Sync) = &run;
    // SAFETY: only the lifetime is erased. `run` is called for a part claimed below `parts`
    // only, and this function returns once every such part is done (`done` reaches `parts`),
    // so no helper calls it after the borrow ends; a helper that comes later claims nothing.
    let run: *const (dyn Fn(usize) + Sync + 'static) = unsafe { std::mem::transmute(run) };
    let job = Arc::new(Job {
        next: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
        parts,
        run,
        caller: std::thread::current(),
        panicked: AtomicBool::new(false),
    });
    let helpers = helpers();
    {
        let mut jobs = helpers.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        // Jobs their callers did whole are let go here too, should no helper have started.
        drop_claimed(&mut jobs);
        jobs.push_back(job.clone());
    }
    helpers.waiting.notify_all();
    job.work();
    while job.done.load(Ordering::Acquire) < parts {
        std::thread::park();
    }
    if job.panicked.load(Ordering::Acquire) {
        panic!("a part of the work panicked");
    }
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(PoisonError::into_inner)
                .expect("every part is done")
        })
        .collect()
}

/// One `claim_parts` call's parts, shared with the helpers.
struct Job {
    /// The next part to claim.
    next: AtomicUsize,
    /// How many parts are done.
    done: AtomicUsize,
    parts: usize,
    /// A part's work, borrowed from the caller (see `claim_parts`).
    run: *const (dyn Fn(usize) + Sync),
    /// Woken when the last part is done.
    caller: std::thread::Thread,
    /// Whether a part's work panicked (it is counted done; the caller panics once all are).
    panicked: AtomicBool,
}

// SAFETY: `run` points at a `Sync` closure, called only as `claim_parts` allows.
unsafe impl Send for Job {}
// SAFETY: as above; every other field is shared through atomics or is `Sync`.
unsafe impl Sync for Job {}

impl Job {
    /// Claims parts and does them until none is left.
    fn work(&self) {
        loop {
            let part = self.next.fetch_add(1, Ordering::AcqRel);
            if part >= self.parts {
                return;
            }
            // SAFETY: the part is claimed below `parts`, so the caller is still waiting.
            let run = unsafe { &*self.run };
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(part))).is_err() {
                self.panicked.store(true, Ordering::Release);
            }
            if self.done.fetch_add(1, Ordering::AcqRel) + 1 == self.parts {
                self.caller.unpark();
            }
        }
    }

    fn claimed(&self) -> bool {
        self.next.load(Ordering::Acquire) >= self.parts
    }
}

/// The jobs with parts left, and the helpers parked until there is one.
struct Helpers {
    jobs: Mutex<VecDeque<Arc<Job>>>,
    waiting: Condvar,
}

/// The helpers, started on first use.
fn helpers() -> &'static Helpers {
    static HELPERS: OnceLock<Helpers> = OnceLock::new();
    static STARTED: Once = Once::new();
    let helpers = HELPERS.get_or_init(|| Helpers {
        jobs: Mutex::new(VecDeque::new()),
        waiting: Condvar::new(),
    });
    STARTED.call_once(|| {
        for number in 1..cores() {
            // A helper that cannot be started leaves its parts to the caller.
            let _ = std::thread::Builder::new()
                .name(format!("helper-{number}"))
                .spawn(move || help(helpers));
        }
    });
    helpers
}

/// Lets go of the jobs at the front whose parts are all claimed.
fn drop_claimed(jobs: &mut VecDeque<Arc<Job>>) {
    while jobs.front().is_some_and(|job| job.claimed()) {
        jobs.pop_front();
    }
}

/// A helper's life: the first job with parts left, worked until they are claimed.
fn help(helpers: &Helpers) {
    loop {
        let job = {
            let mut jobs = helpers.jobs.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                drop_claimed(&mut jobs);
                if let Some(job) = jobs.front() {
                    break job.clone();
                }
                jobs = helpers
                    .waiting
                    .wait(jobs)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        job.work();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claimed_parts_come_back_in_order_whoever_did_them() {
        for parts in [0, 1, 2, 3, 13, 200] {
            let items: Vec<usize> = (0..parts * 100).collect();
            let sums = claim_parts(parts, |part| {
                items[part * 100..][..100].iter().sum::<usize>()
            });
            let expected: Vec<usize> = (0..parts)
                .map(|part| (part * 100..part * 100 + 100).sum())
                .collect();
            assert_eq!(sums, expected);
        }
    }

    #[test]
    fn callers_on_several_threads_each_get_their_own_parts() {
        std::thread::scope(|threads| {
            for caller in 0..4usize {
                threads.spawn(move || {
                    for round in 0..50 {
                        let got = claim_parts(7, |part| (caller, round, part));
                        let expected: Vec<_> = (0..7).map(|part| (caller, round, part)).collect();
                        assert_eq!(got, expected);
                    }
                });
            }
        });
    }

    #[test]
    fn a_part_that_panics_panics_the_caller_once_every_part_is_done() {
        let done = AtomicUsize::new(0);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            claim_parts(9, |part| {
                if part == 4 {
                    panic!("part 4");
                }
                done.fetch_add(1, Ordering::SeqCst);
            })
        }));
        assert!(outcome.is_err());
        assert_eq!(done.load(Ordering::SeqCst), 8);
    }

    #[test]
    fn results_keep_the_items_order_however_they_are_cut() {
        let items: Vec<usize> = (0..10_000).collect();
        let doubled = |part: &[usize]| part.iter().map(|i| i * 2).collect::<Vec<_>>();
        let expected: Vec<usize> = (0..10_000).map(|i| i * 2).collect();
        for worth in [1, 7, 1_000, 20_000] {
            assert_eq!(map_in_parts(&items, worth, doubled), expected);
        }
        assert!(map_in_parts(&[] as &[usize], 1, doubled).is_empty());
    }
}
