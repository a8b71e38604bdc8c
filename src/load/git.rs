//! A policy set as it was at a git revision, read from the repository's
//! objects into a [`Memory`] tree, without a checkout.
//!
//! This runs the `git` program (`rev-parse`, `ls-tree`, `cat-file
//! --batch`): it is on every CI image and developer machine that has the
//! repository, and needs no library. Nothing here writes: not the working
//! tree, not the index, not a ref.
//!
//! The tree holds the repository's files at their absolute places, so a
//! loader over it with the same working folder names every file as the
//! working tree's loader does. Only what loading can read is fetched: the
//! `*.perm` files under the paths (and paths naming a file), every
//! `rolecall.yaml` from the paths up to the repository's top, the
//! configuration given with `--config`, and the catalog and prelude a
//! configuration names.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::config::{self, CONFIG_FILE};
use super::provider::{Memory, normalize};

/// Why a revision cannot be read: one line for people, and a hint when a
/// fix is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitError {
    /// What went wrong.
    pub message: String,
    /// How to fix it, when known.
    pub help: Option<String>,
}

impl GitError {
    /// An error saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        GitError {
            message: message.into(),
            help: None,
        }
    }

    /// The error with a hint.
    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for GitError {}

/// The files a policy set under `paths` (relative to `cwd`) reads, as they
/// are at revision `rev` of the repository holding the first path. The
/// tree's working folder is `cwd`.
pub fn at_revision(
    rev: &str,
    paths: &[PathBuf],
    config: Option<&Path>,
    cwd: &Path,
) -> Result<Memory, GitError> {
    let cwd = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_owned());
    let first = paths
        .first()
        .map_or_else(|| cwd.clone(), |p| real(&cwd.join(p)));
    let probe = if first.is_dir() {
        first.clone()
    } else {
        first.parent().map_or_else(|| cwd.clone(), Path::to_owned)
    };
    let top = git(&probe, &["rev-parse", "--show-toplevel"])
        .map_err(|e| e.or_not_a_repository(&probe))?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let repo = Repo {
        top,
        rev: commit(&probe, rev)?,
    };

    let mut wanted = Vec::new();
    let mut configs = Vec::new();
    for path in paths {
        let inside = repo.inside(&real(&cwd.join(path)), path)?;
        if !repo.exists(&inside)? {
            return Err(GitError::new(format!(
                "`{}` does not exist at revision `{rev}`",
                path.display()
            ))
            .with_help(format!(
                "if the policy set was moved or renamed since `{rev}`, name its path there with `--base-path`"
            )));
        }
        let mut dir = inside.clone();
        if !dir.as_os_str().is_empty() && !repo.is_dir(&dir)? {
            dir = dir.parent().map(Path::to_owned).unwrap_or_default();
        }
        wanted.push(inside);
        loop {
            configs.push(dir.join(CONFIG_FILE));
            if !dir.pop() {
                break;
            }
        }
    }
    if let Some(path) = config {
        configs.push(repo.inside(&real(&cwd.join(path)), path)?);
    }
    let mut files = repo.fetch(&wanted, |p| p.extension().is_some_and(|x| x == "perm"))?;
    // A path naming a file is taken whatever its name.
    let named: Vec<PathBuf> = wanted
        .iter()
        .filter(|p| !p.as_os_str().is_empty() && !files.iter().any(|(f, _)| f == *p))
        .cloned()
        .collect();
    files.extend(repo.fetch(&named, |_| true)?);
    configs.sort();
    configs.dedup();
    let found_configs = repo.fetch(&configs, |_| true)?;
    let mut catalogs = Vec::new();
    for (path, bytes) in &found_configs {
        let text = String::from_utf8_lossy(bytes).into_owned();
        if let Ok(loaded) = config::parse(path, text) {
            if let Some(catalog) = &loaded.config.catalog {
                catalogs.push(normalize(&loaded.dir().join(catalog)));
            }
        }
    }
    let found_catalogs = repo.fetch(&catalogs, |_| true)?;
    let mut preludes = Vec::new();
    for (path, bytes) in &found_catalogs {
        let yaml: serde_yaml::Value = serde_yaml::from_slice(bytes).unwrap_or_default();
        if let Some(prelude) = yaml.get("prelude").and_then(|p| p.as_str()) {
            let dir = path.parent().unwrap_or(Path::new(""));
            preludes.push(normalize(&dir.join(prelude)));
        }
    }
    let found_preludes = repo.fetch(&preludes, |_| true)?;
    let mut memory = Memory::new().with_cwd(&cwd);
    for (path, bytes) in files
        .into_iter()
        .chain(found_configs)
        .chain(found_catalogs)
        .chain(found_preludes)
    {
        memory.insert(repo.top.join(path), bytes);
    }
    Ok(memory)
}

/// The path with links resolved, as far as it exists.
fn real(path: &Path) -> PathBuf {
    let path = normalize(path);
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(found) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(found, |p, c| p.join(c));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// The commit `rev` names.
fn commit(dir: &Path, rev: &str) -> Result<String, GitError> {
    let unknown = || GitError::new(format!("unknown revision `{rev}`"));
    if rev.is_empty() || rev.starts_with('-') {
        return Err(unknown());
    }
    let spec = format!("{rev}^{{commit}}");
    let out = git(dir, &["rev-parse", "--verify", "--quiet", &spec]).map_err(|e| match e {
        Failure::Spawn(_) => e.into(),
        Failure::Status(_) if is_shallow(dir) => unknown().with_help(
            "the clone is shallow and may not hold it: fetch the history, with `fetch-depth: 0` in actions/checkout or `git fetch --unshallow`",
        ),
        Failure::Status(_) => unknown(),
    })?;
    Ok(String::from_utf8_lossy(&out).trim().to_owned())
}

/// Whether the repository at `dir` is a shallow clone (`--depth 1`, the
/// default of actions/checkout), whose history stops short.
fn is_shallow(dir: &Path) -> bool {
    git(dir, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|out| out.starts_with(b"true"))
}

struct Repo {
    top: PathBuf,
    rev: String,
}

impl Repo {
    /// `path` (the real form of `shown`) relative to the repository's top.
    fn inside(&self, path: &Path, shown: &Path) -> Result<PathBuf, GitError> {
        path.strip_prefix(&self.top)
            .map(Path::to_owned)
            .map_err(|_| {
                GitError::new(format!(
                    "`{}` is not in the git repository at `{}`",
                    shown.display(),
                    self.top.display()
                ))
            })
    }

    /// Whether `path` (relative to the top; empty for the top) is at the
    /// revision.
    fn exists(&self, path: &Path) -> Result<bool, GitError> {
        if path.as_os_str().is_empty() {
            return Ok(true);
        }
        let spec = format!("{}:{}", self.rev, slashed(path));
        match git(&self.top, &["cat-file", "-e", &spec]) {
            Ok(_) => Ok(true),
            Err(Failure::Status(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether `path` is a folder at the revision.
    fn is_dir(&self, path: &Path) -> Result<bool, GitError> {
        let spec = format!("{}:{}", self.rev, slashed(path));
        match git(&self.top, &["cat-file", "-t", &spec]) {
            Ok(kind) => Ok(kind.starts_with(b"tree")),
            Err(Failure::Status(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The blobs at or under `paths` (relative to the top) that `keep`
    /// accepts, with their bytes; symbolic links and submodules are left
    /// out. An empty path is the whole repository.
    fn fetch(
        &self,
        paths: &[PathBuf],
        keep: impl Fn(&Path) -> bool,
    ) -> Result<Vec<(PathBuf, Vec<u8>)>, GitError> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = vec![
            "--literal-pathspecs".to_owned(),
            "ls-tree".to_owned(),
            "-r".to_owned(),
            "-z".to_owned(),
            "--full-tree".to_owned(),
            self.rev.clone(),
            "--".to_owned(),
        ];
        if paths.iter().all(|p| !p.as_os_str().is_empty()) {
            args.extend(paths.iter().map(|p| slashed(p)));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let listing = git(&self.top, &args)?;
        let mut blobs = Vec::new();
        for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut meta = meta.split(' ');
            let (mode, kind, object) = (meta.next(), meta.next(), meta.next());
            let path = PathBuf::from(path);
            if kind == Some("blob") && mode != Some("120000") && keep(&path) {
                if let Some(object) = object {
                    blobs.push((path, object.to_owned()));
                }
            }
        }
        let objects: String = blobs.iter().map(|(_, o)| format!("{o}\n")).collect();
        let mut contents = read_blobs(&self.top, objects)?.into_iter();
        let mut out = Vec::with_capacity(blobs.len());
        for (path, _) in blobs {
            let bytes = contents.next().ok_or_else(|| {
                GitError::new("git stopped before every file was read".to_owned())
            })?;
            out.push((path, bytes));
        }
        Ok(out)
    }
}

/// The contents of every object named in `objects` (one per line), in
/// order, from one `git cat-file --batch`.
fn read_blobs(top: &Path, objects: String) -> Result<Vec<Vec<u8>>, GitError> {
    if objects.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = spawn(top, &["cat-file", "--batch"])?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| GitError::new("cannot talk to git".to_owned()))?;
    // Written from another thread, so that a large request never waits on
    // an answer nobody reads yet.
    let writer = std::thread::spawn(move || stdin.write_all(objects.as_bytes()));
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| GitError::new("cannot talk to git".to_owned()))?;
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::new();
    let mut header = Vec::new();
    loop {
        header.clear();
        if reader.read_until(b'\n', &mut header).map_err(io)? == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&header);
        let mut words = line.split_whitespace();
        let size = match (words.next(), words.next(), words.next()) {
            (Some(_), Some(_), Some(size)) => size.parse::<usize>().ok(),
            _ => None,
        };
        let Some(size) = size else {
            return Err(GitError::new(format!("git cannot read `{}`", line.trim())));
        };
        let mut bytes = vec![0; size];
        reader.read_exact(&mut bytes).map_err(io)?;
        let mut newline = [0u8; 1];
        reader.read_exact(&mut newline).map_err(io)?;
        out.push(bytes);
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}

fn io(error: std::io::Error) -> GitError {
    GitError::new(format!(
        "cannot read from git: {}",
        super::discover::io_reason(&error)
    ))
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Why running git failed.
enum Failure {
    /// It could not be started.
    Spawn(String),
    /// It exited unsuccessfully, with what it printed on stderr.
    Status(String),
}

impl Failure {
    /// "not in a git repository" when git says so; its own words for
    /// anything else (an unsafe owner, a damaged repository).
    fn or_not_a_repository(self, dir: &Path) -> GitError {
        match self {
            Failure::Status(message) if message.contains("not a git repository") => {
                GitError::new(format!("`{}` is not in a git repository", dir.display()))
            }
            other => other.into(),
        }
    }
}

impl From<Failure> for GitError {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Spawn(reason) => GitError::new(format!("cannot run `git`: {reason}")),
            Failure::Status(message) => GitError::new(format!("git failed: {message}")),
        }
    }
}

fn spawn(dir: &Path, args: &[&str]) -> Result<std::process::Child, GitError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Failure::Spawn(super::discover::io_reason(&e)).into())
}

/// Runs git in `dir` and returns what it printed.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Failure> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| Failure::Spawn(super::discover::io_reason(&e)))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let message = String::from_utf8_lossy(&output.stderr);
        let first = message.lines().next().unwrap_or("").trim();
        Err(Failure::Status(
            first.trim_start_matches("fatal: ").to_owned(),
        ))
    }
}
