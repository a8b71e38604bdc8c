//! The access review in a real browser: each shipped example's page is
//! rendered by headless Chromium, offline, and must load without a single
//! console message (a script error, a refused style or script, a blocked
//! fetch all show there); the DOM Chromium built is then read back.
//!
//! Without Chromium (`chromium` or `chromium-browser` on `PATH`, or the
//! `CHROMIUM` variable) the test says so and passes; `.ci/run` installs
//! Debian's `chromium` so that CI runs it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rolecall::report::Review;
use scraper::{Html, Selector};

/// The longest Chromium may take to render one page before the test fails.
const DEADLINE: Duration = Duration::from_secs(120);

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// What Chromium made of a page: the serialised DOM and its log.
struct Rendered {
    dom: String,
    log: String,
}

/// Renders `page` in headless Chromium, offline and with a fresh profile,
/// and returns the DOM after load with the browser's log.
fn render(browser: &Path, page: &Path) -> Rendered {
    let profile = tempfile::tempdir().expect("a profile dir");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1400,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes on their own threads so neither fills up and blocks.
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let dom = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = out.read_to_string(&mut text);
        text
    });
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = err.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("chromium is waited for") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not render `{}` in {DEADLINE:?}",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let rendered = Rendered {
        dom: dom.join().unwrap_or_default(),
        log: log.join().unwrap_or_default(),
    };
    assert!(status.success(), "chromium failed: {}", rendered.log);
    rendered
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("a valid selector");
    doc.select(&selector).collect()
}

fn text(element: &scraper::ElementRef<'_>) -> String {
    element.text().collect()
}

#[test]
fn the_examples_render_in_chromium_without_console_errors() {
    let Some(browser) = chromium() else {
        eprintln!(
            "skipped: no Chromium found (install Debian's `chromium`, or set CHROMIUM to its path)"
        );
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    for example in ["apollo-acme", "amplemarket-team"] {
        let set = root.join("policies/examples").join(example);
        let page = dir.path().join(format!("{example}.html"));
        let output = crate::common::Run::new(["report"])
            .arg(&set)
            .arg("-o")
            .arg(&page)
            .output();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let workspace = rolecall::load::load(&[set], None).expect("loads");
        let compilation = rolecall::compile(&workspace);
        let review = Review::of(&compilation, workspace.naming()).expect("error-free");

        let rendered = render(&browser, &page);
        let console: Vec<&str> = rendered
            .log
            .lines()
            .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("Refused"))
            .collect();
        assert!(console.is_empty(), "{example}: console says {console:#?}");
        let doc = Html::parse_document(&rendered.dom);

        // The script ran under the page's policy: the click hint is shown.
        let hint = select(&doc, "#where");
        assert_eq!(hint.len(), 1, "{example}");
        assert_eq!(
            hint[0].value().attr("hidden"),
            None,
            "{example}: script did not run"
        );
        assert!(
            select(&doc, "table.matrix.interactive").len() == 1,
            "{example}: the matrix did not become clickable"
        );

        // Every profile is a row and a node; every permission a column.
        let rows: Vec<String> = select(&doc, "table.matrix tbody tr")
            .iter()
            .filter_map(|r| r.value().attr("data-profile").map(str::to_owned))
            .collect();
        let names: Vec<String> = review.profiles.iter().map(|p| p.name.clone()).collect();
        assert_eq!(rows, names, "{example}");
        let columns: Vec<String> = select(&doc, "table.matrix th.perm")
            .iter()
            .map(text)
            .collect();
        let ids: Vec<String> = review.columns.iter().map(|c| c.id.clone()).collect();
        assert_eq!(columns, ids, "{example}");
        let nodes: Vec<String> = select(&doc, "svg.graph g.node")
            .iter()
            .filter_map(|n| n.value().attr("data-profile").map(str::to_owned))
            .collect();
        let mut sorted = nodes.clone();
        sorted.sort();
        let mut expected = names.clone();
        expected.sort();
        assert_eq!(sorted, expected, "{example}: one node per profile");
        for node in select(&doc, "svg.graph g.node") {
            let name = node.value().attr("data-profile").unwrap_or_default();
            let label = select_in(&node, "text.name");
            assert_eq!(label, rolecall::report::graph::label(name), "{example}");
        }
        let edges: Vec<(String, String)> = select(&doc, "svg.graph path.edge")
            .iter()
            .map(|e| {
                let attr = |a| e.value().attr(a).unwrap_or_default().to_owned();
                (attr("data-parent"), attr("data-child"))
            })
            .collect();
        let mut wanted: Vec<(String, String)> = review
            .profiles
            .iter()
            .flat_map(|p| p.extends.iter().map(|e| (e.clone(), p.name.clone())))
            .collect();
        let mut got = edges.clone();
        got.sort();
        wanted.sort();
        assert_eq!(got, wanted, "{example}: one edge per extends");
        assert_eq!(
            select(&doc, "#members tbody tr").len(),
            review.members.len(),
            "{example}"
        );

        // A known cell holds its value.
        let (profile, permission, value) = match example {
            "apollo-acme" => ("Compliance Auditor", "emails.visibility", "all"),
            _ => ("Sales Rep", "mailbox.sending_limit", "50"),
        };
        let css = format!(r#"tr[data-profile="{profile}"] td[data-perm="{permission}"]"#);
        let cell = select(&doc, &css);
        assert_eq!(cell.len(), 1, "{example}: {css}");
        assert_eq!(text(&cell[0]), value, "{example}: {css}");
        if example == "apollo-acme" {
            let classes: Vec<&str> = cell[0].value().classes().collect();
            assert!(classes.contains(&"all-emails"), "{classes:?}");
            let waivers = select(&doc, "#waivers tbody tr");
            assert_eq!(waivers.len(), 3);
        }
    }
}

fn select_in(element: &scraper::ElementRef<'_>, css: &str) -> String {
    let selector = Selector::parse(css).expect("a valid selector");
    element.select(&selector).map(|e| text(&e)).collect()
}
