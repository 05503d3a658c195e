//! Reusable buffers for closing journeys ([`Scratch`]) and the trend
//! period of a timestamp in nanoseconds ([`NanosPeriod`]).

use super::{Class, NANOS, chain, variants};
use crate::Period;
use crate::conformance::{Design, GapScratch};
use crate::trend::PeriodCache;

/// Reusable buffers for closing journeys.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scratch {
    pub(crate) seq: Vec<u32>,
    /// Per MOT, its [`Mark`] in the current journey: `clock << 2` when the
    /// journey met it, with the flags.
    pub(crate) marks: Vec<u64>,
    /// The current journey's number (its marks' high bits).
    pub(crate) clock: u64,
    /// The state the current journey is in (0: start, `m + 1`: MOT `m`).
    pub(crate) prev: u32,
    /// ... and its (MOT, failed) state ([`crate::risk::state`]).
    pub(crate) prev_risk: u32,
    /// Whether closed journeys add to the variants.
    pub(crate) track_variants: bool,
    /// Whether durations are measured ([`TrackerConfig::durations`](super::TrackerConfig::durations)).
    pub(crate) durations: bool,
    /// Whether they are queued in `batch` (a bulk read) rather than added
    /// at once; [`Aggregates::flush`](super::Aggregates::flush) adds the queue.
    pub(crate) batching: bool,
    pub(crate) batch: variants::Batch,
    /// During a bulk read of known MOTs, the transitions' counts.
    pub(crate) chain: chain::Chain,
    /// Whether the queue is left in `batch` when a bulk read ends, for the
    /// read of several parts to add every part's at once (`parts.rs`).
    pub(crate) defer_variants: bool,
    /// In a part of a read in parts, how it numbers the MOTs as the
    /// merged tracker will (`parts.rs`).
    pub(crate) handoff: Option<super::parts::Handoff>,
    /// The threads a bulk read's variants may be added on
    /// ([`TrackerConfig::threads`](super::TrackerConfig::threads)).
    pub(crate) threads: usize,
    /// Per MOT index, whether an interaction with it produces the SCO
    /// ([`TrackerConfig::sco_reached`](super::TrackerConfig::sco_reached)); empty without a rule.
    pub(crate) sco_rule: Vec<bool>,
    /// Timestamps (ns) of the current journey's first and latest
    /// interaction.
    pub(crate) first_ts: i64,
    pub(crate) last_ts: i64,
    /// The trend period of a journey's first interaction (conformance
    /// counts a journey there).
    pub(crate) first_period: NanosPeriod,
    /// The designed journey, encoded; `None` without one.
    pub(crate) design: Option<Design>,
    pub(crate) gap: GapScratch,
}

/// The flags of an MOT's mark in the current journey
/// ([`Scratch::marks`]): one word, read and written once an interaction.
pub(crate) struct Mark;

impl Mark {
    /// An interaction with the MOT had a known success...
    pub(crate) const JUDGED: u64 = 1;
    /// ... and one failed.
    pub(crate) const FAILED: u64 = 2;

    /// The flags an interaction with this `success` sets.
    #[inline(always)]
    pub(crate) fn of(success: Option<bool>) -> u64 {
        match success {
            None => 0,
            Some(true) => Mark::JUDGED,
            Some(false) => Mark::JUDGED | Mark::FAILED,
        }
    }
}

/// [`PeriodCache`] for timestamps in nanoseconds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NanosPeriod {
    cache: PeriodCache,
    lo: i64,
    hi: i64,
    index: i64,
}

impl Default for NanosPeriod {
    fn default() -> NanosPeriod {
        NanosPeriod::new(Period::Day)
    }
}

impl NanosPeriod {
    pub(crate) fn new(period: Period) -> NanosPeriod {
        NanosPeriod {
            cache: PeriodCache::new(period),
            lo: 1,
            hi: 0,
            index: 0,
        }
    }

    /// The period index of `ns` nanoseconds since the epoch.
    #[inline]
    pub(crate) fn index(&mut self, ns: i64) -> i64 {
        if ns < self.lo || ns >= self.hi {
            let (index, lo, hi) = self.cache.bounds(ns.div_euclid(NANOS));
            self.index = index;
            self.lo = lo.saturating_mul(NANOS);
            self.hi = hi.saturating_mul(NANOS);
        }
        self.index
    }
}

impl Scratch {
    /// The class of a journey closed with `outcome` (`None`: none given):
    /// the outcome when given, else the SCO rule when there is one.
    #[inline]
    pub(crate) fn class_of(
        &self,
        outcome: Option<Class>,
        mut events: impl Iterator<Item = (u32, Option<bool>)>,
    ) -> Class {
        match outcome {
            Some(class) => class,
            None if self.sco_rule.is_empty() => Class::Unknown,
            None => {
                let reached = events.any(|(m, ok)| {
                    ok != Some(false) && self.sco_rule.get(m as usize).copied().unwrap_or(false)
                });
                if reached { Class::Sco } else { Class::NoSco }
            }
        }
    }
}
