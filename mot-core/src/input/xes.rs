//! A streaming reader of XES event logs (IEEE 1849), plain or gzipped.
//!
//! [`read_xes`] calls back once per event with the few standard attributes
//! the rest of the crate needs (case id, activity, timestamp, resource,
//! lifecycle transition), as the raw text of their `value`s. It never holds
//! more than one trace: the events of a trace are buffered (in one string
//! arena) until `</trace>`, because the trace's `concept:name` may come after
//! some of its events, and then emitted in file order.
//!
//! What counts, following the standard and pm4py:
//!
//! - only attribute elements (`string`, `date`, `int`, `float`, `boolean`,
//!   `id`) that are direct children of `<event>` (of `<trace>` for the case
//!   id); their children (meta-attributes), `<list>`, `<container>`, unknown
//!   elements, `<global>` defaults, `<extension>`, `<classifier>` and
//!   log-level attributes are skipped whole;
//! - element names are matched on their local names, so a default namespace
//!   (`<log xmlns="http://www.xes-standard.org/">`) or a prefix both work;
//! - values are entity-decoded and normalised as XML requires for attribute
//!   values (a literal tab or newline reads as a space; `&#10;` stays a
//!   newline); the input must be UTF-8;
//! - an `<event>` outside any `<trace>` is ignored.
//!
//! Malformed XML, a truncated document or a corrupt gzip stream is a
//! [`Format`](crate::ErrorKind::Format) error naming the source and the byte
//! offset in the (decompressed) XML.
//!
//! [`EventTable::read_xes`] streams a log into the same text table as CSV,
//! so every value is read by the CSV rules; [`XesColumns`] keeps the five
//! standard attributes as columns (Python's `mot.read_xes`).
//!
//! ## Why quick-xml, not the `process_mining` crate
//!
//! The `process_mining` crate (rust4pm) reads XES well, but it brings
//! chrono, uuid, rayon, petgraph, serde_with and more into a core that
//! depends on serde and a few small crates, and into a WebAssembly module
//! with a size budget; quick-xml alone adds about 17 KB gzipped to it. Its
//! importer builds an owned event log with a `String` for every attribute
//! of every event, where we hand borrowed text to a columnar sink and hold
//! one trace at a time; it keeps nested attributes as a tree (we skip
//! them, as pm4py does); it parses dates with chrono and drops (with a line
//! on stderr) what it cannot read, where our timestamps go through the
//! crate's one time reader and an unreadable one is counted by reason; and
//! it matches qualified names (so `xes:`-prefixed logs fail), chooses gzip
//! by the `.gz` suffix rather than the content, and reports errors without
//! a source or position.

use std::io::{BufRead, BufReader, Read};

use quick_xml::XmlVersion;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::Error;
use crate::csv::{EventFields, EventTable, Layout};
use crate::events::ReadOptions;
use crate::input::values::TimeReader;

/// One event as read from the log (attribute values are the raw text of
/// `value`, entities decoded).
#[derive(Clone, Copy, Debug)]
pub struct XesEvent<'a> {
    /// The trace's `concept:name` (the case id); `None` when the trace has none.
    pub case: Option<&'a str>,
    /// The event's `concept:name` (activity).
    pub activity: Option<&'a str>,
    /// The event's `time:timestamp` text, as written (e.g.
    /// `2010-12-30T14:32:00.000+01:00`).
    pub timestamp: Option<&'a str>,
    /// `org:resource`.
    pub resource: Option<&'a str>,
    /// `lifecycle:transition`.
    pub lifecycle: Option<&'a str>,
    /// 0-based index of the event in the file.
    pub index: u64,
    /// Byte offset (in the decompressed XML) where the event's `<event` tag
    /// starts.
    pub position: u64,
}

/// What a read saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XesSummary {
    /// Traces read (direct children of `<log>`).
    pub traces: u64,
    /// Events emitted (events outside any trace are not counted).
    pub events: u64,
    /// Bytes of XML read (after decompression).
    pub bytes: u64,
}

/// Reads an XES log from bytes that may be gzipped (detected by content: the
/// gzip magic 1f 8b), calling `on_event` for every event in file order
/// (events of a trace are emitted when the trace ends, in their file order).
///
/// `source` names the input in error messages (a file name, say). An error
/// returned by `on_event` stops the read and is returned as is.
///
/// # Errors
///
/// A [`Format`](crate::ErrorKind::Format) error when the input cannot be
/// read, is gzipped but corrupt or truncated (or gzipped while the crate was
/// built without its `gzip` feature), is not well-formed XML, is truncated,
/// or its root element is not `<log>`.
pub fn read_xes<R: Read>(
    input: R,
    source: &str,
    mut on_event: impl FnMut(&XesEvent<'_>) -> Result<(), Error>,
) -> Result<XesSummary, Error> {
    let mut input = input;
    let mut head = [0u8; 2];
    let filled = read_head(&mut input, &mut head).map_err(|err| {
        Error::format(format!(
            "`{source}`: cannot read the input at byte 0: {err}"
        ))
    })?;
    let head = head.get(..filled).unwrap_or_default();
    let input = head.chain(input);
    if head == GZIP_MAGIC {
        #[cfg(feature = "gzip")]
        {
            let gz = flate2::bufread::MultiGzDecoder::new(BufReader::with_capacity(BUFFER, input));
            let mut xml = BufReader::with_capacity(BUFFER, gz);
            return parse(&mut xml, source, true, &mut on_event);
        }
        #[cfg(not(feature = "gzip"))]
        return Err(Error::format(format!(
            "`{source}`: the input is gzipped at byte 0, but this build has no `gzip` support"
        )));
    }
    let mut xml = BufReader::with_capacity(BUFFER, input);
    parse(&mut xml, source, false, &mut on_event)
}

/// An XES log as columns, one entry per event in file order: what
/// `mot.read_xes` in Python turns into a table. Timestamps are read into
/// nanoseconds as the text readers read them ([`TimeReader`]: xs:dateTime,
/// or a time format when one is given); one that is missing or unreadable
/// is `None`, and the unreadable ones are counted, with the first, for the
/// caller to say so (a dashboard counts such rows `invalid-timestamp`).
///
/// ```
/// use mot_core::input::xes::XesColumns;
/// let xes = r#"<log><trace><string key="concept:name" value="c1"/>
///   <event><string key="concept:name" value="a"/><string key="lifecycle:transition" value="complete"/>
///          <date key="time:timestamp" value="1970-01-01T00:00:01.5Z"/></event></trace></log>"#;
/// let c = XesColumns::read(xes.as_bytes(), "log.xes")?;
/// assert_eq!(c.case, [Some("c1".to_string())]);
/// assert_eq!(c.timestamp, [Some(1_500_000_000)]);
/// assert_eq!(c.lifecycle, [Some("complete".to_string())]);
/// # Ok::<(), mot_core::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XesColumns {
    /// `case:concept:name`: the trace's `concept:name`.
    pub case: Vec<Option<String>>,
    /// `concept:name`.
    pub activity: Vec<Option<String>>,
    /// `time:timestamp`, nanoseconds since the epoch.
    pub timestamp: Vec<Option<i64>>,
    /// `org:resource`.
    pub resource: Vec<Option<String>>,
    /// `lifecycle:transition`.
    pub lifecycle: Vec<Option<String>>,
    /// What the read saw.
    pub summary: XesSummary,
    /// `time:timestamp` values that could not be read (each `None` in
    /// `timestamp`).
    pub unreadable_timestamps: u64,
    /// The first of them.
    pub first_unreadable_timestamp: Option<String>,
}

impl XesColumns {
    /// Reads a whole log (see [`read_xes`]).
    ///
    /// # Errors
    ///
    /// As [`read_xes`].
    pub fn read<R: Read>(input: R, source: &str) -> Result<XesColumns, Error> {
        XesColumns::read_with(input, source, None)
    }

    /// [`XesColumns::read`] with the dates in `time_format` (a
    /// strftime-style format, for an export whose dates are not
    /// xs:dateTime), as `--time-format` reads them for a dashboard.
    ///
    /// ```
    /// use mot_core::input::xes::XesColumns;
    /// let xes = r#"<log><trace><string key="concept:name" value="c1"/>
    ///   <event><date key="time:timestamp" value="02/01/1970 00:00"/></event></trace></log>"#;
    /// let c = XesColumns::read(xes.as_bytes(), "log.xes")?;
    /// assert_eq!((c.timestamp[0], c.unreadable_timestamps), (None, 1));
    /// assert_eq!(c.first_unreadable_timestamp.as_deref(), Some("02/01/1970 00:00"));
    /// let c = XesColumns::read_with(xes.as_bytes(), "log.xes", Some("%d/%m/%Y %H:%M"))?;
    /// assert_eq!(c.timestamp[0], Some(86_400_000_000_000));
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`read_xes`]; [`ErrorKind::Config`](crate::ErrorKind::Config)
    /// for a bad format.
    pub fn read_with<R: Read>(
        input: R,
        source: &str,
        time_format: Option<&str>,
    ) -> Result<XesColumns, Error> {
        let time = TimeReader::new(crate::TimeUnit::Seconds, time_format)?;
        let mut c = XesColumns::default();
        let own = |v: Option<&str>| v.map(str::to_string);
        c.summary = read_xes(input, source, |e| {
            c.case.push(own(e.case));
            c.activity.push(own(e.activity));
            let ts = e.timestamp.and_then(|t| {
                let read = time.read(t).ok();
                if read.is_none() {
                    c.unreadable_timestamps += 1;
                    c.first_unreadable_timestamp
                        .get_or_insert_with(|| t.to_string());
                }
                read
            });
            c.timestamp.push(ts);
            c.resource.push(own(e.resource));
            c.lifecycle.push(own(e.lifecycle));
            Ok(())
        })?;
        Ok(c)
    }
}

impl EventTable {
    /// Reads an XES event log (IEEE 1849; gzipped or not, recognised by
    /// its content): each event is a row with the trace's `concept:name` as
    /// the journey, its own `concept:name` as the MOT, `time:timestamp`, and
    /// `org:resource` as the producer. XES has no success flag: every
    /// success figure is then `null`. Rows are read by the same rules as
    /// CSV fields; positions in messages are event indices.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Format`](crate::ErrorKind::Format) for XML that is not
    /// well formed (with its byte position) or a corrupt gzip stream; with
    /// [`BadRows::Fail`](crate::BadRows::Fail), [`ErrorKind::BadRow`](crate::ErrorKind::BadRow)
    /// for the first event that cannot be read.
    ///
    /// ```
    /// use mot_core::csv::EventTable;
    /// use mot_core::events::ReadOptions;
    /// let xes = r#"<log><trace><string key="concept:name" value="c1"/>
    ///   <event><string key="concept:name" value="register"/>
    ///          <date key="time:timestamp" value="2010-12-30T14:32:00.000+01:00"/></event>
    /// </trace></log>"#;
    /// let t = EventTable::read_xes(xes.as_bytes(), "log.xes", &ReadOptions::default())?;
    /// assert_eq!(t.len(), 1);
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    pub fn read_xes<R: Read>(
        input: R,
        source: &str,
        options: &ReadOptions,
    ) -> Result<EventTable, Error> {
        // XES dates are xs:dateTime (RFC 3339); a time format, when given,
        // reads an export whose dates are not (`11/10/2011 11:45`).
        let layout = Layout {
            producer: true,
            ..Layout::default()
        };
        let mut table = EventTable::new(source, options, layout)?;
        let bad_rows = options.bad_rows;
        crate::input::xes::read_xes(input, source, |e| {
            let fields = EventFields {
                journey: e.case.unwrap_or(""),
                mot: e.activity.unwrap_or(""),
                timestamp: e.timestamp.unwrap_or(""),
                success: None,
                cost: None,
                value: None,
                producer: Some(e.resource.unwrap_or("")),
            };
            table.push(e.index, e.index, &fields, bad_rows)
        })?;
        Ok(table)
    }

    /// Reads interactions as XES ([`EventTable::read_xes`]) when the input
    /// looks like XML or gzip, else as CSV ([`EventTable::read`]): what the
    /// `mot` command does with `--events`.
    ///
    /// # Errors
    ///
    /// As [`EventTable::read`] or [`EventTable::read_xes`].
    pub fn read_any<R: Read>(
        input: R,
        source: &str,
        options: &ReadOptions,
    ) -> Result<EventTable, Error> {
        use std::io::BufRead;
        let mut input = std::io::BufReader::with_capacity(1 << 16, input);
        let head = input
            .fill_buf()
            .map_err(|e| Error::format(format!("cannot read `{source}`: {e}")))?;
        if looks_like_xes(head) {
            EventTable::read_xes(input, source, options)
        } else {
            EventTable::read(input, source, options)
        }
    }
}

/// Whether the start of an input is XML (XES) or gzip rather than CSV:
/// the gzip magic bytes, or `<` as the first character after white space
/// and a byte-order mark.
fn looks_like_xes(head: &[u8]) -> bool {
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    head.starts_with(&[0x1F, 0x8B]) || head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// The first two bytes of every gzip member.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Size of the read buffers (raw and decompressed).
const BUFFER: usize = 64 * 1024;

/// Reads up to `head.len()` bytes, fewer only at the end of the input.
fn read_head(input: &mut impl Read, head: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = head.get_mut(filled..) {
        if rest.is_empty() {
            break;
        }
        match input.read(rest) {
            Ok(0) => break,
            Ok(n) => filled = filled.saturating_add(n).min(head.len()),
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// The UTF-8 byte order mark.
const BOM: [u8; 3] = [0xef, 0xbb, 0xbf];

/// What [`skip_bom`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bom {
    /// No byte order mark; nothing consumed.
    Absent,
    /// A byte order mark, consumed.
    Skipped,
    /// Its first bytes, then others or the end: not UTF-8 (consumed).
    Partial,
}

/// Consumes a byte order mark at the start of `xml`, however the reads
/// split it.
fn skip_bom(xml: &mut dyn BufRead) -> std::io::Result<Bom> {
    let mut matched = 0;
    while let Some(want) = BOM.get(matched..).filter(|want| !want.is_empty()) {
        let available = loop {
            match xml.fill_buf() {
                Ok(available) => break available,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        };
        let n = available.len().min(want.len());
        if n == 0 || available.get(..n) != want.get(..n) {
            break;
        }
        xml.consume(n);
        matched += n;
    }
    Ok(match matched {
        0 => Bom::Absent,
        n if n == BOM.len() => Bom::Skipped,
        _ => Bom::Partial,
    })
}

/// Where the parser is: which element's direct children it is reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// Before the root element.
    Prolog,
    /// In `<log>`.
    Log,
    /// In a `<trace>`.
    Trace,
    /// In an `<event>` of a trace.
    Event,
    /// After `</log>`.
    Epilog,
}

/// The fields of an event, as indices into [`BufferedEvent::fields`].
const ACTIVITY: usize = 0;
const TIMESTAMP: usize = 1;
const RESOURCE: usize = 2;
const LIFECYCLE: usize = 3;

/// A byte range of [`Parser::text`].
type Span = (usize, usize);

/// An event of the open trace, its values in the trace's text arena.
#[derive(Clone, Copy, Debug)]
struct BufferedEvent {
    position: u64,
    fields: [Option<Span>; 4],
}

/// The state of one read: where it is, and the open trace.
struct Parser<'s, 'f> {
    source: &'s str,
    on_event: &'f mut dyn FnMut(&XesEvent<'_>) -> Result<(), Error>,
    place: Place,
    /// How many elements deep inside a skipped element (0: not skipping).
    skip: u64,
    version: XmlVersion,
    /// Every value of the open trace, one after the other.
    text: String,
    case: Option<Span>,
    events: Vec<BufferedEvent>,
    summary: XesSummary,
}

/// Reads the XML; one non-generic body whatever the input type.
fn parse(
    xml: &mut dyn BufRead,
    source: &str,
    gzip: bool,
    on_event: &mut dyn FnMut(&XesEvent<'_>) -> Result<(), Error>,
) -> Result<XesSummary, Error> {
    let read_error = |at: u64, err: &dyn std::fmt::Display| {
        Error::format(if gzip {
            format!(
                "`{source}`: cannot decompress the gzip input after byte {at} of the XML: {err}"
            )
        } else {
            format!("`{source}`: cannot read the input at byte {at}: {err}")
        })
    };
    // quick-xml drops a byte order mark without counting it, and only when
    // one read shows all of it: drop it here, and count it.
    let base = match skip_bom(xml) {
        Ok(Bom::Absent) => 0,
        Ok(Bom::Skipped) => BOM.len() as u64,
        Ok(Bom::Partial) => {
            return Err(Error::format(format!(
                "`{source}`: malformed XML at byte 0: not UTF-8"
            )));
        }
        Err(err) => return Err(read_error(0, &err)),
    };
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
    config.trim_text(false);
    let mut parser = Parser {
        source,
        on_event,
        place: Place::Prolog,
        skip: 0,
        version: XmlVersion::Implicit1_0,
        text: String::new(),
        case: None,
        events: Vec::new(),
        summary: XesSummary::default(),
    };
    let mut buf = Vec::with_capacity(1024);
    loop {
        // With untrimmed text, an element's `<` is where the last event ended.
        let at = base + reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(quick_xml::Error::Io(err)) => {
                return Err(read_error(base + reader.buffer_position(), &err));
            }
            Err(err) => return Err(parser.malformed(base + reader.error_position(), &err)),
        };
        match event {
            Event::Start(start) => parser.start(&start, at)?,
            Event::Empty(start) => {
                parser.start(&start, at)?;
                parser.end(at)?;
            }
            Event::End(_) => parser.end(at)?,
            Event::Text(text) => {
                if parser.outside_root() && !text.iter().all(u8::is_ascii_whitespace) {
                    return Err(parser.malformed(at, "text outside the root element"));
                }
            }
            Event::CData(_) | Event::GeneralRef(_) => {
                if parser.outside_root() {
                    return Err(parser.malformed(at, "text outside the root element"));
                }
            }
            Event::Decl(decl) => {
                parser.version = decl.xml_version().unwrap_or(XmlVersion::Implicit1_0);
            }
            Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
        buf.clear();
    }
    let at = base + reader.buffer_position();
    match parser.place {
        Place::Epilog => {
            parser.summary.bytes = at;
            Ok(parser.summary)
        }
        Place::Prolog => Err(Error::format(format!(
            "`{source}`: not an XES log at byte {at}: the input ends before a `<log>` element"
        ))),
        Place::Log | Place::Trace | Place::Event => {
            let open = match parser.place {
                Place::Log => "log",
                Place::Trace => "trace",
                _ => "event",
            };
            Err(Error::format(format!(
                "`{source}`: truncated XML at byte {at}: the input ends inside `<{open}>`"
            )))
        }
    }
}

impl Parser<'_, '_> {
    fn outside_root(&self) -> bool {
        matches!(self.place, Place::Prolog | Place::Epilog)
    }

    fn malformed(&self, at: u64, why: impl std::fmt::Display) -> Error {
        Error::format(format!(
            "`{}`: malformed XML at byte {at}: {why}",
            self.source
        ))
    }

    /// An element opens (`at` is where its `<` is).
    fn start(&mut self, start: &BytesStart<'_>, at: u64) -> Result<(), Error> {
        if self.skip > 0 {
            self.skip += 1;
            return Ok(());
        }
        let name = start.local_name();
        let name = name.as_ref();
        match self.place {
            Place::Prolog => {
                if name != b"log" {
                    return Err(Error::format(format!(
                        "`{}`: not an XES log at byte {at}: the root element is `<{}>`, not `<log>`",
                        self.source,
                        String::from_utf8_lossy(name)
                    )));
                }
                self.place = Place::Log;
            }
            Place::Log => {
                if name == b"trace" {
                    self.place = Place::Trace;
                } else {
                    // Log attributes, `<global>`, `<extension>`,
                    // `<classifier>`, events outside a trace, the unknown.
                    self.skip = 1;
                }
            }
            Place::Trace => {
                if name == b"event" {
                    self.place = Place::Event;
                    self.events.push(BufferedEvent {
                        position: at,
                        fields: [None; 4],
                    });
                } else {
                    if is_attribute(name) {
                        if let Some((ACTIVITY, span)) = self.attribute(start, at)? {
                            self.case = Some(span);
                        }
                    }
                    self.skip = 1;
                }
            }
            Place::Event => {
                if is_attribute(name) {
                    if let Some((field, span)) = self.attribute(start, at)? {
                        if let Some(slot) = self
                            .events
                            .last_mut()
                            .and_then(|event| event.fields.get_mut(field))
                        {
                            *slot = Some(span);
                        }
                    }
                }
                self.skip = 1;
            }
            Place::Epilog => {
                return Err(self.malformed(at, "an element after the root element"));
            }
        }
        Ok(())
    }

    /// The innermost open element closes.
    fn end(&mut self, at: u64) -> Result<(), Error> {
        if self.skip > 0 {
            self.skip -= 1;
            return Ok(());
        }
        match self.place {
            Place::Event => self.place = Place::Trace,
            Place::Trace => {
                self.place = Place::Log;
                self.flush_trace()?;
            }
            Place::Log => self.place = Place::Epilog,
            // quick-xml reports an end tag without a start tag first.
            Place::Prolog | Place::Epilog => {
                return Err(self.malformed(at, "an end tag without a start tag"));
            }
        }
        Ok(())
    }

    /// Reads the `key` and `value` of an attribute element; when the key is
    /// one of the four fields, stores the value in the arena and returns the
    /// field and the value's span.
    fn attribute(
        &mut self,
        start: &BytesStart<'_>,
        at: u64,
    ) -> Result<Option<(usize, Span)>, Error> {
        let mut field = None;
        let mut value: Option<Attribute<'_>> = None;
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|err| self.malformed(at, err))?;
            match attribute.key.local_name().as_ref() {
                b"key" => {
                    field = if attribute.value.contains(&b'&') {
                        let key = attribute
                            .normalized_value(self.version)
                            .map_err(|err| self.malformed(at, err))?;
                        field_of(key.as_bytes())
                    } else {
                        // No reference: the raw key is the key (the four
                        // wanted keys have no whitespace to normalise).
                        field_of(&attribute.value)
                    };
                }
                b"value" => value = Some(attribute),
                _ => {}
            }
        }
        let (Some(field), Some(value)) = (field, value) else {
            return Ok(None);
        };
        let value = value
            .normalized_value(self.version)
            .map_err(|err| self.malformed(at, err))?;
        let from = self.text.len();
        self.text.push_str(&value);
        Ok(Some((field, (from, self.text.len()))))
    }

    /// `</trace>`: emits the trace's events and forgets them.
    fn flush_trace(&mut self) -> Result<(), Error> {
        self.summary.traces += 1;
        let text = self.text.as_str();
        let value = |span: Option<Span>| span.and_then(|(from, to)| text.get(from..to));
        let case = value(self.case);
        for event in &self.events {
            let [activity, timestamp, resource, lifecycle] = event.fields;
            (self.on_event)(&XesEvent {
                case,
                activity: value(activity),
                timestamp: value(timestamp),
                resource: value(resource),
                lifecycle: value(lifecycle),
                index: self.summary.events,
                position: event.position,
            })?;
            self.summary.events += 1;
        }
        self.text.clear();
        self.events.clear();
        self.case = None;
        Ok(())
    }
}

/// Whether an element is an XES attribute with a `value` we may read.
fn is_attribute(name: &[u8]) -> bool {
    matches!(
        name,
        b"string" | b"date" | b"int" | b"float" | b"boolean" | b"id"
    )
}

/// The field an attribute key fills, if any.
fn field_of(key: &[u8]) -> Option<usize> {
    match key {
        b"concept:name" => Some(ACTIVITY),
        b"time:timestamp" => Some(TIMESTAMP),
        b"org:resource" => Some(RESOURCE),
        b"lifecycle:transition" => Some(LIFECYCLE),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
