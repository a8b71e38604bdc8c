//! Loading a policy set from disk: files, configuration and custom catalog.
//! Everything here is I/O; failures are usage or configuration errors (exit 2).

pub mod config;
pub mod discover;
mod filter;
mod paths;

pub use paths::{Naming, policy_root};

use std::path::{Path, PathBuf};

use crate::catalog::{self, Catalog};
use crate::diagnostics::Diagnostic;
use crate::report::{HumanStyle, render_human};
use crate::source::{SourceMap, Span};
use config::{ConfigError, LoadedConfig};
use discover::{display_name, io_reason};
use filter::FileFilter;

/// A policy file as read: its display name and raw bytes.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// Name shown in output.
    pub name: String,
    /// Raw contents (UTF-8 is checked by the compiler).
    pub bytes: Vec<u8>,
}

/// Everything a compilation needs, read from disk.
#[derive(Clone, Debug, Default)]
pub struct Project {
    /// The policy files, sorted by name.
    pub files: Vec<InputFile>,
    /// The configuration, when one was found or given.
    pub config: Option<LoadedConfig>,
    /// The catalog named by the configuration's `catalog:` entry.
    pub custom_catalog: Option<Catalog>,
}

/// A usage, I/O or configuration error: the run stops with exit code 2.
#[derive(Clone, Debug)]
pub enum LoadError {
    /// A message without a source location.
    Plain(String),
    /// A problem inside a configuration or catalog file.
    Located {
        /// File name shown in output.
        name: String,
        /// Its text.
        text: String,
        /// Each problem with its byte offset, when known.
        problems: Vec<(String, Option<usize>)>,
    },
}

impl LoadError {
    /// Renders the error for people.
    pub fn render(&self, style: HumanStyle) -> String {
        match self {
            LoadError::Plain(message) => format!("error: {message}\n"),
            LoadError::Located {
                name,
                text,
                problems,
            } => {
                let mut sources = SourceMap::new();
                let file = sources.add(name.clone(), text.as_str());
                let mut out = String::new();
                for (message, offset) in problems {
                    let mut at = offset.unwrap_or(0).min(text.len());
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    let end = text[at..].find(['\n', ':']).map_or(text.len(), |i| at + i);
                    let diagnostic =
                        Diagnostic::error("config", Span::new(file, at, end), message.clone())
                            .with_primary("here");
                    out.push_str(&render_human(&diagnostic, &sources, style));
                }
                out
            }
        }
    }
}

impl From<ConfigError> for LoadError {
    fn from(e: ConfigError) -> Self {
        let name = display_name(&e.path, std::env::current_dir().ok().as_deref());
        match e.text {
            Some(text) => LoadError::Located {
                name,
                text,
                problems: vec![(e.message, e.offset)],
            },
            None => LoadError::Plain(format!("`{name}`: {}", e.message)),
        }
    }
}

/// Reads the policy set under `paths` with the configuration at `config`
/// (or the nearest `rolecall.yaml` above the first path).
pub fn load(paths: &[PathBuf], config: Option<&Path>) -> Result<Project, LoadError> {
    let found = discover::policy_files(paths).map_err(|e| LoadError::Plain(e.message))?;
    let config_path = match config {
        Some(path) => Some(path.to_owned()),
        None => paths.first().and_then(|p| config::find_upward(p)),
    };
    let config = config_path.as_deref().map(config::load).transpose()?;
    let mut found = found;
    if let Some(loaded) = &config {
        let mut problems = crate::lint::config_problems(loaded);
        match FileFilter::new(loaded) {
            Ok(filter) if problems.is_empty() => found.retain(|f| filter.keeps(&f.path)),
            Ok(_) => {}
            Err(more) => problems.extend(more),
        }
        if !problems.is_empty() {
            return Err(LoadError::Located {
                name: display_name(&loaded.path, std::env::current_dir().ok().as_deref()),
                text: loaded.text.clone(),
                problems,
            });
        }
    }
    if found.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| format!("`{}`", p.display())).collect();
        return Err(LoadError::Plain(format!(
            "no policy files (`*.perm`) under {}",
            names.join(", ")
        )));
    }
    let (custom_catalog, prelude_path) = match &config {
        Some(loaded) => match &loaded.config.catalog {
            Some(path) => {
                let (catalog, prelude) = load_catalog(&loaded.dir().join(path))?;
                (Some(catalog), prelude)
            }
            None => (None, None),
        },
        None => (None, None),
    };
    // A custom prelude inside the policy tree is the catalog's, not a policy file.
    let prelude_path = prelude_path.and_then(|p| std::fs::canonicalize(p).ok());
    let mut files = Vec::with_capacity(found.len());
    for file in found {
        if prelude_path.is_some() && std::fs::canonicalize(&file.path).ok() == prelude_path {
            continue;
        }
        let bytes = std::fs::read(&file.path).map_err(|e| {
            LoadError::Plain(format!("cannot read `{}`: {}", file.display, io_reason(&e)))
        })?;
        files.push(InputFile {
            name: file.display,
            bytes,
        });
    }
    Ok(Project {
        files,
        config,
        custom_catalog,
    })
}

/// Reads a custom catalog and its prelude; returns the prelude's path too.
fn load_catalog(path: &Path) -> Result<(Catalog, Option<PathBuf>), LoadError> {
    let name = display_name(path, std::env::current_dir().ok().as_deref());
    let text = std::fs::read_to_string(path).map_err(|e| {
        LoadError::Plain(format!(
            "cannot read the catalog `{name}`: {}",
            io_reason(&e)
        ))
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let prelude = |relative: &str| {
        std::fs::read_to_string(dir.join(relative))
            .map_err(|e| format!("cannot read the prelude `{relative}`: {}", io_reason(&e)))
    };
    let mut prelude_path = None;
    let catalog = catalog::load(&text, |relative| {
        prelude_path = Some(dir.join(relative));
        prelude(relative)
    })
    .map_err(|errors| LoadError::Located {
        name,
        text: text.clone(),
        problems: errors.into_iter().map(|e| (e.message, e.offset)).collect(),
    })?;
    Ok((catalog, prelude_path))
}
