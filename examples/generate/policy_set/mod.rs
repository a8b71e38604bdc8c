//! Deterministic generation of realistic policy sets, for benchmarks and
//! tests: profiles in files of [`PROFILES_PER_FILE`], each extending one to
//! three earlier profiles (inheritance at most [`MAX_DEPTH`] deep) and
//! setting 10 to 40 permissions of every kind; members on teams with their
//! own limits under the organisation caps; comments, and a suppression with
//! a reason wherever a warning rule would otherwise fire, so that the set
//! checks without a diagnostic. The text is in `rolecall fmt`'s canonical
//! layout.
//!
//! The same [`Options`] always give the same bytes: every choice comes from
//! one ChaCha stream seeded with [`Options::seed`], and nothing iterates a
//! hash map.

mod members;
mod profiles;
mod render;
mod words;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rolecall::catalog::{self, Catalog, Kind, PermId};
use rolecall::diagnostics::Severity;
use rolecall::source::FileId;

/// Profiles per generated profile file.
pub const PROFILES_PER_FILE: usize = 50;

/// Members per generated member file.
pub const MEMBERS_PER_FILE: usize = 250;

/// Deepest inheritance chain below a built-in profile.
pub const MAX_DEPTH: u8 = 12;

/// A platform the generator writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    /// Apollo: custom profiles, members and a mailbox cap.
    Apollo,
    /// Amplemarket: its two built-in roles, members and their limits.
    Amplemarket,
}

impl Platform {
    /// The platform's name in policy files.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Apollo => "apollo",
            Platform::Amplemarket => "amplemarket",
        }
    }
}

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The platform of the set.
    pub platform: Platform,
    /// Custom profiles (none on Amplemarket, which has no custom profiles).
    pub profiles: usize,
    /// Members.
    pub members: usize,
    /// Seed of the random choices.
    pub seed: u64,
}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// Path relative to the set's root, with `/` separators.
    pub path: String,
    /// Contents.
    pub text: String,
}

/// Generates the policy set described by `options`.
pub fn generate(options: &Options) -> Result<Vec<File>, String> {
    let platform = options.platform.name();
    let catalog = catalog::builtin(platform)
        .ok_or_else(|| format!("the built-in catalog of `{platform}` does not load"))?;
    if options.profiles > 0 && !catalog.custom_profiles {
        return Err(format!(
            "`{platform}` has no custom profiles, so --profiles must be 0"
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let caps = caps(&catalog, &mut rng);
    let command = format!(
        "cargo run --release --example generate -- --platform {platform} --profiles {} --members {} --seed {}",
        options.profiles, options.members, options.seed
    );
    let org = render::org(&catalog, &caps, &command);
    let builtins = builtin_values(&catalog, &org)?;
    let mut dag = profiles::Dag::new(&catalog, &caps, builtins);
    for index in 0..options.profiles {
        dag.add(index, &mut rng);
    }
    let plan = members::plan(&mut dag, options.members, &mut rng);
    let mut files = vec![
        File {
            path: "rolecall.yaml".to_owned(),
            text: render::config(&catalog, options, plan.min_admins),
        },
        File {
            path: "org.perm".to_owned(),
            text: org,
        },
    ];
    let chunks = dag.drafts.chunks(PROFILES_PER_FILE).enumerate();
    for (i, chunk) in chunks {
        files.push(File {
            path: format!("profiles/profiles-{:05}.perm", i + 1),
            text: render::profiles(&dag, chunk, i * PROFILES_PER_FILE, options, &command),
        });
    }
    for (i, chunk) in plan.members.chunks(MEMBERS_PER_FILE).enumerate() {
        files.push(File {
            path: format!("members/members-{:05}.perm", i + 1),
            text: render::members(&dag.catalog, chunk, &command),
        });
    }
    Ok(files)
}

/// The organisation cap of every limit-kind permission, in catalog order.
fn caps(catalog: &Catalog, rng: &mut ChaCha8Rng) -> Vec<(PermId, u64)> {
    catalog
        .iter()
        .filter(|(_, p)| p.kind == Kind::Limit)
        .map(|(id, p)| {
            let choices: &[u64] = if p.default == 0 {
                &[200, 300, 400, 500, 800]
            } else {
                &[250, 300, 400, 450, 500, 600, 750]
            };
            (id, *pick(rng, choices))
        })
        .collect()
}

/// Effective values of the built-in profiles under the generated caps, in
/// prelude order, as the library resolves them.
fn builtin_values(catalog: &Catalog, org: &str) -> Result<Vec<(String, Vec<u64>)>, String> {
    let parse = |id: u32, text: &str| {
        rolecall::syntax::parse(FileId(id), text)
            .map(|(tree, _)| std::sync::Arc::new(tree))
            .map_err(|d| format!("generated text does not parse: {}", d.message))
    };
    let prelude = parse(0, &catalog.prelude)?;
    let org = parse(1, org)?;
    let (model, diagnostics) =
        rolecall::resolve::resolve(catalog.clone(), None, &[prelude], &[org]);
    if let Some(error) = diagnostics.iter().find(|d| d.severity == Severity::Error) {
        return Err(format!(
            "the generated caps do not resolve: {}",
            error.message
        ));
    }
    Ok(model
        .profiles
        .iter()
        .filter(|p| p.builtin)
        .map(|p| {
            let values = p.effective.as_ref().map(|e| e.values().collect());
            (p.name.clone(), values.unwrap_or_default())
        })
        .collect())
}

/// A uniformly chosen element of a non-empty slice.
fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A ticket reference such as `OPS-1234`.
fn ticket(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}-{}",
        pick(rng, words::TICKETS),
        rng.random_range(10..2000)
    )
}

/// A suppression comment's text (after `#`) for `rules`, with a reason.
fn suppression(rng: &mut ChaCha8Rng, rules: &[&str], why: &[&str]) -> String {
    let why = pick(rng, why);
    let approver = pick(rng, words::APPROVERS);
    let ticket = ticket(rng);
    format!(
        " rolecall: allow({}) \"{why}, approved by {approver} ({ticket})\"",
        rules.join(", ")
    )
}
