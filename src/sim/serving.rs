//! What listens on a pod's ports, decided by its containers' images and declared ports: the
//! port-forward's other end. An HTTP port answers as its image would (a web server's welcome
//! page, `/healthz`, `/metrics` in Prometheus text for monitoring images, 404 otherwise); any
//! other port accepts and echoes. Everything runs in-process on an in-memory stream.

use std::convert::Infallible;

use axum::body::Body;
use http::{Request, Response, StatusCode, header};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};

/// What answers on a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listener {
    Http(Site),
    Echo,
}

/// The kind of HTTP server behind a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// nginx: its welcome page and its error pages.
    Nginx,
    /// Apache httpd: "It works!".
    Httpd,
    /// A monitoring image (Prometheus, its exporters, Grafana): `/metrics`.
    Monitoring,
    /// Any other program serving HTTP: health and metrics endpoints, Go's 404 otherwise.
    App,
}

/// The repository's last path segment without tag or digest (`nginx` for `nginx:1.27`).
fn repository(image: &str) -> &str {
    image
        .rsplit('/')
        .next()
        .unwrap_or(image)
        .split([':', '@'])
        .next()
        .unwrap_or("")
}

/// Ports an image listens on without declaring them, and whether each speaks HTTP.
fn image_ports(image: &str) -> &'static [(u16, bool)] {
    match repository(image) {
        "nginx" | "httpd" | "caddy" => &[(80, true)],
        "redis" | "valkey" => &[(6379, false)],
        "postgres" => &[(5432, false)],
        "mysql" | "mariadb" => &[(3306, false)],
        "prometheus" => &[(9090, true)],
        "node-exporter" => &[(9100, true)],
        "grafana" => &[(3000, true)],
        "coredns" => &[(53, false), (8080, true), (8181, true), (9153, true)],
        _ => &[],
    }
}

fn site(image: &str) -> Site {
    match repository(image) {
        "nginx" => Site::Nginx,
        "httpd" => Site::Httpd,
        "prometheus" | "node-exporter" | "grafana" | "coredns" | "alertmanager"
        | "kube-state-metrics" | "blackbox-exporter" => Site::Monitoring,
        _ => Site::App,
    }
}

/// Whether a declared port speaks HTTP: by its name, or by a number HTTP servers use.
fn declared_http(port: &Value) -> bool {
    let name = port["name"].as_str().unwrap_or("");
    let number = port["containerPort"].as_u64().unwrap_or(0);
    name.starts_with("http")
        || name.starts_with("web")
        || name.contains("metrics")
        || matches!(number, 80 | 3000 | 8000 | 8080 | 8081 | 8443 | 9090 | 9100)
}

/// What answers on `port` of the pod, if anything does: a running container that declares it
/// or whose image listens on it.
pub fn listener(pod: &Value, port: u16) -> Option<Listener> {
    let containers = pod["spec"]["containers"].as_array()?;
    containers
        .iter()
        .filter(|c| {
            c["name"]
                .as_str()
                .is_some_and(|name| crate::sim::stream::running(pod, name))
        })
        .find_map(|c| {
            let image = c["image"].as_str().unwrap_or("");
            let declared = c["ports"].as_array().into_iter().flatten().find(|p| {
                p["containerPort"].as_u64() == Some(u64::from(port))
                    && p["protocol"].as_str().unwrap_or("TCP") == "TCP"
            });
            let known = image_ports(image).iter().find(|(p, _)| *p == port);
            let http = match (declared, known) {
                (_, Some((_, http))) => *http,
                (Some(declared), None) => declared_http(declared),
                (None, None) => return None,
            };
            Some(if http {
                Listener::Http(site(image))
            } else {
                Listener::Echo
            })
        })
}

/// Serves one connection on `stream` until the client closes it.
pub async fn serve<S>(listener: Listener, stream: S)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    match listener {
        Listener::Echo => {
            let (mut reader, mut writer) = tokio::io::split(stream);
            let _ = tokio::io::copy(&mut reader, &mut writer).await;
        }
        Listener::Http(site) => {
            let service =
                hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                    let response = respond(site, request.uri().path());
                    async move { Ok::<_, Infallible>(response) }
                });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        }
    }
}

const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

const NGINX_NOT_FOUND: &str = "<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx/1.27.5</center>
</body>
</html>
";

/// Prometheus text exposition of a process's usual metrics.
const METRICS: &str = "# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 42
# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 4.3892736e+07
# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
# TYPE process_start_time_seconds gauge
process_start_time_seconds 1.76474304e+09
# HELP promhttp_metric_handler_requests_total Total number of scrapes by HTTP status code.
# TYPE promhttp_metric_handler_requests_total counter
promhttp_metric_handler_requests_total{code=\"200\"} 1
promhttp_metric_handler_requests_total{code=\"500\"} 0
promhttp_metric_handler_requests_total{code=\"503\"} 0
";

/// The response a site gives for a path.
pub fn respond(site: Site, path: &str) -> Response<Body> {
    let text = |status: StatusCode, content_type: &str, body: &'static str| {
        let mut builder = Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, content_type);
        if matches!(site, Site::Nginx) {
            builder = builder.header(header::SERVER, "nginx/1.27.5");
        }
        builder
            .body(Body::from(body))
            .unwrap_or_else(|_| Response::new(Body::empty()))
    };
    match (site, path) {
        (_, "/healthz") => text(StatusCode::OK, "text/plain; charset=utf-8", "ok"),
        (Site::Monitoring | Site::App, "/metrics") => text(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            METRICS,
        ),
        (Site::Nginx, "/" | "/index.html") => text(StatusCode::OK, "text/html", NGINX_WELCOME),
        (Site::Nginx, _) => text(StatusCode::NOT_FOUND, "text/html", NGINX_NOT_FOUND),
        (Site::Httpd, "/" | "/index.html") => text(
            StatusCode::OK,
            "text/html",
            "<html><body><h1>It works!</h1></body></html>\n",
        ),
        (Site::Httpd, _) => text(
            StatusCode::NOT_FOUND,
            "text/html; charset=iso-8859-1",
            "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n",
        ),
        _ => text(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "404 page not found\n",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(image: &str, ports: Value) -> Value {
        json!({
            "spec": {"containers": [{"name": "c", "image": image, "ports": ports}]},
            "status": {"containerStatuses": [{"name": "c", "state": {"running": {}}}]},
        })
    }

    #[test]
    fn ports_answer_as_their_image_would() {
        let web = pod("nginx:1.27", json!([{"containerPort": 80}]));
        assert_eq!(listener(&web, 80), Some(Listener::Http(Site::Nginx)));
        assert_eq!(listener(&web, 81), None);
        let redis = pod("redis:7.4", json!([]));
        assert_eq!(listener(&redis, 6379), Some(Listener::Echo));
        let app = pod(
            "registry.example.com/shop/cart:2.8.1",
            json!([{"containerPort": 8080}, {"containerPort": 7000, "name": "grpc"}]),
        );
        assert_eq!(listener(&app, 8080), Some(Listener::Http(Site::App)));
        assert_eq!(listener(&app, 7000), Some(Listener::Echo));
        let mut stopped = web.clone();
        stopped["status"]["containerStatuses"][0]["state"] = json!({"waiting": {}});
        assert_eq!(listener(&stopped, 80), None);
    }

    #[test]
    fn responses() {
        assert_eq!(respond(Site::Nginx, "/").status(), StatusCode::OK);
        assert_eq!(
            respond(Site::Nginx, "/nope").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(respond(Site::App, "/healthz").status(), StatusCode::OK);
        assert_eq!(
            respond(Site::Monitoring, "/metrics").status(),
            StatusCode::OK
        );
        assert_eq!(respond(Site::App, "/").status(), StatusCode::NOT_FOUND);
    }
}
