//! The whole `check` pipeline on one policy file of arbitrary bytes, on the
//! Apollo platform: compile, then render every diagnostic in each output
//! format (rendering reads spans, so an odd span shows up here), then build
//! the bundle when there are no errors.

#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use rolecall::load::Workspace;
use rolecall::load::config::{Config, LoadedConfig};
use rolecall::diagnostics::render::HumanStyle;

fuzz_target!(|data: &[u8]| {
    let mut project = Workspace::from_files([("fuzz.perm", data)]);
    project.set_config(
        "rolecall.yaml",
        LoadedConfig {
            path: PathBuf::from("rolecall.yaml"),
            text: "platform: apollo\n".to_owned(),
            config: Config {
                platform: Some("apollo".to_owned()),
                ..Config::default()
            },
        },
    );
    let compilation = rolecall::compile(&project);
    for color in [false, true] {
        let style = HumanStyle {
            color,
            ..HumanStyle::default()
        };
        rolecall::diagnostics::render::human_report(&compilation, style);
    }
    let json = rolecall::diagnostics::render::json_report(&compilation);
    assert!(serde_json::to_string(&json).is_ok());
    let sarif = rolecall::diagnostics::render::sarif_report(&compilation);
    assert!(serde_json::to_string(&sarif).is_ok());
    rolecall::diagnostics::render::github_report(&compilation);
    if compilation.counts().errors == 0 {
        let naming = rolecall::backend::Naming::new(Path::new("."));
        let bundle = compilation.bundle(&naming);
        assert!(
            bundle.is_ok(),
            "no bundle without errors: {:?}",
            bundle.err()
        );
    }
});
