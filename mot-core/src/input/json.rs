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
mod tests;
