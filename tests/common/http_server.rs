//! A small HTTP/1.1 server on 127.0.0.1 for the fetching tests (std::net
//! only): serves a fixed set of routes, records every request, and can
//! misbehave on purpose (never answer, redirect in a loop, send too much).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a route answers.
#[derive(Clone)]
pub enum Reply {
    /// 200 with this content type (`None`: no Content-Type header) and body,
    /// and an ETag; a matching `If-None-Match` gets 304.
    Body(Option<&'static str>, Vec<u8>),
    /// 200 with a body of this many bytes and no Content-Length: the client
    /// only learns the size by reading.
    Unsized(usize),
    Status(u16),
    Redirect(String),
    /// Accept the connection and never answer.
    Hang,
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub user_agent: String,
    pub if_none_match: Option<String>,
    pub cookie: Option<String>,
    pub authorization: Option<String>,
    /// When the connection was accepted.
    pub at: Instant,
}

pub struct Server {
    pub addr: SocketAddr,
    hits: Arc<Mutex<Vec<Hit>>>,
    /// The most requests handled at the same time.
    pub max_concurrent: Arc<AtomicUsize>,
}

impl Server {
    /// Start serving `routes` (path → reply; unknown paths get 404).
    pub fn start(routes: Vec<(String, Reply)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let max_concurrent = Arc::new(AtomicUsize::new(0));
        let active = Arc::new(AtomicUsize::new(0));
        let routes = Arc::new(routes);
        {
            let (hits, max_concurrent) = (hits.clone(), max_concurrent.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    // When the connection came: the closest to when the client sent it.
                    let at = Instant::now();
                    let (hits, routes, active, max) = (
                        hits.clone(),
                        routes.clone(),
                        active.clone(),
                        max_concurrent.clone(),
                    );
                    std::thread::spawn(move || {
                        let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                        max.fetch_max(now, Ordering::SeqCst);
                        serve(stream, at, &routes, &hits);
                        active.fetch_sub(1, Ordering::SeqCst);
                    });
                }
            });
        }
        Server {
            addr,
            hits,
            max_concurrent,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    pub fn hits_of(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }
}

fn serve(stream: TcpStream, at: Instant, routes: &[(String, Reply)], hits: &Mutex<Vec<Hit>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    // One request per connection (the reply says `Connection: close`).
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut hit = Hit {
        path: path.clone(),
        user_agent: String::new(),
        if_none_match: None,
        cookie: None,
        authorization: None,
        at,
    };
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            let v = v.trim().to_string();
            match k.trim().to_ascii_lowercase().as_str() {
                "user-agent" => hit.user_agent = v,
                "if-none-match" => hit.if_none_match = Some(v),
                "cookie" => hit.cookie = Some(v),
                "authorization" => hit.authorization = Some(v),
                _ => {}
            }
        }
    }
    hits.lock().unwrap().push(hit.clone());
    let reply = routes
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, r)| r.clone())
        .unwrap_or(Reply::Status(404));
    let etag = format!("\"{}\"", path.len());
    let head = |status: &str, extra: &str, len: usize| {
        format!(
            "HTTP/1.1 {status}\r\n{extra}Content-Length: {len}\r\nSet-Cookie: session=secret\r\nConnection: close\r\n\r\n"
        )
    };
    let out = match reply {
        Reply::Hang => {
            std::thread::sleep(Duration::from_secs(60));
            return;
        }
        Reply::Body(_, _) if hit.if_none_match.as_deref() == Some(etag.as_str()) => {
            head("304 Not Modified", &format!("ETag: {etag}\r\n"), 0).into_bytes()
        }
        Reply::Body(ct, body) => {
            let ct = ct
                .map(|c| format!("Content-Type: {c}\r\n"))
                .unwrap_or_default();
            let mut out = head("200 OK", &format!("{ct}ETag: {etag}\r\n"), body.len()).into_bytes();
            out.extend_from_slice(&body);
            out
        }
        Reply::Unsized(n) => {
            let mut out =
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n".to_vec();
            out.resize(out.len() + n, b'x');
            out
        }
        Reply::Status(s) => {
            let body = format!("status {s}");
            let mut out = head(
                &format!("{s} Status"),
                "Content-Type: text/plain\r\n",
                body.len(),
            )
            .into_bytes();
            out.extend_from_slice(body.as_bytes());
            out
        }
        Reply::Redirect(to) => head("302 Found", &format!("Location: {to}\r\n"), 0).into_bytes(),
    };
    let _ = stream.write_all(&out);
    let _ = stream.flush();
}
