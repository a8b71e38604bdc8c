//! The markdown of `diff` and `report` rendered as GitHub does (GFM, by
//! comrak): names with backticks stay whole in their code spans, and names
//! that look like URLs or emails never become links.

use std::path::Path;

use crate::common::{rolecall, stderr, stdout};

/// Names a RevOps team may well type: backticks, URLs, emails, `www.`.
const NAMES: [&str; 5] = [
    "Tick`Tock",
    "Dou``ble `Trouble",
    "see https://evil.example/x",
    "www.evil.example",
    "ops@evil.example team",
];

/// GitHub's flavour: tables, strikethrough and extended autolinks.
pub fn gfm(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    comrak::markdown_to_html(markdown, &options)
}

fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The set at `dir` with every name of [`NAMES`] a profile held by a member
/// named like it, each with `calendar.visibility` at `level`; the first also
/// sees every email when `risky`.
fn write_set(dir: &Path, level: &str, risky: bool) {
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut text = String::from("platform apollo\nplan organization\n\n");
    for (i, name) in NAMES.iter().enumerate() {
        let extra = if risky && i == 0 {
            "  emails.visibility = all\n"
        } else {
            ""
        };
        text.push_str(&format!(
            "profile \"{}\" extends \"Non-admin\" {{\n  calendar.visibility = {level}\n{extra}}}\n",
            quote(name)
        ));
        text.push_str(&format!(
            "member \"m{i}.{}@acme.test\" profile \"{}\"\n",
            i,
            quote(name)
        ));
    }
    text.push_str(
        "member \"a@acme.test\" profile \"Admin\"\nmember \"b@acme.test\" profile \"Admin\"\n",
    );
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("org.perm"), text).expect("written");
}

#[test]
fn diff_markdown_keeps_names_whole_and_links_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_set(&dir.path().join("old"), "own", false);
    write_set(&dir.path().join("new"), "team", true);
    let output = rolecall(
        &["diff", "old", "new", "--format", "markdown"],
        Some(dir.path()),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let markdown = stdout(&output);
    let html = gfm(&markdown);
    assert!(!html.contains("<a "), "{markdown}\n{html}");
    for name in NAMES {
        let span = format!("<code>{}</code>", html_escaped(name));
        assert!(
            html.contains(&span),
            "`{name}` is not one code span:\n{markdown}\n{html}"
        );
    }
    // The finding's message names the profile in a code span of its own.
    assert!(markdown.contains("see-all-emails"), "{markdown}");
    let finding = html
        .lines()
        .find(|l| l.contains("see-all-emails"))
        .unwrap_or_default();
    assert!(
        finding.contains(&format!("<code>{}</code>", html_escaped(NAMES[0]))),
        "{finding}"
    );
}

#[test]
fn report_markdown_shows_names_as_text_and_links_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_set(dir.path(), "team", true);
    let out = dir.path().join("review.md");
    let output = rolecall(
        &[
            "report",
            "org.perm",
            "-o",
            "review.md",
            "--format",
            "markdown",
        ],
        Some(dir.path()),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let markdown = std::fs::read_to_string(out).expect("written");
    let html = gfm(&markdown);
    assert!(!html.contains("<a "), "{markdown}\n{html}");
    for name in NAMES {
        assert!(
            html.contains(&html_escaped(name)),
            "`{name}`:\n{markdown}\n{html}"
        );
    }
    assert!(html.contains("m0.0@acme.test"), "{html}");
}
