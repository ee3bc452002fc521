//! Reading objects raw, so that no field is lost to a typed struct: single objects, the events
//! about one, and a scope listed a page at a time.

use anyhow::Result;
use kube::Resource;
use kube::api::{Api, DynamicObject, ListParams};
use serde_json::Value;
use serde_json::value::RawValue;

use super::connect::Connection;
use super::discovery::ApiResourceOf;
use crate::model::event::Event;
use crate::model::kind::{Target, WatchedKind};
use crate::model::watched::Key;

/// GETs one object as raw JSON. `namespace` is used for namespaced kinds only.
pub async fn get_object(
    connection: &Connection,
    kind: WatchedKind,
    namespace: &str,
    name: &str,
) -> Result<Value> {
    let resource = kind.api_resource();
    let api: Api<DynamicObject> = if kind.namespaced() {
        Api::namespaced_with(connection.client.clone(), namespace, &resource)
    } else {
        Api::all_with(connection.client.clone(), &resource)
    };
    let object = api.get(name).await.map_err(|error| {
        let noun = kind.info().singular;
        let place = if kind.namespaced() {
            format!("{noun} \"{name}\" in namespace \"{namespace}\"")
        } else {
            format!("{noun} \"{name}\"")
        };
        describe_error(&connection.server, &format!("get {place}"), error)
    })?;
    let mut value = serde_json::to_value(&object)?;
    if let Value::Object(map) = &mut value {
        map.insert("kind".into(), Value::String(resource.kind.clone()));
        map.insert(
            "apiVersion".into(),
            Value::String(resource.api_version.clone()),
        );
    }
    Ok(value)
}

/// GETs one object of a kind, whole.
pub async fn get_target(
    client: &kube::Client,
    server: &str,
    target: &Target,
    key: &Key,
) -> Result<Value> {
    let (resource, namespaced) = (target.api_resource(), target.namespaced());
    let (namespace, name) = key;
    let api: Api<DynamicObject> = if namespaced {
        Api::namespaced_with(client.clone(), namespace, &resource)
    } else {
        Api::all_with(client.clone(), &resource)
    };
    let noun = resource.kind.to_lowercase();
    let place = if namespaced {
        format!("{noun} \"{name}\" in namespace \"{namespace}\"")
    } else {
        format!("{noun} \"{name}\"")
    };
    let object = api
        .get(name)
        .await
        .map_err(|error| describe_error(server, &format!("get {place}"), error))?;
    // managedFields are kept: the YAML view shows them on `m`; the editor, the diff and the
    // patch templates leave them out themselves.
    Ok(serde_json::to_value(&object)?)
}

/// Lists the objects of a kind in one namespace (those `label_selector` picks, when given), each
/// with its kind set, as the explainer reads a workload's pods and the objects it owns.
pub async fn list_in_namespace(
    connection: &Connection,
    kind: WatchedKind,
    namespace: &str,
    label_selector: Option<&str>,
) -> Result<Vec<Value>> {
    let resource = kind.api_resource();
    let api: Api<DynamicObject> =
        Api::namespaced_with(connection.client.clone(), namespace, &resource);
    let mut params = ListParams::default();
    if let Some(selector) = label_selector {
        params = params.labels(selector);
    }
    let list = api.list(&params).await.map_err(|error| {
        describe_error(
            &connection.server,
            &format!("list {} in namespace \"{namespace}\"", kind.info().plural),
            error,
        )
    })?;
    with_kind(list.items, &resource.kind)
}

/// A list's items as raw JSON, each with its kind set (a list's items carry none).
fn with_kind(items: Vec<DynamicObject>, kind: &str) -> Result<Vec<Value>> {
    items
        .into_iter()
        .map(|object| {
            let mut value = serde_json::to_value(&object)?;
            if let Value::Object(map) = &mut value {
                map.insert("kind".into(), Value::String(kind.to_string()));
            }
            Ok(value)
        })
        .collect()
}

/// How many objects a page of `list_scope_pages` asks for (kubectl's `--chunk-size`).
const PAGE: u32 = 500;

/// LISTs every object of `kind` in `namespace` (all namespaces when `None`) a page at a time,
/// handing each page's objects to `page` as the server wrote them: a client of a big cluster
/// holds one page of text at a time, not the whole list as a tree of values.
pub async fn list_scope_pages(
    connection: &Connection,
    kind: WatchedKind,
    namespace: Option<&str>,
    mut page: impl FnMut(&[&RawValue]) -> Result<()>,
) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct Page<'a> {
        #[serde(borrow)]
        items: Vec<&'a RawValue>,
        #[serde(default)]
        metadata: PageMeta,
    }
    #[derive(serde::Deserialize, Default)]
    struct PageMeta {
        #[serde(rename = "continue", default)]
        continue_: Option<String>,
    }
    let resource = kind.api_resource();
    let scope = namespace.filter(|_| kind.namespaced());
    let place = match scope {
        Some(namespace) => format!(" in namespace \"{namespace}\""),
        None if kind.namespaced() => " in all namespaces".to_string(),
        None => String::new(),
    };
    let call = format!("list {}{place}", kind.info().plural);
    let request = kube::core::Request::new(DynamicObject::url_path(&resource, scope));
    let mut params = ListParams::default().limit(PAGE);
    loop {
        let http = request.list(&params)?;
        let text = connection
            .client
            .request_text(http)
            .await
            .map_err(|error| describe_error(&connection.server, &call, error))?;
        let listed: Page = serde_json::from_str(&text)
            .map_err(|error| anyhow::anyhow!("{call}: the answer is not a list: {error}"))?;
        page(&listed.items)?;
        match listed.metadata.continue_ {
            Some(token) if !token.is_empty() => params = params.continue_token(&token),
            _ => return Ok(()),
        }
    }
}

/// Lists the core/v1 Events about one object. Events are evidence, not essential: a caller
/// may carry on without them.
pub async fn events_about(
    connection: &Connection,
    kind: WatchedKind,
    namespace: &str,
    name: &str,
) -> Result<Vec<Value>> {
    let selector = format!(
        "involvedObject.kind={},involvedObject.name={name}",
        kind.kind_name()
    );
    list_events(&connection.client, &connection.server, namespace, &selector)
        .await?
        .into_iter()
        .map(|event| {
            let mut value = serde_json::to_value(&event)?;
            if let Value::Object(map) = &mut value {
                map.insert("kind".into(), Value::String("Event".into()));
            }
            Ok(value)
        })
        .collect()
}

/// Lists the Events naming an object by name (in its namespace; in all of them for a
/// cluster-scoped object), as `kubectl describe` searches them; which of them are about the
/// object (kind, uid) is `model::describe::events_for_describe`'s to say.
pub async fn events_naming(client: &kube::Client, server: &str, key: &Key) -> Result<Vec<Event>> {
    let (namespace, name) = key;
    let selector = format!("involvedObject.name={name}");
    list_events(client, server, namespace, &selector)
        .await?
        .into_iter()
        .map(|event| Ok(serde_json::from_value(serde_json::to_value(&event)?)?))
        .collect()
}

/// The core/v1 Events a field selector picks, in a namespace (every namespace for "").
async fn list_events(
    client: &kube::Client,
    server: &str,
    namespace: &str,
    selector: &str,
) -> Result<Vec<DynamicObject>> {
    let resource = WatchedKind::Events.api_resource();
    let api: Api<DynamicObject> = if namespace.is_empty() {
        Api::all_with(client.clone(), &resource)
    } else {
        Api::namespaced_with(client.clone(), namespace, &resource)
    };
    let list = api
        .list(&ListParams::default().fields(selector))
        .await
        .map_err(|error| describe_error(server, "list events", error))?;
    Ok(list.items)
}

/// One line naming the call that failed and why, in kubectl's words where it has them.
pub fn describe_error(server: &str, call: &str, error: kube::Error) -> anyhow::Error {
    anyhow::Error::new(super::api_error::api_error(call, &error).at(server))
}
