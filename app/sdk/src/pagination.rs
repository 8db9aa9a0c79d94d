//! Pages of list queries, with the semantics of Cosmos' `cosmos.base.query.v1beta1.PageRequest`.
//!
//! A list is the entries under one key prefix, in key order. A request names where its page
//! starts either by `key` (the `next_key` of the previous page: the key, relative to the list's
//! prefix, of the first entry of this page) or by `offset` (entries to skip), never both. At most
//! `limit` entries come back (0 asks for [`DEFAULT_LIMIT`]; more than [`MAX_LIMIT`] is cut to
//! it); `reverse` walks from the last entry down. The response's `next_key` is the key of the
//! first entry of the next page, empty on the last page. `total` is counted only when asked
//! (`count_total`) and only for offset (key-less) requests, as in Cosmos.
//!
//! A page costs the entries it skips (`offset`) and returns, plus one to find `next_key`: never
//! the whole list, except for `count_total`, which walks every entry (as Cosmos does). Unlike
//! Cosmos, a request without `limit` does not imply `count_total`.

use salus_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use salus_store::KeyValues;

use crate::error::{Error, SdkCode};
use crate::state::StateRead;

/// The page size when a request gives no limit (Cosmos' `DefaultLimit`).
pub const DEFAULT_LIMIT: usize = 100;
/// The largest page served; a larger `limit` is cut to it (`next_key` then points on).
pub const MAX_LIMIT: usize = 1000;
/// How many entries a filtered page may examine past its offset before it stops early; it then
/// returns what it found and the key to continue from as `next_key`.
pub const MAX_FILTER_SCAN: usize = 10 * MAX_LIMIT;
/// How many entries one store read brings in while walking a list.
const CHUNK: usize = 256;

/// A validated page request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Where the page starts, relative to the list's prefix; empty: at `offset`.
    pub key: Vec<u8>,
    pub offset: u64,
    /// Entries to return, 1 ..= [`MAX_LIMIT`].
    pub limit: usize,
    /// Whether to count every entry (only without `key`).
    pub count_total: bool,
    pub reverse: bool,
}

impl Page {
    /// The first page of up to [`DEFAULT_LIMIT`] entries, as a request without pagination gets.
    pub fn first() -> Self {
        Self { limit: DEFAULT_LIMIT, ..Default::default() }
    }

    /// Checks a request's pagination (absent: the first page): `key` and `offset` together are
    /// refused as in Cosmos; `limit` 0 becomes [`DEFAULT_LIMIT`] and anything above
    /// [`MAX_LIMIT`] becomes [`MAX_LIMIT`]; `count_total` holds only without `key`.
    pub fn from_request(req: Option<&PageRequest>) -> Result<Self, Error> {
        let Some(req) = req else { return Ok(Self::first()) };
        if !req.key.is_empty() && req.offset > 0 {
            return Err(Error::sdk(
                SdkCode::InvalidRequest,
                "invalid request, either offset or key is expected, got both: \
                 continue from a page's next_key without an offset",
            ));
        }
        let limit = match req.limit {
            0 => DEFAULT_LIMIT,
            n => usize::try_from(n).unwrap_or(usize::MAX).min(MAX_LIMIT),
        };
        Ok(Self {
            key: req.key.clone(),
            offset: req.offset,
            limit,
            count_total: req.count_total && req.key.is_empty(),
            reverse: req.reverse,
        })
    }
}

/// The key just past every key that starts with `prefix` (for a non-empty prefix that is not all
/// 0xFF; otherwise a key past every key of that length).
pub fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            return end;
        }
    }
    vec![0xFF; prefix.len() + 1]
}

type KeyValue = (Vec<u8>, Vec<u8>);

/// Walks the entries under a prefix in chunks of bounded reads, in either direction.
struct Walk<'a, S: StateRead + ?Sized> {
    state: &'a S,
    prefix: &'a [u8],
    /// The range still to read: `from <= key < to`.
    from: Vec<u8>,
    to: Vec<u8>,
    reverse: bool,
    chunk: std::vec::IntoIter<KeyValue>,
    exhausted: bool,
}

impl<'a, S: StateRead + ?Sized> Walk<'a, S> {
    fn new(state: &'a S, prefix: &'a [u8], page: &Page) -> Self {
        let start = [prefix, &page.key].concat();
        let (from, to) = match (page.reverse, page.key.is_empty()) {
            (false, _) => (start, prefix_end(prefix)),
            // From `key` itself down: every key up to and including it.
            (true, false) => (prefix.to_vec(), [start.as_slice(), &[0]].concat()),
            (true, true) => (prefix.to_vec(), prefix_end(prefix)),
        };
        Self { state, prefix, from, to, reverse: page.reverse, chunk: Vec::new().into_iter(), exhausted: false }
    }

    /// The next entry, reading `want` more (at least) when the current chunk is used up.
    fn next(&mut self, want: usize) -> Result<Option<KeyValue>, Error> {
        if let Some(kv) = self.chunk.next() {
            return Ok(Some(kv));
        }
        if self.exhausted {
            return Ok(None);
        }
        let want = want.clamp(1, CHUNK);
        let read: KeyValues = self.state.range_limit_raw(self.prefix, &self.from, &self.to, want, self.reverse)?;
        if read.len() < want {
            self.exhausted = true;
        }
        if let Some((last, _)) = read.last() {
            if self.reverse {
                self.to = last.clone();
            } else {
                self.from = [last.as_slice(), &[0]].concat();
            }
        }
        self.chunk = read.into_iter();
        Ok(self.chunk.next())
    }
}

/// One page of the entries under `prefix` (full keys, values), and its `PageResponse`.
pub fn paginate(
    state: &(impl StateRead + ?Sized),
    prefix: &[u8],
    page: &Page,
) -> Result<(KeyValues, PageResponse), Error> {
    paginate_with(state, prefix, page, None)
}

/// Like [`paginate`], over the entries `keep` accepts only: `offset`, `limit` and `total`
/// count accepted entries, and `next_key` is the key of the next accepted entry. Past its offset
/// a page examines at most [`MAX_FILTER_SCAN`] entries (unless `count_total`); if it stops
/// there, `next_key` is where to go on, even if nothing more would be accepted.
pub fn paginate_filtered(
    state: &(impl StateRead + ?Sized),
    prefix: &[u8],
    page: &Page,
    mut keep: impl FnMut(&[u8], &[u8]) -> Result<bool, Error>,
) -> Result<(KeyValues, PageResponse), Error> {
    paginate_with(state, prefix, page, Some(&mut keep))
}

type Keep<'a> = &'a mut dyn FnMut(&[u8], &[u8]) -> Result<bool, Error>;

fn paginate_with(
    state: &(impl StateRead + ?Sized),
    prefix: &[u8],
    page: &Page,
    mut keep: Option<Keep>,
) -> Result<(KeyValues, PageResponse), Error> {
    if !page.key.is_empty() && page.offset > 0 {
        return Err(Error::sdk(SdkCode::InvalidRequest, "invalid request, either offset or key is expected, got both"));
    }
    let limit = if page.limit == 0 { DEFAULT_LIMIT } else { page.limit.min(MAX_LIMIT) };
    let count_total = page.count_total && page.key.is_empty();
    let offset = if page.key.is_empty() { page.offset } else { 0 };
    let mut walk = Walk::new(state, prefix, page);
    let mut accepted: u64 = 0;
    let mut examined_past_offset = 0usize;
    let mut out = Vec::new();
    let mut next_key = Vec::new();
    loop {
        // Read ahead what is still needed: the rest of the offset, the page and one more.
        // Filters may refuse entries, so they read whole chunks.
        let want = if count_total || keep.is_some() {
            CHUNK
        } else {
            let skip = offset.saturating_sub(accepted);
            usize::try_from(skip).unwrap_or(usize::MAX).saturating_add(limit - out.len()).saturating_add(1)
        };
        let Some((k, v)) = walk.next(want)? else { break };
        if accepted >= offset && next_key.is_empty() {
            if keep.is_some() && !count_total && examined_past_offset >= MAX_FILTER_SCAN {
                next_key = k[prefix.len()..].to_vec();
                break;
            }
            examined_past_offset += 1;
        }
        if let Some(keep) = keep.as_mut() {
            if !keep(&k, &v)? {
                continue;
            }
        }
        accepted += 1;
        if accepted <= offset {
            continue;
        }
        if out.len() < limit {
            out.push((k, v));
        } else if next_key.is_empty() {
            next_key = k[prefix.len()..].to_vec();
            if !count_total {
                break;
            }
        }
    }
    let total = if count_total { accepted } else { 0 };
    Ok((out, PageResponse { next_key, total }))
}

/// The pagination flags of list commands, as Cosmos CLIs have them.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct PageArgs {
    /// Entries per page (the node serves at most 1000).
    #[arg(long, default_value_t = DEFAULT_LIMIT as u64)]
    pub limit: u64,
    /// Entries to skip before the page (not with --page-key).
    #[arg(long, default_value_t = 0, conflicts_with = "page_key")]
    pub offset: u64,
    /// Page number, from 1: skips (page - 1) * limit entries (not with --offset or --page-key).
    #[arg(long, conflicts_with_all = ["offset", "page_key"])]
    pub page: Option<u64>,
    /// Start at this key: the `next_key` a previous page printed (base64).
    #[arg(long, value_name = "NEXT_KEY")]
    pub page_key: Option<String>,
    /// Count every entry into `pagination.total` (walks the whole list; not with --page-key).
    #[arg(long)]
    pub count_total: bool,
    /// From the last entry down.
    #[arg(long)]
    pub reverse: bool,
}

impl PageArgs {
    /// The request these flags stand for.
    pub fn to_request(&self) -> Result<PageRequest, Error> {
        use base64::Engine;
        let key = match self.page_key.as_deref() {
            None | Some("") => Vec::new(),
            Some(k) => {
                let engines = [
                    &base64::engine::general_purpose::STANDARD,
                    &base64::engine::general_purpose::STANDARD_NO_PAD,
                    &base64::engine::general_purpose::URL_SAFE,
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                ];
                engines.iter().find_map(|e| e.decode(k).ok()).ok_or_else(|| {
                    Error::sdk(
                        SdkCode::InvalidRequest,
                        format!("--page-key `{k}` is not base64: pass the next_key a page printed"),
                    )
                })?
            }
        };
        let offset = match self.page {
            Some(0) => {
                return Err(Error::sdk(SdkCode::InvalidRequest, "--page counts from 1"));
            }
            // The node serves pages of the limit it applies, so pages count in that limit.
            Some(page) => (page - 1).saturating_mul(match self.limit as usize {
                0 => DEFAULT_LIMIT as u64,
                l => l.min(MAX_LIMIT) as u64,
            }),
            None => self.offset,
        };
        if !key.is_empty() && offset > 0 {
            return Err(Error::sdk(
                SdkCode::InvalidRequest,
                "either --offset (or --page) or --page-key is expected, got both",
            ));
        }
        Ok(PageRequest { key, offset, limit: self.limit, count_total: self.count_total, reverse: self.reverse })
    }
}

/// Writes a response's `pagination` in JSON as Cosmos CLIs print it: `next_key` (base64, null on
/// the last page) and `total` (a string, "0" unless counted), wherever a `pagination` object
/// sits in `value` (protobuf JSON leaves out empty fields).
pub fn fill_page_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    serde_json::Value::Object(page) if k == "pagination" => {
                        let next = page.remove("nextKey").or_else(|| page.remove("next_key"));
                        page.insert("next_key".into(), next.unwrap_or(serde_json::Value::Null));
                        if !page.contains_key("total") {
                            page.insert("total".into(), "0".into());
                        }
                    }
                    _ => fill_page_json(v),
                }
            }
            if let Some(v @ serde_json::Value::Null) = map.get_mut("pagination") {
                *v = serde_json::json!({ "next_key": null, "total": "0" });
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(fill_page_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use salus_store::{Changes, Storage};

    /// `l/000` .. `l/{n-1}` (value: the number as text), with every seventh deleted again, and
    /// neighbours on both sides of the prefix.
    fn list(n: u32) -> (tempfile::TempDir, Storage, Vec<u32>) {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        let mut c = Changes::new();
        for i in 0..n {
            c.insert(format!("l/{i:03}").into_bytes(), Some(i.to_string().into_bytes()));
        }
        c.insert(b"k/999".to_vec(), Some(b"x".to_vec()));
        c.insert(b"m/000".to_vec(), Some(b"x".to_vec()));
        s.commit(s.prepare(0, &c).unwrap()).unwrap();
        let mut c = Changes::new();
        for i in (0..n).step_by(7) {
            c.insert(format!("l/{i:03}").into_bytes(), None);
        }
        s.commit(s.prepare(1, &c).unwrap()).unwrap();
        let live = (0..n).filter(|i| i % 7 != 0).collect();
        (dir, s, live)
    }

    fn numbers(page: &KeyValues) -> Vec<u32> {
        page.iter().map(|(_, v)| String::from_utf8(v.clone()).unwrap().parse().unwrap()).collect()
    }

    fn request(key: &[u8], offset: u64, limit: u64, count_total: bool, reverse: bool) -> Page {
        Page::from_request(Some(&PageRequest { key: key.to_vec(), offset, limit, count_total, reverse })).unwrap()
    }

    /// Every page, following next_key from the first, until next_key is empty.
    fn walk_all(state: &impl StateRead, limit: u64, reverse: bool) -> (Vec<u32>, usize) {
        let (mut seen, mut pages, mut key) = (Vec::new(), 0, Vec::new());
        loop {
            let (page, resp) = paginate(state, b"l/", &request(&key, 0, limit, false, reverse)).unwrap();
            assert!(page.len() as u64 <= limit);
            seen.extend(numbers(&page));
            pages += 1;
            if resp.next_key.is_empty() {
                return (seen, pages);
            }
            assert_eq!(page.len() as u64, limit, "only the last page is short");
            key = resp.next_key;
        }
    }

    #[test]
    fn next_key_pages_through_every_live_entry_once_both_ways() {
        let (_d, s, live) = list(250);
        let snap = s.snapshot(1);
        for limit in [1, 7, 100, 213, 214, 1000] {
            let (seen, pages) = walk_all(&snap, limit, false);
            assert_eq!(seen, live, "limit {limit}");
            assert_eq!(pages, live.len().div_ceil(limit as usize).max(1));
            let (mut back, _) = walk_all(&snap, limit, true);
            back.reverse();
            assert_eq!(back, live, "limit {limit}, reverse");
        }
    }

    #[test]
    fn next_key_is_the_first_entry_of_the_next_page_relative_to_the_prefix() {
        let (_d, s, _) = list(30);
        let snap = s.snapshot(1);
        let (page, resp) = paginate(&snap, b"l/", &request(b"", 0, 3, false, false)).unwrap();
        assert_eq!(numbers(&page), vec![1, 2, 3]);
        assert_eq!(page[0].0, b"l/001".to_vec(), "entries keep their full keys");
        assert_eq!(resp.next_key, b"004".to_vec());
        // A key that is not stored starts at the next one up (forward) or down (reverse).
        let (page, resp) = paginate(&snap, b"l/", &request(b"007", 0, 2, false, false)).unwrap();
        assert_eq!((numbers(&page), resp.next_key), (vec![8, 9], b"010".to_vec()));
        let (page, resp) = paginate(&snap, b"l/", &request(b"007", 0, 2, false, true)).unwrap();
        assert_eq!((numbers(&page), resp.next_key), (vec![6, 5], b"004".to_vec()));
        let (page, resp) = paginate(&snap, b"l/", &request(b"", 0, 2, false, true)).unwrap();
        assert_eq!((numbers(&page), resp.next_key), (vec![29, 27], b"026".to_vec()));
        // The last page has no next_key, even when it is exactly full.
        let (page, resp) = paginate(&snap, b"l/", &request(b"026", 0, 4, false, false)).unwrap();
        assert_eq!((numbers(&page), resp.next_key), (vec![26, 27, 29], Vec::new()));
        let (page, resp) = paginate(&snap, b"l/", &request(b"027", 0, 2, false, false)).unwrap();
        assert_eq!((numbers(&page), resp.next_key), (vec![27, 29], Vec::new()));
        // Past the end: nothing, and no next_key.
        let (page, resp) = paginate(&snap, b"l/", &request(b"\xff", 0, 2, false, false)).unwrap();
        assert!(page.is_empty() && resp.next_key.is_empty());
    }

    #[test]
    fn offset_skips_entries_and_count_total_counts_them_all() {
        let (_d, s, live) = list(250);
        let snap = s.snapshot(1);
        let (page, resp) = paginate(&snap, b"l/", &request(b"", 10, 5, true, false)).unwrap();
        assert_eq!(numbers(&page), live[10..15].to_vec());
        assert_eq!(resp.total, live.len() as u64);
        assert_eq!(resp.next_key, format!("{:03}", live[15]).into_bytes());
        let (page, resp) = paginate(&snap, b"l/", &request(b"", 10, 5, false, true)).unwrap();
        let rev: Vec<u32> = live.iter().rev().copied().collect();
        assert_eq!(numbers(&page), rev[10..15].to_vec());
        assert_eq!(resp.total, 0, "total only when asked");
        // The next_key of an offset page continues where it ends.
        let (next, _) = paginate(&snap, b"l/", &request(&resp.next_key, 0, 5, false, true)).unwrap();
        assert_eq!(numbers(&next), rev[15..20].to_vec());
        // An offset past the end: an empty page that still counts.
        let (page, resp) = paginate(&snap, b"l/", &request(b"", 5000, 5, true, false)).unwrap();
        assert!(page.is_empty() && resp.next_key.is_empty());
        assert_eq!(resp.total, live.len() as u64);
        // With a key, count_total is ignored, as in Cosmos.
        let (_, resp) = paginate(&snap, b"l/", &request(b"100", 0, 5, true, false)).unwrap();
        assert_eq!(resp.total, 0);
    }

    #[test]
    fn the_limit_defaults_to_100_and_is_capped() {
        let (_d, s, live) = list(999);
        let snap = s.snapshot(1);
        let (page, resp) = paginate(&snap, b"l/", &Page::from_request(None).unwrap()).unwrap();
        assert_eq!(numbers(&page), live[..DEFAULT_LIMIT].to_vec());
        assert_eq!((resp.next_key, resp.total), (format!("{:03}", live[100]).into_bytes(), 0));
        assert_eq!(request(b"", 0, 0, false, false).limit, DEFAULT_LIMIT);
        assert_eq!(request(b"", 0, 5000, false, false).limit, MAX_LIMIT);
        assert_eq!(request(b"", 0, u64::MAX, false, false).limit, MAX_LIMIT);
        let (page, resp) = paginate(&snap, b"l/", &request(b"", 0, u64::MAX, false, false)).unwrap();
        assert_eq!(page.len(), live.len().min(MAX_LIMIT));
        assert!(resp.next_key.is_empty(), "856 live entries fit in one capped page");
    }

    #[test]
    fn key_and_offset_together_are_refused() {
        let both = PageRequest { key: b"001".to_vec(), offset: 1, ..Default::default() };
        let err = Page::from_request(Some(&both)).unwrap_err();
        assert!(err.is(SdkCode::InvalidRequest));
        assert!(err.message.contains("either offset or key is expected, got both"));
        let (_d, s, _) = list(3);
        let page = Page { key: b"001".to_vec(), offset: 1, limit: 5, ..Default::default() };
        assert!(paginate(&s.snapshot(1), b"l/", &page).unwrap_err().is(SdkCode::InvalidRequest));
    }

    #[test]
    fn a_filtered_page_counts_accepted_entries_only() {
        let (_d, s, live) = list(250);
        let snap = s.snapshot(1);
        let even = |_: &[u8], v: &[u8]| Ok(String::from_utf8(v.to_vec()).unwrap().parse::<u32>().unwrap() % 2 == 0);
        let evens: Vec<u32> = live.iter().copied().filter(|i| i % 2 == 0).collect();
        let (page, resp) = paginate_filtered(&snap, b"l/", &request(b"", 3, 4, true, false), even).unwrap();
        assert_eq!(numbers(&page), evens[3..7].to_vec());
        assert_eq!(resp.total, evens.len() as u64);
        assert_eq!(resp.next_key, format!("{:03}", evens[7]).into_bytes(), "the next accepted entry");
        // Following next_key reaches every accepted entry once, in both directions.
        for reverse in [false, true] {
            let (mut seen, mut key) = (Vec::new(), Vec::new());
            loop {
                let (page, resp) = paginate_filtered(&snap, b"l/", &request(&key, 0, 9, false, reverse), even).unwrap();
                seen.extend(numbers(&page));
                if resp.next_key.is_empty() {
                    break;
                }
                key = resp.next_key;
            }
            if reverse {
                seen.reverse();
            }
            assert_eq!(seen, evens);
        }
    }

    #[test]
    fn a_filtered_page_stops_after_its_scan_budget_with_a_key_to_go_on() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        let mut c = Changes::new();
        let n = MAX_FILTER_SCAN + 5;
        for i in 0..n {
            c.insert(format!("f/{i:06}").into_bytes(), Some(vec![u8::from(i == n - 1)]));
        }
        s.commit(s.prepare(0, &c).unwrap()).unwrap();
        let snap = s.snapshot(0);
        let hit = |_: &[u8], v: &[u8]| Ok(v == [1]);
        let first = Page::first();
        let (page, resp) = paginate_filtered(&snap, b"f/", &first, hit).unwrap();
        assert!(page.is_empty());
        assert_eq!(resp.next_key, format!("{MAX_FILTER_SCAN:06}").into_bytes());
        let go_on = Page { key: resp.next_key, ..first };
        let (page, resp) = paginate_filtered(&snap, b"f/", &go_on, hit).unwrap();
        assert_eq!(page.len(), 1);
        assert!(resp.next_key.is_empty());
        // Counting walks everything instead.
        let counted = Page { count_total: true, ..Page::first() };
        let (page, resp) = paginate_filtered(&snap, b"f/", &counted, hit).unwrap();
        assert_eq!((page.len(), resp.total, resp.next_key.is_empty()), (1, 1, true));
    }

    #[test]
    fn cli_flags_make_the_request_cosmos_clis_send() {
        use base64::Engine;
        let key = base64::engine::general_purpose::STANDARD.encode([0u8, 1, 0xfe]);
        let args = PageArgs { page_key: Some(key), reverse: true, ..PageArgs { limit: 100, ..Default::default() } };
        let req = args.to_request().unwrap();
        assert_eq!((req.key, req.offset, req.limit, req.reverse), (vec![0, 1, 0xfe], 0, 100, true));
        let paged = PageArgs { page: Some(3), limit: 20, ..Default::default() }.to_request().unwrap();
        assert_eq!((paged.offset, paged.limit), (40, 20));
        let over = PageArgs { page: Some(3), limit: 5000, ..Default::default() }.to_request().unwrap();
        assert_eq!(over.offset, 2 * MAX_LIMIT as u64, "pages count in the limit the node applies");
        let unset = PageArgs { page: Some(2), limit: 0, ..Default::default() }.to_request().unwrap();
        assert_eq!(unset.offset, DEFAULT_LIMIT as u64);
        assert!(PageArgs { page: Some(0), ..Default::default() }.to_request().is_err());
        let both = PageArgs { page_key: Some("AAE=".into()), offset: 2, ..Default::default() };
        assert!(both.to_request().unwrap_err().is(SdkCode::InvalidRequest));
        let bad = PageArgs { page_key: Some("not base64!".into()), ..Default::default() };
        assert!(bad.to_request().unwrap_err().message.contains("next_key"));
    }

    #[test]
    fn page_json_names_next_key_and_total_as_cosmos_prints_them() {
        let mut v = serde_json::json!({ "validators": [], "pagination": { "nextKey": "AAE=" } });
        fill_page_json(&mut v);
        assert_eq!(v["pagination"], serde_json::json!({ "next_key": "AAE=", "total": "0" }));
        let mut last = serde_json::json!({ "info": [{ "pagination": {} }], "pagination": { "total": "5" } });
        fill_page_json(&mut last);
        assert_eq!(last["pagination"], serde_json::json!({ "next_key": null, "total": "5" }));
        assert_eq!(last["info"][0]["pagination"], serde_json::json!({ "next_key": null, "total": "0" }));
    }
}
