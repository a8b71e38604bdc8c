//! Enforcing a compiled bundle from a Rust service.
//!
//! ```text
//! cargo run --example enforce                          # builds the Apollo example in memory
//! cargo run --example enforce -- bundle.json           # reads a bundle written by `rolecall build`
//! cargo run --example enforce -- bundle.json MEMBER PERMISSION
//! ```
//!
//! A service loads the bundle once, refuses it unless its revision digest
//! matches its content, then asks for a member's effective value at each
//! decision. Toggles read `allow`/`deny`, scopes and enums a level name,
//! limits an integer.

use std::error::Error;
use std::path::PathBuf;

use rolecall::backend::{Bundle, Value};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bundle = match args.first() {
        Some(file) => Bundle::from_json(&std::fs::read_to_string(file)?)?,
        None => {
            let example =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("policies/examples/apollo-acme");
            let text = rolecall::build_paths(&[example], None)?.to_json();
            Bundle::from_json(&text)?
        }
    };
    // Never enforce a bundle that was edited after it was built.
    bundle.verify()?;
    println!(
        "bundle {} for {} ({} profiles, {} members)",
        bundle.revision,
        bundle.platform,
        bundle.profiles.len(),
        bundle.members.len()
    );

    if let [_, member, permission] = args.as_slice() {
        match bundle.member_value(member, permission) {
            Some(value) => println!("{member}: {permission} = {value}"),
            None => return Err(format!("no member `{member}` or permission `{permission}`").into()),
        }
        return Ok(());
    }

    // The questions a sales tool asks before acting on a user's behalf.
    let allowed = |member: &str, permission: &str| {
        bundle.member_value(member, permission) == Some(Value::Level("allow".to_owned()))
    };
    for member in ["anna.kowalska@acme.com", "noah.weber@acme.com"] {
        if !bundle.members.contains_key(member) {
            continue;
        }
        let sends = bundle
            .member_value(member, "mailbox.sending_limit")
            .and_then(|v| v.as_limit())
            .unwrap_or(0);
        println!(
            "{member}: may export CSV: {}, may manage billing: {}, sends up to {sends} emails a day",
            allowed(member, "records.export_csv"),
            allowed(member, "billing.manage"),
        );
    }
    Ok(())
}
