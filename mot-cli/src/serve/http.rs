//! The HTTP API: routes, authentication, bodies and answers.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use futures_util::stream::{self, Stream};
use mot_core::events::ReadOptions;
use mot_core::{Experience, Limits};
use serde_json::json;
use tokio::sync::{Semaphore, broadcast, oneshot};

use super::auth::{RateLimit, Scope, Tokens};
use super::engine::{self, Answer, Read, Rendering, Request, Write, core_error};
use super::metrics::ROUTES;
use super::store::BodyFormat;
use super::{ApiError, LiveEvent, Shared};

/// Everything a request handler reads.
pub(crate) struct App {
    pub(crate) engine: std::sync::mpsc::Sender<Request>,
    pub(crate) shared: Arc<Shared>,
    pub(crate) tokens: Tokens,
    pub(crate) rate: RateLimit,
    pub(crate) limits: Limits,
    pub(crate) read_options: ReadOptions,
    /// Bounds the requests waiting for the engine (back-pressure).
    pub(crate) inflight: Semaphore,
    /// The time a client has to send a request's body.
    pub(crate) body_timeout: Duration,
}

type AppState = State<Arc<App>>;

/// The routes.
pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/v1/health", get(health))
        .route("/v1/interactions", post(interactions))
        .route("/v1/outcomes", post(outcomes))
        .route("/v1/expire", post(expire))
        .route("/v1/dashboard", get(dashboard))
        .route("/v1/at-risk", get(at_risk))
        .route("/v1/compare", get(compare))
        .route("/v1/alarms", get(alarms))
        .route("/v1/stream", get(stream_events))
        .route("/v1/experience", put(experience))
        .route("/metrics", get(metrics))
        .fallback(|| async {
            ApiError::new(
                404,
                "not-found",
                "no such endpoint: see `mot serve --help` for the API".into(),
            )
            .into_response()
        })
        .with_state(app)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = json!({ "error": { "kind": self.kind, "message": self.message } });
        let mut r = (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
        if self.status == 401 {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"mot\""),
            );
        }
        if let Some(s) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&format!("{}", s.ceil().max(1.0) as u64)) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        r
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let mut r = ([(header::CONTENT_TYPE, self.content_type)], self.body).into_response();
        if self.replayed {
            r.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
        }
        r
    }
}

fn route_index(name: &str) -> usize {
    ROUTES.iter().position(|r| *r == name).unwrap_or(0)
}

/// Checks the bearer token, its scope and its rate.
fn authorize(app: &App, headers: &HeaderMap, scope: Scope) -> Result<(), ApiError> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(presented) = presented else {
        app.shared
            .metrics
            .unauthorized
            .fetch_add(1, Ordering::Relaxed);
        return Err(ApiError::new(
            401,
            "unauthorized",
            "no bearer token: send `Authorization: Bearer TOKEN`".into(),
        ));
    };
    let Some(token) = app.tokens.find(presented.as_bytes()) else {
        app.shared
            .metrics
            .unauthorized
            .fetch_add(1, Ordering::Relaxed);
        return Err(ApiError::new(
            401,
            "unauthorized",
            "the bearer token is not one of the service's".into(),
        ));
    };
    if !app.tokens.allows(token, scope) {
        app.shared.metrics.forbidden.fetch_add(1, Ordering::Relaxed);
        return Err(ApiError::new(
            403,
            "forbidden",
            format!("this token lacks the `{}` scope", scope.as_str()),
        ));
    }
    if let Err(wait) = app.rate.admit(token) {
        app.shared
            .metrics
            .rate_limited
            .fetch_add(1, Ordering::Relaxed);
        let mut e = ApiError::new(
            429,
            "rate-limited",
            "this token is over its request rate (`--rate-limit`): retry later".into(),
        );
        e.retry_after = Some(wait);
        return Err(e);
    }
    Ok(())
}

/// Sends a request to the engine and waits for its answer.
async fn ask(app: &App, make: impl FnOnce(engine::Reply) -> Request) -> Result<Answer, ApiError> {
    let _permit = app.inflight.acquire().await.map_err(|_| unavailable())?;
    let (tx, rx) = oneshot::channel();
    app.engine.send(make(tx)).map_err(|_| unavailable())?;
    rx.await.map_err(|_| unavailable())?
}

fn unavailable() -> ApiError {
    ApiError::new(
        503,
        "unavailable",
        "the service is stopping: retry with the same idempotency key".into(),
    )
}

/// Times a handler's answer into `/metrics`.
fn timed(app: &App, route: &str, started: Instant, r: Response) -> Response {
    app.shared
        .metrics
        .observe(route_index(route), r.status().as_u16(), started.elapsed());
    r
}

/// Reads a request body under the batch limits and the body timeout.
async fn read_body(app: &App, headers: &HeaderMap, body: Body) -> Result<Vec<u8>, ApiError> {
    let limit = app.limits.max_batch_bytes;
    if let Some(n) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        app.limits
            .check_batch(Some(n), None)
            .map_err(|e| ApiError::new(413, "limit", e.to_string()))?;
    }
    match tokio::time::timeout(app.body_timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(ApiError::new(
            408,
            "timeout",
            format!(
                "the request body did not arrive within {} s",
                app.body_timeout.as_secs()
            ),
        )),
        Ok(Err(e)) => {
            let over = std::error::Error::source(&e)
                .is_some_and(|s| s.to_string().contains("length limit"))
                || e.to_string().contains("length limit");
            if over {
                Err(ApiError::new(
                    413,
                    "limit",
                    format!("the body is over the limit `max_batch_bytes` = {limit}"),
                ))
            } else {
                Err(ApiError::new(
                    400,
                    "format",
                    format!("the body could not be read: {e}"),
                ))
            }
        }
        Ok(Ok(b)) => Ok(b.to_vec()),
    }
}

/// The body format a content type names.
fn body_format(headers: &HeaderMap) -> Result<BodyFormat, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/csv" => Ok(BodyFormat::Csv),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/json" => Ok(BodyFormat::Json),
        _ => Err(ApiError::new(
            415,
            "unsupported-media-type",
            format!(
                "content type `{ct}` is not read: send `text/csv`, `application/x-ndjson` or `application/json` (an array of objects)"
            ),
        )),
    }
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match v.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(k.to_string()))
        }
        _ => Err(ApiError::new(
            400,
            "idempotency",
            "an `Idempotency-Key` is 1 to 255 visible ASCII characters".into(),
        )),
    }
}

/// A write: the token's scope, the idempotency key, the body within its
/// limits, `make` reading it into a [`Write`] (CPU work: off the I/O
/// threads), the engine's answer once durable; timed.
async fn write_route(
    app: &App,
    headers: &HeaderMap,
    body: Body,
    route: &str,
    scope: Scope,
    make: impl FnOnce(Vec<u8>) -> Result<Write, ApiError> + Send + 'static,
) -> Response {
    let t = Instant::now();
    let r = async {
        authorize(app, headers, scope)?;
        let key = idempotency_key(headers)?;
        let body = read_body(app, headers, body).await?;
        let write = tokio::task::spawn_blocking(move || make(body))
            .await
            .map_err(|_| ApiError::new(500, "internal", "reading the request failed".into()))??;
        ask(app, |reply| Request::Write { key, write, reply }).await
    }
    .await
    .into_response();
    timed(app, route, t, r)
}

/// Rows a text table read, rejected ones included, within the batch limit.
fn check_rows(
    limits: &Limits,
    read: usize,
    rejected: &[(mot_core::RejectReason, u64)],
) -> Result<(), ApiError> {
    let rows = read + rejected.iter().map(|r| r.1 as usize).sum::<usize>();
    limits
        .check_batch(None, Some(rows))
        .map_err(|e| core_error(&e))
}

/// `POST /v1/interactions`: a batch in the format its content type names.
async fn interactions(State(app): AppState, headers: HeaderMap, body: Body) -> Response {
    let (format, options, limits) = (body_format(&headers), app.read_options.clone(), app.limits);
    let make = move |body: Vec<u8>| {
        let format = format?;
        let table = engine::read_events(format, &body, &options).map_err(|e| core_error(&e))?;
        check_rows(&limits, table.len(), table.rejected())?;
        Ok(Write::Interactions {
            format,
            body,
            table: Box::new(table),
        })
    };
    write_route(&app, &headers, body, "interactions", Scope::Ingest, make).await
}

/// `POST /v1/outcomes`: journey outcomes, same formats.
async fn outcomes(State(app): AppState, headers: HeaderMap, body: Body) -> Response {
    let (format, options, limits) = (body_format(&headers), app.read_options.clone(), app.limits);
    let make = move |body: Vec<u8>| {
        let format = format?;
        let table = engine::read_outcomes(format, &body, &options).map_err(|e| core_error(&e))?;
        check_rows(&limits, table.len(), table.rejected())?;
        Ok(Write::Outcomes {
            format,
            body,
            table: Box::new(table),
        })
    };
    write_route(&app, &headers, body, "outcomes", Scope::Ingest, make).await
}

/// `POST /v1/expire`: `{"now": "2026-11-28T10:00:00Z"}` or seconds since
/// the epoch; no body: the server's clock.
async fn expire(State(app): AppState, headers: HeaderMap, body: Body) -> Response {
    let make = |body: Vec<u8>| {
        if body.iter().all(u8::is_ascii_whitespace) {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            return Ok(Write::Expire { now });
        }
        let v: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| ApiError::new(400, "json", format!("the body is not JSON: {e}")))?;
        let now = match &v["now"] {
            serde_json::Value::Number(n) if n.as_i64().is_some() => n.as_i64().unwrap_or(0),
            serde_json::Value::String(s) => mot_core::input::time::parse_rfc3339_ns(s)
                .map(|ns| ns.div_euclid(1_000_000_000))
                .ok_or_else(|| {
                    ApiError::new(
                        400,
                        "config",
                        format!("`now` `{s}` is not an RFC 3339 time"),
                    )
                })?,
            _ => {
                return Err(ApiError::new(
                    400,
                    "config",
                    "give `now` as an RFC 3339 time or integer seconds since the epoch, or send no body".into(),
                ));
            }
        };
        Ok(Write::Expire { now })
    };
    write_route(&app, &headers, body, "expire", Scope::Ingest, make).await
}

/// `PUT /v1/experience`: a new version; the answer carries the diff.
async fn experience(State(app): AppState, headers: HeaderMap, body: Body) -> Response {
    let limits = app.limits;
    let make = move |body: Vec<u8>| {
        let json = String::from_utf8(body)
            .map_err(|_| ApiError::new(400, "format", "the experience is not UTF-8".into()))?;
        let x = Experience::from_json_with(&json, &limits).map_err(|e| core_error(&e))?;
        Ok(Write::Experience {
            json,
            experience: Box::new(x),
        })
    };
    write_route(&app, &headers, body, "experience", Scope::Admin, make).await
}

fn query_number<T: std::str::FromStr>(
    q: &HashMap<String, String>,
    name: &str,
) -> Result<Option<T>, ApiError> {
    q.get(name)
        .map(|v| {
            v.parse::<T>().map_err(|_| {
                ApiError::new(
                    400,
                    "config",
                    format!("query `{name}` `{v}` is not a number"),
                )
            })
        })
        .transpose()
}

/// A `GET` that asks the engine for one read: the `read` scope, timed.
/// `read` is what the query asked for (checked after the token).
async fn read_route(
    app: &App,
    headers: &HeaderMap,
    route: &str,
    read: Result<Read, ApiError>,
) -> Response {
    let t = Instant::now();
    let r = async {
        authorize(app, headers, Scope::Read)?;
        let read = read?;
        ask(app, |reply| Request::Read { read, reply }).await
    }
    .await
    .into_response();
    timed(app, route, t, r)
}

/// The `format` query: `json` (the default), `html` or `table`.
fn rendering(q: &HashMap<String, String>) -> Result<Rendering, ApiError> {
    match q.get("format").map(String::as_str) {
        None | Some("json") => Ok(Rendering::Json),
        Some("html") => Ok(Rendering::Html),
        Some("table") => Ok(Rendering::Table),
        Some(other) => Err(ApiError::new(
            400,
            "config",
            format!("format `{other}`: use `json`, `html` or `table`"),
        )),
    }
}

/// `GET /v1/compare?before=FROM..TO&after=FROM..TO&alpha=A&tau2=T&format=json|html|table`.
async fn compare(
    State(app): AppState,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let read = (|| {
        let window = |name: &str| {
            q.get(name).cloned().ok_or_else(|| {
                ApiError::new(
                    400,
                    "config",
                    format!("query `{name}` is missing: give `before=FROM..TO&after=FROM..TO`"),
                )
            })
        };
        Ok(Read::Compare {
            before: window("before")?,
            after: window("after")?,
            alpha: query_number(&q, "alpha")?,
            tau2: query_number(&q, "tau2")?,
            rendering: rendering(&q)?,
        })
    })();
    read_route(&app, &headers, "compare", read).await
}

/// `GET /v1/dashboard?format=json|html|table&top_variants=N&period=P`.
async fn dashboard(
    State(app): AppState,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let read = (|| {
        let rendering = rendering(&q)?;
        Ok(Read::Dashboard {
            top_variants: query_number(&q, "top_variants")?,
            period: q.get("period").cloned(),
            rendering,
        })
    })();
    read_route(&app, &headers, "dashboard", read).await
}

/// `GET /v1/at-risk?threshold=P&limit=N`.
async fn at_risk(
    State(app): AppState,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let read = (|| {
        Ok(Read::AtRisk {
            threshold: query_number(&q, "threshold")?,
            limit: query_number(&q, "limit")?,
        })
    })();
    read_route(&app, &headers, "at_risk", read).await
}

/// `GET /v1/alarms?since=ID|RFC3339`.
async fn alarms(
    State(app): AppState,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let read = Ok(Read::Alarms {
        since: q.get("since").cloned(),
    });
    read_route(&app, &headers, "alarms", read).await
}

/// `GET /v1/stream`: Server-Sent Events: `alarm` as each fires, `summary`
/// at most once a second while data arrives (and once on connecting).
async fn stream_events(State(app): AppState, headers: HeaderMap) -> Response {
    let t = Instant::now();
    if let Err(e) = authorize(&app, &headers, Scope::Read) {
        return timed(&app, "stream", t, e.into_response());
    }
    let rx = app.shared.events.subscribe();
    let first = ask(&app, |reply| Request::Read {
        read: Read::Summary,
        reply,
    })
    .await
    .ok()
    .map(|a| a.body);
    let r = Sse::new(events(first, rx))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    timed(&app, "stream", t, r)
}

fn events(
    first: Option<String>,
    rx: broadcast::Receiver<LiveEvent>,
) -> impl Stream<Item = Result<Event, std::convert::Infallible>> {
    stream::unfold((first, rx), |(first, mut rx)| async move {
        if let Some(summary) = first {
            let e = Event::default().event("summary").data(summary);
            return Some((Ok(e), (None, rx)));
        }
        let e = match rx.recv().await {
            Ok(LiveEvent::Alarm(json)) => Event::default().event("alarm").data(json),
            Ok(LiveEvent::Summary(json)) => Event::default().event("summary").data(json),
            Err(broadcast::error::RecvError::Lagged(n)) => Event::default()
                .event("lagged")
                .data(json!({ "missed": n }).to_string()),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(e), (None, rx)))
    })
}

/// `GET /metrics`.
async fn metrics(State(app): AppState, headers: HeaderMap) -> Response {
    let t = Instant::now();
    let r = async {
        authorize(&app, &headers, Scope::Read)?;
        let engine = ask(&app, |reply| Request::Read {
            read: Read::Metrics,
            reply,
        })
        .await?;
        let v: serde_json::Value = serde_json::from_str(&engine.body).unwrap_or_default();
        Ok::<_, ApiError>(
            (
                [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
                app.shared.metrics.render(&v),
            )
                .into_response(),
        )
    }
    .await
    .into_response();
    timed(&app, "metrics", t, r)
}

/// `GET /v1/health`: no token needed, nothing told.
async fn health() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        "{\"status\":\"ok\"}",
    )
        .into_response()
}

/// `GET /`: the live page (it asks for a read token; it holds no data).
async fn page(State(app): AppState) -> Response {
    let t = Instant::now();
    let r = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-src 'self' blob:; img-src 'self' data:",
            ),
        ],
        include_str!("live.html"),
    )
        .into_response();
    timed(&app, "page", t, r)
}
