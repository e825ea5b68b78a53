//! Keyset pages of the list endpoints: the page size (`limit`) and the opaque `cursor` that
//! names the last row of the previous page by its sort key. A list reads `limit + 1` rows
//! in a stable order that ends with the row id, keeps `limit`, and when the extra row exists
//! answers with a cursor for the key of the last row kept (`Link: <…?cursor=…>; rel="next"`).
//! Never OFFSET: a row inserted or deleted meanwhile cannot shift a page by one.

use super::FieldError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The largest page any list serves.
pub const MAX_LIMIT: i64 = 1000;

/// `limit` within 1..=MAX_LIMIT, or the list's default.
pub fn limit(v: Option<i64>, default: i64) -> Result<i64, FieldError> {
    match v {
        None => Ok(default),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(FieldError::new(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

/// Which page a list is asked for: its size, and the key after which it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct PageReq {
    pub limit: i64,
    pub after: Option<Vec<String>>,
}

/// An instant in a cursor key (microseconds, the precision both engines store).
pub fn instant_key(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// The instant of a cursor key part; 422 on `cursor` when it is not one.
pub fn instant(s: &str) -> Result<chrono::NaiveDateTime, FieldError> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.6f")
        .map_err(|_| FieldError::new("cursor", "is not a cursor of this list"))
}

/// A small number in a cursor key part; 422 on `cursor` when it is not one.
pub fn number(s: &str) -> Result<i32, FieldError> {
    s.parse()
        .map_err(|_| FieldError::new("cursor", "is not a cursor of this list"))
}

/// A page of a list and, when there is more, the cursor of the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// Split `limit + 1` rows into the page's rows and the next cursor (from the last row kept).
pub fn split<R>(
    mut rows: Vec<R>,
    limit: i64,
    list: &str,
    key: impl Fn(&R) -> Vec<String>,
) -> (Vec<R>, Option<String>) {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit.max(0) as usize);
    let next = if more {
        rows.last().map(|r| encode(list, &key(r)))
    } else {
        None
    };
    (rows, next)
}

/// The cursor after a row of `list` whose sort key is `key`: base64url of a JSON array that
/// starts with the list's name (a cursor of one list is refused by another).
pub fn encode(list: &str, key: &[String]) -> String {
    let mut v = vec![list.to_string()];
    v.extend(key.iter().cloned());
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap_or_default())
}

/// The key a cursor of `list` carries (`arity` parts); 422 on `cursor` for anything else.
pub fn decode(list: &str, cursor: &str, arity: usize) -> Result<Vec<String>, FieldError> {
    let bad = || {
        FieldError::new(
            "cursor",
            "is not a cursor of this list; use the Link header's next URL as it is",
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
    let v: Vec<String> = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    match v.split_first() {
        Some((name, key)) if name == list && key.len() == arity => Ok(key.to_vec()),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_belong_to_one_list() {
        let key = vec!["2026-10-14".to_string(), "09:00".into(), "id-1".into()];
        let c = encode("contacts", &key);
        assert!(c
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode("contacts", &c, 3).unwrap(), key);
        assert_eq!(decode("clients", &c, 3).unwrap_err().field, "cursor");
        assert!(decode("contacts", &c, 2).is_err());
        for bad in ["", "not base64!", "bm9wZQ", &encode("contacts", &[])] {
            assert!(decode("contacts", bad, 3).is_err(), "{bad}");
        }
    }

    #[test]
    fn instants_and_numbers_in_keys() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 8)
            .unwrap()
            .and_hms_micro_opt(2, 30, 0, 120)
            .unwrap();
        assert_eq!(instant_key(t), "2026-03-08T02:30:00.000120");
        assert_eq!(instant(&instant_key(t)), Ok(t));
        assert!(instant("yesterday").is_err());
        assert_eq!(number("2"), Ok(2));
        assert!(number("x").is_err());
    }

    #[test]
    fn limits() {
        assert_eq!(limit(None, 500), Ok(500));
        assert_eq!(limit(Some(1), 500), Ok(1));
        assert_eq!(limit(Some(1000), 500), Ok(1000));
        assert_eq!(limit(Some(0), 500).unwrap_err().field, "limit");
        assert!(limit(Some(1001), 500).is_err());
        assert!(limit(Some(-5), 500).is_err());
    }

    #[test]
    fn split_keeps_limit_rows_and_names_the_last() {
        let (rows, next) = split(vec![1, 2, 3], 2, "n", |r| vec![r.to_string()]);
        assert_eq!(rows, vec![1, 2]);
        assert_eq!(decode("n", &next.unwrap(), 1).unwrap(), vec!["2"]);
        let (rows, next) = split(vec![1, 2], 2, "n", |r| vec![r.to_string()]);
        assert_eq!(rows, vec![1, 2]);
        assert!(next.is_none());
    }
}
