//! Cursor paging for the API's lists: a page of at most `limit` items after an opaque cursor,
//! in id order, so that every item present throughout is listed exactly once however many are
//! added between pages.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use super::input::{FieldParser, Problem, lenient_text};

pub const PAGE_DEFAULT: usize = 50;
pub const PAGE_MAX: usize = 500;
const CURSOR_PREFIX: &str = "after:";

/// A page as a query string asks for it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many items at most: 1 to 500, 50 when not given.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Where the previous page ended: its `next`. The first page when not given.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = Option<String>)]
    pub cursor: Option<String>,
}

/// Which page, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: usize,
    /// The id the previous page ended at: the page holds the items beyond it in the list's order.
    pub after: Option<i64>,
}

impl PageRequest {
    /// The first `limit` items.
    pub fn first(limit: usize) -> Self {
        Self { limit, after: None }
    }

    /// How many items a store fetches for this page: one more than it shows, to know whether a
    /// next page exists without counting.
    pub fn fetch(&self) -> usize {
        self.limit + 1
    }
}

impl PageQuery {
    pub fn parse(&self, p: &mut FieldParser) -> PageRequest {
        let limit = p.optional_integer::<usize>("limit", &self.limit, 1..=PAGE_MAX as i64).unwrap_or(PAGE_DEFAULT);
        let cursor = self.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let after = cursor.and_then(|cursor| {
            let after = decode(cursor);
            if after.is_none() {
                p.reject("cursor", Problem::InvalidCursor);
            }
            after
        });
        PageRequest { limit, after }
    }
}

/// The cursor of a page that ended at `id`.
pub fn cursor_after(id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{id}"))
}

fn decode(cursor: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    std::str::from_utf8(&bytes).ok()?.strip_prefix(CURSOR_PREFIX)?.parse().ok().filter(|id| *id >= 0)
}

/// One page of items and the cursor of the next, `None` on the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page { items: Vec::new(), next: None }
    }
}

impl<T> Page<T> {
    /// The page of up to [`PageRequest::fetch`] items fetched in the list's order.
    pub fn of_fetched(mut items: Vec<T>, request: PageRequest, id: impl Fn(&T) -> i64) -> Self {
        let more = items.len() > request.limit;
        items.truncate(request.limit);
        let next = more.then(|| items.last().map(|item| cursor_after(id(item)))).flatten();
        Page { items, next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next: self.next }
    }
}

/// The page `request` asks for of `items` (in any order), by their ids.
pub fn page<T>(items: impl Iterator<Item = T>, id: impl Fn(&T) -> i64, request: PageRequest) -> Page<T> {
    let mut after: Vec<T> = items.filter(|item| request.after.is_none_or(|after| id(item) > after)).collect();
    // The lowest ids only, without sorting every item.
    if after.len() > request.fetch() {
        after.select_nth_unstable_by_key(request.fetch(), |item| id(item));
        after.truncate(request.fetch());
    }
    after.sort_unstable_by_key(|item| id(item));
    Page::of_fetched(after, request, id)
}

/// The page `request` asks for of `items` (in any order), newest (highest id) first.
pub fn page_newest_first<T>(items: impl Iterator<Item = T>, id: impl Fn(&T) -> i64, request: PageRequest) -> Page<T> {
    let mut older: Vec<T> = items.filter(|item| request.after.is_none_or(|after| id(item) < after)).collect();
    older.sort_unstable_by_key(|item| std::cmp::Reverse(id(item)));
    older.truncate(request.fetch());
    Page::of_fetched(older, request, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(limit: &str, cursor: Option<String>) -> Result<PageRequest, super::super::input::FieldErrors> {
        let mut p = FieldParser::default();
        let query = PageQuery { limit: Some(limit.into()), cursor };
        let request = query.parse(&mut p);
        p.finish(request)
    }

    #[test]
    fn pages_follow_ids_and_end_without_a_cursor() {
        let ids = [7_i64, 3, 9, 1, 5];
        let first = page(ids.iter().copied(), |id| *id, request("2", None).unwrap());
        assert_eq!(first.items, [1, 3]);
        let second = page(ids.iter().copied(), |id| *id, request("2", first.next).unwrap());
        assert_eq!(second.items, [5, 7]);
        let last = page(ids.iter().copied(), |id| *id, request("2", second.next).unwrap());
        assert_eq!((last.items, last.next), (vec![9], None));
        let exact = page(ids.iter().copied(), |id| *id, request("5", None).unwrap());
        assert_eq!(exact.next, None, "no empty page after the last");
    }

    #[test]
    fn newest_first_pages_go_down_the_ids() {
        let ids = [2_i64, 9, 4, 7];
        let first = page_newest_first(ids.iter().copied(), |id| *id, request("3", None).unwrap());
        assert_eq!(first.items, [9, 7, 4]);
        let last = page_newest_first(ids.iter().copied(), |id| *id, request("3", first.next).unwrap());
        assert_eq!((last.items, last.next), (vec![2], None));
    }

    #[test]
    fn a_fetched_page_has_a_next_only_when_the_extra_item_came() {
        let newest_first = PageRequest::first(2);
        assert_eq!(newest_first.fetch(), 3);
        let full = Page::of_fetched(vec![9_i64, 8, 7], newest_first, |id| *id);
        assert_eq!((full.items, full.next), (vec![9, 8], Some(cursor_after(8))));
        let last = Page::of_fetched(vec![9_i64, 8], newest_first, |id| *id);
        assert_eq!((last.items, last.next), (vec![9, 8], None));
    }

    #[test]
    fn bad_limits_and_cursors_are_named() {
        for bad in ["0", "501", "100000", "ten"] {
            assert!(request(bad, None).unwrap_err().has("limit"), "{bad}");
        }
        for bad in ["!!", "YWJj", &URL_SAFE_NO_PAD.encode("after:-1"), &URL_SAFE_NO_PAD.encode("after:x")] {
            assert_eq!(request("5", Some(bad.to_string())).unwrap_err().get("cursor"), Some(&Problem::InvalidCursor));
        }
        assert_eq!(request("5", Some(cursor_after(12))).unwrap(), PageRequest { limit: 5, after: Some(12) });
    }
}
