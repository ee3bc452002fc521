//! Memory given back to the system after the bursts that need much of it for a moment: the
//! first list of tens of thousands of pods, decoded on the watch tasks while the loop takes
//! them in, and each metrics.k8s.io answer (16.7 MB of PodMetrics at 50,000 pods).
//!
//! The binary allocates with mimalloc (`main.rs`): a heap per thread, so the watch tasks and
//! the loop never wait on one another's lock (glibc's arenas cost a third of the load's CPU at
//! 51,539 pods, much of it in contention and consolidation). mimalloc returns freed pages on
//! its own after a short delay; after a burst the loop asks it to do so at once, and for the
//! threads' abandoned pages too.

/// Returns free pages to the system (after a burst has been taken in and freed).
pub fn give_back() {
    // SAFETY: mi_collect only frees memory the allocator holds unused; it has no
    // preconditions. Where mimalloc is not the global allocator (the library's tests) its
    // heaps are empty and it does nothing.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
