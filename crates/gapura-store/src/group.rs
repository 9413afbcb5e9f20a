//! Group commit: many callers, one writer thread, one transaction (one fsync) for everything
//! that arrived while the previous commit was on disk.

use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;

use gapura_domain::Event;
use gapura_ledger::{ActorId, EntryDraft};

use crate::store::drafts;
use crate::{Ack, Store, StoreError};

/// The most events one group commit takes.
pub const GROUP_COMMIT_EVENTS_MAX: usize = 2_048;
/// Requests that may wait for the writer; callers block beyond this.
const GROUP_COMMIT_QUEUE_MAX: usize = 8_192;

type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

struct Request {
    drafts: Vec<EntryDraft>,
    reply: mpsc::Sender<Result<Vec<Ack>, StoreError>>,
}

enum Msg {
    Append(Request),
    /// Everything queued before this commits; then the writer stops, whatever handles remain.
    Stop,
}

/// Owns a store on a writer thread and commits appends from many threads in groups.
pub struct GroupCommitter {
    tx: Option<mpsc::SyncSender<Msg>>,
    clock: Clock,
    thread: Option<JoinHandle<Store>>,
}

/// A cheap handle to append through a `GroupCommitter` from any thread.
#[derive(Clone)]
pub struct GroupHandle {
    tx: mpsc::SyncSender<Msg>,
    clock: Clock,
}

impl GroupCommitter {
    pub fn start(mut store: Store, clock: Clock) -> GroupCommitter {
        let (tx, rx) = mpsc::sync_channel::<Msg>(GROUP_COMMIT_QUEUE_MAX);
        let writer_clock = clock.clone();
        let thread = std::thread::spawn(move || {
            let mut stopping = false;
            while !stopping {
                let Ok(Msg::Append(first)) = rx.recv() else { break };
                let mut events = first.drafts.len();
                let mut batch = vec![first];
                while events < GROUP_COMMIT_EVENTS_MAX {
                    match rx.try_recv() {
                        Ok(Msg::Append(r)) => {
                            events += r.drafts.len();
                            batch.push(r);
                        }
                        Ok(Msg::Stop) => {
                            stopping = true;
                            break;
                        }
                        Err(_) => break,
                    }
                }
                commit_group(&mut store, batch, writer_clock());
            }
            store
        });
        GroupCommitter { tx: Some(tx), clock, thread: Some(thread) }
    }

    pub fn handle(&self) -> GroupHandle {
        GroupHandle {
            tx: self.tx.clone().unwrap_or_else(|| unreachable!("the sender lives until shutdown")),
            clock: self.clock.clone(),
        }
    }

    /// Stops taking appends, lets every queued append commit, and returns the store.
    pub fn shutdown(mut self) -> Store {
        if let Some(tx) = self.tx.take() {
            // The writer only stops on this message or when every sender is gone; if it has
            // already stopped, the send fails and there is nothing to wait for.
            let _ = tx.send(Msg::Stop);
        }
        let thread = self.thread.take().unwrap_or_else(|| unreachable!("joined only here"));
        // A panic on the writer thread is a bug of ours; carry it to the caller.
        thread.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
    }
}

fn commit_group(store: &mut Store, batch: Vec<Request>, now_ms: i64) {
    let all: Vec<EntryDraft> = batch.iter().flat_map(|r| r.drafts.iter().cloned()).collect();
    match store.append_drafts(&all, now_ms) {
        Ok(acks) => {
            let mut acks = acks.into_iter();
            for r in batch {
                let mine: Vec<Ack> = acks.by_ref().take(r.drafts.len()).collect();
                // A caller that stopped waiting has nothing to be told.
                let _ = r.reply.send(Ok(mine));
            }
        }
        Err(e) if batch.len() == 1 => {
            let _ = batch.into_iter().next().map(|r| r.reply.send(Err(e)));
        }
        Err(_) => {
            // One bad request must not fail the others: commit them one by one.
            for r in batch {
                let _ = r.reply.send(store.append_drafts(&r.drafts, now_ms));
            }
        }
    }
}

impl GroupHandle {
    /// Appends events and returns once they are committed (or refused).
    pub fn append(&self, actor: &ActorId, events: &[Event]) -> Result<Vec<Ack>, StoreError> {
        self.send(drafts(actor, events, (self.clock)())?)
    }

    /// Appends events that different actors caused, in order, in one commit.
    pub fn append_as(&self, events: &[(ActorId, Event)]) -> Result<Vec<Ack>, StoreError> {
        let now = (self.clock)();
        let mut all = Vec::with_capacity(events.len());
        for (actor, event) in events {
            all.extend(drafts(actor, std::slice::from_ref(event), now)?);
        }
        self.send(all)
    }

    fn send(&self, drafts: Vec<EntryDraft>) -> Result<Vec<Ack>, StoreError> {
        let (reply, rx) = mpsc::channel();
        self.tx
            .send(Msg::Append(Request { drafts, reply }))
            .map_err(|_| StoreError::CannotAppend("the writer has shut down".into()))?;
        rx.recv().map_err(|_| StoreError::CannotAppend("the writer stopped before committing".into()))?
    }
}
