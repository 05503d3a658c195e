//! Deterministic synthetic interaction logs, for demos, tests and
//! benchmarks.
//!
//! A [`Scenario`] describes routes through the MOTs, detours, per-MOT
//! success rates that may drift over time, and how MOT failures lower the
//! chance of the SCO; [`Scenario::generate`] turns it into a [`Log`] from a
//! seed — the same seed always gives the same log, on every platform.
//! [`airline_scenario`] simulates the bundled airline experience.
//!
//! ```
//! use mot_core::{sample, simulate, Tracker, TrackerConfig};
//!
//! let x = sample::airline();
//! let log = simulate::airline_scenario(&x, 2_000, 42).generate();
//! let mut t = Tracker::new(&x, TrackerConfig::default());
//! log.ingest_into(&mut t)?;
//! assert_eq!(t.journeys(), 2_000);
//! assert_eq!(t.rejected().total(), 0);
//! # Ok::<(), mot_core::Error>(())
//! ```

use crate::events::{Columns, Ids, OutcomeColumns, TimeUnit};
use crate::{Error, Experience, IngestSummary, Tracker};

/// A small, fast, deterministic random number generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// Seeds a generator.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), with 53 random bits.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// A route through the MOTs that some journeys follow.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// MOT indexes, in order.
    pub mots: Vec<u32>,
    /// Relative share of journeys on this route.
    pub weight: f64,
}

/// How to simulate a log.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// MOT ids; routes and per-MOT vectors index into it.
    pub mot_ids: Vec<String>,
    /// Number of journeys.
    pub journeys: usize,
    /// Seed.
    pub seed: u64,
    /// First possible journey start, seconds since the epoch.
    pub start: i64,
    /// Journeys start uniformly over this many days.
    pub days: u32,
    /// The routes.
    pub routes: Vec<Route>,
    /// After each step, the chance of a detour to a random MOT.
    pub detour_rate: f64,
    /// Whether a detour replaces the step (true) or is inserted after it.
    pub detour_replaces: bool,
    /// A sequence of MOTs that a detour may take instead of one MOT (for
    /// example the steps of a contact-centre call), with its chance.
    pub detour_sequence: Option<(Vec<u32>, f64)>,
    /// Success probability of each MOT on day 0.
    pub success: Vec<f64>,
    /// Change of each MOT's success probability per day (negative: drifting
    /// down).
    pub drift: Vec<f64>,
    /// Chance of the SCO when nothing failed.
    pub base_sco: f64,
    /// For each MOT, the factor by which each of its failures multiplies the
    /// chance of the SCO (1.0: no effect).
    pub failure_penalty: Vec<f64>,
    /// Mean cost of an interaction with each MOT (costs vary ±50%).
    pub cost: Vec<f64>,
    /// Journey revenue is uniform in this range.
    pub revenue: (f64, f64),
    /// Producer ids per MOT (one is picked per interaction), if any.
    pub producers: Vec<Vec<String>>,
    /// Emit rows in time order across journeys instead of grouped by journey.
    pub interleave: bool,
    /// An incident: from a day on, one MOT's success probability drops.
    pub incident: Option<Incident>,
    /// Seconds between a journey's interactions: uniform in this range.
    pub step_gap: (i64, i64),
}

/// A sudden drop in one MOT's success, for demos of alerts.
#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    /// The MOT index.
    pub mot: u32,
    /// The first day (from the scenario's start) of the incident.
    pub from_day: u32,
    /// Its success probability during the incident.
    pub success: f64,
}

/// A generated log, as owned columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Log {
    /// MOT ids: `mot` holds indexes into it.
    pub mot_ids: Vec<String>,
    /// Producer ids: `producer` holds indexes into it (`u32::MAX`: none).
    pub producer_ids: Vec<String>,
    /// Journey id of each interaction.
    pub journey: Vec<u64>,
    /// MOT index of each interaction.
    pub mot: Vec<u32>,
    /// Timestamp of each interaction, in seconds.
    pub timestamp: Vec<i64>,
    /// Whether each interaction succeeded.
    pub success: Vec<bool>,
    /// Cost of each interaction.
    pub cost: Vec<f64>,
    /// Producer index of each interaction.
    pub producer: Vec<u32>,
    /// Journey id of each outcome.
    pub outcome_journey: Vec<u64>,
    /// Whether each journey produced the SCO.
    pub outcome_sco: Vec<bool>,
    /// Revenue of each journey.
    pub outcome_value: Vec<f64>,
}

impl Log {
    /// Number of interactions.
    pub fn len(&self) -> usize {
        self.journey.len()
    }

    /// Whether the log has no interactions.
    pub fn is_empty(&self) -> bool {
        self.journey.is_empty()
    }

    /// Runs `f` with the log as [`Columns`] and [`OutcomeColumns`]
    /// (MOTs dictionary-encoded, no copies of the numeric columns).
    pub fn with_columns<R>(&self, f: impl FnOnce(&Columns<'_>, &OutcomeColumns<'_>) -> R) -> R {
        let names: Vec<&str> = self.mot_ids.iter().map(String::as_str).collect();
        let producer_names: Vec<&str> = self.producer_ids.iter().map(String::as_str).collect();
        let mut events = Columns::new(
            Ids::U64(&self.journey),
            Ids::Dict {
                codes: &self.mot,
                values: &names,
            },
            &self.timestamp,
            &self.success,
        );
        events.time_unit = TimeUnit::Seconds;
        events.cost = Some(&self.cost);
        if !self.producer_ids.is_empty() {
            events.producer = Some(Ids::Dict {
                codes: &self.producer,
                values: &producer_names,
            });
        }
        let mut outcomes = OutcomeColumns::new(Ids::U64(&self.outcome_journey), &self.outcome_sco);
        outcomes.value = Some(&self.outcome_value);
        f(&events, &outcomes)
    }

    /// Feeds the whole log to a tracker.
    ///
    /// # Errors
    ///
    /// As [`Tracker::ingest`].
    pub fn ingest_into(&self, tracker: &mut Tracker) -> Result<IngestSummary, Error> {
        self.with_columns(|e, o| tracker.ingest(e, Some(o)))
    }

    /// The log as CSV text: `journey_id,mot_id,timestamp,success,cost`
    /// (plus `producer` when there are producers), and the outcomes as
    /// `journey_id,sco,value`.
    pub fn to_csv(&self) -> (String, String) {
        use std::fmt::Write as _;
        let with_producer = !self.producer_ids.is_empty();
        let mut events = String::from("journey_id,mot_id,timestamp,success,cost");
        events.push_str(if with_producer { ",producer\n" } else { "\n" });
        for i in 0..self.len() {
            let _ = write!(
                events,
                "{},{},{},{},{}",
                self.journey[i],
                self.mot_ids[self.mot[i] as usize],
                self.timestamp[i],
                self.success[i],
                self.cost[i]
            );
            if with_producer {
                let p = self
                    .producer_ids
                    .get(self.producer[i] as usize)
                    .map_or("", String::as_str);
                let _ = write!(events, ",{p}");
            }
            events.push('\n');
        }
        let mut outcomes = String::from("journey_id,sco,value\n");
        for i in 0..self.outcome_journey.len() {
            let _ = writeln!(
                outcomes,
                "{},{},{}",
                self.outcome_journey[i], self.outcome_sco[i], self.outcome_value[i]
            );
        }
        (events, outcomes)
    }
}

impl Scenario {
    /// Generates the log.
    pub fn generate(&self) -> Log {
        let mut rng = Rng::new(self.seed);
        let n = self.mot_ids.len().max(1) as u64;
        let total_weight: f64 = self.routes.iter().map(|r| r.weight).sum();
        let mut producer_ids: Vec<String> = Vec::new();
        let producer_index: Vec<Vec<u32>> = self
            .producers
            .iter()
            .map(|ps| {
                ps.iter()
                    .map(|p| match producer_ids.iter().position(|q| q == p) {
                        Some(i) => i as u32,
                        None => {
                            producer_ids.push(p.clone());
                            producer_ids.len() as u32 - 1
                        }
                    })
                    .collect()
            })
            .collect();
        let mut log = Log {
            mot_ids: self.mot_ids.clone(),
            producer_ids,
            ..Log::default()
        };
        let cap = self.journeys * 10;
        log.journey.reserve(cap);
        log.mot.reserve(cap);
        log.timestamp.reserve(cap);
        log.success.reserve(cap);
        log.cost.reserve(cap);
        let mut steps: Vec<u32> = Vec::with_capacity(32);
        for j in 0..self.journeys {
            let journey = j as u64 + 1;
            // Pick a route.
            let mut pick = rng.unit() * total_weight;
            let route = self
                .routes
                .iter()
                .find(|r| {
                    pick -= r.weight;
                    pick < 0.0
                })
                .or(self.routes.last());
            steps.clear();
            for &m in route.map_or(&[][..], |r| &r.mots) {
                if rng.unit() >= self.detour_rate {
                    steps.push(m);
                    continue;
                }
                if !self.detour_replaces {
                    steps.push(m);
                }
                match &self.detour_sequence {
                    Some((seq, p)) if rng.unit() < *p => steps.extend_from_slice(seq),
                    _ => steps.push(rng.below(n) as u32),
                }
            }
            let day = rng.below(u64::from(self.days.max(1))) as i64;
            let mut ts = self.start + day * 86_400 + 5 * 3_600 + rng.below(12 * 3_600) as i64;
            let mut p_sco = self.base_sco;
            for &m in &steps {
                let i = m as usize;
                let day_now = (ts - self.start).div_euclid(86_400) as f64;
                let mut p = (self.success.get(i).copied().unwrap_or(0.9)
                    + self.drift.get(i).copied().unwrap_or(0.0) * day_now)
                    .clamp(0.01, 0.999);
                if let Some(inc) = &self.incident
                    && inc.mot == m
                    && day_now >= f64::from(inc.from_day)
                {
                    p = inc.success;
                }
                let ok = rng.unit() < p;
                if !ok {
                    p_sco *= self.failure_penalty.get(i).copied().unwrap_or(1.0);
                }
                let mean = self.cost.get(i).copied().unwrap_or(1.0);
                log.journey.push(journey);
                log.mot.push(m);
                log.timestamp.push(ts);
                log.success.push(ok);
                log.cost
                    .push((mean * (0.5 + rng.unit()) * 100.0).round() / 100.0);
                log.producer.push(match producer_index.get(i) {
                    Some(ps) if !ps.is_empty() => ps[rng.below(ps.len() as u64) as usize],
                    _ => u32::MAX,
                });
                let (lo, hi) = self.step_gap;
                ts += lo + rng.below((hi - lo).max(1) as u64) as i64;
            }
            let sco = rng.unit() < p_sco;
            let (lo, hi) = self.revenue;
            log.outcome_journey.push(journey);
            log.outcome_sco.push(sco);
            log.outcome_value
                .push(((lo + (hi - lo) * rng.unit()) * 100.0).round() / 100.0);
        }
        if self.interleave {
            let mut order: Vec<usize> = (0..log.len()).collect();
            order.sort_by_key(|&i| (log.timestamp[i], i));
            log.journey = order.iter().map(|&i| log.journey[i]).collect();
            log.mot = order.iter().map(|&i| log.mot[i]).collect();
            log.timestamp = order.iter().map(|&i| log.timestamp[i]).collect();
            log.success = order.iter().map(|&i| log.success[i]).collect();
            log.cost = order.iter().map(|&i| log.cost[i]).collect();
            log.producer = order.iter().map(|&i| log.producer[i]).collect();
        }
        log
    }
}

/// How many journeys the bundled sample log has when no number is given
/// (`mot demo`, `mot.sample_log()`, `sampleLog()`).
pub const SAMPLE_JOURNEYS: usize = 20_000;
/// The seed of the bundled sample log when none is given.
pub const SAMPLE_SEED: u64 = 2026;

/// A scenario for an experience: journeys follow its designed journey,
/// skip `enabling` steps now and then, detour to random MOTs on 6% of
/// steps, and on 3% of those into any nested, off-path MOT sequence (the
/// contact-centre call); success rates start near each SMOTO target and two
/// MOTs drift down by a point every 10 days; MOTs declared `direct` weigh on
/// the SCO when they fail, `enabling` ones a little, `none` not at all; on
/// the last day `bag-drop` (if the experience has it) breaks down to 70%
/// success, so the demo has an incident to alert on. Journeys start between
/// 05:00 and 17:00 UTC, with 1–30 minutes between interactions. Starts on
/// 2026-08-01 and runs 90 days.
pub fn airline_scenario(x: &Experience, journeys: usize, seed: u64) -> Scenario {
    use crate::Contribution;
    let mots = x.mots();
    let idx = |id: &str| x.mot_index(id).map_or(0, |i| i as u32);
    let journey: Vec<u32> = x
        .designed_journey()
        .iter()
        .map(|m| idx(m.id.as_str()))
        .collect();
    let skippable: Vec<u32> = journey
        .iter()
        .copied()
        .filter(|&m| mots[m as usize].contribution != Contribution::Direct)
        .collect();
    let mut routes = vec![Route {
        mots: journey.clone(),
        weight: 0.6,
    }];
    for (k, &skip) in skippable.iter().enumerate() {
        routes.push(Route {
            mots: journey.iter().copied().filter(|&m| m != skip).collect(),
            weight: 0.4 / skippable.len() as f64 * if k % 2 == 0 { 1.5 } else { 0.5 },
        });
    }
    let off_path = x
        .mots()
        .iter()
        .find(|m| m.position.is_none() && !x.children(m.id.as_str()).is_empty())
        .map(|m| {
            x.children(m.id.as_str())
                .iter()
                .map(|c| idx(c.id.as_str()))
                .collect::<Vec<_>>()
        });
    let mut drift = vec![0.0; mots.len()];
    let mut drifting = journey
        .iter()
        .filter(|&&m| mots[m as usize].contribution == Contribution::Direct);
    for _ in 0..2 {
        if let Some(&m) = drifting.nth(1) {
            drift[m as usize] = -0.001;
        }
    }
    Scenario {
        mot_ids: mots.iter().map(|m| m.id.to_string()).collect(),
        journeys,
        seed,
        start: 1_785_542_400, // 2026-08-01T00:00:00Z
        days: 90,
        routes,
        detour_rate: 0.06,
        detour_replaces: false,
        detour_sequence: off_path.map(|seq| (seq, 0.5)),
        success: mots
            .iter()
            .map(|m| (m.smoto.target_rate.unwrap_or(0.9) + 0.02).min(0.995))
            .collect(),
        drift,
        base_sco: 0.97,
        failure_penalty: mots
            .iter()
            .map(|m| match m.contribution {
                Contribution::Direct => 0.55,
                Contribution::Enabling => 0.9,
                Contribution::Nothing => 1.0,
            })
            .collect(),
        cost: mots
            .iter()
            .map(|m| m.dimensions.as_ref().and_then(|d| d.cost).unwrap_or(2.0))
            .collect(),
        revenue: (180.0, 1_400.0),
        producers: mots
            .iter()
            .map(|m| m.producers.iter().map(|p| p.to_string()).collect())
            .collect(),
        interleave: false,
        incident: x.mot_index("bag-drop").map(|m| Incident {
            mot: m as u32,
            from_day: 89,
            success: 0.7,
        }),
        step_gap: (60, 30 * 60),
    }
}

/// The benchmark workload W1 scaled to `journeys`: 40 MOTs, 90 days, 12
/// routes of 4–15 steps (9.5 interactions per journey on average), 10% of
/// steps replaced by a detour to a random MOT, success 0.55–0.99 with four MOTs drifting
/// down, the SCO depending on failures of half the MOTs.
pub fn w1(journeys: usize, seed: u64) -> Scenario {
    let mots = 40usize;
    let mut rng = Rng::new(seed ^ 0x5731);
    let routes = (0..12)
        .map(|r| {
            // Lengths 4..=15 spread evenly, so the mean is ~9.5 with detours.
            let len = 4 + r as usize;
            let mut picks: Vec<u32> = (0..mots as u32).collect();
            for i in 0..mots {
                let j = i + rng.below((mots - i) as u64) as usize;
                picks.swap(i, j);
            }
            let mut route: Vec<u32> = picks[..len].to_vec();
            route.sort_unstable();
            Route {
                mots: route,
                weight: 1.0,
            }
        })
        .collect();
    Scenario {
        mot_ids: (0..mots).map(|m| format!("mot-{m:02}")).collect(),
        journeys,
        seed,
        start: 1_785_542_400,
        days: 90,
        routes,
        detour_rate: 0.1,
        detour_replaces: true,
        detour_sequence: None,
        success: (0..mots)
            .map(|m| 0.55 + 0.44 * (m as f64 / (mots - 1) as f64))
            .collect(),
        drift: (0..mots)
            .map(|m| if m % 10 == 3 { -0.0015 } else { 0.0 })
            .collect(),
        base_sco: 0.95,
        failure_penalty: (0..mots)
            .map(|m| if m % 2 == 0 { 0.7 } else { 1.0 })
            .collect(),
        cost: (0..mots).map(|m| 1.0 + (m % 7) as f64).collect(),
        revenue: (50.0, 500.0),
        producers: Vec::new(),
        interleave: false,
        incident: None,
        step_gap: (60, 3 * 3_600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_uniform() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut r = Rng::new(1);
        let mean = (0..100_000).map(|_| r.unit()).sum::<f64>() / 100_000.0;
        assert!((mean - 0.5).abs() < 0.01);
        assert!((0..1000).all(|_| r.below(10) < 10));
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn w1_shape() {
        let log = w1(20_000, 1).generate();
        let per = log.len() as f64 / 20_000.0;
        assert!((9.2..9.8).contains(&per), "{per}");
        assert_eq!(log.outcome_journey.len(), 20_000);
        assert_eq!(w1(100, 3).generate(), w1(100, 3).generate());
    }
}
