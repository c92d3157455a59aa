//! Access policies of a server and their rules.

use tollgate_core::authz::{ALL_CLIENTS, EVERYONE, People, Policy, PolicyInput, Rule, RuleInput};
use tollgate_core::id::{PolicyId, RuleId};
use tollgate_core::server::AuthServer;

use super::servers::{fixed_id, has_duplicates};
use super::{Change, Op, Planner};
use crate::orgfile::model::{PolicySpec, RuleSpec};

impl Planner<'_> {
    async fn known_client(&mut self, client: &str) -> anyhow::Result<bool> {
        Ok(client == ALL_CLIENTS
            || self.client_ids.contains(client)
            || self.store.find_app(client).await?.is_some()
            || self.store.find_app_by_client_id(client).await?.is_some())
    }

    pub(super) async fn plan_policy(
        &mut self,
        at: &str,
        spec: &PolicySpec,
        server: &AuthServer,
        stored: &[Policy],
    ) -> anyhow::Result<()> {
        let Ok(id) = fixed_id::<PolicyId>(self, at, spec.id.as_ref()) else {
            return Ok(());
        };
        let clients = if spec.clients.is_empty() {
            vec![ALL_CLIENTS.to_owned()]
        } else {
            spec.clients.clone()
        };
        for (k, c) in clients.iter().enumerate() {
            if !self.known_client(c).await? {
                self.problem(
                    &format!("{at}.clients[{k}]"),
                    format!("The client '{c}' does not exist"),
                );
            }
        }
        let input = PolicyInput {
            kind: None,
            name: Some(spec.name.clone()),
            description: spec.description.clone(),
            priority: spec.priority,
            status: None,
            clients: Some(clients),
        };
        let what = |p: &Policy| format!("policy {} of {} ({})", p.name, server.name, p.id);
        let policy = match stored.iter().find(|p| p.name == spec.name) {
            Some(ex) => {
                let mut next = ex.clone();
                if let Err(e) = next.replace(&input, ex.last_updated) {
                    self.core_error(at, e);
                    return Ok(());
                }
                if next == *ex {
                    self.step(Change::Unchanged, what(&next), Op::None);
                } else {
                    next.last_updated = self.now;
                    self.step(Change::Update, what(&next), Op::UpdatePolicy(next.clone()));
                }
                (next, false)
            }
            None => match Policy::create(&server.id, &input, self.now) {
                Ok(mut p) => {
                    if let Some(id) = id {
                        p.id = id;
                    }
                    self.step(
                        Change::Create,
                        what(&p),
                        Op::CreatePolicy(p.clone(), server.clone()),
                    );
                    (p, true)
                }
                Err(e) => {
                    self.core_error(at, e);
                    return Ok(());
                }
            },
        };
        let (policy, is_new) = policy;
        let stored_rules = if is_new {
            Vec::new()
        } else {
            self.store.rules_of(policy.id.as_str()).await?
        };
        if let Some(dup) = has_duplicates(spec.rules.iter().map(|r| r.name.clone())) {
            self.problem(
                &format!("{at}.rules"),
                format!("the rule {dup:?} is declared twice"),
            );
            return Ok(());
        }
        for (j, r) in spec.rules.iter().enumerate() {
            let rat = format!("{at}.rules[{j}]");
            self.plan_rule(&rat, r, &policy, &stored_rules).await?;
        }
        Ok(())
    }

    /// User ids for logins or ids listed at `{at}.{field}`.
    async fn user_ids(
        &mut self,
        at: &str,
        field: &str,
        names: &[String],
    ) -> anyhow::Result<Vec<String>> {
        let mut out = Vec::new();
        for (k, u) in names.iter().enumerate() {
            match self.user(u).await? {
                Some(user) => out.push(user.id.into_string()),
                None => self.problem(&format!("{at}.{field}[{k}]"), format!("no user {u:?}")),
            }
        }
        Ok(out)
    }

    /// Group ids for names or ids (or `EVERYONE`) listed at `{at}.{field}`.
    async fn group_ids(
        &mut self,
        at: &str,
        field: &str,
        names: &[String],
    ) -> anyhow::Result<Vec<String>> {
        let mut out = Vec::new();
        for (k, g) in names.iter().enumerate() {
            if g == EVERYONE {
                out.push(g.clone());
                continue;
            }
            match self.group(g).await? {
                Some(group) => out.push(group.id.into_string()),
                None => self.problem(&format!("{at}.{field}[{k}]"), format!("no group {g:?}")),
            }
        }
        Ok(out)
    }

    async fn plan_rule(
        &mut self,
        at: &str,
        spec: &RuleSpec,
        policy: &Policy,
        stored: &[Rule],
    ) -> anyhow::Result<()> {
        let Ok(id) = fixed_id::<RuleId>(self, at, spec.id.as_ref()) else {
            return Ok(());
        };
        // People may be named by login and group name; rules store ids.
        let users = self.user_ids(at, "users", &spec.users).await?;
        let groups = self.group_ids(at, "groups", &spec.groups).await?;
        let users_exclude = self
            .user_ids(at, "excludeUsers", &spec.exclude_users)
            .await?;
        let groups_exclude = self
            .group_ids(at, "excludeGroups", &spec.exclude_groups)
            .await?;
        let any_named = [&users, &groups, &users_exclude, &groups_exclude]
            .iter()
            .any(|l| !l.is_empty());
        let people = any_named.then_some(People {
            users_include: users,
            groups_include: groups,
            users_exclude,
            groups_exclude,
        });
        let input = RuleInput {
            kind: None,
            name: Some(spec.name.clone()),
            priority: spec.priority,
            status: None,
            has_conditions: true,
            people,
            grant_types: Some(spec.grant_types.clone()),
            scopes: Some(spec.scopes.clone()),
            access_minutes: spec.access_token_lifetime_minutes,
            refresh_minutes: spec.refresh_token_lifetime_minutes,
            refresh_window_minutes: spec.refresh_token_window_minutes,
        };
        let what = |r: &Rule| format!("rule {} of policy {} ({})", r.name, policy.name, r.id);
        match stored.iter().find(|r| r.name == spec.name) {
            Some(ex) => {
                let mut next = ex.clone();
                if let Err(e) = next.replace(&input, ex.last_updated) {
                    self.core_error(at, e);
                    return Ok(());
                }
                if next == *ex {
                    self.step(Change::Unchanged, what(&next), Op::None);
                } else {
                    next.last_updated = self.now;
                    self.step(Change::Update, what(&next), Op::UpdateRule(next.clone()));
                }
            }
            None => match Rule::create(&policy.server_id, &policy.id, &input, self.now) {
                Ok(mut r) => {
                    if let Some(id) = id {
                        r.id = id;
                    }
                    self.step(Change::Create, what(&r), Op::CreateRule(r, policy.clone()));
                }
                Err(e) => self.core_error(at, e),
            },
        }
        Ok(())
    }
}
