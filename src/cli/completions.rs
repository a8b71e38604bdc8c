//! `rolecall completions SHELL` and `rolecall man`: shell completion
//! scripts and the manual page, both made from the clap definitions.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, CommandFactory, ValueEnum};

use super::{Cli, EXIT_OK, EXIT_USAGE};
use crate::load::discover::io_reason;

/// Arguments of `rolecall completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells completions are made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(generator, &mut Cli::command(), "rolecall", &mut out);
    out
}

/// Arguments of `rolecall man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `rolecall.1` and one page per subcommand (`rolecall-check.1`, ...) into DIR.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// The manual pages, in roff: `rolecall.1` first, then one per subcommand.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let command = Cli::command();
    let mut pages = vec![("rolecall.1".to_owned(), render(command.clone()))];
    for sub in command.get_subcommands() {
        let name = format!("rolecall-{}", sub.get_name());
        let page = sub
            .clone()
            .bin_name(format!("rolecall {}", sub.get_name()))
            .display_name(name.clone())
            .version(env!("CARGO_PKG_VERSION"));
        pages.push((format!("{name}.1"), render(page)));
    }
    pages
}

fn render(command: clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    // Rendering into memory cannot fail for want of space.
    let _ = clap_mangen::Man::new(command).render(&mut out);
    out
}

/// Runs `completions`; returns the exit code.
pub fn run(args: &CompletionsArgs) -> u8 {
    print(&script(args.shell))
}

/// Runs `man`: prints `rolecall.1`, or writes every page into `--out-dir`;
/// returns the exit code.
pub fn man(args: &ManArgs) -> u8 {
    let pages = man_pages();
    let Some(dir) = &args.out_dir else {
        return pages.first().map_or(EXIT_USAGE, |(_, page)| print(page));
    };
    if let Err(error) = std::fs::create_dir_all(dir) {
        eprintln!(
            "error: cannot create `{}`: {}",
            dir.display(),
            io_reason(&error)
        );
        return EXIT_USAGE;
    }
    for (name, page) in &pages {
        let target = dir.join(name);
        if let Err(error) = super::atomic::write_atomically(&target, page) {
            eprintln!(
                "error: cannot write `{}`: {}",
                target.display(),
                io_reason(&error)
            );
            return EXIT_USAGE;
        }
    }
    EXIT_OK
}

fn print(bytes: &[u8]) -> u8 {
    match std::io::stdout().lock().write_all(bytes) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}
