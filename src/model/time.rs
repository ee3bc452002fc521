//! Reading API timestamps. Kubernetes accepts years up to 9999; the last day of that year lies
//! beyond what our timestamp type holds, so such times read as the latest representable instant
//! rather than failing the whole object.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer};

/// Deserializes an optional RFC 3339 timestamp, clamping far-future years.
pub fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Timestamp>, D::Error> {
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    match text.parse::<Timestamp>() {
        Ok(time) => Ok(Some(time)),
        Err(error) => {
            let year: Option<i32> = text.get(..4).and_then(|y| y.parse().ok());
            if year.is_some_and(|y| y >= 9999) && text.get(4..5) == Some("-") {
                Ok(Some(Timestamp::MAX))
            } else {
                Err(serde::de::Error::custom(format!(
                    "not an RFC 3339 time: {error}"
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "optional")]
        at: Option<Timestamp>,
    }

    fn read(json: &str) -> Result<Option<Timestamp>, serde_json::Error> {
        serde_json::from_str::<Holder>(json).map(|h| h.at)
    }

    #[test]
    fn reads_clamps_and_rejects() {
        assert_eq!(
            read(r#"{"at":"2026-01-01T00:00:00Z"}"#).unwrap(),
            Some("2026-01-01T00:00:00Z".parse().unwrap())
        );
        assert_eq!(
            read(r#"{"at":"2026-01-01T00:00:00.123456Z"}"#)
                .unwrap()
                .unwrap()
                .subsec_microsecond(),
            123456
        );
        assert_eq!(
            read(r#"{"at":"2026-01-01T02:00:00+02:00"}"#).unwrap(),
            Some("2026-01-01T00:00:00Z".parse().unwrap())
        );
        assert_eq!(
            read(r#"{"at":"9999-12-31T23:59:59Z"}"#).unwrap(),
            Some(Timestamp::MAX)
        );
        assert_eq!(read(r#"{}"#).unwrap(), None);
        assert_eq!(read(r#"{"at":null}"#).unwrap(), None);
        assert!(
            read(r#"{"at":"yesterday"}"#)
                .unwrap_err()
                .to_string()
                .contains("not an RFC 3339 time")
        );
        assert!(read(r#"{"at":5}"#).is_err());
    }
}
