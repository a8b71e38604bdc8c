//! `rolecall diff --format markdown` stays under `--max-bytes` (60,000 by
//! default, below GitHub's limit of 65,536 characters for a comment): on
//! the generated 1,000-profile set, a one-line edit of a widely inherited
//! parent reaches hundreds of profiles, and the comment keeps the verdict,
//! the summary, the admin count and the risky sections first.

use std::path::Path;

use crate::common::{rolecall, stderr, stdout};
use crate::generate::policy_set;

/// The line the edit adds after, in the set's first profile file.
const ANCHOR: &str = "  credits.view_usage            = allow\n";

/// The generated 1,000-profile set under `old/`, and under `new/` with its
/// first profile also allowing CSV exports, which most profiles inherit.
fn widely_inherited_change(dir: &Path) {
    let files =
        policy_set::generate(&crate::generate::apollo(1000, 1000, 1)).expect("the generator works");
    for side in ["old", "new"] {
        for file in &files {
            let path = dir.join(side).join(&file.path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            let mut text = file.text.clone();
            if side == "new" && file.path == "profiles/profiles-00001.perm" {
                assert!(
                    text.contains(ANCHOR),
                    "the generator's first profile changed"
                );
                text = text.replacen(
                    ANCHOR,
                    &format!("{ANCHOR}  records.export_csv            = allow\n"),
                    1,
                );
            }
            std::fs::write(&path, text).expect("written");
        }
    }
}

fn markdown(dir: &Path, extra: &[&str]) -> String {
    let args = [&["diff", "old", "new", "--format", "markdown"], extra].concat();
    let output = rolecall(&args, Some(dir));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn a_widely_inherited_change_fits_one_pull_request_comment() {
    let dir = tempfile::tempdir().expect("temp dir");
    widely_inherited_change(dir.path());
    let full = markdown(dir.path(), &["--max-bytes", "0"]);
    assert!(
        full.len() > 200_000,
        "the change is big: {} bytes",
        full.len()
    );
    let text = markdown(dir.path(), &[]);
    assert!(text.len() <= 60_000, "{} bytes", text.len());
    assert!(
        text.len() > 50_000,
        "the budget is used: {} bytes",
        text.len()
    );

    // The verdict, the summary table and the admin count, whole.
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("**risky changes**"), "{}", lines[0]);
    assert_eq!(full.lines().take(7).collect::<Vec<_>>(), lines[..7]);
    assert!(lines[6].starts_with("Admins: "), "{}", lines[6]);
    // The cause, one line for every profile it reaches.
    assert!(
        text.contains("- `Solutions Engineer Nordics 00001` sets `records.export_csv`"),
        "{}",
        &text[..2000]
    );
    // Risky sections first, then the line that says what is left out.
    assert!(text.contains("\n#### :warning: `"), "no risky section");
    let shown = text.matches("\n#### :warning: `").count() + text.matches("\n#### `").count();
    let json = rolecall(
        &["diff", "old", "new", "--format", "json"],
        Some(dir.path()),
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let profiles = value["profiles"].as_array().map_or(0, Vec::len);
    let members = value["members"].as_array().map_or(0, Vec::len);
    let last = lines.last().copied().unwrap_or_default();
    assert!(
        last.contains(&format!("{} of {profiles} profiles", profiles - shown)),
        "{last}"
    );
    if members > 0 {
        assert!(last.contains(&format!("of {members} members")), "{last}");
    }
    let findings = value["findings"]["introduced"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(last.contains(&format!("of {findings} findings")), "{last}");
    assert!(
        last.contains("--format json") && last.contains("--max-bytes 0"),
        "{last}"
    );

    // It still renders as GFM: every kept block is closed, the tables render.
    let html = crate::markdown_gfm::gfm(&text);
    assert_eq!(
        html.matches("<details>").count(),
        html.matches("</details>").count()
    );
    assert_eq!(
        text.matches("<details>").count(),
        text.matches("</details>").count()
    );
    assert!(html.matches("<table>").count() > 10, "{html}");
    assert!(
        html.starts_with("<p><strong>rolecall diff</strong>"),
        "{html}"
    );
    for block in text.split("\n\n") {
        if block.starts_with('|') {
            let columns = block.lines().next().map_or(0, |l| l.matches(" | ").count());
            assert!(
                block
                    .lines()
                    .all(|l| l.starts_with('|') && l.ends_with('|')),
                "a cut table row: {block}"
            );
            assert!(columns > 0);
        }
    }
}

#[test]
fn a_small_budget_keeps_the_head_and_other_formats_refuse_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    widely_inherited_change(dir.path());
    let text = markdown(dir.path(), &["--max-bytes", "4000"]);
    assert!(text.len() <= 4000, "{} bytes", text.len());
    assert!(text.contains("\nAdmins: "), "{text}");
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.starts_with("**Left out** to stay under 4000 bytes: ")),
        "{text}"
    );
    let refused = rolecall(
        &[
            "diff",
            "old",
            "new",
            "--format",
            "json",
            "--max-bytes",
            "10",
        ],
        Some(dir.path()),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("--max-bytes"),
        "{}",
        stderr(&refused)
    );
}
