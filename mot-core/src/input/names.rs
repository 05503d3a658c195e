//! Which column holds what, and how text logs are read: the mapping and
//! the reading options every front end (the `mot` command, Python,
//! JavaScript) fills the same way, and the flag rule of text fields.

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::events::{BadRows, TimeUnit};

/// Which columns of a user's table hold what: the mapping every front end
/// (CLI, Python, JavaScript) applies the same way.
///
/// The default names are `journey_id, mot_id, timestamp, success, cost,
/// value, producer` for interactions and `journey_id, sco, value` for
/// outcomes; the `pm4py` preset uses the process-mining convention
/// (`case:concept:name`, `concept:name`, `time:timestamp`, `org:resource`).
/// The optional columns (`cost`, `value`, `producer`, outcome `value`) are
/// read when present and skipped when absent, unless named explicitly.
///
/// ```
/// use mot_core::events::ColumnNames;
/// let mut names = ColumnNames::preset("pm4py")?;
/// names.set("success", "ok")?;
/// assert_eq!(names.journey, "case:concept:name");
/// assert_eq!(names.outcome_journey(), "case:concept:name");
/// assert_eq!(names.success, "ok");
/// # Ok::<(), mot_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnNames {
    /// Journey id column of the interactions.
    pub journey: String,
    /// MOT id column.
    pub mot: String,
    /// Timestamp column.
    pub timestamp: String,
    /// Success column.
    pub success: String,
    /// Cost column (optional).
    pub cost: String,
    /// Value column (optional).
    pub value: String,
    /// Producer column (optional).
    pub producer: String,
    /// Journey id column of the outcomes; `None`: the same as `journey`.
    pub outcome_journey: Option<String>,
    /// SCO column of the outcomes.
    pub sco: String,
    /// Value (revenue) column of the outcomes (optional).
    pub outcome_value: String,
    /// Roles whose column was named explicitly: those must exist.
    pub explicit: Vec<String>,
}

impl Default for ColumnNames {
    fn default() -> Self {
        ColumnNames {
            journey: "journey_id".into(),
            mot: "mot_id".into(),
            timestamp: "timestamp".into(),
            success: "success".into(),
            cost: "cost".into(),
            value: "value".into(),
            producer: "producer".into(),
            outcome_journey: None,
            sco: "sco".into(),
            outcome_value: "value".into(),
            explicit: Vec::new(),
        }
    }
}

impl ColumnNames {
    /// The roles [`ColumnNames::set`] accepts.
    pub const ROLES: [&'static str; 10] = [
        "journey",
        "mot",
        "timestamp",
        "success",
        "cost",
        "value",
        "producer",
        "outcome_journey",
        "sco",
        "outcome_value",
    ];

    /// A named set of defaults: `default` or `pm4py`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for another name.
    pub fn preset(name: &str) -> Result<ColumnNames, Error> {
        match name {
            "default" => Ok(ColumnNames::default()),
            "pm4py" => Ok(ColumnNames {
                journey: "case:concept:name".into(),
                mot: "concept:name".into(),
                timestamp: "time:timestamp".into(),
                producer: "org:resource".into(),
                ..ColumnNames::default()
            }),
            _ => Err(Error::config(format!(
                "`{name}` is not a column preset: use `default` or `pm4py`"
            ))),
        }
    }

    /// A preset (`None`: `default`) with a user's `{role: column}` mapping
    /// applied: the one way every front end (CLI, Python, JavaScript) reads
    /// a mapping. Roles are applied in sorted order, so the first error
    /// reported does not depend on the mapping's order.
    ///
    /// ```
    /// use mot_core::events::ColumnNames;
    /// let names = ColumnNames::mapped(None, [("journey", "case"), ("mot", "step")])?;
    /// assert_eq!((names.journey.as_str(), names.mot.as_str()), ("case", "step"));
    /// assert!(ColumnNames::mapped(Some("celonis"), []).is_err());
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for an unknown preset
    /// or role.
    pub fn mapped<'a>(
        preset: Option<&str>,
        columns: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<ColumnNames, Error> {
        let mut names = ColumnNames::preset(preset.unwrap_or("default"))?;
        let mut pairs: Vec<(&str, &str)> = columns.into_iter().collect();
        pairs.sort_unstable();
        for (role, column) in pairs {
            names.set(role, column)?;
        }
        Ok(names)
    }

    /// Names the column of one role (`journey`, `mot`, `timestamp`,
    /// `success`, `cost`, `value`, `producer`, `outcome_journey`, `sco`,
    /// `outcome_value`); a named optional column must then exist.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for an unknown role.
    pub fn set(&mut self, role: &str, column: &str) -> Result<(), Error> {
        let slot = match role {
            "journey" => &mut self.journey,
            "mot" => &mut self.mot,
            "timestamp" => &mut self.timestamp,
            "success" => &mut self.success,
            "cost" => &mut self.cost,
            "value" => &mut self.value,
            "producer" => &mut self.producer,
            "outcome_journey" => {
                self.outcome_journey = Some(column.into());
                self.explicit.push(role.into());
                return Ok(());
            }
            "sco" => &mut self.sco,
            "outcome_value" => &mut self.outcome_value,
            _ => {
                return Err(Error::config(format!(
                    "`{role}` is not a column role: use one of {}",
                    Self::ROLES.map(|r| format!("`{r}`")).join(", ")
                )));
            }
        };
        *slot = column.into();
        self.explicit.push(role.into());
        Ok(())
    }

    /// The journey id column of the outcomes.
    pub fn outcome_journey(&self) -> &str {
        self.outcome_journey.as_deref().unwrap_or(&self.journey)
    }

    /// Whether the column of `role` was named explicitly (and so must exist).
    pub fn is_explicit(&self, role: &str) -> bool {
        self.explicit.iter().any(|r| r == role)
    }
}

/// How text logs (CSV, XES, rows of text fields) are read: the one set of
/// reading settings every front end fills (the `mot` command's flags,
/// Python's keyword arguments, JavaScript's options).
///
/// ```
/// use mot_core::events::ReadOptions;
/// let o = ReadOptions { delimiter: Some(b';'), ..ReadOptions::default() };
/// assert_eq!(o.time_unit, mot_core::TimeUnit::Seconds);
/// assert!(o.time_format.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Which column holds what.
    pub names: ColumnNames,
    /// What an integer timestamp means (default: seconds). Text timestamps
    /// are read at their full precision whatever the unit.
    pub time_unit: TimeUnit,
    /// A strftime-style format for text timestamps that are not RFC 3339
    /// (`%d/%m/%Y %H:%M`); `None`: integers and RFC 3339 / ISO 8601.
    pub time_format: Option<String>,
    /// The CSV field delimiter; `None`: detected from the header line
    /// (`,` `;` tab or `|`, whichever occurs most outside quotes).
    pub delimiter: Option<u8>,
    /// Skip and count bad rows, or stop at the first.
    pub bad_rows: BadRows,
}

impl ReadOptions {
    /// Reads a delimiter option: one character, or `tab` / `\t`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for anything but one
    /// ASCII character.
    ///
    /// ```
    /// use mot_core::events::ReadOptions;
    /// assert_eq!(ReadOptions::parse_delimiter("tab")?, b'\t');
    /// assert_eq!(ReadOptions::parse_delimiter(";")?, b';');
    /// assert!(ReadOptions::parse_delimiter(";;").is_err());
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    pub fn parse_delimiter(text: &str) -> Result<u8, Error> {
        match text {
            "tab" | "\\t" | "\t" => Ok(b'\t'),
            t if t.len() == 1 && t.is_ascii() && t != "\"" => Ok(t.as_bytes()[0]),
            t => Err(Error::config(format!(
                "`{t}` is not a delimiter: give one ASCII character (`,` `;` `|`) or `tab`"
            ))),
        }
    }
}

/// Reads a success or SCO flag written as text: `true`/`false`, `1`/`0`,
/// `t`/`f`, `yes`/`no`, `y`/`n`, in any case. `None` otherwise.
///
/// ```
/// use mot_core::events::parse_flag;
/// assert_eq!(parse_flag("TRUE"), Some(true));
/// assert_eq!(parse_flag(" 0 "), Some(false));
/// assert_eq!(parse_flag("maybe"), None);
/// ```
pub fn parse_flag(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "t" | "yes" | "y" => Some(true),
        "false" | "0" | "f" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// The interaction columns of a table, as a [`ColumnNames`] mapping finds
/// them ([`ColumnNames::events_in`]): the journey, MOT and timestamp
/// columns, and the optional ones the table has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventLayout<'n> {
    /// Journey ids.
    pub journey: &'n str,
    /// MOT ids.
    pub mot: &'n str,
    /// Timestamps.
    pub timestamp: &'n str,
    /// Success flags, when the table has them.
    pub success: Option<&'n str>,
    /// Costs, when present.
    pub cost: Option<&'n str>,
    /// Values, when present.
    pub value: Option<&'n str>,
    /// Experience Producers, when present.
    pub producer: Option<&'n str>,
}

/// The outcome columns of a table ([`ColumnNames::outcomes_in`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutcomeLayout<'n> {
    /// Journey ids.
    pub journey: &'n str,
    /// SCO flags.
    pub sco: &'n str,
    /// Journey values (revenue), when present.
    pub value: Option<&'n str>,
}

impl ColumnNames {
    /// Which interaction columns to read from a table whose columns are
    /// `have`: the rule every front end applies. The journey, MOT and
    /// timestamp columns must exist; `success`, `cost`, `value` and
    /// `producer` are read when present, and must exist when named
    /// explicitly. `source` names the table in the error (`` `log.csv` ``,
    /// `the events table`).
    ///
    /// ```
    /// use mot_core::events::ColumnNames;
    /// let names = ColumnNames::preset("pm4py")?;
    /// let l = names.events_in(&["case:concept:name", "concept:name", "time:timestamp"], "`log.csv`")?;
    /// assert_eq!((l.mot, l.success), ("concept:name", None));
    /// let e = names.events_in(&["case", "activity"], "`log.csv`").unwrap_err();
    /// assert_eq!(
    ///     e.to_string(),
    ///     "`log.csv` has no journey id column `case:concept:name` (columns: `case`, `activity`); map it to one of these"
    /// );
    /// // With the default names, a preset may be what is missing.
    /// let e = ColumnNames::default().events_in(&["case", "activity"], "`log.csv`").unwrap_err();
    /// assert!(e.to_string().ends_with("map it to one of these, or use a preset"));
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Columns`](crate::ErrorKind::Columns) naming the first
    /// missing column and the columns there are.
    pub fn events_in<'n>(&'n self, have: &[&str], source: &str) -> Result<EventLayout<'n>, Error> {
        let need = |name: &'n str, what: &str| self.need(name, what, have, source);
        Ok(EventLayout {
            journey: need(&self.journey, "journey id")?,
            mot: need(&self.mot, "MOT id")?,
            timestamp: need(&self.timestamp, "timestamp")?,
            success: self.may(&self.success, "success", have, source)?,
            cost: self.may(&self.cost, "cost", have, source)?,
            value: self.may(&self.value, "value", have, source)?,
            producer: self.may(&self.producer, "producer", have, source)?,
        })
    }

    /// Which outcome columns to read (see [`ColumnNames::events_in`]): the
    /// journey and SCO columns must exist; the value column is optional.
    ///
    /// # Errors
    ///
    /// As [`ColumnNames::events_in`].
    pub fn outcomes_in<'n>(
        &'n self,
        have: &[&str],
        source: &str,
    ) -> Result<OutcomeLayout<'n>, Error> {
        Ok(OutcomeLayout {
            journey: self.need(self.outcome_journey(), "journey id", have, source)?,
            sco: self.need(&self.sco, "SCO", have, source)?,
            value: self.may(&self.outcome_value, "outcome_value", have, source)?,
        })
    }

    /// The columns of a table of row objects (JSON rows, JavaScript
    /// objects), for [`ColumnNames::events_in`] and
    /// [`ColumnNames::outcomes_in`]: the fields of the first row (`first`),
    /// then every mapped name that some row has (`any_has`), so that a
    /// column only later rows fill is still read. The one rule of every
    /// front end that reads rows rather than a header.
    ///
    /// ```
    /// use mot_core::events::ColumnNames;
    /// let names = ColumnNames::default();
    /// let first = ["journey_id", "mot_id", "timestamp", "channel"];
    /// let later = ["cost", "region"]; // keys of the other rows
    /// let have = names.row_fields(&first, |name| later.contains(&name));
    /// assert_eq!(have, ["journey_id", "mot_id", "timestamp", "channel", "cost"]);
    ///
    /// let have: Vec<&str> = have.iter().map(String::as_str).collect();
    /// let layout = names.events_in(&have, "the rows")?;
    /// assert_eq!((layout.cost, layout.success), (Some("cost"), None));
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    pub fn row_fields(&self, first: &[&str], any_has: impl Fn(&str) -> bool) -> Vec<String> {
        let mut have: Vec<String> = first.iter().map(|f| (*f).to_string()).collect();
        for name in self.mapped_names() {
            if !have.iter().any(|h| h == name) && any_has(name) {
                have.push(name.to_string());
            }
        }
        have
    }

    /// Every column name the mapping reads, interactions and outcomes,
    /// each once.
    pub(crate) fn mapped_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::with_capacity(10);
        for name in [
            self.journey.as_str(),
            &self.mot,
            &self.timestamp,
            &self.success,
            &self.cost,
            &self.value,
            &self.producer,
            self.outcome_journey(),
            &self.sco,
            &self.outcome_value,
        ] {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    fn need<'n>(
        &self,
        name: &'n str,
        what: &str,
        have: &[&str],
        source: &str,
    ) -> Result<&'n str, Error> {
        if have.contains(&name) {
            return Ok(name);
        }
        let list: Vec<String> = have.iter().map(|h| format!("`{h}`")).collect();
        // A preset is worth suggesting only while the default names are in
        // use (with a preset or a mapping, the user already chose them).
        let defaults = ColumnNames::default();
        let hint = if defaults.mapped_names().contains(&name) {
            "map it to one of these, or use a preset"
        } else {
            "map it to one of these"
        };
        // One column whose name holds a delimiter: the header was split on
        // the wrong one.
        let delimiter = match have {
            [one] if one.contains([',', ';', '\t', '|']) => {
                "; the header was read as one column: check the delimiter"
            }
            _ => "",
        };
        Err(Error::columns(format!(
            "{source} has no {what} column `{name}` (columns: {}); {hint}{delimiter}",
            list.join(", ")
        )))
    }

    fn may<'n>(
        &self,
        name: &'n str,
        role: &str,
        have: &[&str],
        source: &str,
    ) -> Result<Option<&'n str>, Error> {
        if have.contains(&name) {
            Ok(Some(name))
        } else if self.is_explicit(role) {
            self.need(name, role, have, source).map(Some)
        } else {
            Ok(None)
        }
    }
}
