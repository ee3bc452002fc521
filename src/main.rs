use std::process::ExitCode;

// mimalloc: each thread allocates from its own heap, so the watch tasks decoding a 50,000-pod
// list and the loop taking it in do not queue on one arena lock, and freed pages go back to
// the system on their own (see `runtime::memory`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    kscope::cli::main()
}
