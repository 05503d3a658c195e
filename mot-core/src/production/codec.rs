//! The tracker state as bytes: an 8-byte magic, a 2-byte little-endian
//! version, then the state in postcard.

use serde::{Deserialize, Serialize};

use super::{Aggregates, Binding, JourneyKey, Open, Registry, Tracker, TrackerConfig};
use crate::{Error, Limits, MotId};

const MAGIC: &[u8; 8] = b"MOTSTATE";
/// 2: time in nanoseconds, interactions with an unknown success, the SCO
/// rule. 3: the designed journey, conformance and durations. 4: the
/// sequential detectors (targets and owners, their states). 5: the
/// (MOT, failed) transitions behind journeys at risk. 6: known-outcome and
/// SCO journeys per period (before/after comparisons). 7: whether
/// durations are measured. Older states are refused (rebuild them from the
/// log).
const VERSION: u16 = 7;

#[derive(Serialize, Deserialize)]
struct Wire {
    config: TrackerConfig,
    ids: Vec<MotId>,
    binding: Option<Binding>,
    agg: Aggregates,
    open: Vec<(JourneyKey, Open)>,
}

impl Tracker {
    /// The state as bytes: configuration, MOTs, aggregates and open
    /// journeys (not the memory of closed journey ids).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut open: Vec<(JourneyKey, Open)> = self
            .open
            .iter()
            .map(|(k, o)| (k.clone(), o.clone()))
            .collect();
        open.sort_by(|a, b| a.0.cmp(&b.0));
        let wire = Wire {
            config: self.config.clone(),
            ids: self.registry.ids.clone(),
            binding: self.registry.binding.clone(),
            agg: self.agg.clone(),
            open,
        };
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        // Serialising plain owned data into a Vec cannot fail.
        out.extend(postcard::to_allocvec(&wire).unwrap_or_default());
        out
    }

    /// Reads a state written by [`Tracker::to_bytes`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::State`](crate::ErrorKind::State) for bytes that are not
    /// a tracker state, come from a newer version, are truncated or
    /// corrupt, or break the state's invariants.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tracker, Error> {
        Tracker::from_bytes_with(bytes, &Limits::default())
    }

    /// [`Tracker::from_bytes`] under other [`Limits`]: the bytes, the MOT
    /// ids and the open journeys they hold are checked against
    /// `max_state_bytes`, `max_mots` and `max_open_journeys`, and the
    /// tracker keeps `limits` for what it reads next.
    ///
    /// # Errors
    ///
    /// As [`Tracker::from_bytes`], and
    /// [`ErrorKind::Limit`](crate::ErrorKind::Limit) for a state over a limit.
    pub fn from_bytes_with(bytes: &[u8], limits: &Limits) -> Result<Tracker, Error> {
        if bytes.len() > limits.max_state_bytes {
            return Err(Error::limit(
                "max_state_bytes",
                limits.max_state_bytes,
                &format!("the state has {} bytes", bytes.len()),
            ));
        }
        let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
            return Err(Error::state(
                "not a mot tracker state (bad magic bytes)".into(),
            ));
        };
        let (version, body) = match rest {
            [a, b, body @ ..] => (u16::from_le_bytes([*a, *b]), body),
            _ => return Err(Error::state("tracker state is truncated".into())),
        };
        if version != VERSION {
            let hint = if version < VERSION {
                ": it was written by an older mot; build it again from the log"
            } else {
                ""
            };
            return Err(Error::state(format!(
                "tracker state version `{version}` is not supported (this library reads `{VERSION}`){hint}"
            )));
        }
        let (wire, rest): (Wire, &[u8]) = postcard::take_from_bytes(body)
            .map_err(|e| Error::state(format!("tracker state is corrupt: {e}")))?;
        if !rest.is_empty() {
            return Err(Error::state(format!(
                "tracker state has {} bytes after its end (two states joined, or a corrupt one?)",
                rest.len()
            )));
        }
        wire.config
            .check()
            .map_err(|e| Error::state(format!("tracker state has bad settings: {e}")))?;
        let n = wire.ids.len();
        if wire.binding.is_none() && n > limits.max_mots {
            return Err(Error::limit(
                "max_mots",
                limits.max_mots,
                &format!("the state holds {n} MOT ids"),
            ));
        }
        if wire.open.len() > limits.max_open_journeys {
            return Err(Error::limit(
                "max_open_journeys",
                limits.max_open_journeys,
                &format!("the state holds {} open journeys", wire.open.len()),
            ));
        }
        let registry = Registry {
            binding: wire.binding,
            ..Registry::from_ids(wire.ids)
        };
        if registry.index.len() != n || registry.ids.iter().any(|id| id.as_str().is_empty()) {
            return Err(Error::state(
                "tracker state lists a mot id twice or empty".into(),
            ));
        }
        wire.agg
            .check(n)
            .map_err(|e| Error::state(format!("tracker state is inconsistent: {e}")))?;
        if let Some(id) = wire
            .config
            .designed
            .iter()
            .find(|id| !registry.index.contains_key(id.as_str()))
        {
            return Err(Error::state(format!(
                "tracker state's designed journey names `{id}`, which it does not list"
            )));
        }
        let config = TrackerConfig {
            limits: *limits,
            ..wire.config
        };
        let mut t = Tracker::build(registry, config);
        t.agg = wire.agg;
        t.agg.ensure(n); // lays out the lookup tables the bytes do not carry
        for (key, open) in wire.open {
            if open.events.iter().any(|e| e.mot as usize >= n) {
                return Err(Error::state("an open journey names an unknown mot".into()));
            }
            if t.open.insert(key, open).is_some() {
                return Err(Error::state(
                    "tracker state lists an open journey twice".into(),
                ));
            }
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn foreign_and_broken_bytes_are_errors() {
        for bytes in [
            &b""[..],
            b"MOT",
            b"PK\x03\x04zipfile",
            b"MOTSTATE",
            b"MOTSTATE\x01",
        ] {
            let err = Tracker::from_bytes(bytes).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::State);
        }
        for (version, what) in [
            (VERSION + 1, "version `8`"),
            (VERSION - 1, "version `6`"),
            (1, "version `1`"),
        ] {
            let mut other = MAGIC.to_vec();
            other.extend_from_slice(&version.to_le_bytes());
            let err = Tracker::from_bytes(&other).unwrap_err().to_string();
            assert!(err.contains(what), "{err}");
        }
    }

    #[test]
    fn an_empty_period_holding_successes_is_refused() {
        // Found by fuzzing state_merge: a period with no trials but some
        // successes passed the checks (which sum the periods with trials)
        // and turned into an impossible rate once merged with a state that
        // had trials that day.
        let x = crate::sample::airline();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        crate::simulate::airline_scenario(&x, 50, 1)
            .generate()
            .ingest_into(&mut t)
            .unwrap();
        let days: Vec<i64> = t.agg.mots[0].days.iter().map(|d| d.0).collect();
        let empty = (days[0]..).find(|d| !days.contains(d)).unwrap();
        t.agg.mots[0].days.add(empty, 0, 3);
        let err = Tracker::from_bytes(&t.to_bytes()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::State);
        assert!(
            err.to_string().contains("more successes than trials"),
            "{err}"
        );
    }

    #[test]
    fn every_truncation_and_bit_flip_is_an_error_or_a_valid_state() {
        let x = crate::sample::airline();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        for (j, mot) in ["search-book", "check-in", "bag-drop"].iter().enumerate() {
            t.record(j as u64, mot, 1_795_392_000 + j as i64, j != 1, None)
                .unwrap();
        }
        t.close_journey(0u64, Some(true), Some(10.0)).unwrap();
        let bytes = t.to_bytes();
        assert_eq!(Tracker::from_bytes(&bytes).unwrap(), t);
        for cut in 0..bytes.len() {
            assert!(Tracker::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        for i in 10..bytes.len() {
            for bit in 0..8 {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                if let Ok(t) = Tracker::from_bytes(&b) {
                    // Whatever decodes must be usable.
                    let _ = crate::Dashboard::build(&t, None, &Default::default());
                }
            }
        }
    }
}
