//! One-time sign-in tokens and sessions. Each redemption is one conditional statement, so a
//! token can be used once even when two requests race for it.

use tollgate_core::Timestamp;
use tollgate_core::directory::UserStatus;
use tollgate_core::id::UserId;
use tollgate_core::log::LogEvent;
use tollgate_core::session::{Session, TokenKind};

use crate::{Result, Store, in_tx, load, on_pool, write_events, write_logged};

pub(crate) const INSERT_TOKEN: &str = "INSERT INTO one_time_tokens (digest, kind, user_id, created, expires_at) \
     VALUES ($1, $2, $3, $4, $5)";
const PEEK_TOKEN: &str = "SELECT user_id FROM one_time_tokens \
     WHERE digest = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3";
pub(crate) const VOID_KIND: &str =
    "DELETE FROM one_time_tokens WHERE user_id = $1 AND kind = $2 AND used_at IS NULL";
const REDEEM_TOKEN: &str = "UPDATE one_time_tokens SET used_at = $3 \
     WHERE digest = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id";
/// Inserts only while the user may start a session; PostgreSQL also share-locks the user row,
/// so a concurrent deactivation either waits for this session (and then ends it) or is seen.
const INSERT_SESSION: &str = "INSERT INTO sessions \
     (id, cookie_digest, user_id, created, auth_time, last_seen, expires_at, amr) \
     SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM users WHERE id = $3 AND status = $9";
const INSERT_SESSION_PG: &str = "INSERT INTO sessions \
     (id, cookie_digest, user_id, created, auth_time, last_seen, expires_at, amr) \
     SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM users WHERE id = $3 AND status = $9 FOR SHARE";
/// The status a user needs to start a session (`sign_in::may_start_session`).
const SESSION_STATUS: UserStatus = UserStatus::Active;
const BY_COOKIE: &str = "SELECT id, user_id, created, auth_time, last_seen, expires_at, amr FROM sessions \
     WHERE cookie_digest = $1 AND expires_at > $2";
const BY_ID: &str = "SELECT id, user_id, created, auth_time, last_seen, expires_at, amr FROM sessions \
     WHERE id = $1 AND expires_at > $2";
const TOUCH: &str = "UPDATE sessions SET last_seen = $2, expires_at = $3 WHERE id = $1";
const DELETE_ONE: &str = "DELETE FROM sessions WHERE id = $1";
const DELETE_FOR_USER: &str = "DELETE FROM sessions WHERE user_id = $1";
const PURGE_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";
const PURGE_TOKENS: &str = "DELETE FROM one_time_tokens WHERE expires_at <= $1";

/// A one-time token to save alongside another change (see [`Store::update_user_issuing`]).
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The token's digest ([`tollgate_core::secret::Secret::digest`]).
    pub digest: String,
    /// What it is for.
    pub kind: TokenKind,
    /// When it was made.
    pub created: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// Inside a transaction `$tx`: ends the user's unused tokens of the new token's kind, then saves
/// the new one.
macro_rules! insert_token {
    ($tx:ident, $user_id:expr, $t:expr) => {{
        let t: &$crate::sessions::NewToken = $t;
        sqlx::query($crate::sessions::VOID_KIND)
            .bind($user_id)
            .bind(t.kind.as_str())
            .execute(&mut *$tx)
            .await?;
        sqlx::query($crate::sessions::INSERT_TOKEN)
            .bind(&t.digest)
            .bind(t.kind.as_str())
            .bind($user_id)
            .bind(t.created.millis())
            .bind(t.expires_at.millis())
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use insert_token;

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: String,
    user_id: String,
    created: i64,
    auth_time: i64,
    last_seen: i64,
    expires_at: i64,
    amr: String,
}

impl TryFrom<SessionRow> for Session {
    type Error = crate::Error;

    fn try_from(r: SessionRow) -> Result<Self> {
        Ok(Session {
            id: r.id,
            user_id: UserId::from_trusted(r.user_id),
            created: Timestamp::from_millis(r.created),
            auth_time: Timestamp::from_millis(r.auth_time),
            last_seen: Timestamp::from_millis(r.last_seen),
            expires_at: Timestamp::from_millis(r.expires_at),
            amr: serde_json::from_str(&r.amr)?,
        })
    }
}

impl Store {
    /// Saves a one-time token (by digest) for `user_id`, valid until `expires_at`, with the
    /// events of the sign-in that made it.
    pub async fn create_one_time_token(
        &self,
        digest: &str,
        kind: TokenKind,
        user_id: &str,
        now: Timestamp,
        expires_at: Timestamp,
        events: &[LogEvent],
    ) -> Result<()> {
        in_tx!(self, |tx| {
            sqlx::query(INSERT_TOKEN)
                .bind(digest)
                .bind(kind.as_str())
                .bind(user_id)
                .bind(now.millis())
                .bind(expires_at.millis())
                .execute(&mut *tx)
                .await?;
            write_events!(tx, events);
        });
        Ok(())
    }

    /// Saves `token` for `user_id` with `events`; the user's earlier unused tokens of its kind
    /// stop working.
    pub async fn issue_one_time_token(
        &self,
        user_id: &str,
        token: &NewToken,
        events: &[LogEvent],
    ) -> Result<()> {
        in_tx!(self, |tx| {
            insert_token!(tx, user_id, token);
            write_events!(tx, events);
        });
        Ok(())
    }

    /// The user a one-time token is for, while it is unused and unexpired, without using it
    /// (a page that asks for more before the token is spent).
    pub async fn peek_one_time_token(
        &self,
        digest: &str,
        kind: TokenKind,
        now: Timestamp,
    ) -> Result<Option<String>> {
        self.token_user(PEEK_TOKEN, digest, kind, now).await
    }

    /// The user of the one-time token `digest` of `kind`, as `sql` (peek or redeem) finds it.
    async fn token_user(
        &self,
        sql: &'static str,
        digest: &str,
        kind: TokenKind,
        now: Timestamp,
    ) -> Result<Option<String>> {
        let row: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(digest)
            .bind(kind.as_str())
            .bind(now.millis())
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(u,)| u))
    }

    /// Uses a one-time token: the user it was for, or `None` when it is unknown, expired or
    /// already used.
    pub async fn redeem_one_time_token(
        &self,
        digest: &str,
        kind: TokenKind,
        now: Timestamp,
    ) -> Result<Option<String>> {
        self.token_user(REDEEM_TOKEN, digest, kind, now).await
    }

    /// Saves a new session, named by the digest of its cookie, if its user may still start one
    /// (else `NotFound`: the user was deactivated or suspended meanwhile).
    pub async fn create_session(
        &self,
        s: &Session,
        cookie_digest: &str,
        events: &[LogEvent],
    ) -> Result<()> {
        let amr = serde_json::to_string(&s.amr)?;
        let sql = match self.backend() {
            "sqlite" => INSERT_SESSION,
            _ => INSERT_SESSION_PG,
        };
        let n = in_tx!(self, |tx| {
            let n = sqlx::query(sql)
                .bind(&s.id)
                .bind(cookie_digest)
                .bind(s.user_id.as_str())
                .bind(s.created.millis())
                .bind(s.auth_time.millis())
                .bind(s.last_seen.millis())
                .bind(s.expires_at.millis())
                .bind(&amr)
                .bind(SESSION_STATUS.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                write_events!(tx, events);
            }
            n
        });
        if n == 0 {
            return Err(crate::Error::NotFound);
        }
        Ok(())
    }

    /// The live session whose cookie has this digest.
    pub async fn find_session_by_cookie(
        &self,
        cookie_digest: &str,
        now: Timestamp,
    ) -> Result<Option<Session>> {
        load!(one: self, SessionRow, BY_COOKIE, cookie_digest, now.millis())
    }

    /// The live session with this id.
    pub async fn find_session(&self, id: &str, now: Timestamp) -> Result<Option<Session>> {
        load!(one: self, SessionRow, BY_ID, id, now.millis())
    }

    /// Saves a session's last use and new expiry.
    pub async fn touch_session(&self, s: &Session) -> Result<()> {
        on_pool!(self, |pool| sqlx::query(TOUCH)
            .bind(&s.id)
            .bind(s.last_seen.millis())
            .bind(s.expires_at.millis())
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Ends one session. Returns whether it existed.
    pub async fn delete_session(&self, id: &str, events: &[LogEvent]) -> Result<bool> {
        let n = write_logged!(self, events, DELETE_ONE; id);
        Ok(n > 0)
    }

    /// Ends every session of a user. Returns how many ended.
    pub async fn delete_user_sessions(&self, user_id: &str, events: &[LogEvent]) -> Result<u64> {
        Ok(in_tx!(self, |tx| {
            let n = sqlx::query(DELETE_FOR_USER)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            write_events!(tx, events);
            n
        }))
    }

    /// Deletes expired sessions and one-time tokens (idempotent; any process may run it).
    pub async fn purge_sessions(&self, now: Timestamp) -> Result<u64> {
        Ok(in_tx!(self, |tx| {
            let a = sqlx::query(PURGE_SESSIONS)
                .bind(now.millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let b = sqlx::query(PURGE_TOKENS)
                .bind(now.millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            a + b
        }))
    }
}
