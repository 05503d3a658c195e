//! The engine's reads: the dashboard in its renderings, journeys at risk,
//! the alarms kept, the summary the stream sends, the figures `/metrics`
//! adds to its own. They see only durable data (the engine answers them
//! after a group's sync).

use mot_core::cusum::Alarm;
use mot_core::input::time::{Precision, format_utc};
use mot_core::{Dashboard, DashboardOptions};
use serde_json::{Value, json};

use super::{Answer, NANOS, Read, Rendering, State, core_error};
use crate::serve::ApiError;

impl State {
    fn dashboard(&self, top_variants: Option<usize>) -> Result<Dashboard, ApiError> {
        let mut options: DashboardOptions = self.settings.dashboard_options();
        if let Some(k) = top_variants {
            options.top_variants = k;
        }
        Dashboard::build(&self.tracker, Some(&self.experience), &options)
            .map_err(|e| core_error(&e))
    }

    /// Before/after on the live state: the always-valid interval is the
    /// one to watch here, however often the page asks.
    fn compare(
        &self,
        before: &str,
        after: &str,
        alpha: Option<f64>,
        tau2: Option<f64>,
        rendering: Rendering,
    ) -> Result<Answer, ApiError> {
        let window = |w: &str| w.parse::<mot_core::Window>().map_err(|e| core_error(&e));
        let d = mot_core::CompareOptions::default();
        let options = mot_core::CompareOptions {
            alpha: alpha.unwrap_or(d.alpha),
            tau2: tau2.unwrap_or(d.tau2),
        };
        let c = mot_core::Comparison::build(
            &self.tracker,
            Some(&self.experience),
            window(before)?,
            window(after)?,
            &options,
        )
        .map_err(|e| core_error(&e))?;
        let (body, content_type) = match rendering {
            Rendering::Json => (c.to_json(), "application/json"),
            Rendering::Html => (c.to_html(), "text/html; charset=utf-8"),
            Rendering::Table => (c.to_table(), "text/plain; charset=utf-8"),
        };
        Ok(Answer {
            body,
            content_type,
            replayed: false,
        })
    }

    pub(super) fn read(&self, read: Read, seq: u64) -> Result<Answer, ApiError> {
        match read {
            Read::Compare {
                before,
                after,
                alpha,
                tau2,
                rendering,
            } => self.compare(&before, &after, alpha, tau2, rendering),
            Read::Dashboard {
                top_variants,
                period,
                rendering,
            } => {
                if let Some(p) = period {
                    let asked: mot_core::Period = p.parse().map_err(|e: mot_core::Error| {
                        ApiError::new(400, "config", e.to_string())
                    })?;
                    let kept = self.tracker.config().period;
                    if asked != kept {
                        return Err(ApiError::new(
                            400,
                            "config",
                            format!(
                                "the service counts by the period `{kept}` (its settings' `period`); `{asked}` would need the per-interaction log again"
                            ),
                        ));
                    }
                }
                let d = self.dashboard(top_variants)?;
                Ok(match rendering {
                    Rendering::Json => Answer {
                        body: d.to_json(),
                        content_type: "application/json",
                        replayed: false,
                    },
                    Rendering::Html => Answer {
                        body: d.to_html(),
                        content_type: "text/html; charset=utf-8",
                        replayed: false,
                    },
                    Rendering::Table => Answer {
                        body: d.to_table(),
                        content_type: "text/plain; charset=utf-8",
                        replayed: false,
                    },
                })
            }
            Read::AtRisk { threshold, limit } => {
                let threshold = threshold.unwrap_or(self.settings.at_risk_threshold);
                if !(0.0..=1.0).contains(&threshold) {
                    return Err(ApiError::new(
                        400,
                        "config",
                        format!("threshold `{threshold}` must be a probability from 0 to 1"),
                    ));
                }
                let limit = limit.unwrap_or(self.settings.at_risk_top);
                let top = self.tracker.at_risk(threshold, limit);
                let rows: Vec<Value> = top
                    .iter()
                    .map(|r| {
                        let mut v = json!(r);
                        v["time"] =
                            json!(format_utc(r.at.saturating_mul(NANOS), Precision::Seconds));
                        v
                    })
                    .collect();
                Ok(Answer::json(&json!({
                    "threshold": threshold,
                    "open_journeys": self.tracker.open_journeys(),
                    "journeys": rows,
                })))
            }
            Read::Alarms { since } => {
                let filter = parse_since(since.as_deref())?;
                let list: Vec<Value> = self
                    .alarms
                    .iter()
                    .filter(|(id, a)| match filter {
                        Since::All => true,
                        Since::Id(s) => *id > s,
                        Since::Time(t) => a.timestamp >= t,
                    })
                    .map(|(id, a)| alarm_json(*id, a))
                    .collect();
                Ok(Answer::json(&json!({
                    "alarms": list,
                    "last_id": self.next_alarm - 1,
                })))
            }
            Read::Summary => Ok(Answer::json(&self.summary(seq))),
            Read::Metrics => {
                let rejected: serde_json::Map<String, Value> = self
                    .tracker
                    .rejected()
                    .nonzero()
                    .map(|(r, n)| (r.as_str().to_string(), json!(n)))
                    .collect();
                Ok(Answer::json(&json!({
                    "interactions": self.tracker.interactions(),
                    "journeys": self.tracker.journeys(),
                    "open_journeys": self.tracker.open_journeys(),
                    "rejected": rejected,
                    "seq": seq,
                    "recovery": {
                        "replayed": self.recovery.replayed,
                        "torn_bytes": self.recovery.torn_bytes,
                        "lost_records": self.recovery.lost_records,
                        "bad_snapshots": self.recovery.bad_snapshots,
                    },
                })))
            }
        }
    }

    /// What the live page's header shows, and what the stream sends at
    /// most once a second.
    fn summary(&self, seq: u64) -> Value {
        json!({
            "seq": seq,
            "experience": self.experience.spec().id,
            "version": self.experience.spec().version,
            "interactions": self.tracker.interactions(),
            "journeys": self.tracker.journeys(),
            "open_journeys": self.tracker.open_journeys(),
            "rejected": self.tracker.rejected().total(),
            "alarms": self.next_alarm - 1,
        })
    }
}

enum Since {
    All,
    Id(u64),
    Time(i64),
}

fn parse_since(since: Option<&str>) -> Result<Since, ApiError> {
    let Some(s) = since.filter(|s| !s.is_empty()) else {
        return Ok(Since::All);
    };
    if let Ok(id) = s.parse::<u64>() {
        return Ok(Since::Id(id));
    }
    mot_core::input::time::parse_rfc3339_ns(s)
        .map(|ns| Since::Time(ns.div_euclid(NANOS)))
        .ok_or_else(|| {
            ApiError::new(
                400,
                "config",
                format!("since `{s}` is neither an alarm id nor an RFC 3339 time"),
            )
        })
}

pub(crate) fn alarm_json(id: u64, a: &Alarm) -> Value {
    let mut v = json!(a);
    v["id"] = json!(id);
    v["time"] = json!(format_utc(
        a.timestamp.saturating_mul(NANOS),
        Precision::Seconds
    ));
    v
}
