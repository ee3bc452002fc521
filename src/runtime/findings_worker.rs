//! Triage's worker: a thread of its own that works the findings out (`FindingsJob`) while the
//! loop goes on answering keys. It runs at the lowered priority of the runtime's threads, so on
//! a busy machine a key is answered before it takes its turn.

use std::sync::mpsc;

use anyhow::{Context, Result};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::app::findings_job::{FindingsJob, WorkedFindings};

/// The worker, fed jobs, answering each; it ends when this is dropped.
pub struct FindingsWorker {
    jobs: mpsc::Sender<Box<FindingsJob>>,
    /// The answers, in the jobs' order.
    pub worked: UnboundedReceiver<WorkedFindings>,
}

impl FindingsWorker {
    pub fn start() -> Result<Self> {
        let (jobs, waiting) = mpsc::channel::<Box<FindingsJob>>();
        let (answer, worked): (UnboundedSender<WorkedFindings>, _) = unbounded_channel();
        std::thread::Builder::new()
            .name("findings".into())
            .spawn(move || {
                super::priority::lower_this_thread();
                while let Ok(job) = waiting.recv() {
                    if answer.send(job.work_out()).is_err() {
                        break;
                    }
                }
            })
            .context("cannot start triage's worker")?;
        Ok(FindingsWorker { jobs, worked })
    }

    /// Hands a job over. A worker gone (it panicked) is found by the loop when no answer
    /// can come any more.
    pub fn hand(&self, job: Box<FindingsJob>) {
        let _ = self.jobs.send(job);
    }
}
