//! The `Idempotency-Key` of the API request being worked on, carried with its task (as a
//! tracing span is) down to the store. The write that makes the request's change keeps the
//! request's answer in its own transaction: after a crash, a retry finds the answer kept, or
//! nothing done.

use std::any::Any;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::KeptAnswer;

/// How a request's answer is made from the value its change's write returns: `None` for a
/// value of another type.
type AnswerOf = Box<dyn Fn(&dyn Any) -> Option<KeptAnswer> + Send>;

/// A keyed request: whose key it is, what the request was, and how its answer is made.
pub struct KeyedRequest {
    pub user_id: i64,
    pub key: String,
    pub fingerprint: String,
    answer_of: Mutex<Option<AnswerOf>>,
    /// Set once a write took `answer_of`: from then on, only that write's transaction keeps the
    /// answer (a write must not be tried again after it took it).
    taken: AtomicBool,
}

/// The key and answer a write keeps with its change.
pub struct AnswerToKeep {
    pub user_id: i64,
    pub key: String,
    pub fingerprint: String,
    pub answer: KeptAnswer,
}

tokio::task_local! {
    static KEYED: Arc<KeyedRequest>;
}

impl KeyedRequest {
    pub fn new(user_id: i64, key: String, fingerprint: String) -> Arc<Self> {
        Arc::new(KeyedRequest { user_id, key, fingerprint, answer_of: Mutex::new(None), taken: AtomicBool::new(false) })
    }

    /// Runs `work` (the request's handler) as this request: its writes see the key.
    pub async fn scope<F: Future>(self: &Arc<Self>, work: F) -> F::Output {
        KEYED.scope(self.clone(), work).await
    }

    /// Whether a write took the answer to keep with its change (kept, if that committed).
    pub fn answer_taken(&self) -> bool {
        self.taken.load(Ordering::SeqCst)
    }
}

/// Says how the answer of the keyed request being worked on (if any) is made from the value of
/// type `T` its change's write returns.
pub fn answer_with<T: Any>(build: impl Fn(&T) -> KeptAnswer + Send + 'static) {
    let answer_of: AnswerOf = Box::new(move |value| value.downcast_ref::<T>().map(&build));
    let _ = KEYED.try_with(|request| {
        *request.answer_of.lock().unwrap_or_else(PoisonError::into_inner) = Some(answer_of);
    });
}

/// The key and answer to keep with the change whose write returns `value`: for a keyed request
/// whose answer is made from a value of its type, once.
pub fn answer_to_keep(value: &dyn Any) -> Option<AnswerToKeep> {
    KEYED
        .try_with(|request| {
            let mut answer_of = request.answer_of.lock().unwrap_or_else(PoisonError::into_inner);
            let answer = answer_of.as_ref()?(value)?;
            *answer_of = None;
            request.taken.store(true, Ordering::SeqCst);
            Some(AnswerToKeep {
                user_id: request.user_id,
                key: request.key.clone(),
                fingerprint: request.fingerprint.clone(),
                answer,
            })
        })
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> KeptAnswer {
        KeptAnswer { status: 201, headers: vec![], body: body.into() }
    }

    #[tokio::test]
    async fn the_answer_is_made_once_from_a_value_of_the_type_expected() {
        let request = KeyedRequest::new(7, "key-1".into(), "print".into());
        request
            .scope(async {
                answer_with(|id: &i64| answer(&id.to_string()));
                assert!(answer_to_keep(&"not an id").is_none(), "a value of another type");
                let kept = answer_to_keep(&42_i64).expect("the value expected");
                assert_eq!((kept.user_id, kept.key.as_str(), kept.answer.body.as_str()), (7, "key-1", "42"));
                assert!(answer_to_keep(&43_i64).is_none(), "a second write keeps nothing");
            })
            .await;
        assert!(request.answer_taken());
    }

    #[tokio::test]
    async fn outside_a_keyed_request_nothing_is_kept() {
        answer_with(|id: &i64| answer(&id.to_string()));
        assert!(answer_to_keep(&42_i64).is_none());
    }
}
