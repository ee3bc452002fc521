//! Resource quantities as apimachinery's `resource.Quantity` holds and prints them: an exact value
//! and the format its text was written in (decimal SI, binary SI or a decimal exponent), which
//! decides how `String()` prints it. kubectl prints them canonically (`512Mi` for `0.5Gi`), and a
//! sum prints in the format of its first non-zero term; describe's totals and the simulator's
//! quota usage are both such sums.

use std::cmp::Ordering;
use std::fmt;

use crate::model::quantity::Quantity;

const NANOS_PER_UNIT: i128 = 1_000_000_000;
const NANOS_PER_MILLI: i128 = 1_000_000;

/// How a quantity prints (apimachinery's `Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// A quantity: its value in nano-units (the API server rounds anything finer up to 1n) and its
/// format. The default is Go's zero `Quantity`, which prints as `0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GoQuantity {
    nanos: i128,
    format: Format,
}

impl Default for GoQuantity {
    fn default() -> Self {
        GoQuantity {
            nanos: 0,
            format: Format::DecimalSi,
        }
    }
}

impl GoQuantity {
    /// `resource.ParseQuantity`; `None` for text the API server would have refused.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let nanos = Quantity(text.to_string()).nanos()?;
        let suffix = text.trim_start_matches(|c: char| c.is_ascii_digit() || "+-.".contains(c));
        let mut format = if suffix.ends_with('i') {
            Format::BinarySi
        } else if suffix.len() > 1 && suffix.starts_with(['e', 'E']) {
            Format::DecimalExponent
        } else {
            Format::DecimalSi
        };
        // A binary quantity below one cannot be written in binary units.
        if format == Format::BinarySi && nanos != 0 && nanos.abs() < NANOS_PER_UNIT {
            format = Format::DecimalSi;
        }
        Some(GoQuantity { nanos, format })
    }

    /// `resource.NewQuantity(n, DecimalSI)`: a whole number of units.
    pub(crate) fn units(count: i64) -> Self {
        GoQuantity {
            nanos: i128::from(count) * NANOS_PER_UNIT,
            format: Format::DecimalSi,
        }
    }

    /// Below zero.
    pub(crate) fn is_negative(self) -> bool {
        self.nanos < 0
    }

    /// `Quantity.Sub`.
    pub(crate) fn sub(&mut self, other: GoQuantity) {
        if self.nanos == 0 {
            self.format = other.format;
        }
        self.nanos -= other.nanos;
    }

    /// `Quantity.RoundUp(0)`: whole units, rounded up, in the same format.
    pub(crate) fn round_up_to_units(self) -> Self {
        GoQuantity {
            nanos: ceil_div(self.nanos, NANOS_PER_UNIT) * NANOS_PER_UNIT,
            format: self.format,
        }
    }

    pub(crate) fn is_zero(self) -> bool {
        self.nanos == 0
    }

    /// `Quantity.Add`: a zero quantity takes the format of what is added to it.
    pub(crate) fn add(&mut self, other: GoQuantity) {
        if self.nanos == 0 {
            self.format = other.format;
        }
        self.nanos += other.nanos;
    }

    /// `Quantity.Cmp`.
    pub(crate) fn compare(self, other: GoQuantity) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }

    /// `Quantity.MilliValue`: thousandths, rounded up.
    pub(crate) fn milli_value(self) -> i64 {
        ceil_div(self.nanos, NANOS_PER_MILLI) as i64
    }

    /// `Quantity.Value`: whole units, rounded up.
    pub(crate) fn value(self) -> i64 {
        ceil_div(self.nanos, NANOS_PER_UNIT) as i64
    }
}

fn ceil_div(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    if numerator % denominator > 0 {
        quotient + 1
    } else {
        quotient
    }
}

/// `Quantity.String`: the canonical form (`CanonicalizeBytes`).
impl fmt::Display for GoQuantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos == 0 {
            return f.write_str("0");
        }
        let mut format = self.format;
        // Binary units only for whole numbers of at least 1Ki; anything else prints in decimal so
        // that no precision is lost.
        if format == Format::BinarySi
            && (self.nanos.abs() < 1024 * NANOS_PER_UNIT || self.nanos % NANOS_PER_UNIT != 0)
        {
            format = Format::DecimalSi;
        }
        if format == Format::BinarySi {
            let mut mantissa = self.nanos / NANOS_PER_UNIT;
            let mut power = 0;
            while mantissa % 1024 == 0 {
                mantissa /= 1024;
                power += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                .get(power)
                .copied()
                .unwrap_or("");
            return write!(f, "{mantissa}{suffix}");
        }
        // The value as mantissa × 10^exponent, the exponent a multiple of three at or below the
        // number of trailing zeros.
        let mut mantissa = self.nanos;
        let mut exponent: i32 = -9;
        while mantissa % 10 == 0 {
            mantissa /= 10;
            exponent += 1;
        }
        while exponent.rem_euclid(3) != 0 {
            mantissa *= 10;
            exponent -= 1;
        }
        match format {
            Format::DecimalExponent if exponent == 0 => write!(f, "{mantissa}"),
            Format::DecimalExponent => write!(f, "{mantissa}e{exponent}"),
            _ => {
                let suffix = match exponent {
                    -9 => "n",
                    -6 => "u",
                    -3 => "m",
                    3 => "k",
                    6 => "M",
                    9 => "G",
                    12 => "T",
                    15 => "P",
                    18 => "E",
                    // Go has no suffix beyond these and prints the bare mantissa.
                    _ => "",
                };
                write!(f, "{mantissa}{suffix}")
            }
        }
    }
}

/// A quantity parsed from `text` as Go's `%#v` prints it, which is how a field error shows an
/// invalid quantity (`resource.Quantity` has no `String` on its value):
/// `resource.Quantity{i:resource.int64Amount{value:500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"500m", Format:"DecimalSI"}`.
/// The amount is what `ParseQuantity`'s fast path keeps (digits and decimal scale; binary units
/// multiplied out) and `s` the text when that path finds it canonical.
pub(crate) fn go_syntax(text: &str) -> Option<String> {
    let text = text.trim();
    GoQuantity::parse(text)?;
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let (format, exponent, binary) = match suffix {
        "" => ("DecimalSI", 0, false),
        "n" => ("DecimalSI", -9, false),
        "u" => ("DecimalSI", -6, false),
        "m" => ("DecimalSI", -3, false),
        "k" => ("DecimalSI", 3, false),
        "M" => ("DecimalSI", 6, false),
        "G" => ("DecimalSI", 9, false),
        "T" => ("DecimalSI", 12, false),
        "P" => ("DecimalSI", 15, false),
        "E" => ("DecimalSI", 18, false),
        "Ki" => ("BinarySI", 10, true),
        "Mi" => ("BinarySI", 20, true),
        "Gi" => ("BinarySI", 30, true),
        "Ti" => ("BinarySI", 40, true),
        "Pi" => ("BinarySI", 50, true),
        "Ei" => ("BinarySI", 60, true),
        exponent => ("DecimalExponent", exponent[1..].parse().ok()?, false),
    };
    let shifted = format!("{whole}{fraction}");
    let digits: i64 = shifted.parse().ok()?;
    let (amount, scale) = if binary {
        (digits.checked_shl(exponent as u32)?, 0)
    } else {
        (digits, exponent - fraction.len() as i32)
    };
    let canonical = if binary {
        fraction.is_empty() && exponent % 10 == 0 && digits & 0x07 != 0
    } else {
        scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0')
    };
    let amount = if negative { -amount } else { amount };
    let cached = if canonical { text } else { "" };
    Some(format!(
        "resource.Quantity{{i:resource.int64Amount{{value:{amount}, scale:{scale}}}, d:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:{cached:?}, Format:{format:?}}}"
    ))
}

/// Go's `int64(f)` on amd64: NaN, infinities and values out of range become the smallest int64.
pub(crate) fn go_int64(value: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if value.is_nan() || !(-LIMIT..LIMIT).contains(&value) {
        i64::MIN
    } else {
        value as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> String {
        GoQuantity::parse(text).unwrap().to_string()
    }

    #[test]
    fn prints_the_canonical_form_as_apimachinery_does() {
        for (text, expected) in [
            ("0", "0"),
            ("0Mi", "0"),
            ("0.25", "250m"),
            ("0.5Gi", "512Mi"),
            ("1.5Gi", "1536Mi"),
            ("1000", "1k"),
            ("1500", "1500"),
            ("10", "10"),
            ("100m", "100m"),
            ("1000m", "1"),
            ("7910m", "7910m"),
            ("1Gi", "1Gi"),
            ("1024", "1024"),
            ("1025Ki", "1025Ki"),
            ("1536", "1536"),
            ("0.5Ki", "512"),
            ("1e3", "1e3"),
            ("1E6", "1e6"),
            ("12e2", "1200"),
            ("104845292Ki", "104845292Ki"),
            ("0.1m", "100u"),
            ("1n", "1n"),
            ("2E", "2E"),
        ] {
            assert_eq!(canonical(text), expected, "{text}");
        }
    }

    #[test]
    fn sums_print_in_the_format_of_their_first_non_zero_term() {
        let mut total = GoQuantity::default();
        total.add(GoQuantity::parse("1Gi").unwrap());
        total.add(GoQuantity::parse("1000M").unwrap());
        assert_eq!(total.to_string(), "2073741824");
        let mut total = GoQuantity::parse("64Mi").unwrap();
        total.add(GoQuantity::parse("64Mi").unwrap());
        assert_eq!(total.to_string(), "128Mi");
        let mut cpu = GoQuantity::parse("250m").unwrap();
        cpu.add(GoQuantity::parse("0.5").unwrap());
        assert_eq!((cpu.to_string(), cpu.milli_value()), ("750m".into(), 750));
    }

    #[test]
    fn go_syntax_shows_what_the_parser_keeps() {
        assert_eq!(
            go_syntax("500m").unwrap(),
            r#"resource.Quantity{i:resource.int64Amount{value:500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"500m", Format:"DecimalSI"}"#
        );
        assert!(go_syntax("1Gi").unwrap().contains(r#"value:1073741824, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1Gi", Format:"BinarySI""#));
        assert!(go_syntax("8Gi").unwrap().contains(r#"s:"""#));
        assert!(
            go_syntax("0.5").unwrap().contains(
                r#"value:5, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"""#
            )
        );
        assert_eq!(go_syntax("x"), None);
    }

    #[test]
    fn float_conversion_follows_amd64() {
        assert_eq!(go_int64(12.9), 12);
        assert_eq!(go_int64(f64::NAN), i64::MIN);
        assert_eq!(go_int64(f64::INFINITY), i64::MIN);
    }
}
