//! One cached value that many requests read at once, kept fresh without a stampede:
//! - while fresh, a read costs a lock-free clone;
//! - once older than its check interval, exactly one request revalidates it (its `refresh`
//!   may keep the old value after a cheap revision check) while every other request keeps
//!   serving the value it has (stale-while-revalidate);
//! - when missing, or invalidated by a local write (a newer epoch), the first request loads it
//!   and the others wait for that one load (single flight), so a cold start or an admin change
//!   costs one query, not one per request in flight.
//!
//! A failed revalidation keeps the old value (logged) and tries again after the interval: a
//! database hiccup never turns into errors on a path that had a good value.
//!
//! Each read is counted by the cell's name: a hit, a revalidation or a miss (a load).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use crate::telemetry::record;

struct Entry<T> {
    value: T,
    epoch: u64,
    checked: AtomicI64,
}

/// One cached value; see the module documentation.
pub struct Cell<T> {
    name: &'static str,
    entry: RwLock<Option<Arc<Entry<T>>>>,
    loading: tokio::sync::Mutex<()>,
}

impl<T: Clone> Cell<T> {
    /// An empty cell whose reads are counted as cache `name`.
    pub fn named(name: &'static str) -> Self {
        Self {
            name,
            entry: RwLock::new(None),
            loading: tokio::sync::Mutex::new(()),
        }
    }

    fn current(&self) -> Option<Arc<Entry<T>>> {
        self.entry.read().ok().and_then(|e| e.clone())
    }

    /// Stores `value` as loaded at `now` under `epoch`, unless a value of a newer epoch is
    /// already there.
    pub fn put(&self, value: T, epoch: u64, now: i64) {
        if let Ok(mut slot) = self.entry.write() {
            if slot.as_ref().is_some_and(|e| e.epoch > epoch) {
                return;
            }
            *slot = Some(Arc::new(Entry {
                value,
                epoch,
                checked: AtomicI64::new(now),
            }));
        }
    }

    /// The value: fresh if checked within `every_ms` of `now` under `epoch`; else
    /// `refresh(previous)` decides (and may return `previous` after a cheap check).
    pub async fn get<E, Fut>(
        &self,
        now: i64,
        epoch: u64,
        every_ms: i64,
        refresh: impl FnOnce(Option<T>) -> Fut,
    ) -> Result<T, E>
    where
        E: std::fmt::Display,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(entry) = self.current().filter(|e| e.epoch >= epoch) {
            let checked = entry.checked.load(Ordering::Relaxed);
            let mine = now.saturating_sub(checked) >= every_ms
                && entry
                    .checked
                    .compare_exchange(checked, now, Ordering::Relaxed, Ordering::Relaxed)
                    .is_ok();
            if !mine {
                record::cache_lookup(self.name, "hit");
                return Ok(entry.value.clone());
            }
            record::cache_lookup(self.name, "revalidate");
            return Ok(match refresh(Some(entry.value.clone())).await {
                Ok(value) => {
                    self.put(value.clone(), entry.epoch, now);
                    value
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cache revalidation failed; serving the cached value");
                    entry.value.clone()
                }
            });
        }
        let _one_load = self.loading.lock().await;
        let previous = self.current();
        if let Some(entry) = previous.as_ref().filter(|e| e.epoch >= epoch) {
            // Loaded by the request this one waited for.
            record::cache_lookup(self.name, "hit");
            return Ok(entry.value.clone());
        }
        record::cache_lookup(self.name, "miss");
        let value = refresh(previous.map(|e| e.value.clone())).await?;
        self.put(value.clone(), epoch, now);
        Ok(value)
    }
}

/// Cells by key, created on first use. Past `max` keys the map starts over (a flood of
/// made-up keys cannot grow it without bound).
pub struct CellMap<T> {
    name: &'static str,
    cells: RwLock<HashMap<String, Arc<Cell<T>>>>,
    max: usize,
}

impl<T: Clone> CellMap<T> {
    /// An empty map holding at most `max` keys, its cells counted as cache `name`.
    pub fn new(name: &'static str, max: usize) -> Self {
        Self {
            name,
            cells: RwLock::new(HashMap::new()),
            max,
        }
    }

    /// The cell of `key`.
    pub fn cell(&self, key: &str) -> Arc<Cell<T>> {
        if let Some(cell) = self.cells.read().ok().and_then(|m| m.get(key).cloned()) {
            return cell;
        }
        let Ok(mut map) = self.cells.write() else {
            return Arc::new(Cell::named(self.name));
        };
        if map.len() >= self.max && !map.contains_key(key) {
            map.clear();
        }
        Arc::clone(
            map.entry(key.to_owned())
                .or_insert_with(|| Arc::new(Cell::named(self.name))),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    async fn load_counted(calls: &AtomicUsize, value: u32) -> Result<u32, String> {
        calls.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        Ok(value)
    }

    async fn burst(
        cell: &Arc<Cell<u32>>,
        calls: &Arc<AtomicUsize>,
        now: i64,
        epoch: u64,
    ) -> Vec<u32> {
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (cell, calls) = (Arc::clone(cell), Arc::clone(calls));
                tokio::spawn(async move {
                    cell.get(now, epoch, 1000, |_| load_counted(&calls, 7 + epoch as u32))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cold_burst_loads_once_and_everyone_gets_the_value() {
        let (cell, calls) = (Arc::new(Cell::named("test")), Arc::new(AtomicUsize::new(0)));
        let got = burst(&cell, &calls, 0, 0).await;
        assert!(got.iter().all(|v| *v == 7));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_expired_value_is_revalidated_once_while_the_rest_serve_it() {
        let (cell, calls) = (Arc::new(Cell::named("test")), Arc::new(AtomicUsize::new(0)));
        cell.put(1, 0, 0);
        let got = burst(&cell, &calls, 5_000, 0).await;
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(got.iter().all(|v| *v == 1 || *v == 7), "{got:?}");
        assert!(
            got.contains(&1),
            "the others served the old value meanwhile"
        );
        assert_eq!(burst(&cell, &calls, 5_001, 0).await, vec![7; 50]);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_newer_epoch_waits_for_one_reload() {
        let (cell, calls) = (Arc::new(Cell::named("test")), Arc::new(AtomicUsize::new(0)));
        cell.put(1, 0, 0);
        assert_eq!(burst(&cell, &calls, 10, 1).await, vec![8; 50]);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_revalidation_keeps_the_value() {
        let cell: Cell<u32> = Cell::named("test");
        cell.put(3, 0, 0);
        let got: Result<u32, String> = cell
            .get(5_000, 0, 1000, |_| async {
                Err("database down".to_owned())
            })
            .await;
        assert_eq!(got, Ok(3));
    }

    #[test]
    fn the_map_starts_over_past_its_bound() {
        let map: CellMap<u32> = CellMap::new("test", 2);
        let a = map.cell("a");
        a.put(1, 0, 0);
        assert!(Arc::ptr_eq(&a, &map.cell("a")));
        map.cell("b");
        map.cell("c");
        assert!(!Arc::ptr_eq(&a, &map.cell("a")));
    }
}
