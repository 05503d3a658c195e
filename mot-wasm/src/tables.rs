//! Interactions and outcomes from JavaScript: arrays of row objects, or
//! columns (typed arrays or plain arrays), keyed by the column names of a
//! [`ColumnNames`] mapping (defaults `journey_id`, `mot_id`, `timestamp`,
//! `success`, `cost`, `value`, `producer`; outcomes `journey_id`, `sco`,
//! `value`).
//!
//! Rows go through the core's text tables, so each value is read by exactly
//! the rules of a CSV field; columns are copied into Rust vectors once and
//! handed to the core as [`Columns`]. Nothing here decides what a value
//! means beyond its JavaScript type.

use js_sys::{Array, Object, Reflect};
use mot_core::csv::{EventFields, EventTable, Layout, OutcomeFields, OutcomeTable};
use mot_core::events::{BadRows, ColumnNames, ReadOptions, parse_flag};
use mot_core::input::time::int_to_ns;
use mot_core::input::values::{TimeReader, flag_from_f64, number_text, timestamp_from_f64};
use mot_core::{
    Columns, Ids, IngestSummary, OutcomeColumns, RejectReason, TimeUnit, Tracker, Validity,
};
use wasm_bindgen::{JsCast, JsValue};

use crate::errors::{JsResult, columns, to_js};

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TABLE_TYPES: &'static str = r#"
/** One value of a row: read exactly as a CSV field would be (null / undefined / "" = missing). */
export type Cell = string | number | bigint | boolean | Date | null | undefined;
/** Rows as objects, keyed by column name (defaults `journey_id`, `mot_id`, `timestamp`, `success`, `cost`, `value`, `producer`; outcomes `journey_id`, `sco`, `value`). */
export type Rows = Array<Record<string, Cell>>;
/** One column: ids as strings or integers (or a dictionary), timestamps as integers in the time unit, flags as booleans or 0/1, numbers (null = missing). */
export type Column =
  | { codes: Uint32Array; values: string[] }
  | Array<string | number | null | undefined>
  | Array<boolean | null | undefined>
  | Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array
  | Int8Array | Uint8Array | BigInt64Array | BigUint64Array;
/** Columns keyed by column name; all of one length. */
export type Columns = Record<string, Column>;
"#;

/// A JavaScript value as the text of a field (`None`: not a plain value).
fn text(v: &JsValue) -> Option<String> {
    if v.is_null() || v.is_undefined() {
        return Some(String::new());
    }
    if let Some(s) = v.as_string() {
        return Some(s);
    }
    if let Some(b) = v.as_bool() {
        return Some(b.to_string());
    }
    if let Some(x) = v.as_f64() {
        return Some(number_text(x));
    }
    if v.is_bigint() {
        return js_sys::BigInt::from(v.clone())
            .to_string(10)
            .ok()
            .map(String::from);
    }
    v.dyn_ref::<js_sys::Date>()
        .map(|d| String::from(d.to_iso_string()))
}

fn get(row: &JsValue, key: &str) -> JsValue {
    Reflect::get(row, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn field(row: &JsValue, key: &str, index: usize, what: &str) -> JsResult<String> {
    text(&get(row, key)).ok_or_else(|| {
        columns(format!(
            "{what} row {index}: `{key}` is an object; use a string, a number, a boolean, a Date or null"
        ))
    })
}

fn has_key(rows: &Array, key: &str) -> bool {
    rows.iter()
        .any(|r| r.is_object() && Reflect::has(&r, &JsValue::from_str(key)).unwrap_or(false))
}

/// The fields rows have, by the core's rule ([`ColumnNames::row_fields`]):
/// those of the first row, and every mapped name some row has.
fn row_fields(rows: &Array, names: &ColumnNames) -> Vec<String> {
    let first = rows.get(0);
    let keys: Vec<String> = if first.is_object() {
        Object::keys(first.unchecked_ref::<Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect()
    } else {
        Vec::new()
    };
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    names.row_fields(&keys, |name| has_key(rows, name))
}

fn event_rows(rows: &Array, options: &ReadOptions) -> JsResult<EventTable> {
    let names = &options.names;
    let bad_rows = options.bad_rows;
    let fields = row_fields(rows, names);
    let mut have: Vec<&str> = fields.iter().map(String::as_str).collect();
    if rows.length() == 0 {
        // No row: nothing is missing.
        have.extend([names.journey.as_str(), &names.mot, &names.timestamp]);
    }
    let found = names
        .events_in(&have, "the interaction rows")
        .map_err(to_js)?;
    let layout = Layout::of(&found);
    let mut table = EventTable::new("events", options, layout).map_err(to_js)?;
    for (i, row) in rows.iter().enumerate() {
        if !row.is_object() {
            return Err(columns(format!("interaction row {i} is not an object")));
        }
        let f = |key: &str| field(&row, key, i, "interaction");
        let (journey, mot, ts) = (f(&names.journey)?, f(&names.mot)?, f(&names.timestamp)?);
        let ok = if layout.success {
            Some(f(&names.success)?)
        } else {
            None
        };
        let cost = if layout.cost {
            Some(f(&names.cost)?)
        } else {
            None
        };
        let value = if layout.value {
            Some(f(&names.value)?)
        } else {
            None
        };
        let producer = if layout.producer {
            Some(f(&names.producer)?)
        } else {
            None
        };
        let fields = EventFields {
            journey: &journey,
            mot: &mot,
            timestamp: &ts,
            success: ok.as_deref(),
            cost: cost.as_deref(),
            value: value.as_deref(),
            producer: producer.as_deref(),
        };
        table
            .push(i as u64, i as u64, &fields, bad_rows)
            .map_err(to_js)?;
    }
    Ok(table)
}

fn outcome_rows(rows: &Array, names: &ColumnNames, bad_rows: BadRows) -> JsResult<OutcomeTable> {
    let journey = names.outcome_journey();
    let fields = row_fields(rows, names);
    let mut have: Vec<&str> = fields.iter().map(String::as_str).collect();
    if rows.length() == 0 {
        have.extend([journey, &names.sco]);
    }
    let found = names
        .outcomes_in(&have, "the outcome rows")
        .map_err(to_js)?;
    let has_value = found.value.is_some();
    let mut table = OutcomeTable::new("outcomes", has_value);
    for (i, row) in rows.iter().enumerate() {
        if !row.is_object() {
            return Err(columns(format!("outcome row {i} is not an object")));
        }
        let f = |key: &str| field(&row, key, i, "outcome");
        let (j, sco) = (f(journey)?, f(&names.sco)?);
        let value = if has_value {
            Some(f(&names.outcome_value)?)
        } else {
            None
        };
        let fields = OutcomeFields {
            journey: &j,
            sco: &sco,
            value: value.as_deref(),
        };
        table
            .push(i as u64, i as u64, &fields, bad_rows)
            .map_err(to_js)?;
    }
    Ok(table)
}

/// The constructor name of a value, for messages (`Float64Array`, `Array`).
fn type_name(v: &JsValue) -> String {
    if v.is_null() {
        return "null".into();
    }
    if v.is_undefined() {
        return "undefined".into();
    }
    v.dyn_ref::<Object>()
        .map(|o| String::from(o.constructor().name()))
        .unwrap_or_else(|| v.js_typeof().as_string().unwrap_or_default())
}

/// Which rows of a column are present; `None`: every row (a typed array
/// has no nulls), so no mask is made or scanned.
type Mask = Option<Vec<bool>>;

/// The validity of `xs` under `ok`: no mask when every value is valid.
fn mask_of<T: Copy>(xs: &[T], ok: impl Fn(T) -> bool) -> Mask {
    if xs.iter().all(|&x| ok(x)) {
        None
    } else {
        Some(xs.iter().map(|&x| ok(x)).collect())
    }
}

/// Ids: integer typed arrays, or an array of strings / integers / nulls.
enum IdCol {
    Ints(Vec<i64>),
    Big(Vec<u64>),
    Strs(Vec<String>),
    /// Dictionary-encoded text: `{codes: Uint32Array, values: string[]}`.
    Dict(Vec<u32>, Vec<String>),
}

/// A column of ids with its validity.
#[cfg_attr(mot_speed, optimize(speed))]
fn id_column(v: &JsValue, name: &str) -> JsResult<(IdCol, Mask)> {
    macro_rules! ints {
        ($($t:ty),*) => {$(
            if let Some(a) = v.dyn_ref::<$t>() {
                let data: Vec<i64> = a.to_vec().into_iter().map(i64::from).collect();
                return Ok((IdCol::Ints(data), None));
            }
        )*};
    }
    ints!(
        js_sys::Int32Array,
        js_sys::Uint32Array,
        js_sys::Int16Array,
        js_sys::Uint16Array,
        js_sys::Int8Array,
        js_sys::Uint8Array
    );
    if let Some(a) = v.dyn_ref::<js_sys::BigInt64Array>() {
        let data = a.to_vec();
        return Ok((IdCol::Ints(data), None));
    }
    if let Some(a) = v.dyn_ref::<js_sys::BigUint64Array>() {
        let data = a.to_vec();
        return Ok((IdCol::Big(data), None));
    }
    if let Some(a) = v.dyn_ref::<js_sys::Float64Array>() {
        if let Some(ids) = whole_numbers(a, 9.007_199_254_740_992e15) {
            return Ok((IdCol::Ints(ids), None));
        }
        return Err(columns(format!(
            "column `{name}` holds numbers that are not integers; ids must be integers or strings"
        )));
    }
    if let Some(codes) = get(v, "codes").dyn_ref::<js_sys::Uint32Array>() {
        // A dictionary: the fastest way to pass many text ids.
        let values = get(v, "values");
        let values = values.dyn_ref::<Array>().ok_or_else(|| {
            columns(format!(
                "column `{name}` has `codes` but no `values` array of strings"
            ))
        })?;
        let values = values
            .iter()
            .map(|s| s.as_string())
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| {
                columns(format!(
                    "column `{name}`: every dictionary value must be a string"
                ))
            })?;
        let codes = codes.to_vec();
        // A code outside the values, or of an empty value, reads as a
        // missing id; a mask is made only when there is one.
        let ok: Vec<bool> = values.iter().map(|s| !s.is_empty()).collect();
        let mask = mask_of(&codes, |c| ok.get(c as usize).copied().unwrap_or(false));
        return Ok((IdCol::Dict(codes, values), mask));
    }
    if let Some(a) = v.dyn_ref::<Array>() {
        // Plain arrays: every id as text (so `7` and `"7"` are one journey,
        // as in a CSV file); null, undefined and "" are missing ids.
        let mut data = Vec::with_capacity(a.length() as usize);
        let mut valid = Vec::with_capacity(a.length() as usize);
        for (i, x) in a.iter().enumerate() {
            let t = if x.as_bool().is_some() {
                None
            } else {
                text(&x)
            };
            let t = t.ok_or_else(|| {
                columns(format!(
                    "column `{name}` row {i} has type {}; ids must be strings or integers",
                    type_name(&x)
                ))
            })?;
            valid.push(!t.is_empty());
            data.push(t);
        }
        return Ok((IdCol::Strs(data), Some(valid)));
    }
    Err(columns(format!(
        "column `{name}` has type {}; give an array of strings or numbers, or an integer typed array",
        type_name(v)
    )))
}

/// A `Float64Array` of whole numbers below `bound` in magnitude, as
/// integers; `None` if any is not (a fraction, NaN, an infinity, too large).
///
/// Read through a small buffer, checked and converted in one pass: the
/// column is never held as `f64`s in WebAssembly memory (W1's ids and
/// timestamps are 76 MB each as `f64`).
#[cfg_attr(mot_speed, optimize(speed))]
fn whole_numbers(a: &js_sys::Float64Array, bound: f64) -> Option<Vec<i64>> {
    const CHUNK: u32 = 1 << 14;
    let n = a.length();
    let mut out = Vec::with_capacity(n as usize);
    let mut buf = vec![0.0; CHUNK.min(n) as usize];
    let mut start = 0;
    while start < n {
        let end = start.saturating_add(CHUNK).min(n);
        let chunk = &mut buf[..(end - start) as usize];
        a.subarray(start, end).copy_to(chunk);
        let mut ok = true;
        out.extend(chunk.iter().map(|&x| {
            // Saturating: NaN becomes 0 and infinities i64::MIN/MAX, and
            // none of them round-trips.
            let i = x as i64;
            ok &= i as f64 == x && x.abs() < bound;
            i
        }));
        if !ok {
            return None;
        }
        start = end;
    }
    Some(out)
}

/// Numbers: a Float64Array / Float32Array, or an array of numbers and nulls.
#[cfg_attr(mot_speed, optimize(speed))]
fn number_column(v: &JsValue, name: &str) -> JsResult<(Vec<f64>, Mask)> {
    if let Some(a) = v.dyn_ref::<js_sys::Float64Array>() {
        let data = a.to_vec();
        return Ok((data, None));
    }
    if let Some(a) = v.dyn_ref::<js_sys::Float32Array>() {
        let data: Vec<f64> = a.to_vec().into_iter().map(f64::from).collect();
        return Ok((data, None));
    }
    if let Some(a) = v.dyn_ref::<Array>() {
        let mut data = Vec::with_capacity(a.length() as usize);
        let mut valid = Vec::with_capacity(a.length() as usize);
        for (i, x) in a.iter().enumerate() {
            if x.is_null() || x.is_undefined() {
                data.push(0.0);
                valid.push(false);
            } else if let Some(f) = x.as_f64() {
                data.push(f);
                valid.push(true);
            } else {
                return Err(columns(format!(
                    "column `{name}` row {i} has type {}; expected a number or null",
                    type_name(&x)
                )));
            }
        }
        return Ok((data, Some(valid)));
    }
    Err(columns(format!(
        "column `{name}` has type {}; give a Float64Array or an array of numbers",
        type_name(v)
    )))
}

/// Rows whose value no rule reads, with why (see `Columns::unreadable`);
/// nothing is allocated until the first.
#[derive(Default)]
struct Unreadable(Vec<Option<RejectReason>>);

impl Unreadable {
    /// The row's first unreadable value counts (timestamps are read before
    /// flags, as in a CSV row).
    fn mark(&mut self, n: usize, i: usize, reason: RejectReason) {
        if self.0.is_empty() {
            self.0 = vec![None; n];
        }
        if let Some(r) = self.0.get_mut(i)
            && r.is_none()
        {
            *r = Some(reason);
        }
    }

    fn rows(&self) -> Option<&[Option<RejectReason>]> {
        (!self.0.is_empty()).then_some(&self.0[..])
    }
}

/// A timestamp column: the values, which are present, and their unit
/// (`None`: the tracker's unit; text and `Date`s are read to nanoseconds).
struct TimeCol {
    data: Vec<i64>,
    mask: Mask,
    unit: Option<TimeUnit>,
}

/// Timestamps, read by the core's rules ([`mot_core::input::values`]): a
/// BigInt64Array or an integer typed array in the time unit; numbers (a
/// fraction or an infinity is `invalid-timestamp`, NaN is missing); in a
/// plain array also text (RFC 3339, or the time format) and `Date`s.
#[cfg_attr(mot_speed, optimize(speed))]
fn time_column(
    v: &JsValue,
    name: &str,
    reader: &TimeReader,
    unit: TimeUnit,
    bad: &mut Unreadable,
) -> JsResult<TimeCol> {
    let typed = |data: Vec<i64>| TimeCol {
        data,
        mask: None,
        unit: None,
    };
    if let Some(a) = v.dyn_ref::<js_sys::BigInt64Array>() {
        return Ok(typed(a.to_vec()));
    }
    if let Some(a) = v.dyn_ref::<js_sys::Int32Array>() {
        return Ok(typed(a.to_vec().into_iter().map(i64::from).collect()));
    }
    if let Some(a) = v.dyn_ref::<js_sys::Float64Array>() {
        // Every row a whole number (the usual case): no mask, one pass.
        const RANGE: f64 = 9.2e18;
        if let Some(data) = whole_numbers(a, RANGE) {
            return Ok(typed(data));
        }
        let numbers = a.to_vec();
        let n = numbers.len();
        let mut data = vec![0i64; n];
        let mut valid = vec![true; n];
        for (i, &x) in numbers.iter().enumerate() {
            match timestamp_from_f64(x) {
                Ok(Some(t)) => data[i] = t,
                Ok(None) => valid[i] = false,
                Err(reason) => bad.mark(n, i, reason),
            }
        }
        return Ok(TimeCol {
            data,
            mask: Some(valid),
            unit: None,
        });
    }
    let Some(a) = v.dyn_ref::<Array>() else {
        return Err(columns(format!(
            "column `{name}` has type {}; timestamps as columns are integers (BigInt64Array, Float64Array, Int32Array) or an array of numbers, strings or Dates",
            type_name(v)
        )));
    };
    // A plain array may mix numbers, text and Dates: all read to nanoseconds.
    let n = a.length() as usize;
    let per = unit.per_second();
    let mut data = vec![0i64; n];
    let mut valid = vec![true; n];
    for (i, x) in a.iter().enumerate() {
        let read = if x.is_null() || x.is_undefined() {
            Ok(None)
        } else if let Some(f) = x.as_f64() {
            timestamp_from_f64(f).map(|t| t.and_then(|t| int_to_ns(t, per)))
        } else if let Some(d) = x.dyn_ref::<js_sys::Date>() {
            timestamp_from_f64(d.get_time()).map(|t| t.and_then(|ms| int_to_ns(ms, 1_000)))
        } else if let Some(t) = text(&x) {
            if t.is_empty() {
                Ok(None)
            } else {
                reader.read(&t).map(Some)
            }
        } else {
            Err(RejectReason::InvalidTimestamp)
        };
        match read {
            Ok(Some(t)) => data[i] = t,
            Ok(None) => valid[i] = false,
            Err(reason) => bad.mark(n, i, reason),
        }
    }
    Ok(TimeCol {
        data,
        mask: Some(valid),
        unit: Some(TimeUnit::Nanos),
    })
}

/// Flags, read by the core's rules: a Uint8Array / Int8Array (`0`, `1`;
/// another value is no flag), or an array of booleans, numbers (`0`, `1`,
/// NaN missing), text (as a CSV field) and nulls. Returns the flags, which
/// are present, and the rows holding a value that is no flag.
fn flag_column(v: &JsValue, name: &str) -> JsResult<(Vec<bool>, Mask, Vec<usize>)> {
    let bytes = v
        .dyn_ref::<js_sys::Uint8Array>()
        .map(|a| a.to_vec())
        .or_else(|| {
            v.dyn_ref::<js_sys::Int8Array>()
                .map(|a| a.to_vec().into_iter().map(|b| b as u8).collect())
        });
    if let Some(bytes) = bytes {
        let bad: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] > 1).collect();
        // Converted in place.
        return Ok((bytes.into_iter().map(|b| b == 1).collect(), None, bad));
    }
    if let Some(a) = v.dyn_ref::<Array>() {
        let mut data = Vec::with_capacity(a.length() as usize);
        let mut valid = Vec::with_capacity(a.length() as usize);
        let mut bad = Vec::new();
        for (i, x) in a.iter().enumerate() {
            let read = if x.is_null() || x.is_undefined() {
                Ok(None)
            } else if let Some(b) = x.as_bool() {
                Ok(Some(b))
            } else if let Some(f) = x.as_f64() {
                flag_from_f64(f)
            } else {
                match text(&x).as_deref() {
                    Some("") => Ok(None),
                    Some(t) => parse_flag(t).map(Some).ok_or(RejectReason::InvalidSuccess),
                    None => Err(RejectReason::InvalidSuccess),
                }
            };
            match read {
                Ok(flag) => {
                    data.push(flag.unwrap_or(false));
                    valid.push(flag.is_some());
                }
                Err(_) => {
                    data.push(false);
                    valid.push(true);
                    bad.push(i);
                }
            }
        }
        return Ok((data, Some(valid), bad));
    }
    Err(columns(format!(
        "column `{name}` has type {}; give a Uint8Array of 0/1 or an array of booleans",
        type_name(v)
    )))
}

/// The column of `key` (the layout says it is there).
fn column(table: &JsValue, key: &str) -> JsValue {
    get(table, key)
}

/// The keys of an object of columns.
fn column_names(table: &JsValue) -> Vec<String> {
    Object::keys(table.unchecked_ref::<Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .filter(|k| !get(table, k).is_undefined())
        .collect()
}

/// Owned event columns, lent to the core as [`Columns`].
struct EventCols {
    journey: (IdCol, Mask),
    mot: (IdCol, Mask),
    timestamp: TimeCol,
    /// `None`: no success column (every success figure is `null`).
    success: Option<(Vec<bool>, Mask)>,
    cost: Option<(Vec<f64>, Mask)>,
    value: Option<(Vec<f64>, Mask)>,
    producer: Option<(IdCol, Mask)>,
    unreadable: Unreadable,
}

impl IdCol {
    fn len(&self) -> usize {
        match self {
            IdCol::Ints(v) => v.len(),
            IdCol::Big(v) => v.len(),
            IdCol::Strs(v) => v.len(),
            IdCol::Dict(codes, _) => codes.len(),
        }
    }
}

fn ids<'a>(c: &'a IdCol, strs: &'a [&'a str]) -> Ids<'a> {
    match c {
        IdCol::Ints(v) => Ids::I64(v),
        IdCol::Big(v) => Ids::U64(v),
        IdCol::Strs(_) => Ids::Str(strs),
        IdCol::Dict(codes, _) => Ids::Dict {
            codes,
            values: strs,
        },
    }
}

fn strs(c: &IdCol) -> Vec<&str> {
    match c {
        IdCol::Strs(v) | IdCol::Dict(_, v) => v.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A mask the core reads; a column with no missing row passes none (so the
/// fast path can take it).
fn validity(v: &Mask) -> Validity<'_> {
    match v {
        Some(v) if !v.iter().all(|&b| b) => Validity::Bools(v),
        _ => Validity::All,
    }
}

impl EventCols {
    fn read(table: &JsValue, options: &ReadOptions) -> JsResult<EventCols> {
        let names = &options.names;
        let keys = column_names(table);
        let have: Vec<&str> = keys.iter().map(String::as_str).collect();
        let layout = names
            .events_in(&have, "the interaction columns")
            .map_err(to_js)?;
        let journey = id_column(&column(table, layout.journey), &names.journey)?;
        let mot = id_column(&column(table, layout.mot), &names.mot)?;
        let reader =
            TimeReader::new(options.time_unit, options.time_format.as_deref()).map_err(to_js)?;
        let mut unreadable = Unreadable::default();
        let timestamp = time_column(
            &column(table, layout.timestamp),
            &names.timestamp,
            &reader,
            options.time_unit,
            &mut unreadable,
        )?;
        let n = timestamp.data.len();
        let success = match layout.success.map(|k| column(table, k)) {
            Some(v) => {
                let (flags, mask, bad) = flag_column(&v, &names.success)?;
                for i in bad {
                    unreadable.mark(n, i, RejectReason::InvalidSuccess);
                }
                Some((flags, mask))
            }
            None => None,
        };
        let cost = layout
            .cost
            .map(|k| column(table, k))
            .map(|v| number_column(&v, &names.cost))
            .transpose()?;
        let value = layout
            .value
            .map(|k| column(table, k))
            .map(|v| number_column(&v, &names.value))
            .transpose()?;
        let producer = layout
            .producer
            .map(|k| column(table, k))
            .map(|v| id_column(&v, &names.producer))
            .transpose()?;
        Ok(EventCols {
            journey,
            mot,
            timestamp,
            success,
            cost,
            value,
            producer,
            unreadable,
        })
    }

    fn with<R>(&self, unit: TimeUnit, f: impl FnOnce(&Columns<'_>) -> R) -> R {
        let (js, ms) = (strs(&self.journey.0), strs(&self.mot.0));
        let ps = self
            .producer
            .as_ref()
            .map(|p| strs(&p.0))
            .unwrap_or_default();
        let mut c = Columns::without_success(
            ids(&self.journey.0, &js),
            ids(&self.mot.0, &ms),
            &self.timestamp.data,
        );
        c.journey_valid = validity(&self.journey.1);
        c.mot_valid = validity(&self.mot.1);
        c.timestamp_valid = validity(&self.timestamp.mask);
        if let Some((flags, ok)) = &self.success {
            c.success = Some(flags);
            c.success_valid = validity(ok);
        }
        c.time_unit = self.timestamp.unit.unwrap_or(unit);
        c.unreadable = self.unreadable.rows();
        if let Some((v, ok)) = &self.cost {
            c.cost = Some(v);
            c.cost_valid = validity(ok);
        }
        if let Some((v, ok)) = &self.value {
            c.value = Some(v);
            c.value_valid = validity(ok);
        }
        if let Some((p, _)) = &self.producer {
            c.producer = Some(ids(p, &ps));
        }
        f(&c)
    }
}

struct OutcomeCols {
    journey: (IdCol, Mask),
    sco: (Vec<bool>, Mask),
    value: Option<(Vec<f64>, Mask)>,
}

impl OutcomeCols {
    fn read(table: &JsValue, names: &ColumnNames) -> JsResult<OutcomeCols> {
        let keys = column_names(table);
        let have: Vec<&str> = keys.iter().map(String::as_str).collect();
        let layout = names
            .outcomes_in(&have, "the outcome columns")
            .map_err(to_js)?;
        let journey = id_column(&column(table, layout.journey), layout.journey)?;
        // An SCO flag no rule reads is a missing outcome, as its text is.
        let sco = {
            let (flags, mask, bad) = flag_column(&column(table, layout.sco), &names.sco)?;
            let mask = if bad.is_empty() {
                mask
            } else {
                let mut m = mask.unwrap_or_else(|| vec![true; flags.len()]);
                for i in bad {
                    m[i] = false;
                }
                Some(m)
            };
            (flags, mask)
        };
        let value = layout
            .value
            .map(|k| column(table, k))
            .map(|v| number_column(&v, &names.outcome_value))
            .transpose()?;
        Ok(OutcomeCols {
            journey,
            sco,
            value,
        })
    }

    fn with<R>(&self, f: impl FnOnce(&OutcomeColumns<'_>) -> R) -> R {
        let js = strs(&self.journey.0);
        let mut o = OutcomeColumns::new(ids(&self.journey.0, &js), &self.sco.0);
        o.journey_valid = validity(&self.journey.1);
        o.sco_valid = validity(&self.sco.1);
        if let Some((v, ok)) = &self.value {
            o.value = Some(v);
            o.value_valid = validity(ok);
        }
        f(&o)
    }
}

/// Reads interactions (and outcomes) given as rows or columns into a tracker.
///
/// `time_format` reads text timestamps (see [`ReadOptions::time_format`]).
pub(crate) fn ingest(
    tracker: &mut Tracker,
    events: &JsValue,
    outcomes: Option<&JsValue>,
    names: &ColumnNames,
    time_format: Option<&str>,
) -> JsResult<IngestSummary> {
    let unit = tracker.config().time_unit;
    let bad_rows = tracker.config().bad_rows;
    let outcomes = outcomes.filter(|o| !o.is_null() && !o.is_undefined());
    let options = ReadOptions {
        names: names.clone(),
        time_unit: unit,
        time_format: time_format.map(str::to_string),
        bad_rows,
        delimiter: None,
    };
    if let Some(rows) = events.dyn_ref::<Array>() {
        let e = event_rows(rows, &options)?;
        let o = match outcomes {
            Some(o) => match o.dyn_ref::<Array>() {
                Some(rows) => Some(outcome_rows(rows, names, bad_rows)?),
                None => {
                    return Err(columns(
                        "give outcomes as rows (an array) when the interactions are rows",
                    ));
                }
            },
            None => None,
        };
        return tracker.ingest_table(&e, o.as_ref()).map_err(to_js);
    }
    if !events.is_object() {
        return Err(columns(format!(
            "interactions must be an array of rows or an object of columns, not a {}",
            type_name(events)
        )));
    }
    let e = EventCols::read(events, &options)?;
    let o = match outcomes {
        Some(o) if o.is_object() && !o.is_instance_of::<Array>() => {
            Some(OutcomeCols::read(o, names)?)
        }
        Some(_) => {
            return Err(columns(
                "give outcomes as columns (an object of arrays) when the interactions are columns",
            ));
        }
        None => None,
    };
    let n = [
        e.journey.0.len(),
        e.mot.0.len(),
        e.timestamp.data.len(),
        e.success.as_ref().map_or(e.journey.0.len(), |s| s.0.len()),
    ];
    if n.iter().any(|&k| k != n[0]) {
        return Err(columns(format!(
            "the interaction columns differ in length ({} journey ids, {} MOT ids, {} timestamps, {} flags)",
            n[0], n[1], n[2], n[3]
        )));
    }
    e.with(unit, |c| match &o {
        Some(o) => o.with(|oc| tracker.ingest(c, Some(oc))),
        None => tracker.ingest(c, None),
    })
    .map_err(to_js)
}
