//! The async runtime's threads (the watches' decoding, the metrics reader, requests) run at a
//! lower priority than the loop answering keys once the first lists are in: while they load,
//! their decoding is what the user waits for; after, on a busy machine, a key typed is answered
//! before they take their turn.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The nice value the runtime's threads are given once the first lists are in.
const WORKERS_NICE: i32 = 5;

/// The runtime's threads alive (Linux thread ids).
static WORKERS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Whether the runtime's threads were lowered: a thread started since is lowered as it starts.
static LOWERED: AtomicBool = AtomicBool::new(false);

/// Notes the calling thread as one of the runtime's (`on_thread_start`).
pub fn worker_started() {
    let thread = this_thread();
    WORKERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(thread);
    if lowered() {
        lower(thread);
    }
}

/// Forgets the calling thread (`on_thread_stop`).
pub fn worker_stopped() {
    let thread = this_thread();
    WORKERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .retain(|worker| *worker != thread);
}

/// Whether the runtime's threads were lowered.
pub fn lowered() -> bool {
    LOWERED.load(Ordering::SeqCst)
}

/// Lowers the runtime's threads, those alive and those to come (once; a thread's nice value is
/// not raised again without privileges).
pub fn lower_workers() {
    if LOWERED.swap(true, Ordering::SeqCst) {
        return;
    }
    for worker in WORKERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
    {
        lower(*worker);
    }
}

/// Gives the calling thread the runtime's threads' lowered priority (a thread of the runtime's
/// own that is not one of the async runtime's).
pub fn lower_this_thread() {
    lower(this_thread());
}

#[cfg(target_os = "linux")]
fn this_thread() -> i32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::gettid() }
}

#[cfg(not(target_os = "linux"))]
fn this_thread() -> i32 {
    0
}

/// Gives the thread `thread` the nice value `WORKERS_NICE` (Linux sets it per thread);
/// elsewhere, and where the system refuses, the thread keeps its priority.
fn lower(thread: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; `who` is a thread of this process.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, WORKERS_NICE);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = thread;
}
