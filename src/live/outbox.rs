//! A connection's outgoing queue, bounded in bytes. The hub pushes with `try_push` and never
//! waits; when a push would pass the limit the connection is told to close as "slow" (it
//! resumes with `since`: the event log has everything).

use std::sync::atomic::{AtomicBool, AtomicU16, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, Notify};

/// Bytes of frames a connection may have waiting before it is closed as slow.
pub const MAX_QUEUED_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Frame {
    /// Event frames carry their seq so the connection can drop what it already sent.
    pub seq: Option<i64>,
    pub text: Arc<str>,
    /// Whose access this event may have ended (the staff id of `member.removed`, the token id
    /// of `display_token.revoked`): only that person's or that screen's connections recheck
    /// their right to the stream after sending it, not every socket of the team.
    pub revokes: Option<Arc<str>>,
    /// Event frames: when the event was appended (µs since the Unix epoch, the row's `at`),
    /// for the fan-out lag metric.
    pub appended_us: Option<i64>,
}

#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::UnboundedSender<Frame>,
    queued: Arc<AtomicUsize>,
    slow: Arc<AtomicBool>,
    close_code: Arc<AtomicU16>,
    wake: Arc<Notify>,
    limit: usize,
}

pub struct Inbox {
    pub rx: mpsc::UnboundedReceiver<Frame>,
    queued: Arc<AtomicUsize>,
    slow: Arc<AtomicBool>,
    close_code: Arc<AtomicU16>,
    pub wake: Arc<Notify>,
}

pub fn channel(limit: usize) -> (Outbox, Inbox) {
    let (tx, rx) = mpsc::unbounded_channel();
    let queued = Arc::new(AtomicUsize::new(0));
    let slow = Arc::new(AtomicBool::new(false));
    let wake = Arc::new(Notify::new());
    let close_code = Arc::new(AtomicU16::new(0));
    (
        Outbox {
            tx,
            queued: queued.clone(),
            slow: slow.clone(),
            close_code: close_code.clone(),
            wake: wake.clone(),
            limit,
        },
        Inbox {
            rx,
            queued,
            slow,
            close_code,
            wake,
        },
    )
}

impl Outbox {
    /// Ask the connection to close at once with `code` (e.g. 1001 when the server stops).
    pub fn close(&self, code: u16) {
        self.close_code.store(code, Ordering::Release);
        self.wake.notify_one();
    }

    /// Queue a frame without waiting. `false`: the connection is (now) too slow or gone and
    /// must be dropped by the caller.
    pub fn try_push(&self, frame: Frame) -> bool {
        if self.slow.load(Ordering::Relaxed) {
            return false;
        }
        let len = frame.text.len();
        let before = self.queued.fetch_add(len, Ordering::AcqRel);
        if before + len > self.limit {
            self.slow.store(true, Ordering::Release);
            self.wake.notify_one();
            return false;
        }
        self.tx.send(frame).is_ok()
    }
}

impl Inbox {
    /// Called once a frame has been written (or skipped).
    pub fn done(&self, frame: &Frame) {
        self.queued.fetch_sub(frame.text.len(), Ordering::AcqRel);
    }

    pub fn is_slow(&self) -> bool {
        self.slow.load(Ordering::Acquire)
    }

    /// A close requested by the hub (server shutdown), if any.
    pub fn close_code(&self) -> Option<u16> {
        Some(self.close_code.load(Ordering::Acquire)).filter(|c| *c != 0)
    }

    pub fn queued_bytes(&self) -> usize {
        self.queued.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(n: usize) -> Frame {
        Frame {
            seq: None,
            text: Arc::from("x".repeat(n)),
            revokes: None,
            appended_us: None,
        }
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
}
