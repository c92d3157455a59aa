//! Resolving bare names: the roots a token claim can read, `group` inside a group expression,
//! element properties inside projections, and what to say about every other name.

use std::sync::Arc;

use super::{Checker, err};
use crate::ast::Name;
use crate::error::{CheckError, CheckErrorKind};
use crate::func;
use crate::ir::call::Ns;
use crate::ir::{OpKind, Root};

const ROOTS: [(&str, Root); 6] = [
    ("user", Root::User),
    ("app", Root::App),
    ("appuser", Root::AppUser),
    ("org", Root::Org),
    ("access", Root::Access),
    ("session", Root::Session),
];

/// Okta bindings and functions that exist elsewhere but not in token claims.
pub(super) const UNSUPPORTED: [&str; 8] = [
    "idpuser",
    "getManagerUser",
    "getManagerAppUser",
    "getAssistantUser",
    "getAssistantAppUser",
    "findDirectoryUser",
    "hasWorkdayUser",
    "getLinkedObject",
];

impl Checker {
    pub(super) fn name(&self, name: &Name) -> Result<OpKind, CheckError> {
        let text = name.text.as_str();
        let span = self.span(name.span);
        if let Some(&(_, root)) = ROOTS.iter().find(|(n, _)| *n == text) {
            return Ok(OpKind::Root(root));
        }
        if text == "group" && self.group_bound {
            return Ok(OpKind::Root(Root::Group));
        }
        if self.projection_depth > 0 {
            return Ok(OpKind::ElemProp(Arc::from(text)));
        }
        if text == "group" {
            return Err(err(
                CheckErrorKind::UnknownName,
                span,
                "`group` is only available inside the group expression of getFilteredGroups",
            ));
        }
        if Ns::from_name(text).is_some() {
            return Err(err(
                CheckErrorKind::UnknownName,
                span,
                format!(
                    "`{text}` is a function namespace; call one of its functions, e.g. `{text}.{}(…)`",
                    func::all()
                        .find(|f| Ns::from_name(text) == Some(f.ns))
                        .map_or("", |f| f.name)
                ),
            ));
        }
        if UNSUPPORTED.contains(&text) {
            return Err(err(
                CheckErrorKind::Unsupported,
                span,
                format!("`{text}` is not available in token claims"),
            ));
        }
        Err(err(
            CheckErrorKind::UnknownName,
            span,
            format!(
                "unknown name `{text}`; token claims can read user, app, appuser, org, access and session (explicit app references are not supported)"
            ),
        ))
    }
}
