//! How the dashboard is built from a tracker's state: one function per
//! section of the contract, each tested on its own.

use std::collections::BTreeMap;

use super::contract::*;
use crate::alignment::AlignmentInput;
use crate::conformance::{Design, GapScratch, GapSums, GapTally};
use crate::impact::{RemovalEffects, lift, removal_effects_on};
use crate::stats::{Z95, ols_slope, p_chart_limits, rate, wilson};
use crate::trend::DAY;
use crate::{Error, Experience, InteractionType, Mot, Period, Tracker};

/// The Wilson 95% interval of `successes` out of `n`, `null`s when empty.
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
        crate::comparison::same_experience(tracker, experience)?;
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

/// What every section reads: the tracker's state, the experience, the
/// options, and the MOTs to show in their order.
struct Ctx<'a> {
    t: &'a Tracker,
    x: Option<&'a Experience>,
    options: &'a DashboardOptions,
    /// Tracker MOT indices in the order of the contract's lists.
    order: Vec<usize>,
    /// The designed journey the tracker measures against.
    design: Option<&'a Design>,
    /// With a design: the deviations summed over journeys.
    gap: Option<GapTotals>,
}

/// What depends on each journey's sequence, summed over closed journeys:
/// each distinct sequence of the variant table measured once (times its
/// count), or, without a variant table, the tracker's own sums.
struct GapTotals {
    sums: GapSums,
    /// Per tracker MOT index: missing, extra, undesigned.
    per_mot: Vec<[u64; 3]>,
}

impl GapTotals {
    fn of(t: &Tracker, design: &Design) -> GapTotals {
        if !t.config.track_variants {
            return GapTotals {
                sums: t.agg.gap.sums.clone(),
                per_mot: t.agg.mots.iter().map(|m| m.gap).collect(),
            };
        }
        let mut sums = GapTally::new();
        let mut per_mot = vec![[0u64; 3]; t.agg.mots.len()];
        let mut scratch = GapScratch::default();
        for (seq, count) in t.agg.variants.iter() {
            let d = design.measure(seq, &mut scratch, |c, missing, extra, undesigned| {
                if let Some(g) = per_mot.get_mut(c as usize) {
                    g[0] += u64::from(missing) * count;
                    g[1] += u64::from(extra) * count;
                    g[2] += u64::from(undesigned) * count;
                }
            });
            sums.add(&d, count);
        }
        GapTotals {
            sums: sums.finish(),
            per_mot,
        }
    }
}

impl<'a> Ctx<'a> {
    /// The experience's order for its MOTs, then the rest by id; in
    /// discovery mode only MOTs seen in the data.
    fn new(t: &'a Tracker, x: Option<&'a Experience>, options: &'a DashboardOptions) -> Ctx<'a> {
        let ids = &t.registry.ids;
        let mut order: Vec<usize> = (0..ids.len()).collect();
        let rank = |i: usize| {
            x.and_then(|x| x.mot_index(ids[i].as_str()))
                .unwrap_or(usize::MAX)
        };
        order.sort_by(|&a, &b| (rank(a), ids[a].as_str()).cmp(&(rank(b), ids[b].as_str())));
        let agg = &t.agg;
        let design = t.scratch.design.as_ref();
        let cx = Ctx {
            t,
            x,
            options,
            order: Vec::new(),
            design,
            gap: design.map(|d| GapTotals::of(t, d)),
        };
        // Designed MOTs are listed even when never seen: their steps are
        // missing from every journey.
        let order = order
            .into_iter()
            .filter(|&i| {
                cx.mot(i).is_some()
                    || agg.mots[i].n > 0
                    || agg.mots[i].journeys > 0
                    || design.is_some_and(|d| d.contains(i as u32))
            })
            .collect();
        Ctx { order, ..cx }
    }

    fn id(&self, i: usize) -> &'a str {
        self.t.registry.ids[i].as_str()
    }

    fn mot(&self, i: usize) -> Option<&'a Mot> {
        self.x.and_then(|x| x.mot(self.id(i)))
    }

    fn agg(&self) -> &'a crate::production::Aggregates {
        &self.t.agg
    }

    fn sco_rate(&self) -> Option<f64> {
        rate(self.agg().sco, self.agg().known)
    }

    /// Revenue of SCO journeys, when journey values were given.
    fn sco_value(&self) -> Option<f64> {
        let agg = self.agg();
        (agg.value_journeys > 0).then(|| agg.sco_value.value())
    }

    /// `[interactions, successes, judged]` summed over the shown MOTs that
    /// `pick` selects, as production figures.
    fn production(&self, mots: &[MotFigures], pick: impl Fn(&MotFigures) -> bool) -> Production {
        let mut c = [0u64; 3];
        for (m, &i) in mots.iter().zip(&self.order) {
            if pick(m) {
                let st = &self.agg().mots[i];
                c[0] += st.n;
                c[1] += st.s;
                c[2] += st.judged;
            }
        }
        Production::of(c[1], c[2], c[0])
    }
}

fn build(t: &Tracker, x: Option<&Experience>, options: &DashboardOptions) -> Dashboard {
    let cx = Ctx::new(t, x, options);
    let mots = mot_figures(&cx);
    let (trends, mut alerts) = trends_and_alerts(&cx, &mots);
    // Owner cards count the MOT alerts; the conformance alert is the
    // Experience Manager's.
    let ownership = ownership(&cx, &mots, &alerts);
    let conformance = conformance(&cx);
    alerts.extend(conformance.as_ref().and_then(|c| conformance_alert(&cx, c)));
    Dashboard {
        format: DASHBOARD_FORMAT.to_string(),
        experience: x.map(ExperienceRef::of),
        period: t.config.period.name(),
        amount: amount(&cx),
        sco: sco(&cx),
        ratio: ratio(&cx),
        ownership,
        types: types(&cx, &mots),
        producers: producers(&cx),
        cost: cost(&cx, &mots),
        directly_follows: directly_follows(&cx),
        journey_duration: t.agg.journey_time.figures(),
        conformance,
        at_risk: t.at_risk_figures(options.at_risk_threshold, options.at_risk_top),
        variants: variants(&cx),
        rejected: t.rejected(),
        mots,
        trends,
        alerts,
    }
}

fn amount(cx: &Ctx<'_>) -> Amount {
    let agg = cx.agg();
    Amount {
        designed_mots: cx.x.map(|x| x.mots().len() as u64),
        observed_mots: agg.mots.iter().filter(|m| m.n > 0).count() as u64,
        interactions: agg.interactions,
        journeys: agg.journeys,
        open_journeys: cx.t.open.len() as u64,
    }
}

fn sco(cx: &Ctx<'_>) -> ScoFigures {
    let agg = cx.agg();
    let (ci_low, ci_high) = ci(agg.sco, agg.known);
    ScoFigures {
        one_liner: cx.x.map(|x| x.spec().sco.one_liner.clone()),
        journeys: agg.known,
        successes: agg.sco,
        rate: cx.sco_rate(),
        ci_low,
        ci_high,
        target: cx.x.and_then(|x| x.spec().sco.target_rate),
        unknown: agg.journeys - agg.known,
        abandoned: agg.abandoned,
        value: cx.sco_value(),
    }
}

/// The experience's cost line of sight (see [`CostFigures`]).
fn cost(cx: &Ctx<'_>, mots: &[MotFigures]) -> CostFigures {
    let landscape = cx.x.map(|x| x.cost_rollup());
    let mut sum = crate::numeric::Sum::default();
    let mut any = false;
    for m in mots {
        if let Some(c) = m.dimensions.total_cost {
            sum.add(c);
            any = true;
        }
    }
    if let Some(l) = &landscape
        && l.total > 0.0
    {
        sum.add(l.unexplained);
        any = true;
    }
    let total = any.then(|| sum.value());
    let mut removal_candidates: Vec<RemovalCandidate> = mots
        .iter()
        .filter_map(|m| {
            let saves = m.dimensions.total_cost.filter(|c| *c > 0.0)?;
            let (re, low, high) = (
                m.removal_effect?,
                m.removal_effect_ci_low?,
                m.removal_effect_ci_high?,
            );
            (low <= 0.0).then(|| RemovalCandidate {
                mot: m.id.clone(),
                name: m.name.clone(),
                contribution: m.contribution.clone(),
                removal_effect: re,
                removal_effect_ci_high: high,
                saves,
            })
        })
        .collect();
    removal_candidates.sort_by(|a, b| b.saves.total_cmp(&a.saves).then_with(|| a.mot.cmp(&b.mot)));
    CostFigures {
        total,
        cost_per_sco: total
            .filter(|_| cx.agg().sco > 0)
            .map(|t| t / cx.agg().sco as f64),
        landscape_unexplained: landscape.as_ref().map(|l| l.unexplained),
        landscape_unexplained_share: landscape
            .as_ref()
            .filter(|l| l.total > 0.0)
            .map(|l| l.unexplained / l.total),
        removal_candidates,
    }
}

fn ratio(cx: &Ctx<'_>) -> Ratio {
    let agg = cx.agg();
    let ipj = rate(agg.journey_interactions, agg.journeys);
    let designed = cx.x.map(|x| x.mots().len());
    Ratio {
        interactions_per_journey: ipj,
        designed_mots: designed.map(|d| d as u64),
        designed_steps: cx.x.map(|x| x.designed_journey().len() as u64),
        ratio: match (ipj, designed) {
            (Some(r), Some(d)) if d > 0 => Some(r / d as f64),
            _ => None,
        },
    }
}

/// Per MOT: production, impact, trend slope, alignment, five dimensions.
fn mot_figures(cx: &Ctx<'_>) -> Vec<MotFigures> {
    let agg = cx.agg();
    let re: Option<RemovalEffects> = removal_effects_on(
        cx.t.registry.ids.len(),
        agg.transitions.iter(),
        cx.t.config.threads,
    );
    let shares = re.as_ref().and_then(|r| r.shares());
    let sco_rate = cx.sco_rate();
    let sco_value = cx.sco_value();
    let landscape = cx.x.map(|x| x.cost_rollup());
    let mut mots = Vec::with_capacity(cx.order.len());
    for &i in &cx.order {
        let st = &agg.mots[i];
        let m = cx.mot(i);
        let smoto_rate = rate(st.s, st.judged);
        let (ci_low, ci_high) = ci(st.s, st.judged);
        let successes = (st.judged > 0 || st.n == 0).then_some(st.s);
        let lift = lift(st.ok_known, st.ok_sco, st.fail_known, st.fail_sco);
        let lift_ci =
            crate::stats::newcombe(st.fail_sco, st.fail_known, st.ok_sco, st.ok_known, Z95);
        let removal_effect = re.as_ref().map(|r| r.effects[i]);
        let removal_ci = re.as_ref().and_then(|r| r.interval(i, Z95));
        let share = shares.as_ref().map(|s| s[i]);
        let share_ci = re.as_ref().and_then(|r| r.share_interval(i, Z95));
        let known = st.ok_known + st.fail_known;
        let sco_when_present = rate(st.ok_sco + st.fail_sco, known);
        let days: Vec<(f64, f64)> = st
            .days
            .iter()
            .map(|(d, n, s)| (d as f64, s as f64 / n as f64))
            .collect();
        let target = m.and_then(|m| m.smoto.target_rate);
        let alignment = cx.options.alignment.classify(&AlignmentInput {
            declared_none: m.is_some_and(|m| !m.contribution.serves_sco()),
            interactions: st.judged,
            rate: smoto_rate,
            target,
            lift,
            lift_ci_low: lift_ci.map(|c| c.low),
            removal_effect,
            removal_effect_ci_low: removal_ci.map(|c| c.0),
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
            .and_then(|l| l.mots.iter().find(|c| c.mot == cx.id(i)).map(|c| c.own));
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
            id: cx.id(i).to_string(),
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
            lift_ci_low: lift_ci.map(|c| c.low),
            lift_ci_high: lift_ci.map(|c| c.high),
            removal_effect,
            removal_effect_ci_low: removal_ci.map(|c| c.0),
            removal_effect_ci_high: removal_ci.map(|c| c.1),
            attribution_share: share,
            attribution_share_ci_low: share_ci.map(|c| c.0),
            attribution_share_ci_high: share_ci.map(|c| c.1),
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
            cost: total_cost.map(|total| {
                let per_interaction = (st.n > 0).then(|| total / st.n as f64);
                MotCost {
                    per_interaction,
                    per_success: (st.s > 0).then(|| total / st.s as f64),
                    of_failures: per_interaction
                        .filter(|_| st.judged > 0)
                        .map(|c| c * (st.judged - st.s) as f64),
                }
            }),
            cusum: cx
                .t
                .detectors
                .get(i)
                .copied()
                .flatten()
                .map(|d| CusumFigures {
                    p0: d.p0,
                    p1: d.p1,
                    h: d.h,
                    arl0: d.arl0,
                    statistic: d.statistic(st.cusum.s),
                    alarms: st.cusum.alarms,
                    last_alarm_at: st
                        .cusum
                        .last
                        .map(|(ns, _)| ns.div_euclid(crate::production::NANOS)),
                }),
            gap: cx.gap.as_ref().map(|g| {
                let [missing, extra, undesigned] = g.per_mot[i];
                Gap {
                    missing,
                    extra,
                    undesigned,
                }
            }),
        });
    }
    mots
}

/// One period of a p-chart.
struct ChartPoint {
    /// Period start, seconds since the epoch.
    start: i64,
    rate: f64,
    lcl: f64,
    ucl: f64,
    out: Option<OutOfControl>,
}

impl ChartPoint {
    /// Period `idx` with `s` successes out of `n`, against limits around
    /// `centre` (limits 0 and 1 without one).
    fn of(period: Period, centre: Option<f64>, idx: i64, n: u64, s: u64) -> ChartPoint {
        let rate = s as f64 / n as f64;
        let limits = centre.and_then(|c| p_chart_limits(c, n));
        let (lcl, ucl) = limits.map_or((0.0, 1.0), |l| (l.low, l.high));
        let out = if rate < lcl {
            Some(OutOfControl::Low)
        } else if rate > ucl {
            Some(OutOfControl::High)
        } else {
            None
        };
        ChartPoint {
            start: period.start_of(idx),
            rate,
            lcl,
            ucl,
            out,
        }
    }
}

/// Per MOT its p-chart over the periods, and the alerts of the latest
/// period (see [`Alert`]).
fn trends_and_alerts(cx: &Ctx<'_>, mots: &[MotFigures]) -> (Vec<Trend>, Vec<Alert>) {
    let agg = cx.agg();
    let period = cx.t.config.period;
    let series = |i: usize| cx.t.smoto_series(i);
    let latest = cx
        .order
        .iter()
        .filter_map(|&i| series(i).iter().last().map(|p| p.0))
        .max();
    let mut trends = Vec::new();
    let mut alerts = Vec::new();
    for (m, &i) in mots.iter().zip(&cx.order) {
        let st = &agg.mots[i];
        let centre = rate(st.s, st.judged);
        let detector = cx.t.detectors.get(i).copied().flatten();
        let last_alarm = detector.and(st.cusum.last);
        let owner_name = m
            .owner
            .as_ref()
            .and_then(|o| cx.x.and_then(|x| x.person(o)).map(|p| p.name.clone()));
        let label = m.name.clone().unwrap_or_else(|| m.id.clone());
        let mut points = Vec::new();
        for (idx, n, s) in series(i).iter() {
            let ChartPoint {
                start,
                rate: p,
                lcl,
                ucl,
                out,
            } = ChartPoint::of(period, centre, idx, n, s);
            // The detector's last alarm, when it fell in this period.
            let alarm_here = last_alarm.filter(|&(ns, _)| {
                let t = ns.div_euclid(crate::production::NANOS);
                (start..start.saturating_add(period.width())).contains(&t)
            });
            // Below target needs evidence: the period's Wilson upper bound
            // below the target (kept here when it is), or else a CUSUM alarm
            // in the period.
            let wilson_below = m
                .target
                .and_then(|t| wilson(s, n, Z95).map(|w| w.high).filter(|&u| u < t));
            if Some(idx) == latest && n >= cx.options.alert_min_interactions {
                let mut alert = |kind: AlertKind, limit: f64, what: &str| {
                    // Below target, the message says which evidence fired.
                    let (evidence, why) = match (kind, wilson_below) {
                        (AlertKind::BelowTarget, Some(upper)) => (
                            Evidence::Wilson,
                            format!(" (Wilson 95% upper bound {:.2}%)", upper * 100.0),
                        ),
                        (AlertKind::BelowTarget, None) => (
                            Evidence::Cusum,
                            " (its CUSUM alarmed in the period)".to_string(),
                        ),
                        _ => (Evidence::PChart, String::new()),
                    };
                    alerts.push(Alert {
                        evidence,
                        mot: Some(m.id.clone()),
                        name: m.name.clone(),
                        owner: m.owner.clone(),
                        owner_name: owner_name.clone(),
                        kind,
                        period_start: start,
                        rate: p,
                        interactions: n,
                        limit,
                        message: format!(
                            "{label}: SMOTO rate {:.2}% ({s}/{n}) in the latest {} is {what} {:.2}%{why}{}",
                            p * 100.0,
                            period.name(),
                            limit * 100.0,
                            owner_name.as_ref().map(|o| format!(" — tell {o}")).unwrap_or_default()
                        ),
                    });
                };
                match out {
                    Some(OutOfControl::Low) => alert(
                        AlertKind::BelowControlLimit,
                        lcl,
                        "below its lower control limit",
                    ),
                    Some(OutOfControl::High) => alert(
                        AlertKind::AboveControlLimit,
                        ucl,
                        "above its upper control limit",
                    ),
                    None => {}
                }
                if let Some(target) = m.target
                    && p < target
                    && (wilson_below.is_some() || alarm_here.is_some())
                {
                    alert(AlertKind::BelowTarget, target, "below its SMOTO target");
                }
            }
            if Some(idx) == latest
                && let (Some((ns, crossed)), Some(d), Some(target)) =
                    (alarm_here, detector, m.target)
            {
                let secs = ns.div_euclid(crate::production::NANOS);
                let clock = secs.rem_euclid(DAY);
                alerts.push(Alert {
                    mot: Some(m.id.clone()),
                    name: m.name.clone(),
                    owner: m.owner.clone(),
                    owner_name: owner_name.clone(),
                    kind: AlertKind::Cusum,
                    period_start: start,
                    rate: p,
                    interactions: n,
                    limit: target,
                    evidence: Evidence::Cusum,
                    message: format!(
                        "{label}: failures above target {:.2}% (CUSUM {:.2} ≥ h {:.2}) at {:02}:{:02} UTC in the latest {}{}",
                        target * 100.0,
                        d.statistic(crossed),
                        d.h,
                        clock / 3_600,
                        clock % 3_600 / 60,
                        period.name(),
                        owner_name.as_ref().map(|o| format!(" — tell {o}")).unwrap_or_default()
                    ),
                });
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
            mot: m.id.clone(),
            centre,
            periods: points,
        });
    }
    (trends, alerts)
}

/// The Design–Implementation gap over closed journeys, `null` without a
/// design.
fn conformance(cx: &Ctx<'_>) -> Option<Conformance> {
    let design = cx.design?;
    let g = &cx.agg().gap;
    let sums = &cx.gap.as_ref()?.sums;
    let overall = rate(g.conforming, g.journeys);
    let (ci_low, ci_high) = ci(g.conforming, g.journeys);
    let sco_when_conforming = rate(g.conforming_sco[1], g.conforming_sco[0]);
    let sco_when_deviating = rate(g.deviating_sco[1], g.deviating_sco[0]);
    let period = cx.t.config.period;
    let trend = g
        .periods
        .iter()
        .map(|(idx, n, s)| {
            let p = ChartPoint::of(period, overall, idx, n, s);
            ConformancePoint {
                start: p.start,
                journeys: n,
                conforming: s,
                rate: p.rate,
                // A period holds a journey, so the overall rate exists.
                centre: overall.unwrap_or(0.0),
                lcl: p.lcl,
                ucl: p.ucl,
                out_of_control: p.out,
            }
        })
        .collect();
    let [missing, extra, undesigned, out_of_order] = sums.deviations;
    Some(Conformance {
        designed: design
            .steps()
            .iter()
            .map(|&c| cx.id(c as usize).to_string())
            .collect(),
        designed_steps: design.steps().len() as u64,
        journeys: g.journeys,
        conforming: g.conforming,
        rate: overall,
        ci_low,
        ci_high,
        mean_fitness: sums.mean_fitness(),
        mean_cost: (sums.journeys > 0).then(|| sums.cost as f64 / sums.journeys as f64),
        deviations: Deviations {
            missing,
            extra,
            undesigned,
            out_of_order,
        },
        sco_when_conforming,
        sco_when_deviating,
        lift: sco_when_conforming
            .zip(sco_when_deviating)
            .map(|(a, b)| a - b),
        trend,
    })
}

/// The `conformance` alert: the latest period's conformance below its
/// lower control limit, with at least `alert_min_interactions` journeys;
/// for the Experience Manager.
fn conformance_alert(cx: &Ctx<'_>, c: &Conformance) -> Option<Alert> {
    let p = c.trend.last()?;
    if p.out_of_control != Some(OutOfControl::Low) || p.journeys < cx.options.alert_min_interactions
    {
        return None;
    }
    let owner = cx.x.map(|x| x.spec().manager.to_string());
    let owner_name =
        cx.x.and_then(|x| owner.as_deref().and_then(|o| x.person(o)))
            .map(|p| p.name.clone());
    Some(Alert {
        mot: None,
        name: None,
        owner,
        kind: AlertKind::Conformance,
        period_start: p.start,
        rate: p.rate,
        interactions: p.journeys,
        limit: p.lcl,
        evidence: Evidence::PChart,
        message: format!(
            "Conformance to the designed journey {:.2}% ({}/{} journeys) in the latest {} is below its lower control limit {:.2}%{}",
            p.rate * 100.0,
            p.conforming,
            p.journeys,
            cx.t.config.period.name(),
            p.lcl * 100.0,
            owner_name
                .as_ref()
                .map(|o| format!(" — tell {o}"))
                .unwrap_or_default()
        ),
        owner_name,
    })
}

/// Production per interaction type: unknown type first, then `PP PS SP SS
/// PO OP`.
fn types(cx: &Ctx<'_>, mots: &[MotFigures]) -> Vec<TypeFigures> {
    let type_of = |m: &MotFigures| -> Option<InteractionType> {
        m.interaction_type.as_deref().and_then(|c| c.parse().ok())
    };
    let mut kinds: BTreeMap<Option<InteractionType>, u64> = BTreeMap::new();
    for m in mots {
        *kinds.entry(type_of(m)).or_default() += 1;
    }
    kinds
        .into_iter()
        .map(|(ty, count)| TypeFigures {
            interaction_type: ty.map(|t| t.code().to_string()),
            mots: count,
            production: cx.production(mots, |m| type_of(m) == ty),
        })
        .collect()
}

/// The share of owned MOTs and a scorecard per MOT Manager, in the order of
/// the experience's people.
fn ownership(cx: &Ctx<'_>, mots: &[MotFigures], alerts: &[Alert]) -> Ownership {
    let Some(x) = cx.x else {
        return Ownership {
            share_owned: None,
            owners: Vec::new(),
        };
    };
    let owns = |m: &MotFigures, person: &str| m.owner.as_deref() == Some(person);
    let owners = x
        .spec()
        .people
        .iter()
        .filter_map(|p| {
            let id = p.id.as_str();
            let managed: Vec<String> = mots
                .iter()
                .filter(|m| owns(m, id))
                .map(|m| m.id.clone())
                .collect();
            (!managed.is_empty()).then(|| OwnerCard {
                person: p.id.to_string(),
                name: p.name.clone(),
                mots: managed,
                production: cx.production(mots, |m| owns(m, id)),
                alerts: alerts
                    .iter()
                    .filter(|a| a.owner.as_deref() == Some(id))
                    .count() as u64,
            })
        })
        .collect();
    Ownership {
        share_owned: x.ownership_share(),
        owners,
    }
}

/// Production per Experience Producer, by id.
fn producers(cx: &Ctx<'_>) -> Vec<ProducerFigures> {
    let mut producers: Vec<ProducerFigures> = cx
        .agg()
        .producers
        .iter()
        .map(|(p, c)| ProducerFigures {
            producer: p.to_string(),
            name: cx.x.and_then(|x| x.person(p)).map(|p| p.name.clone()),
            production: Production::of(c[1], c[2], c[0]),
        })
        .collect();
    producers.sort_by(|a, b| a.producer.cmp(&b.producer));
    producers
}

/// Directly-follows edges and start/end counts, by count (highest first),
/// ties by id.
fn directly_follows(cx: &Ctx<'_>) -> DirectlyFollows {
    let name = |s: u32| cx.id(s as usize - 1).to_string();
    let duration = cx.agg().edge_times.figures(cx.t.config.threads);
    let mut edges = Vec::new();
    let mut start = Vec::new();
    let mut end = Vec::new();
    for (f, to, c) in cx.agg().transitions.iter() {
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
                duration: duration(f - 1, t - 1),
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
    DirectlyFollows { edges, start, end }
}

/// How many distinct sequences, and the `top_variants` most frequent, ties
/// by the sequence of ids.
fn variants(cx: &Ctx<'_>) -> Variants {
    let agg = cx.agg();
    let ids = |seq: &[u32]| seq.iter().map(|&m| cx.id(m as usize)).collect::<Vec<_>>();
    // Top-k by count, ties by MOT-id sequence: select, then sort only the k.
    let by_rank = |a: &(&[u32], u64), b: &(&[u32], u64)| {
        b.1.cmp(&a.1).then_with(|| {
            a.0.iter()
                .map(|&m| cx.id(m as usize))
                .cmp(b.0.iter().map(|&m| cx.id(m as usize)))
        })
    };
    let k = cx.options.top_variants.min(agg.variants.len());
    // Only variants at least as frequent as the k-th most frequent can be
    // listed: pick those by count first (comparing MOT ids is slow, and
    // most variants tie at low counts), then rank the few left.
    let mut counts: Vec<u64> = agg.variants.iter().map(|(_, c)| c).collect();
    let least = match k {
        0 => u64::MAX,
        _ => *counts.select_nth_unstable_by(k - 1, |a, b| b.cmp(a)).1,
    };
    let mut ranked: Vec<(&[u32], u64)> = agg.variants.iter().filter(|&(_, c)| c >= least).collect();
    if k > 0 && k < ranked.len() {
        ranked.select_nth_unstable_by(k - 1, by_rank);
    }
    ranked.truncate(k);
    ranked.sort_by(by_rank);
    Variants {
        distinct: cx
            .t
            .config
            .track_variants
            .then_some(agg.variants.len() as u64),
        top: ranked
            .into_iter()
            .map(|(seq, count)| {
                let d = cx
                    .design
                    .map(|d| d.measure(seq, &mut GapScratch::default(), |_, _, _, _| {}));
                Variant {
                    mots: ids(seq).into_iter().map(String::from).collect(),
                    count,
                    cost: d.map(|d| u64::from(d.cost)),
                    fitness: d.map(|d| d.fitness()),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Columns, Ids, OutcomeColumns, TrackerConfig};

    const T0: i64 = 1_795_392_000; // Monday 2026-11-23

    /// A discovery-mode tracker over `(journey, mot, ts offset, success)`.
    fn tracker(rows: &[(u64, &str, i64, bool)], outcomes: &[(u64, bool)]) -> Tracker {
        let j: Vec<u64> = rows.iter().map(|r| r.0).collect();
        let m: Vec<&str> = rows.iter().map(|r| r.1).collect();
        let ts: Vec<i64> = rows.iter().map(|r| T0 + r.2).collect();
        let ok: Vec<bool> = rows.iter().map(|r| r.3).collect();
        let oj: Vec<u64> = outcomes.iter().map(|o| o.0).collect();
        let os: Vec<bool> = outcomes.iter().map(|o| o.1).collect();
        let mut t = Tracker::discovery(TrackerConfig::default());
        t.ingest(
            &Columns::new(Ids::U64(&j), Ids::Str(&m), &ts, &ok),
            Some(&OutcomeColumns::new(Ids::U64(&oj), &os)),
        )
        .unwrap();
        t
    }

    #[test]
    fn discovery_order_is_by_id_and_only_seen_mots() {
        let t = tracker(&[(1, "b", 0, true), (1, "a", 1, true)], &[]);
        let options = DashboardOptions::default();
        let cx = Ctx::new(&t, None, &options);
        let ids: Vec<&str> = cx.order.iter().map(|&i| cx.id(i)).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn bound_order_is_the_experiences_then_the_rest() {
        let x = crate::sample::airline();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        t.record(1u64, "bag-drop", T0, true, None).unwrap();
        let options = DashboardOptions::default();
        let cx = Ctx::new(&t, Some(&x), &options);
        let first: Vec<&str> = cx.order.iter().take(2).map(|&i| cx.id(i)).collect();
        let want: Vec<&str> = x.mots().iter().take(2).map(|m| m.id.as_str()).collect();
        assert_eq!(first, want);
        assert_eq!(cx.order.len(), x.mots().len());
    }

    #[test]
    fn directly_follows_and_variants_rank_by_count_then_id() {
        let t = tracker(
            &[
                (1, "a", 0, true),
                (1, "b", 1, true),
                (2, "a", 0, true),
                (2, "b", 1, true),
                (3, "b", 0, true),
                (3, "a", 1, true),
                (4, "c", 0, true),
            ],
            &[],
        );
        let options = DashboardOptions {
            top_variants: 2,
            ..DashboardOptions::default()
        };
        let cx = Ctx::new(&t, None, &options);
        let df = directly_follows(&cx);
        let edges: Vec<(&str, &str, u64)> = df
            .edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str(), e.count))
            .collect();
        assert_eq!(edges, [("a", "b", 2), ("b", "a", 1)]);
        let start: Vec<(&str, u64)> = df.start.iter().map(|s| (s.mot.as_str(), s.count)).collect();
        assert_eq!(start, [("a", 2), ("b", 1), ("c", 1)]);
        let v = variants(&cx);
        assert_eq!(v.distinct, Some(3));
        let top: Vec<(Vec<String>, u64)> = v.top.into_iter().map(|v| (v.mots, v.count)).collect();
        // Ties (count 1) by the sequence of ids: `b a` before `c`.
        assert_eq!(
            top,
            [
                (vec!["a".to_string(), "b".to_string()], 2),
                (vec!["b".to_string(), "a".to_string()], 1)
            ]
        );
    }

    #[test]
    fn production_sums_the_picked_mots_and_types_group_them() {
        let t = tracker(
            &[(1, "a", 0, true), (1, "b", 1, false), (2, "a", 0, false)],
            &[(1, true), (2, false)],
        );
        let options = DashboardOptions::default();
        let cx = Ctx::new(&t, None, &options);
        let mots = mot_figures(&cx);
        let p = cx.production(&mots, |m| m.id == "a");
        assert_eq!(
            (p.interactions, p.successes, p.rate),
            (2, Some(1), Some(0.5))
        );
        let all = types(&cx, &mots);
        assert_eq!(all.len(), 1); // no experience: one unknown type
        assert_eq!(all[0].production.interactions, 3);
        assert_eq!(ownership(&cx, &mots, &[]).share_owned, None);
    }

    #[test]
    fn alerts_name_the_kind_and_trends_flag_the_side() {
        // 20 days of 40 successes, then a day of 40 failures.
        let mut rows = Vec::new();
        for d in 0..21i64 {
            for k in 0..40u64 {
                rows.push(((d as u64) * 100 + k, "m", d * 86_400 + k as i64, d < 20));
            }
        }
        let t = tracker(&rows, &[]);
        let options = DashboardOptions::default();
        let cx = Ctx::new(&t, None, &options);
        let mots = mot_figures(&cx);
        let (trends, alerts) = trends_and_alerts(&cx, &mots);
        let last = trends[0].periods.last().unwrap();
        assert_eq!(last.out_of_control, Some(OutOfControl::Low));
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].kind, AlertKind::BelowControlLimit);
        let json = serde_json::to_value(&alerts[0]).unwrap();
        assert_eq!(json["kind"], "below-control-limit");
        assert_eq!(serde_json::to_value(last).unwrap()["out_of_control"], "low");
    }
}
