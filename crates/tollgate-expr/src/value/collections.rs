//! The shared collections: [`List`] and [`Map`], each carrying its weight.

use std::collections::HashMap;
use std::sync::Arc;

use super::Value;

/// An immutable shared list that knows its weight. Dereferences to a slice.
#[derive(Clone, Debug, Default)]
pub struct List(Arc<ListInner>);

#[derive(Debug, Default)]
struct ListInner {
    items: Vec<Value>,
    weight: usize,
}

impl List {
    /// The size of the tree this list stands for: one per list, element and string byte.
    pub fn weight(&self) -> usize {
        self.0.weight
    }
}

impl std::ops::Deref for List {
    type Target = [Value];

    fn deref(&self) -> &[Value] {
        &self.0.items
    }
}

impl From<Vec<Value>> for List {
    fn from(items: Vec<Value>) -> Self {
        let weight = items
            .iter()
            .fold(1usize, |w, v| w.saturating_add(v.weight()));
        List(Arc::new(ListInner { items, weight }))
    }
}

impl FromIterator<Value> for List {
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> Self {
        List::from(iter.into_iter().collect::<Vec<_>>())
    }
}

/// An ordered string-keyed map. Lookups use a hash index once the map is large enough for it to pay.
#[derive(Clone, Debug)]
pub struct Map {
    entries: Vec<(Arc<str>, Value)>,
    index: Option<HashMap<Arc<str>, usize>>,
    weight: usize,
}

impl Default for Map {
    fn default() -> Self {
        Map {
            entries: Vec::new(),
            index: None,
            weight: 1,
        }
    }
}

const INDEX_FROM: usize = 12;

impl Map {
    /// Builds a map; a repeated key keeps its first position and its last value.
    pub fn from_entries(entries: impl IntoIterator<Item = (Arc<str>, Value)>) -> Map {
        let mut map = Map::default();
        for (k, v) in entries {
            map.insert(k, v);
        }
        map
    }

    /// Inserts or replaces.
    pub(crate) fn insert(&mut self, key: Arc<str>, value: Value) {
        if let Some(i) = self.position(&key) {
            if let Some(slot) = self.entries.get_mut(i) {
                self.weight = self
                    .weight
                    .saturating_sub(slot.1.weight())
                    .saturating_add(value.weight());
                slot.1 = value;
            }
            return;
        }
        self.weight = self
            .weight
            .saturating_add(key.len())
            .saturating_add(value.weight());
        let at = self.entries.len();
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), at);
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() > INDEX_FROM {
            let index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect();
            self.index = Some(index);
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| &**k == key),
        }
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key)
            .and_then(|i| self.entries.get(i))
            .map(|(_, v)| v)
    }

    /// Entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The size of the tree this map stands for (see [`List::weight`]).
    pub fn weight(&self) -> usize {
        self.weight
    }
}
