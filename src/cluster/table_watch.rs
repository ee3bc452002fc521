//! List and watch one resource as the API server's own Tables, so that any kind, a custom
//! resource's included, is shown with the columns `kubectl get` prints for it: the server's
//! printer for the built-in kinds, a CRD's additionalPrinterColumns for the rest.
//!
//! Not kube-rs's watcher: it decodes objects, and a Table is not an object of the kind watched
//! (its rows carry the cells, and only the metadata of each object).

use crate::model::api_error::ApiErrorKind;
use crate::model::inbox::one_line;
use crate::model::table_feed::{TableColumn, TableMessage, nullable};
use std::future::Future;
use std::time::Duration;

use futures::{AsyncBufReadExt, StreamExt};
use http::header::{ACCEPT, ACCEPT_ENCODING};
use kube::Client;
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::model::resource_info::ResourceInfo;
use crate::model::watched::Key;

/// Tables when the server can print them, the plain objects otherwise (an aggregated API that
/// does not implement Tables), as kubectl asks.
pub const TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io, application/json";

/// Objects per list page: large lists arrive in pieces rather than as one huge response.
const PAGE_SIZE: &str = "500";
/// Asked of the server so that it ends a watch before anything between us drops it as idle;
/// the watch then resumes from the last resource version.
const WATCH_TIMEOUT_SECONDS: &str = "290";
/// A watch silent for longer than the server's own timeout is presumed dead (a half-open
/// connection) and started again.
const WATCH_IDLE_LIMIT: Duration = Duration::from_secs(330);
/// A watch that ends sooner than this is not restarted at once, so that a server closing every
/// watch immediately is not asked again in a tight loop.
const SHORTEST_WATCH: Duration = Duration::from_secs(1);
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const LAST_BACKOFF: Duration = Duration::from_secs(30);

/// Lists and watches `resource` (in `namespace` if it is namespaced and one is given, else
/// everywhere) as Tables, sending what happens to `sender`. The task ends when the receiver is
/// gone.
pub fn spawn_table_watch(
    client: Client,
    resource: ResourceInfo,
    namespace: Option<String>,
    sender: UnboundedSender<TableMessage>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let watch = TableWatch {
            client,
            target: Target {
                name: resource.qualified_plural(),
                namespace: namespace.filter(|_| resource.namespaced),
                resource,
            },
            sender,
            columns: Vec::new(),
        };
        watch.run().await;
    })
}

/// Why listing or watching stopped.
#[derive(Debug, PartialEq)]
enum Stop {
    /// Nobody receives any more: the task ends.
    Unwanted,
    /// The resource version is older than the server keeps (410 Gone): list again at once.
    Expired,
    /// Anything else: reported, then tried again after a backoff.
    Failed { error: String, forbidden: bool },
}

struct TableWatch {
    client: Client,
    target: Target,
    sender: UnboundedSender<TableMessage>,
    /// The columns last sent.
    columns: Vec<TableColumn>,
}

/// What is watched, and how it is named in messages and errors.
struct Target {
    resource: ResourceInfo,
    /// Only for a namespaced resource.
    namespace: Option<String>,
    /// The qualified plural.
    name: String,
}

impl TableWatch {
    async fn run(mut self) {
        let mut backoff = FIRST_BACKOFF;
        loop {
            match self.list_and_watch(&mut backoff).await {
                Stop::Unwanted => return,
                Stop::Expired => {}
                Stop::Failed { error, forbidden } => {
                    let failed = TableMessage::Failed {
                        resource: self.target.name.clone(),
                        error,
                        forbidden,
                    };
                    if self.sender.send(failed).is_err() || !self.pause(backoff).await {
                        return;
                    }
                    backoff = (backoff * 2).min(LAST_BACKOFF);
                }
            }
        }
    }

    /// Lists, then watches from the list's version for as long as the watch can be resumed.
    async fn list_and_watch(&mut self, backoff: &mut Duration) -> Stop {
        let mut version = match self.list().await {
            Ok(version) => version,
            Err(stop) => return stop,
        };
        *backoff = FIRST_BACKOFF;
        loop {
            let started = Instant::now();
            if let Err(stop) = self.watch(&mut version).await {
                return stop;
            }
            if started.elapsed() < SHORTEST_WATCH && !self.pause(SHORTEST_WATCH).await {
                return Stop::Unwanted;
            }
        }
    }

    /// Lists every page, sending the columns and each row between `Listing` and `Synced`;
    /// returns the list's resource version.
    async fn list(&mut self) -> Result<String, Stop> {
        let mut continue_token = String::new();
        let mut list_version: Option<String> = None;
        loop {
            let mut query = vec![("includeObject", "Metadata"), ("limit", PAGE_SIZE)];
            if !continue_token.is_empty() {
                query.push(("continue", continue_token.as_str()));
            }
            let request = self.target.request("list", &query)?;
            let text = self
                .unless_unwanted(self.client.request_text(request))
                .await?
                .map_err(|error| self.target.stop_for("list", &error))?;
            let page: Document = serde_json::from_str(&text).map_err(|error| {
                self.target
                    .failed("list", &format!("unreadable answer: {error}"))
            })?;
            if list_version.is_none() {
                self.send(TableMessage::Listing {
                    resource: self.target.name.clone(),
                })?;
                // Every page of a paged list shares the first page's version.
                list_version = Some(page.metadata.resource_version.clone());
                let columns = if page.is_table() {
                    page.column_definitions.clone()
                } else {
                    default_columns()
                };
                self.send_columns(columns)?;
            }
            continue_token.clone_from(&page.metadata.continue_token);
            for row in self.target.rows_of(page, &self.columns, true) {
                self.send(row.message(&self.target.name))?;
            }
            if continue_token.is_empty() {
                self.send(TableMessage::Synced {
                    resource: self.target.name.clone(),
                })?;
                return Ok(list_version.unwrap_or_default());
            }
        }
    }

    /// Watches from `version`, keeping it current, until the server ends the watch (`Ok`: it
    /// can be resumed) or it fails.
    async fn watch(&mut self, version: &mut String) -> Result<(), Stop> {
        let query = [
            ("watch", "true"),
            ("allowWatchBookmarks", "true"),
            ("includeObject", "Metadata"),
            ("resourceVersion", version.as_str()),
            ("timeoutSeconds", WATCH_TIMEOUT_SECONDS),
        ];
        let request = self.target.request("watch", &query)?;
        let stream = self
            .unless_unwanted(self.client.request_stream(request))
            .await?
            .map_err(|error| self.target.stop_for("watch", &error))?;
        let mut lines = std::pin::pin!(stream.lines());
        loop {
            let next = tokio::time::timeout(WATCH_IDLE_LIMIT, lines.next());
            // A connection that breaks ends the watch like the server's own timeout: the next
            // watch request reports whatever is really wrong.
            let Ok(Some(Ok(line))) = self.unless_unwanted(next).await? else {
                return Ok(());
            };
            if line.trim().is_empty() {
                continue;
            }
            let event: WatchEvent = serde_json::from_str(&line).map_err(|error| {
                self.target
                    .failed("watch", &format!("unreadable event: {error}"))
            })?;
            self.apply(event, version)?;
        }
    }

    /// Sends what one watch event changed and moves `version` on.
    fn apply(&mut self, event: WatchEvent, version: &mut String) -> Result<(), Stop> {
        let object = event.object;
        match event.kind.as_str() {
            "ADDED" | "MODIFIED" | "DELETED" => {
                if let Some(latest) = object.resource_version() {
                    *version = latest;
                }
                // Servers send the columns with the first event only; later ones have none.
                if object.is_table()
                    && !object.column_definitions.is_empty()
                    && object.column_definitions != self.columns
                {
                    self.send_columns(object.column_definitions.clone())?;
                }
                let deleted = event.kind == "DELETED";
                for row in self.target.rows_of(object, &self.columns, false) {
                    let message = if deleted {
                        TableMessage::Deleted {
                            resource: self.target.name.clone(),
                            key: row.key,
                        }
                    } else {
                        row.message(&self.target.name)
                    };
                    self.send(message)?;
                }
                Ok(())
            }
            // A bookmark carries only the version the watch has reached.
            "BOOKMARK" => {
                if let Some(latest) = object.resource_version() {
                    *version = latest;
                }
                Ok(())
            }
            "ERROR" => Err(self
                .target
                .stop_for_status("watch", object.code, &object.message)),
            _ => Ok(()),
        }
    }

    fn send_columns(&mut self, columns: Vec<TableColumn>) -> Result<(), Stop> {
        self.columns = columns.clone();
        self.send(TableMessage::Columns {
            resource: self.target.name.clone(),
            columns,
        })
    }

    fn send(&self, message: TableMessage) -> Result<(), Stop> {
        self.sender.send(message).map_err(|_| Stop::Unwanted)
    }

    /// Runs `future` unless the receiver goes away first.
    async fn unless_unwanted<T>(&self, future: impl Future<Output = T>) -> Result<T, Stop> {
        tokio::select! {
            output = future => Ok(output),
            () = self.sender.closed() => Err(Stop::Unwanted),
        }
    }

    /// Waits `duration`; false if the receiver went away meanwhile.
    async fn pause(&self, duration: Duration) -> bool {
        self.unless_unwanted(tokio::time::sleep(duration))
            .await
            .is_ok()
    }
}

impl Target {
    /// A GET of the collection with `query`, asking for Tables.
    fn request(&self, verb: &str, query: &[(&str, &str)]) -> Result<http::Request<Vec<u8>>, Stop> {
        let resource = &self.resource;
        let mut path = if resource.group.is_empty() {
            format!("/api/{}", resource.version)
        } else {
            format!("/apis/{}/{}", resource.group, resource.version)
        };
        if let Some(namespace) = &self.namespace {
            path.push_str(&format!("/namespaces/{namespace}"));
        }
        path.push_str(&format!("/{}", resource.plural));
        let query =
            serde_urlencoded::to_string(query).map_err(|e| self.failed(verb, &e.to_string()))?;
        let mut request =
            http::Request::get(format!("{path}?{query}")).header(ACCEPT, TABLE_ACCEPT);
        if verb == "watch" {
            // As kube-rs does for its own watches: a server that gzips a watch one member per
            // event is misread by the client's decompression, which stops at the first member.
            request = request.header(ACCEPT_ENCODING, "identity");
        }
        request
            .body(Vec::new())
            .map_err(|e| self.failed(verb, &e.to_string()))
    }

    /// What a failed request means for the watch.
    fn stop_for(&self, verb: &str, error: &kube::Error) -> Stop {
        let failure = super::api_error::api_error(&format!("{verb} {}", self.name), error);
        match failure.kind {
            ApiErrorKind::Gone => Stop::Expired,
            ApiErrorKind::Forbidden => self.forbidden(verb),
            _ => Stop::Failed {
                error: failure.line(),
                forbidden: false,
            },
        }
    }

    /// What a Status (of a failed request, or of a watch's ERROR event) means for the watch.
    fn stop_for_status(&self, verb: &str, code: i64, message: &str) -> Stop {
        match code {
            410 => Stop::Expired,
            403 => self.forbidden(verb),
            _ => self.failed(verb, &format!("{message} ({code})")),
        }
    }

    fn failed(&self, verb: &str, detail: &str) -> Stop {
        Stop::Failed {
            error: one_line(&format!("{verb} {}: {detail}", self.name)),
            forbidden: false,
        }
    }

    /// A refusal, worded as the API server words it, without the user (whom the person at the
    /// terminal knows) and with the scope (which they may not have noticed).
    fn forbidden(&self, verb: &str) -> Stop {
        let scope = match &self.namespace {
            Some(namespace) => format!(" in the namespace \"{namespace}\""),
            None if self.resource.namespaced => " at the cluster scope".to_string(),
            None => String::new(),
        };
        Stop::Failed {
            error: format!(
                "forbidden (403): cannot {verb} resource \"{}\" in API group \"{}\"{scope}",
                self.resource.plural, self.resource.group
            ),
            forbidden: true,
        }
    }

    /// The rows of a Table, or, when the server prints no Table for this resource, of a plain
    /// list (`collection`) or object, with kubectl's default columns: the name and the age.
    fn rows_of(&self, document: Document, columns: &[TableColumn], collection: bool) -> Vec<Row> {
        if document.is_table() {
            let name_column = columns.iter().position(|c| c.format == "name").unwrap_or(0);
            return document
                .rows
                .into_iter()
                .map(|row| {
                    let metadata = row.object.map(|o| o.metadata).unwrap_or_default();
                    // Without the object's metadata (a server ignoring includeObject), the name
                    // column and the requested namespace are all there is to key the row by.
                    let name = if metadata.name.is_empty() {
                        row.cells
                            .get(name_column)
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string()
                    } else {
                        metadata.name
                    };
                    let namespace = if metadata.namespace.is_empty() {
                        self.namespace.clone().unwrap_or_default()
                    } else {
                        metadata.namespace
                    };
                    Row {
                        key: (namespace, name),
                        cells: row.cells,
                        created: created(metadata.creation_timestamp.as_deref()),
                        uid: Some(metadata.uid).filter(|uid| !uid.is_empty()),
                        labels: metadata.labels.unwrap_or_default(),
                    }
                })
                .collect();
        }
        let objects: Vec<Metadata> = if collection {
            document.items.into_iter().map(|i| i.metadata).collect()
        } else {
            vec![document.metadata]
        };
        let now = jiff::Timestamp::now();
        objects
            .into_iter()
            .map(|metadata| {
                let created = created(metadata.creation_timestamp.as_deref());
                // The age as of now, as a server's Table would print it; `created` lets the app
                // keep it current.
                let age = crate::model::duration::age(created, now);
                Row {
                    cells: vec![Value::String(metadata.name.clone()), Value::String(age)],
                    key: (metadata.namespace, metadata.name),
                    created,
                    uid: Some(metadata.uid).filter(|uid| !uid.is_empty()),
                    labels: metadata.labels.unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// A row as read, before it is named for the app.
struct Row {
    key: Key,
    cells: Vec<Value>,
    created: Option<jiff::Timestamp>,
    uid: Option<String>,
    labels: std::collections::BTreeMap<String, String>,
}

impl Row {
    fn message(self, resource: &str) -> TableMessage {
        TableMessage::Row {
            resource: resource.to_string(),
            key: self.key,
            cells: self.cells,
            created: self.created,
            uid: self.uid,
            labels: self.labels,
        }
    }
}

fn created(timestamp: Option<&str>) -> Option<jiff::Timestamp> {
    timestamp.and_then(|t| t.parse().ok())
}

/// kubectl's columns for a resource its server prints no Table for.
fn default_columns() -> Vec<TableColumn> {
    vec![
        TableColumn {
            name: "Name".into(),
            kind: "string".into(),
            format: "name".into(),
            priority: 0,
            description: "Name must be unique within a namespace.".into(),
        },
        TableColumn {
            name: "Age".into(),
            kind: "date".into(),
            format: String::new(),
            priority: 0,
            description: "CreationTimestamp is a timestamp representing the server time when \
                          this object was created."
                .into(),
        },
    ]
}

/// One line of a watch.
#[derive(Deserialize)]
struct WatchEvent {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, deserialize_with = "nullable")]
    object: Document,
}

/// What a list or a watch event carries: a Table; a plain list or object when the server does
/// not print Tables; or a Status (an ERROR event). Only the fields read here are decoded.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Document {
    #[serde(deserialize_with = "nullable")]
    kind: String,
    #[serde(deserialize_with = "nullable")]
    metadata: Metadata,
    #[serde(deserialize_with = "nullable")]
    column_definitions: Vec<TableColumn>,
    #[serde(deserialize_with = "nullable")]
    rows: Vec<TableRow>,
    #[serde(deserialize_with = "nullable")]
    items: Vec<PartialObject>,
    /// A Status's HTTP code.
    #[serde(deserialize_with = "nullable")]
    code: i64,
    #[serde(deserialize_with = "nullable")]
    message: String,
}

impl Document {
    fn is_table(&self) -> bool {
        self.kind == "Table"
    }

    /// The version this document brings the watch to: the Table's own, else its last row's.
    fn resource_version(&self) -> Option<String> {
        let row_version = || {
            self.rows
                .iter()
                .rev()
                .filter_map(|row| row.object.as_ref())
                .map(|object| object.metadata.resource_version.clone())
                .find(|version| !version.is_empty())
        };
        Some(self.metadata.resource_version.clone())
            .filter(|version| !version.is_empty())
            .or_else(row_version)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TableRow {
    #[serde(deserialize_with = "nullable")]
    cells: Vec<Value>,
    object: Option<PartialObject>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PartialObject {
    #[serde(deserialize_with = "nullable")]
    metadata: Metadata,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Metadata {
    #[serde(deserialize_with = "nullable")]
    name: String,
    #[serde(deserialize_with = "nullable")]
    namespace: String,
    #[serde(deserialize_with = "nullable")]
    uid: String,
    #[serde(deserialize_with = "nullable")]
    resource_version: String,
    #[serde(rename = "continue", deserialize_with = "nullable")]
    continue_token: String,
    creation_timestamp: Option<String>,
    labels: Option<std::collections::BTreeMap<String, String>>,
}

#[cfg(test)]
#[path = "table_watch_tests.rs"]
mod tests;
