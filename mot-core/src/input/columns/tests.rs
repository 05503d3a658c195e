use super::*;
use proptest::prelude::*;

/// Codes by first appearance, written plainly (a search of the values
/// so far): the reference every layout's encoding must give. An empty
/// text is missing.
fn first_appearance<'a>(strs: &[&'a str]) -> (Vec<u32>, Vec<&'a str>) {
    let mut values: Vec<&'a str> = Vec::new();
    let codes = strs
        .iter()
        .map(|&s| match values.iter().position(|&v| v == s) {
            _ if s.is_empty() => u32::MAX,
            Some(k) => k as u32,
            None => {
                values.push(s);
                values.len() as u32 - 1
            }
        })
        .collect();
    (codes, values)
}

proptest! {
    /// Every Arrow text layout encodes as its rows read (text by text,
    /// the unreadable ones missing): the same codes and values as the
    /// rows read as plain strings.
    #[test]
    fn text_layouts_encode_as_their_rows_read(
        rows in proptest::collection::vec(
            prop_oneof![
                Just(b"".to_vec()),
                Just(b"check-in".to_vec()),
                Just(b"twelve bytes".to_vec()),
                Just(b"thirteen byte".to_vec()),
                Just(b"a long MOT id, past the view".to_vec()),
                Just(vec![0xff, 0xfe]),
                Just(vec![b'x'; 20]),
                Just(vec![0xc3]),
            ],
            0..60,
        ),
    ) {
        let mut offsets = vec![0i32];
        let mut data = Vec::new();
        let mut views = Vec::new();
        for r in &rows {
            let at = data.len() as u32;
            data.extend_from_slice(r);
            offsets.push(data.len() as i32);
            let mut view = (r.len() as u32).to_le_bytes().to_vec();
            if r.len() <= 12 {
                view.extend_from_slice(r);
                view.resize(VIEW, 0);
            } else {
                view.extend_from_slice(&r[..4]);
                view.extend_from_slice(&0u32.to_le_bytes());
                view.extend_from_slice(&at.to_le_bytes());
            }
            views.extend_from_slice(&view);
        }
        let large: Vec<i64> = offsets.iter().map(|&o| i64::from(o)).collect();
        let buffers: [&[u8]; 1] = [&data];
        let texts: Vec<&str> = rows.iter().map(|r| std::str::from_utf8(r).unwrap_or("")).collect();
        prop_assert_eq!(Ids::Str(&texts).dict_encode(), Some(first_appearance(&texts)));
        for ids in [
            Ids::Utf8 { offsets: &offsets, data: &data },
            Ids::LargeUtf8 { offsets: &large, data: &data },
            Ids::Utf8View { views: &views, buffers: &buffers },
        ] {
            let strs: Vec<&str> = (0..ids.len())
                .map(|i| match ids.get(i) {
                    Some(Key::Str(s)) => s,
                    _ => "",
                })
                .collect();
            prop_assert_eq!(strs.len(), rows.len());
            prop_assert_eq!(ids.dict_encode(), Some(first_appearance(&strs)));
        }
    }
}

#[test]
fn validity_masks() {
    assert!(Validity::All.is_valid(10));
    let b = [true, false];
    assert!(Validity::Bools(&b).is_valid(0));
    assert!(!Validity::Bools(&b).is_valid(1));
    assert!(!Validity::Bools(&b).is_valid(2));
    let bits = Validity::Bits {
        bytes: &[0b0000_0101],
        offset: 0,
    };
    assert!(bits.is_valid(0) && !bits.is_valid(1) && bits.is_valid(2) && !bits.is_valid(9));
    let shifted = Validity::Bits {
        bytes: &[0b0000_0101],
        offset: 2,
    };
    assert!(shifted.is_valid(0) && !shifted.is_valid(1));
}

/// Arrow string views: short texts inline, long ones in a buffer;
/// a bad buffer, offset or UTF-8 reads as missing; slices and the
/// dictionary encoding read them as any text column.
#[test]
fn string_views_are_read_as_text() {
    let long = b"a longer text id, in a buffer";
    let view = |len: usize, inline: &[u8], buffer: u32, offset: u32| {
        let mut v = (len as u32).to_le_bytes().to_vec();
        if len <= 12 {
            v.extend_from_slice(inline);
            v.resize(16, 0);
        } else {
            v.extend_from_slice(&long[..4]);
            v.extend_from_slice(&buffer.to_le_bytes());
            v.extend_from_slice(&offset.to_le_bytes());
        }
        v
    };
    let rows = [
        view(5, b"short", 0, 0),
        view(0, b"", 0, 0),
        view(long.len(), b"", 1, 2),
        view(long.len(), b"", 7, 0),  // no such buffer
        view(long.len(), b"", 1, 9),  // past the buffer's end
        view(2, &[0xff, 0xfe], 0, 0), // not UTF-8
        view(12, b"twelve bytes", 0, 0),
        view(5, b"short", 0, 0),
    ]
    .concat();
    // The same short text again, its padding not zeroed: one code.
    let mut rows = rows;
    let mut odd = view(5, b"short", 0, 0);
    odd[15] = 0xaa;
    rows.extend_from_slice(&odd);
    rows.extend_from_slice(&view(long.len(), b"", 1, 2));
    let mut padded = b"xx".to_vec();
    padded.extend_from_slice(long);
    let buffers: [&[u8]; 2] = [b"unused", &padded];
    let ids = Ids::Utf8View {
        views: &rows,
        buffers: &buffers,
    };
    let text = std::str::from_utf8(long).unwrap_or_default();
    assert_eq!(ids.len(), 10);
    assert_eq!(ids.get(0), Some(Key::Str("short")));
    assert_eq!(ids.get(1), None);
    assert_eq!(ids.get(2), Some(Key::Str(text)));
    assert_eq!((ids.get(3), ids.get(4), ids.get(5)), (None, None, None));
    assert_eq!(ids.get(6), Some(Key::Str("twelve bytes")));
    assert_eq!(ids.get(8), Some(Key::Str("short")));
    assert_eq!(ids.get(10), None);
    assert_eq!(ids.rows(2..7).get(0), Some(Key::Str(text)));
    assert_eq!(ids.rows(2..7).len(), 5);
    let strs: Vec<&str> = (0..10)
        .map(|i| match ids.get(i) {
            Some(Key::Str(s)) => s,
            _ => "",
        })
        .collect();
    let (codes, values) = ids.dict_encode().unwrap();
    assert_eq!((codes.len(), values.len()), (10, 3)); // short, the long text, twelve bytes
    assert_eq!(codes[8], codes[0]);
    assert_eq!(ids.dict_encode(), Some(first_appearance(&strs)));
}

#[test]
fn ids_read_every_layout_and_never_panic() {
    let data = b"abcdef";
    let utf8 = Ids::Utf8 {
        offsets: &[0, 3, 3, 6, 99, 2],
        data,
    };
    assert_eq!(utf8.get(0), Some(Key::Str("abc")));
    assert_eq!(utf8.get(1), None); // empty
    assert_eq!(utf8.get(2), Some(Key::Str("def")));
    assert_eq!(utf8.get(3), None); // offset out of bounds
    assert_eq!(utf8.get(4), None); // decreasing offsets
    assert_eq!(utf8.get(5), None); // past the end
    let bad = Ids::LargeUtf8 {
        offsets: &[0, 2],
        data: &[0xff, 0xfe],
    };
    assert_eq!(bad.get(0), None); // invalid UTF-8
    let neg = Ids::Utf8 {
        offsets: &[-1, 2],
        data,
    };
    assert_eq!(neg.get(0), None);
    let dict = Ids::Dict {
        codes: &[1, 0, 7],
        values: &["x", "y"],
    };
    assert_eq!(dict.get(0), Some(Key::Str("y")));
    assert_eq!(dict.get(2), None);
    assert_eq!(Ids::I64(&[-1]).get(0), Some(Key::Int(u64::MAX)));
    // Encoded as the rows read: text by text, the unreadable ones missing.
    let repeats = Ids::Utf8 {
        offsets: &[0, 3, 3, 6, 9, 12, 99, 2, 5],
        data: b"abcdefabcabc",
    };
    for ids in [utf8, bad, neg, repeats] {
        let strs: Vec<&str> = (0..ids.len())
            .map(|i| match ids.get(i) {
                Some(Key::Str(s)) => s,
                _ => "",
            })
            .collect();
        assert_eq!(ids.dict_encode(), Some(first_appearance(&strs)));
    }
    let (codes, values) = repeats.dict_encode().unwrap();
    let none = u32::MAX;
    assert_eq!(values, ["abc", "def", "cde"]);
    assert_eq!(codes, [0, none, 1, 0, 0, none, none, 2]);
}

#[test]
fn columns_check_lengths() {
    let ts = [1i64, 2];
    let ok = [true, true];
    let c = Columns::new(Ids::U64(&[1, 2]), Ids::Str(&["a", "b"]), &ts, &ok);
    assert!(c.check().is_ok());
    let c = Columns::new(Ids::U64(&[1]), Ids::Str(&["a", "b"]), &ts, &ok);
    let err = c.check().unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Columns);
    assert_eq!(
        err.to_string(),
        "column `journey` has 1 rows, `timestamp` has 2"
    );
    let mut c = Columns::new(Ids::U64(&[1, 2]), Ids::Str(&["a", "b"]), &ts, &ok);
    c.cost_valid = Validity::Bools(&[true]);
    assert!(c.check().is_err());
}
