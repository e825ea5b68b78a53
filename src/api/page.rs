//! The HTTP side of paged lists: `limit` and `cursor` in the query, and the RFC 8288
//! `Link: <…?cursor=…>; rel="next"` header when there is more. The JSON body stays the
//! plain array the contract describes.

use crate::domain::page::{self, Page, PageReq};
use crate::error::{AppError, AppResult};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

/// The page asked for: `limit` (1–1000, else `default`) and the key in `cursor` (a cursor
/// of `list` with `arity` parts). 422 naming each field that is wrong.
pub fn request(
    limit: Option<i64>,
    cursor: Option<&str>,
    default: i64,
    list: &str,
    arity: usize,
) -> AppResult<PageReq> {
    let mut errors = vec![];
    let limit = page::limit(limit, default).unwrap_or_else(|e| {
        errors.push(e);
        default
    });
    let after = match cursor.map(|c| page::decode(list, c, arity)).transpose() {
        Ok(a) => a,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if errors.is_empty() {
        Ok(PageReq { limit, after })
    } else {
        Err(AppError::from_fields(errors))
    }
}

/// 200 with the page's items as the body and, when there is more, the `Link` to the next page.
pub fn respond<T: Serialize>(req: &HttpRequest, page: Page<T>) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    if let Some(cursor) = &page.next {
        res.insert_header(("Link", next_link(req.path(), req.query_string(), cursor)));
    }
    res.json(page.items)
}

/// `<path?…&cursor=…>; rel="next"`: the request's own query (filters and limit, as sent)
/// without its old cursor, plus the new one (base64url: nothing to escape).
pub fn next_link(path: &str, query: &str, cursor: &str) -> String {
    link_with(path, query, "cursor", cursor)
}

/// The request's query with `name` set to `value` (URL-safe), as an RFC 8288 next link.
pub fn link_with(path: &str, query: &str, name: &str, value: &str) -> String {
    let prefix = format!("{name}=");
    let mut parts: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && *p != name && !p.starts_with(&prefix))
        .collect();
    let c = format!("{name}={value}");
    parts.push(&c);
    format!("<{path}?{}>; rel=\"next\"", parts.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_keeps_the_filters_and_replaces_the_cursor() {
        assert_eq!(
            next_link("/api/staff", "", "abc"),
            "</api/staff?cursor=abc>; rel=\"next\""
        );
        assert_eq!(
            next_link(
                "/api/teams/t/contacts",
                "day=2026-10-14&cursor=old&limit=2",
                "new_-1"
            ),
            "</api/teams/t/contacts?day=2026-10-14&limit=2&cursor=new_-1>; rel=\"next\""
        );
        assert_eq!(
            link_with(
                "/api/teams/t/events",
                "since=0&limit=5&sincere=1",
                "since",
                "5"
            ),
            "</api/teams/t/events?limit=5&sincere=1&since=5>; rel=\"next\""
        );
    }
}
