//! The org's sign-in policies (its default `ACCESS_POLICY` and `PROFILE_ENROLLMENT`) and the
//! sign-in policy assigned to each app.

use tollgate_core::Timestamp;
use tollgate_core::log::LogEvent;
use tollgate_core::sign_in_policy::{AppPolicies, OrgPolicy, PolicyKind};

use crate::{Error, Result, Store, load, on_pool, write_logged};

#[derive(sqlx::FromRow)]
struct PolicyRow {
    id: String,
    #[sqlx(rename = "type")]
    kind: String,
    name: String,
    priority: i64,
    system: bool,
    status: String,
    created: i64,
    last_updated: i64,
}

impl TryFrom<PolicyRow> for OrgPolicy {
    type Error = Error;

    fn try_from(r: PolicyRow) -> Result<Self> {
        Ok(Self {
            kind: PolicyKind::parse(&r.kind)
                .ok_or_else(|| Error::Corrupt(format!("policy type {:?}", r.kind)))?,
            priority: u32::try_from(r.priority)
                .map_err(|_| Error::Corrupt(format!("policy priority {}", r.priority)))?,
            active: r.status == "ACTIVE",
            id: r.id,
            name: r.name,
            system: r.system,
            created: Timestamp::from_millis(r.created),
            last_updated: Timestamp::from_millis(r.last_updated),
        })
    }
}

/// Adds a default policy unless its type has one (the unique index on system policies decides
/// between processes starting at once).
const INSERT_DEFAULT: &str = "INSERT INTO org_policies \
     (id, type, name, priority, system, status, created, last_updated) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING";
const SELECT_BY_ID: &str = "SELECT id, type, name, priority, system, status, created, last_updated \
     FROM org_policies WHERE id = $1";
const SELECT_BY_TYPE: &str = "SELECT id, type, name, priority, system, status, created, \
     last_updated FROM org_policies WHERE type = $1 ORDER BY priority, id";
/// Assigns a policy to an app that exists (nothing is written for a missing app).
const ASSIGN: &str = "INSERT INTO app_access_policies (app_id, policy_id) \
     SELECT id, $2 FROM apps WHERE id = $1 \
     ON CONFLICT (app_id) DO UPDATE SET policy_id = excluded.policy_id";
const APP_POLICIES: &str = "SELECT \
     COALESCE((SELECT policy_id FROM app_access_policies WHERE app_id = $1), \
       (SELECT id FROM org_policies WHERE type = 'ACCESS_POLICY' AND system)), \
     (SELECT id FROM org_policies WHERE type = 'PROFILE_ENROLLMENT' AND system)";

impl Store {
    /// Makes the org's default policies that do not exist yet; a no-op once they do.
    pub async fn ensure_default_policies(&self, now: Timestamp) -> Result<()> {
        for kind in PolicyKind::ALL {
            let p = OrgPolicy::default_of(kind, now);
            write_logged!(self, &[], INSERT_DEFAULT; &p.id, kind.as_str(), &p.name, i64::from(p.priority), p.system, p.status(), now.millis(), now.millis());
        }
        Ok(())
    }

    /// The org's policies of `kind`, by priority.
    pub async fn list_org_policies(&self, kind: PolicyKind) -> Result<Vec<OrgPolicy>> {
        load!(all: self, PolicyRow, SELECT_BY_TYPE, kind.as_str())
    }

    /// One org policy by id.
    pub async fn find_org_policy(&self, id: &str) -> Result<Option<OrgPolicy>> {
        load!(one: self, PolicyRow, SELECT_BY_ID, id)
    }

    /// Makes `policy_id` app `app_id`'s sign-in policy, with `events`. Returns false (and
    /// writes nothing) when the app does not exist.
    pub async fn assign_app_policy(
        &self,
        app_id: &str,
        policy_id: &str,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = write_logged!(self, events, ASSIGN; app_id, policy_id);
        Ok(n > 0)
    }

    /// The policies app `app_id`'s JSON links to.
    pub async fn app_policies(&self, app_id: &str) -> Result<AppPolicies> {
        let (access, profile_enrollment): (Option<String>, Option<String>) =
            on_pool!(self, |pool| sqlx::query_as(APP_POLICIES)
                .bind(app_id)
                .fetch_one(pool)
                .await)?;
        Ok(AppPolicies {
            access,
            profile_enrollment,
        })
    }
}
