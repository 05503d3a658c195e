//! Tables in: anything with the Arrow PyCapsule interface (pandas, polars,
//! pyarrow, duckdb) becomes core [`Columns`] — numeric columns borrowed
//! without copying when the table is one chunk.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit as ArrowUnit};
use mot_core::events::ColumnNames;
use mot_core::input::values::{TimeReader, flag_from_int, timestamp_from_f64};
use mot_core::{Columns, Ids, OutcomeColumns, RejectReason, TimeUnit, Validity};
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;

/// A Python error of kind `columns`.
pub(crate) fn columns_error(message: String) -> PyErr {
    crate::errors::py_error("columns", message)
}

/// Reads any Arrow-speaking table into one record batch (concatenating
/// chunks only when there are several).
pub(crate) fn read_table(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<RecordBatch> {
    // A polars `Categorical` column goes over as its codes and categories
    // (`mot/_arrow_in.py` says why); every other table as it is.
    let obj = &obj
        .py()
        .import("mot._arrow_in")?
        .call_method1("arrow_in", (obj,))?;
    let any = match obj.extract::<AnyRecordBatch>() {
        Ok(any) => any,
        Err(_) => {
            // pandas before 2.2 has no `__arrow_c_stream__`: go through pyarrow.
            let py = obj.py();
            let converted = py
                .import("pyarrow")
                .and_then(|pa| pa.getattr("Table")?.call_method1("from_pandas", (obj,)))
                .map_err(|e| {
                    // A frame Arrow cannot hold (a column of mixed types):
                    // pyarrow says which column and why.
                    let arrow = py
                        .import("pyarrow")
                        .and_then(|pa| pa.getattr("ArrowException"))
                        .is_ok_and(|k| e.get_type(py).is_subclass(&k).unwrap_or(false));
                    if arrow {
                        return columns_error(format!(
                            "{what} cannot be read as Arrow columns: {}",
                            e.value(py)
                        ));
                    }
                    columns_error(format!(
                        "{what} must be a table with the Arrow PyCapsule interface (pandas, polars, pyarrow, duckdb), not `{}`",
                        obj.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                    ))
                })?;
            converted.extract::<AnyRecordBatch>()?
        }
    };
    let table = any.into_table().map_err(PyErr::from)?;
    let (batches, schema) = table.into_inner();
    match batches.len() {
        1 => Ok(batches
            .into_iter()
            .next()
            .unwrap_or_else(|| RecordBatch::new_empty(schema))),
        0 => Ok(RecordBatch::new_empty(schema)),
        _ => arrow_select::concat::concat_batches(&schema, &batches)
            .map_err(|e| columns_error(format!("cannot join the chunks of {what}: {e}"))),
    }
}

/// Which rows are present: the column's own validity, or one made here (an
/// all-null `NullArray` has no buffer; values no rule reads are nulls of
/// an SCO column).
enum Mask<'a> {
    Borrowed(Validity<'a>),
    Owned(Vec<bool>),
}

impl Mask<'_> {
    fn validity(&self) -> Validity<'_> {
        match self {
            Mask::Borrowed(v) => *v,
            Mask::Owned(v) => Validity::Bools(v),
        }
    }
}

fn mask(array: &dyn Array) -> Mask<'_> {
    match array.data_type() {
        DataType::Null => Mask::Owned(vec![false; array.len()]),
        _ => Mask::Borrowed(validity(array)),
    }
}

fn validity(array: &dyn Array) -> Validity<'_> {
    match array.nulls() {
        // A validity buffer without a null (common from Arrow producers)
        // is no mask at all, so such input keeps the fast path.
        Some(n) if n.null_count() > 0 => Validity::Bits {
            bytes: n.validity(),
            offset: n.offset(),
        },
        _ => Validity::All,
    }
}

/// Ids as core reads them, borrowed from Arrow where possible.
enum IdData<'a> {
    U64(&'a [u64]),
    U32(&'a [u32]),
    U32Owned(Vec<u32>),
    U16(&'a [u16]),
    I64(&'a [i64]),
    I64Owned(Vec<i64>),
    Utf8 {
        offsets: &'a [i32],
        data: &'a [u8],
    },
    LargeUtf8 {
        offsets: &'a [i64],
        data: &'a [u8],
    },
    Utf8View {
        views: &'a [u8],
        buffers: Vec<&'a [u8]>,
    },
    Dict {
        codes: Vec<u32>,
        values: Vec<&'a str>,
    },
    DictBorrowed {
        codes: &'a [u32],
        values: Vec<&'a str>,
    },
}

impl IdData<'_> {
    fn ids(&self) -> Ids<'_> {
        match self {
            IdData::U64(v) => Ids::U64(v),
            IdData::U32(v) => Ids::U32(v),
            IdData::U32Owned(v) => Ids::U32(v),
            IdData::U16(v) => Ids::U16(v),
            IdData::I64(v) => Ids::I64(v),
            IdData::I64Owned(v) => Ids::I64(v),
            IdData::Utf8 { offsets, data } => Ids::Utf8 { offsets, data },
            IdData::LargeUtf8 { offsets, data } => Ids::LargeUtf8 { offsets, data },
            IdData::Utf8View { views, buffers } => Ids::Utf8View { views, buffers },
            IdData::Dict { codes, values } => Ids::Dict { codes, values },
            IdData::DictBorrowed { codes, values } => Ids::Dict { codes, values },
        }
    }
}

fn strings(array: &dyn Array) -> Option<Vec<&str>> {
    Some(match array.data_type() {
        DataType::Utf8 => array
            .as_string::<i32>()
            .iter()
            .map(|s| s.unwrap_or(""))
            .collect(),
        DataType::LargeUtf8 => array
            .as_string::<i64>()
            .iter()
            .map(|s| s.unwrap_or(""))
            .collect(),
        DataType::Utf8View => array
            .as_string_view()
            .iter()
            .map(|s| s.unwrap_or(""))
            .collect(),
        _ => return None,
    })
}

/// Integers of any width as `i64`, 64-bit ones included (a `u64` above
/// `i64::MAX` wraps to a distinct negative id, so ids stay distinct).
fn all_ints_as_i64(array: &dyn Array) -> Option<Vec<i64>> {
    match array.data_type() {
        DataType::Int64 => Some(array.as_primitive::<Int64Type>().values().to_vec()),
        DataType::UInt64 => Some(
            array
                .as_primitive::<UInt64Type>()
                .values()
                .iter()
                .map(|&x| x as i64)
                .collect(),
        ),
        _ => ints_as_i64(array),
    }
}

fn ints_as_i64(array: &dyn Array) -> Option<Vec<i64>> {
    macro_rules! widen {
        ($t:ty) => {
            array
                .as_primitive::<$t>()
                .values()
                .iter()
                .map(|&x| x as i64)
                .collect()
        };
    }
    Some(match array.data_type() {
        DataType::Int8 => widen!(Int8Type),
        DataType::Int16 => widen!(Int16Type),
        DataType::Int32 => widen!(Int32Type),
        DataType::UInt8 => widen!(UInt8Type),
        DataType::UInt16 => widen!(UInt16Type),
        DataType::UInt32 => widen!(UInt32Type),
        _ => return None,
    })
}

/// A narrower unsigned column as `u32`.
fn widen_u32<T: arrow_array::ArrowPrimitiveType>(array: &ArrayRef) -> Vec<u32>
where
    T::Native: Into<u32>,
{
    array
        .as_primitive::<T>()
        .values()
        .iter()
        .map(|&x| x.into())
        .collect()
}

fn id_data<'a>(array: &'a ArrayRef, name: &str) -> PyResult<IdData<'a>> {
    let dt = array.data_type();
    Ok(match dt {
        // Every id null (an all-null column): each row is missing its id,
        // as a null in any other column is (the mask says so).
        DataType::Null => IdData::I64Owned(vec![0; array.len()]),
        DataType::UInt64 => IdData::U64(array.as_primitive::<UInt64Type>().values()),
        DataType::Int64 => IdData::I64(array.as_primitive::<Int64Type>().values()),
        // Unsigned ids as they are (`u32`), or widened only to `u32`.
        DataType::UInt32 => IdData::U32(array.as_primitive::<UInt32Type>().values()),
        DataType::UInt16 => IdData::U16(array.as_primitive::<UInt16Type>().values()),
        DataType::UInt8 => IdData::U32Owned(widen_u32::<UInt8Type>(array)),
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            IdData::Utf8 {
                offsets: a.value_offsets(),
                data: a.values(),
            }
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            IdData::LargeUtf8 {
                offsets: a.value_offsets(),
                data: a.values(),
            }
        }
        // String views (polars' strings) as they are.
        DataType::Utf8View => {
            let a = array.as_string_view();
            IdData::Utf8View {
                views: a.views().inner().as_slice(),
                buffers: a.data_buffers().iter().map(|b| b.as_slice()).collect(),
            }
        }
        DataType::Dictionary(_, _) => {
            let dict = array.as_any_dictionary();
            match strings(dict.values().as_ref()) {
                // `u32` keys (polars categoricals) are the codes as they are.
                Some(values) if matches!(dict.keys().data_type(), DataType::UInt32) => {
                    IdData::DictBorrowed {
                        codes: dict.keys().as_primitive::<UInt32Type>().values(),
                        values,
                    }
                }
                Some(values) => IdData::Dict {
                    codes: dict
                        .normalized_keys()
                        .iter()
                        .map(|&k| u32::try_from(k).unwrap_or(u32::MAX))
                        .collect(),
                    values,
                },
                None => {
                    let keys = dict.normalized_keys();
                    // A dictionary of integers (a categorical of numbers):
                    // each row takes its value; null rows keep their mask.
                    let values = all_ints_as_i64(dict.values().as_ref()).ok_or_else(|| {
                        columns_error(format!(
                            "column `{name}` is a dictionary of {}; ids must be strings or integers",
                            dict.values().data_type()
                        ))
                    })?;
                    IdData::I64Owned(
                        keys.iter()
                            .map(|&k| values.get(k).copied().unwrap_or(0))
                            .collect(),
                    )
                }
            }
        }
        _ => match ints_as_i64(array.as_ref()) {
            Some(v) => IdData::I64Owned(v),
            None => {
                let hint = if dt.is_floating() {
                    " (a float column of ids usually means an integer column with missing \
                     values: use a nullable integer type, such as pandas `Int64`, or strings)"
                } else {
                    ""
                };
                return Err(columns_error(format!(
                    "column `{name}` has type {dt}; ids must be integers or strings{hint}"
                )));
            }
        },
    })
}

/// Timestamps in a unit, borrowed when they are already 64-bit.
enum TimeData<'a> {
    Borrowed(&'a [i64]),
    Owned(Vec<i64>),
}

impl TimeData<'_> {
    fn slice(&self) -> &[i64] {
        match self {
            TimeData::Borrowed(v) => v,
            TimeData::Owned(v) => v,
        }
    }
}

/// Timestamps: datetimes and dates in their unit, integers in the time
/// unit, floats and text read by the core's rules
/// ([`mot_core::input::values`]); rows no rule reads are marked in
/// `unreadable`.
fn time_data<'a>(
    array: &'a ArrayRef,
    name: &str,
    reader: &TimeReader,
    unit: TimeUnit,
    unreadable: &mut Unreadable,
) -> PyResult<(TimeData<'a>, TimeUnit)> {
    let valid = validity(array.as_ref());
    if let Some(texts) = strings(array.as_ref()) {
        let mut ns = vec![0i64; texts.len()];
        for (i, t) in texts.iter().enumerate() {
            if !valid.is_valid(i) || t.is_empty() {
                continue;
            }
            match reader.read(t) {
                Ok(v) => ns[i] = v,
                Err(reason) => unreadable.mark(i, reason),
            }
        }
        return Ok((TimeData::Owned(ns), TimeUnit::Nanos));
    }
    let floats: Option<Vec<f64>> = match array.data_type() {
        DataType::Float64 => Some(array.as_primitive::<Float64Type>().values().to_vec()),
        DataType::Float32 => Some(
            array
                .as_primitive::<Float32Type>()
                .values()
                .iter()
                .map(|&x| f64::from(x))
                .collect(),
        ),
        _ => None,
    };
    if let Some(floats) = floats {
        let mut data = vec![0i64; floats.len()];
        for (i, &x) in floats.iter().enumerate() {
            match timestamp_from_f64(x) {
                Ok(Some(v)) => data[i] = v,
                Ok(None) => unreadable.missing(i),
                Err(reason) if valid.is_valid(i) => unreadable.mark(i, reason),
                Err(_) => {}
            }
        }
        return Ok((TimeData::Owned(data), unit));
    }
    Ok(match array.data_type() {
        DataType::Timestamp(u, _) => {
            let (values, unit) = match u {
                ArrowUnit::Second => (
                    array.as_primitive::<TimestampSecondType>().values(),
                    TimeUnit::Seconds,
                ),
                ArrowUnit::Millisecond => (
                    array.as_primitive::<TimestampMillisecondType>().values(),
                    TimeUnit::Millis,
                ),
                ArrowUnit::Microsecond => (
                    array.as_primitive::<TimestampMicrosecondType>().values(),
                    TimeUnit::Micros,
                ),
                ArrowUnit::Nanosecond => (
                    array.as_primitive::<TimestampNanosecondType>().values(),
                    TimeUnit::Nanos,
                ),
            };
            (TimeData::Borrowed(values), unit)
        }
        DataType::Date32 => (
            TimeData::Owned(
                array
                    .as_primitive::<Date32Type>()
                    .values()
                    .iter()
                    .map(|&d| i64::from(d) * 86_400)
                    .collect(),
            ),
            TimeUnit::Seconds,
        ),
        DataType::Date64 => (
            TimeData::Borrowed(array.as_primitive::<Date64Type>().values()),
            TimeUnit::Millis,
        ),
        DataType::Int64 => (
            TimeData::Borrowed(array.as_primitive::<Int64Type>().values()),
            unit,
        ),
        DataType::Null => (TimeData::Owned(vec![0; array.len()]), unit),
        other => match ints_as_i64(array.as_ref()) {
            Some(v) => (TimeData::Owned(v), unit),
            None => {
                return Err(columns_error(format!(
                    "column `{name}` has type {other}; timestamps must be datetimes, dates, integers or text"
                )));
            }
        },
    })
}

/// Rows whose value no rule reads, with why (see [`Columns::unreadable`]);
/// empty until the first one.
#[derive(Default)]
pub(crate) struct Unreadable {
    rows: Vec<Option<RejectReason>>,
    len: usize,
    /// Rows whose value is a NaN: missing, as a null is.
    nan: Vec<bool>,
}

impl Unreadable {
    fn new(len: usize) -> Unreadable {
        Unreadable {
            len,
            ..Unreadable::default()
        }
    }

    /// The row's first unreadable value counts (timestamps are read before
    /// flags, as in a CSV row).
    fn mark(&mut self, i: usize, reason: RejectReason) {
        if self.rows.is_empty() {
            self.rows = vec![None; self.len];
        }
        if let Some(r) = self.rows.get_mut(i)
            && r.is_none()
        {
            *r = Some(reason);
        }
    }

    fn missing(&mut self, i: usize) {
        if self.nan.is_empty() {
            self.nan = vec![false; self.len];
        }
        if let Some(n) = self.nan.get_mut(i) {
            *n = true;
        }
    }

    fn rows(&self) -> Option<&[Option<RejectReason>]> {
        (!self.rows.is_empty()).then_some(&self.rows[..])
    }
}

/// The eight flags of each byte of an Arrow bitmap (least significant bit
/// first).
static BYTE_FLAGS: [[bool; 8]; 256] = {
    let mut table = [[false; 8]; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        while bit < 8 {
            table[byte][bit] = (byte >> bit) & 1 == 1;
            bit += 1;
        }
        byte += 1;
    }
    table
};

/// Arrow's packed booleans as one `bool` a row: 64 at a time, a byte's
/// eight through a table (the buffer's own iterator goes bit by bit, about
/// ten times slower on a million rows).
fn unpack(array: &arrow_array::BooleanArray) -> Vec<bool> {
    let bits = array.values();
    let chunks = bits.bit_chunks();
    let mut out = Vec::with_capacity(bits.len() + 64);
    let words = chunks
        .iter()
        .chain((chunks.remainder_len() > 0).then(|| chunks.remainder_bits()));
    for word in words {
        for byte in word.to_le_bytes() {
            out.extend_from_slice(&BYTE_FLAGS[usize::from(byte)]);
        }
    }
    out.truncate(bits.len());
    out
}

/// Flags (success, SCO): booleans, integers read by the core's rule
/// (`0`/`1`; another integer is no flag), or text read as a CSV field is
/// (`true`, `yes`, `0`, ...; empty text is null). Returns the flags, which
/// rows are present, and the rows holding a value that is no flag.
fn flags<'a>(array: &'a ArrayRef, name: &str) -> PyResult<(Vec<bool>, Mask<'a>, Vec<usize>)> {
    if let Some(texts) = strings(array.as_ref()) {
        let valid = validity(array.as_ref());
        let mut bad = Vec::new();
        let mut present = Vec::with_capacity(texts.len());
        let flags = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                present.push(valid.is_valid(i) && !t.is_empty());
                match mot_core::events::parse_flag(t) {
                    Some(b) => b,
                    None => {
                        if valid.is_valid(i) && !t.is_empty() {
                            bad.push(i);
                        }
                        false
                    }
                }
            })
            .collect();
        return Ok((flags, Mask::Owned(present), bad));
    }
    let ints = match array.data_type() {
        DataType::Boolean => {
            return Ok((unpack(array.as_boolean()), mask(array.as_ref()), Vec::new()));
        }
        DataType::Null => return Ok((vec![false; array.len()], mask(array.as_ref()), Vec::new())),
        DataType::Int64 => Some(array.as_primitive::<Int64Type>().values().to_vec()),
        _ => ints_as_i64(array.as_ref()),
    };
    let Some(ints) = ints else {
        return Err(columns_error(format!(
            "column `{name}` has type {}; flags must be booleans or 0/1 integers",
            array.data_type()
        )));
    };
    let valid = validity(array.as_ref());
    let mut bad = Vec::new();
    let flags = ints
        .iter()
        .enumerate()
        .map(|(i, &x)| match flag_from_int(x) {
            Ok(b) => b,
            Err(_) => {
                if valid.is_valid(i) {
                    bad.push(i);
                }
                false
            }
        })
        .collect();
    Ok((flags, mask(array.as_ref()), bad))
}

/// Numbers as `f64`, borrowed when they already are.
enum NumData<'a> {
    Borrowed(&'a [f64]),
    Owned(Vec<f64>),
}

impl NumData<'_> {
    fn slice(&self) -> &[f64] {
        match self {
            NumData::Borrowed(v) => v,
            NumData::Owned(v) => v,
        }
    }
}

fn numbers<'a>(array: &'a ArrayRef, name: &str) -> PyResult<NumData<'a>> {
    Ok(match array.data_type() {
        DataType::Float64 => NumData::Borrowed(array.as_primitive::<Float64Type>().values()),
        DataType::Float32 => NumData::Owned(
            array
                .as_primitive::<Float32Type>()
                .values()
                .iter()
                .map(|&x| f64::from(x))
                .collect(),
        ),
        DataType::Int64 => NumData::Owned(
            array
                .as_primitive::<Int64Type>()
                .values()
                .iter()
                .map(|&x| x as f64)
                .collect(),
        ),
        DataType::UInt64 => NumData::Owned(
            array
                .as_primitive::<UInt64Type>()
                .values()
                .iter()
                .map(|&x| x as f64)
                .collect(),
        ),
        DataType::Null => NumData::Owned(vec![0.0; array.len()]),
        _ => match ints_as_i64(array.as_ref()) {
            Some(v) => NumData::Owned(v.into_iter().map(|x| x as f64).collect()),
            None => {
                return Err(columns_error(format!(
                    "column `{name}` has type {}; it must be numeric",
                    array.data_type()
                )));
            }
        },
    })
}

/// The column of `name` (the layout says it is there).
fn column<'a>(batch: &'a RecordBatch, name: &str) -> PyResult<&'a ArrayRef> {
    batch
        .column_by_name(name)
        .ok_or_else(|| columns_error(format!("no column `{name}`")))
}

/// The names of a table's columns.
fn names_of(batch: &RecordBatch) -> Vec<&str> {
    batch
        .schema_ref()
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect()
}

/// The interaction columns of a table, converted where needed.
pub(crate) struct Events<'a> {
    journey: (IdData<'a>, Mask<'a>),
    mot: (IdData<'a>, Mask<'a>),
    time: (TimeData<'a>, TimeUnit, Mask<'a>),
    success: Option<(Vec<bool>, Mask<'a>)>,
    cost: Option<(NumData<'a>, Mask<'a>)>,
    value: Option<(NumData<'a>, Mask<'a>)>,
    producer: Option<IdData<'a>>,
    unreadable: Unreadable,
}

impl<'a> Events<'a> {
    pub(crate) fn new(
        batch: &'a RecordBatch,
        names: &ColumnNames,
        unit: TimeUnit,
        time_format: Option<&str>,
    ) -> PyResult<Events<'a>> {
        let have = names_of(batch);
        let layout = names
            .events_in(&have, "the events table")
            .map_err(crate::errors::to_py)?;
        let j = column(batch, layout.journey)?;
        let m = column(batch, layout.mot)?;
        let t = column(batch, layout.timestamp)?;
        let reader = TimeReader::new(unit, time_format).map_err(crate::errors::to_py)?;
        let mut unreadable = Unreadable::new(batch.num_rows());
        let (time, unit) = time_data(t, &names.timestamp, &reader, unit, &mut unreadable)?;
        // A NaN timestamp is missing, as a null is.
        let time_mask = if unreadable.nan.is_empty() {
            mask(t.as_ref())
        } else {
            let v = validity(t.as_ref());
            Mask::Owned(
                (0..batch.num_rows())
                    .map(|i| v.is_valid(i) && !unreadable.nan[i])
                    .collect(),
            )
        };
        let success = match layout.success.map(|n| column(batch, n)).transpose()? {
            Some(s) => {
                let (flags, present, bad) = flags(s, &names.success)?;
                for i in bad {
                    unreadable.mark(i, RejectReason::InvalidSuccess);
                }
                Some((flags, present))
            }
            None => None,
        };
        Ok(Events {
            journey: (id_data(j, &names.journey)?, mask(j.as_ref())),
            mot: (id_data(m, &names.mot)?, mask(m.as_ref())),
            time: (time, unit, time_mask),
            success,
            cost: match layout.cost.map(|n| column(batch, n)).transpose()? {
                Some(c) => Some((numbers(c, &names.cost)?, mask(c.as_ref()))),
                None => None,
            },
            value: match layout.value.map(|n| column(batch, n)).transpose()? {
                Some(c) => Some((numbers(c, &names.value)?, mask(c.as_ref()))),
                None => None,
            },
            producer: match layout.producer.map(|n| column(batch, n)).transpose()? {
                Some(c) => Some(id_data(c, &names.producer)?),
                None => None,
            },
            unreadable,
        })
    }

    pub(crate) fn columns(&self) -> Columns<'_> {
        let mut c =
            Columns::without_success(self.journey.0.ids(), self.mot.0.ids(), self.time.0.slice());
        c.journey_valid = self.journey.1.validity();
        c.mot_valid = self.mot.1.validity();
        c.time_unit = self.time.1;
        c.timestamp_valid = self.time.2.validity();
        if let Some((flags, valid)) = &self.success {
            c.success = Some(flags);
            c.success_valid = valid.validity();
        }
        if let Some((v, valid)) = &self.cost {
            c.cost = Some(v.slice());
            c.cost_valid = valid.validity();
        }
        if let Some((v, valid)) = &self.value {
            c.value = Some(v.slice());
            c.value_valid = valid.validity();
        }
        c.producer = self.producer.as_ref().map(IdData::ids);
        c.unreadable = self.unreadable.rows();
        c
    }
}

/// The outcome columns of a table.
pub(crate) struct Outcomes<'a> {
    journey: (IdData<'a>, Mask<'a>),
    sco: (Vec<bool>, Mask<'a>),
    value: Option<(NumData<'a>, Mask<'a>)>,
}

impl<'a> Outcomes<'a> {
    pub(crate) fn new(batch: &'a RecordBatch, names: &ColumnNames) -> PyResult<Outcomes<'a>> {
        let have = names_of(batch);
        let layout = names
            .outcomes_in(&have, "the outcomes table")
            .map_err(crate::errors::to_py)?;
        let j = column(batch, layout.journey)?;
        let s = column(batch, layout.sco)?;
        // An SCO flag no rule reads is a missing outcome, as its text is.
        let (sco, present, bad) = flags(s, &names.sco)?;
        let sco_mask = if bad.is_empty() {
            present
        } else {
            let mut m: Vec<bool> = (0..s.len())
                .map(|i| present.validity().is_valid(i))
                .collect();
            for i in bad {
                m[i] = false;
            }
            Mask::Owned(m)
        };
        Ok(Outcomes {
            journey: (id_data(j, names.outcome_journey())?, mask(j.as_ref())),
            sco: (sco, sco_mask),
            value: match layout.value.map(|n| column(batch, n)).transpose()? {
                Some(c) => Some((numbers(c, &names.outcome_value)?, mask(c.as_ref()))),
                None => None,
            },
        })
    }

    pub(crate) fn columns(&self) -> OutcomeColumns<'_> {
        let mut o = OutcomeColumns::new(self.journey.0.ids(), &self.sco.0);
        o.journey_valid = self.journey.1.validity();
        o.sco_valid = self.sco.1.validity();
        if let Some((v, valid)) = &self.value {
            o.value = Some(v.slice());
            o.value_valid = valid.validity();
        }
        o
    }
}
