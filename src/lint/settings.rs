//! The linter's configuration: severities and thresholds from `rolecall.yaml`.

use std::collections::BTreeMap;

use super::{find, suggest};
use crate::load::config::{Config, Level, LoadedConfig};

/// Default of `min_admins`.
pub const DEFAULT_MIN_ADMINS: usize = 2;
/// Default of `max_admin_share`.
pub const DEFAULT_MAX_ADMIN_SHARE: f64 = 0.25;

/// Severities and thresholds in force for one run.
#[derive(Clone, Debug)]
pub struct LintSettings {
    levels: BTreeMap<String, Level>,
    /// Fewest admin-equivalent members (`min-admins`).
    pub min_admins: usize,
    /// Largest share of admin-equivalent members (`too-many-admins`).
    pub max_admin_share: f64,
}

impl Default for LintSettings {
    fn default() -> Self {
        LintSettings {
            levels: BTreeMap::new(),
            min_admins: DEFAULT_MIN_ADMINS,
            max_admin_share: DEFAULT_MAX_ADMIN_SHARE,
        }
    }
}

impl LintSettings {
    /// The settings of a configuration, defaults where it says nothing.
    pub fn from_config(config: Option<&Config>) -> Self {
        let Some(config) = config else {
            return LintSettings::default();
        };
        LintSettings {
            levels: config.rules.clone(),
            min_admins: config.min_admins.unwrap_or(DEFAULT_MIN_ADMINS),
            max_admin_share: config
                .max_admin_share
                .filter(|s| (0.0..=1.0).contains(s))
                .unwrap_or(DEFAULT_MAX_ADMIN_SHARE),
        }
    }

    /// The level of warning rule `rule`: configured, or `warning`.
    pub fn level(&self, rule: &str) -> Level {
        self.levels.get(rule).copied().unwrap_or(Level::Warning)
    }
}

/// Problems of the `rules:` section: unknown rule names and error rules,
/// each with the byte offset of its key.
pub fn config_problems(loaded: &LoadedConfig) -> Vec<(String, Option<usize>)> {
    let mut problems = Vec::new();
    for name in loaded.config.rules.keys() {
        let offset = loaded.offset_in_section("rules", name);
        match find(name) {
            None => {
                let hint = suggest(name, true)
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                problems.push((format!("unknown rule `{name}` in `rules`{hint}"), offset));
            }
            Some(rule) if rule.is_error() => problems.push((
                format!("`{name}` is an error rule; its severity cannot be changed"),
                offset,
            )),
            Some(_) => {}
        }
    }
    problems
}
