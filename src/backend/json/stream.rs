//! The bundle written straight from the resolved model: its JSON text and
//! its revision in one pass, with no [`Bundle`](super::Bundle) in between.
//!
//! A bundle holds every catalog permission of every profile with its
//! provenance, some 700,000 values for a 10,000-profile set. Building the
//! [`Bundle`](super::Bundle) first allocates a string for each of them and
//! their keys; here each value is written as it is read from the resolver's
//! tables, from names escaped once (permission ids, level names, file
//! names). The same events feed two writers: the pretty text `rolecall
//! build` writes, and the compact canonical text (keys sorted, no
//! `revision`) whose SHA-256 digest is the revision, hashed as it is written
//! and never held. The revision has a fixed length, so the pretty text holds
//! a placeholder that is filled in at the end. The profiles, nearly all of
//! the text, are written in parts on every core and appended (and hashed)
//! in order by a thread of their own while the next parts are written.
//! Given a sink ([`write_to`]), the text before the revision goes out as it
//! is made, so the whole bundle is never held.
//!
//! The bytes are those of serde_json over a [`Bundle`](super::Bundle) made
//! by [`build`](super::build): the tests compare both on the examples and on
//! names that need escaping.

use std::collections::HashSet;
use std::io::Write;
use std::sync::mpsc;

use rayon::prelude::*;

use super::bundle::{self, FORMAT};
use super::emit::{BuildError, fail};
use super::hashed::{FixedKey, Out, Part, quoted};
use crate::catalog::{Kind, PermId};
use crate::lint::Waiver;
use crate::load::Naming;
use crate::resolve::{Member, Model, ProfileId};
use crate::source::{FileId, SourceMap, Span};

/// The JSON text of a bundle and its revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The bundle as `rolecall build` writes it: pretty JSON, two-space
    /// indentation, sorted keys, a final newline; the same bytes as
    /// [`Bundle::to_json`](super::Bundle::to_json) of the bundle
    /// [`build`](super::build) makes.
    pub text: Vec<u8>,
    /// Its `revision`: `sha256:` and the digest of the canonical bytes.
    pub revision: String,
}

/// The JSON text and revision of the bundle [`build`](super::build) makes
/// from the same parts, written straight from the model.
pub fn write(
    model: &Model,
    sources: &SourceMap,
    waivers: &[Waiver],
    naming: &Naming,
) -> Result<Written, BuildError> {
    let plan = Plan::new(model, sources, waivers, naming)?;
    // About 7 KB per profile; the estimate saves the first regrowths.
    let estimate =
        4096 + plan.profiles.len() * 64 * model.catalog.len() + model.members.len() * 256;
    let mut out = Out::new(Some(Vec::with_capacity(estimate)));
    plan.emit(&mut out);
    let (text, revision) = out.finish();
    Ok(Written {
        text: text.unwrap_or_default(),
        revision,
    })
}

/// Why a bundle could not be written to a sink.
#[derive(Debug)]
pub enum WriteFailure {
    /// No bundle is made from this model.
    Build(BuildError),
    /// The sink failed.
    Io(std::io::Error),
}

impl From<std::io::Error> for WriteFailure {
    fn from(error: std::io::Error) -> Self {
        WriteFailure::Io(error)
    }
}

/// Writes the JSON text of [`write`] to `sink` as it is made, holding only
/// the parts being written; returns the revision. On failure `sink` may hold
/// part of the text.
pub fn write_to(
    model: &Model,
    sources: &SourceMap,
    waivers: &[Waiver],
    naming: &Naming,
    sink: &mut (dyn Write + Send),
) -> Result<String, WriteFailure> {
    let plan = Plan::new(model, sources, waivers, naming).map_err(WriteFailure::Build)?;
    let mut out = Out::new(Some(Vec::with_capacity(1 << 20))).with_sink(sink);
    plan.emit(&mut out);
    let (revision, error) = out.finish_into_sink();
    match error {
        Some(error) => Err(WriteFailure::Io(error)),
        None => Ok(revision),
    }
}

/// The revision of the bundle [`build`](super::build) makes from the same
/// parts, hashed from the model with no text kept.
pub fn revision(
    model: &Model,
    sources: &SourceMap,
    waivers: &[Waiver],
    naming: &Naming,
) -> Result<String, BuildError> {
    let plan = Plan::new(model, sources, waivers, naming)?;
    let mut out = Out::new(None);
    plan.emit(&mut out);
    Ok(out.finish().1)
}

/// Profiles written by one task: about 0.7 MB of text.
const PART: usize = 64;

/// Parts written at once, so that no more than a few megabytes of parts
/// wait to be appended.
const BATCH: usize = 8;

/// Everything the writer needs, sorted as the bundle's maps are and with
/// names escaped once.
struct Plan<'m> {
    model: &'m Model,
    sources: &'m SourceMap,
    naming: &'m Naming,
    /// Catalog permissions in the order of their ids as text.
    perms: Vec<PermOut>,
    /// Limit-kind permissions, in the same order.
    limits: Vec<usize>,
    /// Profiles by name.
    profiles: Vec<(&'m str, ProfileId)>,
    /// Members by id.
    members: Vec<&'m Member>,
    /// The waivers, sorted and without repeats.
    waivers: Vec<bundle::Waiver>,
    /// The keys of a provenance entry.
    file_key: FixedKey,
    line_key: FixedKey,
}

/// A permission's id and its level names, quoted and escaped.
struct PermOut {
    id: PermId,
    index: usize,
    key: Vec<u8>,
    /// The key as written in a profile's `permissions` and `provenance`.
    entry: FixedKey,
    /// Level names by value; empty for a limit.
    levels: Vec<Vec<u8>>,
    limit: bool,
}

impl<'m> Plan<'m> {
    /// The plan, or the error [`build`](super::build) gives for the same
    /// model (checked in the same order).
    fn new(
        model: &'m Model,
        sources: &'m SourceMap,
        waivers: &[Waiver],
        naming: &'m Naming,
    ) -> Result<Plan<'m>, BuildError> {
        let mut seen = HashSet::with_capacity(model.profiles.len());
        for profile in &model.profiles {
            if profile.effective.is_none() {
                return Err(fail(format!(
                    "profile `{}` has no effective permissions",
                    profile.name
                )));
            }
            if !seen.insert(profile.name.as_str()) {
                return Err(fail(format!("profile `{}` is defined twice", profile.name)));
            }
        }
        let mut seen = HashSet::with_capacity(model.members.len());
        for member in &model.members {
            if member.profile.is_none() {
                return Err(fail(format!("member `{}` holds no profile", member.id)));
            }
            if !seen.insert(member.id.as_str()) {
                return Err(fail(format!("member `{}` is declared twice", member.id)));
            }
        }
        let mut perms: Vec<PermOut> = model
            .catalog
            .iter()
            .map(|(id, p)| PermOut {
                id,
                index: usize::from(id.0),
                key: quoted(&p.id),
                entry: FixedKey::new(&quoted(&p.id), PERMISSION_DEPTH),
                levels: match p.kind {
                    Kind::Limit => Vec::new(),
                    _ => p.levels.iter().map(|l| quoted(l)).collect(),
                },
                limit: p.kind == Kind::Limit,
            })
            .collect();
        // A map keeps one entry per key, with the value inserted last.
        perms.sort_by(|a, b| {
            let (x, y) = (
                &model.catalog.permissions[a.index],
                &model.catalog.permissions[b.index],
            );
            x.id.cmp(&y.id).then(b.index.cmp(&a.index))
        });
        perms.dedup_by(|later, first| {
            model.catalog.permissions[later.index].id == model.catalog.permissions[first.index].id
        });
        let limits = (0..perms.len()).filter(|&i| perms[i].limit).collect();
        let mut profiles: Vec<(&str, ProfileId)> = model
            .profiles_with_ids()
            .map(|(id, p)| (p.name.as_str(), id))
            .collect();
        profiles.sort_unstable();
        let mut members: Vec<&Member> = model.members.iter().collect();
        members.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let mut waivers: Vec<bundle::Waiver> = waivers
            .iter()
            .map(|w| bundle::Waiver {
                file: naming.name(&sources.get(w.span.file).name),
                line: line(sources, w.span),
                reason: w.reason.clone(),
                rule: w.rule.clone(),
            })
            .collect();
        waivers.sort_by(|a, b| {
            (&a.file, a.line, &a.rule, &a.reason).cmp(&(&b.file, b.line, &b.rule, &b.reason))
        });
        waivers.dedup();
        Ok(Plan {
            model,
            sources,
            naming,
            perms,
            limits,
            profiles,
            members,
            waivers,
            file_key: FixedKey::new(b"\"file\"", PERMISSION_DEPTH + 1),
            line_key: FixedKey::new(b"\"line\"", PERMISSION_DEPTH + 1),
        })
    }

    fn emit(&self, out: &mut Out<'_>) {
        let model = self.model;
        out.open(b'{');
        out.key(b"\"catalog_digest\"");
        out.string(&bundle::sha256(model.catalog.source.as_bytes()));
        out.key(b"\"format\"");
        out.string(FORMAT);
        out.key(b"\"members\"");
        out.open(b'{');
        for member in &self.members {
            self.member(out, member);
        }
        out.close(b'}');
        out.key(b"\"plan\"");
        match &model.plan {
            Some(plan) => out.string(plan),
            None => out.raw_value(b"null"),
        }
        out.key(b"\"platform\"");
        out.string(&model.catalog.platform);
        out.key(b"\"profiles\"");
        out.open(b'{');
        self.profiles(out);
        out.close(b'}');
        out.revision_placeholder();
        out.key(b"\"settings\"");
        out.open(b'{');
        for perm in &self.perms {
            if let Some(Some(cap)) = model.caps.get(perm.index) {
                out.key(&perm.key);
                out.number(cap.value);
            }
        }
        out.close(b'}');
        out.key(b"\"waivers\"");
        out.open(b'[');
        for waiver in &self.waivers {
            out.item();
            out.open(b'{');
            out.key(b"\"file\"");
            out.string(&waiver.file);
            out.key(b"\"line\"");
            out.number(waiver.line);
            out.key(b"\"reason\"");
            out.string(&waiver.reason);
            out.key(b"\"rule\"");
            out.string(&waiver.rule);
            out.close(b'}');
        }
        out.close(b']');
        out.close(b'}');
    }

    /// The entries of `profiles`, nearly all of the bundle: written in
    /// parts of [`PART`] profiles on every core, a batch of parts at a time,
    /// each part appended to the text and hashed in order by a thread of
    /// its own while the next batch is written.
    fn profiles(&self, out: &mut Out<'_>) {
        let pretty = out.keeps_text();
        let depth = out.depth();
        let mut appender = out.appender();
        // One batch waits while one is appended and the next is written.
        let (batches, received) = mpsc::sync_channel::<Vec<Part>>(1);
        // The parts' buffers go back to be used again: fresh ones would
        // cost the kernel a page fault per 4 KB written.
        let (recycle, recycled) = mpsc::channel::<Part>();
        std::thread::scope(|scope| {
            let appending = scope.spawn(move || {
                for batch in received {
                    for (mut text, mut compact) in batch {
                        appender.append(&text, &compact);
                        text.clear();
                        compact.clear();
                        // The writing side may be done already.
                        let _ = recycle.send((text, compact));
                    }
                }
                appender
            });
            for (batch, profiles) in self.profiles.chunks(PART * BATCH).enumerate() {
                let parts = profiles.len().div_ceil(PART);
                let mut buffers: Vec<Part> = recycled.try_iter().take(parts).collect();
                buffers.resize_with(parts, || {
                    let text = if pretty { PART * 8192 } else { 0 };
                    (Vec::with_capacity(text), Vec::with_capacity(PART * 4096))
                });
                let written: Vec<Part> = profiles
                    .par_chunks(PART)
                    .zip(buffers.into_par_iter())
                    .enumerate()
                    .map(|(i, (profiles, (text, compact)))| {
                        let mut part = Out::part(pretty.then_some(text), compact, depth);
                        if batch == 0 && i == 0 {
                            part.first_entry();
                        }
                        let mut files = FileNames::new(self.sources, self.naming);
                        for &(name, id) in profiles {
                            self.profile(&mut part, &mut files, name, id);
                        }
                        part.into_part()
                    })
                    .collect();
                if batches.send(written).is_err() {
                    break;
                }
            }
            drop(batches);
            match appending.join() {
                Ok(appender) => out.take_back(appender),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
        if !self.profiles.is_empty() {
            out.mark_nonempty();
        }
    }

    fn member(&self, out: &mut Out<'_>, member: &Member) {
        let model = self.model;
        out.key_str(&member.id);
        out.open(b'{');
        out.key(b"\"effective_limits\"");
        out.open(b'{');
        let view = model.member_view(member);
        for &i in &self.limits {
            let perm = &self.perms[i];
            if let Some(effective) = view.get(perm.id) {
                out.key(&perm.key);
                out.number(effective.value);
            }
        }
        out.close(b'}');
        out.key(b"\"limits\"");
        out.open(b'{');
        if !member.limits.is_empty() {
            for perm in &self.perms {
                // A map keeps the value inserted last.
                let own = member.limits.iter().rev().find(|l| l.perm == perm.id);
                if let Some(own) = own {
                    out.key(&perm.key);
                    out.number(own.value);
                }
            }
        }
        out.close(b'}');
        out.key(b"\"profile\"");
        match member.profile {
            Some(profile) => out.string(&model.profile(profile).name),
            None => out.raw_value(b"null"),
        }
        out.key(b"\"team\"");
        match &member.team {
            Some(team) => out.string(team),
            None => out.raw_value(b"null"),
        }
        out.close(b'}');
    }

    fn profile(&self, out: &mut Out<'_>, files: &mut FileNames, name: &str, id: ProfileId) {
        let model = self.model;
        let profile = model.profile(id);
        let Some(table) = &profile.effective else {
            return;
        };
        out.key_str(name);
        out.open(b'{');
        out.key(b"\"admin_equivalent\"");
        out.raw_value(bool_text(profile.admin_equivalent));
        out.key(b"\"builtin\"");
        out.raw_value(bool_text(profile.builtin));
        out.key(b"\"extends\"");
        out.open(b'[');
        for (parent, _) in &profile.extends {
            out.item();
            out.string(parent);
        }
        out.close(b']');
        out.key(b"\"permissions\"");
        out.open(b'{');
        for perm in &self.perms {
            let value = table.value_at(perm.index);
            out.fixed_key(&perm.entry);
            if perm.limit {
                out.number(value);
            } else {
                match usize::try_from(value).ok().and_then(|v| perm.levels.get(v)) {
                    Some(level) => out.raw_value(level),
                    None => out.string(&value.to_string()),
                }
            }
        }
        out.close(b'}');
        out.key(b"\"provenance\"");
        out.open(b'{');
        for perm in &self.perms {
            out.fixed_key(&perm.entry);
            match model.origin_at(table, perm.index) {
                Some(origin) => {
                    // As `ProfileView::get`: the setting's statement, or the
                    // viewed profile's header should the origin be stale.
                    let span = model
                        .profiles
                        .get(origin.profile.0 as usize)
                        .and_then(|p| Some(p.own_span(p.own.get(origin.setting as usize)?)))
                        .unwrap_or(profile.header);
                    out.open(b'{');
                    out.fixed_key(&self.file_key);
                    out.raw_value(files.get(span.file));
                    out.fixed_key(&self.line_key);
                    out.number(line(self.sources, span));
                    out.close(b'}');
                }
                None => out.raw_value(b"\"default\""),
            }
        }
        out.close(b'}');
        out.close(b'}');
    }
}

fn bool_text(value: bool) -> &'static [u8] {
    if value { b"true" } else { b"false" }
}

fn line(sources: &SourceMap, span: Span) -> u64 {
    u64::try_from(sources.line(span)).unwrap_or(u64::MAX)
}

/// The bundle's names of source files, quoted and escaped, made once per
/// file: naming a file normalises paths and may ask the file system.
struct FileNames<'m> {
    sources: &'m SourceMap,
    naming: &'m Naming,
    /// By file id.
    names: Vec<(FileId, Vec<u8>)>,
    /// Index in `names` of the file named last.
    last: usize,
}

impl<'m> FileNames<'m> {
    fn new(sources: &'m SourceMap, naming: &'m Naming) -> Self {
        FileNames {
            sources,
            naming,
            names: Vec::new(),
            last: 0,
        }
    }

    fn get(&mut self, file: FileId) -> &[u8] {
        if self.names.get(self.last).is_none_or(|(id, _)| *id != file) {
            self.last = match self.names.binary_search_by_key(&file, |(id, _)| *id) {
                Ok(at) => at,
                Err(at) => {
                    let name = quoted(&self.naming.name(&self.sources.get(file).name));
                    self.names.insert(at, (file, name));
                    at
                }
            };
        }
        &self.names[self.last].1
    }
}

/// Objects open around a profile's `permissions` and `provenance` entries:
/// the bundle, `profiles`, the profile, and the map itself.
const PERMISSION_DEPTH: usize = 4;

#[cfg(test)]
mod tests {
    use crate::load::Workspace;

    /// The streamed text and revision next to those of the bundle.
    fn both(workspace: &Workspace) -> (super::Written, String, String) {
        let compilation = crate::compile(workspace);
        assert_eq!(
            compilation.counts().errors,
            0,
            "{:?}",
            compilation.diagnostics
        );
        let naming = workspace.naming();
        let bundle = compilation.bundle(naming).expect("a bundle");
        let written = compilation.bundle_json(naming).expect("a text");
        let revision = compilation.bundle_revision(naming).expect("a revision");
        assert_eq!(revision, written.revision);
        (written, bundle.to_json(), bundle.revision)
    }

    #[test]
    fn the_examples_stream_to_the_bytes_of_their_bundles() {
        for name in ["apollo-acme", "amplemarket-team"] {
            let paths = [format!("policies/examples/{name}").into()];
            let workspace = crate::load::load(&paths, None).expect("the example loads");
            let (written, text, revision) = both(&workspace);
            assert_eq!(String::from_utf8_lossy(&written.text), text, "{name}");
            assert_eq!(written.revision, revision, "{name}");
        }
    }

    #[test]
    fn names_that_need_escaping_stream_as_serde_json_writes_them() {
        // Tabs are the one control character a string may hold; the others
        // are `invalid-value` errors, so no bundle carries them.
        let text = "platform apollo\n\
            settings { mailbox.sending_limit = 300 }\n\
            profile \"Zeta \\\"q\\\" \u{e9}t\u{e9}\" extends \"Non-admin\" {\n\
              description \"tab\there\"\n\
              mailbox.sending_limit = 200\n\
            }\n\
            profile \"a\tb\\\\\u{1F600}\" extends \"Zeta \\\"q\\\" \u{e9}t\u{e9}\", \"Non-admin\" {\n\
              prospecting.search = deny\n\
            }\n\
            profile \"A\" { }\n\
            member \"x\ty@acme.com\" profile \"A\" team \"T\t\" { mailbox.sending_limit = 10 }\n\
            member \"b@acme.com\" team \"\" { }\n\
            member \"a@acme.com\" profile \"a\tb\\\\\u{1F600}\"\n";
        let workspace = Workspace::from_files([
            ("dir/\u{e4} \"x\".perm", text),
            ("b.perm", "platform apollo\nplan organization\n"),
        ]);
        let (written, text, revision) = both(&workspace);
        assert_eq!(String::from_utf8_lossy(&written.text), text);
        assert_eq!(written.revision, revision);
        assert!(text.contains("a\\tb\\\\\u{1F600}"), "{text}");
    }

    #[test]
    fn profiles_written_in_parts_join_into_the_same_bytes() {
        // More profiles than a batch of parts holds, and a last part cut short.
        let count = super::PART * super::BATCH * 2 + super::PART / 2 + 3;
        let workspace = chain(count, false);
        let (written, text, revision) = both(&workspace);
        assert!(text.matches("\"builtin\": false").count() == count);
        assert_eq!(String::from_utf8_lossy(&written.text), text);
        assert_eq!(written.revision, revision);
    }

    /// A sink that takes `room` bytes and then fails.
    struct Full {
        taken: Vec<u8>,
        room: usize,
    }

    impl std::io::Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.taken.len() + buf.len() > self.room {
                return Err(std::io::Error::other("no room left"));
            }
            self.taken.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A set of `count` profiles in a chain, each with a member when
    /// `members`.
    fn chain(count: usize, members: bool) -> Workspace {
        let mut text = String::from("platform apollo\n");
        for i in 0..count {
            let parent = if i == 0 {
                "Non-admin".to_owned()
            } else {
                format!("P{}", i - 1)
            };
            text.push_str(&format!(
                "profile \"P{i}\" extends \"{parent}\" {{ mailbox.sending_limit = {} }}\n",
                i % 300
            ));
            if members {
                text.push_str(&format!("member \"m{i}@acme.com\" profile \"P{i}\"\n"));
            }
        }
        Workspace::from_files([("p.perm", text)])
    }

    #[test]
    fn a_bundle_streamed_to_a_sink_is_the_text_made_in_memory() {
        let workspace = chain(super::PART * super::BATCH + 5, true);
        let compilation = crate::compile(&workspace);
        let naming = workspace.naming();
        let written = compilation.bundle_json(naming).expect("a text");
        let mut sink = Full {
            taken: Vec::new(),
            room: usize::MAX,
        };
        let revision = compilation
            .write_bundle_json(naming, &mut sink)
            .expect("written");
        assert_eq!(revision, written.revision);
        assert_eq!(sink.taken, written.text);
        // The example too, which has waivers, caps and a plan after the profiles.
        let paths = ["policies/examples/apollo-acme".into()];
        let workspace = crate::load::load(&paths, None).expect("the example loads");
        let compilation = crate::compile(&workspace);
        let naming = workspace.naming();
        let written = compilation.bundle_json(naming).expect("a text");
        let mut sink = Vec::new();
        let revision = compilation
            .write_bundle_json(naming, &mut sink)
            .expect("written");
        assert_eq!((revision, sink), (written.revision, written.text));
    }

    #[test]
    fn a_failing_sink_is_an_io_failure() {
        let workspace = chain(super::PART * super::BATCH * 2, true);
        let compilation = crate::compile(&workspace);
        let naming = workspace.naming();
        let size = compilation.bundle_json(naming).expect("a text").text.len();
        // Fails in the profiles, and in the text after them.
        for room in [size / 2, size - 10] {
            let mut sink = Full {
                taken: Vec::new(),
                room,
            };
            let failure = compilation.write_bundle_json(naming, &mut sink);
            assert!(
                matches!(failure, Err(super::WriteFailure::Io(_))),
                "{room}: {failure:?}"
            );
            assert!(sink.taken.len() <= room);
        }
    }

    #[test]
    fn a_set_with_errors_gives_the_error_of_the_bundle() {
        let workspace = Workspace::from_files([(
            "a.perm",
            "platform apollo\nprofile \"A\" extends \"B\" { }\n",
        )]);
        let compilation = crate::compile(&workspace);
        let naming = workspace.naming();
        let expected = compilation.bundle(naming).expect_err("errors");
        assert_eq!(
            compilation.bundle_json(naming).expect_err("errors"),
            expected
        );
        assert_eq!(
            compilation.bundle_revision(naming).expect_err("errors"),
            expected
        );
        let mut sink = Vec::new();
        match compilation.write_bundle_json(naming, &mut sink) {
            Err(super::WriteFailure::Build(error)) => assert_eq!(error, expected),
            other => panic!("{other:?}"),
        }
        assert!(sink.is_empty());
    }
}
