//! Threads' priorities: the work the screen does not wait for runs at a lower one than the
//! loop answering keys, and the simulator's controllers lower than the API they serve.

/// Gives the calling thread the nice value `nice` (Linux sets it per thread); elsewhere, and
/// where the system refuses, the thread keeps its priority.
pub fn lower_this_threads_priority(nice: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; `who` 0 is the calling thread on Linux.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, nice);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = nice;
}
