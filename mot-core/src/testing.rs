//! Proptest strategies shared by the crate's property tests.

use proptest::prelude::*;

use crate::{
    Contribution, Design, DesignStep, Dimensions, ExperienceFormat, ExperienceSpec, Idea,
    IdeaStatus, InteractionType, Landscape, Maturity, Mot, MotLink, Person, Sco, Smoto, WorkItem,
    WorkKind, WorkLink,
};

/// Any finite f64, including subnormals, zeros and huge magnitudes.
pub(crate) fn finite() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    (NORMAL | SUBNORMAL | ZERO | POSITIVE | NEGATIVE).prop_filter("finite", |x| x.is_finite())
}

fn non_negative() -> impl Strategy<Value = f64> {
    finite().prop_map(f64::abs)
}

fn rate() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(1.0), 0.0f64..=1.0]
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9 \"\\\\<>#&é→-]{0,12}"
}

fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::of(s)
}

fn interaction_type() -> impl Strategy<Value = InteractionType> {
    prop::sample::select(InteractionType::ALL.to_vec())
}

fn contribution() -> impl Strategy<Value = Contribution> {
    prop::sample::select(vec![
        Contribution::Direct,
        Contribution::Enabling,
        Contribution::Nothing,
    ])
}

fn dimensions() -> impl Strategy<Value = Dimensions> {
    (
        finite(),
        non_negative(),
        opt(text()),
        opt(finite()),
        opt(finite()),
        opt(finite()),
        opt(non_negative()),
    )
        .prop_filter_map(
            "scale needs width",
            |(risk, w, scale, actual, value, ret, cost)| {
                let opportunity = risk + w;
                (opportunity > risk && opportunity.is_finite()).then_some(Dimensions {
                    opportunity,
                    risk,
                    scale,
                    actual,
                    value,
                    company_return: ret,
                    cost,
                })
            },
        )
}

/// Any valid experience: references point only backwards (parents to
/// earlier MOTs, support links to later work), so no cycles; positions are
/// unique among siblings; weights are all-or-none per work item.
pub(crate) fn valid_spec() -> impl Strategy<Value = ExperienceSpec> {
    let people = 1usize..5;
    let mots = 1usize..9;
    let work = 0usize..10;
    (people, mots, work).prop_flat_map(|(np, nm, nw)| {
        let person = move || (0..np).prop_map(|i| format!("p{i}").into());
        let mot_ref = move || (0..nm).prop_map(|i| format!("m{i}").into());
        let mot = (
            text(),
            opt(text()),
            interaction_type(),
            (text(), opt(rate())),
            opt(person()),
            prop::collection::vec(person(), 0..3),
            any::<bool>(),
            any::<prop::sample::Index>(),
            contribution(),
            opt(dimensions()),
            opt(prop::collection::vec(
                (text(), prop::collection::vec(0..nw.max(1), 0..3)),
                0..4,
            )),
        );
        let work_item = (
            text(),
            prop::sample::select(vec![
                WorkKind::Process,
                WorkKind::Activity,
                WorkKind::System,
                WorkKind::Team,
                WorkKind::Equipment,
                WorkKind::Policy,
            ]),
            opt(person()),
            opt(non_negative()),
            prop::collection::btree_set(0..nm, 0..3),
            prop::collection::vec(any::<prop::sample::Index>(), 0..3),
            any::<bool>(),
            0.001f64..1e6,
        );
        let idea = (
            mot_ref(),
            person(),
            text(),
            prop::sample::select(vec![
                IdeaStatus::Proposed,
                IdeaStatus::UnderReview,
                IdeaStatus::Accepted,
                IdeaStatus::Implemented,
                IdeaStatus::Rejected,
            ]),
        );
        (
            text(),
            opt(text()),
            person(),
            (text(), text(), opt(rate())),
            opt((1i64..=10, 1i64..=10, 1i64..=10)),
            prop::collection::vec(text(), np),
            prop::collection::vec(mot, nm),
            prop::collection::vec(work_item, nw),
            prop::collection::vec(idea, 0..4),
        )
            .prop_map(
                move |(name, version, manager, sco, maturity, names, mots, work, ideas)| {
                    let people = names
                        .into_iter()
                        .enumerate()
                        .map(|(i, name)| Person {
                            id: format!("p{i}").into(),
                            name,
                            title: None,
                        })
                        .collect();
                    let mut next_position = std::collections::HashMap::new();
                    let mots = mots
                        .into_iter()
                        .enumerate()
                        .map(|(i, m)| {
                            let (
                                name,
                                description,
                                t,
                                (smoto, target),
                                manager,
                                mut producers,
                                nest,
                                parent_pick,
                                contribution,
                                dimensions,
                                design,
                            ) = m;
                            producers.sort();
                            producers.dedup();
                            let parent = (nest && i > 0).then(|| parent_pick.index(i));
                            let slot = next_position.entry(parent).or_insert(0u32);
                            *slot += 1;
                            let position = (*slot % 3 != 0).then_some(*slot);
                            Mot {
                                id: format!("m{i}").into(),
                                name,
                                description,
                                interaction_type: t,
                                smoto: Smoto {
                                    description: smoto,
                                    target_rate: target,
                                },
                                manager,
                                producers,
                                position,
                                parent: parent.map(|p| format!("m{p}").into()),
                                contribution,
                                dimensions,
                                design: design.filter(|_| nw > 0).map(|steps| Design {
                                    steps: steps
                                        .into_iter()
                                        .map(|(name, work)| DesignStep {
                                            name,
                                            description: None,
                                            work: work
                                                .into_iter()
                                                .map(|w| format!("w{w}").into())
                                                .collect(),
                                        })
                                        .collect(),
                                }),
                            }
                        })
                        .collect();
                    let work = work
                        .into_iter()
                        .enumerate()
                        .map(|(i, w)| {
                            let (name, kind, owner, cost, mots, supports, weighted, weight) = w;
                            let later = nw - i - 1;
                            let mut targets: Vec<usize> = supports
                                .into_iter()
                                .filter(|_| later > 0)
                                .map(|ix| i + 1 + ix.index(later.max(1)))
                                .collect();
                            targets.sort();
                            targets.dedup();
                            let weight = weighted.then_some(weight);
                            WorkItem {
                                id: format!("w{i}").into(),
                                name,
                                kind,
                                description: None,
                                owner,
                                cost,
                                mots: mots
                                    .into_iter()
                                    .map(|m| MotLink {
                                        mot: format!("m{m}").into(),
                                        weight,
                                    })
                                    .collect(),
                                supports: targets
                                    .into_iter()
                                    .map(|t| WorkLink {
                                        work: format!("w{t}").into(),
                                        weight,
                                    })
                                    .collect(),
                            }
                        })
                        .collect();
                    ExperienceSpec {
                        format: ExperienceFormat,
                        id: "x".into(),
                        name,
                        version,
                        effective_from: None,
                        segment: "segment".into(),
                        manager,
                        sco: Sco {
                            one_liner: sco.0,
                            definition: sco.1,
                            target_rate: sco.2,
                        },
                        currency: None,
                        maturity: maturity.map(|(t, p, s)| Maturity {
                            technology: t,
                            people: p,
                            sco_development: s,
                        }),
                        people,
                        mots,
                        ideas: ideas
                            .into_iter()
                            .enumerate()
                            .map(|(i, (mot, author, title, status))| Idea {
                                id: format!("i{i}").into(),
                                mot,
                                author,
                                title,
                                description: None,
                                status,
                                submitted_at: None,
                                implemented_at: None,
                            })
                            .collect(),
                        landscape: Landscape { work },
                    }
                },
            )
    })
}
