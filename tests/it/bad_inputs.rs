//! The bad-input catalogue: inputs that a policy repository should never
//! contain, but will. Each case runs the real binary on files in a temporary
//! directory and asserts the exit code, the rule reported (or the message on
//! standard error for I/O and configuration errors, exit 2), and that the
//! run neither panics nor hangs.
//!
//! The deadline below is a guard against hangs, not a performance
//! assertion: a run that exceeds it is killed and the test fails.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long one run of the binary may take before it counts as a hang.
const DEADLINE: Duration = Duration::from_secs(60);

/// The outcome of one run of the binary.
struct Run {
    what: String,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The `--format json` report on standard output.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{}: stdout is not JSON ({e}):\n{}", self.what, self.stdout))
    }

    /// The rules of the JSON report's diagnostics, in order.
    fn rules(&self) -> Vec<String> {
        self.json()["diagnostics"]
            .as_array()
            .map(|all| {
                all.iter()
                    .map(|d| d["rule"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "{}: exit code\nstdout:\n{}\nstderr:\n{}",
            self.what, self.stdout, self.stderr
        );
        self
    }

    fn expect_stderr(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "{}: `{needle}` not on stderr:\n{}",
            self.what,
            self.stderr
        );
        self
    }
}

/// The binary with `args` in `dir`, colours off.
fn rolecall(dir: &Path, args: &[&str]) -> Command {
    crate::common::Run::new(args).cwd(dir).command()
}

/// Runs `command` to its end within [`DEADLINE`]; fails on a panic or a hang.
fn execute(mut command: Command) -> Run {
    let what = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot start ({e})"));
    // Read both pipes while waiting, or a large output would block the child.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {DEADLINE:?}, killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status
            .code()
            .unwrap_or_else(|| panic!("{what}: killed by a signal ({status})")),
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
        what,
    };
    assert_ne!(run.code, 101, "{}: panicked\n{}", run.what, run.stderr);
    assert!(
        !run.stderr.contains("panicked"),
        "{}: panicked\n{}",
        run.what,
        run.stderr
    );
    run
}

/// `rolecall check . --format json` in `dir`.
fn check_json(dir: &Path) -> Run {
    execute(rolecall(dir, &["check", ".", "--format", "json"]))
}

/// A temporary directory holding `files` (path, contents).
fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, contents) in files {
        write(&dir.path().join(path), contents);
    }
    dir
}

fn write(path: &Path, contents: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, contents).expect("write");
}

/// Two admins, so that `min-admins` stays quiet in sets with members.
const ADMINS: &str =
    "member \"root1@x.com\" profile \"Admin\"\nmember \"root2@x.com\" profile \"Admin\"\n";

fn assert_rules(run: &Run, expected: &[&str]) {
    assert_eq!(run.rules(), expected, "{}\n{}", run.what, run.stdout);
}

#[test]
fn invalid_utf8_is_invalid_encoding_at_the_first_bad_byte() {
    let text = b"platform apollo\nprofile \"Caf\xe9\" {\n}\n";
    let dir = tree(&[("a.perm", text)]);
    let run = check_json(dir.path());
    run.expect_code(1);
    assert_rules(&run, &["invalid-encoding"]);
    let report = run.json();
    let diagnostic = &report["diagnostics"][0];
    assert!(
        diagnostic["message"]
            .as_str()
            .is_some_and(|m| m.contains("offset 28")),
        "{diagnostic}"
    );
    assert_eq!(
        (diagnostic["line"].clone(), diagnostic["column"].clone()),
        (2.into(), 13.into())
    );
}

#[test]
fn nul_bytes_are_a_syntax_error_where_they_start() {
    let dir = tree(&[("a.perm", b"platform apollo\n\0\0\0\0member \"a@x.com\"\n")]);
    let run = check_json(dir.path());
    run.expect_code(1);
    assert_rules(&run, &["syntax"]);
    let report = run.json();
    assert_eq!(report["diagnostics"][0]["line"], 2);
    assert_eq!(report["diagnostics"][0]["column"], 1);
}

#[test]
fn an_empty_file_is_an_empty_policy_file() {
    // Beside a file that names the platform it is fine...
    let dir = tree(&[("a.perm", b""), ("b.perm", b"platform apollo\n")]);
    let run = check_json(dir.path());
    run.expect_code(0);
    assert_rules(&run, &[]);
    assert_eq!(run.json()["summary"]["files"], 2);
    // ...alone, nothing names a platform.
    let alone = tree(&[("a.perm", b"")]);
    let run = check_json(alone.path());
    run.expect_code(1);
    assert_rules(&run, &["missing-platform"]);
}

#[test]
fn a_ten_megabyte_line_is_checked() {
    let mut text = b"platform apollo # ".to_vec();
    text.resize(10_000_000, b'x');
    let dir = tree(&[("a.perm", &text)]);
    let run = check_json(dir.path());
    run.expect_code(0);
    assert_rules(&run, &[]);
}

#[test]
fn many_statements_on_one_line_are_located_exactly() {
    // About 1 MB on one line; the last member repeats the first.
    let mut text = String::from("platform apollo");
    for i in 0..40_000 {
        text.push_str(&format!(" member \"m{i}@x.com\""));
    }
    let repeat = text.chars().count() + 2;
    text.push_str(" member \"m0@x.com\"\n");
    let dir = tree(&[("a.perm", text.as_bytes())]);
    let run = check_json(dir.path());
    run.expect_code(1);
    let report = run.json();
    let duplicate: Vec<&Value> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["rule"] == "duplicate-member")
        .collect();
    assert_eq!(duplicate.len(), 1, "{}", run.stdout);
    assert_eq!(duplicate[0]["line"], 1);
    // The second definition's id, after `member `.
    assert_eq!(duplicate[0]["column"], repeat + 7);
    assert_eq!(report["summary"]["members"], 40_001);
}

#[test]
fn an_unterminated_string_is_a_syntax_error_at_its_quote() {
    let dir = tree(&[("a.perm", b"platform apollo\nprofile \"Sales {\n}\n")]);
    let run = check_json(dir.path());
    run.expect_code(1);
    assert_rules(&run, &["syntax"]);
    let report = run.json();
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(
        (diagnostic["line"].clone(), diagnostic["column"].clone()),
        (2.into(), 9.into())
    );
    assert!(
        diagnostic["help"]
            .as_str()
            .is_some_and(|h| h.contains("strings stay on one line")),
        "{diagnostic}"
    );
}

#[test]
fn an_unterminated_block_is_a_syntax_error_at_the_end() {
    let dir = tree(&[(
        "a.perm",
        b"platform apollo\nprofile \"Sales\" {\n  contacts.delete = team\n",
    )]);
    let run = check_json(dir.path());
    run.expect_code(1);
    assert_rules(&run, &["syntax"]);
    let report = run.json();
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["line"], 4);
    assert!(
        diagnostic["help"]
            .as_str()
            .is_some_and(|h| h.contains("a block is not closed")),
        "{diagnostic}"
    );
}

#[test]
fn an_integer_too_large_for_any_limit_is_invalid_value() {
    let huge = "340282366920938463463374607431768211456"; // 2^128
    let text = format!(
        "platform apollo\nsettings {{\n  mailbox.sending_limit = {huge}\n}}\n\
         profile \"Sales\" {{\n  mailbox.sending_limit = {huge}\n}}\n{ADMINS}\
         member \"a@x.com\" profile \"Sales\"\n"
    );
    let dir = tree(&[("a.perm", text.as_bytes())]);
    let run = check_json(dir.path());
    run.expect_code(1);
    assert_rules(&run, &["invalid-value", "invalid-value"]);
    assert!(run.stdout.contains("is too large"), "{}", run.stdout);
}

#[test]
fn a_thousand_segment_id_is_an_unknown_permission() {
    let id = vec!["seg"; 1000].join(".");
    let text = format!("platform apollo\nprofile \"Sales\" {{\n  {id} = allow\n}}\n");
    let dir = tree(&[("a.perm", text.as_bytes())]);
    let run = check_json(dir.path());
    run.expect_code(1);
    assert_rules(&run, &["unknown-permission"]);
}

#[test]
fn a_profile_extending_itself_is_a_cycle() {
    let dir = tree(&[(
        "a.perm",
        b"platform apollo\nprofile \"Loop\" extends \"Loop\" {\n}\n",
    )]);
    let run = check_json(dir.path());
    run.expect_code(1);
    assert_rules(&run, &["inheritance-cycle"]);
    assert!(run.stdout.contains("Loop → Loop"), "{}", run.stdout);
}

/// A policy set of `count` profiles, each extending the previous one.
fn deep_chain(count: usize) -> String {
    let mut text = String::from("platform apollo\n\nprofile \"P0\" extends \"Non-admin\" {\n}\n");
    for i in 1..count {
        text.push_str(&format!(
            "\nprofile \"P{i}\" extends \"P{}\" {{\n}}\n",
            i - 1
        ));
    }
    text.push_str(&format!(
        "\n{ADMINS}member \"a@x.com\" profile \"P{}\"\n",
        count - 1
    ));
    text
}

#[test]
fn a_twenty_thousand_deep_chain_checks_explains_and_formats() {
    let dir = tree(&[("a.perm", deep_chain(20_000).as_bytes())]);
    let run = check_json(dir.path());
    run.expect_code(0);
    assert_rules(&run, &[]);
    assert_eq!(run.json()["summary"]["profiles"], 20_000);

    let explain = execute(rolecall(
        dir.path(),
        &["explain", "P19999", "contacts.delete", "--format", "json"],
    ));
    explain.expect_code(0);
    let chain = explain.json();
    // Every profile of the chain, then the prelude's Non-admin that set it.
    assert_eq!(chain["steps"].as_array().map(Vec::len), Some(20_001));
    assert_eq!(chain["origin"]["profile"], "Non-admin");

    let table = execute(rolecall(dir.path(), &["explain", "P19999"]));
    table.expect_code(0);
    assert!(table.stdout.contains("contacts.delete"), "{}", table.stdout);

    let fmt = execute(rolecall(dir.path(), &["fmt", "--check", "."]));
    fmt.expect_code(0);
    assert_eq!(fmt.stdout, "", "already formatted");
}

/// A policy set of `count` profiles extending each other in one loop.
fn big_loop(count: usize) -> String {
    let mut text = String::from("platform apollo\n");
    for i in 0..count {
        text.push_str(&format!(
            "\nprofile \"L{i}\" extends \"L{}\" {{\n}}\n",
            (i + 1) % count
        ));
    }
    text
}

#[test]
fn a_five_thousand_profile_loop_is_reported_once_by_every_command() {
    let dir = tree(&[("a.perm", big_loop(5_000).as_bytes())]);
    let run = check_json(dir.path());
    run.expect_code(1);
    assert_rules(&run, &["inheritance-cycle"]);
    let report = run.json();
    let cycle = &report["diagnostics"][0];
    assert!(
        cycle["message"]
            .as_str()
            .is_some_and(|m| m.contains("L0 → L1 → L2") && m.ends_with("L4999 → L0")),
        "{}",
        cycle["message"]
    );
    assert_eq!(cycle["labels"].as_array().map(Vec::len), Some(4_999));

    let human = execute(rolecall(dir.path(), &["check", "."]));
    human.expect_code(1);
    assert_eq!(
        human.stdout.matches("rolecall::inheritance-cycle").count(),
        1
    );
    // The first 100 edges are drawn; the message still names the whole loop.
    assert!(
        human.stdout.contains("`L99` extends `L100`"),
        "{}",
        human.stdout
    );
    assert!(
        !human.stdout.contains("`L101` extends `L102`"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("4899 more labels are"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("L4999 →"), "{}", human.stdout);

    let explain = execute(rolecall(dir.path(), &["explain", "L0", "--format", "json"]));
    explain.expect_code(1);
    assert_rules(&explain, &["inheritance-cycle"]);

    let bundle = dir.path().join("bundle.json");
    let build = execute(rolecall(dir.path(), &["build", ".", "-o", "bundle.json"]));
    build.expect_code(1).expect_stderr("no bundle written");
    assert!(!bundle.exists(), "a bundle was written despite the loop");

    let fmt = execute(rolecall(dir.path(), &["fmt", "--check", "."]));
    fmt.expect_code(0);
}

#[test]
fn ten_thousand_small_files_are_each_read_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        &dir.path().join("org.perm"),
        format!("platform apollo\n{ADMINS}").as_bytes(),
    );
    for i in 0..10_000 {
        let path = dir.path().join(format!("team{:02}/m{i:05}.perm", i / 500));
        write(&path, format!("member \"m{i}@x.com\"\n").as_bytes());
    }
    let run = check_json(dir.path());
    run.expect_code(0);
    assert_rules(&run, &[]);
    let summary = &run.json()["summary"];
    assert_eq!(summary["files"], 10_001);
    assert_eq!(summary["members"], 10_002);
}

#[test]
fn a_directory_named_like_a_policy_file_is_walked_not_read() {
    let dir = tree(&[
        ("a.perm", format!("platform apollo\n{ADMINS}").as_bytes()),
        ("x.perm/notes.txt", b"not a policy"),
        ("y.perm/inner.perm", b"member \"a@x.com\"\n"),
    ]);
    let run = check_json(dir.path());
    run.expect_code(0);
    assert_rules(&run, &[]);
    assert_eq!(run.json()["summary"]["files"], 2);
    // Named on the command line, it is a directory to search like any other.
    let named = execute(rolecall(dir.path(), &["check", "x.perm"]));
    named
        .expect_code(2)
        .expect_stderr("no policy files (`*.perm`) under `x.perm`");
}

/// Whether this process runs as root, from the owner of a file it creates.
#[cfg(unix)]
fn running_as_root(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = dir.join("owner-probe");
    write(&probe, b"");
    let uid = std::fs::metadata(&probe).expect("probe").uid();
    std::fs::remove_file(&probe).expect("remove probe");
    uid == 0
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_or_directory_is_an_io_error() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod")
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    mode(root, 0o755);
    // Root reads any file whatever its mode, so as root the binary runs as
    // `nobody` through setpriv. A copy of it in the temporary directory
    // keeps it reachable for `nobody` wherever the build lives.
    let as_root = running_as_root(root);
    let binary = root.join("rolecall");
    std::fs::copy(env!("CARGO_BIN_EXE_rolecall"), &binary).expect("copy the binary");
    mode(&binary, 0o755);
    let command = |args: &[&str]| {
        let mut command = if as_root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&binary);
            c
        } else {
            Command::new(&binary)
        };
        command.args(args).current_dir(root).env("NO_COLOR", "1");
        command
    };
    let policy = format!("platform apollo\n{ADMINS}");
    for name in ["open/a.perm", "closed/a.perm", "hidden/a.perm"] {
        write(&root.join(name), policy.as_bytes());
        mode(root.join(name).parent().expect("parent"), 0o755);
        mode(&root.join(name), 0o644);
    }
    // The same identity reads a readable file: what fails below is the mode.
    let readable = execute(command(&["check", "open"]));
    assert_ne!(
        readable.code, 127,
        "setpriv is needed to run as `nobody` when the tests run as root: {}",
        readable.stderr
    );
    readable.expect_code(0);

    mode(&root.join("closed/a.perm"), 0o000);
    let file = execute(command(&["check", "closed"]));
    file.expect_code(2)
        .expect_stderr("cannot read `closed/a.perm`: permission denied");

    mode(&root.join("hidden"), 0o000);
    let directory = execute(command(&["check", "hidden"]));
    mode(&root.join("hidden"), 0o755);
    directory
        .expect_code(2)
        .expect_stderr("cannot read `hidden`: permission denied");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_the_tree_is_survived() {
    let dir = tree(&[
        ("a.perm", format!("platform apollo\n{ADMINS}").as_bytes()),
        ("team/b.perm", b"member \"b@x.com\"\n"),
    ]);
    std::os::unix::fs::symlink("..", dir.path().join("team/up")).expect("symlink");
    let run = check_json(dir.path());
    run.expect_code(0);
    assert_rules(&run, &[]);
    // Each file once, though the loop reaches it again.
    assert_eq!(run.json()["summary"]["files"], 2);

    // A link to itself cannot be read as a policy file: an I/O error.
    std::os::unix::fs::symlink("self.perm", dir.path().join("self.perm")).expect("symlink");
    let looped = check_json(dir.path());
    looped
        .expect_code(2)
        .expect_stderr("cannot read `self.perm`: too many levels of symbolic links");
}

#[test]
fn configuration_with_wrong_types_is_a_located_config_error() {
    for (yaml, message, place) in [
        (
            "platform: apollo\nmin_admins: \"two\"\n",
            "min_admins: invalid type: string \"two\", expected a non-negative integer",
            "rolecall.yaml:2:13",
        ),
        (
            "platform: [apollo]\n",
            "platform: invalid type: sequence, expected a string",
            "rolecall.yaml:1:11",
        ),
        (
            "platform: apollo\nrules:\n  see-all-emails: loud\n",
            "unknown variant `loud`",
            "rolecall.yaml:3:",
        ),
    ] {
        let run = config_error(yaml, message, place);
        assert!(!run.stderr.contains("usize"), "{}", run.stderr);
    }
}

#[test]
fn configuration_with_unknown_keys_is_a_located_config_error() {
    for (yaml, message, place) in [
        (
            "platform: apollo\nplann: basic\n",
            "unknown key `plann`",
            "rolecall.yaml:2:1",
        ),
        (
            "platform: apollo\nrules:\n  see-all-email: off\n",
            "see-all-email",
            "rolecall.yaml:3:",
        ),
    ] {
        config_error(yaml, message, place);
    }
}

/// Checks a set whose `rolecall.yaml` is `yaml`: exit 2, a configuration
/// error with `message` at `place` on stderr.
fn config_error(yaml: &str, message: &str, place: &str) -> Run {
    let dir = tree(&[
        ("rolecall.yaml", yaml.as_bytes()),
        ("a.perm", ADMINS.as_bytes()),
    ]);
    let run = check_json(dir.path());
    run.expect_code(2)
        .expect_stderr("rolecall::config")
        .expect_stderr(message)
        .expect_stderr(place);
    run
}

#[test]
fn other_files_do_not_affect_the_result() {
    let policy =
        format!("platform apollo\nprofile \"Spare\" {{\n  emails.visibility = all\n}}\n{ADMINS}");
    let dir = tree(&[("a.perm", policy.as_bytes())]);
    let alone = check_json(dir.path());
    alone.expect_code(0);
    assert_rules(&alone, &["unused-profile", "see-all-emails"]);
    for (name, contents) in [
        ("notes.txt", &b"\xff\xfe not text"[..]),
        ("a.perm.bak", b"profile {{{ broken"),
        ("README.md", b"# policies\n"),
        ("UPPER.PERM", b"platform amplemarket\n"),
        ("perm", b"member \"x@x.com\" profile \"Nope\"\n"),
        ("docs/draft.perm~", b"\0\0\0"),
    ] {
        write(&dir.path().join(name), contents);
    }
    let with_others = check_json(dir.path());
    with_others.expect_code(0);
    assert_eq!(alone.stdout, with_others.stdout);
}
