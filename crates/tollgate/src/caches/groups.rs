//! Users' groups, kept per process so that a token does not read and parse every group row of
//! a user in a thousand groups.
//!
//! The database stays the truth, and every use asks it, cheapest question first:
//! - the directory's revision (one row, moved by database triggers with every membership added
//!   or removed and every group changed or deleted): when it is the one this user's set was
//!   kept at, the set is served as it is, with nothing else read;
//! - else the user's group ids, each with its group's `version` (bumped in the statement of
//!   every write to the group, so two writes in the same millisecond still move it; see
//!   [`Group::version`]): when the list is the one the set was built from, the set is served
//!   and kept at the new revision;
//! - else the set is built from the groups cached by id, reading in one query only the groups
//!   missing here or whose version moved.
//!
//! The revision is read before the list, so a change committed between the two reads leaves
//! the set at the older revision, and the next use looks again. A membership removed, or a
//! group renamed or deleted, in any process on the database shows in the next token: there is
//! no interval to wait for and nothing to invalidate.
//!
//! Both maps are least-recently-used: groups by count, sets by the groups they hold, so an org
//! of 100,000 groups or a flood of users cannot grow them without bound. Lookups are counted
//! as cache `groups`: `hit` when no group row was read, `miss` when some group was.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hashlink::LruCache;
use tollgate_core::directory::Group;
use tollgate_store::Store;

use crate::telemetry::record;

/// Groups kept by id at most (about half a kilobyte each with a short profile).
const MAX_GROUPS: usize = 50_000;

/// Groups held by all users' sets together at most; a user in more groups than this has their
/// set built on each use (from the groups kept by id) rather than kept.
const MAX_SET_GROUPS: usize = 50_000;

const NAME: &str = "groups";

/// Users' sets by user id, each with the directory revision it was last found current at, and
/// how many groups they hold together.
struct Sets {
    by_user: LruCache<String, (i64, Arc<[Group]>)>,
    held: usize,
}

/// Per-process groups; see the module documentation.
pub struct GroupCache {
    groups: Mutex<LruCache<String, Group>>,
    sets: Mutex<Sets>,
    max_set_groups: usize,
}

impl Default for GroupCache {
    fn default() -> Self {
        Self::with_bounds(MAX_GROUPS, MAX_SET_GROUPS)
    }
}

/// Whether `set` holds exactly the groups `listed`, in that order and at those versions.
fn same(set: &[Group], listed: &[(String, i64)]) -> bool {
    set.len() == listed.len()
        && set
            .iter()
            .zip(listed)
            .all(|(g, (id, version))| g.version == *version && g.id.as_str() == id)
}

impl GroupCache {
    /// A cache keeping at most `max_groups` groups by id and `max_set_groups` in sets.
    fn with_bounds(max_groups: usize, max_set_groups: usize) -> Self {
        Self {
            groups: Mutex::new(LruCache::new(max_groups)),
            sets: Mutex::new(Sets {
                by_user: LruCache::new_unbounded(),
                held: 0,
            }),
            max_set_groups,
        }
    }

    /// The groups of user `user_id`, `Everyone` included, as [`Store::groups_of_user`] gives
    /// them now (a group changed between this call's two reads comes back newer, one deleted
    /// meanwhile is left out).
    pub async fn of_user(
        &self,
        store: &Store,
        user_id: &str,
    ) -> tollgate_store::Result<Arc<[Group]>> {
        let revision = store.directory_revision().await?;
        if let Some(set) = self.set_at(user_id, revision) {
            record::cache_lookup(NAME, "hit");
            return Ok(set);
        }
        let listed = store.group_versions_of_user(user_id).await?;
        if let Some(set) = self.set_of(user_id, &listed) {
            record::cache_lookup(NAME, "hit");
            self.keep_set(user_id, revision, Arc::clone(&set));
            return Ok(set);
        }
        let mut slots = self.cached(&listed);
        let mut missing: Vec<&str> = listed
            .iter()
            .zip(&slots)
            .filter(|(_, slot)| slot.is_none())
            .map(|((id, _), _)| id.as_str())
            .collect();
        if missing.is_empty() {
            record::cache_lookup(NAME, "hit");
        } else {
            record::cache_lookup(NAME, "miss");
            missing.sort_unstable();
            missing.dedup();
            let fetched: HashMap<String, Group> = store
                .groups_by_ids(&missing)
                .await?
                .into_iter()
                .map(|g| (g.id.as_str().to_owned(), g))
                .collect();
            for ((id, _), slot) in listed.iter().zip(slots.iter_mut()) {
                if slot.is_none() {
                    *slot = fetched.get(id).cloned();
                }
            }
            self.keep_groups(fetched.into_values());
        }
        let set: Arc<[Group]> = slots.into_iter().flatten().collect();
        self.keep_set(user_id, revision, Arc::clone(&set));
        Ok(set)
    }

    /// The set kept for `user_id` if it was current at directory revision `revision`.
    fn set_at(&self, user_id: &str, revision: i64) -> Option<Arc<[Group]>> {
        let mut sets = self.sets.lock().ok()?;
        let (at, set) = sets.by_user.get(user_id)?;
        (*at == revision).then(|| Arc::clone(set))
    }

    /// The set kept for `user_id` if it is exactly `listed`.
    fn set_of(&self, user_id: &str, listed: &[(String, i64)]) -> Option<Arc<[Group]>> {
        let mut sets = self.sets.lock().ok()?;
        let (_, set) = sets.by_user.get(user_id)?;
        same(set, listed).then(|| Arc::clone(set))
    }

    /// Each listed group kept here at its listed version, `None` for the others.
    fn cached(&self, listed: &[(String, i64)]) -> Vec<Option<Group>> {
        let Ok(mut groups) = self.groups.lock() else {
            return vec![None; listed.len()];
        };
        listed
            .iter()
            .map(|(id, version)| {
                groups
                    .get(id.as_str())
                    .filter(|g| g.version == *version)
                    .cloned()
            })
            .collect()
    }

    fn keep_groups(&self, fetched: impl Iterator<Item = Group>) {
        if let Ok(mut groups) = self.groups.lock() {
            for g in fetched {
                groups.insert(g.id.as_str().to_owned(), g);
            }
        }
    }

    /// Keeps `set` as `user_id`'s, current at directory revision `revision`, dropping the least
    /// recently used sets past the bound.
    fn keep_set(&self, user_id: &str, revision: i64, set: Arc<[Group]>) {
        if set.len() > self.max_set_groups {
            return;
        }
        let Ok(mut sets) = self.sets.lock() else {
            return;
        };
        let added = set.len();
        if let Some((_, old)) = sets.by_user.insert(user_id.to_owned(), (revision, set)) {
            sets.held = sets.held.saturating_sub(old.len());
        }
        sets.held = sets.held.saturating_add(added);
        while sets.held > self.max_set_groups {
            let Some((_, (_, old))) = sets.by_user.remove_lru() else {
                sets.held = 0;
                break;
            };
            sets.held = sets.held.saturating_sub(old.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tollgate_core::Timestamp;
    use tollgate_core::directory::GroupType;

    use super::*;

    fn groups(n: usize) -> Arc<[Group]> {
        (0..n)
            .map(|i| {
                let profile = json!({"name": format!("g{i}")});
                Group::new(
                    GroupType::OktaGroup,
                    profile.as_object().cloned().unwrap_or_default(),
                    Timestamp::from_millis(0),
                )
                .unwrap()
            })
            .collect()
    }

    fn listed(set: &[Group]) -> Vec<(String, i64)> {
        set.iter()
            .map(|g| (g.id.as_str().to_owned(), g.version))
            .collect()
    }

    #[test]
    fn a_set_is_served_only_for_the_same_ids_at_the_same_versions() {
        let cache = GroupCache::with_bounds(10, 10);
        let set = groups(3);
        cache.keep_set("u1", 0, Arc::clone(&set));
        let mut list = listed(&set);
        assert!(cache.set_of("u1", &list).is_some());
        assert!(cache.set_of("u2", &list).is_none());
        list[1].1 += 1;
        assert!(cache.set_of("u1", &list).is_none(), "a version moved");
        list[1].1 -= 1;
        list.pop();
        assert!(cache.set_of("u1", &list).is_none(), "a membership went");
    }

    #[test]
    fn a_set_is_served_by_revision_only_at_the_revision_it_was_kept_at() {
        let cache = GroupCache::with_bounds(10, 10);
        cache.keep_set("u1", 7, groups(2));
        assert!(cache.set_at("u1", 7).is_some());
        assert!(cache.set_at("u1", 8).is_none(), "the directory moved");
        assert!(cache.set_at("u2", 7).is_none());
        cache.keep_set("u1", 8, groups(2));
        assert!(cache.set_at("u1", 8).is_some());
        assert!(cache.set_at("u1", 7).is_none());
    }

    #[test]
    fn sets_are_bounded_by_the_groups_they_hold() {
        let cache = GroupCache::with_bounds(10, 10);
        let (a, b, c) = (groups(4), groups(4), groups(4));
        cache.keep_set("a", 0, Arc::clone(&a));
        cache.keep_set("b", 0, Arc::clone(&b));
        assert!(
            cache.set_of("a", &listed(&a)).is_some(),
            "a is now the most recent"
        );
        cache.keep_set("c", 0, Arc::clone(&c));
        assert!(
            cache.set_of("b", &listed(&b)).is_none(),
            "the least recent went"
        );
        assert!(cache.set_of("a", &listed(&a)).is_some());
        assert!(cache.set_of("c", &listed(&c)).is_some());
        cache.keep_set("big", 0, groups(11));
        assert!(cache.set_of("c", &listed(&c)).is_some(), "too big to keep");
        let held = cache.sets.lock().map(|s| s.held).unwrap_or_default();
        assert_eq!(held, 8);
    }

    #[test]
    fn groups_by_id_are_served_at_their_version_only() {
        let cache = GroupCache::with_bounds(2, 10);
        let set = groups(3);
        cache.keep_groups(set.iter().cloned());
        let mut list = listed(&set);
        let found = cache.cached(&list);
        assert!(found[0].is_none(), "the least recent went past the bound");
        assert!(found[1].is_some() && found[2].is_some());
        list[2].1 += 1;
        assert!(cache.cached(&list)[2].is_none());
    }
}
