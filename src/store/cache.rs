//! Reads kept in memory until the data changes: each entry is tagged with the database's
//! [`revision`](super::Store::revision), and a read whose revision is still current is served
//! from memory. The revision moves in the same transaction as every change, on whichever
//! instance made it, so a cached read is never staler than the revision checked just before.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use prometheus_client::metrics::counter::Counter;

/// Entries of one kind of read, by key; only the current revision's are kept.
pub struct RevisionCache<K, V> {
    entries: Mutex<HashMap<K, (i64, Arc<V>)>>,
    capacity: usize,
    /// A lock per key whose value is loading: requests that miss the same key at the same
    /// moment (every one, just after a change) wait for one load instead of each making its
    /// own, while other keys load beside it.
    loading: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
    /// Reads answered from memory, and reads that went to the database: what `/metrics` shows.
    hits: Counter,
    misses: Counter,
}

impl<K: Eq + Hash + Clone, V> RevisionCache<K, V> {
    /// At most `capacity` entries; beyond it, everything is dropped and loaded afresh.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
            loading: Mutex::new(HashMap::new()),
            hits: Counter::default(),
            misses: Counter::default(),
        }
    }

    /// Counts its hits and misses with these counters (shared with whoever reports them).
    pub fn counted(self, (hits, misses): (Counter, Counter)) -> Self {
        Self { hits, misses, ..self }
    }

    /// The value for `key` at `revision`, loaded with `load` unless it is in memory.
    pub async fn get_or_load<E, F>(&self, key: K, revision: i64, load: F) -> Result<Arc<V>, E>
    where
        F: Future<Output = Result<V, E>>,
    {
        if let Some(value) = self.current(&key, revision) {
            self.hits.inc();
            return Ok(value);
        }
        let key_lock = Arc::clone(guard(&self.loading).entry(key.clone()).or_default());
        let _loading = key_lock.lock().await;
        if let Some(value) = self.current(&key, revision) {
            self.hits.inc();
            return Ok(value);
        }
        self.misses.inc();
        let loaded = load.await;
        let mut loading = guard(&self.loading);
        loading.remove(&key);
        // A load that was given up (its request gone) left its lock behind, held by nobody.
        loading.retain(|_, other| Arc::strong_count(other) > 1);
        drop(loading);
        let value = Arc::new(loaded?);
        let mut entries = guard(&self.entries);
        entries.retain(|_, (at, _)| *at >= revision);
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(key, (revision, value.clone()));
        Ok(value)
    }

    fn current(&self, key: &K, revision: i64) -> Option<Arc<V>> {
        guard(&self.entries).get(key).filter(|(at, _)| *at == revision).map(|(_, value)| value.clone())
    }
}

/// A read of one value (the data revision) shared by the callers that wait for it at the same
/// moment: under load every request asks, and one query then answers many. A caller is given
/// only a read that began after it asked, so the value is never older than a read of its own
/// would have been: a change committed before the call is always seen.
#[derive(Default)]
pub struct SharedRead<T> {
    /// How many reads have begun; a read's number is its place in that count.
    begun: AtomicU64,
    /// Held by the caller whose read is under way, with the last read's number and its value
    /// (none if it failed).
    last: tokio::sync::Mutex<Option<(u64, Option<T>)>>,
}

impl<T: Copy> SharedRead<T> {
    /// The value from a read begun after this call: one already made while the caller waited
    /// its turn, or `read`.
    pub async fn get<E>(&self, read: impl Future<Output = Result<T, E>>) -> Result<T, E> {
        let wanted = self.begun.load(Ordering::SeqCst) + 1;
        let mut last = self.last.lock().await;
        match *last {
            Some((number, Some(value))) if number >= wanted => return Ok(value),
            Some((number, None)) if number >= wanted => {
                // The read this caller waited for failed (a database out of reach, say). Were
                // the callers behind it to take turns, each waiting out its own failure, the
                // last would wait for all of them: each now reads on its own, side by side.
                drop(last);
                return read.await;
            }
            _ => {}
        }
        let number = self.begun.fetch_add(1, Ordering::SeqCst) + 1;
        let value = read.await;
        *last = Some((number, value.as_ref().ok().copied()));
        value
    }
}

/// A map's lock; a panic while it was held cannot have left it half-changed.
fn guard<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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

    #[tokio::test]
    async fn another_key_loads_while_one_is_loading() {
        let cache: Arc<RevisionCache<i64, &str>> = Arc::new(RevisionCache::new(8));
        let (release, hold) = tokio::sync::oneshot::channel::<()>();
        let slow = {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move {
                let load = async {
                    hold.await.ok();
                    Ok::<_, ()>("slow")
                };
                *cache.get_or_load(1, 1, load).await.unwrap()
            })
        };
        tokio::task::yield_now().await;
        let quick = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            cache.get_or_load(2, 1, async { Ok::<_, ()>("quick") }),
        );
        assert_eq!(*quick.await.expect("key 2 did not wait for key 1").unwrap(), "quick");
        release.send(()).unwrap();
        assert_eq!(slow.await.unwrap(), "slow");
    }

    /// A read that counts itself in `reads`, waits for `release` if given, and gives `value`.
    fn counted_read(
        reads: &Arc<AtomicU64>,
        value: u64,
        release: Option<tokio::sync::oneshot::Receiver<()>>,
    ) -> impl Future<Output = Result<u64, ()>> + use<> {
        let reads = Arc::clone(reads);
        async move {
            reads.fetch_add(1, Ordering::SeqCst);
            if let Some(release) = release {
                release.await.ok();
            }
            Ok(value)
        }
    }

    #[tokio::test]
    async fn callers_waiting_together_share_one_read_begun_after_they_asked() {
        let shared: Arc<SharedRead<u64>> = Arc::default();
        let reads = Arc::new(AtomicU64::new(0));
        let (release, held) = tokio::sync::oneshot::channel();
        let first = tokio::spawn({
            let (shared, read) = (Arc::clone(&shared), counted_read(&reads, 1, Some(held)));
            async move { shared.get(read).await }
        });
        while reads.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        // These ask while the first read is under way: its value may predate a change they
        // must see, so they wait for a read of their own, and share it.
        let later: Vec<_> = (0..5)
            .map(|_| {
                let (shared, read) = (Arc::clone(&shared), counted_read(&reads, 2, None));
                tokio::spawn(async move { shared.get(read).await })
            })
            .collect();
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(1));
        for caller in later {
            assert_eq!(caller.await.unwrap(), Ok(2), "a read begun after the call");
        }
        assert_eq!(reads.load(Ordering::SeqCst), 2, "one read for the five that waited together");
    }

    #[tokio::test]
    async fn a_failed_read_is_not_shared() {
        let shared: SharedRead<u64> = SharedRead::default();
        assert_eq!(shared.get(async { Err::<u64, &str>("down") }).await, Err("down"));
        assert_eq!(shared.get(async { Ok::<_, &str>(7) }).await, Ok(7));
        assert_eq!(shared.get(async { Ok::<_, &str>(8) }).await, Ok(8), "alone, every caller reads afresh");
    }

    /// A read that fails when `release` is sent (or dropped).
    async fn failing_when(release: tokio::sync::oneshot::Receiver<()>) -> Result<u64, &'static str> {
        release.await.ok();
        Err("down")
    }

    #[tokio::test]
    async fn after_a_failed_read_the_callers_that_waited_for_it_do_not_take_turns() {
        let shared: Arc<SharedRead<u64>> = Arc::default();
        let (fail_first, first_held) = tokio::sync::oneshot::channel::<()>();
        let first = tokio::spawn({
            let shared = Arc::clone(&shared);
            async move { shared.get(failing_when(first_held)).await }
        });
        tokio::task::yield_now().await;
        // Asked while the first read is under way: the next read is theirs, and it fails too.
        let (fail_second, second_held) = tokio::sync::oneshot::channel::<()>();
        let second = tokio::spawn({
            let shared = Arc::clone(&shared);
            async move { shared.get(failing_when(second_held)).await }
        });
        // Then one whose own read never ends, and one whose read fails at once.
        let stuck = tokio::spawn({
            let shared = Arc::clone(&shared);
            async move { shared.get(std::future::pending::<Result<u64, &str>>()).await }
        });
        let last = tokio::spawn({
            let shared = Arc::clone(&shared);
            async move { shared.get(async { Err::<u64, &str>("down") }).await }
        });
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        fail_first.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Err("down"));
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        fail_second.send(()).unwrap();
        assert_eq!(second.await.unwrap(), Err("down"));
        let answered = tokio::time::timeout(std::time::Duration::from_secs(5), last).await;
        assert_eq!(answered.expect("the last caller waited behind a read that never ends").unwrap(), Err("down"));
        stuck.abort();
    }
}
