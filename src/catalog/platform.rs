//! A platform ready to resolve against: its catalog with its prelude parsed.
//!
//! The built-in platforms are built once per process and shared by every
//! compilation; a custom platform is built once per load of its catalog.

use std::sync::{Arc, OnceLock};

use super::{BUILTIN_PLATFORMS, Catalog, builtin};
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SHARED_IDS, SourceFile};
use crate::syntax::{self, ast};

/// A catalog with its prelude as a parsed source file.
#[derive(Debug)]
pub struct Platform {
    /// The catalog.
    pub catalog: Arc<Catalog>,
    /// The prelude's source, named `prelude:PLATFORM`.
    pub prelude: Arc<SourceFile>,
    /// The prelude's file id.
    pub prelude_id: FileId,
    /// The prelude's tree and warnings, or its syntax error.
    pub parsed: Result<(Arc<ast::File>, Vec<Diagnostic>), Box<Diagnostic>>,
}

impl Platform {
    /// Parses the prelude of `catalog` as file `prelude_id`.
    pub fn new(catalog: Catalog, prelude_id: FileId) -> Self {
        let prelude = Arc::new(SourceFile::new(
            format!("prelude:{}", catalog.platform),
            catalog.prelude.as_str(),
        ));
        let parsed =
            syntax::parse(prelude_id, &prelude.text).map(|(tree, found)| (Arc::new(tree), found));
        Platform {
            catalog: Arc::new(catalog),
            prelude,
            prelude_id,
            parsed,
        }
    }
}

/// The built-in platform `name`, built on first use and then shared.
pub fn builtin_platform(name: &str) -> Option<&'static Platform> {
    static BUILT: [OnceLock<Option<Platform>>; BUILTIN_PLATFORMS.len()] =
        [const { OnceLock::new() }; BUILTIN_PLATFORMS.len()];
    let index = BUILTIN_PLATFORMS.iter().position(|p| *p == name)?;
    BUILT[index]
        .get_or_init(|| {
            let id = FileId(SHARED_IDS + u32::try_from(index).unwrap_or(0));
            builtin(name).map(|catalog| Platform::new(catalog, id))
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_platforms_are_built_once_and_parse() {
        for name in BUILTIN_PLATFORMS {
            let first = builtin_platform(name).expect("a built-in platform");
            let again = builtin_platform(name).expect("a built-in platform");
            assert!(std::ptr::eq(first, again), "{name} built twice");
            assert!(first.parsed.is_ok(), "{name}'s prelude parses");
            assert_eq!(first.prelude.name, format!("prelude:{name}"));
        }
        assert!(builtin_platform("salesforce").is_none());
    }
}
