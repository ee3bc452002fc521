use std::process::ExitCode;

fn main() -> ExitCode {
    kscope::cli::main()
}
