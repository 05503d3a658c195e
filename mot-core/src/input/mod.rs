//! Reading logs: the rules that turn what real exports contain into the
//! engine's columns, once for every front end.
//!
//! - [`time`]: the calendar, and timestamps as text (RFC 3339 / ISO 8601 at
//!   full precision, explicit strftime-style formats, integers in a unit),
//!   all in nanoseconds since the epoch.
//! - [`events`]: the time unit, the bad-row policy and the reasons a row is
//!   rejected, with their counts.
//! - [`columns`]: what the engine reads — [`Columns`](columns::Columns) of
//!   interactions and outcomes over borrowed slices.
//! - [`names`]: which column holds what ([`ColumnNames`](names::ColumnNames))
//!   and how text is read ([`ReadOptions`](names::ReadOptions)).
//! - [`csv`]: CSV text (delimiter detection, byte-order mark, CRLF, quoted
//!   fields) into those columns.
//! - [`json`]: JSON rows (NDJSON, or an array of objects) into the same
//!   text table as CSV, with the row-object column rule of
//!   [`ColumnNames::row_fields`](names::ColumnNames::row_fields).
//! - [`xes`]: XES event logs (IEEE 1849), plain or gzipped, streamed into
//!   the same text table as CSV.
//! - [`values`]: what a native value (an integer flag, a float timestamp,
//!   null) means, for the bindings' columns.

pub mod columns;
pub mod csv;
pub mod events;
pub mod json;
pub mod names;
pub mod time;
pub mod values;
pub mod xes;
