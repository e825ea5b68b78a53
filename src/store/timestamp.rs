//! Instants as they leave the server: RFC 3339 in UTC with exactly six fractional digits
//! (`2026-11-30T21:15:13.123456Z`), the precision both engines store. One fixed shape means
//! equal instants are equal strings and string order is time order on every client.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Serialize, Serializer};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

pub const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

impl From<NaiveDateTime> for Timestamp {
    /// Stored times are UTC without a zone (both engines).
    fn from(t: NaiveDateTime) -> Self {
        Timestamp(t.and_utc())
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Self {
        Timestamp(t)
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.format(FORMAT).fmt(f)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some(
                "RFC 3339 UTC with exactly six fractional digits, e.g. 2026-11-30T21:15:13.123456Z",
            ))
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn always_six_digits() {
        let whole = Utc.with_ymd_and_hms(2026, 3, 8, 7, 0, 0).unwrap();
        assert_eq!(Timestamp(whole).to_string(), "2026-03-08T07:00:00.000000Z");
        let t = whole + chrono::TimeDelta::microseconds(1_230);
        assert_eq!(
            serde_json::to_string(&Timestamp(t)).unwrap(),
            "\"2026-03-08T07:00:00.001230Z\""
        );
    }
}
