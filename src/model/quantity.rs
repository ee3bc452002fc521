//! Kubernetes resource quantities (`100m`, `1.5`, `256Mi`, `1e3`), compared exactly.
//!
//! The API server compares quantities as exact decimals; we do the same by converting every
//! quantity to a whole number of nano-units, rounding up below that (as the server does when it
//! canonicalises `0.0000000001` to `1n`).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Visitor};

/// A quantity as written in the object, kept verbatim for display.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quantity(pub String);

impl Quantity {
    /// The value in nano-units, or `None` if the text is not a valid quantity.
    pub fn nanos(&self) -> Option<i128> {
        parse_nanos(&self.0)
    }

    /// Whether the quantity is zero (an unparsable quantity is treated as zero, as it cannot
    /// have been admitted by a server).
    pub fn is_zero(&self) -> bool {
        self.nanos().unwrap_or(0) == 0
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct QuantityVisitor;
        impl Visitor<'_> for QuantityVisitor {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity such as \"100m\", \"256Mi\" or 2")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
        }
        deserializer.deserialize_any(QuantityVisitor)
    }
}

/// Parses `<sign><digits>[.<digits>][suffix]`, where suffix is a decimal SI suffix, a binary
/// suffix, or a decimal exponent (`e3`, `E-2`).
fn parse_nanos(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let number_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
        return None;
    }
    // Scale: value = digits × 10^decimal_exponent × 2^binary_exponent.
    let (decimal_exponent, binary_exponent): (i32, u32) = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        exponent if exponent.starts_with(['e', 'E']) => (exponent[1..].parse().ok()?, 0),
        _ => return None,
    };
    let mut mantissa: i128 = 0;
    // The digits read where they stand (not joined into a new string: every pod's requests
    // and limits are read as it arrives).
    for digit in whole.bytes().chain(fraction.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(digit - b'0'))?;
    }
    // nanos = mantissa × 10^(decimal_exponent − fraction_len + 9) × 2^binary_exponent
    let exponent = decimal_exponent
        .checked_sub(i32::try_from(fraction.len()).ok()?)?
        .checked_add(9)?;
    let scaled = if exponent >= 0 {
        mantissa.checked_mul(10i128.checked_pow(exponent as u32)?)?
    } else {
        let divisor = 10i128.checked_pow(exponent.unsigned_abs())?;
        // Round up, as the API server does for precision below a nano-unit.
        mantissa / divisor + i128::from(mantissa % divisor != 0)
    };
    let scaled = scaled.checked_mul(1i128.checked_shl(binary_exponent)?)?;
    Some(if negative { -scaled } else { scaled })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NANO: i128 = 1_000_000_000;

    fn n(text: &str) -> Option<i128> {
        Quantity(text.into()).nanos()
    }

    #[test]
    fn decimal_and_binary_suffixes() {
        assert_eq!(n("100m"), Some(100_000_000));
        assert_eq!(n("0.1"), n("100m"));
        assert_eq!(n("1"), Some(NANO));
        assert_eq!(n("1k"), n("1000"));
        assert_eq!(n("1Gi"), n("1073741824"));
        assert_eq!(n("1.5Gi"), n("1536Mi"));
        assert_eq!(n("1e3"), n("1k"));
        assert_eq!(n("1E-3"), n("1m"));
        assert_eq!(n("+2"), n("2"));
        assert_eq!(n("-2"), Some(-2 * NANO));
        assert_eq!(n("1n"), Some(1));
        assert_eq!(n("0.0000000001"), Some(1), "rounds up below a nano-unit");
        assert_eq!(n(".5"), n("500m"));
        assert_eq!(n("5."), n("5"));
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for text in [
            "",
            "-",
            ".",
            "1Q",
            "abc",
            "1.2.3",
            "1e",
            "1e99999",
            "9".repeat(60).as_str(),
            "1Ei1",
        ] {
            assert_eq!(n(text), None, "{text:?}");
        }
        assert_eq!(n("1e40"), None, "overflow is rejected, not wrapped");
        assert_eq!(n("1e2147483639"), None);
        assert_eq!(n("1.5e-2147483648"), None);
        assert_eq!(
            n("100000000000000000000000000000000000000e-47"),
            Some(1),
            "rounds up without overflow"
        );
    }

    #[test]
    fn reads_numbers_and_strings() {
        let q: Quantity = serde_json::from_str("2").unwrap();
        assert_eq!(q.nanos(), Some(2 * NANO));
        let q: Quantity = serde_json::from_str("0.5").unwrap();
        assert_eq!(q.nanos(), Some(NANO / 2));
        let q: Quantity = serde_json::from_str("\"256Mi\"").unwrap();
        assert_eq!(q.to_string(), "256Mi");
        assert!(serde_json::from_str::<Quantity>("[]").is_err());
    }
}
