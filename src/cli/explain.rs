//! `rolecall explain PROFILE [PERMISSION] [--path PATH]`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Color, EXIT_ERRORS, EXIT_OK};
use crate::Compilation;
use crate::diagnostics::render::{Format, HumanStyle};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::explain::{self, Missing};
use crate::source::Span;
use crate::text::pretty_json;

/// Output format of `explain`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Tables for people.
    #[default]
    Human,
    /// One JSON document.
    Json,
}

impl ExplainFormat {
    /// The diagnostics format matching this output format.
    fn diagnostics(self) -> Format {
        match self {
            ExplainFormat::Human => Format::Human,
            ExplainFormat::Json => Format::Json,
        }
    }
}

/// Arguments of `rolecall explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The profile to explain.
    #[arg(value_name = "PROFILE")]
    pub profile: String,
    /// One permission to follow through the inheritance graph.
    #[arg(value_name = "PERMISSION")]
    pub permission: Option<String>,
    /// File or directory of the policy set.
    #[arg(long, value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// Configuration file (default: the nearest `rolecall.yaml` above the path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
    /// When to colour human output (`NO_COLOR` is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
}

/// Runs `explain`; returns the exit code.
pub fn run(args: &ExplainArgs) -> u8 {
    let style = HumanStyle {
        color: args.color.enabled(),
        ..HumanStyle::default()
    };
    let paths = std::slice::from_ref(&args.path);
    let format = args.format.diagnostics();
    let (workspace, mut compilation) =
        match super::check::loaded_and_compiled(paths, args.config.as_deref(), format, style) {
            Ok(set) => set,
            Err(code) => return code,
        };
    if compilation.counts().errors > 0 {
        // The errors may lie elsewhere in the set: answer from what resolved,
        // then show them.
        let partial = resolvable(&workspace, compilation);
        let answer = match partial.resolved() {
            Some(resolved) if !related(resolved, &args.profile) => answer(args, resolved).ok(),
            _ => None,
        };
        let errors = &partial.errors;
        let Some(text) = answer else {
            super::print(errors, args.format.diagnostics(), style);
            return EXIT_ERRORS;
        };
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        match args.format {
            ExplainFormat::Human => {
                println!();
                super::print(errors, Format::Human, style);
            }
            // One JSON document on stdout: the set's errors go to stderr.
            ExplainFormat::Json => {
                eprint!(
                    "{}",
                    crate::diagnostics::render::render(errors, Format::Human, style)
                );
            }
        }
        return EXIT_ERRORS;
    }
    let Some(model) = &compilation.model else {
        super::print(&compilation, args.format.diagnostics(), style);
        return EXIT_ERRORS;
    };
    let result = explained(args, model, &compilation.sources);
    match result {
        Ok(text) => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            EXIT_OK
        }
        Err(missing) => {
            let diagnostic = not_found(&mut compilation, args, &missing);
            compilation.diagnostics = vec![diagnostic];
            super::print(&compilation, args.format.diagnostics(), style);
            EXIT_ERRORS
        }
    }
}

/// The explanation `args` ask for, rendered.
fn explained(
    args: &ExplainArgs,
    model: &crate::resolve::Model,
    sources: &crate::source::SourceMap,
) -> Result<String, Missing> {
    match &args.permission {
        None => explain::table(model, sources, &args.profile).map(|table| match args.format {
            ExplainFormat::Human => explain::render_table(&table),
            ExplainFormat::Json => pretty_json(&table),
        }),
        Some(permission) => {
            explain::chain(model, sources, &args.profile, permission).map(|chain| {
                match args.format {
                    ExplainFormat::Human => explain::render_chain(&chain),
                    ExplainFormat::Json => pretty_json(&chain),
                }
            })
        }
    }
}

/// A set with errors, and the compilation to answer from: the set itself
/// when it resolved, else the set without the files that did not parse.
struct Partial {
    /// The whole set's compilation, for its diagnostics.
    errors: Compilation,
    /// The set without its unparsable files, when that resolved.
    rest: Option<Compilation>,
}

impl Partial {
    /// A resolved compilation to answer from, when there is one.
    fn resolved(&self) -> Option<&Compilation> {
        if self.errors.model.is_some() {
            Some(&self.errors)
        } else {
            self.rest.as_ref()
        }
    }
}

fn resolvable(workspace: &crate::load::Workspace, compilation: Compilation) -> Partial {
    if compilation.model.is_some() {
        return Partial {
            errors: compilation,
            rest: None,
        };
    }
    let mut rest = workspace.clone();
    let broken: Vec<String> = workspace
        .parsed()
        .iter()
        .filter(|(_, _, parsed)| parsed.is_err())
        .map(|(_, source, _)| source.name.clone())
        .collect();
    if broken.is_empty() {
        return Partial {
            errors: compilation,
            rest: None,
        };
    }
    for name in &broken {
        rest.remove(name);
    }
    let partial = crate::compile(&rest);
    Partial {
        errors: compilation,
        rest: partial.model.is_some().then_some(partial),
    }
}

/// Whether an error of `compilation` concerns `profile`: it lies in the
/// block of the profile or of one of its ancestors, or names one of them.
fn related(compilation: &Compilation, profile: &str) -> bool {
    let Some(model) = &compilation.model else {
        return true;
    };
    let Some(start) = model.profiles.iter().position(|p| p.name == profile) else {
        return false;
    };
    let mut names = std::collections::BTreeSet::new();
    let mut todo = vec![start];
    while let Some(index) = todo.pop() {
        let Some(p) = model.profiles.get(index) else {
            continue;
        };
        if names.insert(p.name.as_str()) {
            todo.extend(p.parents.iter().map(|id| id.0 as usize));
            // Parents that do not exist are named in `extends` all the same.
        }
    }
    let blocks: Vec<Span> = compilation
        .files
        .iter()
        .flat_map(|f| f.statements.iter())
        .filter_map(|s| match s {
            crate::syntax::ast::Statement::Profile(p) if names.contains(p.name.value.as_str()) => {
                Some(p.span)
            }
            _ => None,
        })
        .collect();
    let inside = |span: Span| {
        blocks
            .iter()
            .any(|b| b.file == span.file && b.start <= span.start && span.end <= b.end)
    };
    compilation
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .any(|d| {
            inside(d.primary.span)
                || d.labels.iter().any(|l| inside(l.span))
                || names.iter().any(|n| d.message.contains(&format!("`{n}`")))
        })
}

/// The answer from a resolved compilation, when the profile is there.
fn answer(args: &ExplainArgs, compilation: &Compilation) -> Result<String, Missing> {
    match &compilation.model {
        Some(model) => explained(args, model, &compilation.sources),
        None => Err(Missing::Profile),
    }
}

/// A diagnostic pointing into the command line itself, with a "did you mean".
fn not_found(compilation: &mut Compilation, args: &ExplainArgs, missing: &Missing) -> Diagnostic {
    let quoted = format!("{:?}", args.profile);
    let mut line = format!("rolecall explain {quoted}");
    let profile_at = (line.len() - quoted.len(), line.len());
    let permission_at = args.permission.as_ref().map(|p| {
        line.push(' ');
        let start = line.len();
        line.push_str(p);
        (start, line.len())
    });
    let profiles: Vec<String> = compilation
        .model
        .as_ref()
        .map(|m| m.profiles.iter().map(|p| p.name.clone()).collect())
        .unwrap_or_default();
    let permissions: Vec<String> = compilation
        .model
        .as_ref()
        .map(|m| m.catalog.permissions.iter().map(|p| p.id.clone()).collect())
        .unwrap_or_default();
    let file = compilation.sources.add("command line", line);
    let at = |(start, end): (usize, usize)| Span::new(file, start, end);
    match (missing, permission_at) {
        (Missing::Permission, Some(range)) => {
            let permission = args.permission.as_deref().unwrap_or_default();
            Diagnostic::error(
                "unknown-permission",
                at(range),
                format!("no permission `{permission}` in the catalog"),
            )
            .with_primary("unknown permission")
            .with_help_opt(did_you_mean(
                permission,
                permissions.iter().map(String::as_str),
            ))
        }
        (Missing::Unresolved, _) => Diagnostic::error(
            "inheritance-cycle",
            at(profile_at),
            format!(
                "profile `{}` has no effective permissions: it sits in or under an inheritance cycle",
                args.profile
            ),
        )
        .with_primary("unresolved profile"),
        _ => Diagnostic::error(
            "unknown-profile",
            at(profile_at),
            format!("no profile named `{}`", args.profile),
        )
        .with_primary("unknown profile")
        .with_help_opt(did_you_mean(
            &args.profile,
            profiles.iter().map(String::as_str),
        )),
    }
}
