//! Profile schemas as every profile write checks them: parsed once (patterns compiled) and
//! kept while their stored revision has not moved. Each use reads the one revision number
//! (a primary-key read), so a change made by any process is seen by the next write.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tollgate_core::Timestamp;
use tollgate_core::schema::{ProfileSchema, SchemaKind};
use tollgate_store::Store;

/// Schemas kept at most (one per user type, the group schema, one per app).
const MAX_ENTRIES: usize = 10_000;

type Key = (SchemaKind, String);

/// Parsed schemas by kind and id, with the revision they were read at.
#[derive(Default)]
pub struct SchemaCache {
    map: Mutex<HashMap<Key, (i64, Arc<ProfileSchema>)>>,
}

impl SchemaCache {
    /// The schema `kind`/`id` as stored now; an unstored one is empty (no custom property).
    pub async fn get(
        &self,
        store: &Store,
        kind: SchemaKind,
        id: &str,
        now: Timestamp,
    ) -> tollgate_store::Result<Arc<ProfileSchema>> {
        let key = (kind, id.to_owned());
        let Some(revision) = store.schema_revision(kind, id).await? else {
            return Ok(Arc::new(ProfileSchema::empty(id, kind, now)));
        };
        if let Some((r, s)) = self.lock().get(&key)
            && *r == revision
        {
            return Ok(Arc::clone(s));
        }
        let Some(stored) = store.find_schema(kind, id).await? else {
            return Ok(Arc::new(ProfileSchema::empty(id, kind, now)));
        };
        let schema = Arc::new(stored.schema);
        let mut map = self.lock();
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (stored.revision, Arc::clone(&schema)));
        Ok(schema)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, (i64, Arc<ProfileSchema>)>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
