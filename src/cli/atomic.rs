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
    write_atomically_with(target, |file| file.write_all(bytes))
}

/// Replaces `target` atomically with what `fill` writes to a new file, as
/// [`write_atomically`] does; on an error of `fill` the target is left as
/// it was and the new file removed.
pub fn write_atomically_with<T, E: From<std::io::Error>>(
    target: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> Result<T, E>,
) -> Result<T, E> {
    if target.is_dir() {
        return Err(
            std::io::Error::new(std::io::ErrorKind::IsADirectory, "it is a directory").into(),
        );
    }
    let (file, made) = staged(target, fill)?;
    let permissions = match std::fs::metadata(target) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(permissions) = permissions {
        file.as_file().set_permissions(permissions)?;
    }
    file.persist(target).map_err(|e| e.error)?;
    Ok(made)
}

/// What `fill` writes in a temporary file beside `target`, flushed to disk;
/// removed when dropped unless persisted.
fn staged<T, E: From<std::io::Error>>(
    target: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> Result<T, E>,
) -> Result<(tempfile::NamedTempFile, T), E> {
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".rolecall-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    let made = fill(file.as_file_mut())?;
    file.as_file().sync_all()?;
    Ok((file, made))
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
    let (file, ()) = staged(target, |file| file.write_all(bytes))?;
    if let Some(permissions) = default_permissions() {
        file.as_file().set_permissions(permissions)?;
    }
    file.persist_noclobber(target).map_err(|e| e.error)?;
    Ok(())
}
