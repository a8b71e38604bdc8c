//! `rolecall lsp`: the language server, for editors.

use clap::Args;

use super::{EXIT_OK, EXIT_USAGE};

/// Arguments of `rolecall lsp`.
#[derive(Debug, Args)]
pub struct LspArgs {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

/// Runs the server until the editor exits; returns the exit code.
pub fn run(_args: &LspArgs) -> u8 {
    match crate::lsp::serve_stdio() {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("rolecall lsp: {error}");
            EXIT_USAGE
        }
    }
}
