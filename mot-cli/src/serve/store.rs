//! Durability: an append-only write-ahead log with checksums, and
//! snapshots of the tracker.
//!
//! Why our own log rather than SQLite or redb: what the service stores is a
//! sequence of opaque batches that are only ever appended, read back in
//! order at start-up and dropped wholesale after a snapshot. A file of
//! checksummed frames does exactly that with one `write` and one `fdatasync`
//! per group of batches (group commit), and no second copy of each batch in
//! a B-tree. The price — torn tails, corruption, compaction — is handled
//! here and tested.
//!
//! The data directory holds:
//! - `wal-{first seq}.log`: segments of records. A frame is the payload's
//!   length (`u32`, little-endian), its CRC-32 (`u32`), then the payload:
//!   sequence number (`u64`), kind (`u8`), idempotency key (`u16` length,
//!   bytes), and the kind's data. A frame that is cut short or whose
//!   checksum fails at the end of the last segment is a write a crash
//!   interrupted — never acknowledged — and is cut off.
//! - `snapshot-{seq}.tmp` → `snapshot-{seq}.bin`: everything up to record
//!   `seq`: the experience and settings in force, the idempotency keys, and
//!   the tracker's state bytes, with a CRC-32 over all of it. Written to a
//!   temporary file, synced, renamed, and the directory synced.
//!
//! The two newest snapshots are kept, and the log back to the older of
//! them: a snapshot found corrupt at start-up is replaced by the previous
//! one and the longer log, and nothing is lost.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// How a batch's body is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyFormat {
    /// CSV text with a header row.
    Csv = 1,
    /// NDJSON, or a JSON array of objects.
    Json = 2,
}

impl BodyFormat {
    fn from_u8(b: u8) -> Option<BodyFormat> {
        match b {
            1 => Some(BodyFormat::Csv),
            2 => Some(BodyFormat::Json),
            _ => None,
        }
    }
}

/// What one record does to the state.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Op {
    /// The first record of a data directory: the experience (JSON) and the
    /// settings (JSON) the service measures with.
    Start {
        experience: String,
        settings: String,
    },
    /// A batch of interactions.
    Interactions { format: BodyFormat, body: Vec<u8> },
    /// A batch of journey outcomes.
    Outcomes { format: BodyFormat, body: Vec<u8> },
    /// Close journeys inactive at `now` (seconds since the epoch).
    Expire { now: i64 },
    /// A new version of the experience (JSON).
    Experience { json: String },
}

/// One record of the log.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Record {
    pub(crate) seq: u64,
    pub(crate) key: Option<String>,
    pub(crate) op: Op,
}

impl Record {
    fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&[0; 8]); // length and checksum, set below
        out.extend_from_slice(&self.seq.to_le_bytes());
        let kind = match &self.op {
            Op::Start { .. } => 0,
            Op::Interactions { .. } => 1,
            Op::Outcomes { .. } => 2,
            Op::Expire { .. } => 3,
            Op::Experience { .. } => 4,
        };
        out.push(kind);
        let key = self.key.as_deref().unwrap_or("").as_bytes();
        out.extend_from_slice(&(key.len() as u16).to_le_bytes());
        out.extend_from_slice(key);
        match &self.op {
            Op::Start {
                experience,
                settings,
            } => {
                out.extend_from_slice(&(experience.len() as u64).to_le_bytes());
                out.extend_from_slice(experience.as_bytes());
                out.extend_from_slice(settings.as_bytes());
            }
            Op::Interactions { format, body } | Op::Outcomes { format, body } => {
                out.push(*format as u8);
                out.extend_from_slice(body);
            }
            Op::Expire { now } => out.extend_from_slice(&now.to_le_bytes()),
            Op::Experience { json } => out.extend_from_slice(json.as_bytes()),
        }
        let payload = &out[start + 8..];
        let len = payload.len() as u32;
        let crc = crc32fast::hash(payload);
        out[start..start + 4].copy_from_slice(&len.to_le_bytes());
        out[start + 4..start + 8].copy_from_slice(&crc.to_le_bytes());
    }

    fn decode(payload: &[u8]) -> Option<Record> {
        let seq = u64::from_le_bytes(payload.get(0..8)?.try_into().ok()?);
        let kind = *payload.get(8)?;
        let klen = u16::from_le_bytes(payload.get(9..11)?.try_into().ok()?) as usize;
        let key = std::str::from_utf8(payload.get(11..11 + klen)?).ok()?;
        let key = (!key.is_empty()).then(|| key.to_string());
        let data = payload.get(11 + klen..)?;
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).ok();
        let op = match kind {
            0 => {
                let n = u64::from_le_bytes(data.get(0..8)?.try_into().ok()?) as usize;
                let x = data.get(8..8usize.checked_add(n)?)?;
                Op::Start {
                    experience: text(x)?,
                    settings: text(data.get(8 + n..)?)?,
                }
            }
            1 | 2 => {
                let format = BodyFormat::from_u8(*data.first()?)?;
                let body = data[1..].to_vec();
                if kind == 1 {
                    Op::Interactions { format, body }
                } else {
                    Op::Outcomes { format, body }
                }
            }
            3 => Op::Expire {
                now: i64::from_le_bytes(data.try_into().ok()?),
            },
            4 => Op::Experience { json: text(data)? },
            _ => return None,
        };
        Some(Record { seq, key, op })
    }
}

/// An idempotency key remembered: the batch's hash and the answer given.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Remembered {
    pub(crate) key: String,
    pub(crate) hash: u64,
    pub(crate) answer: String,
}

/// What a snapshot holds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Snapshot {
    /// The last record it includes.
    pub(crate) seq: u64,
    pub(crate) experience: String,
    pub(crate) settings: String,
    /// Oldest first.
    pub(crate) keys: Vec<Remembered>,
    pub(crate) state: Vec<u8>,
}

const SNAPSHOT_MAGIC: &[u8; 8] = b"MOTSNAP1";

impl Snapshot {
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.state.len() + 4096);
        out.extend_from_slice(SNAPSHOT_MAGIC);
        let put = |out: &mut Vec<u8>, b: &[u8]| {
            out.extend_from_slice(&(b.len() as u64).to_le_bytes());
            out.extend_from_slice(b);
        };
        out.extend_from_slice(&self.seq.to_le_bytes());
        put(&mut out, self.experience.as_bytes());
        put(&mut out, self.settings.as_bytes());
        out.extend_from_slice(&(self.keys.len() as u64).to_le_bytes());
        for k in &self.keys {
            put(&mut out, k.key.as_bytes());
            out.extend_from_slice(&k.hash.to_le_bytes());
            put(&mut out, k.answer.as_bytes());
        }
        put(&mut out, &self.state);
        let crc = crc32fast::hash(&out[SNAPSHOT_MAGIC.len()..]);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    fn decode(bytes: &[u8]) -> Result<Snapshot, String> {
        let body = bytes
            .strip_prefix(SNAPSHOT_MAGIC.as_slice())
            .ok_or("not a snapshot (bad magic bytes)")?;
        let (body, crc) = body
            .split_last_chunk::<4>()
            .ok_or("truncated: no checksum")?;
        if crc32fast::hash(body) != u32::from_le_bytes(*crc) {
            return Err("truncated or corrupt: the checksum does not match".into());
        }
        let mut r = Reader(body);
        let seq = r.u64()?;
        let experience = r.text()?;
        let settings = r.text()?;
        let n = r.u64()?;
        let mut keys = Vec::new();
        for _ in 0..n {
            let key = r.text()?;
            let hash = r.u64()?;
            let answer = r.text()?;
            keys.push(Remembered { key, hash, answer });
        }
        let state = r.bytes()?.to_vec();
        Ok(Snapshot {
            seq,
            experience,
            settings,
            keys,
            state,
        })
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.0.len() {
            return Err("truncated".into());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u64(&mut self) -> Result<u64, String> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().map_err(|_| "truncated")?))
    }
    fn bytes(&mut self) -> Result<&'a [u8], String> {
        let n = usize::try_from(self.u64()?).map_err(|_| "corrupt length")?;
        self.take(n)
    }
    fn text(&mut self) -> Result<String, String> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| "corrupt text".into())
    }
}

/// What start-up found: losses and repairs, for the log and `/metrics`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Recovery {
    /// The snapshot loaded (its sequence number), if any.
    pub(crate) snapshot: Option<u64>,
    /// Records replayed from the log.
    pub(crate) replayed: u64,
    /// Bytes cut off the end of the log: a write a crash interrupted,
    /// never acknowledged.
    pub(crate) torn_bytes: u64,
    /// Records known lost (corruption inside the log, or a gap).
    pub(crate) lost_records: u64,
    /// Snapshots skipped because they were corrupt.
    pub(crate) bad_snapshots: u64,
    /// What happened, in words.
    pub(crate) notes: Vec<String>,
}

/// The log, open for appending.
#[derive(Debug)]
pub(crate) struct Store {
    dir: PathBuf,
    fsync: bool,
    file: File,
    /// The next record's sequence number.
    next_seq: u64,
    /// Bytes written and not yet synced.
    pending: bool,
    buf: Vec<u8>,
    /// Bytes of every segment.
    pub(crate) wal_bytes: u64,
    /// Bytes of the newest snapshot.
    pub(crate) snapshot_bytes: u64,
    /// Sequence numbers of the snapshots kept, oldest first.
    snapshots: Vec<u64>,
}

fn seq_of(name: &str, prefix: &str, suffix: &str) -> Option<u64> {
    name.strip_prefix(prefix)?
        .strip_suffix(suffix)?
        .parse()
        .ok()
}

fn listed(dir: &Path, prefix: &str, suffix: &str) -> io::Result<Vec<(u64, PathBuf)>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if let Some(seq) = entry
            .file_name()
            .to_str()
            .and_then(|n| seq_of(n, prefix, suffix))
        {
            out.push((seq, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

fn segment_path(dir: &Path, first: u64) -> PathBuf {
    dir.join(format!("wal-{first:020}.log"))
}

fn snapshot_path(dir: &Path, seq: u64) -> PathBuf {
    dir.join(format!("snapshot-{seq:020}.bin"))
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// The newest snapshot that reads back whole, noting those that do not.
pub(crate) fn load_snapshot(dir: &Path, recovery: &mut Recovery) -> io::Result<Option<Snapshot>> {
    fs::create_dir_all(dir)?;
    for (seq, path) in listed(dir, "snapshot-", ".bin")?.into_iter().rev() {
        let mut bytes = Vec::new();
        File::open(&path)?.read_to_end(&mut bytes)?;
        match Snapshot::decode(&bytes) {
            Ok(s) if s.seq == seq => {
                recovery.snapshot = Some(seq);
                return Ok(Some(s));
            }
            Ok(_) | Err(_) => {
                let why = Snapshot::decode(&bytes)
                    .err()
                    .unwrap_or_else(|| "its name and content disagree".into());
                recovery.bad_snapshots += 1;
                recovery.notes.push(format!(
                    "snapshot `{}` skipped: {why}; the previous snapshot and a longer log are used",
                    path.display()
                ));
            }
        }
    }
    Ok(None)
}

impl Store {
    /// Replays every record after `after` (a snapshot's sequence number, 0
    /// without one) through `apply`, repairs a torn tail, and opens the log
    /// for appending.
    pub(crate) fn open(
        dir: &Path,
        fsync: bool,
        after: u64,
        recovery: &mut Recovery,
        mut apply: impl FnMut(Record),
    ) -> io::Result<Store> {
        fs::create_dir_all(dir)?;
        // Leftovers of a snapshot that was being written.
        for (_, path) in listed(dir, "snapshot-", ".tmp")? {
            fs::remove_file(path)?;
        }
        let segments = listed(dir, "wal-", ".log")?;
        let snapshots: Vec<u64> = listed(dir, "snapshot-", ".bin")?
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        let mut expected = after + 1;
        let mut wal_bytes = 0;
        let last = segments.len().checked_sub(1);
        for (i, (_, path)) in segments.iter().enumerate() {
            let next_first = segments.get(i + 1).map(|(f, _)| *f);
            if next_first.is_some_and(|n| n <= expected) {
                // Every record of this segment is in the snapshot.
                wal_bytes += fs::metadata(path)?.len();
                continue;
            }
            let mut bytes = Vec::new();
            File::open(path)?.read_to_end(&mut bytes)?;
            let mut at = 0usize;
            let mut good_end = 0usize;
            while at < bytes.len() {
                let frame = frame_at(&bytes, at);
                let Some((payload, end)) = frame else { break };
                let Some(record) = Record::decode(payload) else {
                    break;
                };
                at = end;
                good_end = end;
                if record.seq < expected {
                    continue;
                }
                if record.seq > expected {
                    recovery.lost_records += record.seq - expected;
                    recovery.notes.push(format!(
                        "records {expected} to {} are missing from the log: lost",
                        record.seq - 1
                    ));
                }
                expected = record.seq + 1;
                recovery.replayed += 1;
                apply(record);
            }
            let bad = bytes.len() - good_end;
            if bad > 0 {
                if Some(i) == last {
                    recovery.torn_bytes += bad as u64;
                    recovery.notes.push(format!(
                        "cut {bad} bytes off the end of `{}`: a write interrupted by a crash, never acknowledged",
                        path.display()
                    ));
                    let f = OpenOptions::new().write(true).open(path)?;
                    f.set_len(good_end as u64)?;
                    f.sync_all()?;
                } else {
                    let lost = next_first.map_or(0, |n| n.saturating_sub(expected));
                    recovery.lost_records += lost;
                    recovery.notes.push(format!(
                        "`{}` is corrupt at byte {good_end}: its {lost} records from {expected} on are lost",
                        path.display()
                    ));
                    expected += lost;
                }
            }
            wal_bytes += good_end as u64;
        }
        let next_seq = expected;
        // Appends go to a new segment: the old ones stay as they were read.
        let path = segment_path(dir, next_seq);
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        sync_dir(dir)?;
        let snapshot_bytes = snapshots
            .last()
            .and_then(|&s| fs::metadata(snapshot_path(dir, s)).ok())
            .map_or(0, |m| m.len());
        Ok(Store {
            dir: dir.to_path_buf(),
            fsync,
            file,
            next_seq,
            pending: false,
            buf: Vec::new(),
            wal_bytes,
            snapshot_bytes,
            snapshots,
        })
    }

    /// The sequence number the next record gets.
    pub(crate) fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Writes a record (not yet synced: see [`Store::sync`]); returns its
    /// sequence number.
    pub(crate) fn append(&mut self, key: Option<String>, op: Op) -> io::Result<u64> {
        let seq = self.next_seq;
        let record = Record { seq, key, op };
        self.buf.clear();
        record.encode(&mut self.buf);
        self.file.write_all(&self.buf)?;
        self.wal_bytes += self.buf.len() as u64;
        self.next_seq += 1;
        self.pending = true;
        Ok(seq)
    }

    /// Makes every record written so far durable (one `fdatasync` for the
    /// group; nothing with `--fsync never`).
    pub(crate) fn sync(&mut self) -> io::Result<()> {
        if self.pending && self.fsync {
            self.file.sync_data()?;
        }
        self.pending = false;
        Ok(())
    }

    /// Writes a snapshot of everything up to the last record, starts a new
    /// segment, and drops what the two newest snapshots make unneeded.
    pub(crate) fn snapshot(&mut self, mut snapshot: Snapshot) -> io::Result<()> {
        self.sync()?;
        let seq = self.next_seq - 1;
        snapshot.seq = seq;
        let bytes = snapshot.encode();
        let tmp = self.dir.join(format!("snapshot-{seq:020}.tmp"));
        {
            let mut f = File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        fs::rename(&tmp, snapshot_path(&self.dir, seq))?;
        // A new segment from the next record on.
        self.file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(segment_path(&self.dir, self.next_seq))?;
        sync_dir(&self.dir)?;
        self.snapshot_bytes = bytes.len() as u64;
        self.snapshots.retain(|&s| s != seq);
        self.snapshots.push(seq);
        while self.snapshots.len() > 2 {
            let old = self.snapshots.remove(0);
            let _ = fs::remove_file(snapshot_path(&self.dir, old));
        }
        // Keep the log back to the older snapshot kept (all of it while
        // there is only one).
        let keep_from = match self.snapshots[..] {
            [older, _] => older + 1,
            _ => 1,
        };
        let segments = listed(&self.dir, "wal-", ".log")?;
        let mut wal_bytes = 0;
        for (i, (_, path)) in segments.iter().enumerate() {
            let next_first = segments.get(i + 1).map(|(f, _)| *f);
            if next_first.is_some_and(|n| n <= keep_from) {
                fs::remove_file(path)?;
            } else {
                wal_bytes += fs::metadata(path).map_or(0, |m| m.len());
            }
        }
        sync_dir(&self.dir)?;
        self.wal_bytes = wal_bytes;
        Ok(())
    }
}

/// The payload of the frame at `at` and the offset after it, when the
/// frame is whole and its checksum matches.
fn frame_at(bytes: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let head = bytes.get(at..at + 8)?;
    let len = u32::from_le_bytes(head[0..4].try_into().ok()?) as usize;
    let crc = u32::from_le_bytes(head[4..8].try_into().ok()?);
    let end = at.checked_add(8)?.checked_add(len)?;
    let payload = bytes.get(at + 8..end)?;
    (crc32fast::hash(payload) == crc).then_some((payload, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mot-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn batch(i: u8) -> Op {
        Op::Interactions {
            format: BodyFormat::Json,
            body: vec![i; 10 + i as usize],
        }
    }

    fn replay(dir: &Path, after: u64) -> (Vec<Record>, Recovery, Store) {
        let mut seen = Vec::new();
        let mut rec = Recovery::default();
        let store = Store::open(dir, true, after, &mut rec, |r| seen.push(r)).unwrap();
        (seen, rec, store)
    }

    #[test]
    fn records_round_trip() {
        for op in [
            Op::Start {
                experience: "{\"x\":1}".into(),
                settings: "{}".into(),
            },
            batch(3),
            Op::Outcomes {
                format: BodyFormat::Csv,
                body: b"journey_id,sco\nj,1\n".to_vec(),
            },
            Op::Expire { now: -5 },
            Op::Experience { json: "{}".into() },
        ] {
            let r = Record {
                seq: 7,
                key: Some("k".into()),
                op,
            };
            let mut buf = Vec::new();
            r.encode(&mut buf);
            let (payload, end) = frame_at(&buf, 0).unwrap();
            assert_eq!(end, buf.len());
            assert_eq!(Record::decode(payload).unwrap(), r);
        }
    }

    #[test]
    fn a_torn_tail_is_cut_and_appends_go_on() {
        let dir = temp("torn");
        let (_, _, mut s) = replay(&dir, 0);
        for i in 0..5 {
            s.append(Some(format!("k{i}")), batch(i)).unwrap();
        }
        s.sync().unwrap();
        drop(s);
        // A crash in the middle of the sixth frame.
        let seg = listed(&dir, "wal-", ".log").unwrap().pop().unwrap().1;
        let full = fs::metadata(&seg).unwrap().len();
        let mut f = OpenOptions::new().append(true).open(&seg).unwrap();
        f.write_all(&[40, 0, 0, 0, 1, 2, 3, 4, 9, 9]).unwrap();
        drop(f);
        let (seen, rec, mut s) = replay(&dir, 0);
        assert_eq!(seen.len(), 5);
        assert_eq!(rec.torn_bytes, 10);
        assert_eq!(fs::metadata(&seg).unwrap().len(), full);
        assert_eq!(s.append(None, batch(9)).unwrap(), 6);
        s.sync().unwrap();
        drop(s);
        let (seen, rec, _) = replay(&dir, 0);
        assert_eq!(
            seen.iter().map(|r| r.seq).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6]
        );
        assert_eq!(rec.torn_bytes, 0);
        // Every truncation of the log loses at most the last record.
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn every_truncation_keeps_the_whole_records_before_it() {
        let dir = temp("cut");
        let (_, _, mut s) = replay(&dir, 0);
        for i in 0..4 {
            s.append(None, batch(i)).unwrap();
        }
        s.sync().unwrap();
        drop(s);
        let seg = listed(&dir, "wal-", ".log").unwrap().pop().unwrap().1;
        let bytes = fs::read(&seg).unwrap();
        let ends: Vec<usize> = {
            let mut at = 0;
            let mut v = vec![0];
            while let Some((_, end)) = frame_at(&bytes, at) {
                v.push(end);
                at = end;
            }
            v
        };
        for cut in 0..=bytes.len() {
            let d = temp(&format!("cut{cut}"));
            fs::create_dir_all(&d).unwrap();
            fs::write(d.join(seg.file_name().unwrap()), &bytes[..cut]).unwrap();
            let (seen, rec, _) = replay(&d, 0);
            let whole = ends.iter().filter(|&&e| e <= cut).count() - 1;
            assert_eq!(seen.len(), whole, "cut at {cut}");
            assert_eq!(rec.torn_bytes as usize, cut - ends[whole]);
            let _ = fs::remove_dir_all(&d);
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn snapshots_compact_the_log_and_a_corrupt_one_falls_back() {
        let dir = temp("snap");
        let (_, _, mut s) = replay(&dir, 0);
        let snap = |seq: u64| Snapshot {
            seq,
            experience: "x".into(),
            settings: "s".into(),
            keys: vec![Remembered {
                key: "k".into(),
                hash: 3,
                answer: "{}".into(),
            }],
            state: vec![1, 2, 3],
        };
        for round in 0..3u8 {
            for i in 0..3 {
                s.append(None, batch(round * 3 + i)).unwrap();
            }
            s.snapshot(snap(0)).unwrap();
        }
        s.append(None, batch(20)).unwrap();
        s.sync().unwrap();
        drop(s);
        let snaps = listed(&dir, "snapshot-", ".bin").unwrap();
        assert_eq!(snaps.iter().map(|s| s.0).collect::<Vec<_>>(), [6, 9]);
        // Segments from record 7 on are kept (the older snapshot is 6).
        let firsts: Vec<u64> = listed(&dir, "wal-", ".log")
            .unwrap()
            .into_iter()
            .map(|s| s.0)
            .collect();
        assert_eq!(firsts, [7, 10]);
        let mut rec = Recovery::default();
        let newest = load_snapshot(&dir, &mut rec).unwrap().unwrap();
        assert_eq!((newest.seq, &newest.keys[0].key[..]), (9, "k"));
        let (seen, _, _) = replay(&dir, 9);
        assert_eq!(seen.iter().map(|r| r.seq).collect::<Vec<_>>(), [10]);
        // Truncate the newest snapshot: the older one and the log make up
        // for it.
        let newest_path = snapshot_path(&dir, 9);
        let len = fs::metadata(&newest_path).unwrap().len();
        OpenOptions::new()
            .write(true)
            .open(&newest_path)
            .unwrap()
            .set_len(len - 3)
            .unwrap();
        let mut rec = Recovery::default();
        let older = load_snapshot(&dir, &mut rec).unwrap().unwrap();
        assert_eq!((older.seq, rec.bad_snapshots), (6, 1));
        let (seen, rec, _) = replay(&dir, 6);
        assert_eq!(
            seen.iter().map(|r| r.seq).collect::<Vec<_>>(),
            [7, 8, 9, 10]
        );
        assert_eq!(rec.lost_records, 0);
        let _ = fs::remove_dir_all(&dir);
    }
}
