//! The domain error: one variant per kind of outcome a client can act on.

use std::fmt;

/// One reason a request was refused, optionally tied to a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// The field the cause is about (`login`, `profile.name`, ...).
    pub field: Option<String>,
    /// What is wrong, in words for the person who sent the request.
    pub message: String,
}

impl Cause {
    /// A cause about one field; rendered as `field: message`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A cause not tied to a field.
    pub fn general(message: impl Into<String>) -> Self {
        Self {
            field: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// What a domain operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The object does not exist. `what` is Okta's type name (`User`, `UserGroup`, ...).
    #[error("Not found: Resource not found: {id} ({what})")]
    NotFound {
        /// Okta's type name.
        what: &'static str,
        /// The id that was asked for.
        id: String,
    },
    /// Input failed validation; every cause is listed.
    #[error("Api validation failed: {summary}")]
    Invalid {
        /// The short subject of the failure (often the first field).
        summary: String,
        /// Each problem found.
        causes: Vec<Cause>,
    },
    /// The caller may not do this to this object (e.g. edit a built-in group).
    #[error("You do not have permission to perform the requested action")]
    Forbidden,
    /// Activation of a user who is already active.
    #[error("Activation failed because the user is already active")]
    AlreadyActive,
    /// The change is not allowed in the object's current state.
    #[error("{0}")]
    WrongState(&'static str),
}

impl Error {
    /// `Ok` when `causes` is empty, else a validation failure listing them, its summary naming
    /// their fields.
    pub fn unless_causes(causes: Vec<Cause>) -> Result<(), Self> {
        if causes.is_empty() {
            return Ok(());
        }
        Err(Self::invalid(causes))
    }

    /// A validation failure listing `causes`, its summary naming their fields.
    pub fn invalid(causes: Vec<Cause>) -> Self {
        let summary = causes
            .iter()
            .filter_map(|c| c.field.clone())
            .collect::<Vec<_>>()
            .join(", ");
        Self::Invalid { summary, causes }
    }

    /// The same error with each cause's field put under `prefix` (`salt` becomes
    /// `prefix.salt`; a cause without a field gets `prefix`).
    #[must_use]
    pub fn within(self, prefix: &str) -> Self {
        let Self::Invalid { causes, .. } = self else {
            return self;
        };
        let causes = causes
            .into_iter()
            .map(|c| Cause {
                field: Some(
                    c.field
                        .map_or_else(|| prefix.to_owned(), |f| format!("{prefix}.{f}")),
                ),
                message: c.message,
            })
            .collect();
        Self::invalid(causes)
    }

    /// A validation failure with a single cause on `field`.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            summary: field.to_owned(),
            causes: vec![Cause::field(field, message)],
        }
    }
}
