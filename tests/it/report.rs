//! `rolecall report`: the access review's three forms, its exit codes, its
//! escaping of user text, and that it fetches nothing and depends on
//! nothing but the policy set.

use std::path::{Path, PathBuf};

use rolecall::report::{Review, Source};
use scraper::{Html, Selector};

use crate::common::{rolecall, stderr};

const EXAMPLES: [&str; 2] = ["apollo-acme", "amplemarket-team"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes the report of `set` in `format` and returns its text.
fn report(set: &str, format: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report");
    let output = rolecall(&["report", set, "-o", path(&out), "--format", format], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    std::fs::read_to_string(&out).expect("the report is written")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("a valid selector");
    doc.select(&selector).collect()
}

fn review(set: &Path) -> Review {
    let workspace = rolecall::load::load(&[set.to_path_buf()], None).expect("loads");
    let compilation = rolecall::compile(&workspace);
    Review::of(&compilation, workspace.naming()).expect("an error-free set")
}

#[test]
fn markdown_and_csv_of_the_examples() {
    for example in EXAMPLES {
        let set = format!("policies/examples/{example}");
        insta::assert_snapshot!(format!("markdown_{example}"), report(&set, "markdown"));
        insta::assert_snapshot!(format!("csv_{example}"), report(&set, "csv"));
    }
}

#[test]
fn csv_has_a_column_per_permission_and_a_row_per_profile() {
    let set = repo().join("policies/examples/apollo-acme");
    let review = review(&set);
    let text = report("policies/examples/apollo-acme", "csv");
    let rows: Vec<Vec<&str>> = text
        .split_terminator("\r\n")
        .map(|line| line.split(',').collect())
        .collect();
    let mut header = vec!["profile"];
    header.extend(review.columns.iter().map(|c| c.id.as_str()));
    assert_eq!(rows[0], header);
    let names: Vec<&str> = rows[1..].iter().map(|r| r[0]).collect();
    assert!(names.contains(&"Admin") && names.contains(&"Non-admin"));
    assert_eq!(names.len(), review.profiles.len());
    let column = header.iter().position(|h| *h == "emails.visibility");
    let auditor = rows.iter().find(|r| r[0] == "Compliance Auditor");
    assert_eq!(auditor.zip(column).map(|(r, c)| r[c]), Some("all"));
}

#[test]
fn a_cell_knows_where_its_value_is_set() {
    let review = review(&repo().join("policies/examples/apollo-acme"));
    let search = review.column("prospecting.search").expect("a permission");
    let sdr = review.profile("SDR").expect("a profile");
    assert_eq!(sdr.cells[search].value, "allow");
    let Source::Inherited { profile, place } = &sdr.cells[search].source else {
        panic!("inherited: {:?}", sdr.cells[search].source);
    };
    assert_eq!(profile, "Non-admin");
    assert_eq!(place.file, "prelude:apollo");
    let emails = review.column("emails.visibility").expect("a permission");
    let auditor = review.profile("Compliance Auditor").expect("a profile");
    let cell = &auditor.cells[emails];
    assert!(cell.all_emails, "{cell:?}");
    assert_eq!(
        cell.source,
        Source::Own(rolecall::report::Place {
            file: "profiles/ops.perm".into(),
            line: 85
        })
    );
    assert_eq!(review.counts.custom_profiles, 11);
    assert_eq!(review.counts.builtin_profiles, 4);
    assert_eq!(review.counts.members, 30);
    assert_eq!(review.counts.waivers, 3);
    assert!(review.revision.starts_with("sha256:") && review.revision.len() == 71);
}

#[test]
fn the_page_fetches_nothing() {
    for example in EXAMPLES {
        let page = report(&format!("policies/examples/{example}"), "html");
        for needle in ["http://", "https://", "src=", "@import", "//cdn", "<link"] {
            assert!(!page.contains(needle), "{example}: `{needle}` in the page");
        }
        // The only `url(` is the arrowhead's reference inside the page.
        assert_eq!(
            page.matches("url(").count(),
            page.matches("url(#arrow)").count()
        );
        let doc = Html::parse_document(&page);
        for tag in ["img", "iframe", "object", "embed", "link", "audio", "video"] {
            assert!(select(&doc, tag).is_empty(), "{example}: a `{tag}` element");
        }
        assert_eq!(select(&doc, "script").len(), 1);
        assert_eq!(select(&doc, "style").len(), 1);
        let csp = select(&doc, r#"meta[http-equiv="Content-Security-Policy"]"#);
        let policy = csp.first().and_then(|m| m.value().attr("content"));
        assert!(
            policy.is_some_and(|p| p.starts_with("default-src 'none'")),
            "{policy:?}"
        );
    }
}

#[test]
fn the_page_shows_the_header_matrix_graph_members_and_waivers() {
    let set = repo().join("policies/examples/apollo-acme");
    let review = review(&set);
    let page = report("policies/examples/apollo-acme", "html");
    let doc = Html::parse_document(&page);
    let text = |css: &str| {
        select(&doc, css)
            .first()
            .map(|e| e.text().collect::<String>())
            .unwrap_or_default()
    };
    assert_eq!(text("#platform"), "apollo");
    assert_eq!(text("#plan"), "organization");
    assert_eq!(text("#revision"), review.revision);
    assert_eq!(text(r#"li[data-count="custom-profiles"] .n"#), "11");
    assert_eq!(text(r#"li[data-count="builtin-profiles"] .n"#), "4");
    assert_eq!(text(r#"li[data-count="waivers"] .n"#), "3");
    assert_eq!(
        select(&doc, "table.matrix tbody tr").len(),
        review.profiles.len()
    );
    assert_eq!(
        select(&doc, "table.matrix th.perm").len(),
        review.columns.len()
    );
    assert_eq!(select(&doc, "table.matrix thead tr").len(), 3);
    let risky = select(
        &doc,
        r#"tr[data-profile="RevOps"] td[data-perm="integrations.edit"]"#,
    );
    let classes: Vec<&str> = risky[0].value().classes().collect();
    assert!(classes.contains(&"risky"), "{classes:?}");
    assert!(
        risky[0]
            .value()
            .attr("title")
            .is_some_and(|t| t.contains("own setting, profiles/ops.perm:21")),
        "{:?}",
        risky[0].value().attr("title")
    );
    assert_eq!(
        select(&doc, "svg.graph g.node").len(),
        review.profiles.len()
    );
    let extends: usize = review.profiles.iter().map(|p| p.extends.len()).sum();
    assert_eq!(select(&doc, "svg.graph path.edge").len(), extends);
    assert_eq!(select(&doc, "#members tbody tr").len(), 30);
    let reasons = text("#waivers");
    assert!(reasons.contains("SOC 2 outreach review, approved by Legal (LEG-57)"));
    assert!(reasons.contains("profiles/ops.perm:85"));
}

#[test]
fn parents_are_drawn_above_their_children() {
    let review = review(&repo().join("policies/examples/apollo-acme"));
    let layout = rolecall::report::graph::layout(&review);
    assert_eq!(layout.nodes.len(), review.profiles.len());
    for &(parent, child) in &layout.edges {
        let (p, c) = (layout.nodes[parent], layout.nodes[child]);
        assert!(
            p.y + p.height <= c.y,
            "{} above {}",
            review.profiles[parent].name,
            review.profiles[child].name
        );
    }
    // No two boxes overlap.
    for (i, a) in layout.nodes.iter().enumerate() {
        for b in &layout.nodes[i + 1..] {
            let apart = a.x + a.width <= b.x
                || b.x + b.width <= a.x
                || a.y + a.height <= b.y
                || b.y + b.height <= a.y;
            assert!(apart, "{a:?} overlaps {b:?}");
        }
        assert!(a.x >= 0.0 && a.y >= 0.0);
        assert!(a.x + a.width <= layout.width && a.y + a.height <= layout.height);
    }
}

#[test]
fn the_same_set_gives_the_same_bytes_from_any_directory() {
    let example = repo().join("policies/examples/apollo-acme");
    for format in ["html", "markdown", "csv"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = dir.path().join("first");
        let second = dir.path().join("second");
        let third = dir.path().join("third");
        let runs = [
            rolecall(
                &[
                    "report",
                    "policies/examples/apollo-acme",
                    "-o",
                    path(&first),
                    "--format",
                    format,
                ],
                Some(&repo()),
            ),
            rolecall(
                &["report", ".", "-o", path(&second), "--format", format],
                Some(&example),
            ),
            rolecall(
                &[
                    "report",
                    path(&example),
                    "-o",
                    path(&third),
                    "--format",
                    format,
                ],
                Some(dir.path()),
            ),
        ];
        for run in &runs {
            assert_eq!(run.status.code(), Some(0), "{}", stderr(run));
        }
        let bytes = |p: &Path| std::fs::read(p).expect("written");
        assert_eq!(bytes(&first), bytes(&second), "{format}");
        assert_eq!(bytes(&first), bytes(&third), "{format}");
    }
}

const HOSTILE_PROFILE: &str = r#"<script>alert("name")</script> & 'Q'"#;
const HOSTILE_MEMBER: &str = "<img src=x onerror=alert(1)>@evil.test";
const HOSTILE_DESCRIPTION: &str = r#"</title><b>bold</b> & "quoted""#;

/// A policy set whose profile name, description and member id are markup.
fn hostile_set() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let text = format!(
        "platform apollo\nplan organization\n\nprofile \"{}\" extends \"Non-admin\" {{\n  description \"{}\"\n  emails.visibility = all  # rolecall: allow(see-all-emails) \"<i>reason</i> & more\"\n}}\n\nmember \"{}\" profile \"{}\" team \"<u>team</u>\"\nmember \"a@x.test\" profile \"Admin\"\nmember \"b@x.test\" profile \"Admin\"\n",
        quote(HOSTILE_PROFILE),
        quote(HOSTILE_DESCRIPTION),
        quote(HOSTILE_MEMBER),
        quote(HOSTILE_PROFILE),
    );
    std::fs::write(dir.path().join("org.perm"), text).expect("written");
    dir
}

#[test]
fn hostile_names_are_shown_as_text_not_markup() {
    let set = hostile_set();
    let page = report(path(set.path()), "html");
    let doc = Html::parse_document(&page);
    // Only the page's own script, no injected element of any kind.
    assert_eq!(select(&doc, "script").len(), 1);
    for tag in ["img", "b", "i", "u"] {
        assert!(
            select(&doc, tag).is_empty(),
            "a `{tag}` element was injected"
        );
    }
    let title = select(&doc, "head title");
    assert_eq!(
        title[0].text().collect::<String>(),
        "Access review: apollo (organization)"
    );
    let row = select(&doc, "table.matrix tbody tr")
        .into_iter()
        .find(|r| r.value().attr("data-profile") == Some(HOSTILE_PROFILE))
        .expect("the hostile profile's row, its name intact");
    let header = select(&doc, "table.matrix tbody tr:last-child th.profile");
    assert!(
        header[0]
            .text()
            .collect::<String>()
            .starts_with(HOSTILE_PROFILE)
    );
    assert!(
        header[0]
            .value()
            .attr("title")
            .is_some_and(|t| t.contains(HOSTILE_DESCRIPTION))
    );
    assert!(row.value().attr("data-profile").is_some());
    let node = select(&doc, "g.node")
        .into_iter()
        .find(|n| n.value().attr("data-profile") == Some(HOSTILE_PROFILE))
        .expect("the hostile profile's node");
    assert!(node.text().collect::<String>().contains(HOSTILE_PROFILE));
    let member = select(&doc, "#members tbody th");
    assert!(
        member
            .iter()
            .any(|m| m.text().collect::<String>() == HOSTILE_MEMBER)
    );
    assert!(
        select(&doc, "#waivers")[0]
            .text()
            .collect::<String>()
            .contains("<i>reason</i> & more")
    );
    assert!(page.contains("&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; 'Q'"));

    let markdown = report(path(set.path()), "markdown");
    assert!(!markdown.contains("<script>") && !markdown.contains("<img"));
    assert!(markdown.contains("&lt;script&gt;alert(\"name\")&lt;/script&gt; &amp; 'Q'"));
    let csv = report(path(set.path()), "csv");
    let line = csv
        .lines()
        .find(|l| l.contains("alert"))
        .expect("the hostile row");
    assert!(
        line.starts_with(r#""<script>alert(""name"")</script> & 'Q'","#),
        "{line}"
    );
}

#[test]
fn a_set_with_errors_gets_no_report_and_exit_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("r.html");
    let output = rolecall(
        &[
            "report",
            "tests/inputs/fixtures/inheritance-cycle/across-files",
            "-o",
            path(&out),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("rolecall::inheritance-cycle"));
    assert!(stderr(&output).contains("no report written"));
    assert!(output.stdout.is_empty());
    assert!(!out.exists());
}

#[test]
fn warnings_are_listed_and_fail_only_when_denied() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("org.perm"),
        "platform apollo\nplan organization\n\nprofile \"Lonely\" extends \"Non-admin\" {\n}\n\nmember \"x@y.test\"\n",
    )
    .expect("written");
    let out = dir.path().join("r.md");
    let args = [
        "report",
        path(dir.path()),
        "-o",
        path(&out),
        "--format",
        "markdown",
    ];
    let output = rolecall(&args, None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("rolecall::unused-profile"));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(
        text.contains("| warning | `unused-profile` | org.perm:4 |"),
        "{text}"
    );
    std::fs::remove_file(&out).expect("removed");
    let mut denied = args.to_vec();
    denied.push("--deny-warnings");
    let output = rolecall(&denied, None);
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists());
}

#[test]
fn usage_and_io_errors_exit_2() {
    let missing = rolecall(&["report", "no/such/dir", "-o", "/tmp/never.html"], None);
    assert_eq!(missing.status.code(), Some(2));
    let dir = tempfile::tempdir().expect("temp dir");
    let unwritable = dir.path().join("no/such/dir/r.html");
    let output = rolecall(
        &[
            "report",
            "policies/examples/apollo-acme",
            "-o",
            path(&unwritable),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("cannot write"));
    let bad_format = rolecall(
        &[
            "report",
            "policies/examples/apollo-acme",
            "-o",
            "x",
            "--format",
            "pdf",
        ],
        None,
    );
    assert_eq!(bad_format.status.code(), Some(2));
    let no_output = rolecall(&["report", "policies/examples/apollo-acme"], None);
    assert_eq!(no_output.status.code(), Some(2));
}

#[test]
fn a_dash_writes_to_standard_output() {
    let output = rolecall(
        &[
            "report",
            "policies/examples/amplemarket-team",
            "-o",
            "-",
            "--format",
            "csv",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert_eq!(text, report("policies/examples/amplemarket-team", "csv"));
}
