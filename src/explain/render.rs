//! Human renderings of `explain`: aligned plain-text tables and sentences.

use super::{Chain, Held, Reason, SetBy, Table};

/// The table of every effective value of a profile.
pub fn render_table(table: &Table) -> String {
    let mut out = heading(&table.profile, table.builtin, &table.extends);
    out.push('\n');
    let rows: Vec<[String; 4]> = table
        .permissions
        .iter()
        .map(|row| {
            let (by, at) = columns(&row.origin);
            [row.permission.clone(), row.value.to_string(), by, at]
        })
        .collect();
    out.push_str(&align(["permission", "value", "set by", "at"], &rows));
    out
}

/// The inheritance chain of one permission of a profile.
pub fn render_chain(chain: &Chain) -> String {
    let mut out = format!(
        "`{}` holds `{} = {}`, {}\n\nhow it got there:\n",
        chain.profile,
        chain.permission,
        chain.value,
        origin_sentence(&chain.origin)
    );
    for (index, step) in chain.steps.iter().enumerate() {
        let sentence = match &step.because {
            Reason::OwnSetting {
                file,
                line,
                inherited,
            } => {
                let change = if *inherited == step.value {
                    "the same value it inherits".to_owned()
                } else {
                    format!("instead of the inherited `{inherited}`")
                };
                format!("own setting at {file}:{line}, {change}")
            }
            Reason::JoinOfParents {
                parents,
                winner,
                tie,
            } => {
                let list: Vec<String> = parents
                    .iter()
                    .map(|p| format!("`{}` = `{}`", p.profile, p.value))
                    .collect();
                let pick = if *tie {
                    format!(
                        "tie on the highest value: the first parent in `extends`, `{winner}`, gives it"
                    )
                } else {
                    format!("the highest is held by `{winner}`")
                };
                format!("join of its parents {}; {pick}", list.join(", "))
            }
            Reason::CatalogDefault => "no parent and no setting: the catalog default".to_owned(),
        };
        out.push_str(&format!(
            "  {}. `{}` = `{}`: {sentence}\n",
            index + 1,
            step.profile,
            step.value
        ));
    }
    if !chain.ancestors.is_empty() {
        out.push_str("\nancestors, nearest first:\n");
        let rows: Vec<[String; 4]> = chain.ancestors.iter().map(held_row).collect();
        let table = align(["profile", "value", "set by", "at"], &rows);
        for line in table.lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn heading(profile: &str, builtin: bool, extends: &[String]) -> String {
    let kind = if builtin {
        "built-in profile"
    } else {
        "profile"
    };
    let parents = if extends.is_empty() {
        "no parents: starts from the catalog defaults".to_owned()
    } else {
        let names: Vec<String> = extends.iter().map(|e| format!("`{e}`")).collect();
        format!("extends {}", names.join(", "))
    };
    format!("{kind} `{profile}`, {parents}\n")
}

fn origin_sentence(origin: &Option<SetBy>) -> String {
    match origin {
        Some(SetBy {
            profile,
            file,
            line,
        }) => format!("set by `{profile}` at {file}:{line}"),
        None => "the catalog default".to_owned(),
    }
}

fn held_row(held: &Held) -> [String; 4] {
    let (by, at) = columns(&held.origin);
    [held.profile.clone(), held.value.to_string(), by, at]
}

fn columns(origin: &Option<SetBy>) -> (String, String) {
    match origin {
        Some(SetBy {
            profile,
            file,
            line,
        }) => (profile.clone(), format!("{file}:{line}")),
        None => ("-".to_owned(), "default".to_owned()),
    }
}

/// Left-aligned columns separated by two spaces, without trailing blanks.
fn align(header: [&str; 4], rows: &[[String; 4]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header = header.map(str::to_owned);
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = width.saturating_sub(cell.chars().count()) + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
