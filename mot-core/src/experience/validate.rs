//! Every rule an experience must keep, checked all at once.

use std::collections::HashMap;

use super::ExperienceSpec;
use crate::error::{Problem, ProblemKind};
use crate::graph;

/// Collects problems in document order.
struct Check {
    problems: Vec<Problem>,
}

impl Check {
    fn push(&mut self, path: impl Into<String>, kind: ProblemKind) {
        self.problems.push(Problem::new(path, kind));
    }

    fn not_empty(&mut self, path: impl Into<String>, text: &str) {
        if text.trim().is_empty() {
            self.push(path, ProblemKind::Empty);
        }
    }

    fn finite(&mut self, path: impl Into<String>, value: f64) -> bool {
        if value.is_finite() {
            return true;
        }
        self.push(path, ProblemKind::NonFinite { value });
        false
    }

    fn rate(&mut self, path: impl Into<String>, value: Option<f64>) {
        if let Some(value) = value
            && !(0.0..=1.0).contains(&value)
        {
            self.push(path, ProblemKind::RateOutOfRange { value });
        }
    }

    fn cost(&mut self, path: impl Into<String>, value: Option<f64>) {
        let path = path.into();
        if let Some(value) = value
            && self.finite(path.clone(), value)
            && value < 0.0
        {
            self.push(path, ProblemKind::NegativeCost { value });
        }
    }

    fn reference<T: std::borrow::Borrow<str>>(
        &mut self,
        path: impl Into<String>,
        what: &str,
        id: &T,
        known: &Ids<'_>,
    ) -> Option<usize> {
        let id = id.borrow();
        let found = known.get(id);
        if found.is_none() {
            self.push(
                path,
                ProblemKind::DanglingReference {
                    what: what.to_string(),
                    id: id.to_string(),
                },
            );
        }
        found
    }

    /// Indexes the ids of one kind of item, reporting empty and repeated ids.
    fn ids<'a>(&mut self, what: &str, prefix: &str, ids: impl Iterator<Item = &'a str>) -> Ids<'a> {
        let mut first: HashMap<&'a str, usize> = HashMap::new();
        for (i, id) in ids.enumerate() {
            let path = format!("{prefix}[{i}].id");
            if id.trim().is_empty() {
                self.push(path, ProblemKind::Empty);
                continue;
            }
            match first.get(id) {
                Some(&j) => self.push(
                    path,
                    ProblemKind::DuplicateId {
                        what: what.to_string(),
                        id: id.to_string(),
                        first: format!("{prefix}[{j}]"),
                    },
                ),
                None => {
                    first.insert(id, i);
                }
            }
        }
        Ids(first)
    }

    /// Reports ids listed twice in one list.
    fn unique_links<'a>(&mut self, prefix: &str, what: &str, ids: impl Iterator<Item = &'a str>) {
        let mut seen = HashMap::new();
        for (j, id) in ids.enumerate() {
            if seen.insert(id, j).is_some() {
                self.push(
                    format!("{prefix}[{j}]"),
                    ProblemKind::DuplicateLink {
                        what: what.to_string(),
                        id: id.to_string(),
                    },
                );
            }
        }
    }

    fn cycles(
        &mut self,
        adj: &[Vec<usize>],
        path: impl Fn(usize) -> String,
        ids: impl Fn(usize) -> String,
        landscape: bool,
    ) {
        for cycle in graph::cycles(adj) {
            let mut names: Vec<String> = cycle.iter().map(|&i| ids(i)).collect();
            names.push(names[0].clone());
            let kind = if landscape {
                ProblemKind::LandscapeCycle { cycle: names }
            } else {
                ProblemKind::NestingCycle { cycle: names }
            };
            self.push(path(cycle[0]), kind);
        }
    }
}

/// First index of each id.
struct Ids<'a>(HashMap<&'a str, usize>);

impl Ids<'_> {
    fn get(&self, id: &str) -> Option<usize> {
        self.0.get(id).copied()
    }
}

/// Every problem of `spec`, in document order; empty when it is valid.
pub(crate) fn problems(spec: &ExperienceSpec) -> Vec<Problem> {
    let mut c = Check {
        problems: Vec::new(),
    };
    c.not_empty("id", &spec.id);
    c.not_empty("name", &spec.name);
    c.not_empty("segment", &spec.segment);
    c.not_empty("sco.one_liner", &spec.sco.one_liner);
    c.not_empty("sco.definition", &spec.sco.definition);
    c.rate("sco.target_rate", spec.sco.target_rate);

    if let Some(m) = &spec.maturity {
        for (name, value) in m.scores() {
            if !(1..=10).contains(&value) {
                c.push(
                    format!("maturity.{name}"),
                    ProblemKind::ScoreOutOfRange { value },
                );
            }
        }
    }

    let people = c.ids(
        "person",
        "people",
        spec.people.iter().map(|p| p.id.as_str()),
    );
    for (i, p) in spec.people.iter().enumerate() {
        c.not_empty(format!("people[{i}].name"), &p.name);
    }
    c.reference("manager", "person", &spec.manager, &people);

    let mots = c.ids("mot", "mots", spec.mots.iter().map(|m| m.id.as_str()));
    let work = c.ids(
        "work item",
        "landscape.work",
        spec.landscape.work.iter().map(|w| w.id.as_str()),
    );

    // Siblings: (parent index or None) → position → first MOT there.
    let mut positions: HashMap<(Option<usize>, u32), usize> = HashMap::new();
    let mut parent_of: Vec<Vec<usize>> = vec![Vec::new(); spec.mots.len()];
    for (i, m) in spec.mots.iter().enumerate() {
        let at = format!("mots[{i}]");
        c.not_empty(format!("{at}.name"), &m.name);
        c.not_empty(format!("{at}.smoto.description"), &m.smoto.description);
        c.rate(format!("{at}.smoto.target_rate"), m.smoto.target_rate);
        if let Some(p) = &m.manager {
            c.reference(format!("{at}.manager"), "person", p, &people);
        }
        for (j, p) in m.producers.iter().enumerate() {
            c.reference(format!("{at}.producers[{j}]"), "person", p, &people);
        }
        c.unique_links(
            &format!("{at}.producers"),
            "person",
            m.producers.iter().map(|p| p.as_str()),
        );
        let parent = match &m.parent {
            Some(p) => match c.reference(format!("{at}.parent"), "mot", p, &mots) {
                Some(j) => {
                    parent_of[i].push(j);
                    Some(Some(j))
                }
                None => None,
            },
            None => Some(None),
        };
        match (m.position, parent) {
            (Some(0), _) => c.push(format!("{at}.position"), ProblemKind::ZeroPosition),
            (Some(pos), Some(parent)) => {
                if let Some(&other) = positions.get(&(parent, pos)) {
                    c.push(
                        format!("{at}.position"),
                        ProblemKind::DuplicatePosition {
                            position: pos,
                            other: spec.mots[other].id.to_string(),
                        },
                    );
                } else {
                    positions.insert((parent, pos), i);
                }
            }
            _ => {}
        }
        if let Some(d) = &m.dimensions {
            let at = format!("{at}.dimensions");
            let best_ok = c.finite(format!("{at}.opportunity"), d.opportunity);
            let worst_ok = c.finite(format!("{at}.risk"), d.risk);
            if best_ok && worst_ok && d.opportunity <= d.risk {
                c.push(
                    at.clone(),
                    ProblemKind::BestNotAboveWorst {
                        best: d.opportunity,
                        worst: d.risk,
                    },
                );
            }
            for (name, value) in [
                ("actual", d.actual),
                ("value", d.value),
                ("return", d.company_return),
            ] {
                if let Some(v) = value {
                    c.finite(format!("{at}.{name}"), v);
                }
            }
            c.cost(format!("{at}.cost"), d.cost);
        }
        if let Some(design) = &m.design {
            for (k, step) in design.steps.iter().enumerate() {
                let at = format!("{at}.design.steps[{k}]");
                c.not_empty(format!("{at}.name"), &step.name);
                for (l, w) in step.work.iter().enumerate() {
                    c.reference(format!("{at}.work[{l}]"), "work item", w, &work);
                }
            }
        }
    }
    c.cycles(
        &parent_of,
        |i| format!("mots[{i}].parent"),
        |i| spec.mots[i].id.to_string(),
        false,
    );

    let _ideas = c.ids("idea", "ideas", spec.ideas.iter().map(|i| i.id.as_str()));
    for (i, idea) in spec.ideas.iter().enumerate() {
        let at = format!("ideas[{i}]");
        c.reference(format!("{at}.mot"), "mot", &idea.mot, &mots);
        c.reference(format!("{at}.author"), "person", &idea.author, &people);
        c.not_empty(format!("{at}.title"), &idea.title);
    }

    let mut supports: Vec<Vec<usize>> = vec![Vec::new(); spec.landscape.work.len()];
    for (i, w) in spec.landscape.work.iter().enumerate() {
        let at = format!("landscape.work[{i}]");
        c.not_empty(format!("{at}.name"), &w.name);
        c.cost(format!("{at}.cost"), w.cost);
        if let Some(p) = &w.owner {
            c.reference(format!("{at}.owner"), "person", p, &people);
        }
        for (j, l) in w.mots.iter().enumerate() {
            c.reference(format!("{at}.mots[{j}].mot"), "mot", &l.mot, &mots);
        }
        c.unique_links(
            &format!("{at}.mots"),
            "mot",
            w.mots.iter().map(|l| l.mot.as_str()),
        );
        for (j, l) in w.supports.iter().enumerate() {
            if let Some(t) = c.reference(
                format!("{at}.supports[{j}].work"),
                "work item",
                &l.work,
                &work,
            ) {
                supports[i].push(t);
            }
        }
        c.unique_links(
            &format!("{at}.supports"),
            "work item",
            w.supports.iter().map(|l| l.work.as_str()),
        );
        let weights = w
            .mots
            .iter()
            .enumerate()
            .map(|(j, l)| (format!("{at}.mots[{j}].weight"), l.weight))
            .chain(
                w.supports
                    .iter()
                    .enumerate()
                    .map(|(j, l)| (format!("{at}.supports[{j}].weight"), l.weight)),
            );
        let (mut declared, mut missing) = (0, 0);
        for (path, weight) in weights {
            match weight {
                Some(value) => {
                    declared += 1;
                    if !(value.is_finite() && value > 0.0) {
                        c.push(path, ProblemKind::InvalidWeight { value });
                    }
                }
                None => missing += 1,
            }
        }
        if declared > 0 && missing > 0 {
            c.push(at, ProblemKind::MixedWeights);
        }
    }
    c.cycles(
        &supports,
        |i| format!("landscape.work[{i}].supports"),
        |i| spec.landscape.work[i].id.to_string(),
        true,
    );
    c.problems
}
