//! `mot serve`, as a client sees it: every test starts the real binary on a
//! loopback port it picks, and speaks HTTP to it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

const OPS: &str = "ops-0123456789abcdef0123";
const READER: &str = "reader-0123456789abcdef";
const INGESTER: &str = "ingest-0123456789abcdef";

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mot-serve-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn airline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../mot-core/data/airline.json")
}

/// A running `mot serve`.
struct Server {
    child: Child,
    port: u16,
    dir: PathBuf,
    stderr: Arc<Mutex<String>>,
    extra: Vec<String>,
}

impl Server {
    fn start(name: &str, extra: &[&str]) -> Server {
        let dir = temp(name);
        std::fs::write(
            dir.join("tokens"),
            format!("{OPS} ingest,read,admin\n{READER} read\n{INGESTER} ingest\n"),
        )
        .unwrap();
        Server::start_in(
            dir,
            free_port(),
            extra.iter().map(|s| s.to_string()).collect(),
        )
    }

    fn start_in(dir: PathBuf, port: u16, extra: Vec<String>) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mot"))
            .arg("serve")
            .arg("--experience")
            .arg(airline())
            .arg("--data")
            .arg(dir.join("data"))
            .arg("--tokens")
            .arg(dir.join("tokens"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .args(&extra)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let mut lines = BufReader::new(child.stderr.take().unwrap());
        let log = stderr.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while lines.read_line(&mut line).unwrap_or(0) > 0 {
                if line.contains("listening on") {
                    let _ = tx.send(());
                }
                log.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        if rx.recv_timeout(Duration::from_secs(20)).is_err() {
            let _ = child.kill();
            panic!("the server did not start: {}", stderr.lock().unwrap());
        }
        Server {
            child,
            port,
            dir,
            stderr,
            extra,
        }
    }

    /// SIGKILL: no snapshot, no goodbye.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM: a snapshot, then exit.
    fn stop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(20) {
            if self.child.try_wait().unwrap().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server did not stop on SIGTERM");
    }

    fn restart(self) -> Server {
        let (dir, port, extra) = (self.dir.clone(), self.port, self.extra.clone());
        drop(self);
        Server::start_in(dir, port, extra)
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        call(self.port, method, path, token, headers, body).unwrap()
    }

    fn get(&self, path: &str) -> Value {
        let r = self.call("GET", path, Some(OPS), &[], b"");
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        r.json()
    }

    fn post(&self, path: &str, content_type: &str, body: &str) -> Reply {
        self.call(
            "POST",
            path,
            Some(OPS),
            &[("Content-Type", content_type)],
            body.as_bytes(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a new connection.
fn call(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no response head"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 2 + n + 2..];
    }
    out
}

/// A log of `journeys` journeys through the airline's designed path, as
/// CSV (header included), from journey `from`; every `fail_every`-th
/// check-in fails.
fn log_csv(from: usize, journeys: usize, fail_every: usize) -> String {
    let mots = [
        "search-book",
        "payment-auth",
        "check-in",
        "bag-drop",
        "flight",
    ];
    let mut out = String::from("journey_id,mot_id,timestamp,success\n");
    for j in from..from + journeys {
        for (k, m) in mots.iter().enumerate() {
            let ts = 1_795_392_000 + j as i64 * 60 + k as i64 * 10;
            let ok = !(*m == "check-in" && fail_every > 0 && j % fail_every == 0);
            out.push_str(&format!("j{j},{m},{ts},{ok}\n"));
        }
    }
    out
}

fn outcomes_csv(from: usize, journeys: usize) -> String {
    let mut out = String::from("journey_id,sco\n");
    for j in from..from + journeys {
        out.push_str(&format!("j{j},{}\n", j % 4 != 0));
    }
    out
}

/// The same rows as NDJSON.
fn to_ndjson(csv: &str) -> String {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            let fields: serde_json::Map<String, Value> = header
                .iter()
                .zip(l.split(','))
                .map(|(k, v)| {
                    let v = match v {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        _ => v
                            .parse::<i64>()
                            .map(Value::from)
                            .unwrap_or_else(|_| Value::String(v.into())),
                    };
                    (k.to_string(), v)
                })
                .collect();
            Value::Object(fields).to_string() + "\n"
        })
        .collect()
}

#[test]
fn every_endpoint_wants_the_right_token() {
    let s = Server::start("auth", &[]);
    let endpoints: [(&str, &str, &str); 10] = [
        ("POST", "/v1/interactions", "ingest"),
        ("POST", "/v1/outcomes", "ingest"),
        ("POST", "/v1/expire", "ingest"),
        ("GET", "/v1/dashboard", "read"),
        ("GET", "/v1/at-risk", "read"),
        ("GET", "/v1/compare", "read"),
        ("GET", "/v1/alarms", "read"),
        ("GET", "/v1/stream", "read"),
        ("GET", "/metrics", "read"),
        ("PUT", "/v1/experience", "admin"),
    ];
    for (method, path, scope) in endpoints {
        for (token, want) in [
            (None, 401),
            (Some("not-a-token-of-this-service"), 401),
            (Some(OPS.strip_suffix('3').unwrap()), 401),
            (
                Some(match scope {
                    "read" => INGESTER,
                    _ => READER,
                }),
                403,
            ),
        ] {
            let r = s.call(method, path, token, &[("Content-Type", "text/csv")], b"");
            assert_eq!(
                r.status,
                want,
                "{method} {path} with {token:?}: {}",
                r.text()
            );
            assert_eq!(
                r.json()["error"]["kind"],
                if want == 401 {
                    "unauthorized"
                } else {
                    "forbidden"
                }
            );
            if want == 401 {
                assert!(r.header("www-authenticate").is_some());
            }
        }
    }
    // The right scope gets through (the body is another matter).
    let r = s.call("GET", "/v1/dashboard", Some(READER), &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    let r = s.call(
        "POST",
        "/v1/interactions",
        Some(INGESTER),
        &[("Content-Type", "text/csv")],
        log_csv(0, 2, 0).as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // The page and the health check hold no data and need no token.
    assert_eq!(s.call("GET", "/", None, &[], b"").status, 200);
    assert_eq!(s.call("GET", "/v1/health", None, &[], b"").status, 200);
    assert_eq!(
        s.call("GET", "/v1/nothing", Some(OPS), &[], b"").status,
        404
    );
    let m = s.call("GET", "/metrics", Some(READER), &[], b"").text();
    assert!(
        m.contains("mot_auth_failures_total{status=\"401\"} 30"),
        "{m}"
    );
    assert!(
        m.contains("mot_auth_failures_total{status=\"403\"} 10"),
        "{m}"
    );
}

#[test]
fn a_log_in_any_format_gives_the_dashboard_of_mot_dashboard() {
    let csv = log_csv(0, 300, 7);
    let outcomes = outcomes_csv(0, 300);
    // The reference: the one-shot command on the same files.
    let dir = temp("oneshot");
    std::fs::write(dir.join("e.csv"), &csv).unwrap();
    std::fs::write(dir.join("o.csv"), &outcomes).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_mot"))
        .args(["dashboard", "--format", "json", "--experience"])
        .arg(airline())
        .arg("--events")
        .arg(dir.join("e.csv"))
        .arg("--outcomes")
        .arg(dir.join("o.csv"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let want: Value = serde_json::from_slice(&o.stdout).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_mot"))
        .args([
            "compare",
            "--format",
            "json",
            "--before",
            "2026-11-22..2026-11-23",
            "--after",
            "2026-11-23..2026-11-24",
            "--experience",
        ])
        .arg(airline())
        .arg("--events")
        .arg(dir.join("e.csv"))
        .arg("--outcomes")
        .arg(dir.join("o.csv"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let want_compare: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ndjson = to_ndjson(&csv);
    let array = format!("[{}]", ndjson.lines().collect::<Vec<_>>().join(",\n"));
    for (name, ct, body) in [
        ("csv", "text/csv", csv.clone()),
        ("ndjson", "application/x-ndjson", ndjson),
        ("array", "application/json", array),
    ] {
        let s = Server::start(name, &[]);
        let r = s.post("/v1/interactions", ct, &body);
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        let a = r.json();
        assert_eq!(
            (a["rows"].as_u64(), a["accepted"].as_u64()),
            (Some(1500), Some(1500)),
            "{a}"
        );
        let r = s.post("/v1/outcomes", "text/csv", &outcomes);
        assert_eq!(r.json()["journeys_closed"], 300, "{}", r.text());
        let got = s.get("/v1/dashboard");
        assert_eq!(
            got, want,
            "{name}: the service and `mot dashboard` disagree"
        );
        // Before/after on the live state: `mot compare`'s answer.
        let got = s.get(&format!("/v1/compare?{WINDOWS}"));
        assert_eq!(
            got, want_compare,
            "{name}: the service and `mot compare` disagree"
        );
    }
    let s = Server::start("compare-errors", &[]);
    for (query, says) in [
        ("before=2026-11-22..2026-11-23", "query `after` is missing"),
        (
            "before=2026-11-22T06:00:00Z..2026-11-23&after=2026-11-23..2026-11-24",
            "cuts a `day` period",
        ),
        (
            "before=2026-11-22..2026-11-23&after=2026-11-23..2026-11-24&alpha=2",
            "`alpha`",
        ),
    ] {
        let r = s.call(
            "GET",
            &format!("/v1/compare?{query}"),
            Some(READER),
            &[],
            b"",
        );
        assert_eq!(r.status, 400, "{query}: {}", r.text());
        assert!(r.text().contains(says), "{query}: {}", r.text());
    }
    let r = s.call(
        "GET",
        &format!("/v1/compare?{WINDOWS}&format=table"),
        Some(READER),
        &[],
        b"",
    );
    assert!(r.text().contains("SCO rate"), "{}", r.text());
}

/// Windows around the test logs' day (2026-11-23).
const WINDOWS: &str = "before=2026-11-22..2026-11-23&after=2026-11-23..2026-11-24";

#[test]
fn a_retry_with_the_same_key_counts_once() {
    let s = Server::start("idem", &[]);
    let body = log_csv(0, 10, 0);
    let send = |key: &str, body: &str| {
        s.call(
            "POST",
            "/v1/interactions",
            Some(OPS),
            &[("Content-Type", "text/csv"), ("Idempotency-Key", key)],
            body.as_bytes(),
        )
    };
    let first = send("batch-1", &body);
    assert_eq!(first.status, 200);
    assert!(first.header("idempotent-replayed").is_none());
    let again = send("batch-1", &body);
    assert_eq!(again.status, 200);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json(), first.json());
    let other = send("batch-1", &log_csv(10, 10, 0));
    assert_eq!(other.status, 422, "{}", other.text());
    assert_eq!(other.json()["error"]["kind"], "idempotency");
    assert_eq!(send("", &body).status, 400);
    assert_eq!(s.get("/v1/dashboard")["amount"]["interactions"], 50);
    // The key survives a crash.
    let mut s = s;
    s.kill();
    let s = s.restart();
    let again = s.call(
        "POST",
        "/v1/interactions",
        Some(OPS),
        &[("Content-Type", "text/csv"), ("Idempotency-Key", "batch-1")],
        body.as_bytes(),
    );
    assert_eq!(
        again.header("idempotent-replayed"),
        Some("true"),
        "{}",
        again.text()
    );
    assert_eq!(s.get("/v1/dashboard")["amount"]["interactions"], 50);
}

#[test]
fn hostile_bodies_get_typed_answers_and_the_server_goes_on() {
    let settings = temp("hostile-settings").join("settings.json");
    std::fs::write(
        &settings,
        r#"{"limits": {"max_batch_bytes": 100000, "max_batch_rows": 1000}}"#,
    )
    .unwrap();
    let s = Server::start(
        "hostile",
        &[
            "--settings",
            settings.to_str().unwrap(),
            "--request-timeout",
            "2",
        ],
    );
    // The bad-input catalogue's CSV cases, through HTTP.
    let catalogue: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/bad-inputs/catalogue.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut checked = 0;
    let mut rejected = 0;
    for e in catalogue["entries"].as_array().unwrap() {
        if e["via"] != "csv"
            || e["bound"] != true
            || e["bad_rows"] != "reject"
            || e.get("outcomes").is_some()
        {
            continue;
        }
        let body: Vec<u8> = match (&e["input"]["text"], &e["input"]["base64"]) {
            (Value::String(t), _) => t.clone().into_bytes(),
            (_, Value::String(b)) => decode_base64(b),
            _ => continue,
        };
        let r = s.call(
            "POST",
            "/v1/interactions",
            Some(OPS),
            &[("Content-Type", "text/csv")],
            &body,
        );
        let expect = &e["expect"];
        if let Some(kind) = expect["error"].as_str() {
            assert!(
                (400..500).contains(&r.status),
                "{}: {} {}",
                e["id"],
                r.status,
                r.text()
            );
            assert_eq!(r.json()["error"]["kind"], kind, "{}", e["id"]);
        } else {
            assert_eq!(r.status, 200, "{}: {}", e["id"], r.text());
            let a = r.json();
            rejected += a["rejected"].as_u64().unwrap();
            assert_eq!(a["accepted"], expect["accepted"], "{}: {a}", e["id"]);
            for (reason, n) in expect["rejected"].as_object().unwrap() {
                assert_eq!(a["rejected_by_reason"][reason], *n, "{}: {a}", e["id"]);
            }
        }
        checked += 1;
    }
    assert!(checked >= 18, "{checked} catalogue cases");
    // JSON that is not rows.
    for (body, status, kind) in [
        ("[1, 2]", 400, "format"),
        ("[{\"journey_id\": \"a\"", 400, "format"),
        ("{\"a\": 1}\n", 400, "columns"),
    ] {
        let r = s.post("/v1/interactions", "application/json", body);
        assert_eq!(
            (r.status, r.json()["error"]["kind"].as_str().unwrap()),
            (status, kind),
            "{body}: {}",
            r.text()
        );
    }
    let r = s.post(
        "/v1/interactions",
        "application/x-ndjson",
        "{\"journey_id\":\"a\",\"mot_id\":\"check-in\",\"timestamp\":1795392000,\"success\":true}\nnot json\n{\"journey_id\":{\"x\":1},\"mot_id\":\"check-in\",\"timestamp\":1795392000}\n",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json()["rejected_by_reason"]["malformed-row"],
        2,
        "{}",
        r.text()
    );
    rejected += 2;
    // Over the limits: bytes, then rows.
    let r = s.post("/v1/interactions", "text/csv", &log_csv(0, 2_000, 0));
    assert_eq!(
        (r.status, r.json()["error"]["kind"].as_str()),
        (413, Some("limit")),
        "{}",
        r.text()
    );
    let r = s.post("/v1/interactions", "text/csv", &log_csv(0, 201, 0)[..]);
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains("max_batch_rows"), "{}", r.text());
    // No content type, a foreign one.
    assert_eq!(
        s.call("POST", "/v1/interactions", Some(OPS), &[], b"a,b\n")
            .status,
        415
    );
    assert_eq!(
        s.post("/v1/interactions", "application/xml", "<a/>").status,
        415
    );
    // A slow client: headers never finish. Others are served meanwhile, and
    // the slow one is cut off.
    let mut slow = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    slow.write_all(b"POST /v1/interactions HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut slow_body = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    slow_body
        .write_all(
            format!("POST /v1/interactions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {OPS}\r\nContent-Type: text/csv\r\nContent-Length: 1000\r\n\r\njourney_id,").as_bytes(),
        )
        .unwrap();
    assert_eq!(s.get("/v1/health")["status"], "ok");
    let t = Instant::now();
    let mut rest = Vec::new();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = slow.read_to_end(&mut rest);
    assert!(
        t.elapsed() < Duration::from_secs(8),
        "the slow client was not cut off"
    );
    slow_body
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = String::new();
    let _ = slow_body.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    // Still serving, with every rejected row counted.
    let d = s.get("/v1/dashboard");
    let counted: u64 = d["rejected"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(counted, rejected, "{}", d["rejected"]);
    assert_eq!(s.get("/v1/health")["status"], "ok");
}

fn decode_base64(s: &str) -> Vec<u8> {
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = table.iter().position(|&t| t == c).unwrap() as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn killed_again_and_again_nothing_acknowledged_is_lost_or_doubled() {
    let s = Server::start("crash", &["--snapshot-every", "1"]);
    let port = s.port;
    let server = Arc::new(Mutex::new(Some(s)));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // The client: 300 batches of 20 journeys, one every 15 ms or so, each
    // retried under its key until acknowledged; now and then an
    // acknowledged one is sent again.
    let client = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut acknowledged = 0u64;
            let mut retries = 0u64;
            for b in 0..300usize {
                std::thread::sleep(Duration::from_millis(15));
                let body = log_csv(b * 20, 20, 5);
                let key = format!("batch-{b}");
                let mut sends = if b % 10 == 3 { 2 } else { 1 };
                let started = Instant::now();
                let mut first_answer = true;
                while sends > 0 {
                    assert!(
                        started.elapsed() < Duration::from_secs(60),
                        "batch {b} never acknowledged"
                    );
                    match call(
                        port,
                        "POST",
                        "/v1/interactions",
                        Some(OPS),
                        &[("Content-Type", "text/csv"), ("Idempotency-Key", &key)],
                        body.as_bytes(),
                    ) {
                        Ok(r) if r.status == 200 => {
                            // The first answer counts (a replayed one too:
                            // the crash may have come after the batch was
                            // durable and before the answer); a resend of an
                            // acknowledged batch must be a replay.
                            if first_answer {
                                acknowledged += r.json()["accepted"].as_u64().unwrap();
                                first_answer = false;
                            } else {
                                assert_eq!(r.header("idempotent-replayed"), Some("true"));
                            }
                            sends -= 1;
                        }
                        _ => {
                            retries += 1;
                            std::thread::sleep(Duration::from_millis(20));
                        }
                    }
                }
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            (acknowledged, retries)
        })
    };
    // The chaos: SIGKILL at pseudo-random moments, then restart.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut kills = 0;
    while !done.load(std::sync::atomic::Ordering::SeqCst) && kills < 8 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(150 + seed % 400));
        let mut guard = server.lock().unwrap();
        let mut s = guard.take().unwrap();
        s.kill();
        kills += 1;
        *guard = Some(s.restart());
    }
    let (acknowledged, retries) = client.join().unwrap();
    let s = server.lock().unwrap().take().unwrap();
    let d = s.get("/v1/dashboard");
    assert!(
        kills >= 2,
        "only {kills} kills: the client finished too fast"
    );
    eprintln!("{kills} kills, {retries} retries, {acknowledged} interactions acknowledged");
    assert_eq!(
        acknowledged,
        300 * 20 * 5,
        "every batch is acknowledged once"
    );
    assert_eq!(d["amount"]["interactions"].as_u64().unwrap(), acknowledged);
    assert_eq!(d["rejected"], s.get("/v1/dashboard")["rejected"]);
}

#[test]
fn a_torn_log_tail_and_a_truncated_snapshot_are_recovered_from() {
    let mut s = Server::start("torn", &[]);
    for b in 0..5 {
        assert_eq!(
            s.post("/v1/interactions", "text/csv", &log_csv(b * 10, 10, 0))
                .status,
            200
        );
    }
    s.kill();
    // A write cut short by the crash: half a frame at the log's end.
    let data = s.dir.join("data");
    let mut segments: Vec<PathBuf> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    segments.sort();
    let last = segments
        .iter()
        .rev()
        .find(|p| std::fs::metadata(p).unwrap().len() > 0)
        .unwrap();
    let mut f = std::fs::OpenOptions::new().append(true).open(last).unwrap();
    f.write_all(&[200, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0]).unwrap();
    drop(f);
    let mut s = s.restart();
    assert!(s.log().contains("cut 11 bytes off the end"), "{}", s.log());
    assert_eq!(s.get("/v1/dashboard")["amount"]["interactions"], 250);
    let m = s.call("GET", "/metrics", Some(OPS), &[], b"").text();
    assert!(m.contains("mot_recovery_torn_bytes 11"), "{m}");
    // Two snapshots (a stop writes one), then the newest cut short.
    assert_eq!(
        s.post("/v1/interactions", "text/csv", &log_csv(50, 10, 0))
            .status,
        200
    );
    s.stop();
    let mut s = s.restart();
    assert_eq!(
        s.post("/v1/interactions", "text/csv", &log_csv(60, 10, 0))
            .status,
        200
    );
    s.stop();
    let mut snapshots: Vec<PathBuf> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect();
    snapshots.sort();
    assert_eq!(snapshots.len(), 2, "{snapshots:?}");
    let newest = snapshots.last().unwrap();
    let len = std::fs::metadata(newest).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(newest)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let s = s.restart();
    assert!(
        s.log().contains("skipped: truncated or corrupt"),
        "{}",
        s.log()
    );
    assert_eq!(
        s.get("/v1/dashboard")["amount"]["interactions"],
        350,
        "nothing lost"
    );
}

#[test]
fn a_new_experience_version_keeps_the_data() {
    let mut s = Server::start("version", &[]);
    assert_eq!(
        s.post("/v1/interactions", "text/csv", &log_csv(0, 10, 0))
            .status,
        200
    );
    let mut x: Value = serde_json::from_str(&std::fs::read_to_string(airline()).unwrap()).unwrap();
    x["version"] = Value::from("2027.1");
    let mots = x["mots"].as_array_mut().unwrap();
    let flight = mots.iter_mut().find(|m| m["id"] == "flight").unwrap();
    flight["name"] = Value::from("The flight itself");
    let r = s.call(
        "PUT",
        "/v1/experience",
        Some(OPS),
        &[("Content-Type", "application/json")],
        x.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let diff = &r.json()["diff"];
    assert_eq!(diff["to_version"], "2027.1");
    assert_eq!(diff["renamed"][0]["mot"], "flight", "{diff}");
    let d = s.get("/v1/dashboard");
    assert_eq!(d["amount"]["interactions"], 50);
    assert_eq!(d["experience"]["version"], "2027.1");
    // Another experience is refused; a broken one is a typed error.
    x["id"] = Value::from("another");
    let r = s.call(
        "PUT",
        "/v1/experience",
        Some(OPS),
        &[],
        x.to_string().as_bytes(),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    let r = s.call("PUT", "/v1/experience", Some(OPS), &[], b"{\"format\": 1}");
    assert_eq!(r.status, 400, "{}", r.text());
    // The version survives a crash.
    s.kill();
    let s = s.restart();
    assert_eq!(s.get("/v1/dashboard")["experience"]["version"], "2027.1");
    assert!(s.log().contains("holds its own version"), "{}", s.log());
}

#[test]
fn alarms_stream_as_they_fire() {
    let s = Server::start("stream", &[]);
    let mut stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    stream
        .write_all(
            format!("GET /v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {READER}\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut saw_summary = false;
    while reader.read_line(&mut line).unwrap() > 0 {
        if line.starts_with("event: summary") {
            saw_summary = true;
            break;
        }
        line.clear();
    }
    assert!(saw_summary);
    // An incident: every check-in fails.
    let posted = Instant::now();
    let r = s.post("/v1/interactions", "text/csv", &log_csv(0, 200, 1));
    assert_eq!(r.status, 200);
    line.clear();
    let mut alarm = None;
    while reader.read_line(&mut line).unwrap() > 0 {
        if line.starts_with("event: alarm") {
            line.clear();
            reader.read_line(&mut line).unwrap();
            alarm = Some(
                serde_json::from_str::<Value>(line.trim_start_matches("data:").trim()).unwrap(),
            );
            break;
        }
        line.clear();
    }
    let alarm = alarm.expect("an alarm on the stream");
    assert!(posted.elapsed() < Duration::from_secs(2));
    assert_eq!(alarm["mot"], "check-in");
    assert_eq!(alarm["owner"], "p-lars");
    let listed = s.get("/v1/alarms");
    assert!(
        listed["alarms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == alarm["id"])
    );
    let since = s.get(&format!("/v1/alarms?since={}", listed["last_id"]));
    assert_eq!(since["alarms"].as_array().unwrap().len(), 0);
    // Journeys at risk, and the summary in the metrics.
    let r = s.get("/v1/at-risk?threshold=1&limit=3");
    assert_eq!(r["open_journeys"], 200);
    assert_eq!(
        s.post("/v1/outcomes", "text/csv", &outcomes_csv(0, 10))
            .json()["journeys_closed"],
        10
    );
    let m = s.call("GET", "/metrics", Some(OPS), &[], b"").text();
    assert!(m.contains("mot_open_journeys 190"), "{m}");
    assert!(m.contains("mot_interactions_accepted_total 1000"), "{m}");
    assert!(
        m.contains("mot_http_request_duration_seconds_bucket{route=\"interactions\""),
        "{m}"
    );
    // A period the service does not count by.
    let r = s.call("GET", "/v1/dashboard?period=week", Some(OPS), &[], b"");
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(
        s.get("/v1/dashboard?period=day&top_variants=1")["variants"]["top"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Expire: with no timeout in the settings nothing closes.
    let r = s.post(
        "/v1/expire",
        "application/json",
        "{\"now\": \"2027-01-01T00:00:00Z\"}",
    );
    assert_eq!(r.json()["closed"], 0, "{}", r.text());
}

#[test]
fn a_token_over_its_rate_is_told_when_to_come_back() {
    let s = Server::start("rate", &["--rate-limit", "5"]);
    // Bursts of twice the rate pass, then 429 with Retry-After.
    let statuses: Vec<u16> = (0..14)
        .map(|_| s.call("GET", "/v1/alarms", Some(READER), &[], b"").status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|&&c| c == 200).count(),
        10,
        "{statuses:?}"
    );
    let r = s.call("GET", "/v1/alarms", Some(READER), &[], b"");
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(r.json()["error"]["kind"], "rate-limited");
    assert!(r.header("retry-after").is_some());
    // Another token has its own budget; and the budget refills.
    assert_eq!(s.call("GET", "/v1/alarms", Some(OPS), &[], b"").status, 200);
    std::thread::sleep(Duration::from_millis(450));
    assert_eq!(
        s.call("GET", "/v1/alarms", Some(READER), &[], b"").status,
        200
    );
}

#[test]
fn help_lists_the_api() {
    let o = Command::new(env!("CARGO_BIN_EXE_mot"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "POST /v1/interactions",
        "GET  /v1/stream",
        "PUT  /v1/experience",
        "--tokens",
        "--fsync",
        "Idempotency-Key",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}
