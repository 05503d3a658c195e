//! The dashboard as one self-contained HTML page (inline CSS and SVG, no
//! scripts, no network), laid out like the web page of `mot-wasm/www`: key
//! figures, alerts, the SMOTO bars beside the magic–misery map, every MOT,
//! the Design–Implementation gap, trends, and the tables. The figures are
//! [`figure`](super::figure)'s. Names are shown, ids beside them; numbers
//! are written as the web page writes them (never `-0.00`); the CSS is
//! scoped to the report's own element, so that the page can be embedded
//! (a notebook cell, an iframe) without restyling its host.

use std::fmt::Write as _;

use super::super::{Alert, Dashboard, MotFigures, Production, Trend, TrendPoint};
use super::figure::{self, fixed, label, pts, signed};
use super::{count, esc, pct, utc_date};
use crate::Alignment;

const CLASSES: [Alignment; 5] = [
    Alignment::Magic,
    Alignment::Misery,
    Alignment::Neutral,
    Alignment::Unaligned,
    Alignment::Unmeasured,
];

/// What each class means, in words (the web page's).
fn class_note(a: Alignment) -> &'static str {
    match a {
        Alignment::Magic => "contributes and performs",
        Alignment::Misery => "fails the customer or hurts the SCO",
        Alignment::Neutral => "too little data, or no measurable effect",
        Alignment::Unaligned => "declared to contribute nothing: candidate for removal",
        Alignment::Unmeasured => "observed, but the log has no success flag",
    }
}

fn type_name(code: Option<&str>) -> &'static str {
    match code {
        Some("PP") => "Person → Person",
        Some("PS") => "Person → System",
        Some("SP") => "System → Person",
        Some("SS") => "System → System",
        Some("PO") => "Person → Product/Service",
        Some("OP") => "Product/Service → Person",
        _ => "unknown type",
    }
}

/// `low–high`, or one dash.
fn ci(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (None, None) => "–".into(),
        _ => format!("{}–{}", pct(lo), pct(hi)),
    }
}

fn opt(x: Option<f64>, f: impl Fn(f64) -> String) -> String {
    x.map_or_else(|| "–".into(), f)
}

/// A whole amount of money, with thousands separators, no negative zero.
fn money(x: f64) -> String {
    let r = x.round();
    let t = count(r.abs() as u64);
    if r < 0.0 { format!("−{t}") } else { t }
}

/// An amount of money: whole units from 100 up, else two decimals (the
/// web page's `amount`).
fn amount(x: f64) -> String {
    if x.abs() >= 100.0 {
        money(x)
    } else {
        fixed(x, 2)
    }
}

fn badge(a: Alignment) -> String {
    format!(
        "<span class=\"badge c-{0}\" title=\"{1}\">{0}</span>",
        a.as_str(),
        class_note(a)
    )
}

impl Dashboard {
    /// The dashboard as one self-contained HTML page (inline CSS and SVG, no
    /// scripts, no network): key figures, alerts, SMOTO rates with their
    /// intervals, the magic–misery map, every MOT, the design against
    /// reality, trends with control limits, and the tables. All text from
    /// the data is escaped.
    pub fn to_html(&self) -> String {
        let mut h = String::with_capacity(128 * 1024);
        let title = match &self.experience {
            Some(x) => format!("{} — {}", x.name, x.segment),
            None => "Interaction log".into(),
        };
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>MOT dashboard — {}</title>\n<style>{CSS}</style></head>\n<body><div class=\"motr\">\n",
            esc(&title)
        );
        self.header(&mut h);
        h.push_str("<main>\n");
        self.cards(&mut h);
        self.alerts_panel(&mut h);
        h.push_str("<div class=\"row\">");
        self.bars_panel(&mut h);
        self.map_panel(&mut h);
        h.push_str("</div>\n");
        self.mots_panel(&mut h);
        h.push_str(&super::super::gap_view::html(self));
        self.trends_panel(&mut h);
        self.owners_panel(&mut h);
        h.push_str("<div class=\"row\">");
        self.types_panel(&mut h);
        self.rejected_panel(&mut h);
        h.push_str("</div>\n");
        self.dimensions_panel(&mut h);
        self.cost_panel(&mut h);
        self.producers_panel(&mut h);
        self.variants_panel(&mut h);
        h.push_str("</main>\n");
        let _ = write!(
            h,
            "<footer><p>Rates are shown with 95% intervals (Wilson): ranges that hold the true rate in 95 cases out of 100, narrower the more interactions there are. \
Lift is how much more often journeys reach the successful outcome when the MOT never failed than when it failed. \
Removal effect is the share of successful outcomes that would be lost without the MOT, computed exactly from the journeys observed. \
Control limits show how far a period's rate may wander by chance alone; a period outside them is flagged.</p>\
<p>Trend period: {} · format mot.dashboard/1</p></footer>\n</div></body></html>\n",
            esc(&self.period)
        );
        h
    }

    /// An MOT Manager's name, or the person id when no name is known.
    fn owner_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.ownership
            .owners
            .iter()
            .find(|o| o.person == id)
            .map_or(id, |o| o.name.as_str())
    }

    fn mot_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.mots
            .iter()
            .find(|m| m.id == id)
            .map_or(id, |m| label(m))
    }

    fn header(&self, h: &mut String) {
        h.push_str("<header><p class=\"eyebrow\">Moments of Truth dashboard</p>");
        match &self.experience {
            Some(x) => {
                let _ = write!(
                    h,
                    "<h1>{} — {}</h1><p class=\"subtitle\">",
                    esc(&x.name),
                    esc(&x.segment)
                );
                if let Some(v) = &x.version {
                    let _ = write!(h, "version {} · ", esc(v));
                }
                if let Some(o) = &self.sco.one_liner {
                    let _ = write!(h, "SCO: “<b>{}</b>” · ", esc(o));
                }
                let _ = write!(h, "by {}</p>", esc(&self.period));
            }
            None => {
                let _ = write!(
                    h,
                    "<h1>Interaction log</h1><p class=\"subtitle\">Discovery mode: no experience given, so the MOTs come from the log · by {}</p>",
                    esc(&self.period)
                );
            }
        }
        h.push_str("</header>\n");
    }

    fn cards(&self, h: &mut String) {
        let card = |h: &mut String, title: &str, big: &str, caption: &str, lines: &[String]| {
            let _ = write!(
                h,
                "<section class=\"card\" aria-label=\"{title}\"><h3>{title}</h3><p class=\"big\">{big}<span class=\"caption\">{caption}</span></p>"
            );
            for l in lines.iter().filter(|l| !l.is_empty()) {
                let _ = write!(h, "<p class=\"sub\">{l}</p>");
            }
            h.push_str("</section>");
        };
        h.push_str("<section class=\"cards\" aria-label=\"Key figures\">");
        let s = &self.sco;
        let below = matches!((s.rate, s.target), (Some(r), Some(t)) if r < t);
        card(
            h,
            "SCO rate",
            &pct(s.rate),
            s.one_liner
                .as_deref()
                .map_or("", |_| "of journeys reach the SCO"),
            &[
                format!(
                    "<span class=\"nowrap\">95% CI {}</span>",
                    ci(s.ci_low, s.ci_high)
                ),
                if s.journeys > 0 {
                    format!(
                        "{} of {} journeys with a known outcome",
                        count(s.successes),
                        count(s.journeys)
                    )
                } else {
                    "no journey outcome known: give outcomes or an SCO rule".into()
                },
                s.target.map_or_else(String::new, |t| {
                    format!(
                        "target {} <span class=\"badge {}\">{}</span>",
                        pct(Some(t)),
                        if below { "bad" } else { "good" },
                        if below { "below" } else { "met" }
                    )
                }),
                format!(
                    "{} unknown · {} abandoned",
                    count(s.unknown),
                    count(s.abandoned)
                ),
                s.value
                    .map_or_else(String::new, |v| format!("SCO revenue {}", money(v))),
            ],
        );
        let a = &self.amount;
        card(
            h,
            "Amount",
            &count(a.interactions),
            "interactions",
            &[
                format!(
                    "{} MOTs observed{}",
                    a.observed_mots,
                    a.designed_mots
                        .map(|d| format!(" of {d} designed"))
                        .unwrap_or_default()
                ),
                format!("{} journeys closed", count(a.journeys)),
                if a.open_journeys > 0 {
                    format!("{} still open", count(a.open_journeys))
                } else {
                    String::new()
                },
            ],
        );
        let r = &self.ratio;
        card(
            h,
            "Ratio",
            &opt(r.ratio, |x| fixed(x, 2)),
            "× design",
            &[
                format!(
                    "{} interactions per journey",
                    opt(r.interactions_per_journey, |x| fixed(x, 2))
                ),
                match (r.designed_mots, r.designed_steps) {
                    (Some(m), Some(s)) => format!("{m} MOTs designed · {s} steps on the path"),
                    (Some(m), None) => format!("{m} MOTs designed"),
                    _ => "no experience given".into(),
                },
            ],
        );
        let o = &self.ownership;
        let unowned: Vec<&str> = self
            .mots
            .iter()
            .filter(|m| m.owner.is_none())
            .map(label)
            .collect();
        card(
            h,
            "Ownership",
            &pct(o.share_owned),
            "owned",
            &[
                format!(
                    "{} MOT Manager{}",
                    o.owners.len(),
                    if o.owners.len() == 1 { "" } else { "s" }
                ),
                if unowned.is_empty() || self.experience.is_none() {
                    String::new()
                } else {
                    format!("No owner: {}", esc(&unowned.join(", ")))
                },
            ],
        );
        let counts: Vec<usize> = CLASSES
            .iter()
            .map(|&c| self.mots.iter().filter(|m| m.alignment == c).count())
            .collect();
        let total = self.mots.len().max(1) as f64;
        let mix: String = CLASSES
            .iter()
            .zip(&counts)
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| {
                format!(
                    "<span class=\"c-{}\" style=\"width:{:.2}%\"></span>",
                    c.as_str(),
                    *n as f64 / total * 100.0
                )
            })
            .collect();
        let dots: String = CLASSES
            .iter()
            .zip(&counts)
            .map(|(c, n)| {
                format!(
                    "<span class=\"dot c-{0}\" title=\"{1}\">{0} {n}</span>",
                    c.as_str(),
                    class_note(*c)
                )
            })
            .collect();
        card(
            h,
            "Alignment",
            &counts[1].to_string(),
            &format!("of {} in misery", self.mots.len()),
            &[
                format!(
                    "<span class=\"mix\" role=\"img\" aria-label=\"alignment classes\">{mix}</span>"
                ),
                format!("<span class=\"dots\">{dots}</span>"),
            ],
        );
        let mut who: Vec<&str> = Vec::new();
        for a in &self.alerts {
            let n = a.owner_name.as_deref().unwrap_or("no owner");
            if !who.contains(&n) {
                who.push(n);
            }
        }
        card(
            h,
            "Alerts",
            &self.alerts.len().to_string(),
            &format!("in the latest {}", esc(&self.period)),
            &[if self.alerts.is_empty() {
                "every MOT in control and on target".into()
            } else {
                format!("for {}", esc(&who.join(", ")))
            }],
        );
        let rejected: Vec<String> = self
            .rejected
            .nonzero()
            .take(3)
            .map(|(r, n)| format!("{} {}", count(n), r.as_str()))
            .collect();
        card(
            h,
            "Rejected rows",
            &count(self.rejected.total()),
            "rows",
            &[if rejected.is_empty() {
                "every row was used".into()
            } else {
                rejected.join("<br>")
            }],
        );
        h.push_str("</section>\n");
    }

    fn alerts_panel(&self, h: &mut String) {
        let period = esc(&self.period);
        if self.alerts.is_empty() {
            let _ = writeln!(
                h,
                "<section class=\"panel\" id=\"alerts\"><h2>Alerts for the MOT Managers</h2><p class=\"intro\">No alerts: in the latest {period}, every MOT with enough interactions is within its control limits and at or above its target.</p></section>"
            );
            return;
        }
        let _ = write!(
            h,
            "<section class=\"panel\" id=\"alerts\"><h2>Alerts for the MOT Managers</h2><p class=\"intro\">The latest {period} of an MOT outside its control limits or below its SMOTO target: tell its owner so they can course-correct.</p><ul class=\"alerts\">"
        );
        for a in &self.alerts {
            h.push_str(&alert_item(a, &self.period));
        }
        h.push_str("</ul></section>\n");
    }

    fn bars_panel(&self, h: &mut String) {
        let _ = write!(
            h,
            "<section class=\"panel\" id=\"bars\"><h2>SMOTO rate per MOT</h2><p class=\"intro\">Successful MOT outcomes ÷ interactions. Whiskers: 95% interval; amber tick: SMOTO target; colour: alignment class.</p><figure>{}<figcaption>{}</figcaption></figure></section>",
            figure::bars_svg(&self.mots),
            legend(true)
        );
    }

    fn map_panel(&self, h: &mut String) {
        let l = figure::map_layout(&self.mots);
        let _ = write!(
            h,
            "<section class=\"panel\" id=\"map\"><h2>Moments of magic and misery</h2><p class=\"intro\">Performance against impact: each MOT at its SMOTO rate (up) and its lift (right: success there makes the SCO more likely). Circle area: removal effect. Colour: alignment class.</p><figure>"
        );
        if l.points.is_empty() {
            h.push_str("<p class=\"empty\">No MOT has a SMOTO rate: the log has no success flag, so the map cannot be drawn.</p>");
        } else {
            h.push_str(&figure::map_svg(&self.mots));
        }
        let _ = write!(h, "<figcaption>{}", legend(false));
        if !l.unlabelled.is_empty() {
            let _ = write!(
                h,
                "<p class=\"note\">Not labelled for lack of room (hover a circle for its name): {}.</p>",
                figure::names(&self.mots, &l.unlabelled)
            );
        }
        if !l.off.is_empty() && !l.points.is_empty() {
            let _ = write!(
                h,
                "<p class=\"note\">Not on the map (no SMOTO rate): {}.</p>",
                figure::names(&self.mots, &l.off)
            );
        }
        h.push_str("</figcaption></figure></section>\n");
    }

    fn mots_panel(&self, h: &mut String) {
        h.push_str("<section class=\"panel\" id=\"mots\"><h2>SMOTO and impact per MOT</h2><p class=\"intro\">Lift: how much more often journeys reach the SCO when the MOT never failed than when it failed. Removal effect: the share of successful outcomes lost without the MOT. Trend: change of the daily SMOTO rate per day.</p>\
<div class=\"tw\"><table class=\"mots\"><thead><tr><th>MOT</th><th>Type</th><th>Owner</th><th>Contribution</th><th class=\"num\">n</th><th class=\"num\">SMOTO</th><th class=\"num\">95% CI</th><th class=\"num\">Target</th><th class=\"num\">Lift</th><th class=\"num\">Removal effect</th><th class=\"num\">SCO journeys attributed</th><th class=\"num\">Trend / day</th><th>Class</th></tr></thead><tbody>");
        for m in &self.mots {
            let owner = match &m.owner {
                Some(id) => format!(
                    "<span title=\"{}\">{}</span>",
                    esc(id),
                    esc(self.owner_name(id))
                ),
                None if self.experience.is_some() => "<span class=\"warn\">none</span>".into(),
                None => "–".into(),
            };
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}{}{}</th><td title=\"{}\">{}</td><td>{owner}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                if m.parent.is_some() {
                    "<span class=\"nest\">↳ </span>"
                } else {
                    ""
                },
                esc(label(m)),
                // The id under the name (once, when the name is the id).
                if m.name.is_some() {
                    format!("<span class=\"id\">{}</span>", esc(&m.id))
                } else {
                    String::new()
                },
                type_name(m.interaction_type.as_deref()),
                esc(m.interaction_type.as_deref().unwrap_or("–")),
                esc(m.contribution.as_deref().unwrap_or("–")),
                count(m.interactions),
                pct(m.smoto_rate),
                ci(m.ci_low, m.ci_high),
                pct(m.target),
                opt(m.lift, |v| signed(v, 3)),
                opt(m.removal_effect, |v| fixed(v, 3))
                    + &match (m.removal_effect_ci_low, m.removal_effect_ci_high) {
                        (Some(lo), Some(hi)) => format!(
                            "<span class=\"sub\" title=\"95% interval\">{}–{}</span>",
                            fixed(lo, 3),
                            fixed(hi, 3)
                        ),
                        _ => String::new(),
                    },
                opt(m.attributed_conversions, |v| fixed(v, 2)),
                pts(m.trend_slope_per_day),
                badge(m.alignment)
            );
        }
        h.push_str("</tbody></table></div></section>\n");
    }

    fn trends_panel(&self, h: &mut String) {
        let width = self
            .period
            .parse::<crate::Period>()
            .map_or(86_400, |p| p.width());
        let mut cards = String::new();
        // The conformance trend first, on the same kind of p-chart.
        if let Some(c) = self.conformance.as_ref().filter(|c| !c.trend.is_empty()) {
            let t = Trend {
                mot: "conformance".into(),
                centre: c.rate,
                periods: c
                    .trend
                    .iter()
                    .map(|p| TrendPoint {
                        start: p.start,
                        interactions: p.journeys,
                        successes: p.conforming,
                        rate: p.rate,
                        lcl: p.lcl,
                        ucl: p.ucl,
                        out_of_control: p.out_of_control,
                    })
                    .collect(),
            };
            let name = "Conformance to the design";
            let _ = write!(
                cards,
                "<figure class=\"trend-card\"><figcaption><b>{name}</b><span class=\"sub\">centre {}</span></figcaption>{}</figure>",
                pct(c.rate),
                figure::trend_svg(&t, None, width, name)
            );
        }
        for t in self.trends.iter().filter(|t| !t.periods.is_empty()) {
            let m = self.mots.iter().find(|m| m.id == t.mot);
            let name = m.map_or(t.mot.as_str(), |m| label(m));
            let _ = write!(
                cards,
                "<figure class=\"trend-card c-{}\"><figcaption><b title=\"{}\">{}</b><span class=\"sub\">{}{}centre {}</span></figcaption>{}</figure>",
                m.map_or("neutral", |m| m.alignment.as_str()),
                esc(&t.mot),
                esc(name),
                m.map_or_else(String::new, |m| pts(m.trend_slope_per_day)),
                if m.is_some() { "/day · " } else { "" },
                pct(t.centre),
                figure::trend_svg(t, m.and_then(|m| m.target), width, name)
            );
        }
        if cards.is_empty() {
            return;
        }
        let _ = writeln!(
            h,
            "<section class=\"panel\" id=\"trends\"><h2>Trend per MOT, by {}</h2><p class=\"intro\">SMOTO rate per period (line) with its control limits (blue band), the average (dashed) and the target (amber). A dot marks a period outside its limits: red below, green above.</p><div class=\"trend-grid\">{cards}</div></section>",
            esc(&self.period)
        );
    }

    fn owners_panel(&self, h: &mut String) {
        let _ = write!(
            h,
            "<section class=\"panel\" id=\"owners\"><h2>MOT Managers</h2><p class=\"intro\">{} of the designed MOTs have a MOT Manager. Production per manager:</p>",
            pct(self.ownership.share_owned)
        );
        if self.ownership.owners.is_empty() {
            h.push_str("<p class=\"empty\">No MOT Managers: give an experience that names them.</p></section>");
            return;
        }
        h.push_str("<div class=\"tw\"><table><thead><tr><th>MOT Manager</th><th>MOTs</th><th class=\"num\">Interactions</th><th class=\"num\">SMOTO</th><th class=\"num\">95% CI</th><th class=\"num\">Alerts</th></tr></thead><tbody>");
        for o in &self.ownership.owners {
            let mots: Vec<&str> = o.mots.iter().map(|id| self.mot_name(id)).collect();
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}<span class=\"id\">{}</span></th><td class=\"muted\">{}</td>{}<td class=\"num{}\">{}</td></tr>",
                esc(&o.name),
                esc(&o.person),
                esc(&mots.join(", ")),
                production_cells(&o.production),
                if o.alerts > 0 { " bad-text" } else { "" },
                o.alerts
            );
        }
        h.push_str("</tbody></table></div></section>");
    }

    fn types_panel(&self, h: &mut String) {
        h.push_str("<section class=\"panel\" id=\"types\"><h2>Interaction types</h2><p class=\"intro\">Production per interaction type (who interacts with whom).</p><div class=\"tw\"><table><thead><tr><th>Type</th><th class=\"num\">MOTs</th><th class=\"num\">Interactions</th><th class=\"num\">SMOTO</th><th class=\"num\">95% CI</th></tr></thead><tbody>");
        for t in &self.types {
            let code = t.interaction_type.as_deref();
            let _ = write!(
                h,
                "<tr><th scope=\"row\"><code>{}</code> <span class=\"muted\">{}</span></th><td class=\"num\">{}</td>{}</tr>",
                esc(code.unwrap_or("–")),
                type_name(code),
                t.mots,
                production_cells(&t.production)
            );
        }
        h.push_str("</tbody></table></div></section>");
    }

    fn dimensions_panel(&self, h: &mut String) {
        let rows: Vec<&MotFigures> = self
            .mots
            .iter()
            .filter(|m| {
                let d = &m.dimensions;
                [
                    d.opportunity,
                    d.risk,
                    d.actual,
                    d.position,
                    d.value,
                    d.company_return,
                    d.cost,
                    d.landscape_cost,
                    d.total_cost,
                    d.roi,
                ]
                .iter()
                .any(Option::is_some)
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        h.push_str("<section class=\"panel\" id=\"dimensions\"><h2>Five dimensions</h2><p class=\"intro\">Position of actual performance between risk (0) and opportunity (1); value, return and cost in money; ROI = (return − total cost) ÷ total cost.</p><div class=\"tw\"><table><thead><tr><th>MOT</th><th class=\"num\">Opportunity</th><th class=\"num\">Risk</th><th class=\"num\">Actual</th><th class=\"num\">Position</th><th class=\"num\">Value</th><th class=\"num\">Return</th><th class=\"num\">Cost</th><th class=\"num\">Landscape cost</th><th class=\"num\">Total cost</th><th class=\"num\">ROI</th></tr></thead><tbody>");
        for m in rows {
            let d = &m.dimensions;
            let _ = write!(h, "<tr><th scope=\"row\">{}</th>", esc(label(m)));
            for v in [d.opportunity, d.risk, d.actual, d.position] {
                let _ = write!(h, "<td class=\"num\">{}</td>", opt(v, |x| fixed(x, 2)));
            }
            for v in [
                d.value,
                d.company_return,
                d.cost,
                d.landscape_cost,
                d.total_cost,
            ] {
                let _ = write!(h, "<td class=\"num\">{}</td>", opt(v, money));
            }
            let _ = write!(
                h,
                "<td class=\"num\">{}</td></tr>",
                opt(d.roi, |x| format!("{}%", signed(x * 100.0, 1)))
            );
        }
        h.push_str("</tbody></table></div></section>\n");
    }

    /// The cost line of sight: what the experience costs, per SCO, the
    /// landscape cost that serves no MOT, per MOT what an interaction, a
    /// success and the failures cost, and the MOTs that could go.
    fn cost_panel(&self, h: &mut String) {
        let c = &self.cost;
        let rows: Vec<&MotFigures> = self.mots.iter().filter(|m| m.cost.is_some()).collect();
        if c.total.is_none() && rows.is_empty() {
            return;
        }
        let _ = write!(
            h,
            "<section class=\"panel\" id=\"cost\"><h2>Cost line of sight</h2><p class=\"intro\">What the experience costs (interactions and the work behind them, in the experience's currency), per successful outcome, and per MOT.</p><p>Total cost <b>{}</b> · cost per SCO <b>{}</b>",
            opt(c.total, amount),
            opt(c.cost_per_sco, amount)
        );
        if let Some(u) = c.landscape_unexplained {
            let _ = write!(
                h,
                " · work that serves no MOT <b>{}</b>{}",
                amount(u),
                c.landscape_unexplained_share
                    .map(|s| format!(" ({} of the landscape)", pct(Some(s))))
                    .unwrap_or_default()
            );
        }
        h.push_str("</p>");
        if !c.removal_candidates.is_empty() {
            h.push_str("<h3>MOTs that could go</h3><p class=\"intro\">They cost money, and the data cannot show that they help produce the SCO (their removal effect's interval reaches 0).</p><ul class=\"candidates\">");
            for r in &c.removal_candidates {
                let _ = write!(
                    h,
                    "<li><b>{}</b> <span class=\"muted\">({})</span>: removal effect {} (95% interval 0–{}); removing it saves <b>{}</b></li>",
                    esc(r.name.as_deref().unwrap_or(&r.mot)),
                    esc(r
                        .contribution
                        .as_deref()
                        .unwrap_or("contribution not declared")),
                    fixed(r.removal_effect, 3),
                    fixed(r.removal_effect_ci_high, 3),
                    amount(r.saves)
                );
            }
            h.push_str("</ul>");
        }
        if !rows.is_empty() {
            h.push_str("<div class=\"tw\"><table><thead><tr><th>MOT</th><th class=\"num\">Total cost</th><th class=\"num\">Per interaction</th><th class=\"num\">Per success</th><th class=\"num\">Cost of failures</th></tr></thead><tbody>");
            for m in rows {
                let Some(k) = &m.cost else { continue };
                let _ = write!(
                    h,
                    "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(label(m)),
                    opt(m.dimensions.total_cost, amount),
                    opt(k.per_interaction, amount),
                    opt(k.per_success, amount),
                    opt(k.of_failures, amount)
                );
            }
            h.push_str("</tbody></table></div>");
        }
        h.push_str("</section>\n");
    }

    fn producers_panel(&self, h: &mut String) {
        if self.producers.is_empty() {
            return;
        }
        h.push_str("<section class=\"panel\" id=\"producers\"><h2>Experience Producers</h2><p class=\"intro\">Production per producer named in the log.</p><div class=\"tw\"><table><thead><tr><th>Producer</th><th class=\"num\">Interactions</th><th class=\"num\">SMOTO</th><th class=\"num\">95% CI</th></tr></thead><tbody>");
        for p in &self.producers {
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}<span class=\"id\">{}</span></th>{}</tr>",
                esc(p.name.as_deref().unwrap_or("")),
                esc(&p.producer),
                production_cells(&p.production)
            );
        }
        h.push_str("</tbody></table></div></section>\n");
    }

    fn variants_panel(&self, h: &mut String) {
        let _ = write!(
            h,
            "<section class=\"panel\" id=\"variants\"><h2>Journeys</h2><p class=\"intro\">{} distinct MOT sequences; the most frequent:</p><ol class=\"variants\">",
            self.variants
                .distinct
                .map_or_else(|| "Not counted:".into(), |n| format!("<b>{}</b>", count(n)))
        );
        for v in &self.variants.top {
            let names: Vec<&str> = v.mots.iter().map(|id| self.mot_name(id)).collect();
            let _ = write!(
                h,
                "<li><b class=\"count\">{}</b> <span class=\"seq\" title=\"{}\">{}</span>{}</li>",
                count(v.count),
                esc(&v.mots.join(" → ")),
                esc(&names.join(" → ")),
                match (v.fitness, v.cost) {
                    (Some(f), Some(c)) => format!(
                        " <span class=\"fit\">· fitness {}, cost {c}</span>",
                        fixed(f, 3)
                    ),
                    _ => String::new(),
                }
            );
        }
        h.push_str("</ol></section>");
    }

    fn rejected_panel(&self, h: &mut String) {
        let total = self.rejected.total();
        let _ = write!(
            h,
            "<section class=\"panel\" id=\"rejected\"><h2>Rejected rows</h2><p class=\"intro\">Rows that could not be used are never dropped silently: each is counted under its reason.</p><p><b>{}</b> row{} rejected.</p>",
            count(total),
            if total == 1 { "" } else { "s" }
        );
        if total > 0 {
            h.push_str("<div class=\"tw\"><table><thead><tr><th>Reason</th><th class=\"num\">Rows</th></tr></thead><tbody>");
            for (r, n) in self.rejected.nonzero() {
                let _ = write!(
                    h,
                    "<tr><th scope=\"row\"><code>{}</code> <span class=\"muted\">{}</span></th><td class=\"num\">{}</td></tr>",
                    r.as_str(),
                    esc(r.describe()),
                    count(n)
                );
            }
            h.push_str("</tbody></table></div>");
        } else {
            h.push_str("<p class=\"empty\">Every row was used.</p>");
        }
        h.push_str("</section>");
    }
}

fn production_cells(p: &Production) -> String {
    format!(
        "<td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td>",
        count(p.interactions),
        pct(p.rate),
        ci(p.ci_low, p.ci_high)
    )
}

fn alert_item(a: &Alert, period: &str) -> String {
    let date = if period
        .parse::<crate::Period>()
        .map_or(86_400, |p| p.width())
        < 86_400
    {
        let t = crate::input::time::format_utc(
            a.period_start.saturating_mul(1_000_000_000),
            crate::input::time::Precision::Seconds,
        );
        t.get(..16).unwrap_or(&t).replace('T', " ")
    } else {
        utc_date(a.period_start)
    };
    let kind = a.kind.as_str();
    let good = kind.starts_with("above");
    let owner = match (&a.owner_name, &a.mot) {
        (Some(n), _) => format!("Owner: <b>{}</b>", esc(n)),
        (None, None) => "<span class=\"warn\">no Experience Manager named</span>".into(),
        (None, Some(_)) => "<span class=\"warn\">no MOT Manager: assign one</span>".into(),
    };
    format!(
        "<li class=\"alert {kind}\"><span class=\"badge {}\">{kind}</span><div><p class=\"msg\">{}</p><p class=\"meta\">{owner} · period from {date} · {} of {} vs {}</p></div></li>",
        if good { "good" } else { "bad" },
        esc(&a.message),
        format_args!("{:.2}%", a.rate * 100.0),
        count(a.interactions),
        format_args!("{:.2}%", a.limit * 100.0)
    )
}

/// The colour key: the classes, and for the bars the target and interval.
fn legend(bars: bool) -> String {
    let mut s = String::from("<span class=\"legend\">");
    for c in CLASSES {
        let _ = write!(
            s,
            "<span class=\"key c-{0}\" title=\"{1}\">{0}</span>",
            c.as_str(),
            class_note(c)
        );
    }
    if bars {
        s.push_str(
            "<span class=\"key target-key\">target</span><span class=\"key ci-key\">95% CI</span>",
        );
    }
    s.push_str("</span>");
    s
}

/// The report's style, every rule scoped to `.motr` (the body's margin
/// only when the report is the page).
const CSS: &str = "body:has(>.motr){margin:0;background:#eef1f4}\
.motr{--ink:#1d2430;--muted:#5b6573;--line:#dde2e8;--soft:#f4f6f8;--magic:#2e7d32;--misery:#c62828;--neutral:#607d8b;--unaligned:#7d7d7d;--unmeasured:#b0bec5;--target:#b26a00;\
font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;color:var(--ink);background:#eef1f4;max-width:1400px;margin:0 auto;padding:16px 24px 28px;box-sizing:border-box}\
.motr *{box-sizing:border-box}.motr h1,.motr h2,.motr h3{line-height:1.2;margin:0}\
.motr header{padding:4px 0 14px}.motr .eyebrow{margin:0 0 4px;color:#1f5fa8;font-weight:600;font-size:12px;letter-spacing:.06em;text-transform:uppercase}\
.motr h1{font-size:26px;font-weight:650;overflow-wrap:anywhere}.motr .subtitle{margin:4px 0 0;color:var(--muted);overflow-wrap:anywhere}.motr .subtitle b{color:var(--ink);font-weight:500}\
.motr main{display:grid;gap:14px}.motr .row{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:14px;align-items:start}\
.motr .panel{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px;min-width:0}\
.motr .panel h2{font-size:17px;font-weight:650}.motr .intro{margin:4px 0 10px;color:var(--muted);font-size:13px}.motr .empty{color:var(--muted);font-style:italic}\
.motr .note{margin:4px 0 0;font-size:12px;color:var(--muted)}.motr figure{margin:0}.motr figcaption{font-size:12px;color:var(--muted)}\
.motr .cards{display:grid;grid-template-columns:1.4fr repeat(6,minmax(0,1fr));gap:10px}\
.motr .card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:10px 12px;min-width:0;overflow-wrap:anywhere}\
.motr .card h3{font-size:12px;font-weight:600;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}\
.motr .card .big{margin:4px 0 6px;font-size:26px;font-weight:650;line-height:1.1;white-space:nowrap}\
.motr .card .caption{display:block;margin-top:2px;font-size:12px;font-weight:400;color:var(--muted);white-space:normal}\
.motr .card .sub{margin:2px 0;font-size:12px;color:var(--muted)}\
.motr .mix{display:flex;height:8px;border-radius:4px;overflow:hidden;background:var(--soft);margin:2px 0 6px}.motr .dots{display:grid;gap:1px}\
.motr .nowrap{white-space:nowrap}.motr .muted{color:var(--muted)}.motr .warn,.motr .bad-text{color:var(--misery);font-weight:500}\
.motr .badge{display:inline-block;font-size:11px;font-weight:600;padding:1px 7px;border-radius:9px;white-space:nowrap;background:#e3e8ee;color:var(--muted)}\
.motr .badge.good,.motr .badge.c-magic{background:#e6f4ea;color:var(--magic)}.motr .badge.bad,.motr .badge.c-misery{background:#fdecea;color:var(--misery)}\
.motr .badge.c-neutral{background:#e9eef1;color:#455a64}.motr .badge.c-unaligned{background:#efefef;color:#555}.motr .badge.c-unmeasured{background:#f3f6f8;color:#607d8b}\
.motr .mix .c-magic,.motr .dot.c-magic::before,.motr .key.c-magic::before{background:var(--magic)}\
.motr .mix .c-misery,.motr .dot.c-misery::before,.motr .key.c-misery::before{background:var(--misery)}\
.motr .mix .c-neutral,.motr .dot.c-neutral::before,.motr .key.c-neutral::before{background:var(--neutral)}\
.motr .mix .c-unaligned,.motr .dot.c-unaligned::before,.motr .key.c-unaligned::before{background:var(--unaligned)}\
.motr .mix .c-unmeasured,.motr .dot.c-unmeasured::before,.motr .key.c-unmeasured::before{background:var(--unmeasured)}\
.motr .dot::before,.motr .key::before{content:\"\";display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px}\
.motr .legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin:6px 0 0}.motr .key{white-space:nowrap}\
.motr .key.target-key::before{width:3px;height:12px;border-radius:0;background:var(--target);vertical-align:-2px}\
.motr .key.ci-key::before{width:14px;height:2px;border-radius:0;background:var(--ink);vertical-align:3px}\
.motr .alerts{list-style:none;margin:0;padding:0;display:grid;gap:8px}\
.motr .alert{display:grid;grid-template-columns:170px minmax(0,1fr);gap:10px;align-items:start;border:1px solid var(--line);border-left:4px solid var(--misery);border-radius:8px;padding:8px 12px;background:#fffafa}\
.motr .alert.above-control-limit{border-left-color:var(--magic);background:#f8fcf8}.motr .alert>.badge{justify-self:start}.motr .alert .msg{margin:0;font-weight:500;overflow-wrap:anywhere}.motr .alert .meta{margin:2px 0 0;color:var(--muted);font-size:12px}\
.motr .tw{overflow-x:auto}.motr table{border-collapse:collapse;width:100%;font-size:13px}\
.motr th,.motr td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}\
.motr thead th{font-size:12px;font-weight:600;color:var(--muted);background:var(--soft);border-bottom:1px solid #cfd6de}\
.motr tbody th{font-weight:500}.motr thead th.num{white-space:normal}.motr .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\
.motr td .sub{display:block;font-size:11px;color:var(--muted)}.motr .candidates{margin:0 0 10px;padding-left:20px}.motr .panel h3{font-size:14px;margin:12px 0 4px}\
.motr .id{display:block;font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted);white-space:nowrap}\
.motr code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}.motr .nest{color:var(--muted)}\
.motr table.mots td,.motr table.mots th{padding:5px 7px}\
.motr svg.fig{display:block;max-width:100%;height:auto}\
.motr svg.fig text{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;font-size:11px;fill:var(--ink)}\
.motr svg.fig .tick,.motr svg.fig .hint,.motr svg.fig .none,.motr svg.fig .n{fill:var(--muted)}\
.motr svg.fig .axis{font-size:12px;fill:var(--muted)}.motr svg.fig .head{fill:var(--muted);font-weight:600}\
.motr svg.fig .name,.motr svg.fig .value,.motr svg.fig .n{font-size:12px}.motr svg.fig .value{font-weight:600}\
.motr svg.fig .share{fill:var(--muted)}.motr svg.fig .label{font-size:12px}.motr svg.fig .count{font-size:12px;font-weight:600}\
.motr svg.map .lbl{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\
.motr .trend-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px}\
.motr .trend-card{border:1px solid var(--line);border-top:3px solid var(--neutral);border-radius:8px;padding:6px 8px;min-width:0}\
.motr .trend-card.c-magic{border-top-color:var(--magic)}.motr .trend-card.c-misery{border-top-color:var(--misery)}.motr .trend-card.c-unaligned{border-top-color:var(--unaligned)}.motr .trend-card.c-unmeasured{border-top-color:var(--unmeasured)}\
.motr .trend-card figcaption{display:grid;color:var(--ink);font-size:13px}\
.motr .trend-card figcaption b{overflow-wrap:anywhere;font-weight:600}\
.motr .trend-card figcaption .sub{color:var(--muted);font-size:11px}\
.motr .variants{margin:0;padding-left:22px;font-size:13px;display:grid;gap:3px}.motr .variants .count{display:inline-block;min-width:3em}\
.motr .variants .seq{overflow-wrap:anywhere}.motr .variants .fit{color:var(--muted);font-size:12px}\
.motr p.gap{margin:4px 0 8px}.motr p.gap .big{font-size:20px}.motr .gap-lists{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:14px}\
.motr footer{margin-top:18px;color:var(--muted);font-size:12px;max-width:900px}.motr footer p{margin:4px 0}\
@media (max-width:1100px){.motr .cards{grid-template-columns:repeat(auto-fill,minmax(170px,1fr))}.motr .row,.motr .gap-lists{grid-template-columns:minmax(0,1fr)}}\
@media (max-width:700px){.motr{padding:12px}.motr .alert{grid-template-columns:minmax(0,1fr)}}";

#[cfg(test)]
mod tests {
    use super::super::figure::fixed;
    use super::super::tests::demo;

    #[test]
    fn html_is_self_contained_and_escaped() {
        let mut d = demo();
        d.mots[0].name = Some("<script>alert(1)</script>".into());
        let html = d.to_html();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("http://") && !html.contains("https://"));
        assert!(html.contains("<svg") && html.contains("Trend per MOT"));
    }

    /// The text a reader sees: tags dropped, each text node on its own.
    fn visible(html: &str) -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in html.chars() {
            match c {
                '<' => {
                    inside = true;
                    out.push(' ');
                }
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn names_not_ids_and_no_negative_zero() {
        let mut d = demo();
        d.mots[1].trend_slope_per_day = Some(-0.000_001);
        d.mots[2].removal_effect = Some(-1e-12);
        d.mots[3].lift = Some(-0.000_2);
        let html = d.to_html();
        // Owners by name in the MOT table (the id only in a tooltip).
        assert!(html.contains("title=\"p-lars\">Lars Eriksen</span>"));
        assert!(!html.contains(">p-lars<") || html.contains("class=\"id\">p-lars<"));
        let text = visible(&html);
        for bad in ["-0.0", "−0.0 ", "−0.00 ", "−0.000 "] {
            assert!(!text.contains(bad), "{bad}");
        }
        assert!(html.contains("0.00 pts"));
        // The removal effect with its interval; the cost line of sight.
        let m = &d.mots[0];
        if let (Some(lo), Some(hi)) = (m.removal_effect_ci_low, m.removal_effect_ci_high) {
            assert!(html.contains(&format!("{}–{}</span>", fixed(lo, 3), fixed(hi, 3))));
        }
        assert!(html.contains("<h2>Cost line of sight</h2>"));
        // Intervals in one cell that does not wrap.
        assert!(html.contains(".motr .num{text-align:right;white-space:nowrap"));
        // The footer says what the figures mean, in words.
        assert!(html.contains("share of successful outcomes that would be lost"));
        assert!(!html.contains("absorbing Markov"));
    }

    #[test]
    fn discovery_mode_without_success_flags() {
        let mut d = demo();
        d.experience = None;
        for m in &mut d.mots {
            m.smoto_rate = None;
            m.ci_low = None;
            m.ci_high = None;
            m.lift = None;
            m.owner = None;
            m.name = None;
        }
        let html = d.to_html();
        assert!(html.contains("the map cannot be drawn"));
        assert!(html.contains("Discovery mode"));
    }
}
