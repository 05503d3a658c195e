//! Interaction logs and outcomes as JSON: one object per line (NDJSON, JSON
//! Lines) or one array of objects, keyed by the column names of a
//! [`ColumnNames`] mapping. Rows go into the same text tables as CSV
//! ([`EventTable::read_json`], [`OutcomeTable::read_json`]), so every value
//! is read by exactly the rules of a CSV field.
//!
//! - Values: a string is its text (as it is, not trimmed); a number is its
//!   decimal text, an integer exactly and any other number by
//!   [`number_text`]; `true` and `false` are flags; null, `""` and a
//!   missing key are null. Keys the mapping does not name are skipped.
//! - Columns: the keys of the first row, plus every mapped name some row
//!   has ([`ColumnNames::row_fields`]). A missing column is the same error
//!   as in a CSV header; input without a single object has nothing missing.
//! - Shape: an array when the first character (after an optional
//!   byte-order mark and whitespace) is `[`, NDJSON otherwise. Blank lines
//!   are skipped; CRLF line ends are accepted.
//! - Bad rows: an NDJSON line that is not a JSON object, or a mapped field
//!   holding an object or an array, is a [`RejectReason::MalformedRow`]:
//!   counted, or with [`BadRows::Fail`] an error naming `` `file` line N``
//!   (NDJSON) or `` `file` row N`` (the array index, from 0). An array that
//!   is not valid JSON or holds anything but objects, and text that is not
//!   UTF-8, are format errors for the whole input.
//!
//! ```
//! use mot_core::csv::{EventTable, OutcomeTable};
//! use mot_core::events::ReadOptions;
//! use mot_core::{Tracker, TrackerConfig};
//!
//! let events = br#"{"journey_id": "j1", "mot_id": "search-book", "timestamp": "2026-11-01T09:00:00Z", "success": true}
//! {"journey_id": "j1", "mot_id": "check-in", "timestamp": 1793604600, "success": 1, "channel": "app"}
//!
//! {"journey_id": "j2", "mot_id": "search-book", "timestamp": "2026-11-01T10:00:00Z", "success": "maybe"}
//! "#;
//! let outcomes = br#"[{"journey_id": "j1", "sco": true}]"#;
//! let options = ReadOptions::default(); // column names, time unit and format
//! let e = EventTable::read_json(events, "events.ndjson", &options)?;
//! let o = OutcomeTable::read_json(outcomes, "outcomes.json", &options)?;
//!
//! let x = mot_core::sample::airline();
//! let mut t = Tracker::new(&x, TrackerConfig::default());
//! let summary = t.ingest_table(&e, Some(&o))?;
//! assert_eq!((summary.accepted, summary.rejected), (2, 1)); // `maybe` is no flag
//! assert_eq!(t.rejected().get(mot_core::RejectReason::InvalidSuccess), 1);
//! # Ok::<(), mot_core::Error>(())
//! ```

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::csv::{EventFields, EventTable, Layout, OutcomeFields, OutcomeTable};
#[cfg(doc)]
use crate::events::BadRows;
use crate::events::{ColumnNames, ReadOptions};
use crate::input::values::number_text;
use crate::{Error, RejectReason};

/// One mapped value of a row, as parsed.
#[derive(Clone, Debug)]
enum Cell<'a> {
    /// Null, or no such key.
    Null,
    /// A string, borrowed from the input when it has no escapes.
    Text(Cow<'a, str>),
    Bool(bool),
    /// A negative integer.
    Int(i64),
    /// A non-negative integer.
    UInt(u64),
    /// Any other number.
    Float(f64),
    /// An object or an array (`an object`, `an array`): a malformed row.
    Nested(&'static str),
}

/// The names keys are matched against, for a table of `N` fields.
#[derive(Debug)]
struct Keys<'n, const N: usize> {
    /// Every mapped name, interactions and outcomes, each once: bit `i` of
    /// [`Row::has`] is name `i` (for [`ColumnNames::row_fields`]).
    names: Vec<&'n str>,
    /// For each name, the fields of the table it fills (bit `k`: field `k`).
    fills: Vec<u16>,
    /// The table's fields, by column name.
    fields: [&'n str; N],
}

impl<'n, const N: usize> Keys<'n, N> {
    fn new(names: &'n ColumnNames, fields: [&'n str; N]) -> Self {
        let names = names.mapped_names();
        let fills = names
            .iter()
            .map(|name| {
                (0..N)
                    .filter(|&k| fields[k] == *name)
                    .fold(0u16, |mask, k| mask | 1 << k)
            })
            .collect();
        Keys {
            names,
            fills,
            fields,
        }
    }

    fn find(&self, key: &str) -> Option<usize> {
        self.names.iter().position(|name| *name == key)
    }
}

/// The mapped fields of one row object.
#[derive(Debug)]
struct Row<'a, const N: usize> {
    cells: [Cell<'a>; N],
    /// Bit `i`: the row has the key [`Keys::names`]`[i]` (null or not).
    has: u16,
}

/// A row as parsed, before the table is made.
#[derive(Debug)]
struct Entry<'a, const N: usize> {
    /// The file line (NDJSON, from 1) or the array index (from 0).
    position: u64,
    /// The row, or why the line is not one.
    row: Result<Row<'a, N>, String>,
}

/// Every row of an input.
#[derive(Debug)]
struct Rows<'a, const N: usize> {
    entries: Vec<Entry<'a, N>>,
    /// The keys of the first object, `None` when no row is an object.
    first: Option<Vec<String>>,
    /// The union of [`Row::has`].
    has: u16,
    /// Positions are file lines (NDJSON), not array indices.
    lines: bool,
}

impl<'a, const N: usize> Rows<'a, N> {
    /// Reads `bytes` (NDJSON or an array of objects).
    fn parse(bytes: &'a [u8], source: &str, keys: &Keys<'_, N>) -> Result<Self, Error> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Error::format(format!(
                "`{source}` is not UTF-8 text: invalid bytes on line {line}"
            ))
        })?;
        let mut rows = Rows {
            entries: Vec::new(),
            first: None,
            has: 0,
            lines: true,
        };
        if text
            .trim_start_matches([' ', '\t', '\n', '\r'])
            .starts_with('[')
        {
            rows.lines = false;
            let mut de = serde_json::Deserializer::from_str(text);
            ArraySeed {
                keys,
                rows: &mut rows,
            }
            .deserialize(&mut de)
            .and_then(|()| de.end())
            .map_err(|e| {
                Error::format(format!("`{source}` is not a JSON array of objects: {e}"))
            })?;
        } else {
            rows.entries
                .reserve(text.bytes().filter(|&b| b == b'\n').count() + 1);
            for (i, line) in text.split('\n').enumerate() {
                if line.trim_ascii().is_empty() {
                    continue;
                }
                let row = rows.parse_line(line, keys);
                rows.entries.push(Entry {
                    position: i as u64 + 1,
                    row,
                });
            }
        }
        Ok(rows)
    }

    /// One NDJSON line: a row, or why it is not one.
    fn parse_line(&mut self, line: &'a str, keys: &Keys<'_, N>) -> Result<Row<'a, N>, String> {
        let mut all = Vec::new();
        let collect = self.first.is_none();
        let mut de = serde_json::Deserializer::from_str(line);
        let seed = RowSeed {
            keys,
            all: collect.then_some(&mut all),
        };
        match seed
            .deserialize(&mut de)
            .and_then(|row| de.end().map(|()| row))
        {
            Ok(row) => {
                self.has |= row.has;
                if collect {
                    self.first = Some(all);
                }
                Ok(row)
            }
            Err(e) => Err(line_error(&e)),
        }
    }

    /// The columns the rows have ([`ColumnNames::row_fields`]); with no
    /// object at all, `required` too: nothing is missing.
    fn columns(&self, names: &ColumnNames, keys: &Keys<'_, N>, required: &[&str]) -> Vec<String> {
        let first: Vec<&str> = self.first.iter().flatten().map(String::as_str).collect();
        let mut have = names.row_fields(&first, |name| {
            keys.find(name).is_some_and(|i| self.has & (1 << i) != 0)
        });
        if self.first.is_none() {
            have.extend(required.iter().map(|name| (*name).to_string()));
        }
        have
    }
}

/// Why an NDJSON line is not a row, without serde_json's position (the
/// message names the line): `invalid JSON at column 7: expected value`.
fn line_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text
        .strip_suffix(&format!(" at line {} column {}", e.line(), e.column()))
        .unwrap_or(&text);
    match e.classify() {
        serde_json::error::Category::Data => message.to_string(),
        _ => format!("invalid JSON at column {}: {message}", e.column()),
    }
}

/// The cells of a row that can be read, or why it cannot (a
/// [`RejectReason::MalformedRow`]).
fn cells<'e, 'a, const N: usize>(
    entry: &'e Entry<'a, N>,
    keys: &Keys<'_, N>,
) -> Result<&'e [Cell<'a>; N], String> {
    let row = entry.row.as_ref().map_err(Clone::clone)?;
    for (cell, field) in row.cells.iter().zip(keys.fields) {
        if let Cell::Nested(what) = cell {
            return Err(format!(
                "`{field}` is {what}: use a string, a number, a boolean or null"
            ));
        }
    }
    Ok(&row.cells)
}

/// The text of each cell (an empty string is null); numbers are written
/// into `bufs`.
fn texts<'r, const N: usize>(cells: &'r [Cell<'_>; N], bufs: &'r mut [String; N]) -> [&'r str; N] {
    for (cell, buf) in cells.iter().zip(bufs.iter_mut()) {
        buf.clear();
        // Writing to a String cannot fail.
        let _ = match cell {
            Cell::Int(n) => write!(buf, "{n}"),
            Cell::UInt(n) => write!(buf, "{n}"),
            Cell::Float(x) => {
                buf.push_str(&number_text(*x));
                Ok(())
            }
            _ => Ok(()),
        };
    }
    let bufs: &'r [String; N] = bufs;
    std::array::from_fn(|k| match &cells[k] {
        Cell::Null | Cell::Nested(_) => "",
        Cell::Text(t) => t,
        Cell::Bool(true) => "true",
        Cell::Bool(false) => "false",
        Cell::Int(_) | Cell::UInt(_) | Cell::Float(_) => bufs[k].as_str(),
    })
}

/// The rows of a JSON array.
struct ArraySeed<'r, 'k, 'a, const N: usize> {
    keys: &'k Keys<'k, N>,
    rows: &'r mut Rows<'a, N>,
}

impl<'a, const N: usize> DeserializeSeed<'a> for ArraySeed<'_, '_, 'a, N> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'a>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'a, const N: usize> Visitor<'a> for ArraySeed<'_, '_, 'a, N> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'a>>(self, mut seq: A) -> Result<(), A::Error> {
        let rows = self.rows;
        for position in 0u64.. {
            let mut all = Vec::new();
            let collect = rows.first.is_none();
            let seed = RowSeed {
                keys: self.keys,
                all: collect.then_some(&mut all),
            };
            let Some(row) = seq.next_element_seed(seed)? else {
                break;
            };
            rows.has |= row.has;
            if collect {
                rows.first = Some(all);
            }
            rows.entries.push(Entry {
                position,
                row: Ok(row),
            });
        }
        Ok(())
    }
}

/// One row object: its mapped fields, and (for the first row) every key.
struct RowSeed<'k, const N: usize> {
    keys: &'k Keys<'k, N>,
    all: Option<&'k mut Vec<String>>,
}

impl<'a, const N: usize> DeserializeSeed<'a> for RowSeed<'_, N> {
    type Value = Row<'a, N>;

    fn deserialize<D: de::Deserializer<'a>>(self, d: D) -> Result<Row<'a, N>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'a, const N: usize> Visitor<'a> for RowSeed<'_, N> {
    type Value = Row<'a, N>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<Row<'a, N>, A::Error> {
        let RowSeed { keys, mut all } = self;
        let mut row = Row {
            cells: std::array::from_fn(|_| Cell::Null),
            has: 0,
        };
        while let Some(found) = map.next_key_seed(KeySeed {
            names: &keys.names,
            all: all.as_deref_mut(),
        })? {
            let Some(i) = found else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            row.has |= 1 << i;
            let fills = keys.fills[i];
            if fills == 0 {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let cell = map.next_value_seed(CellSeed)?;
            if fills.is_power_of_two() {
                row.cells[fills.trailing_zeros() as usize] = cell;
            } else {
                // One column read as two fields.
                for (k, slot) in row.cells.iter_mut().enumerate() {
                    if fills & (1 << k) != 0 {
                        *slot = cell.clone();
                    }
                }
            }
        }
        Ok(row)
    }
}

/// A key: the index of its mapped name, `None` for any other key (read
/// without allocating); pushed to `all` when given.
struct KeySeed<'k> {
    names: &'k [&'k str],
    all: Option<&'k mut Vec<String>>,
}

impl<'a> DeserializeSeed<'a> for KeySeed<'_> {
    type Value = Option<usize>;

    fn deserialize<D: de::Deserializer<'a>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        if let Some(all) = self.all {
            all.push(key.to_string());
        }
        Ok(self.names.iter().position(|name| *name == key))
    }
}

/// A mapped value.
struct CellSeed;

impl<'a> DeserializeSeed<'a> for CellSeed {
    type Value = Cell<'a>;

    fn deserialize<D: de::Deserializer<'a>>(self, d: D) -> Result<Cell<'a>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for CellSeed {
    type Value = Cell<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number, a boolean or null")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'a str) -> Result<Cell<'a>, E> {
        Ok(Cell::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell<'a>, E> {
        Ok(Cell::Text(Cow::Owned(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Cell<'a>, E> {
        Ok(Cell::Text(Cow::Owned(v)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Cell<'a>, E> {
        Ok(Cell::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell<'a>, E> {
        Ok(Cell::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell<'a>, E> {
        Ok(Cell::UInt(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell<'a>, E> {
        Ok(Cell::Float(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Cell<'a>, E> {
        Ok(Cell::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Cell<'a>, E> {
        Ok(Cell::Null)
    }

    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<Cell<'a>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Cell::Nested("an object"))
    }

    fn visit_seq<A: SeqAccess<'a>>(self, mut seq: A) -> Result<Cell<'a>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Cell::Nested("an array"))
    }
}

impl EventTable {
    /// Reads interactions from JSON: one object per line (NDJSON), or an
    /// array of objects (see the [module](crate::input::json) for the
    /// rules). `source` names the input in messages (a file name);
    /// `options` gives the column names, the time unit and format, and the
    /// bad-row policy (the delimiter does not apply).
    ///
    /// ```
    /// use mot_core::csv::EventTable;
    /// use mot_core::events::ReadOptions;
    /// let rows = br#"[{"journey_id": "j1", "mot_id": "check-in", "timestamp": 1795392000, "cost": 2.5}]"#;
    /// let t = EventTable::read_json(rows, "rows.json", &ReadOptions::default())?;
    /// assert_eq!(t.len(), 1);
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::Columns`](crate::ErrorKind::Columns): no row has a
    ///   required column (or a named optional one).
    /// - [`ErrorKind::Format`](crate::ErrorKind::Format): text that is not
    ///   UTF-8, or an array that is not valid JSON or holds anything but
    ///   objects (with serde_json's line and column).
    /// - [`ErrorKind::Config`](crate::ErrorKind::Config): a bad time format.
    /// - With [`BadRows::Fail`]: [`ErrorKind::BadRow`](crate::ErrorKind::BadRow)
    ///   for the first row that cannot be read, naming its line (NDJSON)
    ///   or row (array).
    pub fn read_json(
        bytes: &[u8],
        source: &str,
        options: &ReadOptions,
    ) -> Result<EventTable, Error> {
        let names = &options.names;
        let bad_rows = options.bad_rows;
        let keys = Keys::new(
            names,
            [
                names.journey.as_str(),
                &names.mot,
                &names.timestamp,
                &names.success,
                &names.cost,
                &names.value,
                &names.producer,
            ],
        );
        let rows = Rows::parse(bytes, source, &keys)?;
        let have = rows.columns(names, &keys, &keys.fields[..3]);
        let have: Vec<&str> = have.iter().map(String::as_str).collect();
        let layout = Layout::of(&names.events_in(&have, &format!("`{source}`"))?);
        let mut table = EventTable::new(source, options, layout)?;
        table.place.rows = !rows.lines;
        let mut bufs: [String; 7] = Default::default();
        for (row, entry) in rows.entries.iter().enumerate() {
            let (row, position) = (row as u64, entry.position);
            let cells = match cells(entry, &keys) {
                Ok(cells) => cells,
                Err(text) => {
                    let reason = RejectReason::MalformedRow;
                    table.place.refuse(row, position, reason, &text, bad_rows)?;
                    continue;
                }
            };
            let [journey, mot, timestamp, success, cost, value, producer] = texts(cells, &mut bufs);
            let fields = EventFields {
                journey,
                mot,
                timestamp,
                success: layout.success.then_some(success),
                cost: layout.cost.then_some(cost),
                value: layout.value.then_some(value),
                producer: layout.producer.then_some(producer),
            };
            table.push(row, position, &fields, bad_rows)?;
        }
        Ok(table)
    }
}

impl OutcomeTable {
    /// Reads journey outcomes from JSON: one object per line (NDJSON), or
    /// an array of objects (see [`EventTable::read_json`]).
    ///
    /// ```
    /// use mot_core::csv::OutcomeTable;
    /// use mot_core::events::ReadOptions;
    /// let rows = b"{\"journey_id\": \"j1\", \"sco\": true}\n{\"journey_id\": \"j2\", \"sco\": 0}\n";
    /// let t = OutcomeTable::read_json(rows, "outcomes.ndjson", &ReadOptions::default())?;
    /// assert_eq!(t.len(), 2);
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`EventTable::read_json`].
    pub fn read_json(
        bytes: &[u8],
        source: &str,
        options: &ReadOptions,
    ) -> Result<OutcomeTable, Error> {
        let names = &options.names;
        let bad_rows = options.bad_rows;
        let keys = Keys::new(
            names,
            [names.outcome_journey(), &names.sco, &names.outcome_value],
        );
        let rows = Rows::parse(bytes, source, &keys)?;
        let have = rows.columns(names, &keys, &keys.fields[..2]);
        let have: Vec<&str> = have.iter().map(String::as_str).collect();
        let has_value = names
            .outcomes_in(&have, &format!("`{source}`"))?
            .value
            .is_some();
        let mut table = OutcomeTable::new(source, has_value);
        table.place.rows = !rows.lines;
        let mut bufs: [String; 3] = Default::default();
        for (row, entry) in rows.entries.iter().enumerate() {
            let (row, position) = (row as u64, entry.position);
            let cells = match cells(entry, &keys) {
                Ok(cells) => cells,
                Err(text) => {
                    let reason = RejectReason::MalformedRow;
                    table.place.refuse(row, position, reason, &text, bad_rows)?;
                    continue;
                }
            };
            let [journey, sco, value] = texts(cells, &mut bufs);
            let fields = OutcomeFields {
                journey,
                sco,
                value: has_value.then_some(value),
            };
            table.push(row, position, &fields, bad_rows)?;
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::BadRows;
    use crate::{Dashboard, DashboardOptions, ErrorKind, Ids, Tracker, TrackerConfig, Validity};

    fn options(bad_rows: BadRows) -> ReadOptions {
        ReadOptions {
            bad_rows,
            ..ReadOptions::default()
        }
    }

    fn events(text: &str, bad_rows: BadRows) -> Result<EventTable, Error> {
        EventTable::read_json(text.as_bytes(), "e.ndjson", &options(bad_rows))
    }

    /// The text of each field of one row, as the table reads it.
    fn row_texts(line: &str, names: &ColumnNames) -> Vec<String> {
        let keys = Keys::new(
            names,
            [
                names.journey.as_str(),
                &names.mot,
                &names.timestamp,
                &names.cost,
            ],
        );
        let rows = Rows::parse(line.as_bytes(), "x", &keys).unwrap();
        let cells = cells(&rows.entries[0], &keys).unwrap();
        let mut bufs = Default::default();
        texts(cells, &mut bufs).map(str::to_string).to_vec()
    }

    fn ingest(e: &EventTable, o: Option<&OutcomeTable>) -> Tracker {
        let x = crate::sample::airline();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        t.ingest_table(e, o).unwrap();
        t
    }

    fn dashboard(t: &Tracker) -> String {
        let x = crate::sample::airline();
        Dashboard::build(t, Some(&x), &DashboardOptions::default())
            .unwrap()
            .to_json()
    }

    const CSV: &str = "journey_id,mot_id,timestamp,success,cost,producer\n\
        a,search-book,1795392000,true,,\n\
        a,check-in,2026-11-22T01:00:00.123Z,0,2.5,agent 7\n\
        b,search-book,1795392000,yes,-1,\n\
        b,teleport,1795392000,true,1,\n\
        c,check-in,yesterday,true,1,\n\
        c,check-in,1795399200,maybe,1,\n\
        ,check-in,1795399200,true,1,\n\
        d,bag-drop,1795399200,,100000000000000000000,\n";

    const NDJSON: &str = r#"{"journey_id": "a", "mot_id": "search-book", "timestamp": 1795392000, "success": true, "note": {"x": [1]}}
{"journey_id": "a", "mot_id": "check-in", "timestamp": "2026-11-22T01:00:00.123Z", "success": 0, "cost": 2.5, "producer": "agent 7"}
{"journey_id": "b", "mot_id": "search-book", "timestamp": "1795392000", "success": "yes", "cost": -1}
{"journey_id": "b", "mot_id": "teleport", "timestamp": 1795392000, "success": true, "cost": 1.0}
{"journey_id": "c", "mot_id": "check-in", "timestamp": "yesterday", "success": true, "cost": 1}
{"journey_id": "c", "mot_id": "check-in", "timestamp": 1795399200, "success": "maybe", "cost": 1}
{"journey_id": null, "mot_id": "check-in", "timestamp": 1795399200, "success": true, "cost": 1}
{"journey_id": "d", "mot_id": "bag-drop", "timestamp": 1795399200, "cost": 1e20}
"#;

    const OUTCOMES_CSV: &str = "journey_id,sco,value\na,1,\nb,false,12.5\nzz,maybe,\n";
    const OUTCOMES_NDJSON: &str = "{\"journey_id\": \"a\", \"sco\": 1}\r\n\r\n\
        {\"journey_id\": \"b\", \"sco\": false, \"value\": 12.5}\r\n\
        {\"journey_id\": \"zz\", \"sco\": \"maybe\", \"value\": null}\r\n";

    /// The NDJSON lines as one JSON array.
    fn array(ndjson: &str) -> String {
        let rows: Vec<&str> = ndjson.lines().filter(|l| !l.trim().is_empty()).collect();
        format!("[\n  {}\n]\n", rows.join(",\n  "))
    }

    #[test]
    fn csv_ndjson_and_array_give_the_same_tracker() {
        let o = ReadOptions::default();
        let csv = EventTable::read(CSV.as_bytes(), "e.csv", &o).unwrap();
        let csv_o = OutcomeTable::read(OUTCOMES_CSV.as_bytes(), "o.csv", &o).unwrap();
        let expected = ingest(&csv, Some(&csv_o));
        assert_eq!(expected.interactions(), 2);
        assert_eq!(expected.rejected().total(), 8); // 6 interactions, 2 outcomes

        let crlf = NDJSON.replace('\n', "\r\n");
        let bom = format!("\u{feff}{NDJSON}");
        for (events, outcomes) in [
            (NDJSON.to_string(), OUTCOMES_NDJSON.to_string()),
            (crlf, OUTCOMES_NDJSON.to_string()),
            (bom, format!("\u{feff}{}", array(OUTCOMES_NDJSON))),
            (array(NDJSON), array(OUTCOMES_NDJSON)),
        ] {
            let e = EventTable::read_json(events.as_bytes(), "e.json", &o).unwrap();
            let out = OutcomeTable::read_json(outcomes.as_bytes(), "o.json", &o).unwrap();
            assert_eq!((e.len(), out.len()), (csv.len(), csv_o.len()));
            let t = ingest(&e, Some(&out));
            assert_eq!(t.to_bytes(), expected.to_bytes(), "{events}");
            assert_eq!(dashboard(&t), dashboard(&expected));
        }
    }

    #[test]
    fn values_read_as_their_text() {
        let names = ColumnNames::default();
        let texts = |line: &str| row_texts(line, &names);
        assert_eq!(
            texts(
                r#"{"journey_id": 18446744073709551615, "mot_id": -9223372036854775808, "timestamp": 1795392000123, "cost": 0.1}"#
            ),
            [
                "18446744073709551615",
                "-9223372036854775808",
                "1795392000123",
                "0.1"
            ]
        );
        assert_eq!(
            texts(r#"{"journey_id": 1e3, "mot_id": -0, "timestamp": 1.5e300, "cost": -2.50}"#)[..2],
            ["1000", "0"]
        );
        assert_eq!(
            texts(r#"{"journey_id": 100000000000000000000, "mot_id": true, "timestamp": false}"#),
            ["100000000000000000000", "true", "false", ""]
        );
        // Null, a missing key and "" are all null; strings are kept as they are.
        assert_eq!(
            texts(r#"{"journey_id": null, "timestamp": "", "cost": " 1 ", "x": 1}"#),
            ["", "", "", " 1 "]
        );
        assert_eq!(
            texts(
                r#"{"journey_id": "a\"b\u00e9", "mot_id": "\ud83d\ude00", "journey_id": "last"}"#
            )[..2],
            ["last", "😀"]
        );
        // One column read as two fields.
        let mut names = ColumnNames::default();
        names.set("cost", "journey_id").unwrap();
        assert_eq!(
            row_texts(r#"{"journey_id": "j"}"#, &names),
            ["j", "", "", "j"]
        );
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let names = ColumnNames::default();
        let keys = Keys::new(&names, [names.journey.as_str(), &names.mot]);
        let rows = Rows::parse(
            br#"{"journey_id": "plain", "mot_id": "esc\"aped"}"#,
            "x",
            &keys,
        )
        .unwrap();
        let row = rows.entries[0].row.as_ref().unwrap();
        assert!(matches!(&row.cells[0], Cell::Text(Cow::Borrowed("plain"))));
        assert!(matches!(&row.cells[1], Cell::Text(Cow::Owned(s)) if s == "esc\"aped"));
    }

    #[test]
    fn flags_timestamps_and_optional_columns() {
        let text = r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000, "success": 1}
{"journey_id": "a", "mot_id": "bag-drop", "timestamp": "2026-11-23T02:00:00Z", "success": false, "cost": 3}
{"journey_id": "b", "mot_id": "check-in", "timestamp": 1795392000}
"#;
        let t = events(text, BadRows::Fail).unwrap();
        t.with_columns(|c| {
            assert_eq!(
                c.timestamp,
                [
                    1_795_392_000_000_000_000,
                    1_795_399_200_000_000_000,
                    1_795_392_000_000_000_000
                ]
            );
            assert_eq!(c.success, Some(&[true, false, false][..]));
            assert!(matches!(c.success_valid, Validity::Bools(v) if v == [true, true, false]));
            assert_eq!(c.cost, Some(&[0.0, 3.0, 0.0][..]));
            assert!(matches!(c.cost_valid, Validity::Bools(v) if v == [false, true, false]));
            assert!(c.value.is_none() && c.producer.is_none());
            assert!(matches!(c.journey, Ids::Str(j) if j == ["a", "a", "b"]));
        });
        // No success key anywhere: no success column, as in CSV.
        let t = events(
            r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000}"#,
            BadRows::Fail,
        )
        .unwrap();
        t.with_columns(|c| assert!(c.success.is_none()));
    }

    #[test]
    fn bad_lines_are_malformed_rows() {
        let good = r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000}"#;
        let text = format!(
            "{good}\n{{\"journey_id\": \"a\",\n42\n[{good}]\n\
             {{\"journey_id\": \"a\", \"mot_id\": \"check-in\", \"timestamp\": 1795392000, \"cost\": {{\"eur\": 1}}}}\n\
             {{\"journey_id\": [\"a\"], \"mot_id\": \"check-in\", \"timestamp\": 1795392000}}\n\
             {good} {good}\n\
             {{\"journey_id\": \"a\", \"mot_id\": \"check-in\", \"timestamp\": 1795392000, \"sco\": {{}}}}\n"
        );
        let t = events(&text, BadRows::Reject).unwrap();
        assert_eq!(t.len(), 2); // the first line, and `sco` is not an interaction field
        assert_eq!(t.rejected(), [(RejectReason::MalformedRow, 6)]);
        t.with_columns(|c| assert!(c.cost.is_some())); // a row has `cost`

        let fail = |text: &str| events(text, BadRows::Fail).unwrap_err();
        let e = fail(&text);
        assert_eq!(
            (e.kind(), e.row(), e.reject_reason()),
            (ErrorKind::BadRow, Some(1), Some(RejectReason::MalformedRow))
        );
        let message = e.to_string();
        assert!(
            message.starts_with(
                "row 1 rejected as `malformed-row`: a text row has fewer fields than its header, or a JSON row is not a flat object (`e.ndjson` line 2: invalid JSON at column 19: EOF while parsing a value)"
            ),
            "{message}"
        );
        // Each bad line after a good one.
        let lines: Vec<&str> = text.lines().collect();
        let at = |n: usize| fail(&format!("{good}\n{}", lines[n - 1])).to_string();
        for (n, detail) in [
            (3, "invalid type: integer `42`, expected an object"),
            (4, "invalid type: sequence, expected an object"),
            (
                5,
                "`cost` is an object: use a string, a number, a boolean or null",
            ),
            (
                6,
                "`journey_id` is an array: use a string, a number, a boolean or null",
            ),
            (7, "invalid JSON at column 68: trailing characters"),
        ] {
            let message = at(n);
            assert!(
                message.contains(&format!("(`e.ndjson` line 2: {detail})")),
                "{message}"
            );
        }
    }

    #[test]
    fn rows_fail_in_order_with_their_reason() {
        // A bad timestamp before a malformed line stops the read first.
        let text =
            "{\"journey_id\": \"a\", \"mot_id\": \"check-in\", \"timestamp\": \"when\"}\n\nnope\n";
        let e = events(text, BadRows::Fail).unwrap_err();
        assert_eq!(e.reject_reason(), Some(RejectReason::InvalidTimestamp));
        assert!(e.to_string().contains("`e.ndjson` line 1: `when`"), "{e}");
        // Counted, the malformed line by the reader and the bad timestamp
        // by the tracker (after the row's journey checks).
        let t = events(text, BadRows::Reject).unwrap();
        assert_eq!(t.rejected(), [(RejectReason::MalformedRow, 1)]);
        let mut tracker = crate::Tracker::discovery(crate::TrackerConfig::default());
        tracker.ingest_table(&t, None).unwrap();
        assert_eq!(tracker.rejected().get(RejectReason::InvalidTimestamp), 1);
        assert_eq!(tracker.rejected().get(RejectReason::MalformedRow), 1);
        // Array rows are named by index; the tracker's errors too.
        let text = array(&format!(
            "{}\n{}\n",
            r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000}"#,
            r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000, "value": {}}"#
        ));
        let e = events(&text, BadRows::Fail).unwrap_err();
        assert!(
            e.to_string()
                .contains("(`e.ndjson` row 1: `value` is an object"),
            "{e}"
        );
        let text =
            "\n{\"journey_id\": \"a\", \"mot_id\": \"teleport\", \"timestamp\": 1795392000}\n";
        let e = events(text, BadRows::Fail).unwrap();
        let x = crate::sample::airline();
        let fail = TrackerConfig {
            bad_rows: BadRows::Fail,
            ..TrackerConfig::default()
        };
        let err = Tracker::new(&x, fail).ingest_table(&e, None).unwrap_err();
        assert!(
            err.to_string()
                .contains("`unknown-mot`: the MOT id is not in the experience (`e.ndjson` line 2: journey `a`, mot `teleport`)"),
            "{err}"
        );
    }

    #[test]
    fn bad_arrays_and_text_are_format_errors() {
        let good = r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000}"#;
        for (text, message) in [
            (
                format!("[{good},\n {good}"),
                "`e.ndjson` is not a JSON array of objects: EOF while parsing a list at line 2 column",
            ),
            (
                format!("[{good},\n 1]"),
                "`e.ndjson` is not a JSON array of objects: invalid type: integer `1`, expected an object at line 2 column 2",
            ),
            (
                format!("[{good}] [{good}]"),
                "`e.ndjson` is not a JSON array of objects: trailing characters at line 1 column",
            ),
            (
                format!("  [{good}, {{\"journey_id\": \"a\" \"mot_id\": 1}}]"),
                "`e.ndjson` is not a JSON array of objects: expected `,` or `}` at line 1 column",
            ),
        ] {
            for bad_rows in [BadRows::Reject, BadRows::Fail] {
                let e = events(&text, bad_rows).unwrap_err();
                assert_eq!(e.kind(), ErrorKind::Format);
                assert!(e.to_string().starts_with(message), "{e}");
            }
        }
        let mut bytes = format!("{good}\n{good}\n").into_bytes();
        bytes.extend_from_slice(b"{\"journey_id\": \"\xff\"}\n");
        let e = EventTable::read_json(&bytes, "e.ndjson", &ReadOptions::default()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Format);
        assert_eq!(
            e.to_string(),
            "`e.ndjson` is not UTF-8 text: invalid bytes on line 3"
        );
    }

    #[test]
    fn missing_columns_are_the_csv_errors() {
        let o = ReadOptions::default();
        let csv = EventTable::read("case,activity\nx,y\n".as_bytes(), "log", &o).unwrap_err();
        let json =
            EventTable::read_json(br#"{"case": "x", "activity": "y"}"#, "log", &o).unwrap_err();
        assert_eq!(json.kind(), ErrorKind::Columns);
        assert_eq!(json.to_string(), csv.to_string());
        // Later rows count for mapped names only.
        let text =
            br#"[{"journey_id": "a", "case": 1}, {"mot_id": "m", "timestamp": 1, "other": 2}]"#;
        let t = EventTable::read_json(text, "log", &o).unwrap();
        assert_eq!(t.len(), 2);
        let e = EventTable::read_json(
            br#"[{"journey_id": "a"}, {"mot_id": "m", "x": 1}]"#,
            "log",
            &o,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "`log` has no timestamp column `timestamp` (columns: `journey_id`, `mot_id`); map it to one of these, or use a preset"
        );
        // A named optional column must exist.
        let mut named = ReadOptions::default();
        named.names.set("cost", "price").unwrap();
        let e = EventTable::read_json(
            br#"{"journey_id": "a", "mot_id": "m", "timestamp": 1}"#,
            "log",
            &named,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Columns);
        assert!(e.to_string().contains("no cost column `price`"), "{e}");
        let outcomes = OutcomeTable::read_json(b"{\"journey_id\": \"a\"}", "o", &o).unwrap_err();
        assert!(
            outcomes
                .to_string()
                .starts_with("`o` has no SCO column `sco`"),
            "{outcomes}"
        );
    }

    #[test]
    fn empty_input_has_no_rows() {
        for text in ["", "  \n\r\n\t\n", "[]", "\u{feff}", " [ ]\n"] {
            let e = events(text, BadRows::Fail).unwrap();
            assert!(e.is_empty() && e.rejected().is_empty(), "{text:?}");
            let o = OutcomeTable::read_json(text.as_bytes(), "o", &ReadOptions::default()).unwrap();
            assert!(o.is_empty(), "{text:?}");
        }
        // Lines that are no objects: no columns to miss, every row counted.
        let e = events("journey_id,mot_id\na,b\n", BadRows::Reject).unwrap();
        assert_eq!(e.rejected(), [(RejectReason::MalformedRow, 2)]);
        let e = events("journey_id,mot_id\na,b\n", BadRows::Fail).unwrap_err();
        assert!(
            e.to_string()
                .contains("(`e.ndjson` line 1: invalid JSON at column 1: expected value)"),
            "{e}"
        );
    }

    #[test]
    fn outcomes_with_values_and_bad_rows() {
        let text = "{\"journey_id\": \"a\", \"sco\": \"yes\", \"value\": 10}\n\
                    {\"journey_id\": \"b\", \"sco\": 0, \"value\": \"n/a\"}\n\
                    {\"journey_id\": \"c\", \"sco\": {\"ok\": true}}\n\
                    {\"journey_id\": \"d\", \"sco\": true, \"value\": 1.25}\n";
        let o =
            OutcomeTable::read_json(text.as_bytes(), "o.ndjson", &ReadOptions::default()).unwrap();
        assert_eq!(o.len(), 2);
        let mut rejected = o.rejected().to_vec();
        rejected.sort();
        assert_eq!(
            rejected,
            [
                (RejectReason::InvalidValue, 1),
                (RejectReason::MalformedRow, 1)
            ]
        );
        o.with_columns(|c| {
            assert_eq!(c.sco, [true, true]);
            assert_eq!(c.value, Some(&[10.0, 1.25][..]));
        });
        let e = OutcomeTable::read_json(text.as_bytes(), "o.ndjson", &options(BadRows::Fail))
            .unwrap_err();
        assert!(e.to_string().contains("`o.ndjson` line 2: `n/a`"), "{e}");
        // A mapped outcome journey column.
        let mut named = ReadOptions::default();
        named.names.set("outcome_journey", "case").unwrap();
        let o = OutcomeTable::read_json(br#"[{"case": "a", "sco": 1}]"#, "o", &named).unwrap();
        o.with_columns(|c| assert!(matches!(c.journey, Ids::Str(j) if j == ["a"])));
    }

    /// Rows per second (`cargo test --release -p mot-core --lib json::tests::speed -- --ignored --nocapture`).
    #[test]
    #[ignore = "a measurement: run it in release"]
    fn speed() {
        let n = 1_000_000;
        let mots = ["search-book", "check-in", "bag-drop", "boarding"];
        let mut ndjson = String::new();
        let mut csv = String::from("journey_id,mot_id,timestamp,success\n");
        for i in 0..n {
            let (j, m, ms) = (i / 4, mots[i % 4], i % 1000);
            let _ = writeln!(
                ndjson,
                r#"{{"journey_id":"j{j}","mot_id":"{m}","timestamp":"2026-11-01T09:00:00.{ms:03}Z","success":true}}"#
            );
            let _ = writeln!(csv, "j{j},{m},2026-11-01T09:00:00.{ms:03}Z,true");
        }
        let array = array(&ndjson);
        let o = ReadOptions::default();
        let rate = |what: &str, f: &dyn Fn() -> usize| {
            let mut best = f64::INFINITY;
            for _ in 0..3 {
                let start = std::time::Instant::now();
                assert_eq!(f(), n);
                best = best.min(start.elapsed().as_secs_f64());
            }
            eprintln!("{what}: {:.2} M rows/s", n as f64 / best / 1e6);
        };
        let names = ColumnNames::default();
        let keys = Keys::new(
            &names,
            [
                names.journey.as_str(),
                &names.mot,
                &names.timestamp,
                &names.success,
            ],
        );
        rate("parse only (NDJSON)", &|| {
            Rows::parse(ndjson.as_bytes(), "e", &keys)
                .unwrap()
                .entries
                .len()
        });
        rate("NDJSON", &|| {
            EventTable::read_json(ndjson.as_bytes(), "e", &o)
                .unwrap()
                .len()
        });
        rate("array", &|| {
            EventTable::read_json(array.as_bytes(), "e", &o)
                .unwrap()
                .len()
        });
        rate("CSV", &|| {
            EventTable::read(csv.as_bytes(), "e", &o).unwrap().len()
        });
    }

    mod prop {
        use super::*;
        use proptest::prelude::*;

        /// One value: its CSV field and its JSON text.
        fn value() -> impl Strategy<Value = (String, String)> {
            prop_oneof![
                Just((String::new(), "null".to_string())),
                Just((String::new(), String::new())), // a missing key
                // Strings are not trimmed (CSV fields are): no spaces at the ends.
                "[a-z0-9:.-]{0,12}".prop_map(|s| (s.clone(), format!("{s:?}"))),
                any::<i64>().prop_map(|n| (n.to_string(), n.to_string())),
                (1_700_000_000i64..1_900_000_000).prop_map(|n| (n.to_string(), n.to_string())),
                any::<f64>()
                    .prop_filter("finite", |x| x.is_finite())
                    .prop_map(|x| (number_text(x), serde_json::to_string(&x).unwrap())),
                any::<bool>().prop_map(|b| (b.to_string(), b.to_string())),
                prop_oneof![Just("true"), Just("0"), Just("yes"), Just("N")]
                    .prop_map(|s| (s.to_string(), format!("{s:?}"))),
            ]
        }

        fn row() -> impl Strategy<Value = Vec<(String, String)>> {
            (
                prop_oneof![Just("j1"), Just("j2"), Just("j3"), Just("")],
                prop_oneof![
                    Just("search-book"),
                    Just("check-in"),
                    Just("bag-drop"),
                    Just("x")
                ],
                value(),
                value(),
                value(),
            )
                .prop_map(|(j, m, ts, ok, cost)| {
                    vec![
                        (j.to_string(), format!("{j:?}")),
                        (m.to_string(), format!("{m:?}")),
                        ts,
                        ok,
                        cost,
                    ]
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            #[test]
            fn ndjson_reads_as_csv(rows in proptest::collection::vec(row(), 1..12)) {
                let columns = ["journey_id", "mot_id", "timestamp", "success", "cost"];
                let mut csv = columns.join(",") + "\n";
                let mut ndjson = String::new();
                for row in &rows {
                    let fields: Vec<&str> = row.iter().map(|(c, _)| c.as_str()).collect();
                    csv += &(fields.join(",") + "\n");
                    let pairs: Vec<String> = columns
                        .iter()
                        .zip(row)
                        .filter(|(_, (_, j))| !j.is_empty())
                        .map(|(name, (_, j))| format!("{name:?}: {j}"))
                        .collect();
                    ndjson += &format!("{{{}}}\n", pairs.join(", "));
                }
                // The first row has every column (as a CSV header does).
                let first: Vec<String> = columns
                    .iter()
                    .map(|name| format!("{name:?}: \"\""))
                    .collect();
                let ndjson = format!("{{{}, \"mot_id\": \"x\"}}\n{ndjson}", first.join(", "));
                let csv = csv.replacen('\n', "\n,x,,,\n", 1);
                let o = ReadOptions::default();
                let a = EventTable::read(csv.as_bytes(), "e", &o).unwrap();
                let b = EventTable::read_json(ndjson.as_bytes(), "e", &o).unwrap();
                let c = EventTable::read_json(array(&ndjson).as_bytes(), "e", &o).unwrap();
                prop_assert_eq!(a.len(), b.len());
                let (ta, tb, tc) = (ingest(&a, None), ingest(&b, None), ingest(&c, None));
                prop_assert_eq!(ta.to_bytes(), tb.to_bytes(), "{}\n{}", csv, ndjson);
                prop_assert_eq!(ta.to_bytes(), tc.to_bytes());
            }
        }
    }
}
