//! Settings for the database pool: how many connections and how long a request waits for one.

use std::time::Duration;

use anyhow::bail;
use serde::Deserialize;
use tollgate_store::PoolSettings;

/// The `[database]` keys of the settings file, flags or environment; each optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseOverrides {
    /// `max_connections` / `--db-max-connections`.
    pub max_connections: Option<u32>,
    /// `acquire_timeout_ms` / `--db-acquire-timeout-ms`.
    pub acquire_timeout_ms: Option<u64>,
}

impl DatabaseOverrides {
    /// Each value of `self` wins over `file`'s.
    pub fn or(self, file: Self) -> Self {
        Self {
            max_connections: self.max_connections.or(file.max_connections),
            acquire_timeout_ms: self.acquire_timeout_ms.or(file.acquire_timeout_ms),
        }
    }

    /// Validated pool settings: the defaults with these values applied.
    pub fn resolve(&self) -> anyhow::Result<PoolSettings> {
        let mut p = PoolSettings::default();
        if let Some(n) = self.max_connections {
            if n < 2 {
                bail!(
                    "max_connections (--db-max-connections) must be at least 2: one for the System Log writer, one for requests"
                );
            }
            p.max_connections = Some(n);
        }
        if let Some(ms) = self.acquire_timeout_ms {
            if ms == 0 {
                bail!("acquire_timeout_ms (--db-acquire-timeout-ms) must be at least 1");
            }
            p.acquire_timeout = Duration::from_millis(ms);
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_and_bad_values_explain_themselves() {
        let file = DatabaseOverrides {
            max_connections: Some(4),
            acquire_timeout_ms: Some(500),
        };
        let flags = DatabaseOverrides {
            max_connections: Some(6),
            acquire_timeout_ms: None,
        };
        let p = flags.or(file).resolve().unwrap();
        assert_eq!(p.max_connections, Some(6));
        assert_eq!(p.acquire_timeout, Duration::from_millis(500));
        let d = DatabaseOverrides::default().resolve().unwrap();
        assert_eq!(d.max_connections, None);
        assert_eq!(d.acquire_timeout, Duration::from_secs(3));
        for bad in [
            DatabaseOverrides {
                max_connections: Some(1),
                acquire_timeout_ms: None,
            },
            DatabaseOverrides {
                max_connections: None,
                acquire_timeout_ms: Some(0),
            },
        ] {
            let err = bad.resolve().unwrap_err().to_string();
            assert!(err.contains("--db-"), "{err}");
        }
    }
}
