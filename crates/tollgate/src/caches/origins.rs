//! Which origins may use CORS, as one process remembers it (trusted origins with the CORS
//! scope), so preflights and polling do not each cost a database query.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long one process trusts its memory of an origin's status. Browsers send a preflight
/// and then the request, and pages poll `/sessions/me`: without the cache each would be a
/// database query. Changes made through this process clear the cache at once; the TTL
/// bounds how long another process behind the same database lags.
const CACHE_TTL: Duration = Duration::from_secs(5);

/// Origins are attacker-chosen strings: past this many entries the cache starts over rather
/// than grow.
const CACHE_MAX: usize = 1024;

/// Per-process memory of which canonical origins may use CORS.
#[derive(Debug, Default)]
pub struct OriginCache {
    entries: Mutex<HashMap<String, (bool, Instant)>>,
}

impl OriginCache {
    pub(crate) fn get(&self, key: &str) -> Option<bool> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(_, at)| at.elapsed() < CACHE_TTL)
            .map(|(allowed, _)| *allowed)
    }

    pub(crate) fn put(&self, key: String, allowed: bool) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CACHE_MAX {
                entries.clear();
            }
            entries.insert(key, (allowed, Instant::now()));
        }
    }

    /// Drops everything; called after every change to trusted origins.
    pub fn forget(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}
