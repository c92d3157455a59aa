//! Authorization servers with their scopes, claims, policies and rules.

use tollgate_core::authz::{Claim, ClaimInput, Scope, ScopeInput, ServerInput};
use tollgate_core::id::{AuthServerId, ClaimId, ScopeId};
use tollgate_core::server::AuthServer;

use super::{Change, Op, Planner};
use crate::orgfile::model::{ClaimSpec, ScopeSpec, ServerSpec};

/// Parses an optional fixed id, reporting a bad one.
pub(super) fn fixed_id<T: std::str::FromStr<Err = tollgate_core::id::InvalidId>>(
    p: &mut Planner<'_>,
    path: &str,
    id: Option<&String>,
) -> Result<Option<T>, ()> {
    match id.map(|s| s.parse::<T>()) {
        None => Ok(None),
        Some(Ok(id)) => Ok(Some(id)),
        Some(Err(e)) => {
            p.problem(&format!("{path}.id"), e.to_string());
            Err(())
        }
    }
}

pub(super) fn has_duplicates<'a>(keys: impl Iterator<Item = String> + 'a) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    keys.into_iter().find(|k| !seen.insert(k.clone()))
}

impl Planner<'_> {
    pub(super) async fn plan_server(&mut self, i: usize, spec: &ServerSpec) -> anyhow::Result<()> {
        let path = format!("authorizationServers[{i}]");
        let Ok(id) = fixed_id::<AuthServerId>(self, &path, spec.id.as_ref()) else {
            return Ok(());
        };
        let mut existing = match &id {
            Some(id) => self.store.find_auth_server(id.as_str()).await?,
            None => None,
        };
        if existing.is_none()
            && let Some(name) = &spec.name
        {
            let q = tollgate_store::AuthServerQuery {
                limit: 100_000,
                ..tollgate_store::AuthServerQuery::default()
            };
            let (servers, _) = self.store.list_auth_servers(&q).await?;
            existing = servers
                .into_iter()
                .find(|s| s.name.eq_ignore_ascii_case(name.trim()));
        }
        if let (Some(id), Some(ex)) = (&id, &existing)
            && ex.id != *id
        {
            self.problem(
                &format!("{path}.id"),
                format!(
                    "a server with this name is stored with the id {}, not {id}",
                    ex.id
                ),
            );
            return Ok(());
        }
        let mut input = ServerInput {
            name: spec.name.clone(),
            description: spec.description.clone(),
            audiences: (!spec.audiences.is_empty()).then(|| spec.audiences.clone()),
            issuer_mode: None,
            rotation_mode: None,
        };
        let (server, is_new) = match existing {
            None => {
                let mut server = match AuthServer::create(&input, self.now) {
                    Ok(s) => s,
                    Err(e) => {
                        self.core_error(&path, e);
                        return Ok(());
                    }
                };
                if let Some(id) = id {
                    server.id = id;
                }
                let what = format!("authorization server {} ({})", server.name, server.id);
                // The system scopes and `sub` claim are made here, once, so that the file's
                // changes to them (planned below) name the ids the server is created with.
                let scopes = Scope::system_scopes(&server.id, self.now);
                let claims = vec![Claim::system_sub(&server.id, self.now)];
                self.step(
                    Change::Create,
                    what,
                    Op::CreateServer(server.clone(), scopes, claims),
                );
                (server, true)
            }
            Some(ex) => {
                // A server named only by id (like `default`) keeps what the file leaves out.
                input.name = input.name.or_else(|| Some(ex.name.clone()));
                input.audiences = input.audiences.or_else(|| Some(ex.audiences.clone()));
                if input.description.is_none() {
                    input.description = Some(ex.description.clone());
                }
                let mut next = ex.clone();
                if let Err(e) = next.replace(&input, ex.last_updated) {
                    self.core_error(&path, e);
                    return Ok(());
                }
                let what = format!("authorization server {} ({})", next.name, next.id);
                if next == ex {
                    self.step(Change::Unchanged, what, Op::None);
                } else {
                    next.last_updated = self.now;
                    self.step(Change::Update, what, Op::UpdateServer(next.clone()));
                }
                (next, false)
            }
        };
        let sid = server.id.as_str().to_owned();
        // A new server starts with the system scopes and `sub` claim the store adds with it.
        let stored_scopes = if is_new {
            self.new_server_parts().0
        } else {
            self.store.scopes_of(&sid).await?
        };
        let stored_claims = if is_new {
            self.new_server_parts().1
        } else {
            self.store.claims_of(&sid).await?
        };
        if let Some(dup) = has_duplicates(spec.scopes.iter().map(|s| s.name.clone())) {
            self.problem(
                &format!("{path}.scopes"),
                format!("the scope {dup:?} is declared twice"),
            );
            return Ok(());
        }
        let mut scope_names: Vec<String> = stored_scopes.iter().map(|s| s.name.clone()).collect();
        for (j, s) in spec.scopes.iter().enumerate() {
            let at = format!("{path}.scopes[{j}]");
            self.plan_scope(&at, s, &server, &stored_scopes);
            scope_names.push(s.name.clone());
        }
        if let Some(dup) = has_duplicates(
            spec.claims
                .iter()
                .map(|c| format!("{} ({})", c.name, c.claim_type)),
        ) {
            self.problem(
                &format!("{path}.claims"),
                format!("the claim {dup} is declared twice"),
            );
            return Ok(());
        }
        for (j, c) in spec.claims.iter().enumerate() {
            let at = format!("{path}.claims[{j}]");
            self.plan_claim(&at, c, &server, &stored_claims, &scope_names);
        }
        let stored_policies = if is_new {
            Vec::new()
        } else {
            self.store.policies_of(&sid).await?
        };
        if let Some(dup) = has_duplicates(spec.policies.iter().map(|p| p.name.clone())) {
            self.problem(
                &format!("{path}.policies"),
                format!("the policy {dup:?} is declared twice"),
            );
            return Ok(());
        }
        for (j, p) in spec.policies.iter().enumerate() {
            let at = format!("{path}.policies[{j}]");
            self.plan_policy(&at, p, &server, &stored_policies).await?;
        }
        Ok(())
    }

    /// The system scopes and claims of the server the last step creates.
    fn new_server_parts(&self) -> (Vec<Scope>, Vec<Claim>) {
        match self.steps.last().map(|s| &s.op) {
            Some(Op::CreateServer(_, scopes, claims)) => (scopes.clone(), claims.clone()),
            _ => (Vec::new(), Vec::new()),
        }
    }

    fn plan_scope(&mut self, at: &str, spec: &ScopeSpec, server: &AuthServer, stored: &[Scope]) {
        let Ok(id) = fixed_id::<ScopeId>(self, at, spec.id.as_ref()) else {
            return;
        };
        let input = ScopeInput {
            name: Some(spec.name.clone()),
            display_name: spec.display_name.clone(),
            description: spec.description.clone(),
            default: spec.default,
            optional: spec.optional,
            consent: spec.consent.clone(),
            metadata_publish: spec.metadata_publish.clone(),
        };
        let what = |s: &Scope| format!("scope {} of {} ({})", s.name, server.name, s.id);
        match stored.iter().find(|s| s.name == spec.name) {
            Some(ex) => {
                let mut next = ex.clone();
                if let Err(e) = next.replace(&input, ex.last_updated) {
                    self.core_error(at, e);
                    return;
                }
                if next == *ex {
                    self.step(Change::Unchanged, what(&next), Op::None);
                } else {
                    next.last_updated = self.now;
                    self.step(Change::Update, what(&next), Op::UpdateScope(next.clone()));
                }
            }
            None => match Scope::create(&server.id, &input, self.now) {
                Ok(mut s) => {
                    if let Some(id) = id {
                        s.id = id;
                    }
                    self.step(Change::Create, what(&s), Op::CreateScope(s, server.clone()));
                }
                Err(e) => self.core_error(at, e),
            },
        }
    }

    fn plan_claim(
        &mut self,
        at: &str,
        spec: &ClaimSpec,
        server: &AuthServer,
        stored: &[Claim],
        scope_names: &[String],
    ) {
        let Ok(id) = fixed_id::<ClaimId>(self, at, spec.id.as_ref()) else {
            return;
        };
        for (k, s) in spec.scopes.iter().enumerate() {
            if !scope_names.iter().any(|n| n == s.trim()) {
                self.problem(
                    &format!("{at}.scopes[{k}]"),
                    format!("The scope '{s}' does not exist on this authorization server"),
                );
            }
        }
        let input = ClaimInput {
            name: Some(spec.name.clone()),
            status: spec.status.clone(),
            claim_type: Some(spec.claim_type.clone()),
            value_type: spec.value_type.clone(),
            value: Some(spec.value.clone()),
            group_filter_type: spec.group_filter_type.clone(),
            always_include_in_token: spec.always_include_in_token,
            scopes: Some(spec.scopes.clone()),
        };
        let what = |c: &Claim| {
            format!(
                "claim {} ({}) of {} ({})",
                c.name,
                c.claim_type.as_str(),
                server.name,
                c.id
            )
        };
        let matching = stored
            .iter()
            .find(|c| c.name == spec.name && c.claim_type.as_str() == spec.claim_type);
        match matching {
            Some(ex) => {
                let mut next = ex.clone();
                if let Err(e) = next.replace(&input, ex.last_updated) {
                    self.core_error(at, e);
                    return;
                }
                if next == *ex {
                    self.step(Change::Unchanged, what(&next), Op::None);
                } else {
                    next.last_updated = self.now;
                    self.step(Change::Update, what(&next), Op::UpdateClaim(next.clone()));
                }
            }
            None => match Claim::create(&server.id, &input, self.now) {
                Ok(mut c) => {
                    if let Some(id) = id {
                        c.id = id;
                    }
                    self.step(Change::Create, what(&c), Op::CreateClaim(c, server.clone()));
                }
                Err(e) => self.core_error(at, e),
            },
        }
    }
}
