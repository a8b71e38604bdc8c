//! `rolecall decide [PATH] --member ID --permission ID [...]`: one request
//! answered from a policy set or a bundle `*.json`.
//!
//! Exit status: 0 allowed, 1 denied (also for a request naming an unknown
//! member, permission or level, or missing its level or amount: every
//! target denies those, and the reason is printed), 2 when no decision can
//! be made: usage, I/O, a policy set with errors, a bundle that does not
//! read or verify.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{Color, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::backend::{
    self, Amount, Bundle, DecideError, Decision, Location, Origin, Provenance, Request,
};
use crate::catalog::Catalog;
use crate::diagnostics::did_you_mean;
use crate::diagnostics::render::Format;
use crate::diagnostics::render::HumanStyle;
use crate::load::discover::io_reason;
use crate::text::pretty_json;

/// Output format of `decide`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DecideFormat {
    /// A few lines for people.
    #[default]
    Human,
    /// One JSON document: the decision with its reason, or the refusal.
    Json,
}

/// Arguments of `rolecall decide`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 allowed, 1 denied (the reason is printed), 2 no decision: usage or I/O error, a policy set with errors, a bundle that does not read or verify."
)]
pub struct DecideArgs {
    /// A policy set (file or directory) or a bundle written by `rolecall build` (`*.json`).
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// The member's id.
    #[arg(long, value_name = "ID")]
    pub member: String,
    /// The permission's catalog id.
    #[arg(long, value_name = "ID")]
    pub permission: String,
    /// Scopes: the member id owning the resource.
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,
    /// Scopes: the team of the resource.
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
    /// Enums: the level asked for.
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<String>,
    /// Limits: the amount asked for, a non-negative integer.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// Configuration file, for a policy set (default: the nearest `rolecall.yaml`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DecideFormat::Human)]
    pub format: DecideFormat,
    /// When to colour human output (`NO_COLOR` is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
}

/// A refused request, as `--format json` prints it.
#[derive(Serialize)]
struct Refusal<'a> {
    allowed: bool,
    member: &'a str,
    permission: &'a str,
    reason: &'static str,
    message: String,
}

/// Runs `decide`; returns the exit code.
pub fn run(args: &DecideArgs) -> u8 {
    let request = Request {
        member: args.member.clone(),
        permission: args.permission.clone(),
        resource: backend::Resource {
            owner: args.owner.clone(),
            team: args.team.clone(),
        },
        level: args.level.clone(),
        amount: args.amount.as_deref().map(Amount::parse),
    };
    let (bundle, catalog) = match source(args) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let decided = match &catalog {
        Some(catalog) => bundle.decide_with(catalog, &request),
        None => bundle.decide(&request),
    };
    let text = match (&decided, args.format) {
        (Ok(decision), DecideFormat::Human) => human(decision),
        (Ok(decision), DecideFormat::Json) => pretty_json(decision),
        (Err(DecideError::Catalog(message)), _) => {
            eprintln!("error: {message}");
            eprintln!("  help: name the policy set the bundle was built from");
            return EXIT_USAGE;
        }
        (Err(error), DecideFormat::Human) => {
            let mut text = format!("denied: {error}\n");
            if let Some(help) = suggestion(&bundle, catalog.as_deref(), error) {
                text.push_str(&format!("  help: {help}\n"));
            }
            text
        }
        (Err(error), DecideFormat::Json) => pretty_json(&Refusal {
            allowed: false,
            member: &request.member,
            message: error.to_string(),
            permission: &request.permission,
            reason: error.reason(),
        }),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    match decided {
        Ok(decision) if decision.allowed => EXIT_OK,
        _ => EXIT_ERRORS,
    }
}

/// The bundle to ask, with the catalog of a policy set compiled here (a
/// bundle file names a built-in catalog).
fn source(args: &DecideArgs) -> Result<(Bundle, Option<std::sync::Arc<Catalog>>), u8> {
    let is_bundle = args.path.is_file() && args.path.extension().is_some_and(|e| e == "json");
    if is_bundle {
        return read_bundle(&args.path).map(|bundle| (bundle, None));
    }
    let style = HumanStyle {
        color: args.color.enabled(),
        ..HumanStyle::default()
    };
    let format = match args.format {
        DecideFormat::Human => Format::Human,
        DecideFormat::Json => Format::Json,
    };
    let paths = std::slice::from_ref(&args.path);
    let (workspace, compilation) =
        super::check::loaded_and_compiled(paths, args.config.as_deref(), format, style)?;
    let model = match &compilation.model {
        Some(model) if compilation.counts().errors == 0 => model,
        _ => {
            super::print(&compilation, format, style);
            eprintln!("error: the policy set has errors, so no decision is made");
            return Err(EXIT_USAGE);
        }
    };
    match compilation.bundle(workspace.naming()) {
        Ok(bundle) => Ok((bundle, Some(std::sync::Arc::clone(&model.catalog)))),
        Err(error) => {
            eprintln!("error: {error}");
            Err(EXIT_USAGE)
        }
    }
}

fn read_bundle(path: &Path) -> Result<Bundle, u8> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read `{shown}`: {}", io_reason(&e));
        EXIT_USAGE
    })?;
    let bundle = Bundle::from_json(&text).and_then(|b| b.verify().map(|()| b));
    bundle.map_err(|e| {
        eprintln!("error: cannot use `{shown}`: {e}");
        EXIT_USAGE
    })
}

/// A "did you mean" for an unknown member, permission or level.
fn suggestion(bundle: &Bundle, catalog: Option<&Catalog>, error: &DecideError) -> Option<String> {
    let catalog = match catalog {
        Some(catalog) => catalog,
        None => &crate::catalog::builtin_platform(&bundle.platform)?.catalog,
    };
    match error {
        DecideError::UnknownMember(id) => {
            did_you_mean(id, bundle.members.keys().map(String::as_str))
        }
        DecideError::UnknownPermission(id) => {
            did_you_mean(id, catalog.permissions.iter().map(|p| p.id.as_str()))
        }
        DecideError::UnknownLevel { permission, level } => {
            let levels = &catalog.get(catalog.lookup(permission)?).levels;
            did_you_mean(level, levels.iter().map(String::as_str))
                .or_else(|| Some(format!("the levels are {}", quoted(levels))))
        }
        DecideError::MissingLevel(permission) => {
            let levels = &catalog.get(catalog.lookup(permission)?).levels;
            Some(format!("add `--level` with one of {}", quoted(levels)))
        }
        DecideError::MissingAmount(_) => Some("add `--amount N`".to_owned()),
        _ => None,
    }
}

fn quoted(levels: &[String]) -> String {
    let words: Vec<String> = levels.iter().map(|l| format!("`{l}`")).collect();
    words.join(", ")
}

fn human(decision: &Decision) -> String {
    let verdict = if decision.allowed {
        "allowed"
    } else {
        "denied"
    };
    let origin = match &decision.origin {
        Origin::Member(_) => "the member's own limit".to_owned(),
        Origin::Profile(Provenance::Set(Location { file, line })) => {
            format!("set at {file}:{line}")
        }
        Origin::Profile(Provenance::Default(_)) => "the catalog default".to_owned(),
    };
    let mut text = format!(
        "{verdict}: `{}` {} `{}`\n  profile  {}\n  value    {} ({}, {origin})\n",
        decision.member,
        if decision.allowed {
            "may use"
        } else {
            "may not use"
        },
        decision.permission,
        decision.profile,
        decision.value,
        decision.kind.as_str(),
    );
    if let Some(level) = &decision.covered_by {
        text.push_str(&format!("  covers   the resource at `{level}`\n"));
    }
    text
}
