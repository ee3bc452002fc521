//! Cron schedules (five fields, with `*`, lists, ranges and steps, and the `@hourly` family),
//! evaluated in UTC.

use jiff::Timestamp;
use jiff::civil::DateTime;

/// A parsed schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    minutes: Vec<bool>,
    hours: Vec<bool>,
    days: Vec<bool>,
    months: Vec<bool>,
    weekdays: Vec<bool>,
    any_day: bool,
    any_weekday: bool,
}

fn field(text: &str, min: u32, max: u32) -> Option<Vec<bool>> {
    let mut set = vec![false; max as usize + 1];
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, step.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (from, to) = if range == "*" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (a.parse().ok()?, b.parse().ok()?)
        } else {
            let value: u32 = range.parse().ok()?;
            (value, if part.contains('/') { max } else { value })
        };
        if from < min || to > max || from > to {
            return None;
        }
        let mut value = from;
        while value <= to {
            set[value as usize] = true;
            value += step;
        }
    }
    Some(set)
}

impl Schedule {
    /// Parses a schedule; `None` if it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let text = match text.trim() {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            other => other,
        };
        let fields: Vec<&str> = text.split_whitespace().collect();
        let [minute, hour, day, month, weekday] = fields.as_slice() else {
            return None;
        };
        let mut weekdays = field(weekday, 0, 7)?;
        if weekdays[7] {
            weekdays[0] = true;
        }
        Some(Self {
            minutes: field(minute, 0, 59)?,
            hours: field(hour, 0, 23)?,
            days: field(day, 1, 31)?,
            months: field(month, 1, 12)?,
            weekdays,
            any_day: *day == "*",
            any_weekday: *weekday == "*",
        })
    }

    fn matches(&self, time: DateTime) -> bool {
        let day_ok = self.days[time.day() as usize];
        let weekday_ok = self.weekdays[time.weekday().to_sunday_zero_offset() as usize];
        // Cron's rule: when both day fields are restricted, either may match.
        let date_ok = match (self.any_day, self.any_weekday) {
            (false, false) => day_ok || weekday_ok,
            _ => day_ok && weekday_ok,
        };
        self.minutes[time.minute() as usize]
            && self.hours[time.hour() as usize]
            && self.months[time.month() as usize]
            && date_ok
    }

    /// The latest scheduled minute in `(after, upto]`, looking back at most a week.
    pub fn latest_between(&self, after: Timestamp, upto: Timestamp) -> Option<Timestamp> {
        let mut minute = upto.as_second() / 60 * 60;
        let floor = after.as_second().max(upto.as_second() - 7 * 24 * 3600);
        while minute > floor {
            let time = Timestamp::from_second(minute).ok()?;
            if self.matches(time.to_zoned(jiff::tz::TimeZone::UTC).datetime()) {
                return Some(time);
            }
            minute -= 60;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        let every_five = Schedule::parse("*/5 * * * *").unwrap();
        let now: Timestamp = "2026-01-01T10:07:30Z".parse().unwrap();
        let earlier: Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
        assert_eq!(
            every_five.latest_between(earlier, now),
            Some("2026-01-01T10:05:00Z".parse().unwrap())
        );
        let nightly = Schedule::parse("30 2 * * *").unwrap();
        assert_eq!(nightly.latest_between(earlier, now), None);
        let day_before: Timestamp = "2025-12-31T00:00:00Z".parse().unwrap();
        assert_eq!(
            nightly.latest_between(day_before, now),
            Some("2026-01-01T02:30:00Z".parse().unwrap())
        );
        assert!(Schedule::parse("@hourly").is_some());
        assert!(Schedule::parse("61 * * * *").is_none());
        assert!(Schedule::parse("* * *").is_none());
        assert!(Schedule::parse("*/0 * * * *").is_none());
    }
}
