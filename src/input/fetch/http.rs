//! The HTTP side of fetching: one client (ureq, rustls), `robots.txt`,
//! politeness per site, and the disk cache.
//!
//! Every request goes through [`Client::get`]: the address is checked (only
//! `http`/`https`, no user name or password), the site's `robots.txt` is read
//! once per run and obeyed, a cached copy fetched today is used as it is and an
//! older one revalidated, and at most [`PER_SITE`] requests run at a time per
//! site, each starting at least the delay after the previous one.

use super::cache::{Cache, Meta};
use super::FetchError;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};
use url::Url;

/// Requests in flight at once to one site.
pub const PER_SITE: usize = 2;
/// Redirects followed at most.
pub const MAX_REDIRECTS: u32 = 5;
/// A `Crawl-delay` in `robots.txt` is honoured up to this.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

/// The `User-Agent` sent, and the name `robots.txt` groups are matched against.
pub fn user_agent() -> String {
    format!(
        "report-lint/{} (+government information-disclosure annual report checker)",
        env!("CARGO_PKG_VERSION")
    )
}

const ROBOTS_AGENT: &str = "report-lint";

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The least time between two requests to one site.
    pub delay: Duration,
    /// The longest a whole request (connection, headers, body) may take.
    pub timeout: Duration,
    /// The largest body accepted.
    pub max_bytes: u64,
}

/// A response, its body on disk.
#[derive(Debug, Clone)]
pub struct Response {
    /// The address it came from after redirects.
    pub url: Url,
    pub body: PathBuf,
    pub content_type: Option<String>,
}

impl Response {
    /// The charset named by `Content-Type`, when it is one encoding_rs knows.
    pub fn charset(&self) -> Option<&'static encoding_rs::Encoding> {
        let ct = self.content_type.as_deref()?;
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            if !k.trim().eq_ignore_ascii_case("charset") {
                return None;
            }
            crate::input::encoding::for_label(v.trim().trim_matches(['"', '\'']))
        })
    }
}

#[derive(Debug)]
enum Robots {
    /// No usable `robots.txt` (absent, 4xx, unparsable): everything allowed.
    All,
    Rules(texting_robots::Robot),
    /// `robots.txt` could not be fetched (5xx or network): nothing is fetched
    /// from the site (RFC 9309 §2.3.1.4), and the cause is told.
    Unreachable(FetchError),
}

#[derive(Debug, Default)]
struct Site {
    active: usize,
    next: Option<Instant>,
    /// The site's `Crawl-delay`, when longer than ours.
    delay: Option<Duration>,
}

enum Step {
    Done(Response),
    Redirect(Url),
}

#[derive(Debug)]
pub struct Client {
    agent: ureq::Agent,
    settings: Settings,
    cache: Arc<Cache>,
    sites: Mutex<HashMap<String, Site>>,
    turn: Condvar,
    robots: Mutex<HashMap<String, Arc<OnceLock<Robots>>>>,
}

/// A place in a site's queue; frees it when dropped.
struct Permit<'a> {
    client: &'a Client,
    site: String,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut sites = self.client.sites.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = sites.get_mut(&self.site) {
            s.active -= 1;
        }
        self.client.turn.notify_all();
    }
}

/// `host:port`, the unit of politeness and of `robots.txt`.
fn site(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

impl Client {
    pub fn new(settings: Settings, cache: Arc<Cache>) -> Client {
        let connect = settings.timeout.min(Duration::from_secs(10));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(connect))
            .timeout_global(Some(settings.timeout))
            // Redirects are followed by `follow`, hop by hop.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(user_agent())
            // 4xx and 5xx are read as responses, to name them.
            .http_status_as_error(false)
            .build()
            .into();
        Client {
            agent,
            settings,
            cache,
            sites: Mutex::new(HashMap::new()),
            turn: Condvar::new(),
            robots: Mutex::new(HashMap::new()),
        }
    }

    /// Check an address before any request.
    pub fn parse(address: &str) -> Result<Url, FetchError> {
        let url = Url::parse(address.trim()).map_err(|e| FetchError::BadAddress(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::Scheme(url.scheme().to_string()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(FetchError::Credentials);
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(FetchError::BadAddress("没有主机名".into()));
        }
        Ok(url)
    }

    /// Fetch `url`, obeying `robots.txt`, from the cache when it is fresh.
    /// Redirects are followed here, at most [`MAX_REDIRECTS`], each hop
    /// checked like the first address (scheme, robots, politeness).
    pub fn get(&self, url: &Url) -> Result<Response, FetchError> {
        self.follow(url, true)
    }

    fn follow(&self, url: &Url, robots: bool) -> Result<Response, FetchError> {
        let mut current = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            if robots {
                self.allowed(&current)?;
            }
            match self.request(&current)? {
                Step::Done(resp) => {
                    if current != *url {
                        // Cached under the address asked for too.
                        if let Ok(body) = std::fs::read(&resp.body) {
                            let meta = Meta {
                                url: url.to_string(),
                                final_url: resp.url.to_string(),
                                content_type: resp.content_type.clone(),
                                etag: None,
                                last_modified: None,
                                fetched: super::cache::now(),
                            };
                            if let Ok(body) = self.cache.store(&meta, &body) {
                                return Ok(Response { body, ..resp });
                            }
                        }
                    }
                    return Ok(resp);
                }
                Step::Redirect(next) => current = next,
            }
        }
        Err(FetchError::Redirects)
    }

    fn allowed(&self, url: &Url) -> Result<(), FetchError> {
        let robots = self.robots_for(url);
        match robots.get() {
            None | Some(Robots::All) => Ok(()),
            Some(Robots::Rules(r)) if r.allowed(url.as_str()) => Ok(()),
            Some(Robots::Rules(_)) => Err(FetchError::Robots),
            Some(Robots::Unreachable(e)) => Err(FetchError::RobotsUnreachable(Box::new(e.clone()))),
        }
    }

    fn robots_for(&self, url: &Url) -> Arc<OnceLock<Robots>> {
        let key = site(url);
        let once = self
            .robots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key.clone())
            .or_default()
            .clone();
        once.get_or_init(|| {
            let mut robots_url = url.clone();
            robots_url.set_path("/robots.txt");
            robots_url.set_query(None);
            robots_url.set_fragment(None);
            let robots = match self.follow(&robots_url, false) {
                Ok(resp) => std::fs::read(&resp.body)
                    .ok()
                    .and_then(|b| texting_robots::Robot::new(ROBOTS_AGENT, &b).ok())
                    .map_or(Robots::All, Robots::Rules),
                Err(FetchError::Status(s)) if (400..500).contains(&s) => Robots::All,
                Err(FetchError::TooLarge(_)) => Robots::All,
                Err(e) => Robots::Unreachable(e),
            };
            if let Robots::Rules(r) = &robots {
                if let Some(d) = r.delay.filter(|d| d.is_finite() && *d > 0.0) {
                    let d = Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY);
                    let mut sites = self.sites.lock().unwrap_or_else(|e| e.into_inner());
                    sites.entry(key.clone()).or_default().delay = Some(d);
                }
            }
            robots
        });
        once
    }

    /// Wait for a place in the site's queue.
    fn permit(&self, url: &Url) -> Permit<'_> {
        let key = site(url);
        let mut sites = self.sites.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let s = sites.entry(key.clone()).or_default();
            let now = Instant::now();
            if s.active < PER_SITE {
                match s.next {
                    Some(next) if next > now => {
                        let wait = next - now;
                        sites = self
                            .turn
                            .wait_timeout(sites, wait)
                            .unwrap_or_else(|e| e.into_inner())
                            .0;
                        continue;
                    }
                    _ => {
                        s.active += 1;
                        s.next = Some(now + self.settings.delay.max(s.delay.unwrap_or_default()));
                        return Permit {
                            client: self,
                            site: key,
                        };
                    }
                }
            }
            sites = self.turn.wait(sites).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// One request (or the cache): a response, or where it redirects to.
    fn request(&self, url: &Url) -> Result<Step, FetchError> {
        let address = url.as_str();
        let cached = self.cache.lookup(address);
        let from_cache = |m: &Meta| Response {
            url: Url::parse(&m.final_url).unwrap_or_else(|_| url.clone()),
            body: self.cache.body_path(address),
            content_type: m.content_type.clone(),
        };
        if let Some(m) = cached.as_ref().filter(|m| Cache::is_fresh(m)) {
            return Ok(Step::Done(from_cache(m)));
        }
        let _permit = self.permit(url);
        let mut req = self.agent.get(address);
        if let Some(m) = &cached {
            if let Some(etag) = &m.etag {
                req = req.header("If-None-Match", etag);
            }
            if let Some(lm) = &m.last_modified {
                req = req.header("If-Modified-Since", lm);
            }
        }
        let mut resp = req.call().map_err(FetchError::from_ureq)?;
        let status = resp.status().as_u16();
        if status == 304 {
            if let Some(m) = &cached {
                self.cache.touch(m);
                return Ok(Step::Done(from_cache(m)));
            }
        }
        if (300..400).contains(&status) && status != 304 {
            let location = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or(FetchError::Status(status))?;
            let next = url
                .join(location.trim())
                .map_err(|e| FetchError::BadAddress(e.to_string()))?;
            return Client::parse(next.as_str()).map(Step::Redirect);
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status(status));
        }
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let max = self.settings.max_bytes;
        if let Some(len) = header("content-length").and_then(|l| l.trim().parse::<u64>().ok()) {
            if len > max {
                return Err(FetchError::TooLarge(max));
            }
        }
        let meta = Meta {
            url: address.to_string(),
            final_url: address.to_string(),
            content_type: header("content-type"),
            etag: header("etag"),
            last_modified: header("last-modified"),
            fetched: super::cache::now(),
        };
        let body = resp
            .body_mut()
            .with_config()
            .limit(max)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(max),
                e => FetchError::from_ureq(e),
            })?;
        let path = self.cache.store(&meta, &body).map_err(FetchError::Cache)?;
        Ok(Step::Done(Response {
            url: url.clone(),
            body: path,
            content_type: meta.content_type,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_before_any_request() {
        assert!(Client::parse("https://www.gov.cn/a.html").is_ok());
        assert_eq!(
            Client::parse("ftp://example.org/a.pdf").unwrap_err(),
            FetchError::Scheme("ftp".into())
        );
        assert_eq!(
            Client::parse("http://user:pw@example.org/").unwrap_err(),
            FetchError::Credentials
        );
        assert!(matches!(
            Client::parse("http://").unwrap_err(),
            FetchError::BadAddress(_)
        ));
    }

    #[test]
    fn the_charset_comes_from_content_type() {
        let r = |ct: &str| Response {
            url: Url::parse("http://127.0.0.1/").unwrap(),
            body: PathBuf::new(),
            content_type: Some(ct.into()),
        };
        assert_eq!(
            r("text/html; charset=GBK").charset(),
            Some(encoding_rs::GBK)
        );
        assert_eq!(
            r("text/html;charset=\"utf-8\"").charset(),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(r("text/html").charset(), None);
    }
}
