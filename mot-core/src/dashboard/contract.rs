//! The contract `mot.dashboard/1`: every type of the dashboard's JSON, as
//! every language returns it (see the [module docs](crate::dashboard)).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::alignment::{Alignment, AlignmentRule};
pub use crate::timing::Duration;

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
    /// Open journeys with P(SCO | last interaction) below this are at risk
    /// (default 0.5).
    pub at_risk_threshold: f64,
    /// How many journeys at risk to list (default 10).
    pub at_risk_top: usize,
}

impl Default for DashboardOptions {
    fn default() -> Self {
        DashboardOptions {
            alignment: AlignmentRule::default(),
            top_variants: 10,
            alert_min_interactions: 10,
            at_risk_threshold: 0.5,
            at_risk_top: 10,
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
    /// The cost line of sight: total, per SCO, unexplained landscape cost,
    /// and the MOTs that could be removed.
    pub cost: CostFigures,
    /// Directly-follows counts, as process-mining tools report them.
    pub directly_follows: DirectlyFollows,
    /// How long journeys take, first to last interaction, over closed
    /// journeys (`null` without one, or when durations are not measured:
    /// [`TrackerConfig::durations`](crate::TrackerConfig::durations)).
    pub journey_duration: Option<Duration>,
    /// The Design–Implementation gap: closed journeys against the designed
    /// journey (`null` without a design).
    pub conformance: Option<Conformance>,
    /// Open journeys at risk of not reaching the SCO, lowest chance first.
    pub at_risk: crate::risk::AtRiskFigures,
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

impl ExperienceRef {
    /// The reference to `x`.
    pub fn of(x: &crate::Experience) -> ExperienceRef {
        ExperienceRef {
            id: x.spec().id.clone(),
            name: x.spec().name.clone(),
            version: x.spec().version.clone(),
            segment: x.spec().segment.clone(),
        }
    }
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
    /// Its 95% interval, lower bound: the Newcombe hybrid-score interval of
    /// the difference of the two SCO rates ([`crate::stats::newcombe`]).
    pub lift_ci_low: Option<f64>,
    /// Its 95% interval, upper bound.
    pub lift_ci_high: Option<f64>,
    /// Exact removal effect (see [`impact`](crate::impact)).
    pub removal_effect: Option<f64>,
    /// Its 95% interval, lower bound: `removal_effect − 1.96·se` with the
    /// delta-method standard error from the transition counts, kept in
    /// [0, 1] (see [`impact`](crate::impact)). At 0 the data cannot tell
    /// the MOT's effect from none.
    pub removal_effect_ci_low: Option<f64>,
    /// Its 95% interval, upper bound.
    pub removal_effect_ci_high: Option<f64>,
    /// Its share of the total removal effect: the attribution weight of
    /// `attributed_conversions` and `attributed_value`.
    pub attribution_share: Option<f64>,
    /// The share's 95% interval (delta method), lower bound.
    pub attribution_share_ci_low: Option<f64>,
    /// The share's 95% interval, upper bound.
    pub attribution_share_ci_high: Option<f64>,
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
    /// What it costs per interaction, per success and in failures, from
    /// `dimensions.total_cost` (`null` without any cost).
    pub cost: Option<MotCost>,
    /// Against the designed journey, over closed journeys (`null` without
    /// a design).
    pub gap: Option<Gap>,
    /// Its sequential detector, a Bernoulli CUSUM ([`crate::cusum`]);
    /// `null` when it has none: no SMOTO target (discovery mode has
    /// none), a target of 100%, or one below 35% (failure is the norm).
    pub cusum: Option<CusumFigures>,
}

/// The cost line of sight of one MOT, from its `total_cost` (log cost, or
/// declared cost × interactions, plus the landscape cost allocated to it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct MotCost {
    /// `total_cost / interactions` (`null` without interactions).
    pub per_interaction: Option<f64>,
    /// `total_cost / successes` (`null` without a success).
    pub per_success: Option<f64>,
    /// What its failed interactions cost: `per_interaction × failures`
    /// (`null` when no interaction has a known success).
    pub of_failures: Option<f64>,
}

/// The experience's cost line of sight.
///
/// `total` is everything the experience costs: every MOT's interaction cost
/// (the log's, or declared cost × interactions) plus the whole landscape,
/// the part allocated to MOTs and the unexplained rest. `cost_per_sco`
/// divides it by the journeys that produced the SCO.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CostFigures {
    /// Total cost (`null` when nothing has a cost).
    pub total: Option<f64>,
    /// `total / SCO journeys` (`null` without an SCO journey).
    pub cost_per_sco: Option<f64>,
    /// Landscape cost that serves no MOT (`null` without an experience).
    pub landscape_unexplained: Option<f64>,
    /// Its share of the landscape's cost (`null` when the landscape costs
    /// nothing).
    pub landscape_unexplained_share: Option<f64>,
    /// The "SAS move": MOTs that cost money while their removal-effect
    /// interval reaches 0 — the data cannot show that they help produce
    /// the SCO. Largest saving first.
    pub removal_candidates: Vec<RemovalCandidate>,
}

/// An MOT that could go, and what removing it saves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct RemovalCandidate {
    /// MOT id.
    pub mot: String,
    /// Name.
    pub name: Option<String>,
    /// Declared contribution.
    pub contribution: Option<String>,
    /// Its removal effect.
    pub removal_effect: f64,
    /// Its interval's upper bound (the lower is 0).
    pub removal_effect_ci_high: f64,
    /// Its `total_cost`: what removing it saves.
    pub saves: f64,
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
    pub out_of_control: Option<OutOfControl>,
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
    /// MOT id (`null` for a `conformance` alert).
    pub mot: Option<String>,
    /// MOT name.
    pub name: Option<String>,
    /// Who to tell: the MOT Manager's person id (the Experience Manager's
    /// for a `conformance` alert).
    pub owner: Option<String>,
    /// Their name.
    pub owner_name: Option<String>,
    /// `below-control-limit`, `above-control-limit`, `below-target` or
    /// `conformance`.
    pub kind: AlertKind,
    /// Start of the latest period, seconds since the epoch.
    pub period_start: i64,
    /// The MOT's SMOTO rate in that period (the conformance rate for a
    /// `conformance` alert).
    pub rate: f64,
    /// Interactions in that period (journeys, for a `conformance` alert).
    pub interactions: u64,
    /// The limit crossed: a control limit or the target.
    pub limit: f64,
    /// What shows it: `p-chart` (outside the control limits), `wilson`
    /// (below target: the period's Wilson 95% upper bound is below it),
    /// `cusum` (the MOT's detector alarmed in the period).
    pub evidence: Evidence,
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
    /// Time from `from` to `to` (its `count` equals the edge's; `null`
    /// when durations are not measured:
    /// [`TrackerConfig::durations`](crate::TrackerConfig::durations)).
    pub duration: Option<Duration>,
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
    /// Its deviation cost from the designed journey, n + m − 2·LCS
    /// (`null` without a design).
    pub cost: Option<u64>,
    /// Its fitness, 1 − cost/(n + m) (`null` without a design).
    pub fitness: Option<f64>,
}

/// The Design–Implementation gap (DOMAIN §3b, [`crate::conformance`]):
/// every closed journey measured against the designed journey.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Conformance {
    /// The designed journey, MOT ids in order.
    pub designed: Vec<String>,
    /// Its length m.
    pub designed_steps: u64,
    /// Closed journeys measured.
    pub journeys: u64,
    /// Those that follow the design exactly (cost 0).
    pub conforming: u64,
    /// conforming / journeys.
    pub rate: Option<f64>,
    /// Wilson 95% interval of the rate.
    pub ci_low: Option<f64>,
    /// Wilson 95% interval of the rate.
    pub ci_high: Option<f64>,
    /// Mean of 1 − cost/(n + m) over journeys.
    pub mean_fitness: Option<f64>,
    /// Mean deviation cost (insertions and deletions) per journey.
    pub mean_cost: Option<f64>,
    /// Totals of the four kinds of deviation.
    pub deviations: Deviations,
    /// SCO rate of conforming journeys with a known outcome.
    pub sco_when_conforming: Option<f64>,
    /// SCO rate of deviating journeys with a known outcome.
    pub sco_when_deviating: Option<f64>,
    /// The gap's lift: `sco_when_conforming − sco_when_deviating`.
    pub lift: Option<f64>,
    /// Conformance per period (a journey counts in the period of its first
    /// interaction), with p-chart limits.
    pub trend: Vec<ConformancePoint>,
}

/// Totals of the kinds of deviation; cost = missing + extra + undesigned +
/// 2·out_of_order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Deviations {
    /// Designed steps skipped.
    pub missing: u64,
    /// Designed MOTs repeated beyond the design (rework).
    pub extra: u64,
    /// Interactions with MOTs outside the design (detours).
    pub undesigned: u64,
    /// Designed steps seen in the wrong order.
    pub out_of_order: u64,
}

/// One period of the conformance trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ConformancePoint {
    /// Period start, seconds since the epoch.
    pub start: i64,
    /// Journeys whose first interaction falls in the period.
    pub journeys: u64,
    /// Those that conform.
    pub conforming: u64,
    /// conforming / journeys.
    pub rate: f64,
    /// The overall conformance rate, the chart's centre line.
    pub centre: f64,
    /// Lower control limit, `centre − 3·√(centre(1 − centre)/journeys)`, clamped to 0.
    pub lcl: f64,
    /// Upper control limit, clamped to 1.
    pub ucl: f64,
    /// `low` or `high` when outside the limits.
    pub out_of_control: Option<OutOfControl>,
}

/// An MOT's sequential detector (see [`crate::cusum`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CusumFigures {
    /// In-control failure rate, 1 − target.
    pub p0: f64,
    /// The failure rate it is tuned to detect.
    pub p1: f64,
    /// Its threshold.
    pub h: f64,
    /// The in-control average run length it was set for.
    pub arl0: f64,
    /// The statistic now.
    pub statistic: f64,
    /// Alarms so far.
    pub alarms: u64,
    /// When the last alarm fired, seconds since the epoch.
    pub last_alarm_at: Option<i64>,
}

/// What an [`Alert`] rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// The period's rate is outside its p-chart limits.
    PChart,
    /// The period's Wilson 95% upper bound is below the target.
    Wilson,
    /// The MOT's CUSUM alarmed in the period.
    Cusum,
}

impl Evidence {
    /// `p-chart`, `wilson` or `cusum`.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::PChart => "p-chart",
            Evidence::Wilson => "wilson",
            Evidence::Cusum => "cusum",
        }
    }
}

/// One MOT's share of the Design–Implementation gap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Gap {
    /// Times a designed step with this MOT was skipped.
    pub missing: u64,
    /// Interactions beyond its designed count (repeats).
    pub extra: u64,
    /// Interactions with it when it is not designed (detours).
    pub undesigned: u64,
}

/// What an [`Alert`] says.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum AlertKind {
    /// The latest period's rate is below its lower control limit.
    BelowControlLimit,
    /// The latest period's rate is above its upper control limit.
    AboveControlLimit,
    /// The latest period's rate is below the MOT's SMOTO target.
    BelowTarget,
    /// The MOT's sequential detector (CUSUM) alarmed in the latest period.
    Cusum,
    /// The latest period's conformance to the designed journey is below
    /// its lower control limit.
    Conformance,
}

impl AlertKind {
    /// `below-control-limit`, `above-control-limit`, `below-target` or
    /// `conformance`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::BelowControlLimit => "below-control-limit",
            AlertKind::AboveControlLimit => "above-control-limit",
            AlertKind::BelowTarget => "below-target",
            AlertKind::Cusum => "cusum",
            AlertKind::Conformance => "conformance",
        }
    }
}

/// Which side of its p-chart limits a period's rate fell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum OutOfControl {
    /// Below the lower control limit.
    Low,
    /// Above the upper control limit.
    High,
}

impl OutOfControl {
    /// `low` or `high`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutOfControl::Low => "low",
            OutOfControl::High => "high",
        }
    }
}
