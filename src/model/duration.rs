//! Ages and durations exactly as kubectl prints them (apimachinery's `HumanDuration`).

use jiff::{SignedDuration, Timestamp};

/// Go's `time.Duration` is an int64 of nanoseconds: a subtraction past ±292 years saturates.
const MAX_GO_DURATION_SECONDS: i64 = i64::MAX / 1_000_000_000;

/// kubectl's `HumanDuration`: at most two units, coarser as the duration grows.
pub fn human_duration(duration: SignedDuration) -> String {
    let mut text = String::new();
    write_human_duration(&mut text, duration);
    text
}

/// `human_duration` appended to `out` (a filter pass over 50,000 rows allocates nothing).
pub fn write_human_duration(out: &mut String, duration: SignedDuration) {
    let seconds = duration
        .as_secs()
        .clamp(-MAX_GO_DURATION_SECONDS, MAX_GO_DURATION_SECONDS);
    // Within 2s in the future counts as now, to tolerate clock skew between machines.
    if seconds < -1 {
        out.push_str("<invalid>");
    } else if seconds < 0 {
        out.push_str("0s");
    } else if seconds < 120 {
        push_number(out, seconds);
        out.push('s');
    } else if seconds / 60 < 10 {
        let (minutes, s) = (seconds / 60, seconds % 60);
        if s == 0 {
            push_number(out, minutes);
            out.push('m');
        } else {
            push_number(out, minutes);
            out.push('m');
            push_number(out, s);
            out.push('s');
        }
    } else if seconds / 60 < 180 {
        push_number(out, seconds / 60);
        out.push('m');
    } else {
        let hours = seconds / 3600;
        let minutes = seconds / 60;
        if hours < 8 {
            let m = minutes % 60;
            if m == 0 {
                push_number(out, hours);
                out.push('h');
            } else {
                push_number(out, hours);
                out.push('h');
                push_number(out, m);
                out.push('m');
            }
        } else if hours < 48 {
            push_number(out, hours);
            out.push('h');
        } else if hours < 24 * 8 {
            let h = hours % 24;
            if h == 0 {
                push_number(out, hours / 24);
                out.push('d');
            } else {
                push_number(out, hours / 24);
                out.push('d');
                push_number(out, h);
                out.push('h');
            }
        } else if hours < 24 * 365 * 2 {
            push_number(out, hours / 24);
            out.push('d');
        } else if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365;
            if days == 0 {
                push_number(out, hours / 24 / 365);
                out.push('y');
            } else {
                push_number(out, hours / 24 / 365);
                out.push('y');
                push_number(out, days);
                out.push('d');
            }
        } else {
            push_number(out, hours / 24 / 365);
            out.push('y');
        }
    }
}

/// A number in decimal, without the formatting machinery.
pub fn push_number(out: &mut String, number: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = number.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if number < 0 {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// `age` appended to `out`.
pub fn write_age(out: &mut String, timestamp: Option<Timestamp>, now: Timestamp) {
    match timestamp {
        Some(time) if !is_zero_time(time) => write_human_duration(out, now.duration_since(time)),
        _ => out.push_str("<unknown>"),
    }
}

/// How long `age(timestamp, now)` keeps its text: until the next whole unit the text counts in
/// (seconds below 10 minutes, minutes below 48 hours, hours below 8 days, days after). `None`
/// for a text that never changes (`<unknown>`).
pub fn age_lasts(timestamp: Option<Timestamp>, now: Timestamp) -> Option<SignedDuration> {
    let time = timestamp.filter(|t| !is_zero_time(*t))?;
    let seconds = now.duration_since(time).as_secs();
    let unit = if seconds < 600 {
        1
    } else if seconds < 48 * 3600 {
        // Minutes up to 8 hours; whole hours from then, but a minute is a safe bound there too.
        if seconds < 8 * 3600 { 60 } else { 3600 }
    } else if seconds < 8 * 86_400 {
        3600
    } else {
        86_400
    };
    Some(SignedDuration::from_secs(unit - seconds.rem_euclid(unit)))
}

/// kubectl's `translateTimestampSince`: `<unknown>` for a missing or zero time, else the age.
pub fn age(timestamp: Option<Timestamp>, now: Timestamp) -> String {
    let mut text = String::new();
    write_age(&mut text, timestamp, now);
    text
}

/// Go's zero `time.Time` (0001-01-01T00:00:00Z), which the API serialises for an unset time.
pub fn is_zero_time(time: Timestamp) -> bool {
    time.as_second() == GO_ZERO_TIME_SECONDS && time.subsec_nanosecond() == 0
}

/// Seconds from the Unix epoch back to 0001-01-01T00:00:00Z.
const GO_ZERO_TIME_SECONDS: i64 = -62_135_596_800;

/// Go's `time.ParseDuration`, which Kubernetes' duration flags (`--event-ttl 1h0m0s`) use: a
/// sign, then numbers with units (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`), fractions allowed
/// (`1.5h`, `300ms`, `1h30m`); `0` needs no unit. The error is Go's, word for word.
pub fn parse_go_duration(text: &str) -> Result<SignedDuration, String> {
    let quoted = format!("{text:?}");
    let invalid = || format!("time: invalid duration {quoted}");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(SignedDuration::ZERO);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    // Nanoseconds, exactly: whole digits times the unit plus the fraction's digits scaled.
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let whole_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (whole, after) = rest.split_at(whole_len);
        let (fraction, after) = match after.strip_prefix('.') {
            Some(after) => {
                let len = after.bytes().take_while(u8::is_ascii_digit).count();
                after.split_at(len)
            }
            None => ("", after),
        };
        if whole.is_empty() && fraction.is_empty() {
            return Err(invalid());
        }
        let unit_len = after
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(after.len());
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {quoted}"));
        }
        let (unit, after) = after.split_at(unit_len);
        let nanos_per_unit: u128 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(format!("time: unknown unit {unit:?} in duration {quoted}")),
        };
        let whole: u128 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| invalid())?
        };
        let mut nanos = whole.checked_mul(nanos_per_unit).ok_or_else(invalid)?;
        // Go reads at most the digits that still matter; below a nanosecond they are cut.
        let mut scale = nanos_per_unit;
        for digit in fraction.bytes().take(30) {
            scale /= 10;
            nanos += u128::from(digit - b'0') * scale;
        }
        total = total.checked_add(nanos).ok_or_else(invalid)?;
        if total > 1 << 63 {
            return Err(invalid());
        }
        rest = after;
    }
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    Ok(SignedDuration::from_nanos(if negative {
        -total
    } else {
        total
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(ms: i64) -> String {
        human_duration(SignedDuration::from_millis(ms))
    }

    const S: i64 = 1000;
    const M: i64 = 60 * S;
    const H: i64 = 60 * M;
    const DAY: i64 = 24 * H;
    const YEAR: i64 = 365 * DAY;

    #[test]
    fn upstream_human_duration_boundaries() {
        let cases = [
            (S, "1s"),
            (70 * S, "70s"),
            (190 * S, "3m10s"),
            (70 * M, "70m"),
            (47 * H, "47h"),
            (49 * H, "2d1h"),
            ((8 * 24 + 2) * H, "8d"),
            (367 * DAY, "367d"),
            ((365 * 2 + 1) * DAY, "2y1d"),
            ((365 * 8 + 10) * DAY, "8y"),
            (2 * M - 1, "119s"),
            (2 * M, "2m"),
            (2 * M + S, "2m1s"),
            (10 * M - 1, "9m59s"),
            (10 * M, "10m"),
            (10 * M + S, "10m"),
            (3 * H - 1, "179m"),
            (3 * H, "3h"),
            (3 * H + M, "3h1m"),
            (8 * H - 1, "7h59m"),
            (8 * H, "8h"),
            (8 * H + 59 * M, "8h"),
            (2 * DAY - 1, "47h"),
            (2 * DAY, "2d"),
            (2 * DAY + H, "2d1h"),
            (8 * DAY - 1, "7d23h"),
            (8 * DAY, "8d"),
            (8 * DAY + 23 * H, "8d"),
            (2 * YEAR - 1, "729d"),
            (2 * YEAR, "2y"),
            (2 * YEAR + DAY, "2y1d"),
            (8 * YEAR - 1, "7y364d"),
            (8 * YEAR, "8y"),
            (9 * YEAR, "9y"),
        ];
        for (ms, want) in cases {
            assert_eq!(d(ms), want, "{ms} ms");
        }
    }

    #[test]
    fn an_age_keeps_its_text_as_long_as_it_says() {
        let created: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        // Every second of the first 9 days and then every 10 minutes until 3 years: the text one
        // second before the horizon is the text now, and the horizon is never past a change.
        let mut seconds = 0i64;
        while seconds < 3 * 365 * 86_400 {
            let now = created + SignedDuration::from_secs(seconds);
            let lasts = age_lasts(Some(created), now).unwrap();
            assert!(lasts.as_secs() >= 1, "{seconds}");
            let last_same = now + lasts - SignedDuration::from_secs(1);
            assert_eq!(
                age(Some(created), last_same),
                age(Some(created), now),
                "{seconds}"
            );
            seconds += if seconds < 9 * 86_400 { 1 } else { 600 };
        }
        assert_eq!(age_lasts(None, created), None);
        // In the future (clock skew) the text may change any second.
        let early = created - SignedDuration::from_secs(5);
        assert_eq!(
            age_lasts(Some(created), early),
            Some(SignedDuration::from_secs(1))
        );
    }

    #[test]
    fn future_times_within_skew_read_as_now() {
        assert_eq!(d(-1900), "0s");
        assert_eq!(d(-1000), "0s");
        assert_eq!(d(-999), "0s");
        assert_eq!(d(-2000), "<invalid>");
        assert_eq!(d(-2100), "<invalid>");
        assert_eq!(d(0), "0s");
    }

    #[test]
    fn printer_level_ages() {
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let ago = |ms: i64| age(Some(now - SignedDuration::from_millis(ms)), now);
        assert_eq!(ago(-2100), "<invalid>");
        assert_eq!(ago(-1900), "0s");
        assert_eq!(ago(30 * S), "30s");
        assert_eq!(ago(5 * M), "5m");
        assert_eq!(ago(100 * M), "100m");
        assert_eq!(ago(2 * DAY), "2d");
        assert_eq!(ago(90 * DAY), "90d");
        assert_eq!(ago(10 * YEAR), "10y");
        assert_eq!(age(None, now), "<unknown>");
        let zero: Timestamp = "0001-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(age(Some(zero), now), "<unknown>");
    }

    #[test]
    fn saturates_like_go_durations() {
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let ancient: Timestamp = "0001-01-02T00:00:00Z".parse().unwrap();
        assert_eq!(age(Some(ancient), now), "292y");
        let far_future: Timestamp = "9999-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(age(Some(far_future), now), "<invalid>");
    }

    #[test]
    fn parses_durations_as_go_does() {
        let ok = |text: &str| parse_go_duration(text).map(|d| d.as_nanos());
        assert_eq!(ok("1h"), Ok(3_600_000_000_000));
        assert_eq!(ok("2s"), Ok(2_000_000_000));
        assert_eq!(ok("1h0m0s"), Ok(3_600_000_000_000));
        assert_eq!(ok("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(ok("300ms"), Ok(300_000_000));
        assert_eq!(ok("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(ok(".5s"), Ok(500_000_000));
        assert_eq!(ok("10µs"), Ok(10_000));
        assert_eq!(ok("0"), Ok(0));
        assert_eq!(ok("-1s"), Ok(-1_000_000_000));
        assert_eq!(ok(""), Err("time: invalid duration \"\"".into()));
        assert_eq!(ok("1"), Err("time: missing unit in duration \"1\"".into()));
        assert_eq!(
            ok("1d"),
            Err("time: unknown unit \"d\" in duration \"1d\"".into())
        );
        assert_eq!(ok("h"), Err("time: invalid duration \"h\"".into()));
        assert_eq!(
            ok("9999999999h"),
            Err("time: invalid duration \"9999999999h\"".into())
        );
    }
}
