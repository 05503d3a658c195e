//! Bearer tokens with scopes, compared in constant time, and a per-token
//! rate limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use subtle::ConstantTimeEq;

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// `POST /v1/interactions`, `/v1/outcomes`, `/v1/expire`.
    Ingest,
    /// Every `GET` but the page itself: the dashboard, journeys at risk,
    /// alarms, the stream, `/metrics`.
    Read,
    /// `PUT /v1/experience`.
    Admin,
}

impl Scope {
    fn parse(s: &str) -> Option<Scope> {
        match s {
            "ingest" => Some(Scope::Ingest),
            "read" => Some(Scope::Read),
            "admin" => Some(Scope::Admin),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scope::Ingest => "ingest",
            Scope::Read => "read",
            Scope::Admin => "admin",
        }
    }
}

#[derive(Debug)]
struct Token {
    secret: Vec<u8>,
    scopes: Vec<Scope>,
}

/// The tokens the service accepts.
#[derive(Debug)]
pub(crate) struct Tokens(Vec<Token>);

/// Tokens shorter than this are refused when read: they can be guessed.
const MIN_TOKEN_LEN: usize = 16;

impl Tokens {
    /// Reads `TOKEN SCOPE[,SCOPE…]` lines (blank lines and `#` comments
    /// skipped); `source` names the input in errors.
    pub(crate) fn parse(text: &str, source: &str) -> Result<Tokens, String> {
        let mut tokens = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = format!("{source} line {}", i + 1);
            let mut parts = line.split_whitespace();
            let (Some(secret), Some(scopes), None) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(format!(
                    "{at}: expected `TOKEN SCOPE[,SCOPE…]` (scopes: `ingest`, `read`, `admin`)"
                ));
            };
            if secret.len() < MIN_TOKEN_LEN {
                return Err(format!(
                    "{at}: a token needs at least {MIN_TOKEN_LEN} characters (`openssl rand -hex 32` makes a good one)"
                ));
            }
            let scopes = scopes
                .split(',')
                .map(|s| {
                    Scope::parse(s.trim()).ok_or_else(|| {
                        format!("{at}: unknown scope `{s}` (scopes: `ingest`, `read`, `admin`)")
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            tokens.push(Token {
                secret: secret.as_bytes().to_vec(),
                scopes,
            });
        }
        if tokens.is_empty() {
            return Err(format!(
                "{source} has no token: nobody could use the service"
            ));
        }
        Ok(Tokens(tokens))
    }

    /// The index of the token `presented` is, comparing it with every
    /// token in constant time (for tokens of the same length).
    pub(crate) fn find(&self, presented: &[u8]) -> Option<usize> {
        let mut found = None;
        for (i, t) in self.0.iter().enumerate() {
            if bool::from(t.secret.as_slice().ct_eq(presented)) {
                found = Some(i);
            }
        }
        found
    }

    pub(crate) fn allows(&self, token: usize, scope: Scope) -> bool {
        self.0.get(token).is_some_and(|t| t.scopes.contains(&scope))
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// A token bucket per token: `rate` requests a second on average, bursts
/// of up to `burst`.
#[derive(Debug)]
pub(crate) struct RateLimit {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<usize, (f64, Instant)>>,
}

impl RateLimit {
    /// `rate` 0: no limit.
    pub(crate) fn new(rate: f64) -> RateLimit {
        RateLimit {
            rate,
            burst: (rate * 2.0).max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `token` may make a request now; `Err(seconds)` to wait.
    pub(crate) fn admit(&self, token: usize) -> Result<(), f64> {
        if self.rate <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        let (level, last) = buckets.entry(token).or_insert((self.burst, now));
        *level = (*level + now.duration_since(*last).as_secs_f64() * self.rate).min(self.burst);
        *last = now;
        if *level >= 1.0 {
            *level -= 1.0;
            Ok(())
        } else {
            Err((1.0 - *level) / self.rate)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_scopes_and_errors() {
        let t = Tokens::parse(
            "# ops\n0123456789abcdef ingest,read\n\nfedcba9876543210fedc admin\n",
            "tokens",
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        let a = t.find(b"0123456789abcdef").unwrap();
        assert!(t.allows(a, Scope::Ingest) && t.allows(a, Scope::Read));
        assert!(!t.allows(a, Scope::Admin));
        assert_eq!(t.find(b"0123456789abcdeF"), None);
        assert_eq!(t.find(b""), None);
        for (text, what) in [
            ("short read\n", "at least 16"),
            ("0123456789abcdef write\n", "unknown scope `write`"),
            ("0123456789abcdef\n", "expected `TOKEN SCOPE"),
            ("# nothing\n", "has no token"),
        ] {
            let e = Tokens::parse(text, "tokens").unwrap_err();
            assert!(e.contains(what), "{e}");
        }
    }

    #[test]
    fn the_bucket_refills_at_the_rate() {
        let r = RateLimit::new(10.0);
        let admitted = (0..100).filter(|_| r.admit(0).is_ok()).count();
        assert!((20..=21).contains(&admitted), "{admitted}");
        assert!(r.admit(0).is_err());
        assert!(r.admit(1).is_ok(), "another token has its own bucket");
        assert!(RateLimit::new(0.0).admit(0).is_ok());
    }
}
