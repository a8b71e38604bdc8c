//! The matrix as CSV (RFC 4180): a first column `profile`, then one column
//! per permission id in catalog order; one row per profile, built-in ones
//! included, each cell the effective value as policy files write it.
//! Lines end with CRLF, as the RFC says.

use super::Review;

/// The matrix as CSV.
pub fn render(review: &Review) -> String {
    let mut out = String::from("profile");
    for column in &review.columns {
        out.push(',');
        out.push_str(&field(&column.id));
    }
    out.push_str("\r\n");
    for profile in &review.profiles {
        out.push_str(&field(&profile.name));
        for cell in &profile.cells {
            out.push(',');
            out.push_str(&field(&cell.value));
        }
        out.push_str("\r\n");
    }
    out
}

/// One field: quoted when it holds a comma, a quote or a line break; a
/// leading `=`, `+`, `-`, `@`, tab or CR, also behind spaces or line
/// breaks (which spreadsheets skip), gets a `'` before it, so that a
/// spreadsheet shows a profile's name rather than running it as a formula.
pub fn field(text: &str) -> String {
    let first = text.trim_start_matches([' ', '\n']).chars().next();
    let guarded = match first {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}
