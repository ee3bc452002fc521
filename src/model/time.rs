//! Reading API timestamps. Kubernetes accepts years up to 9999; the last day of that year lies
//! beyond what our timestamp type holds, so such times read as the latest representable instant
//! rather than failing the whole object.
//!
//! A pod carries half a dozen times (created, started, each condition's last transition, each
//! container's start), so at 50,000 pods a load reads hundreds of thousands: each is read from
//! the text as it lies in the answer, without a string of its own, and the form the API server
//! writes (`metav1.Time`: UTC, whole seconds) is read directly; any other RFC 3339 form is
//! left to jiff.

use std::fmt;

use jiff::Timestamp;
use serde::Deserializer;
use serde::de::{self, Visitor};

/// Deserializes an optional RFC 3339 timestamp, clamping far-future years.
pub fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Timestamp>, D::Error> {
    deserializer.deserialize_option(OptionalTime)
}

/// `null` or absent: none; a string: its time.
struct OptionalTime;

impl<'de> Visitor<'de> for OptionalTime {
    type Value = Option<Timestamp>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an RFC 3339 time or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(Time).map(Some)
    }
}

/// A time, read from the string wherever it lies (borrowed from the answer, or the reader's
/// scratch when it had escapes).
struct Time;

impl Visitor<'_> for Time {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an RFC 3339 time")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
        read(text).map_err(E::custom)
    }
}

/// A time as RFC 3339, a year past what a timestamp holds read as the latest it holds.
fn read(text: &str) -> Result<Timestamp, String> {
    if let Some(time) = written_by_the_server(text) {
        return Ok(time);
    }
    text.parse::<Timestamp>().or_else(|error| {
        let year: Option<i32> = text.get(..4).and_then(|y| y.parse().ok());
        if year.is_some_and(|y| y >= 9999) && text.get(4..5) == Some("-") {
            Ok(Timestamp::MAX)
        } else {
            Err(format!("not an RFC 3339 time: {error}"))
        }
    })
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the form the API server writes, when the text is one and a valid
/// time that a timestamp holds; None leaves the text to jiff (other forms, leap seconds, the
/// year 9999's last day, errors).
fn written_by_the_server(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    let [
        y0,
        y1,
        y2,
        y3,
        b'-',
        m0,
        m1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        n0,
        n1,
        b':',
        s0,
        s1,
        b'Z',
    ] = *bytes
    else {
        return None;
    };
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0i16, |value, &digit| {
            digit
                .is_ascii_digit()
                .then(|| value * 10 + i16::from(digit - b'0'))
        })
    };
    // Two digits fit an i8; jiff checks the day against its month and the time's fields.
    let two = |digits: &[u8]| number(digits).map(|n| n as i8);
    let time = jiff::civil::DateTime::new(
        number(&[y0, y1, y2, y3])?,
        two(&[m0, m1])?,
        two(&[d0, d1])?,
        two(&[h0, h1])?,
        two(&[n0, n1])?,
        two(&[s0, s1])?,
        0,
    )
    .ok()?;
    jiff::tz::Offset::UTC.to_timestamp(time).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "optional")]
        at: Option<Timestamp>,
    }

    fn read_json(json: &str) -> Result<Option<Timestamp>, serde_json::Error> {
        serde_json::from_str::<Holder>(json).map(|h| h.at)
    }

    #[test]
    fn reads_clamps_and_rejects() {
        assert_eq!(
            read_json(r#"{"at":"2026-01-01T00:00:00Z"}"#).unwrap(),
            Some("2026-01-01T00:00:00Z".parse().unwrap())
        );
        assert_eq!(
            read_json(r#"{"at":"2026-01-01T00:00:00.123456Z"}"#)
                .unwrap()
                .unwrap()
                .subsec_microsecond(),
            123456
        );
        assert_eq!(
            read_json(r#"{"at":"2026-01-01T02:00:00+02:00"}"#).unwrap(),
            Some("2026-01-01T00:00:00Z".parse().unwrap())
        );
        assert_eq!(
            read_json(r#"{"at":"9999-12-31T23:59:59Z"}"#).unwrap(),
            Some(Timestamp::MAX)
        );
        assert_eq!(read_json(r#"{}"#).unwrap(), None);
        assert_eq!(read_json(r#"{"at":null}"#).unwrap(), None);
        assert!(
            read_json(r#"{"at":"yesterday"}"#)
                .unwrap_err()
                .to_string()
                .contains("not an RFC 3339 time")
        );
        assert!(read_json(r#"{"at":5}"#).is_err());
    }

    #[test]
    fn the_servers_form_reads_as_jiff_reads_it() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2000-02-29T12:00:00Z",
            "0000-03-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
        ] {
            let direct = written_by_the_server(text).expect("the server's form");
            assert_eq!(direct, text.parse::<Timestamp>().unwrap(), "{text}");
        }
        // Not days, not times, not this form: left to jiff, which reads or refuses them.
        for text in [
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:60:00Z",
            "2024-12-31T23:59:60Z",
            "2024-01-01t00:00:00z",
            "2024-01-01T00:00:00.5Z",
            "2024-01-01T00:00:00+01:00",
            "+2024-01-01T00:00:00Z",
            "2024-01-01T0a:00:00Z",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(written_by_the_server(text), None, "{text}");
        }
        // A leap second reads as jiff reads it.
        assert_eq!(
            read_json(r#"{"at":"2016-12-31T23:59:60Z"}"#).unwrap(),
            "2016-12-31T23:59:60Z".parse().ok()
        );
        // A string with escapes is read from the reader's scratch.
        assert_eq!(
            read_json(r#"{"at":"2026-01-01T00:00:00\u005a"}"#).unwrap(),
            Some("2026-01-01T00:00:00Z".parse().unwrap())
        );
        // From a tree too (manifests are typed from one).
        let holder: Holder =
            serde_json::from_value(serde_json::json!({"at": "2026-01-01T00:00:00Z"})).unwrap();
        assert_eq!(holder.at, Some("2026-01-01T00:00:00Z".parse().unwrap()));
    }

    proptest! {
        /// Any date and time in the server's form, valid or not, reads as jiff reads it, and
        /// every valid one (but the last day of 9999 and leap seconds) is read directly.
        #[test]
        fn every_time_in_the_servers_form_reads_as_jiff_reads_it(
            year in 0i64..=9999, month in 0i64..=13, day in 0i64..=32,
            hour in 0i64..=24, minute in 0i64..=60, second in 0i64..=60,
        ) {
            let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
            let by_jiff = text.parse::<Timestamp>().ok();
            match written_by_the_server(&text) {
                Some(direct) => prop_assert_eq!(Some(direct), by_jiff),
                None => prop_assert!(
                    by_jiff.is_none() || second == 60 || year == 9999,
                    "{} is valid but was not read directly", text
                ),
            }
            // Read as before: jiff's reading, or the latest instant for the year 9999.
            let expected = by_jiff.or((year == 9999).then_some(Timestamp::MAX));
            prop_assert_eq!(read(&text).ok(), expected);
        }
    }
}
