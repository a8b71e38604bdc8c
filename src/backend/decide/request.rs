//! A request, "may this member do this, here?", and its JSON form: the input
//! document that the OPA bundle's policy reads too (docs/targets.md, "OPA").

use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::DecideError;

/// The resource a scope request is about: who owns it and which team it
/// belongs to. Either may be absent; `Resource::default()` is `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Resource {
    /// The owner's member id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The team the resource belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

/// The amount of a limit request.
#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    /// A non-negative integer.
    Count(u64),
    /// Anything else, as it was given: a negative or fractional number, a
    /// number too large for a limit, a string. Denied as a bad amount.
    Malformed(Json),
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Amount::Count(n) => write!(f, "{n}"),
            Amount::Malformed(Json::String(text)) => f.write_str(text),
            Amount::Malformed(other) => write!(f, "{other}"),
        }
    }
}

impl Amount {
    /// The amount a JSON value stands for. JSON does not tell `5` from
    /// `5.0`, so a number without a fractional part is an integer, as it
    /// is for Rego.
    pub fn from_json(value: &Json) -> Amount {
        let count = match value {
            Json::Number(number) => number.as_u64().or_else(|| {
                let float = number.as_f64()?;
                // 2^64 itself is out of range; below it a whole double converts exactly.
                let whole = float.is_finite() && float >= 0.0 && float.fract() == 0.0;
                (whole && float < 18_446_744_073_709_551_616.0).then_some(float as u64)
            }),
            _ => None,
        };
        match count {
            Some(n) => Amount::Count(n),
            None => Amount::Malformed(value.clone()),
        }
    }

    /// The amount of a command-line word: an integer, or kept as a string.
    pub fn parse(word: &str) -> Amount {
        match word.trim().parse::<u64>() {
            Ok(n) => Amount::Count(n),
            Err(_) => match serde_json::from_str::<Json>(word) {
                Ok(Json::Number(number)) => Amount::from_json(&Json::Number(number)),
                _ => Amount::Malformed(Json::String(word.to_owned())),
            },
        }
    }

    fn to_json(&self) -> Json {
        match self {
            Amount::Count(n) => Json::from(*n),
            Amount::Malformed(value) => value.clone(),
        }
    }
}

/// A question to a bundle: may `member` use `permission`, on `resource`
/// (scopes), at `level` (enums), for `amount` (limits)? Fields that the
/// permission's kind does not use are ignored.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The member's id.
    pub member: String,
    /// The catalog id of the permission.
    pub permission: String,
    /// The resource of a scope request.
    pub resource: Resource,
    /// The level asked for, for an enum.
    pub level: Option<String>,
    /// The amount asked for, for a limit.
    pub amount: Option<Amount>,
}

impl Request {
    /// A request of `member` for `permission`, with no resource, level or amount.
    pub fn new(member: impl Into<String>, permission: impl Into<String>) -> Self {
        Request {
            member: member.into(),
            permission: permission.into(),
            resource: Resource::default(),
            level: None,
            amount: None,
        }
    }

    /// The same request about a resource owned by `owner`.
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.resource.owner = Some(owner.into());
        self
    }

    /// The same request about a resource of team `team`.
    pub fn team(mut self, team: impl Into<String>) -> Self {
        self.resource.team = Some(team.into());
        self
    }

    /// The same request at level `level`.
    pub fn level(mut self, level: impl Into<String>) -> Self {
        self.level = Some(level.into());
        self
    }

    /// The same request for `amount`.
    pub fn amount(mut self, amount: u64) -> Self {
        self.amount = Some(Amount::Count(amount));
        self
    }

    /// Reads the input document `{"member", "permission", "resource":
    /// {"owner", "team"}, "level", "amount"}`. A `null` field is an absent
    /// one; a member, permission, level, owner or team that is not a string,
    /// or a resource that is not an object, is a [`DecideError::Malformed`].
    pub fn from_input(input: &Json) -> Result<Request, DecideError> {
        let Json::Object(fields) = input else {
            return Err(malformed("the request must be a JSON object"));
        };
        let member = text(fields, "member")?.unwrap_or_default();
        let permission = text(fields, "permission")?.unwrap_or_default();
        let resource = match fields.get("resource") {
            None | Some(Json::Null) => Resource::default(),
            Some(Json::Object(resource)) => Resource {
                owner: text(resource, "owner")?,
                team: text(resource, "team")?,
            },
            Some(_) => return Err(malformed("`resource` must be an object")),
        };
        let amount = match fields.get("amount") {
            None | Some(Json::Null) => None,
            Some(value) => Some(Amount::from_json(value)),
        };
        Ok(Request {
            member,
            permission,
            resource,
            level: text(fields, "level")?,
            amount,
        })
    }

    /// The input document of this request, as the OPA bundle's policy reads
    /// it: absent fields are left out, `resource` is always an object.
    pub fn to_input(&self) -> Json {
        let mut input = Map::new();
        input.insert("member".into(), Json::from(self.member.as_str()));
        input.insert("permission".into(), Json::from(self.permission.as_str()));
        let resource = serde_json::to_value(&self.resource).unwrap_or(Json::Null);
        input.insert("resource".into(), resource);
        if let Some(level) = &self.level {
            input.insert("level".into(), Json::from(level.as_str()));
        }
        if let Some(amount) = &self.amount {
            input.insert("amount".into(), amount.to_json());
        }
        Json::Object(input)
    }
}

fn malformed(message: &str) -> DecideError {
    DecideError::Malformed(message.to_owned())
}

fn text(fields: &Map<String, Json>, name: &str) -> Result<Option<String>, DecideError> {
    match fields.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(DecideError::Malformed(format!("`{name}` must be a string"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_documents_round_trip() {
        let request = Request::new("a@x.io", "contacts.delete")
            .owner("b@x.io")
            .team("EMEA");
        let back = Request::from_input(&request.to_input()).expect("reads back");
        assert_eq!(back, request);
        let limit = Request::new("a@x.io", "mailbox.sending_limit").amount(7);
        assert_eq!(Request::from_input(&limit.to_input()).ok(), Some(limit));
    }

    #[test]
    fn nulls_are_absent_and_wrong_types_are_malformed() {
        let input = serde_json::json!({
            "member": "a", "permission": "p", "resource": null, "level": null, "amount": null
        });
        let request = Request::from_input(&input).expect("nulls are fine");
        assert_eq!(request, Request::new("a", "p"));
        let bad = serde_json::json!({"member": 3, "permission": "p"});
        assert!(matches!(
            Request::from_input(&bad),
            Err(DecideError::Malformed(_))
        ));
        assert!(Request::from_input(&serde_json::json!([])).is_err());
    }

    #[test]
    fn amounts_are_non_negative_integers() {
        assert_eq!(Amount::from_json(&serde_json::json!(5.0)), Amount::Count(5));
        assert_eq!(Amount::parse("12"), Amount::Count(12));
        for bad in ["-1", "1.5", "ten", "1e30"] {
            assert!(
                matches!(Amount::parse(bad), Amount::Malformed(_)),
                "{bad} is not an amount"
            );
        }
        assert_eq!(Amount::parse("ten").to_string(), "ten");
    }
}
