//! Lists as the API answers them: a page of items, with the cursor of the next page in the body
//! (`next`) and in a `Link: <…>; rel="next"` header that repeats the request's own filters.

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::Uri;
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::input::FieldParser;
use crate::domain::paging::{Page, PageQuery, PageRequest};
use crate::error::{AppError, AppResult};
use crate::http;

/// Declares the schema of a page of `$item`, named `$name`: the document gets one concrete
/// schema per list, which client generators handle better than a generic one.
macro_rules! page_of {
    ($(#[$meta:meta])* $name:ident, $item:ty) => {
        $(#[$meta])*
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            items: Vec<$item>,
            /// The cursor of the next page; `null` on the last. The `Link` header carries it too.
            next: Option<String>,
        }

        impl From<$crate::domain::paging::Page<$item>> for $name {
            fn from(page: $crate::domain::paging::Page<$item>) -> Self {
                Self { items: page.items, next: page.next }
            }
        }
    };
}
pub(super) use page_of;

/// The page a query string asks for; a bad `limit` or `cursor` is named.
pub fn page_request(paging: Result<Query<PageQuery>, QueryRejection>) -> AppResult<PageRequest> {
    let mut p = FieldParser::default();
    let request = http::query(paging)?.parse(&mut p);
    p.finish(request).map_err(AppError::Invalid)
}

/// `page` as the body `P`, with a `Link` to the next page when there is one.
pub fn paged<T, P>(uri: &Uri, page: Page<T>) -> Response
where
    P: From<Page<T>> + Serialize,
{
    let link = page.next.as_ref().map(|next| format!("<{}>; rel=\"next\"", http::page_link(uri, Some(next))));
    let body = Json(P::from(page));
    match link {
        Some(link) => ([(LINK, link)], body).into_response(),
        None => body.into_response(),
    }
}
