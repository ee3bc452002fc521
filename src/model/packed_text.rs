//! An object's JSON text kept compressed: LZ4 against a dictionary that is the first text of
//! its watch. Tens of thousands of pods repeat the same keys, condition types, tolerations,
//! images and owners, so against one of them a pod's text takes about a fifth of its size
//! (2,392 → 471 B a pod in the simulator), and unpacking one takes microseconds: describe,
//! explain, the containers view and the user's columns read it as they read the text before.
//!
//! Why not drop the text and fetch the object when it is needed: those views read it at once,
//! and some read many (a node's describe reads the pods on it, a workload's explanation the
//! pods its selector picks); fetching would make each wait on the API server.

use std::fmt;
use std::sync::Arc;

use super::lz4_block::{Dictionary, Seen};

/// A text compressed against a shared dictionary, its length before compression prepended.
/// Cloned, it is shared: triage's worker is handed the texts of the pods it reads.
#[derive(Clone)]
pub struct PackedText {
    dictionary: Arc<Dictionary>,
    packed: Arc<[u8]>,
}

impl PackedText {
    /// The text as it was packed.
    pub fn unpack(&self) -> String {
        match lz4_flex::block::decompress_size_prepended_with_dict(
            &self.packed,
            self.dictionary.bytes(),
        ) {
            // Packed from a `str`, so it is UTF-8; the lossy path is never taken.
            Ok(bytes) => String::from_utf8(bytes)
                .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()),
            // Only bytes `pack` made are unpacked: this cannot fail.
            Err(_) => String::new(),
        }
    }

    /// The bytes held for this text (the dictionary is shared and not counted).
    pub fn packed_len(&self) -> usize {
        self.packed.len()
    }
}

impl fmt::Debug for PackedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PackedText")
            .field("packed", &self.packed.len())
            .finish()
    }
}

impl From<&str> for PackedText {
    /// A text packed on its own (tests and single objects): its own dictionary.
    fn from(text: &str) -> Self {
        Packer::default().pack(text)
    }
}

/// Packs the texts of one watch: the first text packed becomes the dictionary of all of them,
/// its positions hashed once (`lz4_block`). The dictionary is shared (an `Arc`) with every
/// text packed against it, so texts from an earlier watch stay readable after a relist makes
/// a new one.
#[derive(Default)]
pub struct Packer {
    dictionary: Option<Arc<Dictionary>>,
    /// Where a text is compressed before it is copied out at its packed size: room for the
    /// worst case is a few KiB, allocated once a packer rather than once a text (and then
    /// shrunk, a second allocation and a copy) while a watch packs thousands a second.
    scratch: Vec<u8>,
    /// Where the text being packed repeats itself: the packer's own, as its room is.
    seen: Seen,
}

impl Clone for Packer {
    /// The same dictionary, with room of its own: the last text's bytes are neither copied
    /// nor carried to where the clone packs (a clone is made for each batch a watch decodes).
    fn clone(&self) -> Self {
        Packer {
            dictionary: self.dictionary.clone(),
            scratch: Vec::new(),
            seen: Seen::default(),
        }
    }
}

impl fmt::Debug for Packer {
    /// The dictionary's size alone, as `PackedText` shows only its own: no text (a pod's
    /// may hold an environment variable's value) is printed from either.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Packer")
            .field(
                "dictionary",
                &self.dictionary.as_ref().map(|d| d.bytes().len()),
            )
            .finish()
    }
}

/// The bytes of the text's length before its compressed bytes (a little-endian `u32`).
const SIZE_BYTES: usize = 4;

/// LZ4 reaches at most 64 KiB back, and the dictionary's table holds positions in the
/// dictionary and text together below that: a first text longer than half of it is cut to
/// its start, so that texts of up to 32 KiB are packed against the table.
const DICTIONARY_LIMIT: usize = 32 * 1024;

impl Packer {
    /// Whether the dictionary is chosen: from then on, clones of this packer pack alike (the
    /// watch's texts are packed on several tasks at once).
    pub fn has_dictionary(&self) -> bool {
        self.dictionary.is_some()
    }

    pub fn pack(&mut self, text: &str) -> PackedText {
        let dictionary = self
            .dictionary
            .get_or_insert_with(|| {
                let bytes = text.as_bytes();
                Arc::new(Dictionary::new(&bytes[..bytes.len().min(DICTIONARY_LIMIT)]))
            })
            .clone();
        let bytes = text.as_bytes();
        // The length first, as `decompress_size_prepended_with_dict` reads it.
        let scratch = &mut self.scratch;
        scratch.clear();
        scratch.reserve(SIZE_BYTES + lz4_flex::block::get_maximum_output_size(bytes.len()));
        scratch.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        let packed = match dictionary.compress_into(bytes, scratch, &mut self.seen) {
            Some(()) => Arc::from(&scratch[..]),
            // A text too long for the dictionary's table: packed by lz4_flex, which hashes
            // the dictionary again.
            None => Arc::from(lz4_flex::block::compress_prepend_size_with_dict(
                bytes,
                dictionary.bytes(),
            )),
        };
        PackedText { dictionary, packed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_packs_against_the_same_dictionary_and_neither_prints_a_text() {
        let mut packer = Packer::default();
        let first = r#"{"metadata":{"name":"web-1"},"env":[{"name":"TOKEN","value":"s3cret"}]}"#;
        packer.pack(first);
        let mut clone = packer.clone();
        let next = r#"{"metadata":{"name":"web-2"},"env":[{"name":"TOKEN","value":"s3cret"}]}"#;
        let (packed, packed_by_clone) = (packer.pack(next), clone.pack(next));
        assert_eq!(packed.unpack(), next);
        assert_eq!(packed_by_clone.unpack(), next);
        assert_eq!(packed.packed_len(), packed_by_clone.packed_len());
        for shown in [
            format!("{packer:?}"),
            format!("{clone:?}"),
            format!("{packed:?}"),
        ] {
            assert!(
                !shown.contains("s3cret") && !shown.contains("115"),
                "{shown}"
            );
        }
    }

    #[test]
    fn texts_come_back_as_they_were_packed_and_alike_ones_pack_small() {
        let pod = |name: &str| {
            format!(
                r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"{name}","namespace":"shop","labels":{{"app":"web"}}}},"spec":{{"containers":[{{"name":"app","image":"registry.example.com/shop/web:1.2.3"}}],"tolerations":[{{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300}}]}},"status":{{"phase":"Running","qosClass":"Burstable"}}}}"#
            )
        };
        let mut packer = Packer::default();
        let first = packer.pack(&pod("web-1"));
        let texts: Vec<String> = (2..50).map(|i| pod(&format!("web-{i}"))).collect();
        let packed: Vec<PackedText> = texts.iter().map(|t| packer.pack(t)).collect();
        assert_eq!(first.unpack(), pod("web-1"));
        for (text, packed) in texts.iter().zip(&packed) {
            assert_eq!(&packed.unpack(), text);
            assert!(
                packed.packed_len() * 5 < text.len(),
                "{} of {}",
                packed.packed_len(),
                text.len()
            );
        }
        // Not UTF-8 at the byte level, but any text: accents and escapes survive.
        let odd = "{\"note\":\"café ☕ \\u0000 \\\"q\\\"\"}";
        assert_eq!(packer.pack(odd).unpack(), odd);
        assert_eq!(PackedText::from("").unpack(), "");
    }
}
