//! Framework versions: what changed between two versions of an experience.
//!
//! The framework evolves ("Evolve the MOT framework & designs to improve SCO
//! & SMOTO production", Bell). [`diff`] compares two specs, matching MOTs and
//! work items by id, and lists MOTs added, removed, renamed, re-typed,
//! re-owned, moved, re-declared, SMOTO targets changed, and work links
//! changed. [`timeline`] puts versions in the order they took effect
//! (`effective_from`) with what each one's landscape leaves unexplained.
//!
//! ```
//! use mot_core::{diff, sample};
//!
//! let old = sample::airline();
//! let new = sample::airline_next();
//! let d = diff(old.spec(), new.spec());
//! assert_eq!(d.from_version.as_deref(), Some("2026.1"));
//! assert!(!d.mots_added.is_empty());
//! println!("{d}"); // one line per change
//! ```

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use serde::Serialize;

use crate::{
    Contribution, Experience, ExperienceSpec, InteractionType, Moment, Mot, MotId, PersonId,
    WorkId, WorkItem,
};

/// One version of a framework in time: when it took effect and what its
/// Customer Performance Landscape costs, and how much of that serves no MOT.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct VersionCost {
    /// The experience's id.
    pub id: String,
    /// Its version label.
    pub version: Option<String>,
    /// When it took effect.
    #[cfg_attr(feature = "typescript", tsify(type = "string | null"))]
    pub effective_from: Option<Moment>,
    /// MOTs designed in it.
    pub mots: u64,
    /// The landscape's cost.
    pub landscape_total: f64,
    /// The part of it that serves no MOT ([`crate::landscape::CostRollup`]).
    pub unexplained: f64,
    /// `unexplained / landscape_total` (`None` when the landscape costs
    /// nothing).
    pub unexplained_share: Option<f64>,
}

/// Versions in the order they took effect (`effective_from`; versions
/// without one last, in the order given), each with its landscape's cost
/// and the share of it that serves no MOT: whether the framework sheds
/// unexplained work as it evolves.
///
/// ```
/// use mot_core::{sample, timeline};
///
/// let (old, new) = (sample::airline(), sample::airline_next());
/// let t = timeline(&[&new, &old]);
/// assert_eq!(t[0].version.as_deref(), Some("2026.1"));
/// assert!(t.iter().all(|v| v.unexplained_share.is_some()));
/// ```
pub fn timeline(versions: &[&Experience]) -> Vec<VersionCost> {
    let mut out: Vec<VersionCost> = versions
        .iter()
        .map(|x| {
            let r = x.cost_rollup();
            VersionCost {
                id: x.spec().id.clone(),
                version: x.spec().version.clone(),
                effective_from: x.spec().effective_from,
                mots: x.mots().len() as u64,
                landscape_total: r.total,
                unexplained: r.unexplained,
                unexplained_share: (r.total > 0.0).then(|| r.unexplained / r.total),
            }
        })
        .collect();
    // Stable: versions without a date keep their order, after the dated.
    out.sort_by_key(|v| (v.effective_from.is_none(), v.effective_from));
    out
}

/// One MOT's field that changed from one version to the next.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Change<T> {
    /// The MOT.
    pub mot: MotId,
    /// The value in the old version.
    pub from: T,
    /// The value in the new version.
    pub to: T,
}

/// Where an MOT sits: its parent and position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Placement {
    /// The enclosing MOT, if nested.
    pub parent: Option<MotId>,
    /// The position among its siblings, if on the designed path.
    pub position: Option<u32>,
}

/// How one work item's links changed (for items in both versions).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct WorkLinksChange {
    /// The work item.
    pub work: WorkId,
    /// MOTs it serves now and did not before.
    pub mots_added: Vec<MotId>,
    /// MOTs it served before and does not now.
    pub mots_removed: Vec<MotId>,
    /// Work it supports now and did not before.
    pub supports_added: Vec<WorkId>,
    /// Work it supported before and does not now.
    pub supports_removed: Vec<WorkId>,
    /// MOT links kept whose weight changed.
    pub mots_reweighted: Vec<MotId>,
    /// Work links kept whose weight changed.
    pub supports_reweighted: Vec<WorkId>,
}

impl WorkLinksChange {
    fn is_empty(&self) -> bool {
        self.mots_added.is_empty()
            && self.mots_removed.is_empty()
            && self.supports_added.is_empty()
            && self.supports_removed.is_empty()
            && self.mots_reweighted.is_empty()
            && self.supports_reweighted.is_empty()
    }
}

/// Everything that changed between two versions of an experience.
///
/// Lists follow the new version's document order (the old one's for
/// removals).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Diff {
    /// The old version label.
    pub from_version: Option<String>,
    /// The new version label.
    pub to_version: Option<String>,
    /// MOTs only in the new version.
    pub mots_added: Vec<MotId>,
    /// MOTs only in the old version.
    pub mots_removed: Vec<MotId>,
    /// MOTs whose name changed.
    pub renamed: Vec<Change<String>>,
    /// MOTs whose interaction type changed.
    #[cfg_attr(feature = "typescript", tsify(type = "Change<string>[]"))]
    pub retyped: Vec<Change<InteractionType>>,
    /// MOTs whose MOT Manager changed.
    pub reowned: Vec<Change<Option<PersonId>>>,
    /// MOTs whose SMOTO target rate changed.
    pub smoto_target_changed: Vec<Change<Option<f64>>>,
    /// MOTs whose parent or position changed.
    pub moved: Vec<Change<Placement>>,
    /// MOTs whose declared contribution to the SCO changed.
    pub contribution_changed: Vec<Change<Contribution>>,
    /// Work items only in the new version.
    pub work_added: Vec<WorkId>,
    /// Work items only in the old version.
    pub work_removed: Vec<WorkId>,
    /// Work items in both whose links changed.
    pub work_links_changed: Vec<WorkLinksChange>,
}

impl Diff {
    /// Whether nothing listed here changed.
    pub fn is_empty(&self) -> bool {
        self.mots_added.is_empty()
            && self.mots_removed.is_empty()
            && self.renamed.is_empty()
            && self.retyped.is_empty()
            && self.reowned.is_empty()
            && self.smoto_target_changed.is_empty()
            && self.moved.is_empty()
            && self.contribution_changed.is_empty()
            && self.work_added.is_empty()
            && self.work_removed.is_empty()
            && self.work_links_changed.is_empty()
    }
}

/// Compares two versions of an experience.
///
/// Works on specs, so a version that does not validate can still be
/// compared. MOTs and work items are matched by id; an id that appears twice
/// is matched on its first occurrence.
pub fn diff(old: &ExperienceSpec, new: &ExperienceSpec) -> Diff {
    let old_mots = first_by_id(old.mots.iter().map(|m| (m.id.as_str(), m)));
    let new_mots = first_by_id(new.mots.iter().map(|m| (m.id.as_str(), m)));
    let mut d = Diff {
        from_version: old.version.clone(),
        to_version: new.version.clone(),
        ..Diff::default()
    };
    d.mots_added = only_in(&new.mots, &old_mots, |m: &Mot| &m.id);
    d.mots_removed = only_in(&old.mots, &new_mots, |m: &Mot| &m.id);
    for (a, b) in pairs(&new.mots, &old_mots, |m: &Mot| m.id.as_str()) {
        let change = |from, to| Change {
            mot: b.id.clone(),
            from,
            to,
        };
        if a.name != b.name {
            d.renamed.push(change(a.name.clone(), b.name.clone()));
        }
        if a.interaction_type != b.interaction_type {
            d.retyped.push(Change {
                mot: b.id.clone(),
                from: a.interaction_type,
                to: b.interaction_type,
            });
        }
        if a.manager != b.manager {
            d.reowned.push(Change {
                mot: b.id.clone(),
                from: a.manager.clone(),
                to: b.manager.clone(),
            });
        }
        if a.smoto.target_rate != b.smoto.target_rate {
            d.smoto_target_changed.push(Change {
                mot: b.id.clone(),
                from: a.smoto.target_rate,
                to: b.smoto.target_rate,
            });
        }
        let place = |m: &Mot| Placement {
            parent: m.parent.clone(),
            position: m.position,
        };
        if place(a) != place(b) {
            d.moved.push(Change {
                mot: b.id.clone(),
                from: place(a),
                to: place(b),
            });
        }
        if a.contribution != b.contribution {
            d.contribution_changed.push(Change {
                mot: b.id.clone(),
                from: a.contribution,
                to: b.contribution,
            });
        }
    }
    let old_work = first_by_id(old.landscape.work.iter().map(|w| (w.id.as_str(), w)));
    let new_work = first_by_id(new.landscape.work.iter().map(|w| (w.id.as_str(), w)));
    d.work_added = only_in(&new.landscape.work, &old_work, |w: &WorkItem| &w.id);
    d.work_removed = only_in(&old.landscape.work, &new_work, |w: &WorkItem| &w.id);
    for (a, b) in pairs(&new.landscape.work, &old_work, |w: &WorkItem| w.id.as_str()) {
        let change = work_links_change(a, b);
        if !change.is_empty() {
            d.work_links_changed.push(change);
        }
    }
    d
}

fn first_by_id<'a, T>(items: impl Iterator<Item = (&'a str, &'a T)>) -> HashMap<&'a str, &'a T> {
    let mut map = HashMap::new();
    for (id, item) in items {
        map.entry(id).or_insert(item);
    }
    map
}

/// Ids of `items` (deduplicated, in order) with no match in `other`.
fn only_in<T, I: Clone + Ord + AsRef<str>>(
    items: &[T],
    other: &HashMap<&str, &T>,
    id: impl Fn(&T) -> &I,
) -> Vec<I> {
    let mut seen = BTreeSet::new();
    items
        .iter()
        .map(&id)
        .filter(|i| !other.contains_key(i.as_ref()) && seen.insert((*i).clone()))
        .cloned()
        .collect()
}

/// (old, new) pairs for the items of `new_items` that `old` also has, each
/// id once.
fn pairs<'a, T>(
    new_items: &'a [T],
    old: &HashMap<&str, &'a T>,
    id: impl Fn(&T) -> &str,
) -> Vec<(&'a T, &'a T)> {
    let mut seen = BTreeSet::new();
    new_items
        .iter()
        .filter(|b| seen.insert(id(b).to_string()))
        .filter_map(|b| old.get(id(b)).map(|a| (*a, b)))
        .collect()
}

fn work_links_change(a: &WorkItem, b: &WorkItem) -> WorkLinksChange {
    let (mots_added, mots_removed, mots_reweighted) =
        compare_links(&a.mots, &b.mots, |l| (&l.mot, l.weight));
    let (supports_added, supports_removed, supports_reweighted) =
        compare_links(&a.supports, &b.supports, |l| (&l.work, l.weight));
    WorkLinksChange {
        work: b.id.clone(),
        mots_added,
        mots_removed,
        supports_added,
        supports_removed,
        mots_reweighted,
        supports_reweighted,
    }
}

/// Targets added (new order), removed (old order) and kept with another weight.
fn compare_links<L, I: Clone + PartialEq>(
    old: &[L],
    new: &[L],
    key: impl Fn(&L) -> (&I, Option<f64>),
) -> (Vec<I>, Vec<I>, Vec<I>) {
    let weight_in = |links: &[L], id: &I| {
        links
            .iter()
            .map(&key)
            .find(|(t, _)| *t == id)
            .map(|(_, w)| w)
    };
    let (mut added, mut removed, mut reweighted) = (Vec::new(), Vec::new(), Vec::new());
    for (id, w) in new.iter().map(&key) {
        match weight_in(old, id) {
            None => added.push(id.clone()),
            Some(old_w) if old_w != w => reweighted.push(id.clone()),
            Some(_) => {}
        }
    }
    for (id, _) in old.iter().map(&key) {
        if weight_in(new, id).is_none() {
            removed.push(id.clone());
        }
    }
    (added, removed, reweighted)
}

fn list<T: fmt::Display>(ids: &[T]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn opt<T: fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "none".to_string(), |v| format!("`{v}`"))
}

impl fmt::Display for Diff {
    /// One line per change, e.g. ``mot `lounge` added``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "changes from version {} to {}:",
            opt(&self.from_version),
            opt(&self.to_version)
        )?;
        if self.is_empty() {
            return writeln!(f, "  none");
        }
        for id in &self.mots_added {
            writeln!(f, "  mot `{id}` added")?;
        }
        for id in &self.mots_removed {
            writeln!(f, "  mot `{id}` removed")?;
        }
        for c in &self.renamed {
            writeln!(
                f,
                "  mot `{}` renamed from `{}` to `{}`",
                c.mot, c.from, c.to
            )?;
        }
        for c in &self.retyped {
            writeln!(
                f,
                "  mot `{}` re-typed from `{}` to `{}`",
                c.mot, c.from, c.to
            )?;
        }
        for c in &self.reowned {
            writeln!(
                f,
                "  mot `{}` re-owned from {} to {}",
                c.mot,
                opt(&c.from),
                opt(&c.to)
            )?;
        }
        for c in &self.smoto_target_changed {
            writeln!(
                f,
                "  mot `{}` smoto target changed from {} to {}",
                c.mot,
                opt(&c.from),
                opt(&c.to)
            )?;
        }
        for c in &self.moved {
            writeln!(
                f,
                "  mot `{}` moved from parent {} position {} to parent {} position {}",
                c.mot,
                opt(&c.from.parent),
                opt(&c.from.position),
                opt(&c.to.parent),
                opt(&c.to.position)
            )?;
        }
        for c in &self.contribution_changed {
            writeln!(
                f,
                "  mot `{}` contribution changed from `{}` to `{}`",
                c.mot,
                c.from.as_str(),
                c.to.as_str()
            )?;
        }
        for id in &self.work_added {
            writeln!(f, "  work `{id}` added")?;
        }
        for id in &self.work_removed {
            writeln!(f, "  work `{id}` removed")?;
        }
        for c in &self.work_links_changed {
            let parts = [
                ("now serves", list(&c.mots_added)),
                ("no longer serves", list(&c.mots_removed)),
                ("now supports", list(&c.supports_added)),
                ("no longer supports", list(&c.supports_removed)),
                ("re-weighted links to", list(&c.mots_reweighted)),
                ("re-weighted support of", list(&c.supports_reweighted)),
            ];
            let text: Vec<String> = parts
                .iter()
                .filter(|(_, l)| !l.is_empty())
                .map(|(what, l)| format!("{what} {l}"))
                .collect();
            writeln!(f, "  work `{}` {}", c.work, text.join("; "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    #[test]
    fn sample_versions() {
        let d = diff(sample::airline().spec(), sample::airline_next().spec());
        assert_eq!(d.from_version.as_deref(), Some("2026.1"));
        assert_eq!(d.to_version.as_deref(), Some("2026.2"));
        assert_eq!(d.mots_added, ["trip-reminder"]);
        assert_eq!(d.mots_removed, ["survey-email"]);
        assert_eq!(d.renamed.len(), 1);
        assert_eq!(d.renamed[0].mot, "baggage-reclaim");
        assert_eq!(d.renamed[0].to, "Bag delivery at arrival");
        assert_eq!(
            d.retyped,
            [Change {
                mot: "check-in".into(),
                from: InteractionType::PS,
                to: InteractionType::SP
            }]
        );
        assert_eq!(
            d.reowned,
            [Change {
                mot: "lounge".into(),
                from: Some("p-sofia".into()),
                to: Some("p-yuki".into())
            }]
        );
        assert_eq!(
            d.smoto_target_changed,
            [Change {
                mot: "flight".into(),
                from: Some(0.85),
                to: Some(0.88)
            }]
        );
        assert!(d.moved.is_empty());
        assert!(d.contribution_changed.is_empty());
        assert_eq!(d.work_removed, ["sys-survey-tool"]);
        assert!(d.work_added.is_empty());
        let crm = d
            .work_links_changed
            .iter()
            .find(|c| c.work == "sys-crm-email")
            .unwrap();
        assert_eq!(crm.mots_added, ["trip-reminder"]);
        assert_eq!(crm.mots_removed, ["survey-email"]);
        let ops = d
            .work_links_changed
            .iter()
            .find(|c| c.work == "team-it-ops")
            .unwrap();
        assert_eq!(ops.supports_added, ["sys-sms-gateway"]);
        assert_eq!(d.work_links_changed.len(), 2);

        let text = d.to_string();
        assert!(text.starts_with("changes from version `2026.1` to `2026.2`:\n"));
        assert!(
            text.contains("  mot `check-in` re-typed from `PS` to `SP`\n"),
            "{text}"
        );
        assert!(text.contains("  work `sys-crm-email` now serves `trip-reminder`; no longer serves `survey-email`\n"), "{text}");
    }

    #[test]
    fn identical_versions_have_no_changes() {
        let x = sample::airline();
        let d = diff(x.spec(), x.spec());
        assert!(d.is_empty());
        assert!(d.to_string().ends_with("  none\n"));
    }

    #[test]
    fn reversed_diff_mirrors() {
        let (a, b) = (sample::airline(), sample::airline_next());
        let fwd = diff(a.spec(), b.spec());
        let back = diff(b.spec(), a.spec());
        assert_eq!(fwd.mots_added, back.mots_removed);
        assert_eq!(fwd.mots_removed, back.mots_added);
        assert_eq!(fwd.retyped[0].from, back.retyped[0].to);
    }

    #[test]
    fn moves_contribution_and_weights() {
        let a = sample::airline().into_spec();
        let mut b = a.clone();
        let child = b.mots.iter().position(|m| m.parent.is_some()).unwrap();
        b.mots[child].parent = None;
        b.mots[child].position = None;
        b.mots[0].contribution = Contribution::Nothing;
        let w = b
            .landscape
            .work
            .iter()
            .position(|w| w.mots.iter().any(|l| l.weight.is_some()))
            .unwrap();
        b.landscape.work[w].mots[0].weight = Some(123.0);
        let d = diff(&a, &b);
        assert_eq!(d.moved.len(), 1);
        assert_eq!(
            d.moved[0].to,
            Placement {
                parent: None,
                position: None
            }
        );
        assert_eq!(d.contribution_changed[0].to, Contribution::Nothing);
        assert_eq!(
            d.work_links_changed[0].mots_reweighted,
            [b.landscape.work[w].mots[0].mot.clone()]
        );
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["contribution_changed"][0]["to"], "none");
    }
}
