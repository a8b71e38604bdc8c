//! `rolecall.yaml`: project configuration.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::provider::{Kind, Provider};
use crate::catalog::Catalog;
use crate::diagnostics::did_you_mean;
use crate::text::code_list;

/// The name of the configuration file searched for.
pub const CONFIG_FILE: &str = "rolecall.yaml";

/// A configured severity for a warning rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Report as a note.
    Note,
    /// Do not report.
    Off,
}

/// The contents of `rolecall.yaml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Platform of the policy set.
    #[serde(default)]
    pub platform: Option<String>,
    /// Vendor plan.
    #[serde(default)]
    pub plan: Option<String>,
    /// Path of a custom platform's catalog, relative to this file.
    #[serde(default)]
    pub catalog: Option<String>,
    /// Severity per warning rule.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// Fewest admin-equivalent members (`min-admins`).
    #[serde(default)]
    pub min_admins: Option<usize>,
    /// Largest share of admin-equivalent members, 0 to 1 (`too-many-admins`).
    #[serde(default)]
    pub max_admin_share: Option<f64>,
    /// Globs of policy files to include (relative to the policy root).
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of policy files to leave out (relative to the policy root).
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// A configuration file read from disk, with its text for diagnostics.
#[derive(Clone, Debug)]
pub struct LoadedConfig {
    /// Where it was read.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Its parsed contents.
    pub config: Config,
}

impl LoadedConfig {
    /// The folder holding the configuration file: the policy root.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Byte span of the value of top-level key `key`, for labels.
    pub fn value_span(&self, key: &str) -> Option<(usize, usize)> {
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
                let value = rest.split('#').next().unwrap_or("").trim();
                let start = offset + key.len() + 1 + rest.find(value).unwrap_or(0);
                return Some((start, start + value.len()));
            }
            offset += line.len();
        }
        None
    }
}

impl LoadedConfig {
    /// Byte offset of `needle` inside the section of top-level key `key`
    /// (its own line and the indented lines below it); else of the key.
    pub fn offset_in_section(&self, key: &str, needle: &str) -> Option<usize> {
        let mut offset = 0;
        let mut start = None;
        let mut end = self.text.len();
        for line in self.text.split_inclusive('\n') {
            let top_level = !line.starts_with([' ', '\t', '#', '-', '\r', '\n']);
            if start.is_some() && top_level {
                end = offset;
                break;
            }
            if start.is_none() && line.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
                start = Some(offset);
            }
            offset += line.len();
        }
        let start = start?;
        let section = self.text.get(start..end)?;
        let within = section
            .get(key.len()..)
            .and_then(|rest| rest.find(needle))
            .map_or(start, |i| start + key.len() + i);
        Some(within)
    }
}

/// Why configuration could not be used.
#[derive(Clone, Debug)]
pub struct ConfigError {
    /// The configuration file.
    pub path: PathBuf,
    /// Its text, when it could be read.
    pub text: Option<String>,
    /// What is wrong.
    pub message: String,
    /// Byte offset of the problem, when known.
    pub offset: Option<usize>,
    /// Further problems of the same file, each with its byte offset.
    pub more: Vec<(String, Option<usize>)>,
}

/// A problem of a configuration file: what is wrong, and the byte offset
/// of its place when known.
pub type Problem = (String, Option<usize>);

/// Reads and parses the configuration file at `path` of `tree`.
pub fn load(tree: &dyn Provider, path: &Path) -> Result<LoadedConfig, ConfigError> {
    let (loaded, problems) = read(tree, path)?;
    failed(loaded, problems)
}

/// Parses configuration `text`, read from `path`.
pub fn parse(path: &Path, text: String) -> Result<LoadedConfig, ConfigError> {
    let (loaded, problems) = parse_all(path, text);
    failed(loaded, problems)
}

/// Reads the configuration file at `path` of `tree` as far as it goes (see
/// [`parse_all`]); an error only when it cannot be read at all.
pub fn read(tree: &dyn Provider, path: &Path) -> Result<(LoadedConfig, Vec<Problem>), ConfigError> {
    let unreadable = |reason: String| ConfigError {
        path: path.to_owned(),
        text: None,
        message: format!("cannot read the configuration: {reason}"),
        offset: None,
        more: Vec::new(),
    };
    let bytes = tree.read(path).map_err(unreadable)?;
    let text =
        String::from_utf8(bytes).map_err(|_| unreadable("the file is not UTF-8".to_owned()))?;
    Ok(parse_all(path, text))
}

/// Parses configuration `text`, read from `path`, as far as it goes: the
/// configuration of every part without problems, and every problem of the
/// others and of the values, sorted by position. The checks that need more
/// than the file (rule names, the platform and plan, globs) are the
/// loader's, on that configuration.
pub fn parse_all(path: &Path, text: String) -> (LoadedConfig, Vec<Problem>) {
    // An empty file is an empty configuration.
    let (config, mut problems) = if text.trim().is_empty() {
        (Config::default(), Vec::new())
    } else {
        match serde_yaml::from_str(&text) {
            Ok(config) => (config, Vec::new()),
            Err(whole) => {
                // Each top-level key on its own, to report every problem at once.
                let (config, mut problems) = sections(&text);
                if problems.is_empty() {
                    problems.push(problem(&whole));
                }
                (config, problems)
            }
        }
    };
    let mut loaded = LoadedConfig {
        path: path.to_owned(),
        text,
        config,
    };
    if let Some(share) = loaded.config.max_admin_share
        && !(0.0..=1.0).contains(&share)
    {
        problems.push((
            format!("`max_admin_share` is a fraction from 0 to 1, not `{share}`"),
            loaded.value_span("max_admin_share").map(|s| s.0),
        ));
        loaded.config.max_admin_share = None;
    }
    sort(&mut problems);
    (loaded, problems)
}

/// Sorts `problems` by position and drops repeats.
pub fn sort(problems: &mut Vec<Problem>) {
    problems.sort_by_key(|(_, offset)| *offset);
    problems.dedup();
}

/// `loaded`, or the error of its `problems` when it has any.
fn failed(loaded: LoadedConfig, problems: Vec<Problem>) -> Result<LoadedConfig, ConfigError> {
    let mut problems = problems.into_iter();
    let Some((message, offset)) = problems.next() else {
        return Ok(loaded);
    };
    Err(ConfigError {
        path: loaded.path,
        text: Some(loaded.text),
        message,
        offset,
        more: problems.collect(),
    })
}

/// A serde_yaml error as a message and a byte offset.
fn problem(error: &serde_yaml::Error) -> Problem {
    (
        clean_message(&error.to_string()),
        error.location().map(|l| l.index()),
    )
}

/// `text` with every byte outside `keep` blanked, line ends kept, so that
/// every offset stays that of the whole file.
fn blanked(text: &str, keep: impl Fn(usize) -> bool) -> Option<String> {
    let bytes: Vec<u8> = text
        .bytes()
        .enumerate()
        .map(|(at, b)| {
            if keep(at) || b == b'\n' || b == b'\r' {
                b
            } else {
                b' '
            }
        })
        .collect();
    // Only whole lines are blanked, so the text stays UTF-8.
    String::from_utf8(bytes).ok()
}

/// Each top-level section of `text` parsed alone, the others blanked: the
/// configuration of the sections that read, and the problems of the others.
/// In `rules`, each entry's severity is read on its own.
fn sections(text: &str) -> (Config, Vec<Problem>) {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '\t', '#', '-', '.', '\r', '\n']);
        if top_level {
            starts.push(offset);
        }
        offset += line.len();
    }
    let mut problems = Vec::new();
    let mut bad = Vec::new();
    let mut rules = None;
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let Some(section) = blanked(text, |at| (start..end).contains(&at)) else {
            continue;
        };
        let Err(error) = serde_yaml::from_str::<Config>(&section) else {
            continue;
        };
        bad.push(start..end);
        match severities(text, &section) {
            Some((levels, found)) if !found.is_empty() => {
                rules = Some(levels);
                problems.extend(found);
            }
            _ => problems.push(problem(&error)),
        }
    }
    let good = blanked(text, |at| !bad.iter().any(|r| r.contains(&at)));
    let mut config: Config = good
        .and_then(|good| serde_yaml::from_str(&good).ok())
        .unwrap_or_default();
    if let Some(rules) = rules {
        config.rules = rules;
    }
    (config, problems)
}

/// When `section` (of `text`) is a `rules` mapping: the severities that
/// read, and a problem at the value of each that does not.
fn severities(text: &str, section: &str) -> Option<(BTreeMap<String, Level>, Vec<Problem>)> {
    let yaml: serde_yaml::Mapping = serde_yaml::from_str(section).ok()?;
    let serde_yaml::Value::Mapping(entries) = yaml.get("rules")? else {
        return None;
    };
    let loaded = LoadedConfig {
        path: PathBuf::new(),
        text: text.to_owned(),
        config: Config::default(),
    };
    let mut levels = BTreeMap::new();
    let mut problems = Vec::new();
    for (key, value) in entries {
        let name = key.as_str()?;
        match Level::deserialize(value) {
            Ok(level) => {
                levels.insert(name.to_owned(), level);
            }
            Err(error) => {
                let key_at = loaded.offset_in_section("rules", name);
                // The value follows the key's `:` on its line.
                let value_at = key_at.map(|at| {
                    let line = &text[at..];
                    let line = &line[..line.find('\n').unwrap_or(line.len())];
                    line.find(':').map_or(at, |colon| {
                        let after = &line[colon + 1..];
                        at + colon + 1 + (after.len() - after.trim_start().len())
                    })
                });
                problems.push((clean_message(&format!("rules.{name}: {error}")), value_at));
            }
        }
    }
    Some((levels, problems))
}

/// The problems of the configuration's `platform` and `plan`: a platform
/// with no catalog, built in or `custom` (the catalog of `catalog:`), and a
/// plan its catalog does not have. A plan without a platform here is
/// checked with the policy files' platform, when the set is resolved.
pub fn platform_problems(loaded: &LoadedConfig, custom: Option<&Catalog>) -> Vec<Problem> {
    let config = &loaded.config;
    let Some(platform) = &config.platform else {
        return Vec::new();
    };
    let at = |key: &str| loaded.value_span(key).map(|(start, _)| start);
    let catalog = match custom.filter(|c| &c.platform == platform) {
        Some(custom) => custom,
        None => match crate::catalog::builtin_platform(platform) {
            Some(builtin) => &builtin.catalog,
            None => {
                let mut known: Vec<&str> = crate::catalog::BUILTIN_PLATFORMS.to_vec();
                known.extend(custom.map(|c| c.platform.as_str()));
                let help = did_you_mean(platform, known.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "known platforms: {}; a custom platform needs `catalog:`",
                        code_list(&known)
                    )
                });
                return vec![(
                    format!("no catalog for platform `{platform}`; {help}"),
                    at("platform"),
                )];
            }
        },
    };
    let Some(plan) = &config.plan else {
        return Vec::new();
    };
    let message = if catalog.plans.is_empty() {
        format!("`{platform}` has no plans, so `plan: {plan}` means nothing; remove it")
    } else if catalog.plan_index(plan).is_none() {
        let plans: Vec<&str> = catalog.plans.iter().map(String::as_str).collect();
        format!(
            "`{plan}` is not a plan of `{platform}`; its plans are {}",
            code_list(&plans)
        )
    } else {
        return Vec::new();
    };
    vec![(message, at("plan"))]
}

/// serde_yaml appends " at line L column C" to messages; the span says that
/// already. Its Rust type names are put in words.
fn clean_message(message: &str) -> String {
    let trimmed = match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    trimmed
        .replace("unknown field", "unknown key")
        .replace("expected usize", "expected a non-negative integer")
        .replace("expected f64", "expected a number")
}

/// The nearest `rolecall.yaml` of `tree` in `start` or one of its ancestors.
pub fn find_upward(tree: &dyn Provider, start: &Path) -> Option<PathBuf> {
    let absolute = tree.absolute(start);
    let mut dir = if tree.kind(&absolute) == Ok(Kind::Dir) {
        absolute.as_path()
    } else {
        absolute.parent()?
    };
    loop {
        let candidate = dir.join(CONFIG_FILE);
        if tree.kind(&candidate) == Ok(Kind::File) {
            return Some(candidate);
        }
        dir = dir.parent()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_span_finds_top_level_keys_only() {
        let loaded = LoadedConfig {
            path: PathBuf::from("rolecall.yaml"),
            text: "rules:\n  platform: x\nplatform: apollo  # ours\n".to_owned(),
            config: Config::default(),
        };
        let (start, end) = loaded.value_span("platform").expect("present");
        assert_eq!(&loaded.text[start..end], "apollo");
    }

    #[test]
    fn offsets_in_a_section_point_at_the_entry() {
        let loaded = LoadedConfig {
            path: PathBuf::from("rolecall.yaml"),
            text: "exclude: [x]\nrules:\n  # note\n  risky-grant: off\nmin_admins: 3\n".to_owned(),
            config: Config::default(),
        };
        let at = loaded
            .offset_in_section("rules", "risky-grant")
            .expect("found");
        assert!(loaded.text[at..].starts_with("risky-grant: off"));
        let key = loaded.offset_in_section("rules", "nowhere").expect("key");
        assert!(loaded.text[key..].starts_with("rules:"));
        assert_eq!(loaded.offset_in_section("include", "x"), None);
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_offset() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, "platform: apollo\nplatfrom: x\n").expect("write");
        let error = load(&super::super::Disk, &path).expect_err("unknown key");
        assert!(
            error.message.starts_with("unknown key `platfrom`"),
            "{}",
            error.message
        );
        assert_eq!(error.offset, Some(17));
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_offset() {
        let text = "platform: apollo\nplann: basic\nrules:\n  risky-grant: loud\nmin_admins: two\n";
        let error = parse(Path::new(CONFIG_FILE), text.to_owned()).expect_err("three problems");
        let mut all = vec![(error.message.clone(), error.offset)];
        all.extend(error.more.iter().cloned());
        let found: Vec<(&str, &str)> = all
            .iter()
            .map(|(message, offset)| {
                let at = offset.map_or("", |o| &text[o..]);
                (
                    message.split(',').next().unwrap_or_default(),
                    at.lines().next().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("unknown key `plann`", "plann: basic"),
                ("rules.risky-grant: unknown variant `loud`", "loud"),
                ("min_admins: invalid type: string \"two\"", "two"),
            ]
        );
    }

    /// Every problem of `text` as (message up to its first comma, the
    /// text of the line from its offset).
    fn problems_of(text: &str) -> Vec<(String, String)> {
        let error = parse(Path::new(CONFIG_FILE), text.to_owned()).expect_err("problems");
        let mut all = vec![(error.message.clone(), error.offset)];
        all.extend(error.more.iter().cloned());
        all.iter()
            .map(|(message, offset)| {
                let at = offset.map_or("", |o| &text[o..]);
                (
                    message.split(',').next().unwrap_or_default().to_owned(),
                    at.lines().next().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn the_range_of_max_admin_share_is_checked_beside_the_other_problems() {
        let text = "max_admin_share: 1.5\nmin_admins: two\n";
        assert_eq!(
            problems_of(text),
            [
                (
                    "`max_admin_share` is a fraction from 0 to 1".to_owned(),
                    "1.5".to_owned()
                ),
                (
                    "min_admins: invalid type: string \"two\"".to_owned(),
                    "two".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn every_bad_severity_of_rules_is_reported() {
        let text =
            "rules:\n  risky-grant: loud\n  see-all-emails: off\n  redundant-setting: quiet\n";
        assert_eq!(
            problems_of(text),
            [
                (
                    "rules.risky-grant: unknown variant `loud`".to_owned(),
                    "loud".to_owned()
                ),
                (
                    "rules.redundant-setting: unknown variant `quiet`".to_owned(),
                    "quiet".to_owned()
                ),
            ]
        );
    }
}
