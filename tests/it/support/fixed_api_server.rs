//! A loopback HTTP server answering Kubernetes API paths with fixed objects, enough to drive the
//! real client code (kubeconfig, auth header, GET, list with a field selector, 404 Status).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Serves `routes` (path without query → JSON body) until the test process exits.
pub struct FixedApiServer {
    pub url: String,
    /// Every request line seen, with its Authorization header.
    pub requests: Arc<Mutex<Vec<String>>>,
}

/// The bearer token the written kubeconfig carries and the server demands.
pub const TOKEN: &str = "kscope-test-token";

impl FixedApiServer {
    pub fn start(routes: HashMap<String, String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("bound address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let routes = Arc::new(routes);
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let routes = routes.clone();
                let seen = seen.clone();
                std::thread::spawn(move || serve_connection(stream, &routes, &seen));
            }
        });
        Self { url, requests }
    }

    /// Writes a kubeconfig with one context `test` (namespace `ns`) pointing at this server.
    pub fn write_kubeconfig(&self, path: &Path, namespace: &str) {
        let text = format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n- name: test\n  cluster:\n    server: {}\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: test\n    namespace: {namespace}\nusers:\n- name: test\n  user:\n    token: {TOKEN}\n",
            self.url
        );
        std::fs::write(path, text).expect("write kubeconfig");
    }
}

fn serve_connection(
    stream: TcpStream,
    routes: &HashMap<String, String>,
    seen: &Mutex<Vec<String>>,
) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut authorization = String::new();
        let mut content_length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if lower.starts_with("authorization:") {
                authorization = header["authorization:".len()..].trim().to_string();
            } else if let Some(length) = lower.strip_prefix("content-length:") {
                content_length = length.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; content_length];
        let _ = reader.read_exact(&mut body);
        let target = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_string();
        seen.lock().expect("request log").push(format!(
            "{} {target} auth={authorization}",
            request_line.split_whitespace().next().unwrap_or("")
        ));
        let path = target.split('?').next().unwrap_or("/");
        let (code, body) = if authorization != format!("Bearer {TOKEN}") {
            (401, status_json(401, "Unauthorized", "Unauthorized"))
        } else if let Some(body) = routes.get(path) {
            (200, body.clone())
        } else {
            (
                404,
                status_json(
                    404,
                    "NotFound",
                    &format!("the server could not find the requested resource ({path})"),
                ),
            )
        };
        let reason = match code {
            200 => "OK",
            401 => "Unauthorized",
            _ => "Not Found",
        };
        let response = format!(
            "HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

fn status_json(code: u16, reason: &str, message: &str) -> String {
    serde_json::json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code
    })
    .to_string()
}
