//! What formatting must preserve, checked on one text or one policy set.

use std::path::Path;

use rolecall::load::{self, Workspace as Project};
use rolecall::source::FileId;
use rolecall::syntax::{self, ast};

/// The canonical form of `text`, which must format.
pub fn format_ok(text: &str, name: &Path) -> String {
    match rolecall::fmt::format(FileId(0), text) {
        Ok(formatted) => formatted,
        Err(errors) => panic!("{}: {}", name.display(), errors[0].message),
    }
}

fn tree(text: &str, name: &Path, which: &str) -> ast::File {
    match syntax::parse(FileId(0), text) {
        Ok((tree, _)) => tree,
        Err(error) => panic!(
            "{}: the {which} text does not parse: {}",
            name.display(),
            error.message
        ),
    }
}

/// Comment texts in source order, trailing blanks aside.
fn comments(tree: &ast::File, source: &str) -> Vec<String> {
    tree.comments
        .iter()
        .map(|c| c.text(source).trim_end().to_owned())
        .collect()
}

/// Whether a profile's description comes after one of its settings: the
/// formatter moves it first, comments and all, so comment order may change.
fn description_moves(tree: &ast::File) -> bool {
    tree.statements.iter().any(|s| match s {
        ast::Statement::Profile(p) => match (&p.description, p.settings.first()) {
            (Some(d), Some(first)) => d.span.start > first.span().start,
            _ => false,
        },
        _ => false,
    })
}

/// Idempotence, same tree, every comment kept, layout rules of the output.
pub fn assert_properties(text: &str, name: &Path) {
    let formatted = format_ok(text, name);
    let again = format_ok(&formatted, name);
    assert_eq!(
        again,
        formatted,
        "{}: formatting is not idempotent",
        name.display()
    );
    let before = tree(text, name, "original");
    let after = tree(&formatted, name, "formatted");
    assert_eq!(
        after.without_spans().statements,
        before.without_spans().statements,
        "{}: the tree changed",
        name.display()
    );
    let (mut was, mut is) = (comments(&before, text), comments(&after, &formatted));
    assert_eq!(
        is.len(),
        was.len(),
        "{}: a comment was lost",
        name.display()
    );
    if description_moves(&before) {
        was.sort();
        is.sort();
    }
    assert_eq!(is, was, "{}: comments changed", name.display());
    assert_layout(text, &formatted, name);
}

fn assert_layout(text: &str, formatted: &str, name: &Path) {
    let crlf = rolecall::fmt::line_ending(text) == "\r\n";
    let body = formatted.strip_prefix('\u{FEFF}').unwrap_or(formatted);
    assert_eq!(
        formatted.starts_with('\u{FEFF}'),
        text.starts_with('\u{FEFF}'),
        "{}: byte-order mark",
        name.display()
    );
    if body.is_empty() {
        return;
    }
    let newline = if crlf { "\r\n" } else { "\n" };
    assert!(body.ends_with(newline), "{}: final newline", name.display());
    assert!(
        !body.ends_with(&format!("{newline}{newline}")),
        "{}: more than one final newline",
        name.display()
    );
    let lines: Vec<&str> = body[..body.len() - newline.len()].split(newline).collect();
    assert!(
        lines.first().is_some_and(|l| !l.is_empty()),
        "{}: blank first line",
        name.display()
    );
    for line in &lines {
        assert!(
            !line.contains(['\r', '\n']),
            "{}: mixed line ends",
            name.display()
        );
        assert_eq!(
            line.trim_end(),
            *line,
            "{}: trailing blanks",
            name.display()
        );
    }
    for pair in lines.windows(2) {
        assert!(
            !(pair[0].is_empty() && pair[1].is_empty()),
            "{}: two blank lines in a row",
            name.display()
        );
    }
}

/// What a policy set resolves to, line numbers aside: each profile's name,
/// effective values and the profiles their values come from; each member's
/// profile and limits; and the rules reported.
fn resolution(project: &Project) -> String {
    let compilation = rolecall::compile(project);
    let mut out = String::new();
    let mut rules: Vec<&str> = compilation.diagnostics.iter().map(|d| d.rule).collect();
    rules.sort_unstable();
    out.push_str(&format!("rules: {rules:?}\n"));
    let Some(model) = &compilation.model else {
        return out;
    };
    for profile in &model.profiles {
        out.push_str(&format!("profile {:?}", profile.name));
        if let Some(effective) = &profile.effective {
            let origins: Vec<Option<&str>> = model
                .origins(effective)
                .map(|o| o.map(|o| model.profile(o.profile).name.as_str()))
                .collect();
            let values: Vec<u64> = effective.values().collect();
            out.push_str(&format!(" {values:?} {origins:?}"));
        }
        out.push('\n');
    }
    for member in &model.members {
        let limits: Vec<(u16, u64)> = member.limits.iter().map(|l| (l.perm.0, l.value)).collect();
        out.push_str(&format!(
            "member {:?} {:?} {:?} {limits:?}\n",
            member.id,
            member.profile.map(|p| model.profile(p).name.as_str()),
            member.team
        ));
    }
    out
}

/// Formats every file of a project in memory, leaving unformattable ones as they are.
pub fn formatted_project(project: &Project) -> Project {
    let mut formatted = project.clone();
    for (_, file) in project.files() {
        if let Ok(out) = rolecall::fmt::format(FileId(0), &file.text) {
            formatted.upsert(&file.name, out);
        }
    }
    formatted
}

/// The policy set at `path` resolves the same once formatted.
pub fn assert_same_resolution(path: &Path) {
    let Ok(project) = load::load(&[path.to_owned()], None) else {
        return;
    };
    assert_same_project(&project, path);
}

/// `project` resolves the same once formatted.
pub fn assert_same_project(project: &Project, name: &Path) {
    let before = resolution(project);
    let after = resolution(&formatted_project(project));
    assert_eq!(
        after,
        before,
        "{}: the set resolves differently",
        name.display()
    );
}
