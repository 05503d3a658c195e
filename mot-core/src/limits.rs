//! Resource limits: caps on what one input may make the library hold, so
//! that a file, a table or bytes from elsewhere get a typed error
//! ([`ErrorKind::Limit`](crate::ErrorKind::Limit)) instead of exhausting
//! memory. The defaults are far above any real experience or log and can be
//! raised (or lowered) per call.
//!
//! | limit | default | checked by |
//! |---|---|---|
//! | `max_mots` | 100,000 | a tracker in discovery mode registering MOT ids ([`Tracker::record`](crate::Tracker::record), [`Tracker::ingest`](crate::Tracker::ingest), [`Tracker::merge`](crate::Tracker::merge)); decoding a state |
//! | `max_open_journeys` | 50,000,000 | a tracker opening journeys ([`Tracker::record`](crate::Tracker::record), [`Tracker::merge`](crate::Tracker::merge)); decoding a state |
//! | `max_state_bytes` | 4 GiB | [`Tracker::from_bytes_with`](crate::Tracker::from_bytes_with) |
//! | `max_json_bytes` | 64 MiB | [`Experience::from_json_with`](crate::Experience::from_json_with) |
//! | `max_json_depth` | 64 | [`Experience::from_json_with`](crate::Experience::from_json_with) (a valid experience nests 5 deep) |
//! | `max_batch_bytes` | 64 MiB | one batch of rows sent to a service ([`Limits::check_batch`]; `mot serve` answers 413 above it) |
//! | `max_batch_rows` | 1,000,000 | the same batch's rows, read or rejected ([`Limits::check_batch`]) |
//!
//! Lengths inside decoded bytes never size an allocation by themselves: a
//! vector grows only as its elements are actually read.
//!
//! ```
//! use mot_core::{ErrorKind, Limits, Tracker, TrackerConfig};
//!
//! let config = TrackerConfig { limits: Limits { max_mots: 2, ..Limits::default() }, ..TrackerConfig::default() };
//! let mut t = Tracker::discovery(config);
//! t.record("j1", "a", 1_795_392_000, true, None)?;
//! t.record("j1", "b", 1_795_392_001, true, None)?;
//! let err = t.record("j1", "c", 1_795_392_002, true, None).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::Limit);
//! assert_eq!(t.interactions(), 2); // nothing changed
//! # Ok::<(), mot_core::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::Error;

/// Caps on resources; see the [module docs](self) for what checks each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Limits {
    /// Distinct MOT ids a tracker in discovery mode may register.
    pub max_mots: usize,
    /// Journeys a tracker may hold open at once.
    pub max_open_journeys: usize,
    /// Bytes of a tracker state to decode.
    pub max_state_bytes: usize,
    /// Bytes of an experience document.
    pub max_json_bytes: usize,
    /// Nesting depth of an experience document (objects and arrays).
    pub max_json_depth: usize,
    /// Bytes of one batch of rows sent to a service (a request body).
    pub max_batch_bytes: usize,
    /// Rows of one batch sent to a service, read or rejected.
    pub max_batch_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_mots: 100_000,
            max_open_journeys: 50_000_000,
            // 4 GiB, or all of a 32-bit address space (WebAssembly).
            max_state_bytes: usize::try_from(4u64 << 30).unwrap_or(usize::MAX),
            max_json_bytes: 64 << 20,
            max_json_depth: 64,
            max_batch_bytes: 64 << 20,
            max_batch_rows: 1_000_000,
        }
    }
}

impl Limits {
    /// Checks one batch of rows sent to a service: its size in bytes
    /// (`None`: not known yet) and its rows (`None`: not read yet).
    ///
    /// ```
    /// use mot_core::{ErrorKind, Limits};
    /// let l = Limits { max_batch_rows: 10, ..Limits::default() };
    /// assert!(l.check_batch(Some(1_000), Some(10)).is_ok());
    /// assert_eq!(l.check_batch(None, Some(11)).unwrap_err().kind(), ErrorKind::Limit);
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Limit`](crate::ErrorKind::Limit) naming the limit.
    pub fn check_batch(&self, bytes: Option<usize>, rows: Option<usize>) -> Result<(), Error> {
        if let Some(b) = bytes.filter(|&b| b > self.max_batch_bytes) {
            return Err(Error::limit(
                "max_batch_bytes",
                self.max_batch_bytes,
                &format!("the batch has {b} bytes"),
            ));
        }
        if let Some(r) = rows.filter(|&r| r > self.max_batch_rows) {
            return Err(Error::limit(
                "max_batch_rows",
                self.max_batch_rows,
                &format!("the batch has {r} rows"),
            ));
        }
        Ok(())
    }

    /// Checks the size and nesting depth of a JSON document before it is
    /// parsed (one pass over the bytes; brackets inside strings ignored).
    pub(crate) fn check_json(&self, text: &str) -> Result<(), Error> {
        if text.len() > self.max_json_bytes {
            return Err(Error::limit(
                "max_json_bytes",
                self.max_json_bytes,
                &format!("the document has {} bytes", text.len()),
            ));
        }
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for &b in text.as_bytes() {
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => {
                    depth += 1;
                    if depth > self.max_json_depth {
                        return Err(Error::limit(
                            "max_json_depth",
                            self.max_json_depth,
                            "the document nests deeper",
                        ));
                    }
                }
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn json_depth_and_size() {
        let l = Limits {
            max_json_depth: 3,
            max_json_bytes: 40,
            ..Limits::default()
        };
        assert!(l.check_json(r#"{"a": [{"b": "[[[[["}]}"#).is_ok());
        let e = l.check_json("[[[[1]]]]").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Limit);
        assert!(e.to_string().contains("`max_json_depth` of `3`"), "{e}");
        let e = l.check_json(&" ".repeat(41)).unwrap_err();
        assert!(e.to_string().contains("41 bytes"), "{e}");
        // An escaped quote does not end a string.
        assert!(l.check_json(r#"["\"[[[[[["]"#).is_ok());
    }
}
