//! Questions asked of the landscape of a validated experience.

use std::collections::VecDeque;

use serde::Serialize;

use crate::numeric::Sum;
use crate::{Contribution, Error, Experience, MotId, WorkId, WorkItem};

/// Where a work item leads: the MOTs it serves, directly or through other
/// work, and whether that serves the SCO.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Trace {
    /// The work item traced.
    pub work: WorkId,
    /// The MOTs reached, in the experience's document order.
    pub mots: Vec<TracedMot>,
    /// MOTs that enclose a reached MOT (nesting) without being reached
    /// themselves: for each reached MOT in document order, its enclosing
    /// MOTs innermost first, each listed once.
    pub enclosing: Vec<MotId>,
    /// Whether a reached or enclosing MOT is declared to contribute to the
    /// SCO (directly or by enabling).
    pub serves_sco: bool,
    /// The SCO's one-liner.
    pub sco: String,
}

/// One MOT reached by a [`Trace`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct TracedMot {
    /// The MOT.
    pub mot: MotId,
    /// The shortest chain of work from the traced item to the one that
    /// serves the MOT, both included (breadth-first; among chains of equal
    /// length, the one met first following `supports` lists in order).
    pub via: Vec<WorkId>,
    /// The MOT's declared contribution to the SCO.
    pub contribution: Contribution,
}

/// Work costs rolled up to MOTs and to the experience.
///
/// **Allocation rule.** Each work item's cost, plus whatever it receives
/// from the work that supports it, is split over its links (MOT links and
/// supported-work links together): in proportion to the declared weights
/// when the item declares them, else in equal shares. What reaches an MOT is
/// that MOT's `own` cost. What lands on work that reaches no MOT is
/// `unexplained`. Nothing is lost: `allocated + unexplained = total`.
/// Work with no declared cost counts as 0 and is listed in `uncosted`.
/// Sums are compensated (Neumaier).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CostRollup {
    /// Every MOT, in document order.
    pub mots: Vec<MotCost>,
    /// The experience's cost: the sum of every MOT's own cost.
    pub allocated: f64,
    /// Cost that lands on work that serves no MOT: that work's own cost and
    /// whatever its supporters pass on to it.
    pub unexplained: f64,
    /// The sum of all work costs.
    pub total: f64,
    /// Work items with no declared cost.
    pub uncosted: Vec<WorkId>,
}

/// The landscape cost of one MOT.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct MotCost {
    /// The MOT.
    pub mot: MotId,
    /// Cost allocated to this MOT itself.
    pub own: f64,
    /// Its own cost plus that of every MOT nested in it.
    pub including_nested: f64,
}

/// What is at risk if one work item fails.
///
/// The failure spreads up the landscape: the item and all the work it
/// supports, transitively, are impaired; every MOT they serve is hit. An MOT
/// is **at risk** when it is hit, nested inside a hit MOT, or encloses one.
/// The **designed journey** is [`Experience::designed_journey`]: the
/// interactions a customer on the designed path goes through; a step is at
/// risk when it or an MOT enclosing it is hit.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct FailureImpact {
    /// The failing work item.
    pub work: WorkId,
    /// The item and every work item that depends on it, in document order.
    pub impaired: Vec<WorkId>,
    /// MOTs served by impaired work, in document order.
    pub hit: Vec<MotId>,
    /// Every MOT at risk, in document order.
    pub at_risk: Vec<MotId>,
    /// Steps in the designed journey.
    pub journey_steps: usize,
    /// Steps of the designed journey at risk.
    pub journey_steps_at_risk: usize,
    /// `journey_steps_at_risk / journey_steps`; `None` when the experience
    /// has no designed journey.
    pub journey_share: Option<f64>,
    /// Whether an MOT at risk is declared to contribute to the SCO.
    pub sco_at_risk: bool,
}

impl Experience {
    fn work_index_of(&self, id: &str) -> Result<usize, Error> {
        self.index()
            .work
            .get(id)
            .copied()
            .ok_or_else(|| Error::not_found("work item", id))
    }

    fn supported_by(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.spec().landscape.work[i]
            .supports
            .iter()
            .map(|l| self.index().work[l.work.as_str()])
    }

    fn ids_in_document_order(&self, marked: &[bool]) -> Vec<MotId> {
        self.mots()
            .iter()
            .zip(marked)
            .filter(|(_, m)| **m)
            .map(|(mot, _)| mot.id.clone())
            .collect()
    }

    /// Traces a work item up to the MOTs and the SCO it serves.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) for an unknown id.
    pub fn trace(&self, work: &str) -> Result<Trace, Error> {
        let start = self.work_index_of(work)?;
        let items = &self.spec().landscape.work;
        // Breadth-first over supports: the first visit is a shortest chain.
        let mut came_from = vec![usize::MAX; items.len()];
        came_from[start] = start;
        let mut queue = VecDeque::from([start]);
        let mut reached: Vec<Option<usize>> = vec![None; self.mots().len()];
        while let Some(i) = queue.pop_front() {
            for link in &items[i].mots {
                let m = self.index().mots[link.mot.as_str()];
                reached[m].get_or_insert(i);
            }
            for t in self.supported_by(i) {
                if came_from[t] == usize::MAX {
                    came_from[t] = i;
                    queue.push_back(t);
                }
            }
        }
        let chain = |mut i: usize| {
            let mut via = vec![items[i].id.clone()];
            while i != start {
                i = came_from[i];
                via.push(items[i].id.clone());
            }
            via.reverse();
            via
        };
        let mots: Vec<TracedMot> = reached
            .iter()
            .enumerate()
            .filter_map(|(m, by)| {
                by.map(|by| TracedMot {
                    mot: self.mots()[m].id.clone(),
                    via: chain(by),
                    contribution: self.mots()[m].contribution,
                })
            })
            .collect();
        let mut enclosing = Vec::new();
        for t in &mots {
            for a in self.ancestors(t.mot.as_str()) {
                let is_reached = reached[self.index().mots[a.id.as_str()]].is_some();
                if !is_reached && !enclosing.contains(&a.id) {
                    enclosing.push(a.id.clone());
                }
            }
        }
        let serves_sco = mots.iter().any(|t| t.contribution.serves_sco())
            || enclosing.iter().any(|id| {
                self.mot(id.as_str())
                    .is_some_and(|m| m.contribution.serves_sco())
            });
        Ok(Trace {
            work: items[start].id.clone(),
            mots,
            enclosing,
            serves_sco,
            sco: self.spec().sco.one_liner.clone(),
        })
    }

    /// Whether each work item reaches an MOT, directly or through other work.
    fn explained(&self) -> Vec<bool> {
        let items = &self.spec().landscape.work;
        let mut explained = vec![false; items.len()];
        // Supported items come later in `work_order`: decide them first.
        for &i in self.index().work_order.iter().rev() {
            explained[i] = !items[i].mots.is_empty() || self.supported_by(i).any(|t| explained[t]);
        }
        explained
    }

    /// The work that serves no MOT, directly or through other work, in
    /// document order: "MOTs are the cause of all work", so this work has no
    /// customer reason to exist — or a link is missing.
    pub fn unexplained_work(&self) -> Vec<&WorkItem> {
        self.spec()
            .landscape
            .work
            .iter()
            .zip(self.explained())
            .filter(|(_, e)| !e)
            .map(|(w, _)| w)
            .collect()
    }

    /// Rolls work costs up to MOTs and to the experience (see [`CostRollup`]
    /// for the allocation rule).
    pub fn cost_rollup(&self) -> CostRollup {
        let items = &self.spec().landscape.work;
        let mut inflow: Vec<Sum> = items
            .iter()
            .map(|w| std::iter::once(w.cost.unwrap_or(0.0)).collect())
            .collect();
        let mut own = vec![Sum::default(); self.mots().len()];
        let mut unexplained = Sum::default();
        for &i in &self.index().work_order {
            let w = &items[i];
            let amount = inflow[i].value();
            if w.mots.is_empty() && w.supports.is_empty() {
                unexplained.add(amount);
                continue;
            }
            let shares = w.shares();
            let mot_targets = w
                .mots
                .iter()
                .map(|l| (true, self.index().mots[l.mot.as_str()]));
            let work_targets = self.supported_by(i).map(|t| (false, t));
            for ((is_mot, t), share) in mot_targets.chain(work_targets).zip(shares) {
                if is_mot {
                    own[t].add(amount * share);
                } else {
                    inflow[t].add(amount * share);
                }
            }
        }
        let mut nested = own.clone();
        for (m, s) in own.iter().enumerate() {
            let mut at = self.index().parent[m];
            while let Some(p) = at {
                nested[p].merge(*s);
                at = self.index().parent[p];
            }
        }
        let allocated: Sum = own.iter().map(Sum::value).collect();
        let total: Sum = items.iter().map(|w| w.cost.unwrap_or(0.0)).collect();
        CostRollup {
            mots: self
                .mots()
                .iter()
                .enumerate()
                .map(|(m, mot)| MotCost {
                    mot: mot.id.clone(),
                    own: own[m].value(),
                    including_nested: nested[m].value(),
                })
                .collect(),
            allocated: allocated.value(),
            unexplained: unexplained.value(),
            total: total.value(),
            uncosted: items
                .iter()
                .filter(|w| w.cost.is_none())
                .map(|w| w.id.clone())
                .collect(),
        }
    }

    /// What if this work item fails: the MOTs and the share of the designed
    /// journey at risk (see [`FailureImpact`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) for an unknown id.
    pub fn failure_impact(&self, work: &str) -> Result<FailureImpact, Error> {
        let start = self.work_index_of(work)?;
        let items = &self.spec().landscape.work;
        let mut impaired = vec![false; items.len()];
        impaired[start] = true;
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            for t in self.supported_by(i) {
                if !impaired[t] {
                    impaired[t] = true;
                    stack.push(t);
                }
            }
        }
        let n = self.mots().len();
        let mut hit = vec![false; n];
        for (i, w) in items.iter().enumerate() {
            if impaired[i] {
                for l in &w.mots {
                    hit[self.index().mots[l.mot.as_str()]] = true;
                }
            }
        }
        let parent = &self.index().parent;
        let under_hit = |m: usize| {
            let mut at = Some(m);
            while let Some(x) = at {
                if hit[x] {
                    return true;
                }
                at = parent[x];
            }
            false
        };
        let mut at_risk: Vec<bool> = (0..n).map(under_hit).collect();
        for m in 0..n {
            if hit[m] {
                let mut at = parent[m];
                while let Some(p) = at {
                    at_risk[p] = true;
                    at = parent[p];
                }
            }
        }
        let journey = self.designed_journey();
        let steps_at_risk = journey
            .iter()
            .filter(|m| under_hit(self.index().mots[m.id.as_str()]))
            .count();
        let sco_at_risk = self
            .mots()
            .iter()
            .zip(&at_risk)
            .any(|(m, r)| *r && m.contribution.serves_sco());
        Ok(FailureImpact {
            work: items[start].id.clone(),
            impaired: items
                .iter()
                .zip(&impaired)
                .filter(|(_, i)| **i)
                .map(|(w, _)| w.id.clone())
                .collect(),
            hit: self.ids_in_document_order(&hit),
            at_risk: self.ids_in_document_order(&at_risk),
            journey_steps: journey.len(),
            journey_steps_at_risk: steps_at_risk,
            journey_share: (!journey.is_empty())
                .then(|| steps_at_risk as f64 / journey.len() as f64),
            sco_at_risk,
        })
    }

    /// The MOTs a work item serves directly or through other work, in
    /// document order (the MOT ids of [`Experience::trace`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) for an unknown id.
    pub fn mots_served_by(&self, work: &str) -> Result<Vec<MotId>, Error> {
        Ok(self.trace(work)?.mots.into_iter().map(|t| t.mot).collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Experience, ExperienceSpec};

    /// Three top-level MOTs a, b (nesting b1, b2), c (off path); work:
    /// t (team, 90) supports p; p (process, 30) serves a and b1 with weights 2:1;
    /// s (system, 10) serves b2 and c equally; u (policy, 5) serves nothing;
    /// v (activity, 7) supports u.
    fn tiny() -> Experience {
        let json = r#"{
          "format": "mot.experience/1", "id": "x", "name": "X", "segment": "s",
          "manager": "em",
          "sco": {"one_liner": "done", "definition": "journey completes"},
          "people": [{"id": "em", "name": "E"}, {"id": "mm", "name": "M"}],
          "mots": [
            {"id": "a", "name": "A", "type": "PS", "smoto": {"description": "ok"}, "position": 1, "contribution": "direct", "manager": "mm"},
            {"id": "b", "name": "B", "type": "PP", "smoto": {"description": "ok"}, "position": 2, "contribution": "direct"},
            {"id": "b1", "name": "B1", "type": "PS", "smoto": {"description": "ok"}, "position": 1, "parent": "b", "contribution": "enabling"},
            {"id": "b2", "name": "B2", "type": "SP", "smoto": {"description": "ok"}, "position": 2, "parent": "b", "contribution": "direct"},
            {"id": "c", "name": "C", "type": "OP", "smoto": {"description": "ok"}, "contribution": "none"}
          ],
          "landscape": {"work": [
            {"id": "t", "name": "T", "kind": "team", "cost": 90, "supports": [{"work": "p"}]},
            {"id": "p", "name": "P", "kind": "process", "cost": 30, "mots": [{"mot": "a", "weight": 2}, {"mot": "b1", "weight": 1}]},
            {"id": "s", "name": "S", "kind": "system", "cost": 10, "mots": [{"mot": "b2"}, {"mot": "c"}]},
            {"id": "u", "name": "U", "kind": "policy", "cost": 5},
            {"id": "v", "name": "V", "kind": "activity", "cost": 7, "supports": [{"work": "u"}]},
            {"id": "n", "name": "N", "kind": "equipment", "mots": [{"mot": "c"}]}
          ]}
        }"#;
        Experience::from_json(json).unwrap()
    }

    #[test]
    fn cost_rollup_by_hand() {
        let r = tiny().cost_rollup();
        let own: Vec<(String, f64, f64)> = r
            .mots
            .iter()
            .map(|m| (m.mot.to_string(), m.own, m.including_nested))
            .collect();
        // p receives 30 + 90 = 120, split 2:1 → a 80, b1 40; s splits 10 → 5, 5.
        assert_eq!(
            own,
            [
                ("a".into(), 80.0, 80.0),
                ("b".into(), 0.0, 45.0),
                ("b1".into(), 40.0, 40.0),
                ("b2".into(), 5.0, 5.0),
                ("c".into(), 5.0, 5.0),
            ]
        );
        assert_eq!(r.allocated, 130.0);
        assert_eq!(r.unexplained, 12.0);
        assert_eq!(r.total, 142.0);
        assert_eq!(r.uncosted, ["n"]);
    }

    #[test]
    fn trace_follows_the_shortest_chain_and_nesting() {
        let x = tiny();
        let t = x.trace("t").unwrap();
        let mots: Vec<(&str, Vec<&str>)> = t
            .mots
            .iter()
            .map(|m| (m.mot.as_str(), m.via.iter().map(|w| w.as_str()).collect()))
            .collect();
        assert_eq!(mots, [("a", vec!["t", "p"]), ("b1", vec!["t", "p"])]);
        assert_eq!(t.enclosing, ["b"]);
        assert!(t.serves_sco);
        assert_eq!(t.sco, "done");

        let t = x.trace("u").unwrap();
        assert!(t.mots.is_empty() && !t.serves_sco);
        let err = x.trace("zzz").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::NotFound);
        assert_eq!(err.to_string(), "work item `zzz` is not in the experience");
        assert_eq!(x.mots_served_by("s").unwrap(), ["b2", "c"]);
    }

    #[test]
    fn unexplained_includes_what_feeds_it() {
        let x = tiny();
        let ids: Vec<&str> = x.unexplained_work().iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, ["u", "v"]);
    }

    #[test]
    fn failure_impact_by_hand() {
        let x = tiny();
        // Designed journey: a, b1, b2 (c is off the path).
        let journey: Vec<&str> = x.designed_journey().iter().map(|m| m.id.as_str()).collect();
        assert_eq!(journey, ["a", "b1", "b2"]);

        let f = x.failure_impact("t").unwrap();
        assert_eq!(f.impaired, ["t", "p"]);
        assert_eq!(f.hit, ["a", "b1"]);
        assert_eq!(f.at_risk, ["a", "b", "b1"]);
        assert_eq!((f.journey_steps_at_risk, f.journey_steps), (2, 3));
        assert_eq!(f.journey_share, Some(2.0 / 3.0));
        assert!(f.sco_at_risk);

        let f = x.failure_impact("n").unwrap();
        assert_eq!(f.hit, ["c"]);
        assert_eq!(f.journey_share, Some(0.0));
        assert!(!f.sco_at_risk);

        // A work item on the parent puts every nested step at risk.
        let mut spec: ExperienceSpec = x.into_spec();
        spec.landscape.work[3].mots.push(crate::MotLink {
            mot: "b".into(),
            weight: None,
        });
        let x = Experience::new(spec).unwrap();
        let f = x.failure_impact("v").unwrap();
        assert_eq!(f.at_risk, ["b", "b1", "b2"]);
        assert_eq!(f.journey_steps_at_risk, 2);
    }

    #[test]
    fn sample_landscape() {
        let x = crate::sample::airline();
        let r = x.cost_rollup();
        assert!(r.total > 0.0);
        assert!((r.allocated + r.unexplained - r.total).abs() <= 1e-12 * r.total);
        let fax = x
            .work_item("pol-fax-confirmation")
            .unwrap()
            .cost
            .unwrap_or(0.0);
        assert_eq!(r.unexplained, fax);
        for w in &x.spec().landscape.work {
            let t = x.trace(w.id.as_str()).unwrap();
            let f = x.failure_impact(w.id.as_str()).unwrap();
            assert_eq!(t.mots.is_empty(), w.id == "pol-fax-confirmation");
            let share = f.journey_share.unwrap();
            assert!((0.0..=1.0).contains(&share));
            for m in &t.mots {
                assert!(f.hit.contains(&m.mot), "{} {}", w.id, m.mot);
            }
        }
        let dcs = x.failure_impact("sys-dcs").unwrap();
        assert!(dcs.hit.iter().any(|m| m == "bag-drop"));
        assert!(dcs.sco_at_risk);
    }
}
