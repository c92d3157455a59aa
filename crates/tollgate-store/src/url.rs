//! Database URLs: `sqlite://PATH`, `sqlite:PATH`, a bare path, or `postgres://...`.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// Where the data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl DatabaseUrl {
    /// The embedded default: `tollgate.db` in the working directory.
    pub fn default_sqlite() -> Self {
        Self::Sqlite(PathBuf::from("tollgate.db"))
    }
}

impl FromStr for DatabaseUrl {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(Self::Postgres(s.to_owned()));
        }
        let path = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"))
            .map(|p| p.split('?').next().unwrap_or_default());
        match path {
            Some("") => Err(crate::Error::Url(format!(
                "database URL {s:?} names no file"
            ))),
            Some(p) => Ok(Self::Sqlite(PathBuf::from(p))),
            None if s.contains("://") => Err(crate::Error::Url(format!(
                "unsupported database URL {s:?}: use sqlite://PATH or postgres://USER:PASSWORD@HOST/DB"
            ))),
            None if s.is_empty() => Err(crate::Error::Url("the database URL is empty".to_owned())),
            None => Ok(Self::Sqlite(PathBuf::from(s))),
        }
    }
}

impl fmt::Display for DatabaseUrl {
    /// Prints the URL without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
            Self::Postgres(u) => match (u.find("://"), u.rfind('@')) {
                (Some(scheme), Some(at)) if at > scheme => {
                    let creds = u.get(scheme + 3..at).unwrap_or_default();
                    let user = creds.split(':').next().unwrap_or_default();
                    write!(
                        f,
                        "{}{user}:***{}",
                        u.get(..scheme + 3).unwrap_or_default(),
                        u.get(at..).unwrap_or_default()
                    )
                }
                _ => f.write_str(u),
            },
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        assert_eq!(
            "sqlite://data/t.db".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Sqlite("data/t.db".into())
        );
        assert_eq!(
            "sqlite:///abs/t.db".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Sqlite("/abs/t.db".into())
        );
        assert_eq!(
            "sqlite:t.db?mode=rwc".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Sqlite("t.db".into())
        );
        assert_eq!(
            "t.db".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Sqlite("t.db".into())
        );
        assert!(matches!(
            "postgres://u:p@h/db".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        assert!("mysql://x".parse::<DatabaseUrl>().is_err());
        assert!("sqlite://".parse::<DatabaseUrl>().is_err());
    }

    #[test]
    fn display_hides_password() {
        let u: DatabaseUrl = "postgres://bob:secret@127.0.0.1:5432/db".parse().unwrap();
        assert_eq!(u.to_string(), "postgres://bob:***@127.0.0.1:5432/db");
    }
}
