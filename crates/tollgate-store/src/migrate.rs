//! Embedded migrations, one directory per backend.

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

use crate::{Pool, Result, Store};

macro_rules! migrations {
    ($dir:literal: $($version:literal $name:literal),+ $(,)?) => {
        vec![$(Migration::new(
            $version,
            std::borrow::Cow::Borrowed($name),
            MigrationType::Simple,
            include_str!(concat!("../migrations/", $dir, "/", $name, ".sql")).into_sql_str(),
            false,
        )),+]
    };
}

fn sqlite() -> Migrator {
    Migrator::with_migrations(
        migrations!("sqlite": 1 "0001_foundation", 2 "0002_directory", 3 "0003_apps", 4 "0004_system_log", 5 "0005_authorization_servers", 6 "0006_signing_keys", 7 "0007_sessions", 8 "0008_app_id_token_claim", 9 "0009_oauth_grants", 10 "0010_trusted_origins", 11 "0011_config_revision", 12 "0012_user_version", 13 "0013_built_in_group_index", 14 "0014_group_version", 15 "0015_schemas", 16 "0016_group_rules", 17 "0017_admin_roles", 18 "0018_app_consent_grants", 19 "0019_recovery_question", 20 "0020_app_templates", 21 "0021_app_keys", 23 "0023_associated_servers", 24 "0024_password_history_subscriptions", 25 "0025_app_user_passwords", 26 "0026_outbox", 28 "0028_app_logos_policies", 29 "0029_client_secrets", 33 "0033_directory_revision", 34 "0034_user_search_indexes"),
    )
}

fn postgres() -> Migrator {
    Migrator::with_migrations(
        migrations!("postgres": 1 "0001_foundation", 2 "0002_directory", 3 "0003_apps", 4 "0004_system_log", 5 "0005_authorization_servers", 6 "0006_signing_keys", 7 "0007_sessions", 8 "0008_app_id_token_claim", 9 "0009_oauth_grants", 10 "0010_trusted_origins", 11 "0011_config_revision", 12 "0012_user_version", 13 "0013_built_in_group_index", 14 "0014_group_version", 15 "0015_schemas", 16 "0016_group_rules", 17 "0017_admin_roles", 18 "0018_app_consent_grants", 19 "0019_recovery_question", 20 "0020_app_templates", 21 "0021_app_keys", 23 "0023_associated_servers", 24 "0024_password_history_subscriptions", 25 "0025_app_user_passwords", 26 "0026_outbox", 28 "0028_app_logos_policies", 29 "0029_client_secrets", 33 "0033_directory_revision", 34 "0034_user_search_indexes"),
    )
}

/// Brings the schema up to date.
///
/// PostgreSQL serialises concurrent migrators with an advisory lock; SQLite starters hold the
/// lock file of `files::lock_for_startup` while they open and migrate. Should a process that
/// does not take that lock (an older build) race us anyway, the loser's transaction fails once
/// the winner commits; every migration is one transaction, so the loser changed nothing and
/// simply looks again.
pub(crate) async fn run(store: &Store) -> Result<()> {
    match store.pool() {
        Pool::Postgres(pool) => postgres().run(pool).await?,
        Pool::Sqlite(pool) => {
            let migrator = sqlite();
            let mut attempt = 0;
            loop {
                match migrator.run(pool).await {
                    Ok(()) => break,
                    Err(e) if attempt < 5 => {
                        attempt += 1;
                        tracing::debug!(error = %e, attempt, "sqlite migration raced another process; retrying");
                        tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    Ok(())
}
