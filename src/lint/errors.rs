//! Documentation of the compiler's error rules. The diagnostics themselves
//! are produced by the parser and the resolver; errors are never
//! configurable nor suppressible.

use super::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports text that does not follow the profile language, saying what
    /// was expected where parsing stopped.
    ///
    /// ## Why is this bad?
    /// A file that does not parse cannot be checked, so nothing else in the
    /// policy set is trusted until it is fixed.
    ///
    /// ## Example
    /// ```text
    /// profile "SDR" extends "Non-admin" {
    ///   deals.view =
    /// }
    /// ```
    /// Give every setting a value: `deals.view = allow`.
    pub static SYNTAX = "syntax", Error, "the text does not parse";
}

declare_rule! {
    /// ## What it does
    /// Reports a policy file that is not valid UTF-8, with the offset of the
    /// first bad byte.
    ///
    /// ## Why is this bad?
    /// Profile and member names would be read wrongly; the file is skipped.
    ///
    /// ## Example
    /// ```text
    /// member "josé@acme.com"   # saved as Latin-1
    /// ```
    /// Save the file as UTF-8.
    pub static INVALID_ENCODING = "invalid-encoding", Error, "a file is not UTF-8";
}

declare_rule! {
    /// ## What it does
    /// Reports a policy set where no file and no `rolecall.yaml` names the
    /// platform.
    ///
    /// ## Why is this bad?
    /// Without a platform there is no catalog of permissions to check against.
    ///
    /// ## Example
    /// ```text
    /// profile "SDR" extends "Non-admin" { }
    /// ```
    /// Start a file with `platform apollo`, or set `platform: apollo` in `rolecall.yaml`.
    pub static MISSING_PLATFORM = "missing-platform", Error, "no platform is declared";
}

declare_rule! {
    /// ## What it does
    /// Reports a `platform` name with no built-in or configured catalog.
    ///
    /// ## Why is this bad?
    /// The permissions of an unknown platform cannot be checked.
    ///
    /// ## Example
    /// ```text
    /// platform apolo
    /// ```
    /// Write `platform apollo`, or point `catalog:` in `rolecall.yaml` at a custom catalog.
    pub static UNKNOWN_PLATFORM = "unknown-platform", Error, "a platform name has no catalog";
}

declare_rule! {
    /// ## What it does
    /// Reports a `platform` or `plan` declaration that disagrees with an
    /// earlier one in another file or in `rolecall.yaml`.
    ///
    /// ## Why is this bad?
    /// A policy set describes one workspace of one platform on one plan.
    ///
    /// ## Example
    /// ```text
    /// # a.perm
    /// platform apollo
    /// # b.perm
    /// platform amplemarket
    /// ```
    /// Declare the same platform everywhere, or split the files into two sets.
    pub static PLATFORM_MISMATCH = "platform-mismatch", Error, "two platform or plan declarations disagree";
}

declare_rule! {
    /// ## What it does
    /// Reports a permission id that the platform's catalog does not have,
    /// suggesting the nearest ids.
    ///
    /// ## Why is this bad?
    /// A misspelt id would silently grant or restrict nothing.
    ///
    /// ## Example
    /// ```text
    /// contact.delete = own
    /// ```
    /// Use the catalog's id: `contacts.delete = own`.
    pub static UNKNOWN_PERMISSION = "unknown-permission", Error, "a permission id is not in the catalog";
}

declare_rule! {
    /// ## What it does
    /// Reports a value that does not fit its permission's kind (a level name
    /// for a toggle, a word for a limit), or a plan the platform lacks.
    ///
    /// ## Why is this bad?
    /// The vendor would reject the value, or the compiler would have to guess.
    ///
    /// ## Example
    /// ```text
    /// deals.view = team
    /// ```
    /// `deals.view` is a toggle: write `allow` or `deny`.
    pub static INVALID_VALUE = "invalid-value", Error, "a value does not fit its permission";
}

declare_rule! {
    /// ## What it does
    /// Reports a second profile with a name already taken, built-in names included.
    ///
    /// ## Why is this bad?
    /// Members and `extends` clauses could not tell which profile they mean.
    ///
    /// ## Example
    /// ```text
    /// profile "Admin" { deals.view = allow }
    /// ```
    /// Pick a new name, e.g. `profile "Deal Viewer"`.
    pub static DUPLICATE_PROFILE = "duplicate-profile", Error, "a profile is defined twice";
}

declare_rule! {
    /// ## What it does
    /// Reports a permission set twice in one profile, member or `settings` block.
    ///
    /// ## Why is this bad?
    /// Only one of the two values could win, and readers cannot tell which.
    ///
    /// ## Example
    /// ```text
    /// deals.view = allow
    /// deals.view = deny
    /// ```
    /// Keep the one value you mean.
    pub static DUPLICATE_SETTING = "duplicate-setting", Error, "a permission is set twice in one block";
}

declare_rule! {
    /// ## What it does
    /// Reports a member declared twice.
    ///
    /// ## Why is this bad?
    /// A seat holds one profile; two declarations contradict each other.
    ///
    /// ## Example
    /// ```text
    /// member "ana@acme.com" profile "SDR"
    /// member "ana@acme.com" profile "Admin"
    /// ```
    /// Keep one declaration.
    pub static DUPLICATE_MEMBER = "duplicate-member", Error, "a member is declared twice";
}

declare_rule! {
    /// ## What it does
    /// Reports an `extends` clause or a `member ... profile` naming no
    /// profile, suggesting the nearest names.
    ///
    /// ## Why is this bad?
    /// The profile's or the member's permissions cannot be computed.
    ///
    /// ## Example
    /// ```text
    /// profile "SDR" extends "Non admin" { }
    /// ```
    /// Write the exact name: `extends "Non-admin"`.
    pub static UNKNOWN_PROFILE = "unknown-profile", Error, "a profile name is not defined";
}

declare_rule! {
    /// ## What it does
    /// Reports profiles that extend each other in a loop, showing the whole loop.
    ///
    /// ## Why is this bad?
    /// Effective permissions of a loop have no starting point.
    ///
    /// ## Example
    /// ```text
    /// profile "A" extends "B" { }
    /// profile "B" extends "A" { }
    /// ```
    /// Remove one of the `extends` clauses.
    pub static INHERITANCE_CYCLE = "inheritance-cycle", Error, "profiles extend each other in a loop";
}

declare_rule! {
    /// ## What it does
    /// Reports a profile extending Admin that sets a catalog-`locked`
    /// permission below Admin's value.
    ///
    /// ## Why is this bad?
    /// The vendor does not let admin profiles lose these permissions, so the
    /// policy would not match what users really hold.
    ///
    /// ## Example
    /// ```text
    /// profile "Deputy Admin" extends "Admin" {
    ///   billing.manage = deny
    /// }
    /// ```
    /// Extend "Non-admin" and grant what is needed, or keep the permission.
    pub static LOCKED_SETTING = "locked-setting", Error, "an admin profile lowers a locked permission";
}

declare_rule! {
    /// ## What it does
    /// Reports custom profiles on an Apollo plan below the one that allows them.
    ///
    /// ## Why is this bad?
    /// The workspace cannot hold the profiles the policy describes.
    ///
    /// ## Example
    /// ```text
    /// plan basic
    /// profile "SDR" extends "Non-admin" { }
    /// ```
    /// Declare the plan you are on (`plan organization`) or use built-in profiles only.
    pub static PLAN_REQUIRED = "plan-required", Error, "custom profiles need a higher plan";
}

declare_rule! {
    /// ## What it does
    /// Reports a `profile` block on a platform whose catalog forbids custom
    /// profiles, such as Amplemarket.
    ///
    /// ## Why is this bad?
    /// The vendor only offers its built-in roles.
    ///
    /// ## Example
    /// ```text
    /// platform amplemarket
    /// profile "Team Lead" extends "Sales Rep" { }
    /// ```
    /// Assign a built-in role and per-member limits instead.
    pub static CUSTOM_PROFILES_UNSUPPORTED = "custom-profiles-unsupported", Error, "the platform has no custom profiles";
}

declare_rule! {
    /// ## What it does
    /// Reports a profile or member limit above the organisation's cap in `settings`.
    ///
    /// ## Why is this bad?
    /// The cap is the deliverability or budget ceiling the organisation agreed on.
    ///
    /// ## Example
    /// ```text
    /// settings { mailbox.sending_limit = 400 }
    /// member "ana@acme.com" { mailbox.sending_limit = 900 }
    /// ```
    /// Lower the limit to the cap or below.
    pub static LIMIT_EXCEEDS_CAP = "limit-exceeds-cap", Error, "a limit is above its cap";
}

declare_rule! {
    /// ## What it does
    /// Reports a member setting a permission that is not a limit.
    ///
    /// ## Why is this bad?
    /// Access is granted through profiles; a member only tunes its own limits.
    ///
    /// ## Example
    /// ```text
    /// member "ana@acme.com" profile "SDR" { deals.view = allow }
    /// ```
    /// Give the member a profile that grants `deals.view`.
    pub static MEMBER_SETTING_NOT_ALLOWED = "member-setting-not-allowed", Error, "a member sets a non-limit permission";
}

declare_rule! {
    /// ## What it does
    /// Reports a `rolecall.yaml` or custom catalog that cannot be used: YAML
    /// that does not parse, an unknown key, a value of the wrong type, a
    /// misspelt rule name or an invalid glob, at the offending key or value.
    ///
    /// ## Why is this bad?
    /// The configuration decides the platform, the severities and which
    /// files belong to the set; a check under a half-read configuration
    /// would not be the check the team asked for. The run stops with exit
    /// code 2.
    ///
    /// ## Example
    /// ```yaml
    /// platform: apollo
    /// plann: basic
    /// ```
    /// Spell the key `plan`.
    pub static CONFIG = "config", Error, "the configuration or a custom catalog cannot be used";
}

declare_rule! {
    /// ## What it does
    /// Reports a path of the command line (or of the configuration) that
    /// cannot be read, and a set without any `*.perm` file.
    ///
    /// ## Why is this bad?
    /// Nothing was checked, so a green run would be a false one. The run
    /// stops with exit code 2.
    ///
    /// ## Example
    /// ```text
    /// rolecall check polices/   # misspelt folder
    /// ```
    /// Name a file or folder that holds the policy set.
    pub static LOAD = "load", Error, "a path cannot be read or holds no policy files";
}
