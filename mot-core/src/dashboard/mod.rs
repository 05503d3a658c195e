//! The dashboard: every metric of the method, as one JSON contract.
//!
//! [`Dashboard::build`] turns a [`Tracker`](crate::Tracker)'s state (and, optionally, the
//! [`Experience`](crate::Experience) it measures) into the seven metrics of an MOT dashboard —
//! **Amount, Type, Ownership, Alignment, Trend, Ratio, Impact** — plus SMOTO
//! and SCO rates with Wilson 95% intervals, the five-dimension evaluation,
//! directly-follows counts and variants, the Design–Implementation gap
//! (every journey against the designed journey, [`conformance`](crate::conformance)),
//! the journey in time ([`timing`](crate::timing)), course-correction alerts,
//! and the rows rejected by reason.
//!
//! # The contract `mot.dashboard/1`
//!
//! Serialised with serde, the dashboard is the JSON every language returns
//! identically (Rust, Python's `Dashboard.to_dict()`, JavaScript's
//! `dashboard()`); its JSON Schema is `mot-core/schema/mot.dashboard-1.schema.json`.
//! Numbers that cannot be computed (a rate of zero interactions, a lift with
//! an empty group) are `null`, never NaN. Fixed names include:
//!
//! | field | meaning |
//! |---|---|
//! | `sco.journeys`, `sco.successes`, `sco.rate`, `sco.ci_low`, `sco.ci_high` | journeys with a known outcome, those that produced the SCO, the rate and its Wilson 95% interval |
//! | `ratio.interactions_per_journey` | interactions of closed journeys ÷ closed journeys |
//! | `rejected` | rows rejected, by reason (every reason listed) |
//! | `mots[].id`, `interactions`, `successes`, `smoto_rate`, `ci_low`, `ci_high` | SMOTO production with its Wilson 95% interval |
//! | `mots[].lift` | P(SCO ∣ occurred, never failed) − P(SCO ∣ failed at least once); `null` when a group is empty |
//! | `mots[].removal_effect` | exact Markov removal effect ([`impact`](crate::impact)) |
//! | `mots[].trend_slope_per_day` | least-squares slope of the per-UTC-day SMOTO rate on the day index, each day with ≥ 1 interaction weighing equally |
//! | `mots[].alignment` | `magic`, `misery`, `neutral`, `unaligned` or `unmeasured` ([`alignment`](crate::alignment)) |
//! | `conformance.rate`, `ci_low`, `ci_high`, `mean_fitness`, `mean_cost`, `deviations`, `sco_when_conforming`, `sco_when_deviating`, `lift`, `trend[]` | closed journeys against the designed journey ([`Conformance`]); `null` without a design |
//! | `mots[].gap` | steps with the MOT skipped (`missing`), repeated (`extra`), or taken off the design (`undesigned`) |
//! | `variants.top[].cost`, `fitness` | a listed variant's deviation cost n + m − 2·LCS and fitness |
//! | `directly_follows.edges[].duration`, `journey_duration` | `{count, mean_s, p50_s, p90_s, p99_s}`: time between MOTs and first to last interaction ([`Duration`]) |
//!
//! # Order of lists
//!
//! Everything is ordered so that the same data always gives the same JSON,
//! whatever the order of rows or journeys: `mots` and `trends` in the
//! experience's order, then MOTs it does not know by id (in discovery mode,
//! only MOTs seen in the data, by id); `types` unknown type first, then
//! `PP PS SP SS PO OP`; `ownership.owners` in the order of the experience's
//! people; `producers` by id; `alerts` by MOT, then kind, the `conformance`
//! alert last; `conformance.designed` in design order; directly-follows
//! edges and start/end counts by count (highest first), ties by id; variants
//! by count, ties by the sequence of ids.
//!
//! # Example
//!
//! ```
//! use mot_core::{sample, simulate, Dashboard, DashboardOptions, Tracker, TrackerConfig};
//!
//! let x = sample::airline();
//! let mut t = Tracker::new(&x, TrackerConfig::default());
//! simulate::airline_scenario(&x, 5_000, 7).generate().ingest_into(&mut t)?;
//! let d = Dashboard::build(&t, Some(&x), &DashboardOptions::default())?;
//! assert_eq!(d.sco.journeys, 5_000);
//! let bag = d.mots.iter().find(|m| m.id == "bag-drop").unwrap();
//! assert!(bag.ci_low.unwrap() <= bag.smoto_rate.unwrap());
//! let json = serde_json::to_value(&d).unwrap();
//! assert_eq!(json["format"], "mot.dashboard/1");
//! // Every journey against the airline's designed journey, and in time.
//! let c = d.conformance.as_ref().unwrap();
//! assert_eq!(c.journeys, 5_000);
//! assert!(c.rate.unwrap() < 1.0 && c.mean_fitness.unwrap() > 0.5);
//! assert!(d.journey_duration.as_ref().unwrap().p50_s > 0.0);
//! # Ok::<(), mot_core::Error>(())
//! ```

mod build;
mod contract;
mod gap_view;
pub(crate) mod render;

pub use contract::*;
