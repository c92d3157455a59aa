//! Expression inputs converted once and reused across token requests: the user's groups (a
//! thousand of them must not be converted on every request) and the app with its profile (its
//! allow-list may hold a thousand ids). An entry is converted again when its object changes, as
//! its timestamps tell.

use std::collections::HashMap;
use std::sync::RwLock;

use crate::app::App;
use crate::clock::Timestamp;
use crate::directory::Group;
use crate::expr;
use crate::oauth::expr_values::{expr_app, expr_group};

/// Past this many entries a map is emptied rather than grown: an org with more groups than
/// this converts the rest per request, which is correct, only slower.
const MAX_ENTRIES: usize = 200_000;

/// A group's `lastUpdated`, `lastMembershipUpdated` and version: when any moves, it is converted
/// again (the version moves with every stored write, even two in the same millisecond).
type Stamp = (Timestamp, Timestamp, i64);

/// Whole group sets kept at most: one per distinct membership (users in the same groups share
/// one), emptied when full.
const MAX_SETS: usize = 10_000;

/// Prepared groups by id, indexed group sets by a digest of their members, and prepared apps by
/// id, each with the timestamps it was built from.
#[derive(Debug, Default)]
pub struct ContextCache {
    groups: RwLock<HashMap<String, (Stamp, expr::PreparedGroup)>>,
    sets: RwLock<HashMap<u64, expr::PreparedGroups>>,
    apps: RwLock<HashMap<String, (Timestamp, expr::PreparedApp)>>,
}

impl ContextCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// `groups`, prepared (from the cache when unchanged), in the order given.
    pub fn groups(&self, groups: &[Group]) -> Vec<expr::PreparedGroup> {
        let stamp = |g: &Group| (g.last_updated, g.last_membership_updated, g.version);
        let mut found: Vec<Option<expr::PreparedGroup>> = match self.groups.read() {
            Ok(map) => groups
                .iter()
                .map(|g| match map.get(g.id.as_str()) {
                    Some((s, p)) if *s == stamp(g) => Some(p.clone()),
                    _ => None,
                })
                .collect(),
            Err(_) => vec![None; groups.len()],
        };
        if found.iter().any(Option::is_none) {
            let mut fresh = Vec::new();
            for (slot, g) in found.iter_mut().zip(groups) {
                if slot.is_none() {
                    let p = expr_group(g).prepare();
                    fresh.push((g, p.clone()));
                    *slot = Some(p);
                }
            }
            if let Ok(mut map) = self.groups.write() {
                if map.len() + fresh.len() > MAX_ENTRIES {
                    map.clear();
                }
                for (g, p) in fresh {
                    map.insert(g.id.as_str().to_owned(), (stamp(g), p));
                }
            }
        }
        found.into_iter().flatten().collect()
    }

    /// The user's whole set of `groups`, prepared and indexed (from the cache when the same
    /// groups, unchanged, were seen before). A digest finds the entry; the member ids are then
    /// compared, so a digest collision can never hand one user another's groups.
    pub fn group_set(&self, groups: &[Group]) -> expr::PreparedGroups {
        // A multiply-xor hash over 8-byte words: a thousand short ids a request, and a
        // collision costs only a rebuild (the member ids are compared below), so speed matters
        // more here than a keyed hash.
        let digest = {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            let mut eat = |word: u64| {
                h = (h ^ word).wrapping_mul(0x0100_0000_01b3).rotate_left(23);
            };
            for g in groups {
                for chunk in g.id.as_str().as_bytes().chunks(8) {
                    let mut word = [0u8; 8];
                    for (slot, byte) in word.iter_mut().zip(chunk) {
                        *slot = *byte;
                    }
                    eat(u64::from_le_bytes(word));
                }
                eat(g.last_updated.millis().cast_unsigned());
                eat(g.last_membership_updated.millis().cast_unsigned());
                eat(g.version.cast_unsigned());
            }
            h
        };
        if let Ok(map) = self.sets.read()
            && let Some(set) = map.get(&digest)
            && set.holds_exactly(groups.iter().map(|g| g.id.as_str()))
        {
            return set.clone();
        }
        let set = expr::PreparedGroups::new(self.groups(groups));
        if let Ok(mut map) = self.sets.write() {
            if map.len() >= MAX_SETS {
                map.clear();
            }
            map.insert(digest, set.clone());
        }
        set
    }

    /// `app`, prepared (from the cache when unchanged).
    pub fn app(&self, app: &App) -> expr::PreparedApp {
        if let Ok(map) = self.apps.read()
            && let Some((stamp, p)) = map.get(app.id.as_str())
            && *stamp == app.last_updated
        {
            return p.clone();
        }
        let prepared = expr_app(app).prepare();
        if let Ok(mut map) = self.apps.write() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(
                app.id.as_str().to_owned(),
                (app.last_updated, prepared.clone()),
            );
        }
        prepared
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::directory::GroupType;

    const T0: Timestamp = Timestamp::from_millis(1_700_000_000_000);

    fn group(name: &str) -> Group {
        Group::new(
            GroupType::OktaGroup,
            json!({"name": name}).as_object().unwrap().clone(),
            T0,
        )
        .unwrap()
    }

    fn names(set: &expr::PreparedGroups) -> Vec<String> {
        let ctx = expr::Context::builder(time::OffsetDateTime::UNIX_EPOCH)
            .group_set(set.clone())
            .build();
        let v = expr::compile("Groups.startsWith(\"OKTA\", \"\", 10)")
            .unwrap()
            .eval(&ctx)
            .unwrap()
            .to_json()
            .unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn sets_are_reused_while_unchanged_and_rebuilt_when_a_group_changes() {
        let cache = ContextCache::new();
        let mut groups = vec![group("West"), group("Engineering")];
        let first = cache.group_set(&groups);
        assert!(
            first.same_as(&cache.group_set(&groups)),
            "reused, not rebuilt"
        );
        assert_eq!(names(&first), ["Engineering", "West"]);

        groups[0]
            .profile
            .insert("name".into(), json!("WestCoastDivision"));
        groups[0].last_updated = T0.plus_seconds(1);
        let renamed = cache.group_set(&groups);
        assert_eq!(names(&renamed), ["Engineering", "WestCoastDivision"]);

        // Another user's groups never come back for these, whatever the digest says.
        let other = vec![group("Contractors")];
        assert_eq!(names(&cache.group_set(&other)), ["Contractors"]);
        assert!(!renamed.holds_exactly(other.iter().map(|g| g.id.as_str())));
    }
}
