//! Writes a realistic, deterministic policy set for benchmarks and tests.
//!
//! ```sh
//! cargo run --release --example generate -- --profiles 10000 --members 10000 --seed 1 --out target/policy-sets/10k
//! ```

mod policy_set;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use policy_set::{Options, Platform};

/// Write a realistic, deterministic policy set for benchmarks and tests.
///
/// Profiles go in files of 50, each extending one
/// to three earlier profiles (at most 12 deep) and setting 10 to 40
/// permissions of every kind; members on teams with their own limits under
/// the organisation caps; comments, and a suppression with a reason wherever
/// a warning rule would fire. The set checks without a diagnostic and is
/// already formatted. The same arguments always write the same bytes.
#[derive(Debug, Parser)]
#[command(name = "generate")]
struct Args {
    /// Platform of the set (Amplemarket has no custom profiles: members only).
    #[arg(long, value_enum, default_value_t = Platform::Apollo)]
    platform: Platform,
    /// Custom profiles to write [default: 1000 on apollo, 0 on amplemarket].
    #[arg(long, value_name = "N")]
    profiles: Option<usize>,
    /// Members to write [default: as many as profiles, at least 100].
    #[arg(long, value_name = "M")]
    members: Option<usize>,
    /// Seed of the random choices.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Directory to write into; created when missing, refused when not empty.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Write into a non-empty directory, first removing the `rolecall.yaml`,
    /// `org.perm`, `profiles/` and `members/` that a previous run left there.
    #[arg(long)]
    force: bool,
}

/// The largest set written: beyond it, memory rather than the policy is measured.
const MAX_ITEMS: usize = 2_000_000;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let profiles = args.profiles.unwrap_or(match args.platform {
        Platform::Apollo => 1000,
        Platform::Amplemarket => 0,
    });
    let members = args.members.unwrap_or(profiles.max(100));
    if profiles > MAX_ITEMS || members > MAX_ITEMS {
        return Err(format!(
            "at most {MAX_ITEMS} profiles and {MAX_ITEMS} members can be generated"
        ));
    }
    let options = Options {
        platform: args.platform,
        profiles,
        members,
        seed: args.seed,
    };
    let files = policy_set::generate(&options)?;
    prepare(&args.out, args.force)?;
    let mut bytes = 0;
    for file in &files {
        let path = args.out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        std::fs::write(&path, &file.text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        bytes += file.text.len();
    }
    println!(
        "wrote {} files ({bytes} bytes, {profiles} profiles, {members} members) to {}",
        files.len(),
        args.out.display()
    );
    Ok(())
}

/// Makes sure `out` is an empty directory, clearing a previous set under `--force`.
fn prepare(out: &Path, force: bool) -> Result<(), String> {
    let shown = out.display();
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_none() {
                return Ok(());
            }
            if !force {
                return Err(format!(
                    "`{shown}` is not empty; pass --force to replace the set generated there"
                ));
            }
            for name in ["rolecall.yaml", "org.perm"] {
                let path = out.join(name);
                if path.is_file() {
                    std::fs::remove_file(&path)
                        .map_err(|e| format!("cannot remove `{}`: {e}", path.display()))?;
                }
            }
            for name in ["profiles", "members"] {
                let path = out.join(name);
                if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                        .map_err(|e| format!("cannot remove `{}`: {e}", path.display()))?;
                }
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(out).map_err(|e| format!("cannot create `{shown}`: {e}"))
        }
        Err(e) if out.is_file() => Err(format!("`{shown}` is a file, not a directory: {e}")),
        Err(e) => Err(format!("cannot read `{shown}`: {e}")),
    }
}
