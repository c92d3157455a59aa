//! Carrying out a plan: each step is one store call with the System Log events the matching
//! API call records, the CLI being the actor.

use anyhow::Context;
use tollgate_core::Timestamp;
use tollgate_core::log::{Entity, LogEvent};
use tollgate_store::Store;

use super::plan::{Op, Plan};
use crate::http::audit::Audit;

fn named(id: &str, kind: &str, name: &str) -> Entity {
    Entity::new(id, kind, name, name)
}

impl Plan {
    /// Writes every change of the plan, in order. `command` names the actor in the System Log
    /// (`apply`, `serve --demo`). A failure stops at the step that failed; the steps before it
    /// stay written (each is its own transaction, like the API calls they mirror) and running
    /// the command again carries on from there.
    pub async fn execute(
        &self,
        store: &Store,
        command: &str,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let audit = Audit::system(command);
        for step in &self.steps {
            run(store, &audit, &step.op, now)
                .await
                .with_context(|| format!("{}: cannot apply {}", self.file, step.what))?;
        }
        // Users and rules the file created or changed: the active group rules decide again.
        if !self.is_noop() {
            crate::api::group_rules::engine::evaluate_everyone(store, &[], &audit, now)
                .await
                .with_context(|| format!("{}: cannot apply the group rules", self.file))?;
        }
        Ok(())
    }
}

async fn run(store: &Store, audit: &Audit, op: &Op, now: Timestamp) -> anyhow::Result<()> {
    let ev = |kind: &str, message: &str| -> LogEvent { audit.event(kind, message, now) };
    match op {
        Op::None => {}
        Op::CreateUser(u) => {
            let e = ev("user.lifecycle.create", "Create Okta user")
                .target(Entity::user(u))
                .debug("status", u.status.as_str());
            store.create_user(u, &[], &[e]).await?;
        }
        Op::UpdateUser(u) => {
            let e = ev(
                "user.account.update_profile",
                "Update user profile for Okta",
            )
            .target(Entity::user(u));
            store.update_user(u, &[e]).await?;
        }
        Op::CreateGroup(g) => {
            let e = ev("group.lifecycle.create", "Create okta user group").target(Entity::group(g));
            store.create_group(g, &[e]).await?;
        }
        Op::UpdateGroup(g) => {
            let e = ev("group.profile.update", "Update group profile").target(Entity::group(g));
            store.update_group(g, &[e]).await?;
        }
        Op::AddMember { group, user } => {
            let e = ev("group.user_membership.add", "Add user to group membership")
                .target(Entity::user(user))
                .target(Entity::group(group));
            store
                .add_member(group.id.as_str(), user.id.as_str(), now, &[e])
                .await?;
        }
        Op::CreateApp(a) => {
            let e = ev("application.lifecycle.create", "Add application").target(Entity::app(a));
            store.insert_app(a, &[e]).await?;
        }
        Op::UpdateApp(a) => {
            let e = ev("application.lifecycle.update", "Update application").target(Entity::app(a));
            store.update_app(a, &[e]).await?;
            // The status is saved on its own (a no-op when unchanged).
            store
                .set_app_status(a.id.as_str(), a.status, a.last_updated, &[])
                .await?;
        }
        Op::SetAppClaim { app, claim } => {
            let e = ev(
                "application.lifecycle.update",
                "Update application ID token groups claim",
            )
            .target(Entity::app(app))
            .debug(
                "groupsClaim",
                format!("{} ({})", claim.name, claim.value_type.as_str()),
            );
            store
                .set_app_id_token_claim(app.id.as_str(), Some(claim), &[e])
                .await?;
        }
        Op::AssignUser { au, user, app } => {
            let e = ev(
                "application.user_membership.add",
                "Add user to application membership",
            )
            .target(Entity::user(user))
            .target(Entity::app(app));
            store.save_app_user(au, &[e]).await?;
        }
        Op::AssignGroup { ag, group, app } => {
            let e = ev(
                "group.application_assignment.add",
                "Add assigned application to group",
            )
            .target(Entity::group(group))
            .target(Entity::app(app));
            store.save_app_group(ag, &[e]).await?;
        }
        Op::CreateServer(s, scopes, claims) => {
            let e = ev("oauth2.as.created", "Create authorization server")
                .target(Entity::authorization_server(s));
            store.create_auth_server(s, scopes, claims, &[e]).await?;
        }
        Op::UpdateServer(s) => {
            let e = ev("oauth2.as.updated", "Update authorization server")
                .target(Entity::authorization_server(s));
            store.update_auth_server(s, &[e]).await?;
        }
        Op::CreateScope(sc, server) => {
            let e = ev("oauth2.scope.created", "Create authorization server scope")
                .target(named(sc.id.as_str(), "OAuth2Scope", &sc.name))
                .target(Entity::authorization_server(server));
            store.create_scope(sc, &[e]).await?;
        }
        Op::UpdateScope(sc) => {
            let e = ev("oauth2.scope.updated", "Update authorization server scope").target(named(
                sc.id.as_str(),
                "OAuth2Scope",
                &sc.name,
            ));
            store.update_scope(sc, &[e]).await?;
        }
        Op::CreateClaim(c, server) => {
            let e = ev("oauth2.claim.created", "Create authorization server claim")
                .target(named(c.id.as_str(), "OAuth2Claim", &c.name))
                .target(Entity::authorization_server(server));
            store.create_claim(c, &[e]).await?;
        }
        Op::UpdateClaim(c) => {
            let e = ev("oauth2.claim.updated", "Update authorization server claim").target(named(
                c.id.as_str(),
                "OAuth2Claim",
                &c.name,
            ));
            store.update_claim(c, &[e]).await?;
        }
        Op::CreatePolicy(p, server) => {
            let e = ev("policy.lifecycle.create", "Create policy")
                .target(named(p.id.as_str(), "PolicyEntity", &p.name))
                .target(Entity::authorization_server(server));
            let mut p = p.clone();
            store.create_policy(&mut p, &[e]).await?;
        }
        Op::UpdatePolicy(p) => {
            let e = ev("policy.lifecycle.update", "Update policy").target(named(
                p.id.as_str(),
                "PolicyEntity",
                &p.name,
            ));
            let mut p = p.clone();
            store.update_policy(&mut p, &[e]).await?;
        }
        Op::CreateRule(r, policy) => {
            let e = ev("policy.rule.add", "Add policy rule")
                .target(named(r.id.as_str(), "PolicyRule", &r.name))
                .target(named(policy.id.as_str(), "PolicyEntity", &policy.name));
            let mut r = r.clone();
            store.create_rule(&mut r, &[e]).await?;
        }
        Op::UpdateRule(r) => {
            let e = ev("policy.rule.update", "Update policy rule").target(named(
                r.id.as_str(),
                "PolicyRule",
                &r.name,
            ));
            let mut r = r.clone();
            store.update_rule(&mut r, &[e]).await?;
        }
        Op::SaveSchema(s, read_at) => {
            let e = ev(
                &format!("system.schema.{}.update", s.kind.as_str()),
                "Update profile schema",
            )
            .target(Entity::id_only(&s.id, "ProfileSchema"));
            store.save_schema(s, *read_at, &[e]).await?;
        }
        Op::CreateUserType(t) => {
            let e = ev("system.user_type.create", "Create user type")
                .target(Entity::id_only(&t.id, "UserType"));
            store.create_user_type(t, &[e]).await?;
        }
        Op::UpdateUserType(t) => {
            let e = ev("system.user_type.update", "Update user type")
                .target(Entity::id_only(&t.id, "UserType"));
            store.update_user_type(t, &[e]).await?;
        }
        Op::CreateGroupRule(r) => {
            let e = ev("group.rule.create", "Create group rule").target(named(
                r.id.as_str(),
                "GroupRule",
                &r.name,
            ));
            store.create_group_rule(r, &[e]).await?;
        }
        Op::UpdateGroupRule(r) => {
            let e = ev("group.rule.update", "Update group rule").target(named(
                r.id.as_str(),
                "GroupRule",
                &r.name,
            ));
            store.update_group_rule(r, &[e]).await?;
        }
        Op::AssignRole {
            group,
            id,
            role,
            targets,
        } => {
            let who = match group {
                true => tollgate_store::Principal::Group(id),
                false => tollgate_store::Principal::User(id),
            };
            let kind = if *group { "group" } else { "user.account" };
            let e = ev(&format!("{kind}.privilege.grant"), "Grant privilege")
                .target(Entity::id_only(
                    id,
                    if *group { "UserGroup" } else { "User" },
                ))
                .debug("privilegeGranted", role.as_str());
            store.assign_role(who, *role, now, &[e]).await?;
            for t in targets {
                store.add_role_target(who, *role, t, now, &[]).await?;
            }
        }
        Op::RegisterToken { name, digest } => {
            // The org's first super admin owns it (none yet: the next start gives it one).
            let owner = store.first_super_admin().await?;
            store
                .register_api_token(name, digest, owner.as_deref(), now)
                .await?;
        }
    }
    Ok(())
}
