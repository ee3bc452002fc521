//! The protobuf wire format, read: keys, varints, fixed32/64 and length-delimited values, and
//! skipping the fields a schema does not know. Every read checks its bounds. And written, as Go's
//! marshallers write it: the encoder of stored objects and `/openapi/v2`'s gnostic document
//! both append their fields with these.

use super::ProtobufError;

/// How a field's value is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireType {
    Varint,
    Fixed64,
    Len,
    Fixed32,
}

impl WireType {
    pub fn name(self) -> &'static str {
        match self {
            WireType::Varint => "varint",
            WireType::Fixed64 => "fixed64",
            WireType::Len => "length-delimited",
            WireType::Fixed32 => "fixed32",
        }
    }
}

/// A cursor over one message's bytes.
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// The next field's number and wire type.
    pub fn key(&mut self) -> Result<(u32, WireType), ProtobufError> {
        let key = self.varint()?;
        let number = key >> 3;
        if number == 0 || number > (1 << 29) - 1 {
            return Err(ProtobufError::new(format!("invalid field number {number}")));
        }
        let wire_type = match key & 7 {
            0 => WireType::Varint,
            1 => WireType::Fixed64,
            2 => WireType::Len,
            5 => WireType::Fixed32,
            3 | 4 => {
                return Err(ProtobufError::new(format!(
                    "field {number} uses groups, which Kubernetes never encodes"
                )));
            }
            other => {
                return Err(ProtobufError::new(format!(
                    "field {number} has invalid wire type {other}"
                )));
            }
        };
        Ok((number as u32, wire_type))
    }

    /// A base-128 varint of at most ten bytes.
    pub fn varint(&mut self) -> Result<u64, ProtobufError> {
        let mut value: u64 = 0;
        for i in 0..10 {
            let Some(&byte) = self.data.get(self.pos) else {
                return Err(ProtobufError::new("truncated varint"));
            };
            self.pos += 1;
            if i == 9 && byte > 1 {
                return Err(ProtobufError::new("varint overflows 64 bits"));
            }
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(ProtobufError::new("varint longer than ten bytes"))
    }

    fn take(&mut self, len: usize, what: &str) -> Result<&'a [u8], ProtobufError> {
        let end = self
            .pos
            .checked_add(len)
            .filter(|end| *end <= self.data.len())
            .ok_or_else(|| {
                ProtobufError::new(format!(
                    "{what} of {len} bytes runs past the end of its message ({} bytes left)",
                    self.data.len() - self.pos
                ))
            })?;
        let bytes = &self.data[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    pub fn fixed32(&mut self) -> Result<u32, ProtobufError> {
        let bytes = self.take(4, "fixed32")?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    pub fn fixed64(&mut self) -> Result<u64, ProtobufError> {
        let bytes = self.take(8, "fixed64")?;
        let mut word = [0u8; 8];
        word.copy_from_slice(bytes);
        Ok(u64::from_le_bytes(word))
    }

    /// A length-delimited value: a varint length, then that many bytes.
    pub fn len_delimited(&mut self) -> Result<&'a [u8], ProtobufError> {
        let len = self.varint()?;
        let len = usize::try_from(len)
            .map_err(|_| ProtobufError::new(format!("length {len} is too large")))?;
        self.take(len, "value")
    }

    /// Skips a value of a field the schema does not know.
    pub fn skip(&mut self, wire_type: WireType) -> Result<(), ProtobufError> {
        match wire_type {
            WireType::Varint => self.varint().map(drop),
            WireType::Fixed64 => self.fixed64().map(drop),
            WireType::Len => self.len_delimited().map(drop),
            WireType::Fixed32 => self.fixed32().map(drop),
        }
    }
}

impl WireType {
    /// The three bits a key holds beside the field's number.
    fn bits(self) -> u64 {
        match self {
            WireType::Varint => 0,
            WireType::Fixed64 => 1,
            WireType::Len => 2,
            WireType::Fixed32 => 5,
        }
    }
}

/// Appends a base-128 varint.
pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends a field's key: its number and how its value is encoded.
pub fn write_key(out: &mut Vec<u8>, number: u32, wire_type: WireType) {
    write_varint(out, u64::from(number) << 3 | wire_type.bits());
}

/// Appends a varint field.
pub fn write_varint_field(out: &mut Vec<u8>, number: u32, value: u64) {
    write_key(out, number, WireType::Varint);
    write_varint(out, value);
}

/// Appends a length-delimited field holding `bytes`.
pub fn write_len_field(out: &mut Vec<u8>, number: u32, bytes: &[u8]) {
    write_key(out, number, WireType::Len);
    write_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back() {
        let mut out = Vec::new();
        write_varint_field(&mut out, 1, 0);
        write_varint_field(&mut out, 2, 300);
        write_varint_field(&mut out, 536_870_911, u64::MAX);
        write_len_field(&mut out, 3, b"pod");
        write_key(&mut out, 4, WireType::Fixed64);
        out.extend_from_slice(&7u64.to_le_bytes());
        write_key(&mut out, 5, WireType::Fixed32);
        out.extend_from_slice(&9u32.to_le_bytes());
        // 300 is two bytes, as the protobuf documentation's example writes it.
        assert_eq!(out[2..5], [0x10, 0xac, 0x02]);
        let mut r = Reader::new(&out);
        assert_eq!(r.key().unwrap(), (1, WireType::Varint));
        assert_eq!(r.varint().unwrap(), 0);
        assert_eq!(r.key().unwrap(), (2, WireType::Varint));
        assert_eq!(r.varint().unwrap(), 300);
        assert_eq!(r.key().unwrap(), (536_870_911, WireType::Varint));
        assert_eq!(r.varint().unwrap(), u64::MAX);
        assert_eq!(r.key().unwrap(), (3, WireType::Len));
        assert_eq!(r.len_delimited().unwrap(), b"pod");
        assert_eq!(r.key().unwrap(), (4, WireType::Fixed64));
        assert_eq!(r.fixed64().unwrap(), 7);
        assert_eq!(r.key().unwrap(), (5, WireType::Fixed32));
        assert_eq!(r.fixed32().unwrap(), 9);
        assert!(r.is_empty());
    }

    #[test]
    fn varints() {
        let mut r = Reader::new(&[0x00, 0x96, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert_eq!(r.varint().unwrap(), 0);
        assert_eq!(r.varint().unwrap(), 150);
        assert_eq!(r.varint().unwrap(), u64::from(u32::MAX));
        assert!(r.is_empty());
        // -1 as an int64: ten bytes.
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert_eq!(r.varint().unwrap() as i64, -1);
    }

    #[test]
    fn bad_varints() {
        assert!(Reader::new(&[0x80]).varint().is_err());
        assert!(Reader::new(&[0xff; 10]).varint().is_err());
        assert!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])
                .varint()
                .is_err()
        );
    }

    #[test]
    fn keys_and_skipping() {
        // field 1 varint, field 2 fixed64, field 3 bytes, field 4 fixed32
        let data = [
            0x08, 0x01, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1a, 0x02, b'h', b'i', 0x25, 1, 2, 3, 4,
        ];
        let mut r = Reader::new(&data);
        for (number, wire_type) in [
            (1, WireType::Varint),
            (2, WireType::Fixed64),
            (3, WireType::Len),
            (4, WireType::Fixed32),
        ] {
            assert_eq!(r.key().unwrap(), (number, wire_type));
            r.skip(wire_type).unwrap();
        }
        assert!(r.is_empty());
    }

    #[test]
    fn bad_keys_and_lengths() {
        assert!(Reader::new(&[0x00]).key().is_err(), "field number 0");
        assert!(Reader::new(&[0x0b]).key().is_err(), "group start");
        assert!(Reader::new(&[0x0e]).key().is_err(), "wire type 6");
        let err = Reader::new(&[0x05, b'a']).len_delimited().unwrap_err();
        assert!(err.to_string().contains("runs past the end"), "{err}");
        let huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert!(Reader::new(&huge).len_delimited().is_err());
        assert!(Reader::new(&[1, 2, 3]).fixed32().is_err());
        assert!(Reader::new(&[1, 2, 3, 4, 5, 6, 7]).fixed64().is_err());
    }
}
