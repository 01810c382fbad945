//! Actors remembered between requests. An entry is good while the database's auth
//! generation has not moved (roles, grants, branches, the user, sessions and API keys bump it
//! in the changing transaction, whichever process makes the change) and its credential has
//! not run out. A request then costs one read of that number instead of four queries.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::NaiveDateTime;

use super::Actor;

/// More distinct credentials than this in one generation, and the cache starts afresh.
const CAPACITY: usize = 10_000;

/// How often a cached API key's `last_used_at` is written.
const TOUCH_EVERY_SECONDS: i64 = 60;

#[derive(Default)]
pub struct ActorCache {
    inner: Mutex<Generation>,
}

#[derive(Default)]
struct Generation {
    number: i64,
    entries: HashMap<String, Entry>,
}

struct Entry {
    actor: Actor,
    valid_until: NaiveDateTime,
    touched_at: NaiveDateTime,
}

/// A remembered actor, and whether its API key's use is due to be recorded.
pub struct Hit {
    pub actor: Actor,
    pub touch_due: bool,
}

impl ActorCache {
    /// The actor remembered for `key`, if it was loaded under `generation` and is still valid
    /// at `at`. A newer generation forgets everything remembered under older ones.
    pub fn get(&self, generation: i64, key: &str, at: NaiveDateTime) -> Option<Hit> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if generation != inner.number {
            if generation > inner.number {
                inner.number = generation;
                inner.entries.clear();
            }
            return None;
        }
        let entry = inner.entries.get_mut(key)?;
        if entry.valid_until <= at {
            return None;
        }
        let touch_due = (at - entry.touched_at).num_seconds() >= TOUCH_EVERY_SECONDS;
        if touch_due {
            entry.touched_at = at;
        }
        Some(Hit {
            actor: entry.actor.clone(),
            touch_due,
        })
    }

    /// Remembers an actor loaded after reading `generation`. Loaded under a generation that
    /// has since moved on, it is not kept: it may predate the change.
    pub fn put(
        &self,
        generation: i64,
        key: String,
        actor: &Actor,
        valid_until: NaiveDateTime,
        at: NaiveDateTime,
    ) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if generation < inner.number {
            return;
        }
        if generation > inner.number || inner.entries.len() >= CAPACITY {
            inner.number = generation;
            inner.entries.clear();
        }
        inner.entries.insert(
            key,
            Entry {
                actor: actor.clone(),
                valid_until,
                touched_at: at,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{CompanyId, UserId};

    fn at(seconds: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + seconds, 0)
            .unwrap()
            .naive_utc()
    }

    fn actor(name: &str) -> Actor {
        Actor::without_rights(UserId::new(), CompanyId::new(), name.into(), None)
    }

    #[test]
    fn an_entry_lives_until_its_credential_runs_out_or_the_generation_moves() {
        let cache = ActorCache::default();
        cache.put(3, "k".into(), &actor("ann"), at(100), at(0));
        assert_eq!(cache.get(3, "k", at(50)).unwrap().actor.username, "ann");
        assert!(cache.get(3, "k", at(100)).is_none(), "expired credential");
        assert!(cache.get(3, "other", at(50)).is_none());
        assert!(cache.get(4, "k", at(50)).is_none(), "generation moved");
        assert!(cache.get(3, "k", at(50)).is_none(), "forgotten for good");
    }

    #[test]
    fn an_actor_loaded_before_a_change_is_not_kept_after_it() {
        let cache = ActorCache::default();
        cache.put(5, "new".into(), &actor("new"), at(100), at(0));
        cache.put(4, "old".into(), &actor("old"), at(100), at(0));
        assert!(cache.get(5, "old", at(1)).is_none());
        assert!(cache.get(5, "new", at(1)).is_some());
    }

    #[test]
    fn use_is_recorded_at_most_once_a_minute() {
        let cache = ActorCache::default();
        cache.put(1, "k".into(), &actor("key"), at(1000), at(0));
        assert!(!cache.get(1, "k", at(30)).unwrap().touch_due);
        assert!(cache.get(1, "k", at(60)).unwrap().touch_due);
        assert!(!cache.get(1, "k", at(90)).unwrap().touch_due);
        assert!(cache.get(1, "k", at(121)).unwrap().touch_due);
    }
}
