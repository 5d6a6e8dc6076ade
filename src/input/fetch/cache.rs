//! The disk cache of fetched responses, by address.
//!
//! Each address has two files named by the SHA-256 of the address: `<key>.body`
//! (the response body) and `<key>.json` (its validators and when it was
//! fetched). An entry fetched the same day (UTC) is used without a request; an
//! older one is revalidated with `If-None-Match` / `If-Modified-Since`.
//! With `--no-cache` the bodies go to a directory of this run only, removed
//! when the run ends, and nothing is reused.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// What is kept about a cached response.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// The address asked for.
    pub url: String,
    /// The address answered from, after redirects.
    pub final_url: String,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Seconds since the Unix epoch.
    pub fetched: u64,
}

#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// Entries are read back (not with `--no-cache`).
    reuse: bool,
    /// The directory belongs to this run and is removed on drop.
    temporary: bool,
}

/// The default location: `$XDG_CACHE_HOME/report-lint/http` (on Linux
/// `~/.cache/report-lint/http`; the platform's cache folder elsewhere).
pub fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("report-lint").join("http"))
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// A cache in `dir` (created when missing).
    pub fn open(dir: &Path) -> Result<Cache, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("无法创建下载缓存目录 {}：{e}", dir.display()))?;
        Ok(Cache {
            dir: dir.to_path_buf(),
            reuse: true,
            temporary: false,
        })
    }

    /// A directory for this run only (`--no-cache`): nothing is reused.
    pub fn temporary() -> Result<Cache, String> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("report-lint-fetch-{}-{nanos}", std::process::id()));
        let mut c = Cache::open(&dir)?;
        c.reuse = false;
        c.temporary = true;
        Ok(c)
    }

    fn key(url: &str) -> String {
        let digest = Sha256::digest(url.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn body_path(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.body", Self::key(url)))
    }

    fn meta_path(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.json", Self::key(url)))
    }

    /// The cached entry for `url`, when there is one and its body is there.
    pub fn lookup(&self, url: &str) -> Option<Meta> {
        if !self.reuse {
            return None;
        }
        let text = std::fs::read_to_string(self.meta_path(url)).ok()?;
        let meta: Meta = serde_json::from_str(&text).ok()?;
        (meta.url == url && self.body_path(url).is_file()).then_some(meta)
    }

    /// Fetched the same UTC day: used without asking the server.
    pub fn is_fresh(meta: &Meta) -> bool {
        meta.fetched / 86_400 == now() / 86_400
    }

    /// Store a response; returns the body's path.
    pub fn store(&self, meta: &Meta, body: &[u8]) -> Result<PathBuf, String> {
        let path = self.body_path(&meta.url);
        write_atomic(&path, body)?;
        let json = serde_json::to_vec(meta).map_err(|e| e.to_string())?;
        write_atomic(&self.meta_path(&meta.url), &json)?;
        Ok(path)
    }

    /// A revalidated entry (`304 Not Modified`): fresh again from now.
    pub fn touch(&self, meta: &Meta) {
        let mut m = meta.clone();
        m.fetched = now();
        if let Ok(json) = serde_json::to_vec(&m) {
            let _ = write_atomic(&self.meta_path(&m.url), &json);
        }
    }
}

impl Drop for Cache {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Write through a temporary file and a rename, so a reader never sees half a
/// body (two runs may share the cache).
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("无法写入下载缓存 {}：{e}", path.display())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_finds_by_address() {
        let dir = std::env::temp_dir().join(format!("rl-cache-test-{}", std::process::id()));
        let c = Cache::open(&dir).unwrap();
        let meta = Meta {
            url: "http://127.0.0.1/a.html".into(),
            final_url: "http://127.0.0.1/a.html".into(),
            content_type: Some("text/html".into()),
            etag: Some("\"x\"".into()),
            last_modified: None,
            fetched: now(),
        };
        let p = c.store(&meta, b"<p>hi</p>").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"<p>hi</p>");
        let found = c.lookup(&meta.url).unwrap();
        assert_eq!(found.etag.as_deref(), Some("\"x\""));
        assert!(Cache::is_fresh(&found));
        assert!(c.lookup("http://127.0.0.1/b.html").is_none());
        let old = Meta {
            fetched: now() - 2 * 86_400,
            ..meta
        };
        assert!(!Cache::is_fresh(&old));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_temporary_cache_reuses_nothing_and_is_removed() {
        let c = Cache::temporary().unwrap();
        let dir = c.dir.clone();
        let meta = Meta {
            url: "http://127.0.0.1/".into(),
            final_url: "http://127.0.0.1/".into(),
            content_type: None,
            etag: None,
            last_modified: None,
            fetched: now(),
        };
        c.store(&meta, b"x").unwrap();
        assert!(c.lookup(&meta.url).is_none());
        drop(c);
        assert!(!dir.exists());
    }
}
