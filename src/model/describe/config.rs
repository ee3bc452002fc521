//! ConfigMaps (every value shown) and Secrets (only sizes, never values).

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::metadata::{annotations_multiline, labels_multiline, name_and_namespace};
use super::raw::Raw;
use super::tabwriter::DescribeWriter;

pub(super) fn describe_config_map(config_map: Raw<'_>, w: &mut DescribeWriter) {
    let metadata = config_map.at("metadata");
    name_and_namespace(w, metadata);
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    w.write(0, "\nData\n====\n");
    for (key, value) in config_map.at("data").entries() {
        put!(w, 0, "{key}:\n----\n");
        put!(w, 0, "{}\n", value.str());
        w.write(0, "\n");
    }
    w.write(0, "\nBinaryData\n====\n");
    for (key, value) in config_map.at("binaryData").entries() {
        put!(w, 0, "{key}: {} bytes\n", decoded_len(value.str()));
    }
    w.write(0, "\n");
}

/// kubectl prints each key's size, never its value. (It prints the token of a service account
/// token Secret in clear; we do not, so that no Secret value ever reaches the screen.)
pub(super) fn describe_secret(secret: Raw<'_>, w: &mut DescribeWriter) {
    let metadata = secret.at("metadata");
    name_and_namespace(w, metadata);
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    put!(w, 0, "\nType:\t{}\n", secret.at("type").str());
    w.write(0, "\nData\n====\n");
    for (key, size) in secret_sizes(secret) {
        put!(w, 0, "{key}:\t{size} bytes\n");
    }
}

/// The size in bytes of each key of a Secret. `stringData` (plain text, only ever in a manifest)
/// is merged over `data` (base64) as the API server merges it on write.
fn secret_sizes<'a>(secret: Raw<'a>) -> BTreeMap<&'a str, usize> {
    let mut sizes: BTreeMap<&str, usize> = secret
        .at("data")
        .entries()
        .into_iter()
        .map(|(key, value)| (key, decoded_len(value.str())))
        .collect();
    for (key, value) in secret.at("stringData").entries() {
        sizes.insert(key, value.str().len());
    }
    sizes
}

/// The length of base64 text once decoded; for text that is not valid base64 (which a server
/// would have rejected), the length its padding implies.
fn decoded_len(encoded: &str) -> usize {
    STANDARD.decode(encoded).map_or_else(
        |_| {
            let padding = encoded.bytes().rev().take_while(|b| *b == b'=').count();
            (encoded.len() * 3 / 4).saturating_sub(padding)
        },
        |bytes| bytes.len(),
    )
}
