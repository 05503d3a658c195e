//! The one public error of the crate, and the problems validation reports.
//!
//! Every fallible function returns [`Error`]. It is opaque: ask it its
//! [`kind`](Error::kind) (a stable, matchable [`ErrorKind`]), its
//! [`path`](Error::path) in the input when it has one, and, for a model that
//! failed validation, every [`Problem`] found.
//!
//! Every message is in one style: it starts in lowercase (or with a value),
//! has no trailing period, and puts each value from the caller or the input
//! in backticks — ids, names, options, file names, numbers given —
//! (``mot `check-in` is not in the experience``); counts and places the
//! library works out (`row 3`, `line 7`, `byte 12`, `2 rows`) are plain
//! words. A test builds every [`ErrorKind`] and every
//! [`RejectReason`](crate::RejectReason) and checks these rules.
//!
//! # Example
//!
//! ```
//! use mot_core::{Experience, ErrorKind};
//!
//! let err = Experience::from_json(r#"{"format": "mot.experience/9"}"#).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::Format);
//! assert!(err.to_string().contains("newer"));
//! ```

use std::fmt;

use serde::Serialize;

/// What went wrong, as a stable value to match on.
///
/// Bindings map each kind to its own exception class (Python) or `kind`
/// field (JavaScript); [`ErrorKind::as_str`] is that stable name.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// The input is not well-formed JSON, or a value has the wrong shape or
    /// type, or a field is unknown. [`Error::path`] names where.
    Json,
    /// The `format` tag is missing, unknown, or newer than this library.
    Format,
    /// The model was read but breaks one or more rules;
    /// [`Error::problems`] lists every one.
    Invalid,
    /// A string is not one of the six interaction types.
    InteractionType,
    /// An id given to a query is not in the experience.
    NotFound,
    /// An idea cannot move from its status to the one asked for.
    IdeaTransition,
    /// An option or parameter is out of its domain (a period of 0 seconds,
    /// an unknown time unit).
    Config,
    /// Input columns do not fit together (different lengths, a null mask
    /// too short).
    Columns,
    /// A row could not be used and the caller asked to fail on bad rows
    /// ([`BadRows::Fail`](crate::BadRows::Fail)); [`Error::row`] and
    /// [`Error::reject_reason`] say which and why.
    BadRow,
    /// Bytes are not a tracker state this library can read (foreign,
    /// truncated, corrupt, or from a newer version).
    State,
    /// Two tracker states cannot be merged (different experiences or
    /// settings).
    Merge,
    /// An input would take the library past one of its resource
    /// [`Limits`](crate::Limits) (too many distinct MOTs or open journeys,
    /// a document too large or too deeply nested). Nothing is changed.
    Limit,
}

impl ErrorKind {
    /// The stable, kebab-case name of the kind (`"invalid"`, `"json"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Json => "json",
            ErrorKind::Format => "format",
            ErrorKind::Invalid => "invalid",
            ErrorKind::InteractionType => "interaction-type",
            ErrorKind::NotFound => "not-found",
            ErrorKind::IdeaTransition => "idea-transition",
            ErrorKind::Config => "config",
            ErrorKind::Columns => "columns",
            ErrorKind::BadRow => "bad-row",
            ErrorKind::State => "state",
            ErrorKind::Merge => "merge",
            ErrorKind::Limit => "limit",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of every fallible operation in `mot-core`.
///
/// Opaque on purpose: match on [`Error::kind`], read [`Error::path`] and
/// [`Error::problems`], print it with `Display`.
pub struct Error(Box<Repr>);

#[derive(Debug, thiserror::Error)]
enum Repr {
    #[error("{message}")]
    Json {
        path: String,
        message: String,
        line: usize,
        column: usize,
    },
    #[error("{message}")]
    Format { message: String },
    #[error("{}", invalid_message(.0))]
    Invalid(Vec<Problem>),
    #[error(
        "`{0}` is not an interaction type: use one of `PP`, `PS`, `SP`, `SS`, `PO`, `OP` or a long name such as `person-to-system`"
    )]
    InteractionType(String),
    #[error("{what} `{id}` is not in the experience")]
    NotFound { what: &'static str, id: String },
    #[error("an idea cannot move from `{from}` to `{to}`")]
    IdeaTransition { from: String, to: String },
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Columns(String),
    #[error("row {row} rejected as `{reason}`: {}{}", reason.describe(), detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())]
    BadRow {
        row: u64,
        reason: crate::RejectReason,
        detail: Option<String>,
    },
    #[error("{0}")]
    State(String),
    #[error("{0}")]
    Merge(String),
    #[error("{0}")]
    Limit(String),
}

fn invalid_message(problems: &[Problem]) -> String {
    let mut s = match problems.len() {
        1 => "the experience has 1 problem".to_string(),
        n => format!("the experience has {n} problems"),
    };
    for p in problems {
        s.push_str("\n  - ");
        s.push_str(&p.to_string());
    }
    s
}

impl Error {
    /// The kind of error, to match on.
    pub fn kind(&self) -> ErrorKind {
        match &*self.0 {
            Repr::Json { .. } => ErrorKind::Json,
            Repr::Format { .. } => ErrorKind::Format,
            Repr::Invalid(_) => ErrorKind::Invalid,
            Repr::InteractionType(_) => ErrorKind::InteractionType,
            Repr::NotFound { .. } => ErrorKind::NotFound,
            Repr::IdeaTransition { .. } => ErrorKind::IdeaTransition,
            Repr::Config(_) => ErrorKind::Config,
            Repr::Columns(_) => ErrorKind::Columns,
            Repr::BadRow { .. } => ErrorKind::BadRow,
            Repr::State(_) => ErrorKind::State,
            Repr::Merge(_) => ErrorKind::Merge,
            Repr::Limit(_) => ErrorKind::Limit,
        }
    }

    /// The 0-based index of the offending row, for [`ErrorKind::BadRow`].
    pub fn row(&self) -> Option<u64> {
        match &*self.0 {
            Repr::BadRow { row, .. } => Some(*row),
            _ => None,
        }
    }

    /// Why the row was rejected, for [`ErrorKind::BadRow`].
    pub fn reject_reason(&self) -> Option<crate::RejectReason> {
        match &*self.0 {
            Repr::BadRow { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    /// What the input held, for [`ErrorKind::BadRow`]: where the row is
    /// (`` `events.csv` line 7 ``) and the value at fault, when known.
    pub(crate) fn detail(&self) -> Option<&str> {
        match &*self.0 {
            Repr::BadRow { detail, .. } => detail.as_deref(),
            _ => None,
        }
    }

    /// Where in the input the error is, as a path like `mots[3].type`, when
    /// the error concerns one place ([`ErrorKind::Json`]).
    pub fn path(&self) -> Option<&str> {
        match &*self.0 {
            Repr::Json { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The 1-based line and column in the JSON text, for [`ErrorKind::Json`].
    pub fn line_column(&self) -> Option<(usize, usize)> {
        match &*self.0 {
            Repr::Json { line, column, .. } if *line > 0 => Some((*line, *column)),
            _ => None,
        }
    }

    /// Every problem found, for [`ErrorKind::Invalid`]; empty otherwise.
    pub fn problems(&self) -> &[Problem] {
        match &*self.0 {
            Repr::Invalid(p) => p,
            _ => &[],
        }
    }

    pub(crate) fn json(path: String, message: String, line: usize, column: usize) -> Error {
        Error(Box::new(Repr::Json {
            path,
            message,
            line,
            column,
        }))
    }

    pub(crate) fn format(message: String) -> Error {
        Error(Box::new(Repr::Format { message }))
    }

    pub(crate) fn invalid(problems: Vec<Problem>) -> Error {
        Error(Box::new(Repr::Invalid(problems)))
    }

    pub(crate) fn interaction_type(input: &str) -> Error {
        Error(Box::new(Repr::InteractionType(input.to_string())))
    }

    pub(crate) fn not_found(what: &'static str, id: &str) -> Error {
        Error(Box::new(Repr::NotFound {
            what,
            id: id.to_string(),
        }))
    }

    pub(crate) fn config(message: String) -> Error {
        Error(Box::new(Repr::Config(message)))
    }

    pub(crate) fn columns(message: String) -> Error {
        Error(Box::new(Repr::Columns(message)))
    }

    pub(crate) fn bad_row(row: u64, reason: crate::RejectReason, detail: Option<String>) -> Error {
        Error(Box::new(Repr::BadRow {
            row,
            reason,
            detail,
        }))
    }

    pub(crate) fn state(message: String) -> Error {
        Error(Box::new(Repr::State(message)))
    }

    pub(crate) fn limit(what: &str, limit: usize, detail: &str) -> Error {
        Error(Box::new(Repr::Limit(format!(
            "{detail}: over the limit `{what}` of `{limit}` (raise it in `Limits` if the input is genuine)"
        ))))
    }

    pub(crate) fn merge(message: String) -> Error {
        Error(Box::new(Repr::Merge(message)))
    }

    pub(crate) fn idea_transition(from: &str, to: &str) -> Error {
        Error(Box::new(Repr::IdeaTransition {
            from: from.to_string(),
            to: to.to_string(),
        }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

/// One rule an experience breaks, with the path of the offending item.
///
/// Validation collects every problem before it answers, so a user sees all
/// of them at once. Serialised (for the bindings' JSON) as
/// `{"path": ..., "kind": ..., <details>, "message": ...}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Where the problem is, e.g. `mots[3].manager` or `landscape.work[7].supports[0].work`.
    pub path: String,
    /// What the problem is.
    pub kind: ProblemKind,
}

impl Problem {
    pub(crate) fn new(path: impl Into<String>, kind: ProblemKind) -> Problem {
        Problem {
            path: path.into(),
            kind,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.path, self.kind)
    }
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            path: &'a str,
            #[serde(flatten)]
            kind: &'a ProblemKind,
            message: String,
        }
        Wire {
            path: &self.path,
            kind: &self.kind,
            message: self.kind.to_string(),
        }
        .serialize(serializer)
    }
}

/// The rules validation checks. Each variant carries the offending values.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A required text (an id, a name, the SCO one-liner) is empty or blank.
    #[error("must not be empty")]
    Empty,
    /// The same id is used twice among items of one kind.
    #[error("{what} id `{id}` is used more than once (first at `{first}`)")]
    DuplicateId {
        /// `person`, `mot`, `idea` or `work item`.
        what: String,
        /// The repeated id.
        id: String,
        /// Path of the first item with that id.
        first: String,
    },
    /// A reference names an item that does not exist.
    #[error("{what} `{id}` does not exist")]
    DanglingReference {
        /// `person`, `mot` or `work item`.
        what: String,
        /// The missing id.
        id: String,
    },
    /// MOT nesting (the `parent` links) goes round in a circle.
    ///
    /// One problem per strongly connected group of MOTs; the cycle shown is
    /// found by walking from the group's first MOT (in document order) and
    /// starts at its own first MOT, where the problem's path points.
    #[error("nesting cycle: {}", arrow_join(.cycle))]
    NestingCycle {
        /// The MOT ids of the cycle, first repeated at the end.
        cycle: Vec<String>,
    },
    /// Work items support each other in a circle.
    ///
    /// One problem per strongly connected group of work items; the cycle is
    /// chosen as for [`ProblemKind::NestingCycle`]: walking from the group's
    /// first item along the first `supports` link that stays in the group.
    #[error("landscape cycle: {}", arrow_join(.cycle))]
    LandscapeCycle {
        /// The work ids of the cycle, first repeated at the end.
        cycle: Vec<String>,
    },
    /// A maturity score is not an integer from 1 to 10.
    #[error("score `{value}` is outside 1–10")]
    ScoreOutOfRange {
        /// The score given.
        value: i64,
    },
    /// A rate is not in [0, 1].
    #[error("rate `{value}` is outside [0, 1]")]
    RateOutOfRange {
        /// The rate given.
        value: f64,
    },
    /// A number is NaN or infinite.
    #[error("`{value}` is not a finite number")]
    NonFinite {
        /// The number given.
        value: f64,
    },
    /// A cost is negative.
    #[error("cost `{value}` is negative")]
    NegativeCost {
        /// The cost given.
        value: f64,
    },
    /// On the five-dimension scale, the best case (opportunity) is not above
    /// the worst case (risk).
    #[error("best case (opportunity) `{best}` is not above worst case (risk) `{worst}`")]
    BestNotAboveWorst {
        /// The opportunity (best case).
        best: f64,
        /// The risk (worst case).
        worst: f64,
    },
    /// Two MOTs with the same parent (or both top-level) claim one position.
    #[error("position `{position}` is already taken by mot `{other}`")]
    DuplicatePosition {
        /// The position.
        position: u32,
        /// The MOT that has it first.
        other: String,
    },
    /// A position in the designed sequence is 0; positions start at 1.
    #[error("position must be 1 or more")]
    ZeroPosition,
    /// A cost-allocation weight is not a finite number above zero.
    #[error("weight `{value}` must be a finite number above 0")]
    InvalidWeight {
        /// The weight given.
        value: f64,
    },
    /// Some links of a work item declare a weight and others do not.
    #[error("declare a weight on every link of this work item or on none")]
    MixedWeights,
    /// A list names the same target twice.
    #[error("{what} `{id}` is listed more than once")]
    DuplicateLink {
        /// `person`, `mot` or `work item`.
        what: String,
        /// The repeated id.
        id: String,
    },
    /// An idea was implemented before it was submitted.
    #[error("implemented on `{implemented}`, before it was submitted on `{submitted}`")]
    BeforeSubmitted {
        /// `implemented_at`.
        implemented: String,
        /// `submitted_at`.
        submitted: String,
    },
    /// An idea has an implementation date but is not `implemented`.
    #[error(
        "an idea with status `{status}` has an implementation date: set its status to `implemented` or remove `implemented_at`"
    )]
    NotImplemented {
        /// Its status.
        status: String,
    },
}

fn arrow_join(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(" → ")
}

#[cfg(test)]
mod tests;
