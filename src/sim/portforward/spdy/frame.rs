//! SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 with 3.1's session window), the frames a
//! port-forward's connection carries: control frames (SYN_STREAM, SYN_REPLY, RST_STREAM,
//! SETTINGS, PING, GOAWAY, HEADERS, WINDOW_UPDATE) and DATA frames. Header blocks are
//! compressed with one zlib stream per direction, primed with the protocol's dictionary, each
//! block ending in a sync flush.

use std::sync::LazyLock;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress};

pub const VERSION: u16 = 3;
/// Control frame flags.
pub const FLAG_FIN: u8 = 0x01;
/// RST_STREAM status codes.
pub const PROTOCOL_ERROR: u32 = 1;
pub const CANCEL: u32 = 5;
/// GOAWAY status: a normal end of the session.
pub const GOAWAY_OK: u32 = 0;

const SYN_STREAM: u16 = 1;
const SYN_REPLY: u16 = 2;
const RST_STREAM: u16 = 3;
const SETTINGS: u16 = 4;
const PING: u16 = 6;
const GOAWAY: u16 = 7;
const HEADERS: u16 = 8;
const WINDOW_UPDATE: u16 = 9;

/// The largest frame payload accepted (the length field has 24 bits).
const MAX_LENGTH: usize = (1 << 24) - 1;

/// Header names and values, in order; a name with several values appears once per value.
pub type Headers = Vec<(String, String)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    SynStream {
        stream_id: u32,
        associated_to: u32,
        priority: u8,
        flags: u8,
        headers: Headers,
    },
    SynReply {
        stream_id: u32,
        flags: u8,
        headers: Headers,
    },
    RstStream {
        stream_id: u32,
        status: u32,
    },
    Settings {
        flags: u8,
        /// (flags, id, value) for each entry.
        entries: Vec<(u8, u32, u32)>,
    },
    Ping {
        id: u32,
    },
    GoAway {
        last_good_stream_id: u32,
        status: u32,
    },
    Headers {
        stream_id: u32,
        flags: u8,
        headers: Headers,
    },
    WindowUpdate {
        stream_id: u32,
        delta: u32,
    },
    Data {
        stream_id: u32,
        flags: u8,
        data: Vec<u8>,
    },
    /// A control frame of a type this side does not know (the spec says to ignore it).
    Unknown {
        kind: u16,
    },
}

/// SPDY/3's header compression dictionary: length-prefixed header names and values, then
/// common value fragments.
pub static DICTIONARY: LazyLock<Vec<u8>> = LazyLock::new(|| {
    const WORDS: &[&str] = &[
        "options",
        "head",
        "post",
        "put",
        "delete",
        "trace",
        "accept",
        "accept-charset",
        "accept-encoding",
        "accept-language",
        "accept-ranges",
        "age",
        "allow",
        "authorization",
        "cache-control",
        "connection",
        "content-base",
        "content-encoding",
        "content-language",
        "content-length",
        "content-location",
        "content-md5",
        "content-range",
        "content-type",
        "date",
        "etag",
        "expect",
        "expires",
        "from",
        "host",
        "if-match",
        "if-modified-since",
        "if-none-match",
        "if-range",
        "if-unmodified-since",
        "last-modified",
        "location",
        "max-forwards",
        "pragma",
        "proxy-authenticate",
        "proxy-authorization",
        "range",
        "referer",
        "retry-after",
        "server",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "vary",
        "via",
        "warning",
        "www-authenticate",
        "method",
        "get",
        "status",
        "200 OK",
        "version",
        "HTTP/1.1",
        "url",
        "public",
        "set-cookie",
        "keep-alive",
        "origin",
    ];
    const TAIL: &str = concat!(
        "100101201202205206300302303304305306307402405406407408409410411412413414415416417",
        "502504505203 Non-Authoritative Information204 No Content301 Moved Permanently",
        "400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error",
        "501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct ",
        "Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,",
        "image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,",
        "publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.",
    );
    let mut dictionary = Vec::new();
    for word in WORDS {
        dictionary.extend_from_slice(&(word.len() as u32).to_be_bytes());
        dictionary.extend_from_slice(word.as_bytes());
    }
    dictionary.extend_from_slice(TAIL.as_bytes());
    dictionary
});

/// A framing error: the session cannot go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError(pub String);

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn be32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// Reads frames from one direction of a session (its header decompressor is that direction's).
pub struct Reader {
    inflate: Decompress,
}

impl Default for Reader {
    fn default() -> Self {
        Reader {
            inflate: Decompress::new(true),
        }
    }
}

impl Reader {
    /// The first whole frame at the start of `buffer` and its length in bytes, or None when
    /// more bytes are needed.
    pub fn parse(&mut self, buffer: &[u8]) -> Result<Option<(Frame, usize)>, FrameError> {
        if buffer.len() < 8 {
            return Ok(None);
        }
        let length =
            usize::from(buffer[5]) << 16 | usize::from(buffer[6]) << 8 | usize::from(buffer[7]);
        if buffer.len() < 8 + length {
            return Ok(None);
        }
        let flags = buffer[4];
        let payload = &buffer[8..8 + length];
        let frame = if buffer[0] & 0x80 == 0 {
            Frame::Data {
                stream_id: be32(buffer) & 0x7fff_ffff,
                flags,
                data: payload.to_vec(),
            }
        } else {
            let version = u16::from_be_bytes([buffer[0], buffer[1]]) & 0x7fff;
            if version != VERSION {
                return Err(FrameError(format!("unsupported SPDY version {version}")));
            }
            let kind = u16::from_be_bytes([buffer[2], buffer[3]]);
            self.control(kind, flags, payload)?
        };
        Ok(Some((frame, 8 + length)))
    }

    fn control(&mut self, kind: u16, flags: u8, payload: &[u8]) -> Result<Frame, FrameError> {
        let need = |n: usize| {
            if payload.len() < n {
                Err(FrameError(format!(
                    "control frame {kind} too short: {} bytes",
                    payload.len()
                )))
            } else {
                Ok(())
            }
        };
        Ok(match kind {
            SYN_STREAM => {
                need(10)?;
                Frame::SynStream {
                    stream_id: be32(payload) & 0x7fff_ffff,
                    associated_to: be32(&payload[4..]) & 0x7fff_ffff,
                    priority: payload[8] >> 5,
                    flags,
                    headers: self.headers(&payload[10..])?,
                }
            }
            SYN_REPLY | HEADERS => {
                need(4)?;
                let stream_id = be32(payload) & 0x7fff_ffff;
                let headers = self.headers(&payload[4..])?;
                if kind == SYN_REPLY {
                    Frame::SynReply {
                        stream_id,
                        flags,
                        headers,
                    }
                } else {
                    Frame::Headers {
                        stream_id,
                        flags,
                        headers,
                    }
                }
            }
            RST_STREAM => {
                need(8)?;
                Frame::RstStream {
                    stream_id: be32(payload) & 0x7fff_ffff,
                    status: be32(&payload[4..]),
                }
            }
            SETTINGS => {
                need(4)?;
                let count = be32(payload) as usize;
                need(4 + count.saturating_mul(8))?;
                let entries = (0..count)
                    .map(|i| {
                        let entry = &payload[4 + 8 * i..];
                        (entry[0], be32(entry) & 0x00ff_ffff, be32(&entry[4..]))
                    })
                    .collect();
                Frame::Settings { flags, entries }
            }
            PING => {
                need(4)?;
                Frame::Ping { id: be32(payload) }
            }
            GOAWAY => {
                need(8)?;
                Frame::GoAway {
                    last_good_stream_id: be32(payload) & 0x7fff_ffff,
                    status: be32(&payload[4..]),
                }
            }
            WINDOW_UPDATE => {
                need(8)?;
                Frame::WindowUpdate {
                    stream_id: be32(payload) & 0x7fff_ffff,
                    delta: be32(&payload[4..]) & 0x7fff_ffff,
                }
            }
            kind => Frame::Unknown { kind },
        })
    }

    /// A header block: inflated (the stream's first block asks for the dictionary), then
    /// read as counted names and values.
    fn headers(&mut self, compressed: &[u8]) -> Result<Headers, FrameError> {
        let block = self.inflate(compressed)?;
        let broken = || FrameError("malformed header block".into());
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], FrameError> {
            let slice = block.get(at..at + n).ok_or_else(broken)?;
            at += n;
            Ok(slice)
        };
        let count = be32(take(4)?);
        let mut headers = Vec::new();
        for _ in 0..count {
            let length = be32(take(4)?) as usize;
            let name = String::from_utf8_lossy(take(length)?).into_owned();
            let length = be32(take(4)?) as usize;
            let value = take(length)?;
            for part in value.split(|b| *b == 0) {
                headers.push((name.clone(), String::from_utf8_lossy(part).into_owned()));
            }
        }
        Ok(headers)
    }

    fn inflate(&mut self, input: &[u8]) -> Result<Vec<u8>, FrameError> {
        let mut out = Vec::with_capacity(input.len() * 4 + 256);
        let mut consumed = 0usize;
        loop {
            if out.capacity() - out.len() < 1024 {
                out.reserve(4096);
            }
            let (before_in, before_out) = (self.inflate.total_in(), self.inflate.total_out());
            let result =
                self.inflate
                    .decompress_vec(&input[consumed..], &mut out, FlushDecompress::Sync);
            consumed += (self.inflate.total_in() - before_in) as usize;
            let produced = self.inflate.total_out() - before_out;
            match result {
                Ok(_) => {}
                Err(e) if e.needs_dictionary().is_some() => {
                    self.inflate
                        .set_dictionary(&DICTIONARY)
                        .map_err(|e| FrameError(format!("header dictionary: {e}")))?;
                    continue;
                }
                Err(e) => return Err(FrameError(format!("header block: {e}"))),
            }
            let room_left = out.len() < out.capacity();
            if consumed >= input.len() && room_left {
                return Ok(out);
            }
            if produced == 0 && consumed >= input.len() {
                return Ok(out);
            }
            if out.len() > MAX_LENGTH * 4 {
                return Err(FrameError("header block too large".into()));
            }
        }
    }
}

/// Writes frames for one direction of a session (its header compressor is that direction's).
pub struct Writer {
    deflate: Compress,
}

impl Default for Writer {
    fn default() -> Self {
        let mut deflate = Compress::new(Compression::default(), true);
        // Cannot fail on a fresh stream.
        let _ = deflate.set_dictionary(&DICTIONARY);
        Writer { deflate }
    }
}

fn control(kind: u16, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(8 + payload.len());
    bytes.extend_from_slice(&(0x8000 | VERSION).to_be_bytes());
    bytes.extend_from_slice(&kind.to_be_bytes());
    bytes.push(flags);
    bytes.extend_from_slice(&(payload.len() as u32).to_be_bytes()[1..]);
    bytes.extend_from_slice(payload);
    bytes
}

impl Writer {
    /// The frame's bytes on the wire.
    pub fn encode(&mut self, frame: &Frame) -> Vec<u8> {
        match frame {
            Frame::Data {
                stream_id,
                flags,
                data,
            } => {
                let mut bytes = Vec::with_capacity(8 + data.len());
                bytes.extend_from_slice(&(stream_id & 0x7fff_ffff).to_be_bytes());
                bytes.push(*flags);
                bytes.extend_from_slice(&(data.len() as u32).to_be_bytes()[1..]);
                bytes.extend_from_slice(data);
                bytes
            }
            Frame::SynStream {
                stream_id,
                associated_to,
                priority,
                flags,
                headers,
            } => {
                let mut payload = Vec::new();
                payload.extend_from_slice(&stream_id.to_be_bytes());
                payload.extend_from_slice(&associated_to.to_be_bytes());
                payload.push(priority << 5);
                payload.push(0);
                payload.extend(self.header_block(headers));
                control(SYN_STREAM, *flags, &payload)
            }
            Frame::SynReply {
                stream_id,
                flags,
                headers,
            } => {
                let mut payload = stream_id.to_be_bytes().to_vec();
                payload.extend(self.header_block(headers));
                control(SYN_REPLY, *flags, &payload)
            }
            Frame::Headers {
                stream_id,
                flags,
                headers,
            } => {
                let mut payload = stream_id.to_be_bytes().to_vec();
                payload.extend(self.header_block(headers));
                control(HEADERS, *flags, &payload)
            }
            Frame::RstStream { stream_id, status } => {
                let mut payload = stream_id.to_be_bytes().to_vec();
                payload.extend_from_slice(&status.to_be_bytes());
                control(RST_STREAM, 0, &payload)
            }
            Frame::Settings { flags, entries } => {
                let mut payload = (entries.len() as u32).to_be_bytes().to_vec();
                for (entry_flags, id, value) in entries {
                    payload.extend_from_slice(&(u32::from(*entry_flags) << 24 | id).to_be_bytes());
                    payload.extend_from_slice(&value.to_be_bytes());
                }
                control(SETTINGS, *flags, &payload)
            }
            Frame::Ping { id } => control(PING, 0, &id.to_be_bytes()),
            Frame::GoAway {
                last_good_stream_id,
                status,
            } => {
                let mut payload = last_good_stream_id.to_be_bytes().to_vec();
                payload.extend_from_slice(&status.to_be_bytes());
                control(GOAWAY, 0, &payload)
            }
            Frame::WindowUpdate { stream_id, delta } => {
                let mut payload = stream_id.to_be_bytes().to_vec();
                payload.extend_from_slice(&delta.to_be_bytes());
                control(WINDOW_UPDATE, 0, &payload)
            }
            Frame::Unknown { kind } => control(*kind, 0, &[]),
        }
    }

    /// A header block, compressed and sync-flushed. Names are written in lowercase, as the
    /// protocol requires; values of one name are joined with NUL.
    fn header_block(&mut self, headers: &Headers) -> Vec<u8> {
        let mut grouped: Vec<(String, Vec<&str>)> = Vec::new();
        for (name, value) in headers {
            let name = name.to_ascii_lowercase();
            match grouped.iter_mut().find(|(n, _)| *n == name) {
                Some((_, values)) => values.push(value),
                None => grouped.push((name, vec![value])),
            }
        }
        let mut block = (grouped.len() as u32).to_be_bytes().to_vec();
        for (name, values) in &grouped {
            let value = values.join("\0");
            block.extend_from_slice(&(name.len() as u32).to_be_bytes());
            block.extend_from_slice(name.as_bytes());
            block.extend_from_slice(&(value.len() as u32).to_be_bytes());
            block.extend_from_slice(value.as_bytes());
        }
        let mut out = Vec::with_capacity(block.len() + 64);
        let mut consumed = 0usize;
        loop {
            if out.capacity() - out.len() < 64 {
                out.reserve(1024);
            }
            let before = self.deflate.total_in();
            let _ = self
                .deflate
                .compress_vec(&block[consumed..], &mut out, FlushCompress::Sync);
            consumed += (self.deflate.total_in() - before) as usize;
            if consumed >= block.len() && out.len() < out.capacity() {
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_is_the_protocols() {
        // 1423 bytes, starting "\0\0\0\x07options" and ending "enq=0." (SPDY/3 section 2.6.10.1).
        assert_eq!(DICTIONARY.len(), 1423);
        assert_eq!(&DICTIONARY[..11], b"\0\0\0\x07options");
        assert!(DICTIONARY.ends_with(b",*,enq=0."));
    }

    #[test]
    fn control_frames_as_the_spec_lays_them_out() {
        let mut writer = Writer::default();
        // PING: 0x8003 0006, flags 0, length 4, id.
        assert_eq!(
            writer.encode(&Frame::Ping { id: 1 }),
            [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]
        );
        // RST_STREAM: stream 3, status CANCEL (5).
        assert_eq!(
            writer.encode(&Frame::RstStream {
                stream_id: 3,
                status: CANCEL
            }),
            [0x80, 0x03, 0x00, 0x03, 0, 0, 0, 8, 0, 0, 0, 3, 0, 0, 0, 5]
        );
        // GOAWAY: last good stream 7, status OK.
        assert_eq!(
            writer.encode(&Frame::GoAway {
                last_good_stream_id: 7,
                status: GOAWAY_OK
            }),
            [0x80, 0x03, 0x00, 0x07, 0, 0, 0, 8, 0, 0, 0, 7, 0, 0, 0, 0]
        );
        // WINDOW_UPDATE: stream 1, delta 65536.
        assert_eq!(
            writer.encode(&Frame::WindowUpdate {
                stream_id: 1,
                delta: 65536
            }),
            [0x80, 0x03, 0x00, 0x09, 0, 0, 0, 8, 0, 0, 0, 1, 0, 1, 0, 0]
        );
        // SETTINGS: one entry, INITIAL_WINDOW_SIZE (7) = 65536.
        assert_eq!(
            writer.encode(&Frame::Settings {
                flags: 0,
                entries: vec![(0, 7, 65536)]
            }),
            [
                0x80, 0x03, 0x00, 0x04, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 7, 0, 1, 0, 0
            ]
        );
        // DATA: stream 5, FIN, "hi".
        assert_eq!(
            writer.encode(&Frame::Data {
                stream_id: 5,
                flags: FLAG_FIN,
                data: b"hi".to_vec()
            }),
            [0, 0, 0, 5, 1, 0, 0, 2, b'h', b'i']
        );
    }

    #[test]
    fn frames_read_back_from_their_bytes() {
        let mut reader = Reader::default();
        let ping = [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 9];
        assert_eq!(reader.parse(&ping[..7]), Ok(None));
        assert_eq!(reader.parse(&ping), Ok(Some((Frame::Ping { id: 9 }, 12))));
        let data = [0, 0, 0, 1, 0, 0, 0, 3, b'a', b'b', b'c', 0xff];
        assert_eq!(
            reader.parse(&data),
            Ok(Some((
                Frame::Data {
                    stream_id: 1,
                    flags: 0,
                    data: b"abc".to_vec()
                },
                11
            )))
        );
        let spdy2 = [0x80, 0x02, 0x00, 0x06, 0, 0, 0, 4, 0, 0, 0, 1];
        assert!(reader.parse(&spdy2).is_err());
    }

    #[test]
    fn header_blocks_round_trip_through_one_compression_stream() {
        let (mut writer, mut reader) = (Writer::default(), Reader::default());
        let headers = |request: &str| -> Headers {
            vec![
                ("streamType".into(), "error".into()),
                ("port".into(), "80".into()),
                ("requestID".into(), request.into()),
            ]
        };
        for (id, request) in [(1u32, "0"), (3, "0"), (5, "1")] {
            let bytes = writer.encode(&Frame::SynStream {
                stream_id: id,
                associated_to: 0,
                priority: 0,
                flags: 0,
                headers: headers(request),
            });
            // The header block starts with a zlib header that names a preset dictionary.
            if id == 1 {
                assert_eq!(bytes[18], 0x78);
                assert_eq!(bytes[19] & 0x20, 0x20);
            }
            let (frame, used) = reader.parse(&bytes).unwrap().unwrap();
            assert_eq!(used, bytes.len());
            let lowercase: Headers = headers(request)
                .into_iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), v))
                .collect();
            assert_eq!(
                frame,
                Frame::SynStream {
                    stream_id: id,
                    associated_to: 0,
                    priority: 0,
                    flags: 0,
                    headers: lowercase
                }
            );
        }
        let empty = writer.encode(&Frame::SynReply {
            stream_id: 1,
            flags: 0,
            headers: vec![],
        });
        assert_eq!(&empty[..4], &[0x80, 0x03, 0x00, 0x02]);
        assert_eq!(
            reader.parse(&empty).unwrap().unwrap().0,
            Frame::SynReply {
                stream_id: 1,
                flags: 0,
                headers: vec![]
            }
        );
    }
}
