//! Usage from metrics.k8s.io, read only while the app wants it (its columns on screen) and
//! no more often than metrics-server refreshes it: metrics are not watchable, and at 50,000
//! pods one PodMetrics list is 16.7 MB.
//!
//! Each list is read into a map of usages as its bytes arrive: neither the answer whole nor a
//! JSON tree of it is ever held (a tree took 3.4 KB a pod at its peak, 170 MB at 51,539 pods;
//! the answer in one buffer and the usages read from it raised the process's memory by 45 MB
//! each poll, 16 to 25 MB streamed).

use std::time::Duration;

use kube::Client;
use kube::api::ListParams;
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::body::Chunk;
use crate::model::inbox::ClusterMessage;
use crate::model::metrics::{MetricsReading, Usage, UsageMap, WantedMetrics, parse_go_duration};
use crate::model::watched::Key;

/// metrics-server's default `--metric-resolution`: how often it scrapes the kubelets, so how
/// often a reading can change. Its own manifests set 15 s, which the answer's `window` tells;
/// a reading is never asked for again sooner than this.
pub const RESOLUTION: Duration = Duration::from_secs(60);

/// How long to wait after a list failed (no metrics-server, or it is down).
const FAILED_INTERVAL: Duration = Duration::from_secs(180);

/// A list's usages and the window the server measured them over.
#[derive(Debug)]
pub struct Reading<K> {
    pub usage: UsageMap<K>,
    /// `window` of the first item: the time between the two samples the rates came from, which
    /// is metrics-server's resolution.
    pub window: Option<Duration>,
}

impl<K> Reading<K> {
    /// When to read this list again: not before metrics-server can have refreshed it.
    fn interval(&self) -> Duration {
        self.window
            .map_or(RESOLUTION, |window| window.max(RESOLUTION))
    }
}

#[derive(Deserialize)]
struct Usages<'a> {
    #[serde(borrow, default)]
    cpu: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    memory: Option<std::borrow::Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Named<'a> {
    #[serde(borrow, default)]
    name: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    namespace: std::borrow::Cow<'a, str>,
}

#[derive(Deserialize)]
struct ContainerMetrics<'a> {
    #[serde(borrow)]
    usage: Usages<'a>,
}

/// One PodMetrics or NodeMetrics, borrowing its strings from the answer.
#[derive(Deserialize)]
struct Item<'a> {
    #[serde(borrow)]
    metadata: Named<'a>,
    #[serde(borrow, default)]
    window: Option<std::borrow::Cow<'a, str>>,
    /// PodMetrics: per container.
    #[serde(borrow, default)]
    containers: Vec<ContainerMetrics<'a>>,
    /// NodeMetrics: the node's.
    #[serde(borrow, default)]
    usage: Option<Usages<'a>>,
}

impl Item<'_> {
    fn usage(&self) -> Usage {
        let mut usage = Usage::default();
        for usages in self
            .containers
            .iter()
            .map(|c| &c.usage)
            .chain(self.usage.as_ref())
        {
            usage.add_quantities(usages.cpu.as_deref(), usages.memory.as_deref());
        }
        usage
    }
}

/// A list's `items`, each put into the map as it is read (no list of items is built).
struct Items<K> {
    reading: Reading<K>,
}

impl<'de, K: std::hash::Hash + Eq + ItemKey> Deserialize<'de> for Items<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Each<K>(std::marker::PhantomData<K>);
        impl<'de, K: std::hash::Hash + Eq + ItemKey> Visitor<'de> for Each<K> {
            type Value = Items<K>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of metrics")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
                let mut reading = Reading {
                    usage: UsageMap::with_capacity_and_hasher(
                        items.size_hint().unwrap_or(0),
                        Default::default(),
                    ),
                    window: None,
                };
                while let Some(item) = items.next_element::<Item>()? {
                    if reading.window.is_none() {
                        reading.window = item.window.as_deref().and_then(parse_go_duration);
                    }
                    reading.usage.insert(K::of(&item.metadata), item.usage());
                }
                Ok(Items { reading })
            }
        }
        deserializer.deserialize_seq(Each(std::marker::PhantomData))
    }
}

/// How a list's item is named in its map.
trait ItemKey {
    fn of(named: &Named) -> Self;
}

impl ItemKey for Key {
    fn of(named: &Named) -> Self {
        (named.namespace.to_string(), named.name.to_string())
    }
}

impl ItemKey for String {
    fn of(named: &Named) -> Self {
        named.name.to_string()
    }
}

/// A list of metrics: only its items are read.
#[derive(Deserialize)]
#[serde(bound = "K: std::hash::Hash + Eq + ItemKey")]
struct List<K> {
    items: Option<Items<K>>,
}

impl<K> List<K> {
    fn reading(self) -> Reading<K> {
        self.items.map_or(
            Reading {
                usage: UsageMap::default(),
                window: None,
            },
            |items| items.reading,
        )
    }
}

/// A list read from a stream of its bytes, as they arrive.
fn read_list<K: std::hash::Hash + Eq + ItemKey>(
    body: impl std::io::Read,
) -> Result<Reading<K>, serde_json::Error> {
    serde_json::from_reader::<_, List<K>>(body).map(List::reading)
}

/// Usage by pod (its containers summed) from a PodMetrics list's bytes.
pub fn pod_usage(body: impl std::io::Read) -> Result<Reading<Key>, serde_json::Error> {
    read_list(body)
}

/// Usage by node from a NodeMetrics list's bytes.
pub fn node_usage(body: impl std::io::Read) -> Result<Reading<String>, serde_json::Error> {
    read_list(body)
}

/// GETs a list of metrics.k8s.io (`pods` in `namespace` or everywhere, or `nodes`) and reads
/// it into its usages as its bytes arrive, on a blocking thread: the answer is never held whole
/// (16.7 MB of PodMetrics at 51,539 pods, which with the usages read from it raised the
/// process's memory by 45 MB for each poll).
async fn read_list_streamed<K>(
    client: &Client,
    plural: &str,
    namespace: Option<&str>,
) -> Result<Reading<K>, kube::Error>
where
    K: std::hash::Hash + Eq + ItemKey + Send + 'static,
{
    let path = match namespace {
        Some(namespace) => format!("/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/{plural}"),
        None => format!("/apis/metrics.k8s.io/v1beta1/{plural}"),
    };
    let request = kube::core::Request::new(path)
        .list(&ListParams::default())
        .map_err(kube::Error::BuildRequest)?;
    let answer = client.send(request.map(kube::client::Body::from)).await?;
    let status = answer.status();
    let mut body = answer.into_body();
    if status.is_client_error() || status.is_server_error() {
        let mut bytes = Vec::new();
        while let Some(frame) = super::body::next_frame(&mut body).await {
            if let Ok(data) = frame?.into_data() {
                bytes.extend_from_slice(&data);
            }
        }
        return Err(super::api_error::answered_error(status, &bytes));
    }
    let (chunks, arriving) = tokio::sync::mpsc::channel(CHUNKS_IN_FLIGHT);
    let reading = tokio::task::spawn_blocking(move || {
        read_list(std::io::BufReader::with_capacity(
            READ_BUFFER,
            Chunks {
                arriving,
                chunk: Chunk::new(),
            },
        ))
    });
    let mut received = Ok(());
    while let Some(frame) = super::body::next_frame(&mut body).await {
        match frame {
            Ok(frame) => {
                if let Ok(data) = frame.into_data()
                    && chunks.send(data).await.is_err()
                {
                    // The reader stopped: the answer does not read as a list.
                    break;
                }
            }
            Err(error) => {
                received = Err(error);
                break;
            }
        }
    }
    // The reader sees the end of the answer (or of what arrived of it).
    drop(chunks);
    let reading = reading
        .await
        .map_err(|error| kube::Error::Service(Box::new(error)))?;
    // A transfer cut short is said as such, not as the JSON it left unfinished.
    received?;
    reading.map_err(kube::Error::SerdeError)
}

/// How many chunks of an answer wait for the reader at most (about a megabyte).
const CHUNKS_IN_FLIGHT: usize = 64;

/// How much of the answer the reader takes from its chunks at a time.
const READ_BUFFER: usize = 64 * 1024;

/// An answer's chunks as they arrive, read as one stream of bytes (on a blocking thread).
struct Chunks {
    arriving: tokio::sync::mpsc::Receiver<Chunk>,
    /// What is left of the chunk being read.
    chunk: Chunk,
}

impl std::io::Read for Chunks {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.chunk.is_empty() {
            match self.arriving.blocking_recv() {
                Some(chunk) => self.chunk = chunk,
                None => return Ok(0),
            }
        }
        let count = out.len().min(self.chunk.len());
        out[..count].copy_from_slice(&self.chunk.split_to(count));
        Ok(count)
    }
}

/// Reads one list; the reading and when to read it again.
async fn read(
    client: &Client,
    pods: bool,
    namespace: Option<&str>,
) -> Result<(MetricsReading, Duration), kube::Error> {
    if pods {
        let reading = read_list_streamed::<Key>(client, "pods", namespace).await?;
        let interval = reading.interval();
        Ok((MetricsReading::Pods(reading.usage), interval))
    } else {
        let reading = read_list_streamed::<String>(client, "nodes", None).await?;
        let interval = reading.interval();
        Ok((MetricsReading::Nodes(reading.usage), interval))
    }
}

/// When each list may be read next: a list is read when it is wanted and due, and is then
/// due again only after its interval, however often it stops and starts being wanted.
#[derive(Debug, Default)]
struct Schedule {
    /// PodMetrics, NodeMetrics; None: never read.
    due: [Option<Instant>; 2],
}

impl Schedule {
    /// The lists (true: pods) to read at `now`.
    fn to_read(&self, wanted: WantedMetrics, now: Instant) -> Vec<bool> {
        [(true, wanted.pods), (false, wanted.nodes)]
            .into_iter()
            .enumerate()
            .filter(|(at, (_, is_wanted))| *is_wanted && self.due[*at].is_none_or(|d| d <= now))
            .map(|(_, (pods, _))| pods)
            .collect()
    }

    /// A list was read (or failed) at `at`; it is due again after `wait`.
    fn read(&mut self, pods: bool, at: Instant, wait: Duration) {
        self.due[usize::from(!pods)] = Some(at + wait);
    }

    /// When the next wanted list falls due; None when nothing is wanted.
    fn next(&self, wanted: WantedMetrics) -> Option<Instant> {
        [wanted.pods, wanted.nodes]
            .into_iter()
            .zip(self.due)
            .filter_map(|(is_wanted, due)| if is_wanted { due } else { None })
            .min()
    }
}

/// Reads what `wanted` asks for (PodMetrics in `namespace`, or everywhere; NodeMetrics), each
/// list when it is due, and sends each reading. Nothing is read while nothing is wanted; a list
/// wanted again before its interval has passed waits for it. Ends when the app's side is gone.
pub fn spawn_metrics(
    client: Client,
    namespace: Option<String>,
    mut wanted: watch::Receiver<WantedMetrics>,
    sender: UnboundedSender<ClusterMessage>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut schedule = Schedule::default();
        loop {
            let now = *wanted.borrow_and_update();
            for pods in schedule.to_read(now, Instant::now()) {
                let wait = match read(&client, pods, namespace.as_deref()).await {
                    Ok((reading, interval)) => {
                        if sender
                            .send(ClusterMessage::Metrics(Box::new(reading)))
                            .is_err()
                        {
                            return;
                        }
                        interval
                    }
                    Err(error) => {
                        tracing::info!(pods, error = %error, "metrics.k8s.io not read");
                        FAILED_INTERVAL
                    }
                };
                schedule.read(pods, Instant::now(), wait);
            }
            let next = schedule.next(now);
            tokio::select! {
                changed = wanted.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
                () = async {
                    match next {
                        Some(next) => tokio::time::sleep_until(next).await,
                        None => std::future::pending().await,
                    }
                } => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pod_metrics_list_is_summed_by_pod_and_its_window_read() {
        let body = br#"{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},
            "items":[
              {"metadata":{"name":"a","namespace":"shop"},"timestamp":"2025-01-01T00:00:00Z","window":"15.2s",
               "containers":[{"name":"x","usage":{"cpu":"250m","memory":"64Mi"}},{"name":"y","usage":{"cpu":"1","memory":"1Gi"}}]},
              {"metadata":{"name":"b\u002d1","namespace":"shop"},"window":"15s","containers":[]}
            ]}"#;
        let reading = pod_usage(&body[..]).unwrap();
        assert_eq!(reading.window, Some(Duration::from_millis(15_200)));
        assert_eq!(
            reading.usage[&("shop".to_string(), "a".to_string())],
            Usage {
                cpu_millis: 1250,
                memory_bytes: (64 << 20) + (1 << 30)
            }
        );
        // An escaped name is read unescaped.
        assert_eq!(
            reading.usage[&("shop".to_string(), "b-1".to_string())],
            Usage::default()
        );
        // Never sooner than metrics-server's default resolution.
        assert_eq!(reading.interval(), RESOLUTION);
    }

    /// Against the simulator: each list read into its usages as the API answers it, and a
    /// refusal as the API server's Status (a stranger's token: 401).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn lists_are_read_from_the_server_and_a_refusal_is_its_status() {
        let sim = crate::sim::start(
            "127.0.0.1:0".parse().unwrap(),
            crate::sim::ClusterShape::default(),
        )
        .await
        .unwrap();
        let client = sim.client().unwrap();
        let listed = |plural: &'static str| {
            let client = client.clone();
            async move {
                let request = http::Request::get(format!("/apis/metrics.k8s.io/v1beta1/{plural}"))
                    .body(Vec::new())
                    .unwrap();
                let text = client.request_text(request).await.unwrap();
                serde_json::from_str::<serde_json::Value>(&text).unwrap()["items"]
                    .as_array()
                    .unwrap()
                    .len()
            }
        };
        let (MetricsReading::Pods(pods), _) = read(&client, true, None).await.unwrap() else {
            panic!("a PodMetrics reading");
        };
        assert!(!pods.is_empty());
        assert_eq!(pods.len(), listed("pods").await);
        assert!(pods.values().any(|usage| usage.cpu_millis > 0));
        let (MetricsReading::Nodes(nodes), _) = read(&client, false, None).await.unwrap() else {
            panic!("a NodeMetrics reading");
        };
        assert_eq!(nodes.len(), listed("nodes").await);
        let (MetricsReading::Pods(shop), _) = read(&client, true, Some("shop")).await.unwrap()
        else {
            panic!("a PodMetrics reading");
        };
        assert!(!shop.is_empty() && shop.keys().all(|(namespace, _)| namespace == "shop"));

        let mut config = kube::Config::new(sim.url.parse().unwrap());
        config.auth_info.token = Some("not-a-token".to_string().into());
        use rustls::pki_types::pem::PemObject;
        let ca = rustls::pki_types::CertificateDer::from_pem_slice(sim.ca_pem.as_bytes()).unwrap();
        config.root_cert = Some(vec![ca.to_vec()]);
        let stranger = Client::try_from(config).unwrap();
        match read(&stranger, true, None).await {
            Err(kube::Error::Api(status)) => {
                assert_eq!((status.code, status.reason.as_str()), (401, "Unauthorized"));
            }
            other => panic!("a 401, not {:?}", other.map(|(_, wait)| wait)),
        }
        sim.stop().await;
    }

    #[test]
    fn a_list_is_read_when_wanted_and_due_and_not_again_before_its_interval() {
        let start = Instant::now();
        let minute = Duration::from_secs(60);
        let pods = WantedMetrics {
            pods: true,
            nodes: false,
        };
        let both = WantedMetrics {
            pods: true,
            nodes: true,
        };
        let mut schedule = Schedule::default();
        assert!(schedule.to_read(WantedMetrics::default(), start).is_empty());
        assert_eq!(schedule.next(WantedMetrics::default()), None);
        assert_eq!(schedule.to_read(pods, start), [true]);
        schedule.read(true, start, minute);
        // Wanted again (the columns left the screen and came back) before the minute is out:
        // nothing to read until then, but NodeMetrics, never read, are read at once.
        let later = start + Duration::from_secs(10);
        assert!(schedule.to_read(pods, later).is_empty());
        assert_eq!(schedule.next(pods), Some(start + minute));
        assert_eq!(schedule.to_read(both, later), [false]);
        schedule.read(false, later, minute);
        assert_eq!(schedule.next(both), Some(start + minute));
        assert_eq!(schedule.to_read(both, start + minute), [true]);
        assert_eq!(schedule.to_read(both, later + minute), [true, false]);
    }

    /// An answer read as its chunks arrive, however it was cut, reads as the whole answer
    /// does; one cut short is an error, not a shorter list.
    #[test]
    fn a_list_read_from_its_chunks_is_the_list_read_whole() {
        let items: Vec<String> = (0..300)
            .map(|index| {
                format!(
                    r#"{{"metadata":{{"name":"p-\u0030{index}","namespace":"ns{}"}},"window":"15s","containers":[{{"name":"c","usage":{{"cpu":"{index}m","memory":"{index}Ki"}}}}]}}"#,
                    index % 7
                )
            })
            .collect();
        let body = format!(
            r#"{{"kind":"PodMetricsList","metadata":{{}},"items":[{}]}}"#,
            items.join(",")
        );
        let whole = pod_usage(body.as_bytes()).unwrap();
        assert_eq!(whole.usage.len(), 300);
        let read_cut = |size: usize, end: usize| {
            let (chunks, arriving) = tokio::sync::mpsc::channel(body.len());
            for piece in body.as_bytes()[..end].chunks(size) {
                chunks.try_send(Chunk::copy_from_slice(piece)).unwrap();
            }
            drop(chunks);
            read_list::<Key>(std::io::BufReader::with_capacity(
                16,
                Chunks {
                    arriving,
                    chunk: Chunk::new(),
                },
            ))
        };
        for size in [1, 3, 64, 1000, body.len()] {
            let read = read_cut(size, body.len()).unwrap();
            assert_eq!(
                (read.usage, read.window),
                (whole.usage.clone(), whole.window)
            );
        }
        assert!(read_cut(64, body.len() - 40).is_err());
    }

    #[test]
    fn a_node_metrics_list_is_read_by_node_and_a_long_window_spaces_the_reads() {
        let body = br#"{"items":[{"metadata":{"name":"n1"},"window":"1m30s","usage":{"cpu":"2","memory":"3Gi"}}]}"#;
        let reading = node_usage(&body[..]).unwrap();
        assert_eq!(reading.usage["n1"].cpu_millis, 2000);
        assert_eq!(reading.interval(), Duration::from_secs(90));
        let empty = node_usage(&br#"{"kind":"NodeMetricsList","items":null}"#[..]).unwrap();
        assert!(empty.usage.is_empty() && empty.window.is_none());
    }
}
