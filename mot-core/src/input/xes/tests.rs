//! Tests of the XES reader.

use super::*;

/// Where the real logs are.
#[cfg(feature = "gzip")]
const REAL_LOGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/real-logs");

/// An event with owned fields, for comparisons.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Owned {
    case: Option<String>,
    activity: Option<String>,
    timestamp: Option<String>,
    resource: Option<String>,
    lifecycle: Option<String>,
    index: u64,
    position: u64,
}

fn owned(event: &XesEvent<'_>) -> Owned {
    let own = |value: Option<&str>| value.map(str::to_owned);
    Owned {
        case: own(event.case),
        activity: own(event.activity),
        timestamp: own(event.timestamp),
        resource: own(event.resource),
        lifecycle: own(event.lifecycle),
        index: event.index,
        position: event.position,
    }
}

fn read_all(bytes: &[u8]) -> Result<(XesSummary, Vec<Owned>), Error> {
    let mut events = Vec::new();
    let summary = read_xes(bytes, "test.xes", |event| {
        events.push(owned(event));
        Ok(())
    })?;
    Ok((summary, events))
}

fn read_ok(xml: &str) -> (XesSummary, Vec<Owned>) {
    match read_all(xml.as_bytes()) {
        Ok(read) => read,
        Err(err) => panic!("unexpected error: {err}"),
    }
}

fn read_err(bytes: &[u8]) -> String {
    match read_all(bytes) {
        Ok(read) => panic!("expected an error, read {read:?}"),
        Err(err) => err.to_string(),
    }
}

#[cfg(feature = "gzip")]
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[cfg(feature = "gzip")]
fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut xml = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut xml)
        .unwrap();
    xml
}

#[cfg(feature = "gzip")]
fn real_log(name: &str) -> Vec<u8> {
    std::fs::read(format!("{REAL_LOGS}/{name}")).unwrap()
}

const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <global scope="event"><string key="concept:name" value="DEFAULT"/></global>
  <classifier name="Activity" keys="concept:name"/>
  <string key="concept:name" value="the log"/>
  <trace>
    <string key="concept:name" value="c1"/>
    <event>
      <string key="concept:name" value="a &amp; b"/>
      <date key="time:timestamp" value="2024-01-01T00:00:00.000+01:00"/>
      <string key="org:resource" value="Ren&#233;e"/>
      <string key="lifecycle:transition" value="complete"/>
    </event>
    <event>
      <string key="concept:name" value="x"></string>
    </event>
  </trace>
</log>
"#;

#[cfg(feature = "gzip")]
#[test]
fn running_example() {
    let bytes = real_log("running-example.xes.gz");
    let (summary, events) = read_all(&bytes).unwrap();
    assert_eq!((summary.traces, summary.events), (6, 42));
    assert_eq!(events.len(), 42);
    let first = &events[0];
    assert_eq!(first.case.as_deref(), Some("3"));
    assert_eq!(first.activity.as_deref(), Some("register request"));
    assert_eq!(first.resource.as_deref(), Some("Pete"));
    assert_eq!(
        first.timestamp.as_deref(),
        Some("2010-12-30T14:32:00.000+01:00")
    );
    assert_eq!(first.index, 0);
    let xml = gunzip(&bytes);
    assert_eq!(summary.bytes, xml.len() as u64);
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event.index, i as u64);
        let at = event.position as usize;
        assert!(xml[at..].starts_with(b"<event"), "event {i} at {at}");
    }
}

#[cfg(feature = "gzip")]
#[test]
fn helpdesk() {
    let (summary, events) = read_all(&real_log("helpdesk.xes.gz")).unwrap();
    assert_eq!((summary.traces, summary.events), (4_580, 21_348));
    assert!(
        events
            .iter()
            .all(|e| e.case.is_some() && e.activity.is_some())
    );
    assert!(events.iter().all(|e| e.timestamp.is_some()));
}

#[cfg(feature = "gzip")]
#[test]
fn plain_and_gzipped_read_the_same() {
    for name in ["running-example.xes.gz", "helpdesk.xes.gz"] {
        let gz = real_log(name);
        let plain = gunzip(&gz);
        assert_eq!(read_all(&gz).unwrap(), read_all(&plain).unwrap(), "{name}");
    }
    let small_gz = gzip(SMALL.as_bytes());
    assert_eq!(read_all(&small_gz).unwrap(), read_ok(SMALL));
}

#[test]
fn reads_the_fields_and_decodes_entities() {
    let (summary, events) = read_ok(SMALL);
    assert_eq!(
        summary,
        XesSummary {
            traces: 1,
            events: 2,
            bytes: SMALL.len() as u64
        }
    );
    let first = &events[0];
    assert_eq!(first.case.as_deref(), Some("c1"));
    assert_eq!(first.activity.as_deref(), Some("a & b"));
    assert_eq!(first.resource.as_deref(), Some("Renée"));
    assert_eq!(first.lifecycle.as_deref(), Some("complete"));
    assert_eq!(
        first.timestamp.as_deref(),
        Some("2024-01-01T00:00:00.000+01:00")
    );
    assert!(SMALL[first.position as usize..].starts_with("<event>"));
    // The open/close form; the global default is not applied.
    assert_eq!(events[1].activity.as_deref(), Some("x"));
    assert_eq!(events[1].timestamp, None);
    assert_eq!(events[1].index, 1);
}

#[test]
fn nested_attributes_and_lists_are_skipped() {
    let xml = r#"<log><trace>
            <string key="concept:name" value="case">
                <string key="concept:name" value="not the case"/>
            </string>
            <event>
                <string key="concept:name" value="outer">
                    <string key="concept:name" value="inner"/>
                    <container key="c"><string key="org:resource" value="inner"/></container>
                </string>
                <list key="concept:name">
                    <values><string key="concept:name" value="in a list"/></values>
                </list>
                <container key="x"><string key="lifecycle:transition" value="no"/></container>
                <unknown key="org:resource" value="no"><event/></unknown>
            </event>
        </trace></log>"#;
    let (_, events) = read_ok(xml);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].case.as_deref(), Some("case"));
    assert_eq!(events[0].activity.as_deref(), Some("outer"));
    assert_eq!(events[0].resource, None);
    assert_eq!(events[0].lifecycle, None);
}

#[test]
fn case_id_after_the_events() {
    let xml = r#"<log><trace>
            <event><string key="concept:name" value="a"/></event>
            <event><string key="concept:name" value="b"/></event>
            <string key="concept:name" value="late"/>
        </trace><trace><event/></trace></log>"#;
    let (summary, events) = read_ok(xml);
    assert_eq!((summary.traces, summary.events), (2, 3));
    assert_eq!(events[0].case.as_deref(), Some("late"));
    assert_eq!(events[1].case.as_deref(), Some("late"));
    assert_eq!(events[1].activity.as_deref(), Some("b"));
    // The second trace has no case id, its event no activity.
    assert_eq!(events[2].case, None);
    assert_eq!(events[2].activity, None);
    assert_eq!(events[2].index, 2);
}

#[test]
fn prefixes_doctype_cdata_pi_and_events_outside_traces() {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE log>
<?some processing instruction?>
<xes:log xmlns:xes="http://www.xes-standard.org/">
  <xes:event><xes:string key="concept:name" value="orphan"/></xes:event>
  <xes:trace>
    <![CDATA[ ignored <event> ]]>
    <xes:event>
      <xes:string value="v&lt;1&gt;" key="concept:name"/>
      <xes:int key="org:resource" value="7"/>
    </xes:event>
    <xes:event/>
  </xes:trace>
</xes:log>"#;
    let (summary, events) = read_ok(xml);
    assert_eq!((summary.traces, summary.events), (1, 2));
    assert_eq!(events[0].activity.as_deref(), Some("v<1>"));
    assert_eq!(events[0].resource.as_deref(), Some("7"));
    assert_eq!(events[1].activity, None);
    assert!(xml[events[1].position as usize..].starts_with("<xes:event/>"));
}

#[test]
fn byte_order_mark() {
    let xml = "\u{feff}<log><trace><event/></trace></log>";
    let (summary, events) = read_ok(xml);
    assert_eq!(summary.events, 1);
    assert!(xml.as_bytes()[events[0].position as usize..].starts_with(b"<event/>"));
    assert_eq!(summary.bytes, xml.len() as u64);
}

/// A reader that returns one byte per read.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), out.first_mut()) {
            (Some((&byte, rest)), Some(slot)) => {
                *slot = byte;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

#[test]
fn one_byte_reads_read_the_same() {
    let with_bom = format!("\u{feff}{SMALL}");
    #[cfg(feature = "gzip")]
    let gz = gzip(with_bom.as_bytes());
    #[cfg(feature = "gzip")]
    let inputs = [SMALL.as_bytes(), with_bom.as_bytes(), &gz];
    #[cfg(not(feature = "gzip"))]
    let inputs = [SMALL.as_bytes(), with_bom.as_bytes()];
    for input in inputs {
        let mut events = Vec::new();
        let summary = read_xes(Trickle(input), "test.xes", |event| {
            events.push(owned(event));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            Ok((summary, events)),
            read_all(input).map_err(|e| e.to_string())
        );
    }
    let message = read_err(b"\xef\xbb<log/>");
    assert!(message.contains("malformed XML at byte 0"), "{message}");
}

#[test]
fn empty_log_and_empty_trace() {
    let (summary, events) = read_ok("<log/>");
    assert_eq!((summary.traces, summary.events), (0, 0));
    assert!(events.is_empty());
    let (summary, _) = read_ok("<log><trace/><trace></trace></log>");
    assert_eq!((summary.traces, summary.events), (2, 0));
}

#[test]
fn callback_errors_stop_the_read() {
    let mut seen = 0;
    let err = read_xes(SMALL.as_bytes(), "test.xes", |_| {
        seen += 1;
        Err(Error::format("stop".to_owned()))
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "stop");
    assert_eq!(seen, 1);
}

#[test]
fn malformed_input_is_an_error() {
    let cases: [(&[u8], &str); 9] = [
        (b"<log><trace></event></log>", "malformed XML at byte 12"),
        (b"<log><trace><event>", "truncated XML at byte 19"),
        (
            b"<log><trace><event><string key=\"concept:name",
            "malformed XML at byte 19",
        ),
        (b"", "ends before a `<log>` element"),
        (b"\x00\x01garbage\xff", "malformed XML at byte 0"),
        (b"<trace></trace>", "the root element is `<trace>`"),
        (b"<log/><log/>", "malformed XML at byte 6"),
        (b"<log/>trailing", "malformed XML at byte 6"),
        (
            b"<log><trace><event><string key=\"concept:name\" value=\"&bogus;\"/>",
            "malformed XML at byte 19",
        ),
    ];
    for (bytes, expected) in cases {
        let message = read_err(bytes);
        assert!(message.starts_with("`test.xes`: "), "{message}");
        assert!(message.contains(expected), "{message}");
    }
}

#[cfg(feature = "gzip")]
#[test]
fn truncated_and_corrupt_gzip_is_an_error() {
    let gz = gzip(SMALL.as_bytes());
    let message = read_err(&gz[..gz.len() / 2]);
    assert!(message.starts_with("`test.xes`: "), "{message}");
    assert!(message.contains(" byte "), "{message}");
    // Only the trailer (the checksum and length) missing.
    let message = read_err(&gz[..gz.len() - 4]);
    assert!(
        message.contains("cannot decompress the gzip input after byte"),
        "{message}"
    );
    let mut bad = gz.clone();
    let len = bad.len();
    bad[len - 8] ^= 0xff; // the CRC-32
    let message = read_err(&bad);
    assert!(
        message.contains("cannot decompress the gzip input after byte"),
        "{message}"
    );
    let message = read_err(&GZIP_MAGIC);
    assert!(
        message.contains("cannot decompress the gzip input after byte 0"),
        "{message}"
    );
}

#[cfg(not(feature = "gzip"))]
#[test]
fn gzip_without_the_feature_is_an_error() {
    let message = read_err(&[0x1f, 0x8b, 8, 0]);
    assert!(message.contains("no `gzip` support"), "{message}");
}

#[test]
fn fuzz_truncations_and_byte_flips_never_panic() {
    let plain = SMALL.as_bytes();
    #[cfg(feature = "gzip")]
    let gz = gzip(plain);
    // A plain prefix is complete once it has `</log>`; a gzipped one
    // needs the whole stream, trailer included.
    let complete = SMALL.rfind("</log>").unwrap() + "</log>".len();
    #[cfg(feature = "gzip")]
    let inputs = [(plain, complete), (&gz[..], gz.len())];
    #[cfg(not(feature = "gzip"))]
    let inputs = [(plain, complete)];
    for (bytes, complete) in inputs {
        for end in 0..bytes.len() {
            match read_all(&bytes[..end]) {
                Ok(_) => assert!(end >= complete, "prefix {end} read"),
                Err(err) => {
                    assert!(end < complete, "prefix {end}: {err}");
                    let message = err.to_string();
                    assert!(message.starts_with("`test.xes`: "), "{message}");
                    assert!(message.contains(" byte "), "{message}");
                }
            }
        }
        let mut state: u32 = 0x9e37_79b9;
        for _ in 0..2_000 {
            let mut flipped = bytes.to_vec();
            for _ in 0..3 {
                // xorshift32: deterministic, no dependency.
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let at = state as usize % flipped.len();
                flipped[at] ^= (state >> 24) as u8 | 1;
            }
            if let Err(err) = read_all(&flipped) {
                let message = err.to_string();
                assert!(message.starts_with("`test.xes`: "), "{message}");
                assert!(message.contains("byte "), "{message}");
            }
        }
    }
}
