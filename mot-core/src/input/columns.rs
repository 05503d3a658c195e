//! An interaction log as columns over borrowed slices: what the engine
//! ingests ([`Tracker::ingest`](crate::Tracker::ingest)). The bindings hand
//! Arrow buffers and typed arrays to it without copying; the text readers
//! ([`crate::csv`], [`crate::input::xes`]) fill it from what they parse.

use std::fmt;

use crate::Error;
use crate::events::{RejectReason, TimeUnit};

/// Which rows are present (not null), Arrow-style.
#[derive(Clone, Copy, Debug, Default)]
pub enum Validity<'a> {
    /// No nulls.
    #[default]
    All,
    /// One flag per row: `true` means present.
    Bools(&'a [bool]),
    /// An Arrow validity bitmap: bit `offset + i` (least significant bit
    /// first) set means row `i` is present.
    Bits {
        /// The bitmap bytes.
        bytes: &'a [u8],
        /// The bit offset of row 0.
        offset: usize,
    },
}

impl Validity<'_> {
    /// Whether row `i` is present. Rows past the end of the mask count as
    /// null.
    #[inline]
    pub fn is_valid(&self, i: usize) -> bool {
        match self {
            Validity::All => true,
            Validity::Bools(b) => b.get(i).copied().unwrap_or(false),
            Validity::Bits { bytes, offset } => {
                let bit = offset + i;
                bytes
                    .get(bit / 8)
                    .is_some_and(|byte| byte & (1 << (bit % 8)) != 0)
            }
        }
    }

    /// The mask of rows `from..` (as many as the mask describes).
    pub(crate) fn starting_at(&self, from: usize) -> Self {
        match *self {
            Validity::All => Validity::All,
            Validity::Bools(b) => Validity::Bools(b.get(from..).unwrap_or(&[])),
            Validity::Bits { bytes, offset } => Validity::Bits {
                bytes,
                offset: offset + from,
            },
        }
    }

    /// How many rows the mask can describe (`None`: any number).
    pub(crate) fn capacity(&self) -> Option<usize> {
        match self {
            Validity::All => None,
            Validity::Bools(b) => Some(b.len()),
            Validity::Bits { bytes, offset } => Some((bytes.len() * 8).saturating_sub(*offset)),
        }
    }
}

/// A column of ids: journey ids or MOT ids, integers or text.
#[derive(Clone, Copy, Debug)]
pub enum Ids<'a> {
    /// Unsigned integers.
    U64(&'a [u64]),
    /// Unsigned 32-bit integers (an Arrow `UInt32` column, read as it is):
    /// matched against the other integer columns by value.
    U32(&'a [u32]),
    /// Unsigned 16-bit integers (an Arrow `UInt16` column, read as it is,
    /// as small MOT codes often come): matched against the other integer
    /// columns by value.
    U16(&'a [u16]),
    /// Signed integers. Matched against [`Ids::U64`] by their 64-bit
    /// two's-complement pattern.
    I64(&'a [i64]),
    /// Text, one slice per row.
    Str(&'a [&'a str]),
    /// Arrow `Utf8`: row `i` is `data[offsets[i]..offsets[i + 1]]`.
    Utf8 {
        /// `len + 1` offsets into `data`.
        offsets: &'a [i32],
        /// The UTF-8 bytes.
        data: &'a [u8],
    },
    /// Arrow `LargeUtf8`, with 64-bit offsets.
    LargeUtf8 {
        /// `len + 1` offsets into `data`.
        offsets: &'a [i64],
        /// The UTF-8 bytes.
        data: &'a [u8],
    },
    /// Arrow `Utf8View` (string views), read as it is: row `i` is the
    /// 16-byte view `views[16·i .. 16·i + 16]` (little-endian): its length
    /// in the first 4 bytes, then the text itself when it is at most 12
    /// bytes long, else 4 bytes of prefix, the index of its buffer in
    /// `buffers` and its offset there.
    Utf8View {
        /// 16 bytes per row.
        views: &'a [u8],
        /// The buffers long texts are in.
        buffers: &'a [&'a [u8]],
    },
    /// Dictionary-encoded text: row `i` is `values[codes[i]]`.
    Dict {
        /// One code per row.
        codes: &'a [u32],
        /// The distinct values.
        values: &'a [&'a str],
    },
}

/// A borrowed id, as read from a column. Ordered integers first, then text
/// (byte-wise).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key<'a> {
    /// An integer id.
    Int(u64),
    /// A text id.
    Str(&'a str),
}

impl fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "{i}"),
            Key::Str(s) => f.write_str(s),
        }
    }
}

impl<'a> Ids<'a> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Ids::U64(v) => v.len(),
            Ids::U32(v) => v.len(),
            Ids::U16(v) => v.len(),
            Ids::I64(v) => v.len(),
            Ids::Str(v) => v.len(),
            Ids::Utf8 { offsets, .. } => offsets.len().saturating_sub(1),
            Ids::LargeUtf8 { offsets, .. } => offsets.len().saturating_sub(1),
            Ids::Utf8View { views, .. } => views.len() / VIEW,
            Ids::Dict { codes, .. } => codes.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the ids are integers.
    pub(crate) fn is_int(&self) -> bool {
        matches!(self, Ids::U64(_) | Ids::U32(_) | Ids::U16(_) | Ids::I64(_))
    }

    /// Rows `rows` (within the column) as a column of their own.
    pub(crate) fn rows(&self, rows: std::ops::Range<usize>) -> Self {
        let (a, b) = (rows.start, rows.end);
        match *self {
            Ids::U64(v) => Ids::U64(&v[a..b]),
            Ids::U32(v) => Ids::U32(&v[a..b]),
            Ids::U16(v) => Ids::U16(&v[a..b]),
            Ids::I64(v) => Ids::I64(&v[a..b]),
            Ids::Str(v) => Ids::Str(&v[a..b]),
            // Offsets are into the whole data: keep it.
            Ids::Utf8 { offsets, data } => Ids::Utf8 {
                offsets: &offsets[a..=b],
                data,
            },
            Ids::LargeUtf8 { offsets, data } => Ids::LargeUtf8 {
                offsets: &offsets[a..=b],
                data,
            },
            Ids::Utf8View { views, buffers } => Ids::Utf8View {
                views: &views[a * VIEW..b * VIEW],
                buffers,
            },
            Ids::Dict { codes, values } => Ids::Dict {
                codes: &codes[a..b],
                values,
            },
        }
    }

    /// Text ids as codes into their distinct values (in order of first
    /// appearance); a row that reads as missing gets a code outside the
    /// values. `None` for integer ids. Lets plain string columns take the
    /// same dictionary path as dictionary-encoded ones.
    pub(crate) fn dict_encode(&self) -> Option<(Vec<u32>, Vec<&'a str>)> {
        if self.is_int() {
            return None;
        }
        // String views are keyed by the view itself where it can be.
        #[cfg(not(target_arch = "wasm32"))]
        if let Ids::Utf8View { views, .. } = *self {
            return Some(self.dict_encode_views(views));
        }
        // Keyed by each row's bytes, so that a text is checked as UTF-8
        // once (when first met), not at every row.
        let n = self.len();
        let mut index: hashbrown::HashMap<&'a [u8], u32> = hashbrown::HashMap::new();
        let mut values: Vec<&'a str> = Vec::new();
        let mut codes = Vec::with_capacity(n);
        // Consecutive rows often repeat an id: skip the hash for those.
        let mut last: Option<(&'a [u8], u32)> = None;
        for i in 0..n {
            let code = match self.text_bytes(i) {
                None => u32::MAX,
                Some(b) => match last {
                    Some((prev, code)) if prev == b => code,
                    _ => {
                        let code = *index.entry(b).or_insert_with(|| match as_text(b) {
                            Some(s) => {
                                values.push(s);
                                u32::try_from(values.len() - 1).unwrap_or(u32::MAX)
                            }
                            None => u32::MAX,
                        });
                        last = Some((b, code));
                        code
                    }
                },
            };
            codes.push(code);
        }
        Some((codes, values))
    }

    /// [`Ids::dict_encode`] for string views: a view of at most 12 bytes
    /// holds its text, so its 16 bytes are the key (one hash of two words,
    /// the text checked once per distinct view, not per row); a longer one
    /// is keyed by its text. A text reached through two views (another
    /// producer's padding) still gets one code.
    #[cfg(not(target_arch = "wasm32"))]
    fn dict_encode_views(&self, views: &[u8]) -> (Vec<u32>, Vec<&'a str>) {
        let n = self.len();
        let mut by_view: hashbrown::HashMap<u128, u32> = hashbrown::HashMap::new();
        let mut by_text: hashbrown::HashMap<&'a str, u32> = hashbrown::HashMap::new();
        let mut values: Vec<&'a str> = Vec::new();
        let mut codes = Vec::with_capacity(n);
        let mut code_of = |s: &'a str, values: &mut Vec<&'a str>| {
            *by_text.entry(s).or_insert_with(|| {
                values.push(s);
                u32::try_from(values.len() - 1).unwrap_or(u32::MAX)
            })
        };
        let mut last: Option<(u128, u32)> = None;
        for (i, view) in views.chunks_exact(VIEW).take(n).enumerate() {
            let mut word = [0u8; VIEW];
            word.copy_from_slice(view);
            let key = u128::from_le_bytes(word);
            let code = match last {
                Some((prev, code)) if prev == key => code,
                _ if key as u32 as usize <= 12 => {
                    let code = match by_view.get(&key) {
                        Some(&code) => code,
                        None => {
                            let code = match self.get(i) {
                                Some(Key::Str(s)) => code_of(s, &mut values),
                                _ => u32::MAX,
                            };
                            by_view.insert(key, code);
                            code
                        }
                    };
                    last = Some((key, code));
                    code
                }
                _ => match self.get(i) {
                    Some(Key::Str(s)) => code_of(s, &mut values),
                    _ => u32::MAX,
                },
            };
            codes.push(code);
        }
        (codes, values)
    }

    /// The bytes of text row `i` as its layout holds them (not yet checked
    /// as UTF-8); `None` for a malformed offset, a view outside its
    /// buffers, a code outside the dictionary, a row past the end, or
    /// integer ids.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn text_bytes(&self, i: usize) -> Option<&'a [u8]> {
        match *self {
            Ids::U64(_) | Ids::U32(_) | Ids::U16(_) | Ids::I64(_) => None,
            Ids::Str(v) => v.get(i).map(|s| s.as_bytes()),
            Ids::Utf8 { offsets, data } => {
                let (a, b) = (*offsets.get(i)?, *offsets.get(i + 1)?);
                data.get(usize::try_from(a).ok()?..usize::try_from(b).ok()?)
            }
            Ids::LargeUtf8 { offsets, data } => {
                let (a, b) = (*offsets.get(i)?, *offsets.get(i + 1)?);
                data.get(usize::try_from(a).ok()?..usize::try_from(b).ok()?)
            }
            Ids::Utf8View { views, buffers } => {
                let v = views.get(i * VIEW..(i + 1) * VIEW)?;
                let word = |k: usize| u32::from_le_bytes([v[k], v[k + 1], v[k + 2], v[k + 3]]);
                let len = word(0) as usize;
                if len <= 12 {
                    Some(&v[4..4 + len])
                } else {
                    let (buffer, offset) = (word(8) as usize, word(12) as usize);
                    buffers.get(buffer)?.get(offset..offset.checked_add(len)?)
                }
            }
            Ids::Dict { codes, values } => {
                let code = *codes.get(i)?;
                values.get(code as usize).map(|s| s.as_bytes())
            }
        }
    }

    /// The id of row `i`; `None` for an empty text, a malformed offset, bad
    /// UTF-8 or a code outside the dictionary (all read as missing), or a
    /// row past the end.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn get(&self, i: usize) -> Option<Key<'a>> {
        let text = |s: &'a str| (!s.is_empty()).then_some(Key::Str(s));
        match *self {
            Ids::U64(v) => v.get(i).map(|&x| Key::Int(x)),
            Ids::U32(v) => v.get(i).map(|&x| Key::Int(u64::from(x))),
            Ids::U16(v) => v.get(i).map(|&x| Key::Int(u64::from(x))),
            Ids::I64(v) => v.get(i).map(|&x| Key::Int(x as u64)),
            Ids::Str(v) => v.get(i).and_then(|s| text(s)),
            Ids::Utf8 { .. } | Ids::LargeUtf8 { .. } | Ids::Utf8View { .. } => {
                self.text_bytes(i).and_then(as_text).map(Key::Str)
            }
            Ids::Dict { codes, values } => {
                let code = *codes.get(i)?;
                values.get(code as usize).and_then(|s| text(s))
            }
        }
    }
}

/// A row's bytes as an id: UTF-8 and not empty, else missing.
#[inline]
fn as_text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok().filter(|s| !s.is_empty())
}

/// Bytes of an Arrow string view ([`Ids::Utf8View`]).
const VIEW: usize = 16;

/// An interaction log as columns over borrowed slices. Every column has one
/// entry per row; optional columns may be absent.
#[derive(Clone, Copy, Debug)]
pub struct Columns<'a> {
    /// Journey ids.
    pub journey: Ids<'a>,
    /// Nulls in `journey`.
    pub journey_valid: Validity<'a>,
    /// MOT ids.
    pub mot: Ids<'a>,
    /// Nulls in `mot`.
    pub mot_valid: Validity<'a>,
    /// Timestamps, in `time_unit` since the epoch.
    pub timestamp: &'a [i64],
    /// Nulls in `timestamp`.
    pub timestamp_valid: Validity<'a>,
    /// The unit of `timestamp`.
    pub time_unit: TimeUnit,
    /// Whether each interaction produced its SMOTO; `None` when the log has
    /// no success column (a plain process-mining log): every interaction is
    /// then counted with an unknown success, and every success figure of
    /// the dashboard is `null`.
    pub success: Option<&'a [bool]>,
    /// Nulls in `success` (a null flag in a success column is rejected as
    /// `missing-success`).
    pub success_valid: Validity<'a>,
    /// Cost of each interaction.
    pub cost: Option<&'a [f64]>,
    /// Nulls in `cost` (a null cost is simply unknown, not a rejection).
    pub cost_valid: Validity<'a>,
    /// Value the customer received from each interaction.
    pub value: Option<&'a [f64]>,
    /// Nulls in `value`.
    pub value_valid: Validity<'a>,
    /// Who produced each interaction.
    pub producer: Option<Ids<'a>>,
    /// Rows whose value a front end could not read (a flag of `2`, a
    /// fractional timestamp: see [`crate::input::values`]), with why; they
    /// are rejected for that reason before any other check. `None`: every
    /// value was readable.
    pub unreadable: Option<&'a [Option<RejectReason>]>,
}

impl<'a> Columns<'a> {
    /// The four usual columns, no nulls, no optional columns.
    pub fn new(journey: Ids<'a>, mot: Ids<'a>, timestamp: &'a [i64], success: &'a [bool]) -> Self {
        Columns {
            success: Some(success),
            ..Columns::without_success(journey, mot, timestamp)
        }
    }

    /// A log with no success column: journey, MOT and timestamp only.
    ///
    /// ```
    /// use mot_core::{Columns, Dashboard, DashboardOptions, Ids, Tracker, TrackerConfig};
    /// let events = Columns::without_success(Ids::U64(&[1, 1]), Ids::Str(&["a", "b"]), &[10, 20]);
    /// let d = Dashboard::from_columns(None, &events, None, TrackerConfig::default(), &DashboardOptions::default())?;
    /// assert_eq!(d.mots[0].interactions, 1);
    /// assert_eq!((d.mots[0].successes, d.mots[0].smoto_rate), (None, None));
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    pub fn without_success(journey: Ids<'a>, mot: Ids<'a>, timestamp: &'a [i64]) -> Self {
        Columns {
            journey,
            journey_valid: Validity::All,
            mot,
            mot_valid: Validity::All,
            timestamp,
            timestamp_valid: Validity::All,
            time_unit: TimeUnit::Seconds,
            success: None,
            success_valid: Validity::All,
            cost: None,
            cost_valid: Validity::All,
            value: None,
            value_valid: Validity::All,
            producer: None,
            unreadable: None,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.timestamp.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.timestamp.is_empty()
    }

    /// Rows `rows` as a log of their own (the columns checked first).
    pub(crate) fn rows(&self, rows: std::ops::Range<usize>) -> Self {
        let r = rows.clone();
        Columns {
            journey: self.journey.rows(r.clone()),
            journey_valid: self.journey_valid.starting_at(r.start),
            mot: self.mot.rows(r.clone()),
            mot_valid: self.mot_valid.starting_at(r.start),
            timestamp: &self.timestamp[r.clone()],
            timestamp_valid: self.timestamp_valid.starting_at(r.start),
            time_unit: self.time_unit,
            success: self.success.map(|v| &v[r.clone()]),
            success_valid: self.success_valid.starting_at(r.start),
            cost: self.cost.map(|v| &v[r.clone()]),
            cost_valid: self.cost_valid.starting_at(r.start),
            value: self.value.map(|v| &v[r.clone()]),
            value_valid: self.value_valid.starting_at(r.start),
            producer: self.producer.map(|p| p.rows(r.clone())),
            unreadable: self.unreadable.map(|v| &v[r]),
        }
    }

    /// Checks that every column has one entry per row.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Columns`](crate::ErrorKind::Columns) naming the column.
    pub fn check(&self) -> Result<(), Error> {
        let n = self.len();
        let lens = [
            ("journey", Some(self.journey.len())),
            ("mot", Some(self.mot.len())),
            ("success", self.success.map(<[bool]>::len)),
            ("cost", self.cost.map(<[f64]>::len)),
            ("value", self.value.map(<[f64]>::len)),
            ("producer", self.producer.map(|p| p.len())),
            (
                "unreadable",
                self.unreadable.map(<[Option<RejectReason>]>::len),
            ),
        ];
        for (name, len) in lens {
            if let Some(len) = len
                && len != n
            {
                return Err(Error::columns(format!(
                    "column `{name}` has {len} rows, `timestamp` has {n}"
                )));
            }
        }
        let masks = [
            ("journey", self.journey_valid),
            ("mot", self.mot_valid),
            ("timestamp", self.timestamp_valid),
            ("success", self.success_valid),
            ("cost", self.cost_valid),
            ("value", self.value_valid),
        ];
        for (name, mask) in masks {
            if let Some(cap) = mask.capacity()
                && cap < n
            {
                return Err(Error::columns(format!(
                    "the null mask of `{name}` covers {cap} rows, the log has {n}"
                )));
            }
        }
        Ok(())
    }
}

/// Journey outcomes as columns.
#[derive(Clone, Copy, Debug)]
pub struct OutcomeColumns<'a> {
    /// Journey ids.
    pub journey: Ids<'a>,
    /// Nulls in `journey`.
    pub journey_valid: Validity<'a>,
    /// Whether the journey produced the SCO.
    pub sco: &'a [bool],
    /// Nulls in `sco`.
    pub sco_valid: Validity<'a>,
    /// The journey's value (revenue), if known.
    pub value: Option<&'a [f64]>,
    /// Nulls in `value`.
    pub value_valid: Validity<'a>,
}

impl<'a> OutcomeColumns<'a> {
    /// Journey ids and SCO flags, no nulls, no values.
    pub fn new(journey: Ids<'a>, sco: &'a [bool]) -> Self {
        OutcomeColumns {
            journey,
            journey_valid: Validity::All,
            sco,
            sco_valid: Validity::All,
            value: None,
            value_valid: Validity::All,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.sco.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.sco.is_empty()
    }

    /// Rows `rows` as outcomes of their own (the columns checked first).
    pub(crate) fn rows(&self, rows: std::ops::Range<usize>) -> Self {
        OutcomeColumns {
            journey: self.journey.rows(rows.clone()),
            journey_valid: self.journey_valid.starting_at(rows.start),
            sco: &self.sco[rows.clone()],
            sco_valid: self.sco_valid.starting_at(rows.start),
            value: self.value.map(|v| &v[rows.clone()]),
            value_valid: self.value_valid.starting_at(rows.start),
        }
    }

    /// Checks that every column has one entry per row.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Columns`](crate::ErrorKind::Columns) naming the column.
    pub fn check(&self) -> Result<(), Error> {
        let n = self.len();
        if self.journey.len() != n {
            return Err(Error::columns(format!(
                "outcome column `journey` has {} rows, `sco` has {n}",
                self.journey.len()
            )));
        }
        if let Some(v) = self.value
            && v.len() != n
        {
            return Err(Error::columns(format!(
                "outcome column `value` has {} rows, `sco` has {n}",
                v.len()
            )));
        }
        for (name, mask) in [
            ("journey", self.journey_valid),
            ("sco", self.sco_valid),
            ("value", self.value_valid),
        ] {
            if let Some(cap) = mask.capacity()
                && cap < n
            {
                return Err(Error::columns(format!(
                    "the null mask of outcome `{name}` covers {cap} rows, there are {n}"
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
