//! Reads every `*.perm` file under the given paths and runs only pest's
//! recognition of the grammar on each, on one thread: the yardstick that
//! `benches/measure.sh` holds `rolecall check` against.
//!
//! ```sh
//! cargo run --release --example pest_parse -- policies/examples/apollo-acme
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let found = match rolecall::load::discover::policy_files(
        &rolecall::load::Disk,
        std::path::Path::new("/"),
        &paths,
    ) {
        Ok(found) => found,
        Err(error) => {
            eprintln!("error: {}", error.message);
            return ExitCode::from(2);
        }
    };
    let (mut bytes, mut rejected) = (0, 0);
    for file in &found {
        let text = match std::fs::read_to_string(&file.path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: cannot read `{}`: {error}", file.display);
                return ExitCode::from(2);
            }
        };
        bytes += text.len();
        if !rolecall::syntax::recognize(&text) {
            eprintln!("{}: does not parse", file.display);
            rejected += 1;
        }
    }
    println!(
        "recognised {} of {} files ({bytes} bytes)",
        found.len() - rejected,
        found.len()
    );
    if rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
