//! A result of the worker and the scenario it was computed for: what a screen shows, what is in
//! flight, and whether the two still agree.

use std::time::Duration;

use crate::domain::sim::Scenario;
use crate::worker::{JobId, Output, Reply, Request, Worker};

/// A result and the scenario it was computed for.
pub struct Slot<T> {
    pub value: Option<T>,
    /// The inputs the value (or the job in flight) is for.
    pub key: Option<Scenario>,
    pub job: Option<JobId>,
    pub error: Option<String>,
    /// How long the worker took for the value on screen.
    pub elapsed: Option<Duration>,
    /// The value is the worker's first answer; the exact one is still being computed.
    pub provisional: bool,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot {
            value: None,
            key: None,
            job: None,
            error: None,
            elapsed: None,
            provisional: false,
        }
    }
}

impl<T> Slot<T> {
    /// Asks for a new value when `key` differs from what is on screen or in flight.
    pub fn refresh(
        &mut self,
        worker: &mut Worker,
        key: &Scenario,
        request: impl FnOnce() -> Request,
    ) {
        if self.key.as_ref() != Some(key) {
            self.job = Some(worker.replace(self.job, request()));
            self.key = Some(key.clone());
        }
    }

    pub fn pending(&self, worker: &Worker) -> bool {
        self.job.is_some_and(|j| worker.is_running(j))
    }

    /// Takes the reply when it is for this slot's job.
    pub fn accept(
        &mut self,
        reply: &mut Option<Reply>,
        take: impl FnOnce(Output) -> Option<T>,
    ) -> bool {
        let Some(r) = reply.as_ref() else {
            return false;
        };
        if Some(r.id()) != self.job {
            return false;
        }
        match reply.take() {
            Some(Reply::Finished {
                result, elapsed, ..
            }) => {
                match result {
                    Ok(output) => {
                        if let Some(v) = take(output) {
                            self.value = Some(v);
                            self.error = None;
                            self.elapsed = Some(elapsed);
                        }
                    }
                    Err(e) => self.error = Some(e),
                }
                self.provisional = false;
                self.job = None;
                true
            }
            Some(Reply::Provisional { output, .. }) => {
                // a first answer: shown at once, marked, and the job goes on
                if let Some(v) = take(output) {
                    self.value = Some(v);
                    self.error = None;
                    self.provisional = true;
                }
                true
            }
            Some(Reply::Cancelled { .. }) => {
                self.job = None;
                true
            }
            _ => false,
        }
    }
}
