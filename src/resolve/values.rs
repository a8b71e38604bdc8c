//! Checking a written setting against the catalog.

use crate::catalog::{Catalog, Kind, PermId};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::syntax::ast::{Setting, Value};

/// The permission and value of `setting`, or the diagnostic saying why not.
pub fn check(catalog: &Catalog, setting: &Setting) -> Result<(PermId, u64), Box<Diagnostic>> {
    let Some(perm) = catalog.lookup(&setting.id) else {
        let help = did_you_mean(
            &setting.id,
            catalog.permissions.iter().map(|p| p.id.as_str()),
        )
        .unwrap_or_else(|| {
            format!(
                "`rolecall` knows the {} permissions of `{}`",
                catalog.len(),
                catalog.platform
            )
        });
        return Err(Box::new(
            Diagnostic::error(
                "unknown-permission",
                setting.id_span,
                format!(
                    "`{}` is not a permission of `{}`",
                    setting.id, catalog.platform
                ),
            )
            .with_primary("unknown permission")
            .with_help(help),
        ));
    };
    let permission = catalog.get(perm);
    let value = match (&setting.value, permission.kind) {
        (Value::Integer(n), Kind::Limit) => Some(*n),
        (Value::Word(w), kind) if kind != Kind::Limit => permission.level(w),
        _ => None,
    };
    let Some(value) = value else {
        let message = match &setting.value {
            Value::TooLarge(raw) => format!("`{raw}` is too large for `{}`", setting.id),
            other => format!(
                "`{other}` is not a value of {} `{}`",
                permission.kind.as_str(),
                setting.id
            ),
        };
        return Err(Box::new(
            Diagnostic::error("invalid-value", setting.value_span, message)
                .with_primary("invalid value")
                .with_help(format!(
                    "`{}` accepts {}",
                    setting.id,
                    permission.accepted()
                )),
        ));
    };
    Ok((perm, value))
}
