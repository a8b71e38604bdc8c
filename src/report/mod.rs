//! The access review: one page that shows who can do what in a policy set,
//! for the people who audit access rather than write policy files.
//!
//! ```text
//!   Compilation ──► Review (page model) ──► html      (matrix, graph, members, findings)
//!   + Naming                               markdown
//!                                          csv       (the matrix alone)
//! ```
//!
//! [`Review::of`] reads everything from an error-free compilation: every
//! profile's effective values with their provenance ([`crate::resolve::view`]),
//! the members, the lint findings and waivers, and the bundle revision that
//! identifies the content ([`crate::Compilation::bundle`]). The renderers
//! only lay the model out; none of them looks at the compiler's types, so
//! the three forms agree. Nothing depends on the time, the machine or the
//! working directory: file names are relative to the policy root. The
//! HTML page and its graph need the default feature `report`.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let paths = ["policies/examples/apollo-acme".into()];
//! let workspace = rolecall::load::load(&paths, None).map_err(|_| "cannot load")?;
//! let compilation = rolecall::compile(&workspace);
//! let review = rolecall::report::Review::of(&compilation, workspace.naming())?;
//! let sdr = review.profile("SDR").ok_or("no SDR")?;
//! let search = review.column("prospecting.search").ok_or("unknown")?;
//! assert_eq!(sdr.cells[search].value, "allow");
//! assert!(rolecall::report::html::render(&review).contains("prospecting.search"));
//! # Ok(())
//! # }
//! ```

pub mod csv;
#[cfg(feature = "report")]
pub mod graph;
#[cfg(feature = "report")]
pub mod html;
pub mod markdown;

use crate::backend::BuildError;
use crate::catalog::{Kind, Permission};
use crate::diagnostics::Severity;
use crate::load::Naming;
use crate::resolve::{Model, Provenance};
use crate::source::Span;
use crate::{Compilation, lint};

/// Everything an access review shows, in the order it shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// The platform's name.
    pub platform: String,
    /// The plan, when declared.
    pub plan: Option<String>,
    /// The bundle revision (`sha256:…`) of the policy set.
    pub revision: String,
    /// The catalog's permissions, in catalog order.
    pub columns: Vec<Column>,
    /// Every profile: built-in ones in the platform's order, then custom
    /// ones by name.
    pub profiles: Vec<ProfileRow>,
    /// Every member, by id.
    pub members: Vec<MemberRow>,
    /// Every diagnostic left after suppressions, sorted by place.
    pub findings: Vec<Finding>,
    /// Every accepted suppression, sorted by place.
    pub waivers: Vec<WaiverRow>,
    /// The header's counts.
    pub counts: Counts,
}

/// The header's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Profiles written in the policy files.
    pub custom_profiles: usize,
    /// Profiles of the platform.
    pub builtin_profiles: usize,
    /// Members.
    pub members: usize,
    /// Members holding an admin-equivalent profile.
    pub admins: usize,
    /// Warnings.
    pub warnings: usize,
    /// Accepted suppressions.
    pub waivers: usize,
}

/// One permission of the catalog: a column of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Dotted id.
    pub id: String,
    /// The vendor's top-level area.
    pub category: String,
    /// The vendor's sub-section.
    pub section: String,
    /// The vendor's wording of what it allows.
    pub label: String,
    /// Its kind.
    pub kind: Kind,
    /// Its values from least to most access, as written (empty for limits).
    pub levels: Vec<String>,
}

/// How much a cell grants, from nothing (`0`) to the most there is (`3`).
pub type Grade = u8;

/// One profile: a row of the matrix and a node of the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileRow {
    /// Name.
    pub name: String,
    /// Whether the platform defines it.
    pub builtin: bool,
    /// Description, when given.
    pub description: Option<String>,
    /// Whether it lets its holders make themselves admins.
    pub admin_equivalent: bool,
    /// Its parents, in `extends` order.
    pub extends: Vec<String>,
    /// Members holding it.
    pub members: usize,
    /// Where it is declared: file and line; `None` for a built-in profile.
    pub declared: Option<Place>,
    /// Its effective value of each column.
    pub cells: Vec<Cell>,
}

/// A file name relative to the policy root and a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The file (`prelude:<platform>` for the platform's own profiles).
    pub file: String,
    /// The line.
    pub line: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One profile's effective value of one permission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The value as policy files write it.
    pub value: String,
    /// How much it grants (`0..=3`): see [`grade`].
    pub grade: Grade,
    /// Whether it is a risky grant: at or above the catalog's risk level,
    /// or any grant of a permission that makes an admin.
    pub risky: bool,
    /// Whether it is `emails.visibility = all`.
    pub all_emails: bool,
    /// Where the value is set.
    pub source: Source,
}

/// Where a cell's value is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The profile's own setting.
    Own(Place),
    /// An ancestor's setting.
    Inherited {
        /// The ancestor whose setting gives the value.
        profile: String,
        /// The setting.
        place: Place,
    },
    /// No profile on the way sets it: the catalog default.
    Default,
}

impl Source {
    /// One line for people: `own setting, profiles/sales.perm:12`.
    pub fn describe(&self) -> String {
        match self {
            Source::Own(place) => format!("own setting, {place}"),
            Source::Inherited { profile, place } => format!("from {profile}, {place}"),
            Source::Default => "catalog default".to_owned(),
        }
    }
}

/// One member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRow {
    /// Id, usually an e-mail address.
    pub id: String,
    /// Team, when given.
    pub team: Option<String>,
    /// The profile held.
    pub profile: String,
    /// Whether that profile is admin-equivalent.
    pub admin_equivalent: bool,
    /// The member's own limits, `(permission, value)` in catalog order.
    pub limits: Vec<(String, String)>,
    /// The risky grants the member holds, `(permission, value)` in catalog order.
    pub risky: Vec<(String, String)>,
}

/// One diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// `error`, `warning` or `note`.
    pub severity: &'static str,
    /// The rule.
    pub rule: &'static str,
    /// The message.
    pub message: String,
    /// Where it points.
    pub place: Place,
}

/// One accepted suppression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaiverRow {
    /// The rule silenced.
    pub rule: String,
    /// The reason given.
    pub reason: String,
    /// The suppression comment.
    pub place: Place,
}

impl Review {
    /// The review of an error-free compilation; file names are made
    /// relative to the policy root by `naming`. A compilation with errors
    /// has no bundle revision, and so no review.
    pub fn of(compilation: &Compilation, naming: &Naming) -> Result<Review, BuildError> {
        let bundle = compilation.bundle(naming)?;
        let Some(model) = &compilation.model else {
            return Err(BuildError {
                message: "the policy set was not resolved".to_owned(),
            });
        };
        let place = |span: Span| Place {
            file: naming.name(&compilation.sources.get(span.file).name),
            line: compilation.sources.line(span),
        };
        let columns = model
            .catalog
            .permissions
            .iter()
            .map(|p| Column {
                id: p.id.clone(),
                category: p.category.clone(),
                section: p.section.clone(),
                label: p.label.clone(),
                kind: p.kind,
                levels: p.levels.clone(),
            })
            .collect();
        let profiles = profile_rows(model, &place)?;
        let mut members = member_rows(model);
        members.sort_by(|a, b| a.id.cmp(&b.id));
        let findings = compilation
            .diagnostics
            .iter()
            .map(|d| Finding {
                severity: d.severity.as_str(),
                rule: d.rule,
                message: d.message.clone(),
                place: place(d.primary.span),
            })
            .collect();
        let waivers: Vec<WaiverRow> = bundle
            .waivers
            .iter()
            .map(|w| WaiverRow {
                rule: w.rule.clone(),
                reason: w.reason.clone(),
                place: Place {
                    file: w.file.clone(),
                    line: usize::try_from(w.line).unwrap_or(usize::MAX),
                },
            })
            .collect();
        let counts = Counts {
            custom_profiles: profiles.iter().filter(|p| !p.builtin).count(),
            builtin_profiles: profiles.iter().filter(|p| p.builtin).count(),
            members: members.len(),
            admins: lint::admin_members(model).len(),
            warnings: compilation
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count(),
            waivers: waivers.len(),
        };
        Ok(Review {
            platform: model.catalog.platform.clone(),
            plan: model.plan.clone(),
            revision: bundle.revision,
            columns,
            profiles,
            members,
            findings,
            waivers,
            counts,
        })
    }

    /// The row of the profile named `name`.
    pub fn profile(&self, name: &str) -> Option<&ProfileRow> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// The index of the column of permission `id`.
    pub fn column(&self, id: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.id == id)
    }

    /// The columns grouped as the matrix's header shows them: each
    /// category with its sections, each section with its columns, in
    /// catalog order (a category or section that comes back after another
    /// starts a new group).
    pub fn groups(&self) -> Vec<Group<'_>> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for (i, column) in self.columns.iter().enumerate() {
            match groups.last_mut() {
                Some(group) if group.category == column.category => {
                    match group.sections.last_mut() {
                        Some(section) if section.section == column.section => {
                            section.columns.push(i);
                        }
                        _ => group.sections.push(SectionGroup {
                            section: &column.section,
                            columns: vec![i],
                        }),
                    }
                }
                _ => groups.push(Group {
                    category: &column.category,
                    sections: vec![SectionGroup {
                        section: &column.section,
                        columns: vec![i],
                    }],
                }),
            }
        }
        groups
    }
}

/// A run of columns of one catalog category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group<'r> {
    /// The category.
    pub category: &'r str,
    /// Its sections, in catalog order.
    pub sections: Vec<SectionGroup<'r>>,
}

impl Group<'_> {
    /// The indices of its columns, in catalog order.
    pub fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.sections.iter().flat_map(|s| s.columns.iter().copied())
    }
}

/// A run of columns of one section of a category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionGroup<'r> {
    /// The section.
    pub section: &'r str,
    /// Indices into [`Review::columns`].
    pub columns: Vec<usize>,
}

fn profile_rows(
    model: &Model,
    place: &dyn Fn(Span) -> Place,
) -> Result<Vec<ProfileRow>, BuildError> {
    let mut holders = vec![0usize; model.profiles.len()];
    for member in &model.members {
        if let Some(slot) = member.profile.and_then(|p| holders.get_mut(p.0 as usize)) {
            *slot += 1;
        }
    }
    // The highest value of each limit across the profiles grades limits.
    let mut highest = vec![0u64; model.catalog.permissions.len()];
    for (id, _) in model.profiles_with_ids() {
        if let Some(view) = model.view(id) {
            for (perm, held) in view.iter() {
                let top = &mut highest[usize::from(perm.0)];
                *top = (*top).max(held.value);
            }
        }
    }
    let mut rows = Vec::with_capacity(model.profiles.len());
    for (id, profile) in model.profiles_with_ids() {
        let Some(view) = model.view(id) else {
            return Err(BuildError {
                message: format!("profile `{}` has no effective permissions", profile.name),
            });
        };
        let cells = view
            .iter()
            .map(|(perm, held)| {
                let permission = model.catalog.get(perm);
                let source = match held.provenance {
                    Provenance::Own { span, .. } => Source::Own(place(span)),
                    Provenance::Inherited { origin, span, .. } => Source::Inherited {
                        profile: model.profile(origin).name.clone(),
                        place: place(span),
                    },
                    Provenance::MemberLimit { span } => Source::Own(place(span)),
                    Provenance::Default { .. } => Source::Default,
                };
                Cell {
                    value: permission.display(held.value),
                    grade: grade(permission, held.value, highest[usize::from(perm.0)]),
                    risky: risky(permission, held.value),
                    all_emails: all_emails(permission, held.value),
                    source,
                }
            })
            .collect();
        rows.push(ProfileRow {
            name: profile.name.clone(),
            builtin: profile.builtin,
            description: profile.description.clone(),
            admin_equivalent: profile.admin_equivalent,
            extends: profile.extends.iter().map(|(n, _)| n.clone()).collect(),
            members: holders[id.0 as usize],
            declared: (!profile.builtin).then(|| place(profile.header)),
            cells,
        });
    }
    // Built-in profiles keep the platform's order; custom ones go by name,
    // whatever the order of the files.
    rows.sort_by(|a, b| match (a.builtin, b.builtin) {
        (true, true) => std::cmp::Ordering::Equal,
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        (false, false) => a.name.cmp(&b.name),
    });
    Ok(rows)
}

fn member_rows(model: &Model) -> Vec<MemberRow> {
    model
        .members
        .iter()
        .filter_map(|member| {
            let profile = model.profile(member.profile?);
            let view = model.member_view(member);
            let mut limits: Vec<(usize, (String, String))> = member
                .limits
                .iter()
                .map(|l| {
                    let p = model.catalog.get(l.perm);
                    (usize::from(l.perm.0), (p.id.clone(), p.display(l.value)))
                })
                .collect();
            limits.sort_by_key(|(i, _)| *i);
            let risky = model
                .catalog
                .iter()
                .filter_map(|(perm, p)| {
                    let held = view.get(perm)?;
                    (risky(p, held.value) || all_emails(p, held.value))
                        .then(|| (p.id.clone(), p.display(held.value)))
                })
                .collect();
            Some(MemberRow {
                id: member.id.clone(),
                team: member.team.clone(),
                profile: profile.name.clone(),
                admin_equivalent: profile.admin_equivalent,
                limits: limits.into_iter().map(|(_, l)| l).collect(),
                risky,
            })
        })
        .collect()
}

/// How much `value` of `permission` grants, `0..=3`: `0` the least value,
/// `3` the highest level (for a limit: the highest any profile holds),
/// `1` and `2` the lower and upper half of what lies between.
pub fn grade(permission: &Permission, value: u64, highest_limit: u64) -> Grade {
    let top = match permission.kind {
        Kind::Limit => highest_limit,
        _ => permission.highest().unwrap_or(0),
    };
    if value == 0 || top == 0 {
        0
    } else if value >= top {
        3
    } else if value.saturating_mul(2) <= top {
        1
    } else {
        2
    }
}

/// Whether `value` of `permission` is a risky grant: at or above its risk
/// level, or any grant of a permission that makes its holder an admin.
pub fn risky(permission: &Permission, value: u64) -> bool {
    permission.risk_at.is_some_and(|at| value >= at) || (permission.grants_admin && value > 0)
}

/// Whether `value` of `permission` is `emails.visibility = all`, the grant
/// that reads every user's mailbox.
pub fn all_emails(permission: &Permission, value: u64) -> bool {
    permission.id == "emails.visibility" && permission.level("all") == Some(value)
}

#[cfg(all(test, feature = "report"))]
mod tests;
