//! The org row and the objects every org has from its first start.

use serde_json::{Map, Value};
use tollgate_core::id::{AuthServerId, OrgId};
use tollgate_core::log::LogEvent;
use tollgate_core::org::Org;
use tollgate_core::server::{AuthServer, IssuerMode, RotationMode, Status};
use tollgate_core::{Timestamp, secret::Secret};

use crate::{Error, Result, Store, in_tx, load, on_pool, write_events};

/// What the first-start bootstrap found or made.
#[derive(Debug)]
pub struct Bootstrap {
    /// The org.
    pub org: Org,
    /// True when this call created the org: the database was empty.
    pub created: bool,
    /// The admin API token made for an empty database (only when asked for one).
    pub first_token: Option<Secret>,
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: String,
    subdomain: String,
    company_name: String,
    settings: String,
    created: i64,
    last_updated: i64,
}

impl TryFrom<OrgRow> for Org {
    type Error = Error;

    fn try_from(r: OrgRow) -> Result<Self> {
        let settings: Map<String, Value> = serde_json::from_str(&r.settings)?;
        Ok(Org {
            id: OrgId::from_trusted(r.id),
            subdomain: r.subdomain,
            company_name: r.company_name,
            settings,
            created: Timestamp::from_millis(r.created),
            last_updated: Timestamp::from_millis(r.last_updated),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ServerRow {
    id: String,
    name: String,
    description: String,
    audiences: String,
    issuer_mode: String,
    status: String,
    rotation_mode: String,
    created: i64,
    last_updated: i64,
}

impl TryFrom<ServerRow> for AuthServer {
    type Error = Error;

    fn try_from(r: ServerRow) -> Result<Self> {
        Ok(AuthServer {
            id: AuthServerId::from_trusted(r.id),
            name: r.name,
            description: r.description,
            audiences: serde_json::from_str(&r.audiences)?,
            issuer_mode: IssuerMode::parse(&r.issuer_mode)
                .ok_or_else(|| Error::Corrupt(format!("issuer mode {:?}", r.issuer_mode)))?,
            status: Status::parse(&r.status)
                .ok_or_else(|| Error::Corrupt(format!("status {:?}", r.status)))?,
            rotation_mode: RotationMode::parse(&r.rotation_mode)
                .ok_or_else(|| Error::Corrupt(format!("rotation mode {:?}", r.rotation_mode)))?,
            created: Timestamp::from_millis(r.created),
            last_updated: Timestamp::from_millis(r.last_updated),
        })
    }
}

const INSERT_ORG: &str = "INSERT INTO org (singleton, id, subdomain, company_name, settings, created, last_updated) \
     VALUES (1, $1, $2, $3, $4, $5, $6) ON CONFLICT (singleton) DO NOTHING RETURNING id";
const SELECT_ORG: &str = "SELECT id, subdomain, company_name, settings, created, last_updated FROM org WHERE singleton = 1";
const UPDATE_ORG: &str =
    "UPDATE org SET company_name = $1, settings = $2, last_updated = $3 WHERE singleton = 1";
const INSERT_SERVER: &str = "INSERT INTO authorization_servers \
     (id, name, description, audiences, issuer_mode, status, created, last_updated) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING";
const SELECT_SERVER: &str = "SELECT id, name, description, audiences, issuer_mode, status, rotation_mode, created, last_updated \
     FROM authorization_servers WHERE id = $1";

impl Store {
    /// Creates, on an empty database, the org, the built-in `default` authorization server and
    /// (when `first_token_name` is given) one admin API token, all in one transaction; on a
    /// database that has them, changes nothing. Safe when several processes start at once.
    pub async fn bootstrap(
        &self,
        now: Timestamp,
        first_token_name: Option<&str>,
    ) -> Result<Bootstrap> {
        let initial = Org::initial(now);
        let server = AuthServer::builtin_default(now);
        let settings = serde_json::to_string(&initial.settings)?;
        let audiences = serde_json::to_string(&server.audiences)?;
        let (created, first_token, row) = in_tx!(self, |tx| {
            let inserted: Option<(String,)> = sqlx::query_as(INSERT_ORG)
                .bind(initial.id.as_str())
                .bind(&initial.subdomain)
                .bind(&initial.company_name)
                .bind(&settings)
                .bind(now.millis())
                .bind(now.millis())
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query(INSERT_SERVER)
                .bind(server.id.as_str())
                .bind(&server.name)
                .bind(&server.description)
                .bind(&audiences)
                .bind(server.issuer_mode.as_str())
                .bind(server.status.as_str())
                .bind(now.millis())
                .bind(now.millis())
                .execute(&mut *tx)
                .await?;
            let mut first_token = None;
            if let (Some(_), Some(name)) = (&inserted, first_token_name) {
                let token = Secret::generate_api_token();
                crate::tokens::insert_token!(name, token.digest(), None::<&str>, now)
                    .execute(&mut *tx)
                    .await?;
                first_token = Some(token);
            }
            let row: OrgRow = sqlx::query_as(SELECT_ORG).fetch_one(&mut *tx).await?;
            (inserted.is_some(), first_token, row)
        });
        self.ensure_everyone(now).await?;
        self.ensure_default_schemas(now).await?;
        self.ensure_default_policies(now).await?;
        self.seed_default_server(now).await?;
        Ok(Bootstrap {
            org: row.try_into()?,
            created,
            first_token,
        })
    }

    /// The org.
    pub async fn org(&self) -> Result<Org> {
        let row: OrgRow = on_pool!(self, |pool| sqlx::query_as(SELECT_ORG)
            .fetch_one(pool)
            .await)?;
        row.try_into()
    }

    /// Saves the org's editable settings.
    pub async fn update_org(&self, org: &Org, events: &[LogEvent]) -> Result<()> {
        let settings = serde_json::to_string(&org.settings)?;
        let done = in_tx!(self, |tx| {
            let n = sqlx::query(UPDATE_ORG)
                .bind(&org.company_name)
                .bind(&settings)
                .bind(org.last_updated.millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            write_events!(tx, events);
            n
        });
        if done == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// One authorization server by id.
    pub async fn find_auth_server(&self, id: &str) -> Result<Option<AuthServer>> {
        load!(one: self, ServerRow, SELECT_SERVER, id)
    }
}
