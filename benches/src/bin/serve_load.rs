//! The load generator for `mot serve`, on loopback: it starts the server
//! itself (a fresh data directory each time), sends the load, and stops it.
//!
//! ```text
//! cargo build --release -p mot-cli -p mot-benches
//! target/release/serve_load ingest  [--bin target/release/mot] [--rows 2000000] [--batch 5000] [--connections 4] [--fsync always|never]
//! target/release/serve_load latency [--bin …] [--rate 1000] [--batch 100] [--seconds 10] [--connections 32]
//! target/release/serve_load restart [--bin …] [--journeys 1000000]
//! ```
//!
//! - `ingest`: W1's interactions as NDJSON batches of `--batch` rows, sent
//!   back to back over `--connections` keep-alive connections; prints
//!   interactions per second (acknowledged, so durable).
//! - `latency`: batches of `--batch` rows at `--rate` batches a second for
//!   `--seconds`, open loop (each batch has a scheduled time; its latency
//!   runs from that time, so a slow answer delays no measurement); prints
//!   p50, p99, p99.9 and the maximum.
//! - `restart`: the whole W1 log (`--journeys` journeys, ~9.5 interactions
//!   each) and its outcomes, then a stop (SIGTERM: snapshot) and a start —
//!   the time until the server listens — then 200,000 more interactions, a
//!   SIGKILL and a start that replays them from the log.
//!
//! Every request loop is bounded in count and time, and only 127.0.0.1 is
//! spoken to.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mot_benches::arg;
use mot_core::simulate::{Log, w1};

const TOKEN: &str = "bench-0123456789abcdef0123456789";

struct Server {
    child: Child,
    dir: PathBuf,
    /// The server's own "ready in N ms".
    ready_ms: u64,
    /// From spawn to the listening line.
    started: Duration,
}

fn start(bin: &Path, dir: &Path, port: u16, fsync: &str) -> Server {
    let t = Instant::now();
    let mut child = Command::new(bin)
        .args(["serve", "--experience"])
        .arg(dir.join("experience.json"))
        .arg("--data")
        .arg(dir.join("data"))
        .arg("--tokens")
        .arg(dir.join("tokens"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--fsync", fsync])
        .args(["--rate-limit", "0", "--snapshot-every", "100000"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the mot binary (--bin)");
    let mut lines = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let mut ready_ms = 0;
    loop {
        line.clear();
        if lines.read_line(&mut line).unwrap() == 0 {
            panic!("the server stopped before listening");
        }
        if let Some(i) = line.find("ready in ") {
            ready_ms = line[i + 9..]
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
        if line.contains("listening on") {
            break;
        }
        eprint!("  server: {line}");
    }
    let started = t.elapsed();
    // Keep draining the server's messages.
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = lines.read_to_string(&mut rest);
    });
    Server {
        child,
        dir: dir.to_path_buf(),
        ready_ms,
        started,
    }
}

impl Server {
    fn stop(&mut self) -> Duration {
        let t = Instant::now();
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().unwrap();
        t.elapsed()
    }
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn setup(log: &Log) -> (PathBuf, u16) {
    let dir = std::env::temp_dir().join(format!("mot-serve-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tokens"), format!("{TOKEN} ingest,read,admin\n")).unwrap();
    // The airline sample with W1's 40 MOTs in place of its own (targets
    // of 50%: every MOT has a detector).
    let mut spec = mot_core::sample::airline().spec().clone();
    let template = spec.mots[0].clone();
    spec.id = "w1".into();
    spec.mots = log
        .mot_ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let mut m = template.clone();
            m.id = mot_core::MotId::new(id.as_str());
            m.name = id.clone();
            m.parent = None;
            m.position = Some(i as u32 + 1);
            m.design = None;
            m.smoto.target_rate = Some(0.5);
            m
        })
        .collect();
    spec.ideas.clear();
    spec.landscape.work.clear();
    std::fs::write(dir.join("experience.json"), spec.to_json()).unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    (dir, port)
}

/// Rows `range` of the log as NDJSON.
fn ndjson(log: &Log, range: std::ops::Range<usize>) -> Vec<u8> {
    let mut out = Vec::with_capacity(range.len() * 80);
    for i in range {
        writeln!(
            out,
            r#"{{"journey_id":{},"mot_id":"{}","timestamp":{},"success":{}}}"#,
            log.journey[i], log.mot_ids[log.mot[i] as usize], log.timestamp[i], log.success[i]
        )
        .unwrap();
    }
    out
}

/// A keep-alive HTTP/1.1 connection.
struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    fn open(port: u16) -> Conn {
        let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        Conn {
            reader: BufReader::new(s.try_clone().unwrap()),
            writer: s,
        }
    }

    /// Sends a request, returns the status and the body.
    fn send(&mut self, method: &str, path: &str, content_type: &str, body: &[u8]) -> (u16, String) {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        self.writer.write_all(head.as_bytes()).unwrap();
        self.writer.write_all(body).unwrap();
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }
}

/// Sends every batch over `connections` connections, back to back;
/// returns the interactions acknowledged and the seconds it took.
fn blast(port: u16, batches: Vec<Vec<u8>>, connections: usize) -> (u64, f64) {
    let queue = Arc::new(Mutex::new(batches));
    let t = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let queue = queue.clone();
            std::thread::spawn(move || {
                let mut conn = Conn::open(port);
                let mut accepted = 0u64;
                loop {
                    let Some(body) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let (status, answer) =
                        conn.send("POST", "/v1/interactions", "application/x-ndjson", &body);
                    assert_eq!(status, 200, "{answer}");
                    let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
                    accepted += v["accepted"].as_u64().unwrap();
                }
                accepted
            })
        })
        .collect();
    let accepted = workers.into_iter().map(|w| w.join().unwrap()).sum();
    (accepted, t.elapsed().as_secs_f64())
}

fn ingest(args: &[String], bin: &Path) {
    let rows: usize = arg(args, "--rows", 2_000_000);
    let batch: usize = arg(args, "--batch", 5_000);
    let connections: usize = arg(args, "--connections", 4);
    let fsync: String = arg(args, "--fsync", "always".to_string());
    let log = w1(rows / 9 + 1, 42).generate();
    let rows = rows.min(log.len());
    let batches: Vec<Vec<u8>> = (0..rows)
        .step_by(batch)
        .map(|s| ndjson(&log, s..(s + batch).min(rows)))
        .rev()
        .collect();
    let bytes: usize = batches.iter().map(Vec::len).sum();
    let (dir, port) = setup(&log);
    let mut server = start(bin, &dir, port, &fsync);
    let (accepted, secs) = blast(port, batches, connections);
    server.stop();
    let _ = std::fs::remove_dir_all(&server.dir);
    println!(
        "{}",
        serde_json::json!({
            "bench": "ingest",
            "fsync": fsync,
            "batch_rows": batch,
            "connections": connections,
            "interactions": accepted,
            "body_mib": bytes as f64 / (1 << 20) as f64,
            "seconds": secs,
            "interactions_per_second": accepted as f64 / secs,
        })
    );
}

fn latency(args: &[String], bin: &Path) {
    let rate: f64 = arg(args, "--rate", 1_000.0);
    let batch: usize = arg(args, "--batch", 100);
    let seconds: f64 = arg(args, "--seconds", 10.0);
    let connections: usize = arg(args, "--connections", 32);
    let fsync: String = arg(args, "--fsync", "always".to_string());
    let total = (rate * seconds) as usize;
    let log = w1(total * batch / 9 + 10, 7).generate();
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..total)
            .map(|b| ndjson(&log, b * batch..((b + 1) * batch).min(log.len())))
            .collect(),
    );
    let (dir, port) = setup(&log);
    let mut server = start(bin, &dir, port, &fsync);
    let t0 = Instant::now() + Duration::from_millis(200);
    let interval = Duration::from_secs_f64(1.0 / rate);
    // Batch b is due at t0 + b·interval; connection c sends b ≡ c (mod C).
    let workers: Vec<_> = (0..connections)
        .map(|c| {
            let bodies = bodies.clone();
            std::thread::spawn(move || {
                let mut conn = Conn::open(port);
                let mut lat = Vec::new();
                for b in (c..bodies.len()).step_by(connections) {
                    let due = t0 + interval * b as u32;
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    let (status, answer) = conn.send(
                        "POST",
                        "/v1/interactions",
                        "application/x-ndjson",
                        &bodies[b],
                    );
                    assert_eq!(status, 200, "{answer}");
                    lat.push(Instant::now().duration_since(due).as_secs_f64() * 1e3);
                }
                lat
            })
        })
        .collect();
    let mut lat: Vec<f64> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let took = t0.elapsed().as_secs_f64();
    server.stop();
    let _ = std::fs::remove_dir_all(&server.dir);
    lat.sort_by(f64::total_cmp);
    let q = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "{}",
        serde_json::json!({
            "bench": "latency",
            "fsync": fsync,
            "batch_rows": batch,
            "batches_per_second_offered": rate,
            "batches_per_second_achieved": lat.len() as f64 / took,
            "batches": lat.len(),
            "p50_ms": q(0.5),
            "p99_ms": q(0.99),
            "p999_ms": q(0.999),
            "max_ms": lat.last(),
        })
    );
}

fn restart(args: &[String], bin: &Path) {
    let journeys: usize = arg(args, "--journeys", 1_000_000);
    let batch: usize = arg(args, "--batch", 50_000);
    let log = w1(journeys, 42).generate();
    let (dir, port) = setup(&log);
    let mut server = start(bin, &dir, port, "always");
    let n = log.len();
    let batches: Vec<Vec<u8>> = (0..n)
        .step_by(batch)
        .map(|s| ndjson(&log, s..(s + batch).min(n)))
        .rev()
        .collect();
    // In order (one connection): a journey's rows come before its outcome.
    let (accepted, secs) = blast(port, batches, 1);
    let mut outcomes = String::from("journey_id,sco,value\n");
    for i in 0..log.outcome_journey.len() {
        outcomes.push_str(&format!(
            "{},{},{}\n",
            log.outcome_journey[i], log.outcome_sco[i], log.outcome_value[i]
        ));
    }
    let (status, answer) =
        Conn::open(port).send("POST", "/v1/outcomes", "text/csv", outcomes.as_bytes());
    assert_eq!(status, 200, "{answer}");
    let stop = server.stop();
    let snapshot_bytes: u64 = std::fs::read_dir(dir.join("data"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "bin"))
        .map(|e| e.metadata().unwrap().len())
        .max()
        .unwrap_or(0);
    let mut server = start(bin, &dir, port, "always");
    let warm = (server.started, server.ready_ms);
    let (status, d) = Conn::open(port).send("GET", "/v1/dashboard", "application/json", b"");
    assert_eq!(status, 200);
    let d: serde_json::Value = serde_json::from_str(&d).unwrap();
    assert_eq!(d["amount"]["interactions"].as_u64(), Some(accepted));
    // 200,000 more interactions in the log only, then a crash.
    let extra = w1(21_000, 99).generate();
    let more: Vec<Vec<u8>> = (0..200_000.min(extra.len()))
        .step_by(5_000)
        .map(|s| ndjson(&extra, s..(s + 5_000).min(extra.len())))
        .collect();
    blast(port, more, 2);
    server.kill();
    let server2 = start(bin, &dir, port, "always");
    let cold = (server2.started, server2.ready_ms);
    let mut server2 = server2;
    server2.stop();
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "{}",
        serde_json::json!({
            "bench": "restart",
            "interactions": accepted,
            "ingest_seconds": secs,
            "ingest_per_second": accepted as f64 / secs,
            "stop_seconds_with_snapshot": stop.as_secs_f64(),
            "snapshot_mib": snapshot_bytes as f64 / (1 << 20) as f64,
            "restart_seconds_from_snapshot": warm.0.as_secs_f64(),
            "restart_ready_ms_reported": warm.1,
            "restart_seconds_after_sigkill_replaying_200k": cold.0.as_secs_f64(),
            "restart_ready_ms_reported_after_sigkill": cold.1,
        })
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bin = PathBuf::from(arg(&args, "--bin", "target/release/mot".to_string()));
    match args.get(1).map(String::as_str) {
        Some("ingest") => ingest(&args, &bin),
        Some("latency") => latency(&args, &bin),
        Some("restart") => restart(&args, &bin),
        _ => {
            eprintln!("usage: serve_load ingest|latency|restart [options]: see the file's docs");
            std::process::exit(2);
        }
    }
}
