//! The `rolecall` command.

fn main() -> std::process::ExitCode {
    rolecall::cli::run(std::env::args_os())
}
