//! Loading from other trees than the disk: the same policy set read from
//! memory compiles to the same diagnostics and the same bundle, with names
//! relative to the loader's root.

use std::path::{Path, PathBuf};

use rolecall::load::{Disk, Loader, Memory, Provider};

/// Every file under `dir` of the disk, in a memory tree under `prefix`.
fn copy_into_memory(dir: &Path, prefix: &str) -> Memory {
    let mut tree = Memory::new();
    for entry in walk(dir) {
        let relative = entry.strip_prefix(dir).expect("under the folder");
        let bytes = std::fs::read(&entry).expect("readable");
        tree.insert(Path::new(prefix).join(relative), bytes);
    }
    tree
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("a folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_set_read_from_memory_compiles_like_the_same_set_on_disk() {
    for example in ["apollo-acme", "amplemarket-team"] {
        let dir = Path::new("policies/examples").join(example);
        let disk = Loader::new(&Disk, Path::new("."))
            .load(std::slice::from_ref(&dir), None)
            .expect("loads from disk");
        let prefix = format!("repo/policies/examples/{example}");
        let tree = copy_into_memory(&dir, &prefix).with_cwd("repo");
        let set = PathBuf::from("policies/examples");
        let memory = Loader::new(&tree, Path::new("."))
            .load(&[set.join(example)], None)
            .expect("loads from memory");

        let names = |w: &rolecall::load::Workspace| -> Vec<String> {
            w.files().map(|(_, f)| f.name.clone()).collect()
        };
        // Names are relative to the root: the tree's `repo/` does not show.
        let on_disk = names(&disk);
        assert!(!on_disk.is_empty());
        assert_eq!(names(&memory), on_disk, "{example}");
        assert_eq!(
            memory.config().map(|c| c.source.name.clone()),
            disk.config().map(|c| c.source.name.clone())
        );

        let (a, b) = (rolecall::compile(&disk), rolecall::compile(&memory));
        assert_eq!(
            format!("{:?}", a.diagnostics),
            format!("{:?}", b.diagnostics),
            "{example}"
        );
        let bundle = |c: &rolecall::Compilation, w: &rolecall::load::Workspace| {
            c.bundle(w.naming()).expect("builds").to_json()
        };
        assert_eq!(bundle(&a, &disk), bundle(&b, &memory), "{example}");
    }
}

#[test]
fn memory_trees_report_missing_paths_and_empty_sets_as_load_errors() {
    let mut tree = Memory::new();
    tree.insert("set/notes.txt", "nothing to see");
    let loader = Loader::new(&tree, Path::new("/"));
    for (path, needle) in [
        (
            "missing",
            "cannot read `missing`: no such file or directory",
        ),
        ("set", "no policy files"),
    ] {
        let failure = loader
            .load(&[PathBuf::from(path)], None)
            .expect_err("nothing to load");
        assert_eq!(failure.diagnostics.len(), 1);
        assert_eq!(failure.diagnostics[0].rule, "load");
        assert!(
            failure.diagnostics[0].message.contains(needle),
            "{}",
            failure.diagnostics[0].message
        );
    }
    assert_eq!(tree.kind(Path::new("set")), Ok(rolecall::load::Kind::Dir));
}

#[test]
fn a_configuration_in_memory_is_found_upward_and_its_errors_point_into_it() {
    let mut tree = Memory::new();
    tree.insert("set/rolecall.yaml", "platform: apollo\nmin_admins: many\n");
    tree.insert("set/sub/a.perm", "member \"a@x\" profile \"Admin\"\n");
    let failure = Loader::new(&tree, Path::new("/"))
        .load(&[PathBuf::from("set/sub")], None)
        .expect_err("a bad configuration");
    let diagnostic = &failure.diagnostics[0];
    assert_eq!(diagnostic.rule, "config");
    assert_eq!(
        failure.sources.get(diagnostic.primary.span.file).name,
        "set/rolecall.yaml"
    );
    assert_eq!(failure.sources.snippet(diagnostic.primary.span), "many");
}
