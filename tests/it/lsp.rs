//! `rolecall lsp` driven over pipes as an editor drives it, on a copy of
//! the shipped Apollo example.

mod client;

use client::{Editor, apollo_copy, apply, find, position, uri};
use serde_json::{Value, json};

fn labels(items: &Value) -> Vec<String> {
    let list = items.get("items").unwrap_or(items);
    list.as_array()
        .expect("a list of items")
        .iter()
        .map(|i| i["label"].as_str().expect("a label").to_owned())
        .collect()
}

fn at(path: &std::path::Path, text: &str, needle: &str, shift: u64) -> Value {
    let (line, column) = find(text, needle);
    json!({"textDocument": {"uri": uri(path)}, "position": position((line, column + shift))})
}

#[test]
fn diagnostics_appear_and_clear_with_utf16_columns_and_quick_fixes() {
    let (_dir, root) = apollo_copy();
    let sales = root.join("profiles/sales.perm");
    let amer = root.join("members/amer.perm");
    let original = std::fs::read_to_string(&sales).expect("the example");
    let mut editor = Editor::start(&root);
    editor.open(&sales, &original);

    // A member with an accent and an emoji before a misspelt profile.
    let prefix = "member \"zoë😀@acme.com\" profile ";
    let broken = format!("{original}\n{prefix}\"Sales Mangaer\"\n");
    editor.change(&sales, 2, &broken);
    let found = editor.diagnostics(&uri(&sales), Some(2));
    let unknown: Vec<&Value> = found
        .iter()
        .filter(|d| d["code"] == "unknown-profile")
        .collect();
    assert_eq!(unknown.len(), 1, "{found:#?}");
    let diagnostic = unknown[0];
    assert_eq!(diagnostic["source"], "rolecall");
    assert_eq!(diagnostic["severity"], 1);
    let (line, _) = find(&broken, prefix);
    let column = prefix.encode_utf16().count() as u64;
    assert_eq!(diagnostic["range"]["start"], position((line, column)));
    assert_eq!(
        diagnostic["range"]["end"],
        position((line, column + "\"Sales Mangaer\"".len() as u64))
    );
    assert!(
        diagnostic["message"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `Sales Manager`")),
        "{diagnostic}"
    );

    // The quick fix replaces the name inside its quotes.
    let actions = editor.call(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri(&sales)},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]},
        }),
    );
    let fix = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == "replace with `Sales Manager`")
        .unwrap_or_else(|| panic!("a did-you-mean fix in {actions:#}"));
    let edits = fix["edit"]["changes"][uri(&sales)]
        .as_array()
        .expect("edits");
    let fixed = apply(&broken, edits);
    assert!(
        fixed.contains(&format!("{prefix}\"Sales Manager\"")),
        "{fixed}"
    );

    // Fixed: the file's diagnostics are cleared.
    editor.change(&sales, 3, &fixed);
    let found = editor.diagnostics(&uri(&sales), Some(3));
    assert!(
        found.iter().all(|d| d["code"] != "unknown-profile"),
        "{found:#?}"
    );

    // Renaming a profile breaks a file that is not open; undoing it clears it.
    editor.change(
        &sales,
        4,
        &original.replace("profile \"SDR\"", "profile \"SDR Team\""),
    );
    let elsewhere = editor.diagnostics(&uri(&amer), None);
    assert!(
        elsewhere.iter().any(|d| d["code"] == "unknown-profile"
            && d["message"].as_str().is_some_and(|m| m.contains("`SDR`"))),
        "{elsewhere:#?}"
    );
    editor.change(&sales, 5, &original);
    assert_eq!(editor.diagnostics(&uri(&amer), None), Vec::<Value>::new());
    assert_eq!(
        editor.diagnostics(&uri(&sales), Some(5)),
        Vec::<Value>::new()
    );

    // A warning can be suppressed with a reason to fill in.
    let risky = original.replace(
        "profile \"SDR\" extends \"Non-admin\" {\n",
        "profile \"SDR\" extends \"Non-admin\" {\n  contacts.delete = all\n",
    );
    editor.change(&sales, 6, &risky);
    let found = editor.diagnostics(&uri(&sales), Some(6));
    let warning = found
        .iter()
        .find(|d| d["code"] == "risky-grant")
        .unwrap_or_else(|| panic!("a risky-grant warning in {found:#?}"));
    assert_eq!(warning["severity"], 2);
    let actions = editor.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&sales)}, "range": warning["range"], "context": {"diagnostics": []}}),
    );
    let suppress = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("suppress `risky-grant`"))
        })
        .unwrap_or_else(|| panic!("a suppression in {actions:#}"));
    let edits = suppress["edit"]["changes"][uri(&sales)]
        .as_array()
        .expect("edits");
    let suppressed = apply(&risky, edits);
    assert!(
        suppressed
            .contains("  # rolecall: allow(risky-grant) \"reason\"\n  contacts.delete = all\n"),
        "{suppressed}"
    );
    editor.change(&sales, 7, &suppressed);
    let found = editor.diagnostics(&uri(&sales), Some(7));
    assert!(
        found.iter().all(|d| d["code"] != "risky-grant"),
        "{found:#?}"
    );
    editor.shutdown();
}

#[test]
fn hover_definition_references_and_symbols_cross_files() {
    let (_dir, root) = apollo_copy();
    let sales = root.join("profiles/sales.perm");
    let amer = root.join("members/amer.perm");
    let sales_text = std::fs::read_to_string(&sales).expect("the example");
    let amer_text = std::fs::read_to_string(&amer).expect("the example");
    let mut editor = Editor::start(&root);
    editor.open(&sales, &sales_text);
    editor.open(&amer, &amer_text);

    // A setting of "Partner Agency": catalog facts and the provenance chain.
    let agency = &sales_text[sales_text
        .find("profile \"Partner Agency\"")
        .expect("agency")..];
    let (line, column) = find(agency, "contacts.delete");
    let (base, _) = find(&sales_text, "profile \"Partner Agency\"");
    let params = json!({"textDocument": {"uri": uri(&sales)}, "position": position((base + line, column + 3))});
    let hover = editor.call("textDocument/hover", params);
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        text.contains("**`contacts.delete`**: delete contacts owned by"),
        "{text}"
    );
    assert!(
        text.contains("`Partner Agency` holds `contacts.delete = none`"),
        "{text}"
    );
    assert!(
        text.contains("own setting at profiles/sales.perm:"),
        "{text}"
    );

    // A value word: the levels, that one marked.
    let params = json!({"textDocument": {"uri": uri(&sales)}, "position": position((base + line, find(agency, "= none").1 + 3))});
    let hover = editor.call("textDocument/hover", params);
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("- `none` (default) ← this one"), "{text}");

    // An inherited value names the profile it comes from.
    let hover = editor.call(
        "textDocument/hover",
        at(&sales, &sales_text, "enrichment.waterfall     = deny", 2),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("instead of the inherited `allow`"), "{text}");

    // A profile name: the summary.
    let hover = editor.call("textDocument/hover", at(&amer, &amer_text, "\"SDR\"", 1));
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        text.contains("**profile `SDR`** (profiles/sales.perm:6)"),
        "{text}"
    );
    assert!(text.contains("- extends: `Non-admin`"), "{text}");

    // Definition from a member file into the profiles file.
    let definition = editor.call(
        "textDocument/definition",
        at(&amer, &amer_text, "\"SDR\"", 2),
    );
    assert_eq!(definition["uri"], uri(&sales), "{definition}");
    assert_eq!(
        definition["range"]["start"],
        position(find(&sales_text, "\"SDR\" extends"))
    );
    // A built-in profile has no file to go to.
    let builtin = editor.call(
        "textDocument/definition",
        at(&sales, &sales_text, "\"Non-admin\"", 2),
    );
    assert_eq!(builtin, Value::Null);

    // References: every extends and member that names the profile.
    let mut params = at(&sales, &sales_text, "\"SDR\" extends", 1);
    params["context"] = json!({"includeDeclaration": false});
    let references = editor.call("textDocument/references", params);
    let places: Vec<String> = references
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            l["uri"]
                .as_str()
                .expect("uri")
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert!(places.contains(&"sales.perm".to_owned()), "{places:?}");
    assert!(places.contains(&"amer.perm".to_owned()), "{places:?}");
    assert!(places.contains(&"emea.perm".to_owned()), "{places:?}");

    // The outline of the profiles file.
    let symbols = editor.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&sales)}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .expect("symbols")
        .iter()
        .map(|s| s["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(
        names[..3],
        ["SDR", "Account Executive", "Partner Agency"],
        "{names:?}"
    );
    editor.shutdown();
}

#[test]
fn completion_and_formatting() {
    let (_dir, root) = apollo_copy();
    let sales = root.join("profiles/sales.perm");
    let original = std::fs::read_to_string(&sales).expect("the example");
    let mut editor = Editor::start(&root);
    editor.open(&sales, &original);

    // After `=` on a line that does not parse yet: exactly the levels.
    let typing = original.replace(
        "  contacts.assign_owner = own\n",
        "  contacts.assign_owner = own\n  contacts.delete = \n",
    );
    editor.change(&sales, 2, &typing);
    let (line, column) = find(&typing, "  contacts.delete = \n");
    let params =
        json!({"textDocument": {"uri": uri(&sales)}, "position": position((line, column + 20))});
    let items = editor.call("textDocument/completion", params);
    assert_eq!(labels(&items), ["none", "own", "team", "all"]);

    // Ids at the start of a setting, profile names after `extends`.
    let typing = original.replace(
        "  contacts.assign_owner = own\n",
        "  contacts.assign_owner = own\n  contacts.del\n",
    );
    editor.change(&sales, 3, &typing);
    let (line, column) = find(&typing, "  contacts.del\n");
    let params =
        json!({"textDocument": {"uri": uri(&sales)}, "position": position((line, column + 14))});
    let ids = labels(&editor.call("textDocument/completion", params));
    assert!(ids.contains(&"contacts.delete".to_owned()), "{ids:?}");
    let (line, column) = find(&original, "extends \"Non-admin\"");
    let params =
        json!({"textDocument": {"uri": uri(&sales)}, "position": position((line, column + 8))});
    let names = labels(&editor.call("textDocument/completion", params));
    assert!(
        names.contains(&"Non-admin".to_owned()) && names.contains(&"Sales Manager".to_owned()),
        "{names:?}"
    );

    // Formatting answers exactly what `rolecall fmt` writes.
    let messy = original
        .replace(
            "  contacts.assign_owner = own\n",
            "contacts.assign_owner=own\n",
        )
        .replace("profile \"SDR\" extends", "profile   \"SDR\"   extends");
    editor.change(&sales, 4, &messy);
    let edits = editor.call("textDocument/formatting", json!({"textDocument": {"uri": uri(&sales)}, "options": {"tabSize": 2, "insertSpaces": true}}));
    let formatted = apply(&messy, edits.as_array().expect("edits"));
    let file = root.join("messy.perm");
    std::fs::write(&file, &messy).expect("written");
    let status = crate::common::Run::new(["fmt"]).arg(&file).output().status;
    assert!(status.success());
    assert_eq!(
        formatted,
        std::fs::read_to_string(&file).expect("formatted")
    );
    assert_eq!(formatted, original);
    editor.shutdown();
}

#[test]
fn bad_requests_are_answered_and_the_server_keeps_serving() {
    let (_dir, root) = apollo_copy();
    let sales = root.join("profiles/sales.perm");
    let text = std::fs::read_to_string(&sales).expect("the example");
    let mut editor = Editor::start(&root);
    editor.open(&sales, &text);

    // An unknown document, a position past the end, a file outside any set.
    let nowhere =
        json!({"textDocument": {"uri": "file:///nowhere/x.perm"}, "position": position((0, 0))});
    assert_eq!(editor.call("textDocument/hover", nowhere), Value::Null);
    let past = json!({"textDocument": {"uri": uri(&sales)}, "position": position((90_000, 400))});
    assert_eq!(editor.call("textDocument/hover", past.clone()), Value::Null);
    let completion = editor.call("textDocument/completion", past);
    assert!(
        completion.is_null() || completion.as_array().is_some(),
        "{completion}"
    );
    let loose = tempfile::tempdir().expect("a folder");
    let alone = loose.path().join("alone.perm");
    editor.open(&alone, "platform apollo\nprofile \"A\" {\n  x = 1\n}\n");
    let found = editor.diagnostics(&uri(&alone), Some(1));
    // The folder has no policy file on disk: that is not reported.
    editor.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&alone)}}),
    );
    let folder = uri(loose.path());
    assert!(
        !editor.published().contains(&folder),
        "{:?}",
        editor.published()
    );
    assert!(
        found.iter().any(|d| d["code"] == "unknown-permission"),
        "{found:#?}"
    );
    editor.open(&root.join("broken.perm"), "profile {{{ \"");
    let found = editor.diagnostics(&uri(&root.join("broken.perm")), Some(1));
    assert!(found.iter().any(|d| d["code"] == "syntax"), "{found:#?}");
    let untitled = json!({"uri": "untitled:Untitled-1", "languageId": "rolecall", "version": 1, "text": "platform apollo\n"});
    editor.notify("textDocument/didOpen", json!({"textDocument": untitled}));

    // Parameters of the wrong shape, an unknown method, a frame that is not JSON.
    let answer = editor.request("textDocument/hover", json!("garbage"));
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    let answer = editor.request("rolecall/nothing", json!({}));
    assert_eq!(answer["error"]["code"], -32601, "{answer}");
    editor.send_raw("this is { not json");
    editor.notify("textDocument/didChange", json!({"nonsense": true}));

    // A normal request still works.
    let hover = editor.call(
        "textDocument/hover",
        at(&sales, &text, "\"SDR\" extends", 1),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|t| t.contains("`SDR`")),
        "{hover}"
    );
    editor.shutdown();
}

#[test]
fn files_changed_on_disk_are_read_again() {
    let (_dir, root) = apollo_copy();
    let sales = root.join("profiles/sales.perm");
    let text = std::fs::read_to_string(&sales).expect("the example");
    let mut editor = Editor::start(&root);
    editor.open(&sales, &text);
    // Requests are answered in order: once this one is, the set is loaded.
    let outline = json!({"textDocument": {"uri": uri(&sales)}});
    editor.call("textDocument/documentSymbol", outline);
    let extra = root.join("profiles/extra.perm");
    std::fs::write(
        &extra,
        "platform apollo\n\nprofile \"Extra\" extends \"SDRR\" {\n}\n",
    )
    .expect("written");
    let changes = json!({"changes": [{"uri": uri(&extra), "type": 1}]});
    editor.notify("workspace/didChangeWatchedFiles", changes);
    let found = editor.diagnostics(&uri(&extra), None);
    assert!(
        found
            .iter()
            .any(|d| d["code"] == "unknown-profile" && d["range"]["start"] == position((2, 24))),
        "{found:#?}"
    );
    std::fs::remove_file(&extra).expect("removed");
    let changes = json!({"changes": [{"uri": uri(&extra), "type": 3}]});
    editor.notify("workspace/didChangeWatchedFiles", changes);
    assert_eq!(editor.diagnostics(&uri(&extra), None), Vec::<Value>::new());
    editor.shutdown();
}
