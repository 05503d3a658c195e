//! # mot-core: Moments of Truth management
//!
//! A Moment of Truth (MOT) is any interaction with the customer inside an
//! experience; it either contributes to the customer's Successful Customer
//! Outcome (SCO) or it doesn't. This crate is the reference implementation of
//! the method: the experience framework as checked, serialisable types, and
//! the numbers managers act on.
//!
//! ## A tour
//!
//! - [`Experience`] — one experience for one customer segment: the SCO, the
//!   [`Mot`]s (each with an [`InteractionType`], a [`Smoto`], a MOT Manager,
//!   Experience Producers, a designed position, an optional parent), the
//!   people and their [`Role`]s, [`Design`]s, [`Idea`]s, [`Maturity`], the
//!   five [`Dimensions`], and the Customer Performance [`Landscape`].
//!   [`ExperienceSpec`] is the same as plain data; [`Experience::new`]
//!   validates it, reporting **every** [`Problem`] at once with its path.
//! - JSON format `mot.experience/1` ([`Experience::from_json`],
//!   [`Experience::to_json`]), with a JSON Schema in `mot-core/schema/`.
//! - The landscape: [`Experience::trace`], [`Experience::unexplained_work`],
//!   [`Experience::cost_rollup`], [`Experience::failure_impact`].
//! - Versions: [`diff`] lists what changed between two frameworks;
//!   [`timeline`] puts versions in the order they took effect
//!   (`effective_from`) with the landscape cost that serves no MOT.
//! - Pictures: [`Experience::mermaid`], [`Experience::dot`] and, per MOT,
//!   [`Experience::design_mermaid`], [`Experience::design_dot`].
//! - [`sample::airline`]: the bundled airline experience.
//!
//! And the production engine, from interaction logs to the dashboard:
//!
//! - [`Tracker`] reads interactions and journey outcomes — row by row
//!   ([`Tracker::record`], [`Tracker::close_journey`]) or as [`Columns`]
//!   ([`Tracker::ingest`]) — bound to an experience or in discovery mode.
//!   Bad rows are counted by [`RejectReason`], never dropped silently.
//!   [`csv`] reads logs and outcomes from CSV text ([`Tracker::ingest_table`]).
//!   States merge exactly ([`Tracker::merge`]) and travel as bytes.
//! - [`Dashboard`] is the JSON contract `mot.dashboard/1`: Amount, Type,
//!   Ownership, Alignment, Trend, Ratio, Impact; SMOTO and SCO rates with
//!   Wilson intervals ([`stats`]); lift and exact Markov removal effects
//!   ([`impact`]); trends with p-chart limits ([`trend`]); the alignment rule
//!   ([`alignment`]); the Design–Implementation gap, every journey against
//!   the designed journey ([`conformance`], [`TrackerConfig::designed`]);
//!   durations per step and per journey with mergeable percentiles
//!   ([`timing`]); alerts; directly-follows counts and variants; 95%
//!   intervals on lift, removal effects and attribution shares; the cost
//!   line of sight.
//! - [`Comparison`] is the contract `mot.comparison/1`: did a change work?
//!   Two time windows of one tracker's state, per MOT its SMOTO rate and the
//!   SCO and conformance rates, the change with its Newcombe interval and
//!   its always-valid (mSPRT) interval ([`comparison`]);
//!   [`comparison::IdeaReport`] (`mot.ideas/1`) measures each implemented
//!   idea on its MOT and gives ideas' cycle times.
//! - [`simulate`] makes deterministic logs for demos, tests and benchmarks.
//!
//! Errors are one type, [`Error`], with a matchable [`ErrorKind`].
//!
//! ## Where things live
//!
//! | folder | what |
//! |---|---|
//! | [`model`] | the method's concepts: experience, SCO, MOTs, taxonomy, roles, designs, ideas, maturity, dimensions, landscape, versions, pictures |
//! | [`input`] | reading logs: [`events`] (columns, reject reasons, column names), [`csv`], [`input::xes`], [`input::time`], [`input::values`] |
//! | [`production`] | the tracker: streaming and columnar ingest, the mergeable state and its bytes, variants, durations, the detectors and journeys at risk as it runs them |
//! | [`analytics`] | the statistics: [`stats`], [`impact`], [`trend`], [`alignment`], [`conformance`], [`timing`], [`numeric`] |
//! | [`dashboard`] | the `mot.dashboard/1` contract, how it is built, and its table and HTML renderings |
//! | [`comparison`] | the `mot.comparison/1` and `mot.ideas/1` contracts: before/after windows, ideas measured, their renderings |
//!
//! [`Settings`] holds every option of a one-call dashboard with its
//! default; [`simulate`] and [`sample`] make the demo data.
//!
//! ## Example
//!
//! ```
//! use mot_core::{Experience, ErrorKind, InteractionType, Role};
//!
//! // Load the bundled sample (any `mot.experience/1` document works the same).
//! let x = Experience::from_json(mot_core::sample::AIRLINE_JSON)?;
//! println!("{}: {}", x.spec().name, x.spec().sco.one_liner);
//!
//! // The designed journey, step by step, with interaction types.
//! let types: Vec<InteractionType> =
//!     x.designed_journey().iter().map(|m| m.interaction_type).collect();
//! assert!(types.len() >= 10);
//!
//! // Who does what.
//! assert_eq!(x.roles_of("p-em"), [Role::ExperienceManager]);
//!
//! // Which MOTs does the departure control system support?
//! let served = x.mots_served_by("sys-dcs")?;
//! assert!(served.iter().any(|m| m == "bag-drop"));
//!
//! // Work no MOT explains.
//! assert_eq!(x.unexplained_work()[0].id, "pol-fax-confirmation");
//!
//! // A broken copy reports every problem with its path.
//! let mut spec = x.spec().clone();
//! spec.mots[0].smoto.target_rate = Some(1.5);
//! spec.landscape.work[0].cost = Some(-3.0);
//! let err = Experience::new(spec).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::Invalid);
//! assert_eq!(err.problems().len(), 2);
//! assert_eq!(err.problems()[0].path, "mots[0].smoto.target_rate");
//!
//! // What changed in the next version of the framework.
//! let d = mot_core::diff(x.spec(), mot_core::sample::airline_next().spec());
//! println!("{d}");
//! # Ok::<(), mot_core::Error>(())
//! ```
//!
//! ## From a log to the dashboard
//!
//! ```
//! use mot_core::{Columns, Dashboard, DashboardOptions, Ids, OutcomeColumns, Tracker, TrackerConfig};
//!
//! let x = mot_core::sample::airline();
//! let journeys = ["j1", "j1", "j1", "j2", "j2"];
//! let mots = ["search-book", "check-in", "bag-drop", "search-book", "check-in"];
//! let ts = [1_795_392_000, 1_795_395_600, 1_795_399_200, 1_795_392_100, 1_795_392_900];
//! let ok = [true, true, false, true, true];
//! let events = Columns::new(Ids::Str(&journeys), Ids::Str(&mots), &ts, &ok);
//! let outcomes = OutcomeColumns::new(Ids::Str(&["j1", "j2"]), &[false, true]);
//!
//! let mut t = Tracker::new(&x, TrackerConfig::default());
//! t.ingest(&events, Some(&outcomes))?;
//! let d = Dashboard::build(&t, Some(&x), &DashboardOptions::default())?;
//! assert_eq!((d.sco.journeys, d.sco.successes), (2, 1));
//! let bag = d.mots.iter().find(|m| m.id == "bag-drop").unwrap();
//! assert_eq!((bag.interactions, bag.successes), (1, Some(0)));
//! println!("{}", d.to_table());
//! # Ok::<(), mot_core::Error>(())
//! ```

#![cfg_attr(mot_speed, feature(optimize_attribute))]
#![deny(missing_docs)]

// The layout tells the architecture: the model of the method, reading
// logs, the production engine, the analytics, the dashboard contract and
// the before/after comparison contract.
pub mod analytics;
pub mod comparison;
pub mod dashboard;
pub mod input;
pub mod model;
pub mod production;

mod error;
pub mod limits;
pub mod sample;
pub mod schema;
pub mod settings;
pub mod simulate;
#[cfg(test)]
mod testing;
mod threads;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

// The public paths every release has had (`mot_core::csv`,
// `mot_core::events`, `mot_core::trend`, ...) stay where they were.
pub use analytics::{alignment, conformance, cusum, impact, numeric, risk, stats, timing, trend};
pub use input::{csv, events, json};
pub use model::landscape;
use model::{
    design, dimensions, experience, graph, id, ideas, maturity, moment, mot, roles, taxonomy,
    versions,
};

pub use alignment::{Alignment, AlignmentInput, AlignmentRule};
pub use comparison::{CompareOptions, Comparison, Window};
pub use dashboard::{Dashboard, DashboardOptions};
pub use design::{Design, DesignStep};
pub use dimensions::{Dimensions, roi};
pub use error::{Error, ErrorKind, Problem, ProblemKind};
pub use events::{
    BadRows, Columns, Ids, OutcomeColumns, RejectReason, Rejected, TimeUnit, Validity,
};
pub use experience::{Experience, ExperienceFormat, ExperienceSpec, FORMAT, Sco};
pub use id::{IdeaId, MotId, PersonId, WorkId};
pub use ideas::{Idea, IdeaStatus};
pub use landscape::{Landscape, MotLink, WorkItem, WorkKind, WorkLink};
pub use limits::Limits;
pub use maturity::Maturity;
pub use moment::Moment;
pub use mot::{Contribution, Mot, Smoto};
pub use production::{Extra, IngestSummary, JourneyKey, Tracker, TrackerConfig};
pub use roles::{Person, Role};
pub use settings::Settings;
pub use taxonomy::{Actor, InteractionType};
pub use trend::Period;
pub use versions::{Change, Diff, Placement, VersionCost, WorkLinksChange, diff, timeline};
