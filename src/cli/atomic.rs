//! Writing files atomically: a temporary file beside the target, flushed to
//! disk, then renamed over it. Readers see the old file or the new one, never
//! half of one, and a failed write leaves the target untouched.

use std::io::Write;
use std::path::Path;

/// Replaces `target` with `bytes` atomically.
///
/// The new file keeps the permissions of the file it replaces (a temporary
/// file is private to its owner), or gets the usual `0644` when `target` is
/// new. On failure the temporary file is removed.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if target.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        ));
    }
    let file = staged(target, bytes)?;
    let permissions = match std::fs::metadata(target) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(permissions) = permissions {
        file.as_file().set_permissions(permissions)?;
    }
    file.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// `bytes` in a temporary file beside `target`, flushed to disk; removed
/// when dropped unless persisted.
fn staged(target: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".rolecall-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    Ok(file)
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

/// Writes `bytes` to `target` atomically, failing with `AlreadyExists`
/// rather than replacing a file that is already there.
pub fn write_new(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let file = staged(target, bytes)?;
    if let Some(permissions) = default_permissions() {
        file.as_file().set_permissions(permissions)?;
    }
    file.persist_noclobber(target).map_err(|e| e.error)?;
    Ok(())
}
