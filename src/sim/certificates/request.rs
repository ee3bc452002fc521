//! A PKCS#10 certificate signing request as the API server reads one (`certificates.ParseCSR`,
//! then `CheckSignature`): the first PEM block, which must be a `CERTIFICATE REQUEST`; its DER
//! read for the subject, the public key and the subject alternative names asked for; and its
//! signature checked with the requester's own key, by the verifiers the TLS stack already has.
//! Errors are Go's words, which the API server puts in its validation error.

use std::net::IpAddr;

use base64::Engine;

/// The parts of a request a signer reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The subject's attributes in order: the type's OID (its DER content) and the value.
    pub subject: Vec<(Vec<u8>, String)>,
    /// The SubjectPublicKeyInfo's algorithm identifier (its DER content) and the key's bits.
    pub key_algorithm: Vec<u8>,
    pub key: Vec<u8>,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<IpAddr>,
    pub emails: Vec<String>,
    pub uris: Vec<String>,
}

/// The DER content of the object identifiers read here.
pub mod oid {
    pub const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
    pub const ORGANIZATION: &[u8] = &[0x55, 0x04, 0x0a];
    pub const EXTENSION_REQUEST: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e];
    pub const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
    pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    pub const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
}

impl Request {
    /// The values of one subject attribute, in order.
    pub fn subject_values(&self, oid: &[u8]) -> Vec<&str> {
        self.subject
            .iter()
            .filter(|(t, _)| t == oid)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

const MALFORMED: &str = "x509: malformed certificate request";

/// `certificates.ParseCSR` and `CheckSignature` of a request's PEM text.
pub fn parse_and_verify(pem: &[u8]) -> Result<Request, String> {
    let der = first_pem_block(pem)
        .filter(|(label, _)| label == "CERTIFICATE REQUEST")
        .map(|(_, der)| der)
        .ok_or("PEM block type must be CERTIFICATE REQUEST")?;
    let signed = parse(&der).ok_or_else(|| MALFORMED.to_string())?;
    verify(
        &signed.request,
        signed.info,
        signed.algorithm,
        signed.signature,
    )?;
    Ok(signed.request)
}

/// `pem.Decode`'s first block: its label and its decoded body (None when there is none, or its
/// body is not base64).
fn first_pem_block(text: &[u8]) -> Option<(String, Vec<u8>)> {
    let text = std::str::from_utf8(text).ok()?;
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let label_end = rest.find("-----")?;
    let label = rest[..label_end].to_string();
    let body = &rest[label_end + 5..];
    let end = body.find(&format!("-----END {label}-----"))?;
    let encoded: String = body[..end]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    Some((label, der))
}

/// One DER element: its tag, its content and all of its bytes.
#[derive(Clone, Copy)]
struct Element<'a> {
    tag: u8,
    content: &'a [u8],
    whole: &'a [u8],
}

/// Reads one element (definite lengths, one-byte tags, as DER has them for a request).
fn element(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count]
            .iter()
            .fold(0usize, |n, b| (n << 8) | usize::from(*b));
        (length, &rest[count..])
    };
    if rest.len() < length {
        return None;
    }
    let header = input.len() - rest.len();
    Some((
        Element {
            tag,
            content: &rest[..length],
            whole: &input[..header + length],
        },
        &rest[length..],
    ))
}

/// The elements inside a constructed element's content.
fn children(mut content: &[u8]) -> Option<Vec<Element<'_>>> {
    let mut items = Vec::new();
    while !content.is_empty() {
        let (item, rest) = element(content)?;
        items.push(item);
        content = rest;
    }
    Some(items)
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;

fn expect(item: Element<'_>, tag: u8) -> Option<Element<'_>> {
    (item.tag == tag).then_some(item)
}

/// A request as signed: what it asks, the bytes its signature covers, the signature's algorithm
/// identifier (its content) and the signature.
struct Signed<'a> {
    request: Request,
    info: &'a [u8],
    algorithm: &'a [u8],
    signature: &'a [u8],
}

fn parse(der: &[u8]) -> Option<Signed<'_>> {
    let (outer, rest) = element(der)?;
    if !rest.is_empty() {
        return None;
    }
    let [info, algorithm, signature] = children(expect(outer, SEQUENCE)?.content)?[..] else {
        return None;
    };
    let info = expect(info, SEQUENCE)?;
    let algorithm = expect(algorithm, SEQUENCE)?;
    let signature = bit_string(signature)?;
    let parts = children(info.content)?;
    let [version, subject, key_info, rest @ ..] = &parts[..] else {
        return None;
    };
    if version.tag != 0x02 {
        return None;
    }
    let subject = name(expect(*subject, SEQUENCE)?)?;
    let [key_algorithm, key] = children(expect(*key_info, SEQUENCE)?.content)?[..] else {
        return None;
    };
    let mut request = Request {
        subject,
        key_algorithm: expect(key_algorithm, SEQUENCE)?.content.to_vec(),
        key: bit_string(key)?.to_vec(),
        dns_names: Vec::new(),
        ip_addresses: Vec::new(),
        emails: Vec::new(),
        uris: Vec::new(),
    };
    // [0] IMPLICIT attributes: the extensions asked for, of which the alternative names count.
    if let Some(attributes) = rest.iter().find(|a| a.tag == 0xa0) {
        for attribute in children(attributes.content)? {
            let [kind, values] = children(expect(attribute, SEQUENCE)?.content)?[..] else {
                return None;
            };
            if kind.tag != 0x06 || kind.content != oid::EXTENSION_REQUEST {
                continue;
            }
            for extensions in children(expect(values, SET)?.content)? {
                for extension in children(expect(extensions, SEQUENCE)?.content)? {
                    let parts = children(expect(extension, SEQUENCE)?.content)?;
                    let (Some(id), Some(value)) = (parts.first(), parts.last()) else {
                        return None;
                    };
                    if id.content == oid::SUBJECT_ALT_NAME && value.tag == 0x04 {
                        alternative_names(value.content, &mut request)?;
                    }
                }
            }
        }
    }
    Some(Signed {
        request,
        info: info.whole,
        algorithm: algorithm.content,
        signature,
    })
}

/// A BIT STRING's bytes (whole bytes only, as keys and signatures are).
fn bit_string(item: Element<'_>) -> Option<&[u8]> {
    let (&unused, bits) = expect(item, 0x03)?.content.split_first()?;
    (unused == 0).then_some(bits)
}

/// A Name: its attributes in order, each value read as the string it is.
fn name(sequence: Element<'_>) -> Option<Vec<(Vec<u8>, String)>> {
    let mut attributes = Vec::new();
    for set in children(sequence.content)? {
        for pair in children(expect(set, SET)?.content)? {
            let [kind, value] = children(expect(pair, SEQUENCE)?.content)?[..] else {
                return None;
            };
            if kind.tag != 0x06 {
                return None;
            }
            attributes.push((kind.content.to_vec(), string(value)?));
        }
    }
    Some(attributes)
}

/// A directory string's text.
fn string(value: Element<'_>) -> Option<String> {
    match value.tag {
        // UTF8String, PrintableString, T61String (read as Latin-1 by Go too), IA5String.
        0x0c | 0x13 | 0x16 => String::from_utf8(value.content.to_vec()).ok(),
        0x14 => Some(value.content.iter().map(|b| char::from(*b)).collect()),
        // BMPString: UTF-16, big-endian.
        0x1e => {
            let units: Vec<u16> = value
                .content
                .chunks(2)
                .map(|pair| Some(u16::from_be_bytes([pair[0], *pair.get(1)?])))
                .collect::<Option<_>>()?;
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// GeneralNames: e-mail addresses [1], DNS names [2], URIs [6] and IP addresses [7].
fn alternative_names(der: &[u8], request: &mut Request) -> Option<()> {
    let (names, _) = element(der)?;
    for general in children(expect(names, SEQUENCE)?.content)? {
        let text = || String::from_utf8(general.content.to_vec()).ok();
        match general.tag {
            0x81 => request.emails.push(text()?),
            0x82 => request.dns_names.push(text()?),
            0x86 => request.uris.push(text()?),
            0x87 => request.ip_addresses.push(match general.content.len() {
                4 => IpAddr::from(<[u8; 4]>::try_from(general.content).ok()?),
                16 => IpAddr::from(<[u8; 16]>::try_from(general.content).ok()?),
                _ => return None,
            }),
            _ => {}
        }
    }
    Some(())
}

/// Whether DER reads as an X.509 certificate's outline: a sequence of the signed part, the
/// signature's algorithm and the signature.
pub fn looks_like_certificate(der: &[u8]) -> bool {
    let Some((outer, rest)) = element(der) else {
        return false;
    };
    rest.is_empty()
        && outer.tag == SEQUENCE
        && children(outer.content).is_some_and(|parts| {
            matches!(&parts[..], [tbs, algorithm, signature]
                if tbs.tag == SEQUENCE && algorithm.tag == SEQUENCE && signature.tag == 0x03)
        })
}

/// Checks the signature with the request's key, by the verifier for that key and algorithm.
fn verify(
    request: &Request,
    signed: &[u8],
    signature_algorithm: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let provider = rustls::crypto::ring::default_provider();
    let verifier = provider
        .signature_verification_algorithms
        .all
        .iter()
        .find(|v| {
            v.public_key_alg_id().as_ref() == request.key_algorithm.as_slice()
                && v.signature_alg_id().as_ref() == signature_algorithm
        })
        .ok_or("x509: cannot verify signature: algorithm unimplemented")?;
    verifier
        .verify_signature(&request.key, signed, signature)
        .map_err(|_| verification_failure(&request.key_algorithm).to_string())
}

/// Go's words for a signature that does not verify, by the key's algorithm.
fn verification_failure(key_algorithm: &[u8]) -> &'static str {
    match element(key_algorithm).map(|(id, _)| id.content) {
        Some(oid::EC_PUBLIC_KEY) => "x509: ECDSA verification failure",
        Some(oid::ED25519) => "x509: Ed25519 verification failure",
        _ => "crypto/rsa: verification error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request_pem(key: &rcgen::KeyPair) -> String {
        let mut params = rcgen::CertificateParams::new(vec![
            "node-1.example.com".to_string(),
            "10.0.1.10".into(),
        ])
        .unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "system:node:node-1");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "system:nodes");
        params.serialize_request(key).unwrap().pem().unwrap()
    }

    #[test]
    fn reads_what_a_request_asks_for() {
        let key = rcgen::KeyPair::generate().unwrap();
        let request = parse_and_verify(request_pem(&key).as_bytes()).unwrap();
        assert_eq!(
            request.subject_values(oid::COMMON_NAME),
            ["system:node:node-1"]
        );
        assert_eq!(request.subject_values(oid::ORGANIZATION), ["system:nodes"]);
        assert_eq!(request.dns_names, ["node-1.example.com"]);
        assert_eq!(
            request.ip_addresses,
            ["10.0.1.10".parse::<IpAddr>().unwrap()]
        );
        assert_eq!(request.key, key.public_key_raw());
    }

    #[test]
    fn refusals_in_gos_words() {
        assert_eq!(
            parse_and_verify(b"").unwrap_err(),
            "PEM block type must be CERTIFICATE REQUEST"
        );
        assert_eq!(
            parse_and_verify(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
                .unwrap_err(),
            "PEM block type must be CERTIFICATE REQUEST"
        );
        assert_eq!(
            parse_and_verify(
                b"-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n"
            )
            .unwrap_err(),
            "x509: malformed certificate request"
        );
        // A request whose signature was made over other bytes.
        let key = rcgen::KeyPair::generate().unwrap();
        let pem = request_pem(&key);
        let (_, mut der) = first_pem_block(pem.as_bytes()).unwrap();
        let last = der.len() - 1;
        der[last] ^= 0x01;
        let tampered = format!(
            "-----BEGIN CERTIFICATE REQUEST-----\n{}\n-----END CERTIFICATE REQUEST-----\n",
            base64::engine::general_purpose::STANDARD.encode(&der)
        );
        assert_eq!(
            parse_and_verify(tampered.as_bytes()).unwrap_err(),
            "x509: ECDSA verification failure"
        );
    }
}
