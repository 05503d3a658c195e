//! The dashboard: every metric of the method, as one JSON contract.
//!
//! [`Dashboard::build`] turns a [`Tracker`]'s state (and, optionally, the
//! [`Experience`] it measures) into the seven metrics of an MOT dashboard —
//! **Amount, Type, Ownership, Alignment, Trend, Ratio, Impact** — plus SMOTO
//! and SCO rates with Wilson 95% intervals, the five-dimension evaluation,
//! directly-follows counts and variants, course-correction alerts, and the
//! rows rejected by reason.
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
//! | `mots[].alignment` | `magic`, `misery`, `neutral` or `unaligned` ([`alignment`](crate::alignment)) |
//!
//! # Order of lists
//!
//! Everything is ordered so that the same data always gives the same JSON,
//! whatever the order of rows or journeys: `mots` and `trends` in the
//! experience's order, then MOTs it does not know by id (in discovery mode,
//! only MOTs seen in the data, by id); `types` unknown type first, then
//! `PP PS SP SS PO OP`; `ownership.owners` in the order of the experience's
//! people; `producers` by id; `alerts` by MOT, then kind; directly-follows
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
//! # Ok::<(), mot_core::Error>(())
//! ```

mod render;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::alignment::{Alignment, AlignmentInput, AlignmentRule};
use crate::impact::{lift, removal_effects};
use crate::stats::{Z95, ols_slope, p_chart_limits, rate, wilson};
use crate::trend::DAY;
use crate::{Error, Experience, InteractionType, Period, Tracker};

/// The format tag of a dashboard.
pub const DASHBOARD_FORMAT: &str = "mot.dashboard/1";

/// Options for building a dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct DashboardOptions {
    /// The alignment rule's thresholds.
    pub alignment: AlignmentRule,
    /// How many of the most frequent variants to list (default 10).
    pub top_variants: usize,
    /// A latest period with fewer interactions than this raises no alert
    /// (default 10): one or two interactions say nothing about a process.
    pub alert_min_interactions: u64,
}

impl Default for DashboardOptions {
    fn default() -> Self {
        DashboardOptions {
            alignment: AlignmentRule::default(),
            top_variants: 10,
            alert_min_interactions: 10,
        }
    }
}

/// The whole dashboard: the JSON contract `mot.dashboard/1`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[schemars(title = "mot.dashboard/1")]
pub struct Dashboard {
    /// Always `"mot.dashboard/1"`.
    pub format: String,
    /// The experience measured, when one was given.
    pub experience: Option<ExperienceRef>,
    /// The trend period: `day`, `week` or `<n>s`.
    pub period: String,
    /// Amount: how many MOTs, interactions and journeys.
    pub amount: Amount,
    /// SCO production.
    pub sco: ScoFigures,
    /// Ratio: interactions per journey against the designed journey.
    pub ratio: Ratio,
    /// Ownership: MOTs with a MOT Manager, and each manager's scorecard.
    pub ownership: Ownership,
    /// Type: production per interaction type.
    pub types: Vec<TypeFigures>,
    /// Every MOT.
    pub mots: Vec<MotFigures>,
    /// Trend: per MOT, the SMOTO rate per period with p-chart limits.
    pub trends: Vec<Trend>,
    /// Course-correction alerts, for the MOT Managers.
    pub alerts: Vec<Alert>,
    /// Production per Experience Producer (when the log names producers).
    pub producers: Vec<ProducerFigures>,
    /// Directly-follows counts, as process-mining tools report them.
    pub directly_follows: DirectlyFollows,
    /// Distinct journey sequences.
    pub variants: Variants,
    /// Rows rejected, by reason.
    #[schemars(with = "BTreeMap<String, u64>")]
    #[cfg_attr(feature = "typescript", tsify(type = "Record<string, number>"))]
    pub rejected: crate::Rejected,
}

/// Which experience a dashboard measures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ExperienceRef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its version label.
    pub version: Option<String>,
    /// The customer segment.
    pub segment: String,
}

/// Amount.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Amount {
    /// MOTs designed in the experience (`null` without one).
    pub designed_mots: Option<u64>,
    /// MOTs with at least one interaction.
    pub observed_mots: u64,
    /// Interactions accepted.
    pub interactions: u64,
    /// Journeys closed.
    pub journeys: u64,
    /// Journeys still open (their interactions count; their outcome not yet).
    pub open_journeys: u64,
}

/// SCO production.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ScoFigures {
    /// The SCO's one-liner, when an experience was given.
    pub one_liner: Option<String>,
    /// Journeys with a known outcome.
    pub journeys: u64,
    /// Of those, journeys that produced the SCO.
    pub successes: u64,
    /// `successes / journeys`.
    pub rate: Option<f64>,
    /// Wilson 95% lower bound.
    pub ci_low: Option<f64>,
    /// Wilson 95% upper bound.
    pub ci_high: Option<f64>,
    /// The SCO target rate.
    pub target: Option<f64>,
    /// Closed journeys with no known outcome.
    pub unknown: u64,
    /// Journeys closed as abandoned after the inactivity timeout (counted as
    /// not producing the SCO).
    pub abandoned: u64,
    /// Revenue of journeys that produced the SCO (`null` when no journey
    /// value was given).
    pub value: Option<f64>,
}

/// Ratio: observed interactions per journey against the design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Ratio {
    /// Interactions of closed journeys ÷ closed journeys.
    pub interactions_per_journey: Option<f64>,
    /// MOTs designed in the experience.
    pub designed_mots: Option<u64>,
    /// Steps of the designed journey (nested MOTs expanded into their
    /// children, MOTs off the designed path left out).
    pub designed_steps: Option<u64>,
    /// `interactions_per_journey / designed_mots` (DOMAIN §3): repeats and
    /// detours are rework; the theoretical optimum is one MOT per outcome.
    pub ratio: Option<f64>,
}

/// Ownership.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Ownership {
    /// Share of designed MOTs with a MOT Manager.
    pub share_owned: Option<f64>,
    /// One scorecard per MOT Manager, in the order of the experience's people.
    pub owners: Vec<OwnerCard>,
}

/// Interactions and successes, with the SMOTO rate and its Wilson 95%
/// interval (flattened into the objects that carry it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Production {
    /// Interactions.
    pub interactions: u64,
    /// Successful ones (`null` when there were interactions but none had a
    /// known success: a log with no success column).
    pub successes: Option<u64>,
    /// `successes` ÷ the interactions whose success is known.
    pub rate: Option<f64>,
    /// Wilson 95% lower bound.
    pub ci_low: Option<f64>,
    /// Wilson 95% upper bound.
    pub ci_high: Option<f64>,
}

impl Production {
    /// The figures of `successes` out of the `judged` interactions whose
    /// success is known, among `interactions`.
    pub fn of(successes: u64, judged: u64, interactions: u64) -> Production {
        let (ci_low, ci_high) = ci(successes, judged);
        Production {
            interactions,
            successes: (judged > 0 || interactions == 0).then_some(successes),
            rate: rate(successes, judged),
            ci_low,
            ci_high,
        }
    }
}

/// A MOT Manager's scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct OwnerCard {
    /// Person id.
    pub person: String,
    /// Name.
    pub name: String,
    /// The MOTs managed.
    pub mots: Vec<String>,
    /// Production of those MOTs.
    #[serde(flatten)]
    pub production: Production,
    /// Alerts on those MOTs.
    pub alerts: u64,
}

/// Production of one interaction type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct TypeFigures {
    /// The type's code, or `null` for MOTs of unknown type.
    #[serde(rename = "type")]
    pub interaction_type: Option<String>,
    /// MOTs of this type.
    pub mots: u64,
    /// Production of those MOTs.
    #[serde(flatten)]
    pub production: Production,
}

/// Everything about one MOT.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct MotFigures {
    /// MOT id.
    pub id: String,
    /// Name (from the experience).
    pub name: Option<String>,
    /// Interaction type code (from the experience).
    #[serde(rename = "type")]
    pub interaction_type: Option<String>,
    /// MOT Manager's person id.
    pub owner: Option<String>,
    /// Enclosing MOT, if nested.
    pub parent: Option<String>,
    /// Declared contribution: `direct`, `enabling`, `none`.
    pub contribution: Option<String>,
    /// SMOTO target rate.
    pub target: Option<f64>,
    /// Interactions.
    pub interactions: u64,
    /// Successful interactions (`null` when it had interactions but none
    /// with a known success: a log with no success column).
    pub successes: Option<u64>,
    /// `successes` ÷ the interactions whose success is known.
    pub smoto_rate: Option<f64>,
    /// Wilson 95% lower bound.
    pub ci_low: Option<f64>,
    /// Wilson 95% upper bound.
    pub ci_high: Option<f64>,
    /// Closed journeys with at least one interaction with it.
    pub journeys: u64,
    /// SCO rate of known-outcome journeys through it.
    pub sco_when_present: Option<f64>,
    /// Lift (see [`impact`](crate::impact)).
    pub lift: Option<f64>,
    /// Exact removal effect (see [`impact`](crate::impact)).
    pub removal_effect: Option<f64>,
    /// SCO journeys attributed to it (removal-effect share × SCO journeys).
    pub attributed_conversions: Option<f64>,
    /// SCO revenue attributed to it (removal-effect share × SCO value).
    pub attributed_value: Option<f64>,
    /// Least-squares slope of the daily SMOTO rate, per day.
    pub trend_slope_per_day: Option<f64>,
    /// Alignment class.
    pub alignment: Alignment,
    /// The five dimensions.
    pub dimensions: DimensionFigures,
}

/// The five-dimension evaluation of one MOT.
///
/// - `actual`: the observed SMOTO rate (or the declared actual when the
///   MOT's scale is not the SMOTO rate);
/// - `position`: `(actual − risk) / (opportunity − risk)`;
/// - `value`: the log's value sum, else the declared value × successes;
/// - `return`: the attributed SCO revenue when journeys carry values, else
///   the declared return × successes;
/// - `cost`: the log's cost sum, else the declared cost × interactions;
///   `landscape_cost`: work costs rolled up to the MOT; `total_cost` both;
/// - `roi`: `(return − total_cost) / total_cost`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct DimensionFigures {
    /// Opportunity (best case).
    pub opportunity: Option<f64>,
    /// Risk (worst case).
    pub risk: Option<f64>,
    /// Actual performance on the scale.
    pub actual: Option<f64>,
    /// Position of `actual` between risk (0) and opportunity (1).
    pub position: Option<f64>,
    /// Value the customers received.
    pub value: Option<f64>,
    /// Return the company received.
    #[serde(rename = "return")]
    pub company_return: Option<f64>,
    /// Cost of the interactions.
    pub cost: Option<f64>,
    /// Landscape cost allocated to the MOT.
    pub landscape_cost: Option<f64>,
    /// `cost + landscape_cost`.
    pub total_cost: Option<f64>,
    /// `(return − total_cost) / total_cost`.
    pub roi: Option<f64>,
}

/// One MOT's trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Trend {
    /// MOT id.
    pub mot: String,
    /// The p-chart centre line: the MOT's SMOTO rate over all periods.
    pub centre: Option<f64>,
    /// Periods with at least one interaction, in time order.
    pub periods: Vec<TrendPoint>,
}

/// One period of a trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct TrendPoint {
    /// Start of the period, seconds since the epoch.
    pub start: i64,
    /// Interactions.
    pub interactions: u64,
    /// Successful ones.
    pub successes: u64,
    /// SMOTO rate.
    pub rate: f64,
    /// Lower control limit.
    pub lcl: f64,
    /// Upper control limit.
    pub ucl: f64,
    /// `low` or `high` when the rate is outside the limits.
    pub out_of_control: Option<String>,
}

/// A course-correction alert for a MOT Manager.
///
/// Raised for an MOT whose rate in the **latest period** of the whole log
/// (the current period, for a live stream) is outside its p-chart limits
/// (`below-control-limit`, `above-control-limit`) or below its SMOTO target
/// (`below-target`), when that period holds at least
/// [`DashboardOptions::alert_min_interactions`] interactions. The control
/// limits are those of the MOT's p-chart over all periods (the latest
/// included). Only an MOT's own SMOTO target raises `below-target`; the
/// alignment rule's `default_target` does not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Alert {
    /// MOT id.
    pub mot: String,
    /// MOT name.
    pub name: Option<String>,
    /// MOT Manager's person id.
    pub owner: Option<String>,
    /// MOT Manager's name.
    pub owner_name: Option<String>,
    /// `below-control-limit`, `above-control-limit` or `below-target`.
    pub kind: String,
    /// Start of the latest period, seconds since the epoch.
    pub period_start: i64,
    /// The MOT's SMOTO rate in that period.
    pub rate: f64,
    /// Interactions in that period.
    pub interactions: u64,
    /// The limit crossed: a control limit or the target.
    pub limit: f64,
    /// One readable line.
    pub message: String,
}

/// An Experience Producer's production.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ProducerFigures {
    /// Producer id, as in the log.
    pub producer: String,
    /// Name, when the experience knows the person.
    pub name: Option<String>,
    /// Their production.
    #[serde(flatten)]
    pub production: Production,
}

/// Directly-follows counts over closed journeys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct DirectlyFollows {
    /// MOT → MOT transitions, most frequent first.
    pub edges: Vec<Edge>,
    /// First MOT of journeys.
    pub start: Vec<MotCount>,
    /// Last MOT of journeys.
    pub end: Vec<MotCount>,
}

/// One directly-follows edge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Edge {
    /// From MOT.
    pub from: String,
    /// To MOT.
    pub to: String,
    /// Times it directly followed.
    pub count: u64,
}

/// A count per MOT.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct MotCount {
    /// MOT id.
    pub mot: String,
    /// Count.
    pub count: u64,
}

/// Variants: distinct MOT sequences of closed journeys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Variants {
    /// How many distinct sequences (`null` when the tracker was told not to
    /// track variants, see [`TrackerConfig::track_variants`](crate::TrackerConfig::track_variants)).
    pub distinct: Option<u64>,
    /// The most frequent, most frequent first (ties by sequence).
    pub top: Vec<Variant>,
}

/// One variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Variant {
    /// The MOT sequence.
    pub mots: Vec<String>,
    /// Journeys that followed it.
    pub count: u64,
}

fn ci(successes: u64, n: u64) -> (Option<f64>, Option<f64>) {
    match wilson(successes, n, Z95) {
        Some(i) => (Some(i.low), Some(i.high)),
        None => (None, None),
    }
}

/// `a × b` when both are known.
fn times(a: Option<f64>, b: u64) -> Option<f64> {
    a.map(|a| a * b as f64)
}

impl Dashboard {
    /// Builds the dashboard from a tracker's state.
    ///
    /// `experience` supplies names, types, owners, targets, declared
    /// contributions, dimensions and landscape costs; MOTs are matched by
    /// id. Without it, the data-driven metrics are all there and the rest
    /// is `null`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when the tracker is
    /// bound to a different experience than the one given.
    pub fn build(
        tracker: &Tracker,
        experience: Option<&Experience>,
        options: &DashboardOptions,
    ) -> Result<Dashboard, Error> {
        if let (Some(b), Some(x)) = (&tracker.registry.binding, experience) {
            let ids: Vec<crate::MotId> = x.mots().iter().map(|m| m.id.clone()).collect();
            if b.fingerprint != crate::production::fingerprint(&ids) {
                return Err(Error::config(format!(
                    "the tracker measures experience `{}`, not `{}` (or a different version of its MOTs)",
                    b.id,
                    x.spec().id
                )));
            }
        }
        Ok(build(tracker, experience, options))
    }

    /// Reads columns into a fresh tracker and builds its dashboard: the
    /// one-call path for a whole log.
    ///
    /// # Errors
    ///
    /// As [`Tracker::with_config`], [`Tracker::ingest`] and [`Dashboard::build`].
    pub fn from_columns(
        experience: Option<&Experience>,
        events: &crate::Columns<'_>,
        outcomes: Option<&crate::OutcomeColumns<'_>>,
        config: crate::TrackerConfig,
        options: &DashboardOptions,
    ) -> Result<Dashboard, Error> {
        let mut t = Tracker::one_shot(experience, config)?;
        t.ingest(events, outcomes)?;
        Dashboard::build(&t, experience, options)
    }

    /// The dashboard as pretty JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The dashboard as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn build(t: &Tracker, x: Option<&Experience>, options: &DashboardOptions) -> Dashboard {
    let agg = &t.agg;
    let ids = &t.registry.ids;
    let n = ids.len();
    let mot_of = |i: usize| x.and_then(|x| x.mot(ids[i].as_str()));
    // Order: the experience's order for its MOTs, then the rest by id.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let ka = x
            .and_then(|x| x.mot_index(ids[a].as_str()))
            .unwrap_or(usize::MAX);
        let kb = x
            .and_then(|x| x.mot_index(ids[b].as_str()))
            .unwrap_or(usize::MAX);
        (ka, ids[a].as_str()).cmp(&(kb, ids[b].as_str()))
    });
    // In discovery mode, show only MOTs seen in the data.
    let order: Vec<usize> = order
        .into_iter()
        .filter(|&i| mot_of(i).is_some() || agg.mots[i].n > 0 || agg.mots[i].journeys > 0)
        .collect();

    let sco_rate = rate(agg.sco, agg.known);
    let re = removal_effects(n, agg.transitions.iter());
    let shares = re.as_ref().and_then(|r| r.shares());
    let sco_value = (agg.value_journeys > 0).then(|| agg.sco_value.value());
    let landscape = x.map(|x| x.cost_rollup());

    let mut mots = Vec::with_capacity(order.len());
    for &i in &order {
        let st = &agg.mots[i];
        let m = mot_of(i);
        let smoto_rate = rate(st.s, st.judged);
        let (ci_low, ci_high) = ci(st.s, st.judged);
        let successes = (st.judged > 0 || st.n == 0).then_some(st.s);
        let lift = lift(st.ok_known, st.ok_sco, st.fail_known, st.fail_sco);
        let removal_effect = re.as_ref().map(|r| r.effects[i]);
        let share = shares.as_ref().map(|s| s[i]);
        let known = st.ok_known + st.fail_known;
        let sco_when_present = rate(st.ok_sco + st.fail_sco, known);
        let days: Vec<(f64, f64)> = st
            .days
            .iter()
            .map(|(d, n, s)| (d as f64, s as f64 / n as f64))
            .collect();
        let target = m.and_then(|m| m.smoto.target_rate);
        let alignment = options.alignment.classify(&AlignmentInput {
            declared_none: m.is_some_and(|m| !m.contribution.serves_sco()),
            interactions: st.judged,
            rate: smoto_rate,
            target,
            lift,
            removal_effect,
            sco_when_present,
            sco_rate,
            success_unknown: st.n > 0 && st.judged == 0,
        });
        let attributed_value = share.and_then(|s| sco_value.map(|v| s * v));
        let dims = m.and_then(|m| m.dimensions.as_ref());
        let actual = match dims {
            Some(d) if d.scale.is_some() => d.actual,
            _ => smoto_rate,
        };
        let cost = if st.cost_rows > 0 {
            Some(st.cost.value())
        } else {
            times(dims.and_then(|d| d.cost), st.n)
        };
        let landscape_cost = landscape
            .as_ref()
            .and_then(|l| l.mots.iter().find(|c| c.mot == ids[i]).map(|c| c.own));
        let total_cost = match (cost, landscape_cost) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
        };
        let company_return = if sco_value.is_some() {
            attributed_value
        } else {
            successes.and_then(|s| times(dims.and_then(|d| d.company_return), s))
        };
        let value = if st.value_rows > 0 {
            Some(st.value.value())
        } else {
            successes.and_then(|s| times(dims.and_then(|d| d.value), s))
        };
        mots.push(MotFigures {
            id: ids[i].to_string(),
            name: m.map(|m| m.name.clone()),
            interaction_type: m.map(|m| m.interaction_type.code().to_string()),
            owner: m.and_then(|m| m.manager.as_ref().map(|p| p.to_string())),
            parent: m.and_then(|m| m.parent.as_ref().map(|p| p.to_string())),
            contribution: m.map(|m| m.contribution.as_str().to_string()),
            target,
            interactions: st.n,
            successes,
            smoto_rate,
            ci_low,
            ci_high,
            journeys: st.journeys,
            sco_when_present,
            lift,
            removal_effect,
            attributed_conversions: share.map(|s| s * agg.sco as f64),
            attributed_value,
            trend_slope_per_day: ols_slope(&days),
            alignment,
            dimensions: DimensionFigures {
                opportunity: dims.map(|d| d.opportunity),
                risk: dims.map(|d| d.risk),
                actual,
                position: dims.and_then(|d| actual.and_then(|a| d.position(a))),
                value,
                company_return,
                cost,
                landscape_cost,
                total_cost,
                roi: match (company_return, total_cost) {
                    (Some(r), Some(c)) => crate::roi(r, c),
                    _ => None,
                },
            },
        });
    }

    // Trends and alerts.
    let period = t.config.period;
    let series = |i: usize| {
        if period == Period::Day {
            &agg.mots[i].days
        } else {
            &agg.mots[i].periods
        }
    };
    let latest = order
        .iter()
        .filter_map(|&i| series(i).iter().last().map(|p| p.0))
        .max();
    let mut trends = Vec::new();
    let mut alerts = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        let st = &agg.mots[i];
        let centre = rate(st.s, st.judged);
        let mut points = Vec::new();
        for (idx, n, s) in series(i).iter() {
            let p = s as f64 / n as f64;
            let limits = centre.and_then(|c| p_chart_limits(c, n));
            let (lcl, ucl) = limits.map_or((0.0, 1.0), |l| (l.low, l.high));
            let out = if p < lcl {
                Some("low".to_string())
            } else if p > ucl {
                Some("high".to_string())
            } else {
                None
            };
            let start = idx
                .saturating_mul(period.width())
                .saturating_sub(match period {
                    Period::Week => 3 * DAY,
                    _ => 0,
                });
            if Some(idx) == latest && n >= options.alert_min_interactions {
                let m = &mots[k];
                let owner_name = m
                    .owner
                    .as_ref()
                    .and_then(|o| x.and_then(|x| x.person(o)).map(|p| p.name.clone()));
                let label = m.name.clone().unwrap_or_else(|| m.id.clone());
                let mut alert = |kind: &str, limit: f64, what: String| {
                    alerts.push(Alert {
                        mot: m.id.clone(),
                        name: m.name.clone(),
                        owner: m.owner.clone(),
                        owner_name: owner_name.clone(),
                        kind: kind.to_string(),
                        period_start: start,
                        rate: p,
                        interactions: n,
                        limit,
                        message: format!(
                            "{label}: SMOTO rate {:.2}% ({s}/{n}) in the latest {} is {what} {:.2}%{}",
                            p * 100.0,
                            period.name(),
                            limit * 100.0,
                            owner_name.as_ref().map(|o| format!(" — tell {o}")).unwrap_or_default()
                        ),
                    });
                };
                match out.as_deref() {
                    Some("low") => alert(
                        "below-control-limit",
                        lcl,
                        "below its lower control limit".into(),
                    ),
                    Some("high") => alert(
                        "above-control-limit",
                        ucl,
                        "above its upper control limit".into(),
                    ),
                    _ => {}
                }
                if let Some(target) = m.target
                    && p < target
                {
                    alert("below-target", target, "below its SMOTO target".into());
                }
            }
            points.push(TrendPoint {
                start,
                interactions: n,
                successes: s,
                rate: p,
                lcl,
                ucl,
                out_of_control: out,
            });
        }
        trends.push(Trend {
            mot: ids[i].to_string(),
            centre,
            periods: points,
        });
    }

    // Types.
    // `[interactions, successes, judged]` of MOTs (`pick`), from the counts.
    let production = |pick: &mut dyn FnMut(&MotFigures) -> bool| {
        let mut c = [0u64; 3];
        for (m, &i) in mots.iter().zip(&order) {
            if pick(m) {
                let st = &agg.mots[i];
                c[0] += st.n;
                c[1] += st.s;
                c[2] += st.judged;
            }
        }
        Production::of(c[1], c[2], c[0])
    };
    let mut kinds: BTreeMap<Option<InteractionType>, u64> = BTreeMap::new();
    for m in &mots {
        let ty = m.interaction_type.as_deref().and_then(|c| c.parse().ok());
        *kinds.entry(ty).or_default() += 1;
    }
    let types = kinds
        .into_iter()
        .map(|(ty, count)| TypeFigures {
            interaction_type: ty.map(|t| t.code().to_string()),
            mots: count,
            production: production(&mut |m| {
                m.interaction_type.as_deref().and_then(|c| c.parse().ok()) == ty
            }),
        })
        .collect();

    // Ownership.
    let ownership = match x {
        None => Ownership {
            share_owned: None,
            owners: Vec::new(),
        },
        Some(x) => {
            let owners = x
                .spec()
                .people
                .iter()
                .filter_map(|p| {
                    let managed: Vec<&MotFigures> = mots
                        .iter()
                        .filter(|m| m.owner.as_deref() == Some(p.id.as_str()))
                        .collect();
                    if managed.is_empty() {
                        return None;
                    }
                    Some(OwnerCard {
                        person: p.id.to_string(),
                        name: p.name.clone(),
                        mots: managed.iter().map(|m| m.id.clone()).collect(),
                        production: production(&mut |m| m.owner.as_deref() == Some(p.id.as_str())),
                        alerts: alerts
                            .iter()
                            .filter(|a| a.owner.as_deref() == Some(p.id.as_str()))
                            .count() as u64,
                    })
                })
                .collect();
            Ownership {
                share_owned: x.ownership_share(),
                owners,
            }
        }
    };

    // Producers.
    let mut producers: Vec<ProducerFigures> = agg
        .producers
        .iter()
        .map(|(p, c)| ProducerFigures {
            producer: p.to_string(),
            name: x.and_then(|x| x.person(p)).map(|p| p.name.clone()),
            production: Production::of(c[1], c[2], c[0]),
        })
        .collect();
    producers.sort_by(|a, b| a.producer.cmp(&b.producer));

    // Directly-follows and variants.
    let name = |s: u32| ids[s as usize - 1].to_string();
    let mut edges = Vec::new();
    let mut start = Vec::new();
    let mut end = Vec::new();
    for (f, to, c) in agg.transitions.iter() {
        let count = c.iter().sum();
        match (f, to) {
            (0, 0) => {}
            (0, t) => start.push(MotCount {
                mot: name(t),
                count,
            }),
            (f, 0) => end.push(MotCount {
                mot: name(f),
                count,
            }),
            (f, t) => edges.push(Edge {
                from: name(f),
                to: name(t),
                count,
            }),
        }
    }
    edges.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to)))
    });
    for v in [&mut start, &mut end] {
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.mot.cmp(&b.mot)));
    }
    // Top-k by count, ties by MOT-id sequence: select, then sort only the k.
    let by_rank = |a: &(&[u32], u64), b: &(&[u32], u64)| {
        b.1.cmp(&a.1).then_with(|| {
            a.0.iter()
                .map(|&m| ids[m as usize].as_str())
                .cmp(b.0.iter().map(|&m| ids[m as usize].as_str()))
        })
    };
    let mut ranked: Vec<(&[u32], u64)> = agg.variants.iter().collect();
    let distinct = agg.variants.len() as u64;
    let k = options.top_variants.min(ranked.len());
    if k > 0 && k < ranked.len() {
        ranked.select_nth_unstable_by(k - 1, by_rank);
    }
    ranked.truncate(k);
    ranked.sort_by(by_rank);
    let variants: Vec<(Vec<&str>, u64)> = ranked
        .into_iter()
        .map(|(seq, c)| (seq.iter().map(|&m| ids[m as usize].as_str()).collect(), c))
        .collect();

    let designed_steps = x.map(|x| x.designed_journey().len() as u64);
    let ipj = rate(agg.journey_interactions, agg.journeys);
    let (sco_low, sco_high) = ci(agg.sco, agg.known);
    Dashboard {
        format: DASHBOARD_FORMAT.to_string(),
        experience: x.map(|x| ExperienceRef {
            id: x.spec().id.clone(),
            name: x.spec().name.clone(),
            version: x.spec().version.clone(),
            segment: x.spec().segment.clone(),
        }),
        period: period.name(),
        amount: Amount {
            designed_mots: x.map(|x| x.mots().len() as u64),
            observed_mots: agg.mots.iter().filter(|m| m.n > 0).count() as u64,
            interactions: agg.interactions,
            journeys: agg.journeys,
            open_journeys: t.open.len() as u64,
        },
        sco: ScoFigures {
            one_liner: x.map(|x| x.spec().sco.one_liner.clone()),
            journeys: agg.known,
            successes: agg.sco,
            rate: sco_rate,
            ci_low: sco_low,
            ci_high: sco_high,
            target: x.and_then(|x| x.spec().sco.target_rate),
            unknown: agg.journeys - agg.known,
            abandoned: agg.abandoned,
            value: sco_value,
        },
        ratio: Ratio {
            interactions_per_journey: ipj,
            designed_mots: x.map(|x| x.mots().len() as u64),
            designed_steps,
            ratio: match (ipj, x.map(|x| x.mots().len())) {
                (Some(r), Some(d)) if d > 0 => Some(r / d as f64),
                _ => None,
            },
        },
        ownership,
        types,
        mots,
        trends,
        alerts,
        producers,
        directly_follows: DirectlyFollows { edges, start, end },
        variants: Variants {
            distinct: t.config.track_variants.then_some(distinct),
            top: variants
                .into_iter()
                .map(|(seq, count)| Variant {
                    mots: seq.into_iter().map(String::from).collect(),
                    count,
                })
                .collect(),
        },
        rejected: t.rejected(),
    }
}
