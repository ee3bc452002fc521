//! The cluster at a glance, at the top of the triage view: pods by health and nodes Ready, and
//! over the last minutes the CPU and memory the nodes use against what they can allocate
//! (metrics.k8s.io's NodeMetrics, read while the view is open) and the watch events a second.

use std::collections::VecDeque;

use jiff::{SignedDuration, Timestamp};

use super::state::App;
use crate::model::health::Health;
use crate::model::metrics::{Usage, UsageMap};

/// How far back the sparklines reach.
pub const HISTORY: SignedDuration = SignedDuration::from_secs(10 * 60);

/// Counted when the findings are worked out: pods by health, nodes Ready of all, and what the
/// nodes can allocate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pulse {
    pub healthy: usize,
    pub progressing: usize,
    pub failing: usize,
    pub unknown: usize,
    pub done: usize,
    pub nodes_ready: usize,
    pub nodes: usize,
    /// The nodes' allocatable CPU (millicores) and memory (bytes), summed.
    pub allocatable: Usage,
}

/// What the pulse's sparklines draw: each NodeMetrics reading summed over the nodes, and the
/// watch events counted between ticks.
#[derive(Debug, Default)]
pub struct PulseHistory {
    /// CPU and memory the nodes used, one sample a reading, oldest first.
    pub usage: VecDeque<(Timestamp, Usage)>,
    /// Watch events a second (changes after each kind's list), one sample a tick, oldest first.
    pub events: VecDeque<(Timestamp, f64)>,
    /// Events since the last sample, and when that sample was taken.
    counted: u64,
    counted_since: Option<Timestamp>,
}

impl PulseHistory {
    /// A NodeMetrics reading, summed.
    pub fn record_usage(&mut self, nodes: &UsageMap<String>, now: Timestamp) {
        let mut total = Usage::default();
        for usage in nodes.values() {
            total.cpu_millis += usage.cpu_millis;
            total.memory_bytes += usage.memory_bytes;
        }
        self.usage.push_back((now, total));
        trim(&mut self.usage, now);
    }

    /// One change a watch delivered after its list.
    pub fn count_event(&mut self) {
        self.counted += 1;
    }

    /// The clock moved on: the events counted since the last tick become a rate.
    pub fn tick(&mut self, now: Timestamp) {
        let Some(since) = self.counted_since.replace(now) else {
            self.counted = 0;
            return;
        };
        let seconds = now.duration_since(since).as_secs_f64();
        if seconds <= 0.0 {
            return;
        }
        self.events.push_back((now, self.counted as f64 / seconds));
        self.counted = 0;
        trim(&mut self.events, now);
    }

    /// The latest usage reading.
    pub fn latest_usage(&self) -> Option<Usage> {
        self.usage.back().map(|(_, usage)| *usage)
    }

    /// The latest event rate.
    pub fn latest_rate(&self) -> Option<f64> {
        self.events.back().map(|(_, rate)| *rate)
    }
}

/// Drops the samples older than `HISTORY`.
fn trim<T>(samples: &mut VecDeque<(Timestamp, T)>, now: Timestamp) {
    while samples
        .front()
        .is_some_and(|(at, _)| now.duration_since(*at) > HISTORY)
    {
        samples.pop_front();
    }
}

impl App {
    /// Pods by health, nodes Ready, and the nodes' allocatable.
    pub(crate) fn pulse(&self) -> Pulse {
        let pods = |health| self.resources.pods_with_health(health);
        let mut pulse = Pulse {
            healthy: pods(Health::Healthy),
            progressing: pods(Health::Progressing),
            failing: pods(Health::Failing),
            unknown: pods(Health::Unknown),
            done: pods(Health::Done),
            ..Pulse::default()
        };
        pulse.nodes = self.resources.nodes.len();
        for node in self.resources.nodes.values() {
            if matches!(node.health, Health::Healthy | Health::Progressing) {
                pulse.nodes_ready += 1;
            }
            let allocatable = &node.object.status.allocatable;
            pulse.allocatable.add_quantities(
                allocatable.get("cpu").map(|q| q.0.as_str()),
                allocatable.get("memory").map(|q| q.0.as_str()),
            );
        }
        pulse
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + seconds).expect("time")
    }

    #[test]
    fn events_become_a_rate_per_second_of_the_time_between_ticks() {
        let mut history = PulseHistory::default();
        history.count_event();
        history.tick(at(0));
        assert!(
            history.events.is_empty(),
            "the first tick only starts counting"
        );
        for _ in 0..30 {
            history.count_event();
        }
        history.tick(at(2));
        assert_eq!(history.latest_rate(), Some(15.0));
        history.tick(at(3));
        assert_eq!(history.latest_rate(), Some(0.0));
    }

    #[test]
    fn readings_are_summed_over_the_nodes_and_kept_for_ten_minutes() {
        let mut history = PulseHistory::default();
        let mut nodes = UsageMap::default();
        nodes.insert(
            "a".to_string(),
            Usage {
                cpu_millis: 250,
                memory_bytes: 1 << 30,
            },
        );
        nodes.insert(
            "b".to_string(),
            Usage {
                cpu_millis: 750,
                memory_bytes: 1 << 30,
            },
        );
        history.record_usage(&nodes, at(0));
        history.record_usage(&nodes, at(300));
        assert_eq!(
            history.latest_usage(),
            Some(Usage {
                cpu_millis: 1000,
                memory_bytes: 2 << 30
            })
        );
        history.record_usage(&nodes, at(601));
        assert_eq!(history.usage.len(), 2, "the reading at 0 s is 601 s old");
    }
}
