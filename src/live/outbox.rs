//! A connection's outgoing queue, bounded in bytes. The hub pushes with `try_push` and never
//! waits; when a push would pass the limit the connection is told to close as "slow" (it
//! resumes with `since`: the event log has everything).
//!
//! Encode once, send many: a `Frame` is one reference-counted allocation holding the frame's
//! finished text (`ByteString`, itself a shared buffer). The hub builds it once per event and
//! audience; every connection's queue holds a pointer to it, and the websocket layer gets a
//! clone of the same bytes (no per-connection copy or JSON work).

use bytestring::ByteString;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{futures::Notified, mpsc, Notify};

/// Bytes of frames a connection may have waiting before it is closed as slow.
pub const MAX_QUEUED_BYTES: usize = 1024 * 1024;

#[derive(Debug)]
pub struct FrameData {
    /// Event frames carry their seq so the connection can drop what it already sent.
    pub seq: Option<i64>,
    /// The frame's JSON text, encoded once.
    pub text: ByteString,
    /// Whose access this event may have ended (the staff id of `member.removed`, the token id
    /// of `display_token.revoked`): only that person's or that screen's connections recheck
    /// their right to the stream after sending it, not every socket of the team.
    pub revokes: Option<Box<str>>,
    /// Event frames: when the event was appended (µs since the Unix epoch, the row's `at`),
    /// for the fan-out lag metric.
    pub appended_us: Option<i64>,
}

/// One frame shared by every connection it goes to: cloning is a reference count.
#[derive(Debug, Clone)]
pub struct Frame(Arc<FrameData>);

impl Frame {
    /// An event frame (`seq`, `appended_us` set) or, with `None`s, a control frame.
    pub fn new(
        seq: Option<i64>,
        text: String,
        revokes: Option<&str>,
        appended_us: Option<i64>,
    ) -> Self {
        Frame(Arc::new(FrameData {
            seq,
            text: ByteString::from(text),
            revokes: revokes.map(Box::from),
            appended_us,
        }))
    }

    /// A frame that is not an event (tick, presence).
    pub fn control(text: String) -> Self {
        Self::new(None, text, None, None)
    }
}

impl Deref for Frame {
    type Target = FrameData;
    fn deref(&self) -> &FrameData {
        &self.0
    }
}

/// What the hub's side and the connection's side share: one allocation per connection.
struct Shared {
    queued: AtomicUsize,
    slow: AtomicBool,
    close_code: AtomicU16,
    wake: Notify,
    limit: usize,
}

#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::UnboundedSender<Frame>,
    shared: Arc<Shared>,
}

pub struct Inbox {
    pub rx: mpsc::UnboundedReceiver<Frame>,
    shared: Arc<Shared>,
}

/// The connection's end of the wake-up: fires when it is declared slow or asked to close.
#[derive(Clone)]
pub struct Waker(Arc<Shared>);

impl Waker {
    pub fn notified(&self) -> Notified<'_> {
        self.0.wake.notified()
    }
}

pub fn channel(limit: usize) -> (Outbox, Inbox) {
    let (tx, rx) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        queued: AtomicUsize::new(0),
        slow: AtomicBool::new(false),
        close_code: AtomicU16::new(0),
        wake: Notify::new(),
        limit,
    });
    (
        Outbox {
            tx,
            shared: shared.clone(),
        },
        Inbox { rx, shared },
    )
}

impl Outbox {
    /// Ask the connection to close at once with `code` (e.g. 1001 when the server stops).
    pub fn close(&self, code: u16) {
        self.shared.close_code.store(code, Ordering::Release);
        self.shared.wake.notify_one();
    }

    /// Queue a frame without waiting. `false`: the connection is (now) too slow or gone and
    /// must be dropped by the caller.
    pub fn try_push(&self, frame: Frame) -> bool {
        let s = &*self.shared;
        if s.slow.load(Ordering::Relaxed) {
            return false;
        }
        let len = frame.text.len();
        let before = s.queued.fetch_add(len, Ordering::AcqRel);
        if before + len > s.limit {
            s.slow.store(true, Ordering::Release);
            s.wake.notify_one();
            return false;
        }
        self.tx.send(frame).is_ok()
    }
}

impl Inbox {
    /// Called once a frame has been written (or skipped).
    pub fn done(&self, frame: &Frame) {
        self.shared
            .queued
            .fetch_sub(frame.text.len(), Ordering::AcqRel);
    }

    pub fn is_slow(&self) -> bool {
        self.shared.slow.load(Ordering::Acquire)
    }

    /// A close requested by the hub (server shutdown), if any.
    pub fn close_code(&self) -> Option<u16> {
        Some(self.shared.close_code.load(Ordering::Acquire)).filter(|c| *c != 0)
    }

    pub fn queued_bytes(&self) -> usize {
        self.shared.queued.load(Ordering::Relaxed)
    }

    /// The wake-up (slow, close) as a handle the connection can hold a pinned `notified()`
    /// future of across its loop, instead of registering a new waiter for every frame.
    pub fn waker(&self) -> Waker {
        Waker(self.shared.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(n: usize) -> Frame {
        Frame::control("x".repeat(n))
    }

    #[test]
    fn bounded_in_bytes() {
        let (out, mut inbox) = channel(100);
        assert!(out.try_push(frame(60)));
        assert!(!out.try_push(frame(60)), "would pass the limit");
        assert!(inbox.is_slow());
        assert!(!out.try_push(frame(1)), "stays closed");
        let f = inbox.rx.try_recv().unwrap();
        inbox.done(&f);
        assert!(inbox.rx.try_recv().is_err());
    }

    #[test]
    fn drains_make_room() {
        let (out, mut inbox) = channel(100);
        for _ in 0..10 {
            assert!(out.try_push(frame(50)));
            let f = inbox.rx.try_recv().unwrap();
            inbox.done(&f);
        }
        assert_eq!(inbox.queued_bytes(), 0);
    }

    #[test]
    fn one_encoding_shared_by_every_queue() {
        let f = Frame::new(
            Some(7),
            "{\"type\":\"event\"}".into(),
            Some("staff-1"),
            Some(1),
        );
        let (a, mut ia) = channel(1000);
        let (b, mut ib) = channel(1000);
        assert!(a.try_push(f.clone()));
        assert!(b.try_push(f.clone()));
        let (fa, fb) = (ia.rx.try_recv().unwrap(), ib.rx.try_recv().unwrap());
        // Same allocation, same bytes: nothing was copied per connection.
        assert!(std::ptr::eq(&*fa, &*fb));
        assert_eq!(fa.text.as_ptr(), f.text.as_ptr());
        // The websocket layer's copy of the text is a reference too.
        let sent: ByteString = fa.text.clone();
        assert_eq!(sent.as_ptr(), f.text.as_ptr());
        assert_eq!(fa.revokes.as_deref(), Some("staff-1"));
        assert!(
            std::mem::size_of::<Frame>() <= 8,
            "a queue slot is one pointer"
        );
    }
}
