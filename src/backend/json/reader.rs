//! Reading a bundle in a service that enforces it.

use super::bundle::{Bundle, FORMAT, Value};

/// Why a bundle could not be read or trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The text is not a bundle: bad JSON, a missing or unknown field.
    Json(String),
    /// The bundle is of another format or version.
    Format(String),
    /// The content does not match its `revision` digest.
    Revision {
        /// The digest written in the bundle.
        written: String,
        /// The digest of the content as read.
        computed: String,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Json(message) => write!(f, "not a rolecall bundle: {message}"),
            ReadError::Format(found) => {
                write!(
                    f,
                    "unsupported bundle format `{found}`, expected `{FORMAT}`"
                )
            }
            ReadError::Revision { written, computed } => write!(
                f,
                "the bundle was changed after it was built: its revision is `{written}` but its content hashes to `{computed}`"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

impl Bundle {
    /// Parses a bundle and checks its format tag; call [`Bundle::verify`]
    /// before trusting it.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let text = rolecall::build_paths(&["policies/examples/apollo-acme".into()], None)?.to_json();
    /// let bundle = rolecall::backend::Bundle::from_json(&text)?;
    /// bundle.verify()?;
    /// let limit = bundle.member_value("noah.weber@acme.com", "mailbox.sending_limit");
    /// assert_eq!(limit.and_then(|v| v.as_limit()), Some(100));
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_json(text: &str) -> Result<Bundle, ReadError> {
        let bundle: Bundle =
            serde_json::from_str(text).map_err(|e| ReadError::Json(e.to_string()))?;
        if bundle.format != FORMAT {
            return Err(ReadError::Format(bundle.format));
        }
        Ok(bundle)
    }

    /// Checks that the content matches the `revision` digest, so that a
    /// bundle edited by hand or damaged in transit is refused.
    pub fn verify(&self) -> Result<(), ReadError> {
        let computed = self.compute_revision();
        if computed == self.revision {
            Ok(())
        } else {
            Err(ReadError::Revision {
                written: self.revision.clone(),
                computed,
            })
        }
    }

    /// Member `member`'s effective value of `permission`: its own limit when
    /// it has one, else its profile's value. `None` when the member or the
    /// permission is unknown.
    pub fn member_value(&self, member: &str, permission: &str) -> Option<Value> {
        let held = self.members.get(member)?;
        if let Some(limit) = held.effective_limits.get(permission) {
            return Some(Value::Limit(*limit));
        }
        self.profile_value(&held.profile, permission).cloned()
    }

    /// Profile `profile`'s effective value of `permission`.
    pub fn profile_value(&self, profile: &str, permission: &str) -> Option<&Value> {
        self.profiles.get(profile)?.permissions.get(permission)
    }
}
