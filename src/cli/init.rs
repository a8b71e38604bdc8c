//! `rolecall init [DIR] --platform P [--plan PLAN]`: a ready policy
//! repository that passes `rolecall check` at once.
//!
//! Every file comes from [`SCAFFOLD`]; a file is added to what `init`
//! writes by adding it there. Nothing is ever overwritten: when any target
//! exists, or a file stands where a folder must be (`DIR` itself, a folder
//! above it or one of the scaffold's), `init` names it and writes nothing
//! at all.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{EXIT_OK, EXIT_USAGE};
use crate::catalog::builtin_platform;
use crate::load::discover::{display_name, io_reason};

/// Arguments of `rolecall init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to set up (created when missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// The platform the policies are written for.
    #[arg(long, value_enum)]
    pub platform: InitPlatform,
    /// The organisation's vendor plan (Apollo: free, basic, professional, organization, custom).
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,
}

/// The built-in platforms `init` sets up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InitPlatform {
    /// Apollo: custom profiles extend the built-in ones.
    Apollo,
    /// Amplemarket: the two built-in roles, assigned to members.
    Amplemarket,
}

impl InitPlatform {
    fn name(self) -> &'static str {
        match self {
            InitPlatform::Apollo => "apollo",
            InitPlatform::Amplemarket => "amplemarket",
        }
    }
}

/// What the files are made from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// The platform.
    pub platform: InitPlatform,
    /// The plan, when the platform has plans.
    pub plan: Option<String>,
    /// Whether the plan allows custom profiles.
    pub custom_profiles: bool,
}

/// One file of the scaffold: its path under the folder, and its text for a
/// setup (`None` when the setup has no such file).
pub struct ScaffoldFile {
    /// Path relative to the folder, with `/` separators.
    pub path: &'static str,
    /// The file's text.
    pub text: fn(&Setup) -> Option<String>,
}

/// Every file `init` may write, in the order it writes them.
pub static SCAFFOLD: &[ScaffoldFile] = &[
    ScaffoldFile {
        path: "rolecall.yaml",
        text: config,
    },
    ScaffoldFile {
        path: "profiles.perm",
        text: profiles,
    },
    ScaffoldFile {
        path: "members.perm",
        text: members,
    },
    ScaffoldFile {
        path: "access.test.yaml",
        text: access_tests,
    },
    ScaffoldFile {
        path: ".pre-commit-config.yaml",
        text: pre_commit,
    },
    ScaffoldFile {
        path: ".github/workflows/rolecall.yml",
        text: workflow,
    },
];

/// Runs `init`; returns the exit code.
pub fn run(args: &InitArgs) -> u8 {
    let setup = match setup(args.platform, args.plan.as_deref()) {
        Ok(setup) => setup,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let files = files(&setup);
    let cwd = std::env::current_dir().ok();
    let shown = |path: &Path| display_name(path, cwd.as_deref());
    let targets: Vec<(PathBuf, &String)> = files
        .iter()
        .map(|(path, text)| (args.dir.join(path), text))
        .collect();
    if let Some((file, folder)) = blocked(&args.dir, &targets) {
        let what = if file == folder {
            "not a folder".to_owned()
        } else {
            format!("so the folder `{}` cannot be made", shown(&folder))
        };
        eprintln!(
            "error: `{}` is a file, {what}; nothing was written",
            shown(&file)
        );
        return EXIT_USAGE;
    }
    let existing: Vec<String> = targets
        .iter()
        .filter(|(target, _)| std::fs::symlink_metadata(target).is_ok())
        .map(|(target, _)| format!("`{}`", shown(target)))
        .collect();
    if !existing.is_empty() {
        eprintln!(
            "error: {} already {}; nothing was written",
            existing.join(", "),
            if existing.len() == 1 {
                "exists"
            } else {
                "exist"
            }
        );
        return EXIT_USAGE;
    }
    for (target, text) in &targets {
        let made = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent),
            _ => Ok(()),
        };
        if let Err(error) = made.and_then(|()| super::atomic::write_new(target, text.as_bytes())) {
            eprintln!(
                "error: cannot write `{}`: {}",
                shown(target),
                io_reason(&error)
            );
            return EXIT_USAGE;
        }
        println!("wrote `{}`", shown(target));
    }
    println!(
        "next: `rolecall check {}`, then commit the files",
        shown(&args.dir)
    );
    EXIT_OK
}

/// The first path on the way to a target that is a file where a folder
/// must be, and the folder it keeps from being made: `dir` itself when the
/// file is `dir` or above it, else the folder of the target.
fn blocked(dir: &Path, targets: &[(PathBuf, &String)]) -> Option<(PathBuf, PathBuf)> {
    for (target, _) in targets {
        let Some(folder) = target.parent() else {
            continue;
        };
        let mut way: Vec<&Path> = folder
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        way.reverse();
        for step in way {
            if std::fs::metadata(step).is_ok_and(|m| !m.is_dir()) {
                let wanted = if dir.starts_with(step) { dir } else { folder };
                return Some((step.to_owned(), wanted.to_owned()));
            }
        }
    }
    None
}

/// The setup for `platform` on `plan`, or why the plan does not fit.
pub fn setup(platform: InitPlatform, plan: Option<&str>) -> Result<Setup, String> {
    let name = platform.name();
    let catalog = builtin_platform(name)
        .map(|p| &p.catalog)
        .ok_or_else(|| format!("`{name}` has no built-in catalog"))?;
    if catalog.plans.is_empty() {
        if let Some(plan) = plan {
            return Err(format!(
                "`{name}` has no plans, so `--plan {plan}` does not apply"
            ));
        }
        return Ok(Setup {
            platform,
            plan: None,
            custom_profiles: catalog.custom_profiles,
        });
    }
    let min = catalog.custom_profiles_min_plan.unwrap_or(0);
    let chosen = match plan {
        Some(plan) => catalog
            .plans
            .iter()
            .position(|p| p == plan)
            .ok_or_else(|| {
                format!(
                    "`{plan}` is not a plan of `{name}`; the plans are {}",
                    catalog
                        .plans
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?,
        None => min,
    };
    Ok(Setup {
        platform,
        plan: catalog.plans.get(chosen).cloned(),
        custom_profiles: catalog.custom_profiles && chosen >= min,
    })
}

/// The files of `setup`: (path, text), in [`SCAFFOLD`] order.
pub fn files(setup: &Setup) -> Vec<(&'static str, String)> {
    SCAFFOLD
        .iter()
        .filter_map(|file| (file.text)(setup).map(|text| (file.path, text)))
        .collect()
}

fn config(setup: &Setup) -> Option<String> {
    let mut out = String::from(
        "# rolecall configuration. Every `*.perm` file under this folder is one\n\
         # policy set, checked against the catalog of this platform.\n",
    );
    out.push_str(&format!("platform: {}\n", setup.platform.name()));
    if let Some(plan) = &setup.plan {
        out.push_str(&format!("plan: {plan}\n"));
    }
    out.push_str(
        "\n# Severities of the warning rules (`rolecall rules` lists them):\n\
         # error | warning | note | off.\n\
         # rules:\n\
         #   redundant-setting: note\n\
         \n\
         # Fewest members with admin rights, and their largest share of all members.\n\
         # min_admins: 2\n\
         # max_admin_share: 0.25\n",
    );
    Some(out)
}

fn profiles(setup: &Setup) -> Option<String> {
    if setup.platform != InitPlatform::Apollo {
        return None;
    }
    let head = "# Custom permission profiles. A profile starts from the values of the\n\
                # profiles it extends (the higher value of each permission) and changes\n\
                # only the settings it writes. `rolecall explain \"Sales Rep\"` lists every\n\
                # effective value and where it comes from; the permission ids are in\n\
                # the catalog, `rolecall schema --platform apollo` prints them all.\n\n";
    if !setup.custom_profiles {
        let plan = setup.plan.as_deref().unwrap_or_default();
        return Some(format!(
            "{head}# Custom profiles need the `organization` plan; this workspace is on\n\
             # `{plan}`, so members hold the built-in profiles: Admin, Non-admin,\n\
             # Billing and Seat Manager and Call Assistant. After an upgrade, set\n\
             # `plan:` in rolecall.yaml and write profiles here, for instance:\n\
             #\n\
             # profile \"Sales Rep\" extends \"Non-admin\" {{\n\
             #   mailbox.sending_limit = 100\n\
             # }}\n"
        ));
    }
    Some(format!(
        "{head}profile \"Sales Rep\" extends \"Non-admin\" {{\n  \
         description \"Account executives and SDRs: prospect, run sequences, work their own deals\"\n\n  \
         # Non-admin sees only its own emails; outbound adds what was sent\n  \
         # through Apollo and the replies, never every user's mailbox.\n  \
         emails.visibility     = outbound\n  \
         mailbox.sending_limit = 100  # emails per mailbox per day\n}}\n"
    ))
}

fn members(setup: &Setup) -> Option<String> {
    Some(match setup.platform {
        InitPlatform::Apollo => {
            let rep = if setup.custom_profiles {
                "Sales Rep"
            } else {
                "Non-admin"
            };
            format!(
                "# Who holds which profile. A member that names no profile holds\n\
                 # Non-admin. Keep two admins at least (`min-admins`), so the team is\n\
                 # never locked out, and few of them (`too-many-admins`).\n\n\
                 member \"admin.one@example.com\" profile \"Admin\" team \"RevOps\"\n\
                 member \"admin.two@example.com\" profile \"Admin\" team \"RevOps\"\n\
                 member \"rep@example.com\" profile \"{rep}\" team \"Sales\"\n"
            )
        }
        InitPlatform::Amplemarket => {
            "# Amplemarket has two roles, Admin and Sales Rep, and no custom ones:\n\
             # this file assigns them and sets each member's own limits. A member\n\
             # that names no profile is a Sales Rep.\n\n\
             # Organisation caps: no member may set a limit above them.\n\
             settings {\n  \
             mailbox.sending_limit      = 250  # emails per mailbox per day\n  \
             credits.email_reveal_limit = 400  # email reveal credits per rep\n\
             }\n\n\
             # Keep two admins at least (`min-admins`), so the team is never locked out.\n\
             member \"admin.one@example.com\" profile \"Admin\" team \"Sales Ops\"\n\
             member \"admin.two@example.com\" profile \"Admin\" team \"Sales Ops\"\n\n\
             # Limit-kind permissions only, within the caps above.\n\
             member \"rep@example.com\" profile \"Sales Rep\" team \"Outbound\" {\n  \
             mailbox.sending_limit      = 150\n  \
             credits.email_reveal_limit = 200\n\
             }\n"
            .to_owned()
        }
    })
}

fn access_tests(setup: &Setup) -> Option<String> {
    let head = "# Access tests: what this organisation intends, checked by `rolecall test`.\n\
                # Each test names one subject (profile, member, who or none_hold);\n\
                # `rolecall test --coverage` shows which risky grants no test covers yet.\n\
                tests:\n";
    let admins = "  - name: at least two admins, so the team is never locked out\n    \
                  who: admin\n    \
                  count: {min: 2}\n";
    let body = match setup.platform {
        InitPlatform::Apollo if setup.custom_profiles => {
            "\n  - name: sales reps never read every user's mailbox\n    \
             profile: Sales Rep\n    \
             expect:\n      \
             emails.visibility: {max: outbound}\n      \
             mailbox.sending_limit: {max: 100}\n\
             \n  - name: nobody outside Admin both pays the bills and manages users\n    \
             none_hold: [billing.manage = allow, users.manage = allow]\n"
        }
        InitPlatform::Apollo => {
            "\n  - name: the rep holds only their own emails\n    \
             member: rep@example.com\n    \
             expect:\n      \
             emails.visibility: own\n"
        }
        InitPlatform::Amplemarket => {
            "\n  - name: the rep keeps their own sending limit\n    \
             member: rep@example.com\n    \
             expect:\n      \
             mailbox.sending_limit: 150\n"
        }
    };
    Some(format!("{head}{admins}{body}"))
}

fn pre_commit(_: &Setup) -> Option<String> {
    Some(
        "# Checks the whole policy set when a policy file or rolecall.yaml changes.\n\
         # Needs `rolecall` on the PATH: `cargo install --locked --path .` in a\n\
         # clone of rolecall (docs/ci.md there has the other ways).\n\
         repos:\n  \
         - repo: local\n    \
         hooks:\n      \
         - id: rolecall\n        \
         name: rolecall\n        \
         entry: rolecall check\n        \
         language: system\n        \
         pass_filenames: false\n        \
         files: '(\\.perm|rolecall\\.yaml)$'\n        \
         args: [., --deny-warnings]\n      \
         - id: rolecall-test\n        \
         name: rolecall test\n        \
         entry: rolecall test\n        \
         language: system\n        \
         pass_filenames: false\n        \
         files: '(\\.perm|\\.test\\.yaml|rolecall\\.yaml)$'\n        \
         args: [.]\n"
            .to_owned(),
    )
}

fn workflow(_: &Setup) -> Option<String> {
    Some(
        "# Checks the policy set on every push and pull request: annotations on\n\
         # the changed lines, and the findings in the code-scanning tab.\n\
         # Set two repository variables: ROLECALL_GIT, the git URL of rolecall,\n\
         # and ROLECALL_REV, the full commit id to install.\n\
         name: rolecall\n\
         on: [pull_request, push]\n\
         \n\
         jobs:\n  \
         check:\n    \
         runs-on: ubuntu-latest\n    \
         permissions:\n      \
         contents: read\n      \
         security-events: write\n    \
         steps:\n      \
         - uses: actions/checkout@v4\n      \
         - uses: dtolnay/rust-toolchain@stable\n      \
         - run: cargo install --locked --git \"${{ vars.ROLECALL_GIT }}\" --rev \"${{ vars.ROLECALL_REV }}\" rolecall\n      \
         - run: rolecall check . --format github --deny-warnings\n      \
         - run: rolecall test . --format junit > rolecall-tests.xml\n      \
         - run: rolecall check . --format sarif > rolecall.sarif\n        \
         if: always()\n      \
         - uses: github/codeql-action/upload-sarif@v3\n        \
         if: always()\n        \
         with:\n          \
         sarif_file: rolecall.sarif\n          \
         category: rolecall\n"
            .to_owned(),
    )
}
