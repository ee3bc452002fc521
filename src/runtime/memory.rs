//! Memory given back to the system after the bursts that need much of it for a moment: the
//! first list of tens of thousands of pods, decoded on the watch tasks while the loop takes
//! them in, and each metrics.k8s.io answer (16.7 MB of PodMetrics at 50,000 pods).
//!
//! glibc's allocator keeps what such a burst freed for later, and after each large block freed
//! it raises the size from which a block gets its own mapping (up to 32 MiB), so the next large
//! answer lands in the heap, where freeing it returns nothing either. Measured with the release
//! binary, `kscope -A` against 51,539 pods: RSS 177 MB once loaded and 215 MB after a metrics
//! reading with glibc's defaults; 155 and 154 MB with the threshold fixed at 1 MiB.

/// Fixes glibc's mmap threshold (a block of 1 MiB or more is mapped on its own and unmapped
/// when freed). Called before the runtime's threads start.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's parameters; it is called before other
    // threads exist, and a refusal (0) leaves the defaults, which work too.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Returns the heap's free pages to the system (after a burst has been taken in and freed).
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's own arenas; it has no
    // preconditions and is safe to call from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
