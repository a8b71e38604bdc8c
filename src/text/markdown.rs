//! Inline GitHub-flavoured markdown for names a user typed, shared by the
//! markdown of `diff` and `report`: code spans that hold any backticks,
//! text that renders as typed, and nothing that GitHub turns into a link.

/// `raw` as a code span, for names, ids and values: the fence is one
/// backtick longer than the longest run inside, with a space inside each
/// end when needed (GFM strips one from each side), so a name holding
/// backticks stays one span. A `|` is escaped for table cells; line breaks
/// become spaces. Code spans are never autolinked.
pub fn code(raw: &str) -> String {
    let text = raw.replace('|', "\\|").replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 || text.starts_with(' ') || text.ends_with(' ') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// `raw` as text that renders as typed: markdown's punctuation escaped,
/// HTML's special characters as entities, line breaks as spaces, and what
/// GFM would autolink (`www.`, `scheme://`, an email's `@`) broken by an
/// escape, so a name never becomes a link.
pub fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, c) in raw.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' | '~' | '!' | '@' => {
                out.push('\\');
                out.push(c);
            }
            ':' if raw[i + 1..].starts_with("//") => out.push_str("\\:"),
            '.' if raw[..i].to_ascii_lowercase().ends_with("www") => out.push_str("\\."),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A diagnostic's message: its backticked names as code spans, the rest as
/// [`text`]. A name may itself hold backticks, so a span closes only at a
/// backtick that ends a word (followed by the end, a blank or punctuation);
/// a span that never closes is text.
pub fn message(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut rest = raw;
    while let Some(open) = rest.find('`') {
        let inner = &rest[open + 1..];
        let close = inner.char_indices().find(|&(i, c)| {
            c == '`'
                && i > 0
                && inner[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|next| next.is_whitespace() || ",.;:)!?'\"".contains(next))
        });
        let Some((close, _)) = close else {
            break;
        };
        out.push_str(&text(&rest[..open]));
        out.push_str(&code(&inner[..close]));
        rest = &inner[close + 1..];
    }
    out.push_str(&text(rest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_their_backticks() {
        assert_eq!(code("Sales Rep"), "`Sales Rep`");
        assert_eq!(code("Tick`Tock"), "`` Tick`Tock ``");
        assert_eq!(code("a``b`"), "``` a``b` ```");
        assert_eq!(code(" padded"), "`  padded `");
        assert_eq!(code("a|b"), "`a\\|b`");
    }

    #[test]
    fn text_never_autolinks() {
        assert_eq!(text("ops@evil.example"), "ops\\@evil.example");
        assert_eq!(text("see https://x.test/y"), "see https\\://x.test/y");
        assert_eq!(text("WWW.x.test"), "WWW\\.x.test");
        assert_eq!(text("a: b"), "a: b");
        assert_eq!(text("<b>&"), "&lt;b&gt;&amp;");
    }

    #[test]
    fn messages_keep_names_with_backticks_whole() {
        assert_eq!(
            message("profile `Tick`Tock` sees the emails of every user"),
            "profile `` Tick`Tock `` sees the emails of every user"
        );
        assert_eq!(
            message("`a` inherits `b = all` from `c`."),
            "`a` inherits `b = all` from `c`."
        );
        assert_eq!(message("a lone ` tick"), "a lone \\` tick");
        assert_eq!(message("``"), "\\`\\`");
    }
}
