//! Reads kept in memory until the data changes: each entry is tagged with the database's
//! [`revision`](super::Store::revision), and a read whose revision is still current is served
//! from memory. The revision moves in the same transaction as every change, on whichever
//! instance made it, so a cached read is never staler than the revision checked just before.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Entries of one kind of read, by key; only the current revision's are kept.
pub struct RevisionCache<K, V> {
    entries: Mutex<HashMap<K, (i64, Arc<V>)>>,
    capacity: usize,
    /// Held while a value loads: requests that miss at the same moment (every one, just after a
    /// change) wait for one load instead of each making its own.
    loading: tokio::sync::Mutex<()>,
}

impl<K: Eq + Hash + Clone, V> RevisionCache<K, V> {
    /// At most `capacity` entries; beyond it, everything is dropped and loaded afresh.
    pub fn new(capacity: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), capacity, loading: tokio::sync::Mutex::new(()) }
    }

    /// The value for `key` at `revision`, loaded with `load` unless it is in memory.
    pub async fn get_or_load<E, F>(&self, key: K, revision: i64, load: F) -> Result<Arc<V>, E>
    where
        F: Future<Output = Result<V, E>>,
    {
        if let Some(value) = self.current(&key, revision) {
            return Ok(value);
        }
        let _loading = self.loading.lock().await;
        if let Some(value) = self.current(&key, revision) {
            return Ok(value);
        }
        let value = Arc::new(load.await?);
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.retain(|_, (at, _)| *at >= revision);
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(key, (revision, value.clone()));
        Ok(value)
    }

    fn current(&self, key: &K, revision: i64) -> Option<Arc<V>> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.get(key).filter(|(at, _)| *at == revision).map(|(_, value)| value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(cache: &RevisionCache<i64, String>, key: i64, revision: i64, text: &str) -> String {
        let loaded: Result<_, ()> = cache.get_or_load(key, revision, async { Ok(text.to_owned()) }).await;
        loaded.unwrap().as_ref().clone()
    }

    #[tokio::test]
    async fn a_value_is_served_until_the_revision_moves() {
        let cache = RevisionCache::new(8);
        assert_eq!(read(&cache, 1, 5, "first").await, "first");
        assert_eq!(read(&cache, 1, 5, "second").await, "first", "same revision: from memory");
        assert_eq!(read(&cache, 1, 6, "third").await, "third", "a change: loaded again");
        assert_eq!(read(&cache, 2, 6, "other").await, "other", "another key is its own entry");
    }

    #[tokio::test]
    async fn failures_are_not_kept_and_the_size_is_bounded() {
        let cache: RevisionCache<i64, String> = RevisionCache::new(2);
        let failed: Result<_, &str> = cache.get_or_load(1, 1, async { Err("down") }).await;
        assert!(failed.is_err());
        assert_eq!(read(&cache, 1, 1, "loaded").await, "loaded");
        for key in 2..10 {
            read(&cache, key, 1, "x").await;
        }
        assert!(cache.entries.lock().unwrap().len() <= 2);
    }

    #[tokio::test]
    async fn requests_that_miss_together_wait_for_one_load() {
        let cache: Arc<RevisionCache<(), usize>> = Arc::new(RevisionCache::new(1));
        let loads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let readers: Vec<_> = (0..8)
            .map(|_| {
                let (cache, loads) = (Arc::clone(&cache), Arc::clone(&loads));
                tokio::spawn(async move {
                    let load = async {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        Ok::<_, ()>(loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst))
                    };
                    *cache.get_or_load((), 1, load).await.unwrap()
                })
            })
            .collect();
        for reader in readers {
            assert_eq!(reader.await.unwrap(), 0, "every reader got the one load's value");
        }
        assert_eq!(loads.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
