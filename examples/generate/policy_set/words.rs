//! Word lists that make generated names, comments and reasons read like a
//! real organisation's.

/// Sales regions, used in profile and team names.
pub const REGIONS: &[&str] = &[
    "AMER", "EMEA", "APAC", "LATAM", "DACH", "Nordics", "UKI", "ANZ", "Benelux", "Iberia",
];

/// Roles of the sales floor and its support teams: regular profiles.
pub const ROLES: &[&str] = &[
    "SDR",
    "BDR",
    "Account Executive",
    "Enterprise AE",
    "Sales Manager",
    "Sales Director",
    "Account Manager",
    "Customer Success",
    "Solutions Engineer",
    "Sales Ops Analyst",
    "Marketing Ops",
    "Enablement",
    "Deal Desk",
    "Partner Agency",
    "Recruiter",
    "Renewals",
];

/// Areas whose leads administer the platform: admin profiles.
pub const ADMIN_AREAS: &[&str] = &["RevOps", "IT", "Sales Systems", "GTM Ops", "Security"];

/// What a profile is for, appended to its description.
pub const FOCUS: &[&str] = &[
    "works their own pipeline from first meeting to close",
    "prospects in their territory and books meetings",
    "coaches their pod and rebalances ownership",
    "keeps the CRM clean and owns shared views",
    "runs campaigns, personas and list imports",
    "handles renewals and expansion of existing accounts",
    "reviews pricing and ownership at close",
    "onboards new hires and owns the template library",
    "covers a territory while the team is being hired",
    "supports enterprise deals with demos and pilots",
];

/// Functions of teams.
pub const FUNCTIONS: &[&str] = &[
    "Outbound",
    "Inbound",
    "Enterprise",
    "Mid-Market",
    "SMB",
    "Expansion",
    "Partners",
    "Ops",
];

/// Given names of members.
pub const FIRST: &[&str] = &[
    "ana", "ben", "carlos", "dana", "ethan", "fatima", "gabe", "holly", "ivan", "jo", "kenji",
    "lena", "maya", "noah", "olivia", "pierre", "raj", "sofia", "tom", "zoe", "amir", "bea",
    "chen", "diego", "elif", "femi", "greta", "hugo", "ines", "jonas",
];

/// Family names of members.
pub const LAST: &[&str] = &[
    "ruiz",
    "whitfield",
    "brooks",
    "ali",
    "santos",
    "kim",
    "petrov",
    "baptiste",
    "sato",
    "tan",
    "iyer",
    "kowalska",
    "nielsen",
    "martin",
    "bianchi",
    "weber",
    "byrne",
    "dubois",
    "chen",
    "okafor",
    "natarajan",
    "fischer",
    "reed",
    "marques",
    "adler",
    "lee",
    "moore",
    "haddad",
    "lindqvist",
    "adeyemi",
];

/// Teams and people who approve exceptions, for suppression reasons.
pub const APPROVERS: &[&str] = &[
    "RevOps",
    "IT",
    "Legal",
    "Finance",
    "Security",
    "the CRO",
    "Sales Ops",
    "Compliance",
];

/// Ticket prefixes, for comments and reasons.
pub const TICKETS: &[&str] = &["OPS", "SEC", "FIN", "LEG", "IT", "GTM"];

/// Why a risky permission is granted outside the admin team.
pub const RISKY_WHY: &[&str] = &[
    "needed for the quarterly territory carve-up",
    "list exports for events",
    "owns the CRM sync for this region",
    "covers billing while Finance is short-staffed",
    "bulk clean-up after the CRM migration",
    "pilot of the new enrichment vendor",
];

/// Why a profile reads every mailbox.
pub const ALL_EMAILS_WHY: &[&str] = &[
    "deliverability audits",
    "compliance review of outbound messaging",
    "coaching across every pod",
];

/// Why a profile nobody holds is kept.
pub const UNUSED_WHY: &[&str] = &[
    "kept for the next reorg",
    "seats return after the hiring freeze",
    "template for a new region",
    "contractor seats come back next quarter",
];

/// Trailing remarks on settings.
pub const REMARKS: &[&str] = &[
    "requested by the team lead",
    "pilot until the end of the quarter",
    "see the access review",
    "narrowed after the last audit",
    "matches the vendor's recommendation",
    "agreed with the regional director",
];

/// Remarks on members' own limits.
pub const MEMBER_REMARKS: &[&str] = &[
    "warm-up ramp, first two weeks",
    "fully warmed domain",
    "strategic accounts pod",
    "new sending domain still warming up",
    "event follow-ups this month",
];
