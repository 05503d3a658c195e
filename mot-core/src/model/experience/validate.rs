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
        if let (Some(s), Some(i)) = (idea.submitted_at, idea.implemented_at)
            && i < s
        {
            c.push(
                format!("{at}.implemented_at"),
                ProblemKind::BeforeSubmitted {
                    implemented: i.to_string(),
                    submitted: s.to_string(),
                },
            );
        }
        if idea.implemented_at.is_some() && idea.status != crate::IdeaStatus::Implemented {
            c.push(
                format!("{at}.implemented_at"),
                ProblemKind::NotImplemented {
                    status: idea.status.as_str().to_string(),
                },
            );
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dimensions, Experience, ExperienceSpec, MotLink, WorkLink};

    fn sample() -> ExperienceSpec {
        crate::sample::airline().into_spec()
    }

    fn only(spec: &ExperienceSpec) -> Problem {
        let p = problems(spec);
        assert_eq!(p.len(), 1, "{p:#?}");
        p.into_iter().next().unwrap()
    }

    fn mot_index(spec: &ExperienceSpec, id: &str) -> usize {
        spec.mots.iter().position(|m| m.id == id).unwrap()
    }

    fn work_index(spec: &ExperienceSpec, id: &str) -> usize {
        spec.landscape.work.iter().position(|w| w.id == id).unwrap()
    }

    #[test]
    fn the_samples_are_valid() {
        assert_eq!(problems(&sample()), []);
        assert_eq!(problems(&crate::sample::airline_next().into_spec()), []);
    }

    #[test]
    fn empty_texts() {
        let mut s = sample();
        s.mots[2].name = "  ".into();
        let p = only(&s);
        assert_eq!(p.path, "mots[2].name");
        assert_eq!(p.kind, ProblemKind::Empty);
        assert_eq!(p.to_string(), "`mots[2].name`: must not be empty");

        let mut s = sample();
        s.sco.one_liner.clear();
        assert_eq!(only(&s).path, "sco.one_liner");

        let mut s = sample();
        s.people[1].id = "".into();
        // The empty id is reported, and so is every reference to the old id.
        let p = problems(&s);
        assert_eq!(p[0].path, "people[1].id");
        assert!(
            p[1..]
                .iter()
                .all(|p| matches!(p.kind, ProblemKind::DanglingReference { .. }))
        );
    }

    #[test]
    fn duplicate_ids_name_the_first() {
        let mut s = sample();
        s.ideas[3].id = s.ideas[0].id.clone();
        let p = only(&s);
        assert_eq!(p.path, "ideas[3].id");
        assert_eq!(
            p.to_string(),
            format!(
                "`ideas[3].id`: idea id `{}` is used more than once (first at `ideas[0]`)",
                s.ideas[0].id
            )
        );
    }

    #[test]
    fn dangling_references_of_every_kind() {
        let mut s = sample();
        s.manager = "ghost".into();
        let m = mot_index(&s, "bag-drop");
        s.mots[m].producers.push("ghost-2".into());
        let child = s.mots.iter().position(|x| x.parent.is_some()).unwrap();
        s.mots[child].parent = Some("no-such-mot".into());
        s.ideas[0].mot = "no-mot".into();
        s.ideas[1].author = "nobody".into();
        let w = work_index(&s, "sys-dcs");
        s.landscape.work[w].mots[0].mot = "gone".into();
        s.landscape.work[w].owner = Some("stranger".into());
        s.landscape.work[0].supports.push(WorkLink {
            work: "missing-work".into(),
            weight: None,
        });
        let design = s.mots.iter().position(|x| x.design.is_some()).unwrap();
        s.mots[design].design.as_mut().unwrap().steps[0]
            .work
            .push("nowhere".into());
        let got: Vec<(String, String)> = problems(&s)
            .into_iter()
            .map(|p| (p.path.clone(), p.kind.to_string()))
            .collect();
        let producers = s.mots[m].producers.len() - 1;
        let steps0 = s.mots[design].design.as_ref().unwrap().steps[0].work.len() - 1;
        let want_contains = [
            ("manager".to_string(), "person `ghost` does not exist"),
            (
                format!("mots[{m}].producers[{producers}]"),
                "person `ghost-2` does not exist",
            ),
            (
                format!("mots[{child}].parent"),
                "mot `no-such-mot` does not exist",
            ),
            (
                format!("mots[{design}].design.steps[0].work[{steps0}]"),
                "work item `nowhere` does not exist",
            ),
            ("ideas[0].mot".to_string(), "mot `no-mot` does not exist"),
            (
                "ideas[1].author".to_string(),
                "person `nobody` does not exist",
            ),
            (
                format!("landscape.work[{w}].owner"),
                "person `stranger` does not exist",
            ),
            (
                format!("landscape.work[{w}].mots[0].mot"),
                "mot `gone` does not exist",
            ),
        ];
        for (path, msg) in want_contains {
            assert!(
                got.iter().any(|(p, m)| *p == path && m == msg),
                "missing {path}: {msg} in {got:#?}"
            );
        }
        assert!(
            got.iter()
                .any(|(p, m)| p.starts_with("landscape.work[0].supports[")
                    && m == "work item `missing-work` does not exist")
        );
        // Every problem found at once, in document order of the sections.
        assert!(got.len() >= 9);
    }

    #[test]
    fn nesting_cycles() {
        let mut s = sample();
        let a = mot_index(&s, "check-in");
        let b = mot_index(&s, "bag-drop");
        s.mots[a].parent = Some("bag-drop".into());
        s.mots[b].parent = Some("check-in".into());
        let p = problems(&s);
        let cycle = p
            .iter()
            .find(|p| matches!(p.kind, ProblemKind::NestingCycle { .. }))
            .unwrap();
        let first = a.min(b);
        assert_eq!(cycle.path, format!("mots[{first}].parent"));
        assert_eq!(
            cycle.kind.to_string(),
            "nesting cycle: `check-in` → `bag-drop` → `check-in`"
        );

        let mut s = sample();
        s.mots[0].parent = Some(s.mots[0].id.clone());
        s.mots[0].position = None;
        let p = only(&s);
        assert!(matches!(&p.kind, ProblemKind::NestingCycle { cycle } if cycle.len() == 2));
    }

    #[test]
    fn landscape_cycles() {
        let mut s = sample();
        let a = work_index(&s, "sys-dcs");
        let b = s
            .landscape
            .work
            .iter()
            .position(|w| w.supports.iter().any(|l| l.work == "sys-dcs"))
            .unwrap();
        // b supports sys-dcs; make sys-dcs support b too.
        let weighted = s.landscape.work[a].mots.iter().any(|l| l.weight.is_some());
        let target = s.landscape.work[b].id.clone();
        s.landscape.work[a].supports.push(WorkLink {
            work: target,
            weight: weighted.then_some(1.0),
        });
        let p = only(&s);
        assert_eq!(p.path, format!("landscape.work[{}].supports", a.min(b)));
        assert!(p.kind.to_string().starts_with("landscape cycle: "), "{p}");
        assert!(Experience::new(s).is_err());
    }

    #[test]
    fn numbers_out_of_range() {
        let mut s = sample();
        s.maturity.as_mut().unwrap().people = 11;
        s.maturity.as_mut().unwrap().technology = 0;
        s.sco.target_rate = Some(1.01);
        s.mots[0].smoto.target_rate = Some(-0.1);
        s.mots[0].dimensions = Some(Dimensions {
            opportunity: 0.5,
            risk: 0.7,
            cost: Some(-2.0),
            value: Some(f64::NAN),
            ..Default::default()
        });
        s.mots[1].dimensions = Some(Dimensions {
            opportunity: f64::INFINITY,
            risk: 0.7,
            ..Default::default()
        });
        s.landscape.work[0].cost = Some(-5.0);
        s.landscape.work[1].cost = Some(f64::NAN);
        let got: Vec<String> = problems(&s).iter().map(|p| p.to_string()).collect();
        assert_eq!(
            got,
            [
                "`sco.target_rate`: rate `1.01` is outside [0, 1]",
                "`maturity.technology`: score `0` is outside 1–10",
                "`maturity.people`: score `11` is outside 1–10",
                "`mots[0].smoto.target_rate`: rate `-0.1` is outside [0, 1]",
                "`mots[0].dimensions`: best case (opportunity) `0.5` is not above worst case (risk) `0.7`",
                "`mots[0].dimensions.value`: `NaN` is not a finite number",
                "`mots[0].dimensions.cost`: cost `-2` is negative",
                "`mots[1].dimensions.opportunity`: `inf` is not a finite number",
                "`landscape.work[0].cost`: cost `-5` is negative",
                "`landscape.work[1].cost`: `NaN` is not a finite number",
            ]
        );
    }

    #[test]
    fn positions() {
        let mut s = sample();
        let top: Vec<usize> = (0..s.mots.len())
            .filter(|&i| s.mots[i].parent.is_none() && s.mots[i].position.is_some())
            .collect();
        s.mots[top[1]].position = s.mots[top[0]].position;
        let p = only(&s);
        assert_eq!(p.path, format!("mots[{}].position", top[1]));
        assert_eq!(
            p.kind,
            ProblemKind::DuplicatePosition {
                position: s.mots[top[0]].position.unwrap(),
                other: s.mots[top[0]].id.to_string()
            }
        );
        // The same position under different parents is fine.
        let mut s = sample();
        let child = s.mots.iter().position(|m| m.parent.is_some()).unwrap();
        assert_eq!(s.mots[child].position, Some(1));
        assert_eq!(problems(&s), []);
        s.mots[child].position = Some(0);
        assert_eq!(only(&s).kind, ProblemKind::ZeroPosition);
    }

    #[test]
    fn weights_and_duplicate_links() {
        let mut s = sample();
        let w = s
            .landscape
            .work
            .iter()
            .position(|w| w.mots.len() >= 2 && w.mots.iter().all(|l| l.weight.is_some()))
            .unwrap();
        s.landscape.work[w].mots[0].weight = None;
        let p = only(&s);
        assert_eq!(p.path, format!("landscape.work[{w}]"));
        assert_eq!(p.kind, ProblemKind::MixedWeights);

        let mut s = sample();
        s.landscape.work[w].mots[1].weight = Some(0.0);
        let p = only(&s);
        assert_eq!(p.path, format!("landscape.work[{w}].mots[1].weight"));
        assert_eq!(
            p.to_string(),
            format!("`{}`: weight `0` must be a finite number above 0", p.path)
        );

        let mut s = sample();
        let link = s.landscape.work[w].mots[0].clone();
        s.landscape.work[w].mots.push(MotLink { ..link });
        let p = only(&s);
        let last = s.landscape.work[w].mots.len() - 1;
        assert_eq!(p.path, format!("landscape.work[{w}].mots[{last}]"));
        assert!(matches!(p.kind, ProblemKind::DuplicateLink { .. }));
    }

    #[test]
    fn problems_serialise_with_message() {
        let mut s = sample();
        s.mots[0].smoto.target_rate = Some(2.0);
        let p = only(&s);
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "path": "mots[0].smoto.target_rate",
                "kind": "rate-out-of-range",
                "value": 2.0,
                "message": "rate `2` is outside [0, 1]"
            })
        );
    }

    #[test]
    fn invalid_error_lists_everything() {
        let mut s = sample();
        s.mots[0].name.clear();
        s.landscape.work[0].cost = Some(-1.0);
        let err = Experience::new(s).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Invalid);
        assert_eq!(
            err.to_string(),
            "the experience has 2 problems\n  - `mots[0].name`: must not be empty\n  - `landscape.work[0].cost`: cost `-1` is negative"
        );
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn json_value() -> impl Strategy<Value = serde_json::Value> {
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::from),
                any::<i64>().prop_map(serde_json::Value::from),
                (-1e6f64..1e6).prop_map(serde_json::Value::from),
                "[a-z\\-]{0,8}".prop_map(serde_json::Value::from),
            ];
            leaf.prop_recursive(4, 48, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                    prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                        .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
                ]
            })
        }

        /// A path into the sample document to replace with arbitrary JSON.
        fn mutate(at: &mut serde_json::Value, picks: &[usize], value: serde_json::Value) {
            let Some((&p, rest)) = picks.split_first() else {
                *at = value;
                return;
            };
            match at {
                serde_json::Value::Object(m) if !m.is_empty() => {
                    let k = m.keys().nth(p % m.len()).unwrap().clone();
                    mutate(m.get_mut(&k).unwrap(), rest, value);
                }
                serde_json::Value::Array(a) if !a.is_empty() => {
                    let n = a.len();
                    mutate(&mut a[p % n], rest, value);
                }
                _ => *at = value,
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn validation_never_panics_on_arbitrary_json(v in json_value()) {
                let _ = Experience::from_json(&v.to_string());
                let mut with_tag = v;
                if let serde_json::Value::Object(m) = &mut with_tag {
                    m.insert("format".into(), crate::FORMAT.into());
                }
                let _ = Experience::from_json(&with_tag.to_string());
            }

            #[test]
            fn validation_never_panics_on_mutated_samples(
                picks in prop::collection::vec(any::<usize>(), 1..6),
                v in json_value(),
            ) {
                let mut doc: serde_json::Value =
                    serde_json::from_str(crate::sample::AIRLINE_JSON).unwrap();
                mutate(&mut doc, &picks, v);
                match Experience::from_json(&doc.to_string()) {
                    Ok(x) => {
                        // Whatever passed validation can be queried and drawn.
                        let _ = x.cost_rollup();
                        let _ = x.unexplained_work();
                        let _ = x.mermaid();
                        let _ = x.dot();
                        for w in &x.spec().landscape.work {
                            x.trace(w.id.as_str()).unwrap();
                            x.failure_impact(w.id.as_str()).unwrap();
                        }
                    }
                    Err(e) => prop_assert!(!e.to_string().is_empty()),
                }
            }

            #[test]
            fn id_shuffles_never_panic(
                edits in prop::collection::vec((any::<usize>(), any::<usize>(), 0usize..6), 1..8),
            ) {
                // Rewire references among existing and missing ids, making
                // cycles, duplicates and dangling links; validation must
                // answer, and anything it accepts must be queryable.
                let mut s = sample();
                let n_m = s.mots.len();
                let n_w = s.landscape.work.len();
                for (a, b, what) in edits {
                    match what {
                        0 => s.mots[a % n_m].parent = Some(s.mots[b % n_m].id.clone()),
                        1 => {
                            let t = s.landscape.work[b % n_w].id.clone();
                            let item = &mut s.landscape.work[a % n_w];
                            let weight = item.mots.first().and_then(|l| l.weight).map(|_| 1.0);
                            item.supports.push(WorkLink { work: t, weight });
                        }
                        2 => s.mots[a % n_m].id = s.mots[b % n_m].id.clone(),
                        3 => s.landscape.work[a % n_w].id = format!("w{}", b % 4).into(),
                        4 => s.mots[a % n_m].position = Some((b % 20) as u32),
                        _ => s.landscape.work[a % n_w].mots.clear(),
                    }
                }
                if let Ok(x) = Experience::new(s) {
                    let r = x.cost_rollup();
                    prop_assert!((r.allocated + r.unexplained - r.total).abs() <= 1e-9 * r.total.max(1.0));
                    for w in &x.spec().landscape.work {
                        x.failure_impact(w.id.as_str()).unwrap();
                    }
                    let _ = x.mermaid();
                }
            }
        }
    }
}
