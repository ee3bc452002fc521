//! Each pane's rows as the filter reads them: the columns as shown, the labels, and the fields the
//! API server indexes for field selectors.

use std::borrow::Cow;
use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::Value;

use super::filter::Filterable;
use super::resources::{Key, NamespaceEntry, NodeEntry, PodEntry};
use super::stream::StreamLine;
use super::tables::{TableRow, cell_text};
use crate::model::duration::{push_number, write_age};
use crate::model::event::Event;
use crate::model::kind::WatchedKind;
use crate::model::selector::LabelSelector;

/// Appends one column to a row's text.
fn column(out: &mut String, text: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(text);
}

pub struct PodText<'a> {
    pub key: &'a Key,
    pub pod: &'a PodEntry,
    /// The pod's row as the filter reads it, from `Resources::pod_rows_with_ages`: it starts with
    /// the namespace and the name.
    pub search: &'a str,
}

impl Filterable for PodText<'_> {
    fn name(&self) -> Cow<'_, str> {
        // The text starts with the namespace and the name: the name is read there, beside the
        // other rows' (the key's own string is one more cache miss per row).
        let start = self.key.0.len() + 1;
        match self.search.get(start..start + self.key.1.len()) {
            Some(name) if !self.search.is_empty() => Cow::Borrowed(name),
            _ => Cow::Borrowed(&self.key.1),
        }
    }
    fn write_row(&self, out: &mut String) {
        out.push_str(self.search);
    }
    fn matches_labels(&self, selector: &LabelSelector) -> bool {
        selector.matches(&self.pod.labels)
    }
    fn field(&self, field: &str) -> Option<String> {
        self.pod.selectable_field(self.key, field)
    }
}

pub struct NodeText<'a> {
    pub key: &'a Key,
    pub node: &'a NodeEntry,
    pub now: Timestamp,
}

impl Filterable for NodeText<'_> {
    fn name(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.key.1)
    }
    fn write_row(&self, out: &mut String) {
        let object = &self.node.object;
        column(out, &self.key.1);
        column(out, &self.node.status);
        column(out, &self.node.roles);
        out.push(' ');
        write_age(out, object.metadata.creation_timestamp, self.now);
        column(out, &object.status.node_info.kubelet_version);
        for taint in &object.spec.taints {
            column(out, &taint.display());
        }
    }
    fn matches_labels(&self, selector: &LabelSelector) -> bool {
        selector.matches(&self.node.object.metadata.labels)
    }
    fn field(&self, field: &str) -> Option<String> {
        match field {
            "metadata.name" => Some(self.key.1.clone()),
            "metadata.namespace" => Some(String::new()),
            "spec.unschedulable" => Some(self.node.object.spec.unschedulable.to_string()),
            _ => None,
        }
    }
}

pub struct NamespaceText<'a> {
    pub key: &'a Key,
    pub namespace: &'a NamespaceEntry,
    pub now: Timestamp,
}

impl Filterable for NamespaceText<'_> {
    fn name(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.key.1)
    }
    fn write_row(&self, out: &mut String) {
        let object = &self.namespace.object;
        column(out, &self.key.1);
        column(out, &object.status.phase);
        out.push(' ');
        write_age(out, object.metadata.creation_timestamp, self.now);
    }
    fn matches_labels(&self, selector: &LabelSelector) -> bool {
        selector.matches(&self.namespace.object.metadata.labels)
    }
    fn field(&self, field: &str) -> Option<String> {
        match field {
            "metadata.name" => Some(self.key.1.clone()),
            "metadata.namespace" => Some(String::new()),
            "status.phase" => Some(self.namespace.object.status.phase.clone()),
            _ => None,
        }
    }
}

pub struct EventText<'a> {
    pub key: &'a Key,
    pub event: &'a Event,
    pub now: Timestamp,
}

impl EventText<'_> {
    /// The OBJECT column: `pod/web-1`.
    pub fn object(event: &Event) -> String {
        format!(
            "{}/{}",
            event.involved_object.kind.to_lowercase(),
            event.involved_object.name
        )
    }
}

impl Filterable for EventText<'_> {
    /// The object the event is about: events are found by what they concern.
    fn name(&self) -> Cow<'_, str> {
        Cow::Owned(EventText::object(self.event))
    }
    fn write_row(&self, out: &mut String) {
        let event = self.event;
        column(out, &self.key.0);
        out.push(' ');
        write_age(out, event.last_seen(), self.now);
        column(out, &event.type_);
        column(out, &event.reason);
        column(out, &EventText::object(event));
        out.push(' ');
        push_number(out, event.count.unwrap_or(1));
        column(out, &event.message);
    }
    fn matches_labels(&self, selector: &LabelSelector) -> bool {
        selector.matches(&self.event.metadata.labels)
    }
    /// The fields of `EventToSelectableFields`.
    fn field(&self, field: &str) -> Option<String> {
        let event = self.event;
        let object = &event.involved_object;
        Some(match field {
            "metadata.name" => self.key.1.clone(),
            "metadata.namespace" => self.key.0.clone(),
            "involvedObject.kind" => object.kind.clone(),
            "involvedObject.namespace" => object.namespace.clone(),
            "involvedObject.name" => object.name.clone(),
            "involvedObject.uid" => object.uid.clone(),
            "involvedObject.fieldPath" => object.field_path.clone(),
            "reason" => event.reason.clone(),
            "type" => event.type_.clone(),
            "source" => event
                .source
                .as_ref()
                .map(|s| s.component.clone())
                .unwrap_or_default(),
            "reportingComponent" => event.reporting_component.clone().unwrap_or_default(),
            _ => return None,
        })
    }
}

/// An object of a workload or configuration kind, kept as the watch gave it.
pub struct ObjectText<'a> {
    pub kind: WatchedKind,
    pub key: &'a Key,
    pub object: &'a Value,
    pub now: Timestamp,
}

impl Filterable for ObjectText<'_> {
    fn name(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.key.1)
    }
    fn write_row(&self, out: &mut String) {
        column(out, &self.key.0);
        for cell in crate::model::table::cells(self.kind.kind_name(), self.object, self.now)
            .unwrap_or_default()
        {
            column(out, &cell_text(&cell));
        }
    }
    fn matches_labels(&self, selector: &LabelSelector) -> bool {
        let labels: BTreeMap<String, String> = self
            .object
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .map(|labels| {
                labels
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        selector.matches(&labels)
    }
    /// The registry's fields, read from the object; counts the server defaults to zero.
    fn field(&self, field: &str) -> Option<String> {
        match field {
            "metadata.name" => return Some(self.key.1.clone()),
            "metadata.namespace" => return Some(self.key.0.clone()),
            _ => {}
        }
        if !self.kind.info().field_selectors.contains(&field) {
            return None;
        }
        // A Job's `status.successful` is its `status.succeeded`.
        let path = match field {
            "status.successful" => "/status/succeeded".to_string(),
            other => format!("/{}", other.replace('.', "/")),
        };
        Some(match self.object.pointer(&path) {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Null) | None if field.starts_with("status.") => "0".to_string(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        })
    }
}

/// A row of a kind shown through the server's Table output.
pub struct TableText<'a> {
    pub key: &'a Key,
    pub row: &'a TableRow,
}

impl Filterable for TableText<'_> {
    fn name(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.key.1)
    }
    fn write_row(&self, out: &mut String) {
        column(out, &self.key.0);
        for cell in &self.row.cells {
            column(out, &cell_text(cell));
        }
    }
    fn matches_labels(&self, selector: &LabelSelector) -> bool {
        selector.matches(&self.row.labels)
    }
    fn field(&self, field: &str) -> Option<String> {
        match field {
            "metadata.name" => Some(self.key.1.clone()),
            "metadata.namespace" => Some(self.key.0.clone()),
            _ => None,
        }
    }
}

/// A line of the watch stream.
pub struct StreamText<'a> {
    pub line: &'a StreamLine,
}

impl Filterable for StreamText<'_> {
    fn name(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.line.name)
    }
    fn write_row(&self, out: &mut String) {
        let line = self.line;
        column(out, &line.at.strftime("%H:%M:%S").to_string());
        column(out, line.change.as_str());
        column(out, line.kind);
        column(out, &line.name);
        column(out, &line.detail);
    }
    fn matches_labels(&self, selector: &LabelSelector) -> bool {
        selector.matches(&BTreeMap::new())
    }
    fn field(&self, field: &str) -> Option<String> {
        match field {
            "metadata.name" => Some(self.line.key.1.clone()),
            "metadata.namespace" => Some(self.line.key.0.clone()),
            _ => None,
        }
    }
}
