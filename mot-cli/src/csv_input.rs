//! Reading interaction and outcome CSV files into columns.
//!
//! Text is this front end's business; every rule about what a value means
//! (flags, timestamps, rejections) comes from `mot-core`.

use std::collections::HashMap;
use std::path::Path;

use mot_core::events::{ColumnNames, parse_flag, parse_timestamp};
use mot_core::{Columns, Ids, OutcomeColumns, RejectReason, TimeUnit, Validity};

/// A problem that stops reading: a file, a header, or (fail-fast) a row.
#[derive(Debug)]
pub(crate) struct ReadError(pub(crate) String);

/// Parsed interactions, kept in file order.
#[derive(Debug, Default)]
pub(crate) struct EventTable {
    journey: Vec<String>,
    journey_valid: Vec<bool>,
    mot_codes: Vec<u32>,
    mot_valid: Vec<bool>,
    mot_values: Vec<String>,
    timestamp: Vec<i64>,
    timestamp_valid: Vec<bool>,
    success: Vec<bool>,
    success_valid: Vec<bool>,
    cost: Option<(Vec<f64>, Vec<bool>)>,
    value: Option<(Vec<f64>, Vec<bool>)>,
    producer: Option<Vec<String>>,
    /// The file line of each row, for messages.
    pub(crate) lines: Vec<u64>,
    /// Rows rejected while reading text, by reason.
    pub(crate) rejected: Vec<(RejectReason, u64)>,
    pub(crate) time_unit: TimeUnit,
}

/// Parsed outcomes.
#[derive(Debug, Default)]
pub(crate) struct OutcomeTable {
    journey: Vec<String>,
    journey_valid: Vec<bool>,
    sco: Vec<bool>,
    sco_valid: Vec<bool>,
    value: Option<(Vec<f64>, Vec<bool>)>,
    pub(crate) lines: Vec<u64>,
    pub(crate) rejected: Vec<(RejectReason, u64)>,
}

fn open(path: &Path) -> Result<csv::Reader<std::fs::File>, ReadError> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| ReadError(format!("cannot read `{}`: {e}", path.display())))
}

fn header_index(
    headers: &csv::StringRecord,
    name: &str,
    path: &Path,
    what: &str,
) -> Result<usize, ReadError> {
    headers.iter().position(|h| h == name).ok_or_else(|| {
        let have: Vec<&str> = headers.iter().collect();
        ReadError(format!(
            "`{}` has no {what} column `{name}` (columns: {}); map it with the matching `--…-col` flag or a `--preset`",
            path.display(),
            have.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// An optional column: its index if present; an error only if it was
/// named explicitly and is missing.
fn optional_index(
    headers: &csv::StringRecord,
    name: &str,
    explicit: bool,
    path: &Path,
    what: &str,
) -> Result<Option<usize>, ReadError> {
    match headers.iter().position(|h| h == name) {
        Some(i) => Ok(Some(i)),
        None if explicit => header_index(headers, name, path, what).map(Some),
        None => Ok(None),
    }
}

fn bump(tally: &mut Vec<(RejectReason, u64)>, reason: RejectReason) {
    match tally.iter_mut().find(|(r, _)| *r == reason) {
        Some(e) => e.1 += 1,
        None => tally.push((reason, 1)),
    }
}

/// A row that cannot be read: why, and the offending text.
type Bad = (RejectReason, String);

/// An optional number column: an empty field is null; otherwise it must
/// parse, else the row is rejected for `reason`.
fn optional_number(
    record: &csv::StringRecord,
    column: Option<usize>,
    reason: RejectReason,
) -> Result<Option<f64>, Bad> {
    let Some(i) = column else { return Ok(None) };
    let text = record.get(i).unwrap_or("");
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .map(Some)
        .map_err(|_| (reason, format!("`{text}`")))
}

/// The typed fields of an interaction row: timestamp, success, cost, value
/// (each `None` when empty).
#[allow(clippy::type_complexity)]
fn parse_event(
    record: &csv::StringRecord,
    time: usize,
    success: usize,
    cost: Option<usize>,
    value: Option<usize>,
    unit: TimeUnit,
) -> Result<(Option<i64>, Option<bool>, Option<f64>, Option<f64>), Bad> {
    let field = |i: usize| record.get(i).unwrap_or("");
    let text = field(time);
    let ts = match text {
        "" => None,
        t => Some(
            parse_timestamp(t, unit)
                .ok_or_else(|| (RejectReason::InvalidTimestamp, format!("`{t}`")))?,
        ),
    };
    let text = field(success);
    let ok = match text {
        "" => None,
        t => Some(parse_flag(t).ok_or_else(|| (RejectReason::InvalidSuccess, format!("`{t}`")))?),
    };
    let cost = optional_number(record, cost, RejectReason::InvalidCost)?;
    let value = optional_number(record, value, RejectReason::InvalidValue)?;
    Ok((ts, ok, cost, value))
}

impl EventTable {
    /// Reads an interactions file.
    pub(crate) fn read(
        path: &Path,
        names: &ColumnNames,
        unit: TimeUnit,
        fail_fast: bool,
    ) -> Result<EventTable, ReadError> {
        let mut reader = open(path)?;
        let headers = reader
            .headers()
            .map_err(|e| {
                ReadError(format!(
                    "cannot read the header of `{}`: {e}",
                    path.display()
                ))
            })?
            .clone();
        let j = header_index(&headers, &names.journey, path, "journey id")?;
        let m = header_index(&headers, &names.mot, path, "MOT id")?;
        let t = header_index(&headers, &names.timestamp, path, "timestamp")?;
        let s = header_index(&headers, &names.success, path, "success")?;
        let c = optional_index(
            &headers,
            &names.cost,
            names.is_explicit("cost"),
            path,
            "cost",
        )?;
        let v = optional_index(
            &headers,
            &names.value,
            names.is_explicit("value"),
            path,
            "value",
        )?;
        let p = optional_index(
            &headers,
            &names.producer,
            names.is_explicit("producer"),
            path,
            "producer",
        )?;
        let mut table = EventTable {
            time_unit: unit,
            cost: c.map(|_| Default::default()),
            value: v.map(|_| Default::default()),
            producer: p.map(|_| Vec::new()),
            ..EventTable::default()
        };
        let mut codes: HashMap<String, u32> = HashMap::new();
        let need = [j, m, t, s]
            .into_iter()
            .chain(c)
            .chain(v)
            .chain(p)
            .max()
            .unwrap_or(0);
        for record in reader.records() {
            let record = record.map_err(|e| ReadError(format!("`{}`: {e}", path.display())))?;
            let line = record.position().map_or(0, |p| p.line());
            let fail = |reason: RejectReason, detail: String| {
                ReadError(format!(
                    "`{}` line {line}: row rejected: {reason} ({detail})",
                    path.display()
                ))
            };
            let field = |i: usize| record.get(i).unwrap_or("");
            let parsed = if record.len() <= need {
                Err((
                    RejectReason::MalformedRow,
                    format!("{} fields", record.len()),
                ))
            } else {
                parse_event(&record, t, s, c, v, unit)
            };
            let (ts, ok, cost, value) = match parsed {
                Ok(p) => p,
                Err((reason, detail)) => {
                    if fail_fast {
                        return Err(fail(reason, detail));
                    }
                    bump(&mut table.rejected, reason);
                    continue;
                }
            };
            let journey = field(j);
            table.journey.push(journey.to_string());
            table.journey_valid.push(!journey.is_empty());
            let mot = field(m);
            let next = codes.len() as u32;
            let code = *codes.entry(mot.to_string()).or_insert_with(|| {
                table.mot_values.push(mot.to_string());
                next
            });
            table.mot_codes.push(code);
            table.mot_valid.push(!mot.is_empty());
            table.timestamp.push(ts.unwrap_or(0));
            table.timestamp_valid.push(ts.is_some());
            table.success.push(ok.unwrap_or(false));
            table.success_valid.push(ok.is_some());
            if let Some((vals, valid)) = &mut table.cost {
                vals.push(cost.unwrap_or(0.0));
                valid.push(cost.is_some());
            }
            if let Some((vals, valid)) = &mut table.value {
                vals.push(value.unwrap_or(0.0));
                valid.push(value.is_some());
            }
            if let Some(prod) = &mut table.producer {
                prod.push(field(p.unwrap_or(0)).to_string());
            }
            table.lines.push(line);
        }
        Ok(table)
    }

    /// Runs `f` with the table as core columns.
    pub(crate) fn with_columns<R>(&self, f: impl FnOnce(&Columns<'_>) -> R) -> R {
        let journeys: Vec<&str> = self.journey.iter().map(String::as_str).collect();
        let values: Vec<&str> = self.mot_values.iter().map(String::as_str).collect();
        let producers: Option<Vec<&str>> = self
            .producer
            .as_ref()
            .map(|p| p.iter().map(String::as_str).collect());
        let mut c = Columns::new(
            Ids::Str(&journeys),
            Ids::Dict {
                codes: &self.mot_codes,
                values: &values,
            },
            &self.timestamp,
            &self.success,
        );
        c.journey_valid = Validity::Bools(&self.journey_valid);
        c.mot_valid = Validity::Bools(&self.mot_valid);
        c.timestamp_valid = Validity::Bools(&self.timestamp_valid);
        c.success_valid = Validity::Bools(&self.success_valid);
        c.time_unit = self.time_unit;
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
        f(&c)
    }
}

impl OutcomeTable {
    /// Reads an outcomes file.
    pub(crate) fn read(
        path: &Path,
        names: &ColumnNames,
        fail_fast: bool,
    ) -> Result<OutcomeTable, ReadError> {
        let mut reader = open(path)?;
        let headers = reader
            .headers()
            .map_err(|e| {
                ReadError(format!(
                    "cannot read the header of `{}`: {e}",
                    path.display()
                ))
            })?
            .clone();
        let j = header_index(&headers, names.outcome_journey(), path, "journey id")?;
        let s = header_index(&headers, &names.sco, path, "SCO")?;
        let v = optional_index(
            &headers,
            &names.outcome_value,
            names.is_explicit("outcome_value"),
            path,
            "value",
        )?;
        let mut table = OutcomeTable {
            value: v.map(|_| Default::default()),
            ..OutcomeTable::default()
        };
        let need = [j, s].into_iter().chain(v).max().unwrap_or(0);
        for record in reader.records() {
            let record = record.map_err(|e| ReadError(format!("`{}`: {e}", path.display())))?;
            let line = record.position().map_or(0, |p| p.line());
            let fail = |reason: RejectReason, detail: String| {
                ReadError(format!(
                    "`{}` line {line}: outcome rejected: {reason} ({detail})",
                    path.display()
                ))
            };
            let field = |i: usize| record.get(i).unwrap_or("");
            let parsed = if record.len() <= need {
                Err((
                    RejectReason::MalformedRow,
                    format!("{} fields", record.len()),
                ))
            } else {
                optional_number(&record, v, RejectReason::InvalidValue)
            };
            let value = match parsed {
                Ok(x) => x,
                Err((reason, detail)) => {
                    if fail_fast {
                        return Err(fail(reason, detail));
                    }
                    bump(&mut table.rejected, reason);
                    continue;
                }
            };
            let sco = parse_flag(field(s));
            table.journey.push(field(j).to_string());
            table.journey_valid.push(!field(j).is_empty());
            table.sco.push(sco.unwrap_or(false));
            table.sco_valid.push(sco.is_some());
            if let Some((vals, valid)) = &mut table.value {
                vals.push(value.unwrap_or(0.0));
                valid.push(value.is_some());
            }
            table.lines.push(line);
        }
        Ok(table)
    }

    /// Runs `f` with the table as core columns.
    pub(crate) fn with_columns<R>(&self, f: impl FnOnce(&OutcomeColumns<'_>) -> R) -> R {
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
