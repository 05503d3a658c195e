//! Reading logs: the rules that turn what real exports contain into the
//! engine's columns, once for every front end.
//!
//! - [`time`]: the calendar, and timestamps as text (RFC 3339 / ISO 8601 at
//!   full precision, explicit strftime-style formats, integers in a unit),
//!   all in nanoseconds since the epoch.
//! - [`events`]: what the engine reads — [`Columns`](events::Columns) of
//!   interactions and outcomes, the reasons a row is rejected, the column
//!   names and reading options every front end applies.
//! - [`csv`]: CSV text (delimiter detection, byte-order mark, CRLF, quoted
//!   fields) into those columns.
//! - [`xes`]: XES event logs (IEEE 1849), plain or gzipped.
//! - [`values`]: what a native value (an integer flag, a float timestamp,
//!   null) means, for the bindings' columns.

pub mod csv;
pub mod events;
pub mod time;
pub mod values;
pub mod xes;
