//! Interaction logs and outcomes as CSV text: the reader every front end
//! shares (the `mot` command, the browser package).
//!
//! A header row names the columns; [`ColumnNames`](crate::events::ColumnNames) says which is which.
//! Fields are trimmed; an empty field is null. Timestamps are integers in a
//! [`TimeUnit`] or RFC 3339 / ISO 8601 date-times (naive = UTC), success and
//! SCO flags are `true/false/1/0/yes/no` ([`parse_flag`]). A row that cannot
//! be read is rejected with its [`RejectReason`] — or, with
//! [`BadRows::Fail`], stops the read with an error naming the file line.
//!
//! ```
//! use mot_core::csv::{EventTable, OutcomeTable};
//! use mot_core::events::ReadOptions;
//! use mot_core::{Tracker, TrackerConfig};
//!
//! let events = "journey_id,mot_id,timestamp,success\n\
//!               j1,search-book,2026-11-01T09:00:00Z,true\n\
//!               j1,check-in,2026-11-02T07:30:00Z,yes\n\
//!               j2,search-book,2026-11-01T10:00:00Z,maybe\n";
//! let outcomes = "journey_id,sco\nj1,1\n";
//! let options = ReadOptions::default(); // column names, time unit and format, delimiter
//! let e = EventTable::read(events.as_bytes(), "events.csv", &options)?;
//! let o = OutcomeTable::read(outcomes.as_bytes(), "outcomes.csv", &options)?;
//!
//! let x = mot_core::sample::airline();
//! let mut t = Tracker::new(&x, TrackerConfig::default());
//! let summary = t.ingest_table(&e, Some(&o))?;
//! assert_eq!((summary.accepted, summary.rejected), (2, 1)); // `maybe` is no flag
//! assert_eq!(t.rejected().get(mot_core::RejectReason::InvalidSuccess), 1);
//! # Ok::<(), mot_core::Error>(())
//! ```

use std::io::Read;

use hashbrown::HashMap;

use crate::events::{BadRows, ReadOptions, parse_flag};
use crate::input::values::TimeReader;
use crate::production::IngestSummary;
use crate::{
    Columns, Dashboard, DashboardOptions, Error, Experience, Ids, OutcomeColumns, RejectReason,
    TimeUnit, Tracker, TrackerConfig, Validity,
};

/// Parsed interactions, kept in file order.
#[derive(Debug, Default)]
pub struct EventTable {
    pub(crate) place: Place,
    journey: Vec<String>,
    journey_valid: Vec<bool>,
    mot_codes: Vec<u32>,
    mot_valid: Vec<bool>,
    mot_values: Vec<String>,
    mot_index: HashMap<String, u32>,
    /// Nanoseconds since the epoch.
    timestamp: Vec<i64>,
    timestamp_valid: Vec<bool>,
    /// `None`: the table has no success column.
    success: Option<(Vec<bool>, Vec<bool>)>,
    cost: Option<(Vec<f64>, Vec<bool>)>,
    value: Option<(Vec<f64>, Vec<bool>)>,
    producer: Option<Vec<String>>,
    /// Rows with a value no rule reads (`yesterday` as a timestamp), with
    /// why: kept, for the tracker to count after the checks every row meets
    /// first (its journey id, a closed journey), as a front end's columns
    /// are. Empty while every row's values were read; then one entry a row.
    unreadable: Vec<Option<RejectReason>>,
    time: TimeReader,
}

/// The optional columns a table has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// A success flag (without one, every success figure is `null`).
    pub success: bool,
    /// A cost.
    pub cost: bool,
    /// A value.
    pub value: bool,
    /// An Experience Producer.
    pub producer: bool,
}

impl Layout {
    /// The optional columns the mapping found in a table.
    pub fn of(found: &crate::events::EventLayout<'_>) -> Layout {
        Layout {
            success: found.success.is_some(),
            cost: found.cost.is_some(),
            value: found.value.is_some(),
            producer: found.producer.is_some(),
        }
    }
}

/// Parsed journey outcomes, kept in file order.
#[derive(Debug, Default)]
pub struct OutcomeTable {
    pub(crate) place: Place,
    journey: Vec<String>,
    journey_valid: Vec<bool>,
    sco: Vec<bool>,
    sco_valid: Vec<bool>,
    value: Option<(Vec<f64>, Vec<bool>)>,
}

/// The delimiters detected, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter of a header line: whichever of `,` `;` tab `|` occurs most
/// outside double quotes (`,` when none does).
///
/// ```
/// use mot_core::csv::detect_delimiter;
/// assert_eq!(detect_delimiter(b"case;activity;\"time, utc\"\n1;a;b"), b';');
/// assert_eq!(detect_delimiter(b"case\tactivity\ttime"), b'\t');
/// assert_eq!(detect_delimiter(b"case"), b',');
/// ```
pub fn detect_delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(k) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[k] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for k in 1..DELIMITERS.len() {
        if counts[k] > counts[best] {
            best = k;
        }
    }
    DELIMITERS[best]
}

/// A CSV reader over `input`: a UTF-8 byte-order mark is skipped, and the
/// delimiter is `delimiter` or else detected from the header line.
fn reader<R: Read>(
    input: R,
    delimiter: Option<u8>,
) -> Result<::csv::Reader<std::io::BufReader<R>>, Error> {
    use std::io::BufRead;
    let mut input = std::io::BufReader::with_capacity(1 << 16, input);
    let head = input
        .fill_buf()
        .map_err(|e| Error::format(format!("cannot read the input: {e}")))?;
    let bom = head.starts_with(&[0xEF, 0xBB, 0xBF]);
    let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(&head[if bom { 3 } else { 0 }..]));
    if bom {
        input.consume(3);
    }
    Ok(::csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .trim(::csv::Trim::All)
        .from_reader(input))
}

fn headers<R: Read>(
    reader: &mut ::csv::Reader<R>,
    source: &str,
) -> Result<::csv::StringRecord, Error> {
    match reader.headers() {
        Ok(h) if h.iter().any(|f| !f.is_empty()) => Ok(h.clone()),
        Ok(_) => Err(Error::columns(format!(
            "`{source}` is empty: the first line must name the columns"
        ))),
        Err(e) => Err(Error::columns(format!(
            "cannot read the header of `{source}`: {e}"
        ))),
    }
}

/// The index of each column the mapping reads ([`events_in`](crate::events::ColumnNames::events_in),
/// [`outcomes_in`](crate::events::ColumnNames::outcomes_in)): the one rule of every front end.
fn index(headers: &::csv::StringRecord, name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap_or(0)
}

fn bump(tally: &mut Vec<(RejectReason, u64)>, reason: RejectReason) {
    match tally.iter_mut().find(|(r, _)| *r == reason) {
        Some(e) => e.1 += 1,
        None => tally.push((reason, 1)),
    }
}

/// A row that cannot be read: why, and the offending text.
pub(crate) type Bad = (RejectReason, String);

/// One interaction as text fields, before reading: an empty field is null.
/// Optional columns are `None` when the table has no such column.
#[derive(Clone, Copy, Debug, Default)]
pub struct EventFields<'a> {
    /// Journey id.
    pub journey: &'a str,
    /// MOT id.
    pub mot: &'a str,
    /// Timestamp: an integer in the table's unit, an RFC 3339 date-time, or
    /// text in the table's time format.
    pub timestamp: &'a str,
    /// Success flag ([`parse_flag`]); `None` when the table has no success
    /// column.
    pub success: Option<&'a str>,
    /// Cost.
    pub cost: Option<&'a str>,
    /// Value.
    pub value: Option<&'a str>,
    /// Experience Producer.
    pub producer: Option<&'a str>,
}

/// One journey outcome as text fields.
#[derive(Clone, Copy, Debug, Default)]
pub struct OutcomeFields<'a> {
    /// Journey id.
    pub journey: &'a str,
    /// SCO flag ([`parse_flag`]; anything else is a null outcome).
    pub sco: &'a str,
    /// Value.
    pub value: Option<&'a str>,
}

fn optional_number(text: Option<&str>, reason: RejectReason) -> Result<Option<f64>, Bad> {
    match text {
        None | Some("") => Ok(None),
        Some(t) => t
            .parse::<f64>()
            .map(Some)
            .map_err(|_| (reason, format!("`{t}`"))),
    }
}

/// The typed fields of an interaction row: timestamp (nanoseconds),
/// success, cost, value (each `None` when empty).
#[allow(clippy::type_complexity)]
fn parse_event(
    f: &EventFields<'_>,
    time: &TimeReader,
) -> Result<(Option<i64>, Option<bool>, Option<f64>, Option<f64>), Bad> {
    let ts = match f.timestamp {
        "" => None,
        t => Some(time.read(t).map_err(|reason| (reason, time.explain(t)))?),
    };
    let ok = match f.success {
        None | Some("") => None,
        Some(t) => Some(parse_flag(t).ok_or_else(|| {
            (
                RejectReason::InvalidSuccess,
                format!("`{t}` is not a flag: expected `true`/`false`, `1`/`0`, `yes`/`no`"),
            )
        })?),
    };
    let cost = optional_number(f.cost, RejectReason::InvalidCost)?;
    let value = optional_number(f.value, RejectReason::InvalidValue)?;
    Ok((ts, ok, cost, value))
}

/// Where a row is, in words: a file line, or an array index.
fn locate(source: &str, rows: bool, position: u64) -> String {
    if rows {
        format!("`{source}` row {position}")
    } else {
        format!("`{source}` line {position}")
    }
}

/// Where a table's rows came from, and the rows its reader refused.
#[derive(Debug, Default)]
pub(crate) struct Place {
    /// The input's name in messages.
    source: String,
    /// Positions are 0-based rows of an array, not file lines.
    pub(crate) rows: bool,
    /// The position of each row read.
    lines: Vec<u64>,
    /// Rows refused while reading, by reason.
    rejected: Vec<(RejectReason, u64)>,
}

impl Place {
    fn new(source: &str, rows: bool) -> Place {
        Place {
            source: source.to_string(),
            rows,
            ..Place::default()
        }
    }

    fn locate(&self, position: u64) -> String {
        locate(&self.source, self.rows, position)
    }

    /// Counts (or, with [`BadRows::Fail`], returns the error for) a row
    /// that cannot be read.
    pub(crate) fn refuse(
        &mut self,
        row: u64,
        position: u64,
        reason: RejectReason,
        text: &str,
        bad_rows: BadRows,
    ) -> Result<(), Error> {
        if bad_rows == BadRows::Fail {
            return Err(row_error(row, reason, self.locate(position), text));
        }
        bump(&mut self.rejected, reason);
        Ok(())
    }
}

/// The error for a row that stops the read (fail-fast).
fn row_error(row: u64, reason: RejectReason, at: String, text: &str) -> Error {
    Error::bad_row(row, reason, Some(format!("{at}: {text}")))
}

/// What a short row holds against its header: `1 field, the header has 5`.
fn fields_text(fields: usize, header: usize) -> String {
    let s = if fields == 1 { "" } else { "s" };
    format!("{fields} field{s}, the header has {header}")
}

fn record_error(source: &str, e: &::csv::Error) -> Error {
    Error::format(format!("`{source}`: {e}"))
}

impl EventTable {
    /// Reads interactions: a header row, then one interaction per row.
    /// `source` names the input in messages (a file name).
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::Columns`](crate::ErrorKind::Columns): the header lacks
    ///   a required column (or a named optional one), or the input is empty.
    /// - [`ErrorKind::Format`](crate::ErrorKind::Format): the text is not
    ///   CSV (for example invalid UTF-8).
    /// - [`ErrorKind::Config`](crate::ErrorKind::Config): a bad time format.
    /// - With [`BadRows::Fail`]: [`ErrorKind::BadRow`](crate::ErrorKind::BadRow)
    ///   for the first row that cannot be read, naming its line.
    ///
    /// The success column is optional: without one (and unless it was named
    /// explicitly) every interaction has an unknown success.
    pub fn read<R: Read>(
        input: R,
        source: &str,
        options: &ReadOptions,
    ) -> Result<EventTable, Error> {
        let names = &options.names;
        let bad_rows = options.bad_rows;
        let mut reader = reader(input, options.delimiter)?;
        let headers = headers(&mut reader, source)?;
        let have: Vec<&str> = headers.iter().collect();
        let layout = names.events_in(&have, &format!("`{source}`"))?;
        let at = |name: &str| index(&headers, name);
        let (j, m, t) = (at(layout.journey), at(layout.mot), at(layout.timestamp));
        let s = layout.success.map(at);
        let c = layout.cost.map(at);
        let v = layout.value.map(at);
        let p = layout.producer.map(at);
        let mut table = EventTable::new(source, options, Layout::of(&layout))?;
        table.place.rows = false;
        let need = [j, m, t]
            .into_iter()
            .chain(s)
            .chain(c)
            .chain(v)
            .chain(p)
            .max()
            .unwrap_or(0);
        for (row, record) in reader.records().enumerate() {
            let record = record.map_err(|e| record_error(source, &e))?;
            let line = record.position().map_or(0, |p| p.line());
            if record.len() <= need {
                let text = fields_text(record.len(), headers.len());
                table.place.refuse(
                    row as u64,
                    line,
                    RejectReason::MalformedRow,
                    &text,
                    bad_rows,
                )?;
                continue;
            }
            let field = |i: usize| record.get(i).unwrap_or("");
            let fields = EventFields {
                journey: field(j),
                mot: field(m),
                timestamp: field(t),
                success: s.map(field),
                cost: c.map(field),
                value: v.map(field),
                producer: p.map(field),
            };
            table.push(row as u64, line, &fields, bad_rows)?;
        }
        Ok(table)
    }

    /// An empty table to [`push`](EventTable::push) rows into, for a front
    /// end whose rows are not CSV text (JavaScript objects, XES events):
    /// every value goes through the same reading rules as a CSV field.
    /// Positions in messages are then row indices (`` `source` row 5``).
    /// `options` gives the time unit and format; `layout` the optional
    /// columns.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for a bad time format.
    pub fn new(source: &str, options: &ReadOptions, layout: Layout) -> Result<EventTable, Error> {
        Ok(EventTable {
            place: Place::new(source, true),
            time: TimeReader::new(options.time_unit, options.time_format.as_deref())?,
            success: layout.success.then(Default::default),
            cost: layout.cost.then(Default::default),
            value: layout.value.then(Default::default),
            producer: layout.producer.then(Vec::new),
            ..EventTable::default()
        })
    }

    /// Reads one row of text fields (an empty field is null). `row` is the
    /// row's index for errors, `position` its file line (or its index again
    /// for a table made with [`EventTable::new`]).
    ///
    /// A field that cannot be read keeps its row, marked with why: the
    /// tracker counts it after the checks every row meets first, so a row
    /// of a closed journey is `after-close` and one with no journey id
    /// `missing-journey` whatever its values, as from columns.
    ///
    /// # Errors
    ///
    /// Only with [`BadRows::Fail`]: [`ErrorKind::BadRow`](crate::ErrorKind::BadRow)
    /// when a field cannot be read, naming its line and why.
    pub fn push(
        &mut self,
        row: u64,
        position: u64,
        fields: &EventFields<'_>,
        bad_rows: BadRows,
    ) -> Result<(), Error> {
        let ((ts, ok, cost, value), unreadable) = match parse_event(fields, &self.time) {
            Ok(p) => (p, None),
            Err((reason, text)) if bad_rows == BadRows::Fail => {
                return self.place.refuse(row, position, reason, &text, bad_rows);
            }
            Err((reason, _)) => ((None, None, None, None), Some(reason)),
        };
        if unreadable.is_some() || !self.unreadable.is_empty() {
            self.unreadable.resize(self.place.lines.len(), None);
            self.unreadable.push(unreadable);
        }
        self.journey.push(fields.journey.to_string());
        self.journey_valid.push(!fields.journey.is_empty());
        let mot = fields.mot;
        let code = match self.mot_index.get(mot) {
            Some(&code) => code,
            None => {
                let code = u32::try_from(self.mot_values.len()).unwrap_or(u32::MAX);
                self.mot_index.insert(mot.to_string(), code);
                self.mot_values.push(mot.to_string());
                code
            }
        };
        self.mot_codes.push(code);
        self.mot_valid.push(!mot.is_empty());
        self.timestamp.push(ts.unwrap_or(0));
        self.timestamp_valid.push(ts.is_some());
        if let Some((vals, valid)) = &mut self.success {
            vals.push(ok.unwrap_or(false));
            valid.push(ok.is_some());
        }
        if let Some((vals, valid)) = &mut self.cost {
            vals.push(cost.unwrap_or(0.0));
            valid.push(cost.is_some());
        }
        if let Some((vals, valid)) = &mut self.value {
            vals.push(value.unwrap_or(0.0));
            valid.push(value.is_some());
        }
        if let Some(prod) = &mut self.producer {
            prod.push(fields.producer.unwrap_or("").to_string());
        }
        self.place.lines.push(position);
        Ok(())
    }

    /// Rows read: all but those the reader refused (a line with too few
    /// fields); rows with a value that cannot be read are counted by the
    /// tracker.
    pub fn len(&self) -> usize {
        self.place.lines.len()
    }

    /// Whether no row was read.
    pub fn is_empty(&self) -> bool {
        self.place.lines.is_empty()
    }

    /// Rows the reader refused, by reason (with [`BadRows::Reject`], a
    /// line with too few fields: it has no journey to check).
    pub fn rejected(&self) -> &[(RejectReason, u64)] {
        &self.place.rejected
    }

    /// Runs `f` with the table as core columns.
    pub fn with_columns<R>(&self, f: impl FnOnce(&Columns<'_>) -> R) -> R {
        let journeys: Vec<&str> = self.journey.iter().map(String::as_str).collect();
        let values: Vec<&str> = self.mot_values.iter().map(String::as_str).collect();
        let producers: Option<Vec<&str>> = self
            .producer
            .as_ref()
            .map(|p| p.iter().map(String::as_str).collect());
        let mut c = Columns::without_success(
            Ids::Str(&journeys),
            Ids::Dict {
                codes: &self.mot_codes,
                values: &values,
            },
            &self.timestamp,
        );
        c.journey_valid = Validity::Bools(&self.journey_valid);
        c.mot_valid = Validity::Bools(&self.mot_valid);
        c.timestamp_valid = Validity::Bools(&self.timestamp_valid);
        c.time_unit = TimeUnit::Nanos;
        if let Some((vals, valid)) = &self.success {
            c.success = Some(vals);
            c.success_valid = Validity::Bools(valid);
        }
        if let Some((vals, valid)) = &self.cost {
            c.cost = Some(vals);
            c.cost_valid = Validity::Bools(valid);
        }
        if let Some((vals, valid)) = &self.value {
            c.value = Some(vals);
            c.value_valid = Validity::Bools(valid);
        }
        if let Some(p) = &producers {
            c.producer = Some(Ids::Str(p));
        }
        if !self.unreadable.is_empty() {
            c.unreadable = Some(&self.unreadable);
        }
        f(&c)
    }
}

impl OutcomeTable {
    /// Reads journey outcomes: a header row, then one journey per row.
    ///
    /// # Errors
    ///
    /// As [`EventTable::read`].
    pub fn read<R: Read>(
        input: R,
        source: &str,
        options: &ReadOptions,
    ) -> Result<OutcomeTable, Error> {
        let names = &options.names;
        let bad_rows = options.bad_rows;
        let mut reader = reader(input, options.delimiter)?;
        let headers = headers(&mut reader, source)?;
        let have: Vec<&str> = headers.iter().collect();
        let layout = names.outcomes_in(&have, &format!("`{source}`"))?;
        let at = |name: &str| index(&headers, name);
        let (j, s) = (at(layout.journey), at(layout.sco));
        let v = layout.value.map(at);
        let mut table = OutcomeTable::new(source, v.is_some());
        table.place.rows = false;
        let need = [j, s].into_iter().chain(v).max().unwrap_or(0);
        for (row, record) in reader.records().enumerate() {
            let record = record.map_err(|e| record_error(source, &e))?;
            let line = record.position().map_or(0, |p| p.line());
            if record.len() <= need {
                let text = fields_text(record.len(), headers.len());
                table.place.refuse(
                    row as u64,
                    line,
                    RejectReason::MalformedRow,
                    &text,
                    bad_rows,
                )?;
                continue;
            }
            let field = |i: usize| record.get(i).unwrap_or("");
            let fields = OutcomeFields {
                journey: field(j),
                sco: field(s),
                value: v.map(field),
            };
            table.push(row as u64, line, &fields, bad_rows)?;
        }
        Ok(table)
    }

    /// An empty table to [`push`](OutcomeTable::push) rows into (see
    /// [`EventTable::new`]).
    pub fn new(source: &str, value: bool) -> OutcomeTable {
        OutcomeTable {
            place: Place::new(source, true),
            value: value.then(Default::default),
            ..OutcomeTable::default()
        }
    }

    /// Reads one outcome row of text fields (see [`EventTable::push`]).
    ///
    /// # Errors
    ///
    /// As [`EventTable::push`].
    pub fn push(
        &mut self,
        row: u64,
        position: u64,
        fields: &OutcomeFields<'_>,
        bad_rows: BadRows,
    ) -> Result<(), Error> {
        let value = match optional_number(fields.value, RejectReason::InvalidValue) {
            Ok(v) => v,
            Err((reason, text)) => {
                return self.place.refuse(row, position, reason, &text, bad_rows);
            }
        };
        let sco = parse_flag(fields.sco);
        self.journey.push(fields.journey.to_string());
        self.journey_valid.push(!fields.journey.is_empty());
        self.sco.push(sco.unwrap_or(false));
        self.sco_valid.push(sco.is_some());
        if let Some((vals, valid)) = &mut self.value {
            vals.push(value.unwrap_or(0.0));
            valid.push(value.is_some());
        }
        self.place.lines.push(position);
        Ok(())
    }

    /// Rows read (rejected ones excluded).
    pub fn len(&self) -> usize {
        self.place.lines.len()
    }

    /// Whether no row was read.
    pub fn is_empty(&self) -> bool {
        self.place.lines.is_empty()
    }

    /// Rows rejected while reading the text, by reason.
    pub fn rejected(&self) -> &[(RejectReason, u64)] {
        &self.place.rejected
    }

    /// Runs `f` with the table as core columns.
    pub fn with_columns<R>(&self, f: impl FnOnce(&OutcomeColumns<'_>) -> R) -> R {
        let journeys: Vec<&str> = self.journey.iter().map(String::as_str).collect();
        let mut o = OutcomeColumns::new(Ids::Str(&journeys), &self.sco);
        o.journey_valid = Validity::Bools(&self.journey_valid);
        o.sco_valid = Validity::Bools(&self.sco_valid);
        if let Some((vals, valid)) = &self.value {
            o.value = Some(vals);
            o.value_valid = Validity::Bools(valid);
        }
        f(&o)
    }
}

impl Tracker {
    /// Ingests tables read from CSV text (or pushed row by row): counts the
    /// rows the reader rejected, then reads every row as [`Tracker::ingest`] does. An error
    /// for a row names its file and line.
    ///
    /// # Errors
    ///
    /// As [`Tracker::ingest`]; the tracker is unchanged then.
    pub fn ingest_table(
        &mut self,
        events: &EventTable,
        outcomes: Option<&OutcomeTable>,
    ) -> Result<IngestSummary, Error> {
        let result = events.with_columns(|e| match outcomes {
            Some(o) => o.with_columns(|o| self.ingest(e, Some(o))),
            None => self.ingest(e, None),
        });
        let mut summary = result.map_err(|e| {
            let (Some(row), Some(reason)) = (e.row(), e.reject_reason()) else {
                return e;
            };
            // Outcome rows are marked as such by the ingest error.
            let place = match outcomes {
                Some(o) if e.detail() == Some("outcome row") => &o.place,
                _ => &events.place,
            };
            match place.lines.get(row as usize) {
                Some(&position) => {
                    let at = place.locate(position);
                    let detail = match e.detail() {
                        Some(what) if what != "outcome row" => format!("{at}: {what}"),
                        _ => at,
                    };
                    Error::bad_row(row, reason, Some(detail))
                }
                None => e,
            }
        })?;
        let text_rejected = events
            .place
            .rejected
            .iter()
            .chain(outcomes.iter().flat_map(|o| o.place.rejected.iter()));
        for &(reason, n) in text_rejected {
            self.count_rejected(reason, n);
            summary.rows += n;
            summary.rejected += n;
        }
        Ok(summary)
    }
}

impl Dashboard {
    /// Reads tables read from CSV text into a fresh tracker
    /// ([`Tracker::one_shot`], [`Tracker::ingest_table`]) and builds its
    /// dashboard: the one-call path for files, as [`Dashboard::from_columns`]
    /// is for columns.
    ///
    /// # Errors
    ///
    /// As [`Tracker::with_config`], [`Tracker::ingest_table`] and
    /// [`Dashboard::build`].
    pub fn from_tables(
        experience: Option<&Experience>,
        events: &EventTable,
        outcomes: Option<&OutcomeTable>,
        config: TrackerConfig,
        options: &DashboardOptions,
    ) -> Result<Dashboard, Error> {
        let mut t = Tracker::one_shot(experience, config)?;
        t.ingest_table(events, outcomes)?;
        Dashboard::build(&t, experience, options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::production::TrackerConfig;

    const EVENTS: &str = "journey_id,mot_id,timestamp,success,cost\n\
        a,search-book,1795392000,true,1.5\n\
        a,check-in,1795395600,false,\n\
        b,search-book,1795392000,1,2\n";

    fn read(text: &str, bad_rows: BadRows) -> Result<EventTable, Error> {
        let options = ReadOptions {
            bad_rows,
            ..ReadOptions::default()
        };
        EventTable::read(text.as_bytes(), "e.csv", &options)
    }

    #[test]
    fn reads_rows_and_nulls() {
        let t = read(EVENTS, BadRows::Reject).unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t.cost.as_ref().unwrap().1, [true, false, true]);
        assert_eq!(t.mot_values, ["search-book", "check-in"]);
    }

    #[test]
    fn empty_input_and_missing_columns_are_column_errors() {
        let e = read("", BadRows::Reject).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Columns);
        assert!(e.to_string().contains("is empty"), "{e}");
        let e = read("case,activity\nx,y\n", BadRows::Reject).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Columns);
        assert!(
            e.to_string()
                .contains("no journey id column `journey_id` (columns: `case`, `activity`)"),
            "{e}"
        );
        // A `;` file read with `,` forced: one column, and a hint.
        let options = ReadOptions {
            delimiter: Some(b','),
            ..ReadOptions::default()
        };
        let e = EventTable::read(
            &b"journey_id;mot_id;timestamp\nj;a;1\n"[..],
            "e.csv",
            &options,
        )
        .unwrap_err();
        assert!(e.to_string().ends_with("check the delimiter"), "{e}");
    }

    #[test]
    fn invalid_utf8_is_a_format_error() {
        let mut bytes = EVENTS.as_bytes().to_vec();
        bytes.extend_from_slice(b"c,search-\xff,1795392000,true,1\n");
        let e = EventTable::read(&bytes[..], "e.csv", &ReadOptions::default()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Format);
    }

    #[test]
    fn unreadable_rows_are_counted_or_name_their_line() {
        let text = format!(
            "{EVENTS}c,check-in,yesterday,true,1\nd,check-in\nd,check-in,1795392000,true,abc\n"
        );
        let t = read(&text, BadRows::Reject).unwrap();
        // The short line is refused by the reader; the rows with a value
        // that cannot be read are kept, marked, for the tracker to count.
        assert_eq!(t.len(), 5);
        assert_eq!(t.rejected(), [(RejectReason::MalformedRow, 1)]);
        let mut tracker = Tracker::discovery(TrackerConfig::default());
        tracker.ingest_table(&t, None).unwrap();
        assert_eq!(tracker.rejected().get(RejectReason::InvalidTimestamp), 1);
        assert_eq!(tracker.rejected().get(RejectReason::InvalidCost), 1);
        assert_eq!(tracker.rejected().get(RejectReason::MalformedRow), 1);
        assert_eq!(tracker.interactions(), 3);
        let e = read(&text, BadRows::Fail).unwrap_err();
        assert_eq!(
            (e.kind(), e.row(), e.reject_reason()),
            (
                ErrorKind::BadRow,
                Some(3),
                Some(RejectReason::InvalidTimestamp)
            )
        );
        assert!(e.to_string().contains("`e.csv` line 5: `yesterday`"), "{e}");
    }

    #[test]
    fn ingest_counts_text_rejections_and_maps_rows_to_lines() {
        let x = crate::sample::airline();
        let text = format!("{EVENTS}c,teleport,1795392000,true,1\nc,check-in,when,true,1\n");
        let e = read(&text, BadRows::Reject).unwrap();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        let s = t.ingest_table(&e, None).unwrap();
        assert_eq!((s.rows, s.accepted, s.rejected), (5, 3, 2));
        assert_eq!(t.rejected().get(RejectReason::UnknownMot), 1);
        assert_eq!(t.rejected().get(RejectReason::InvalidTimestamp), 1);

        let fail = TrackerConfig {
            bad_rows: BadRows::Fail,
            ..TrackerConfig::default()
        };
        let e = read(
            &format!("{EVENTS}c,teleport,1795392000,true,1\n"),
            BadRows::Fail,
        )
        .unwrap();
        let mut t = Tracker::new(&x, fail);
        let err = t.ingest_table(&e, None).unwrap_err();
        assert!(
            err.to_string().ends_with(
                "`unknown-mot`: the MOT id is not in the experience (`e.csv` line 5: journey `c`, mot `teleport`)"
            ),
            "{err}"
        );
        assert_eq!(t.rejected().total(), 0);
    }
}
