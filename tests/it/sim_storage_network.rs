//! The storage and networking kinds of the simulator, judged by the real kubectl at default
//! flags: StorageClasses, claims bound to volumes the simulator provisions (at once, or once a
//! pod uses them for a class that waits for its first consumer), a claim of a missing class
//! Pending with its event, a StatefulSet's claims from its templates, volumes deleted with their
//! claims; Ingresses, IngressClasses, NetworkPolicies and EndpointSlices with kubectl's columns;
//! `kubectl autoscale` and the autoscaler scaling from the pods' CPU.

use std::time::Duration;

use crate::support;
use support::kubectl::Cluster;

fn phase(c: &Cluster, claim: &str) -> String {
    c.kubectl(&["get", "pvc", claim, "-o", "jsonpath={.status.phase}"])
        .ok()
        .stdout
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "waited for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn claims_bind_to_provisioned_volumes_as_their_class_says() {
    let c = Cluster::start();
    let classes = c.kubectl(&["get", "storageclasses"]).ok();
    classes.stdout_has("standard (default)   rancher.io/local-path        Delete          WaitForFirstConsumer   false");
    classes.stdout_has("ceph-block           rook-ceph.rbd.csi.ceph.com   Delete          Immediate              true");
    // The seeded claims: the cache's bound, one of a class nobody made Pending with its event.
    let claims = c.kubectl(&["get", "pvc", "-n", "data-infra"]).ok().table();
    assert_eq!(claims.row("NAME", "data-cache-0").get("STATUS"), "Bound");
    assert_eq!(claims.row("NAME", "data-cache-0").get("CAPACITY"), "20Gi");
    assert_eq!(
        claims.row("NAME", "reports-archive").get("STATUS"),
        "Pending"
    );
    c.kubectl(&["describe", "pvc", "-n", "data-infra", "reports-archive"])
        .ok()
        .stdout_has(r#"ProvisioningFailed  "#)
        .stdout_has(r#"storageclass.storage.k8s.io "fast-ssd" not found"#);
    let volumes = c.kubectl(&["get", "pv"]).ok().table();
    assert!(
        volumes.column("CLAIM").contains(&"data-infra/data-cache-0"),
        "{:?}",
        volumes.column("CLAIM")
    );

    // A claim of the default class waits for its first consumer, then binds.
    let claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: scratch, namespace: default}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 2Gi}}\n";
    c.kubectl_stdin(&["apply", "-f", "-"], claim.as_bytes())
        .ok();
    let class = c
        .kubectl(&[
            "get",
            "pvc",
            "scratch",
            "-o",
            "jsonpath={.spec.storageClassName}",
        ])
        .ok()
        .stdout;
    assert_eq!(class, "standard", "the default class is given");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(phase(&c, "scratch"), "Pending");
    c.kubectl(&["describe", "pvc", "scratch"])
        .ok()
        .stdout_has("waiting for first consumer to be created before binding");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: uses-scratch, namespace: default}\nspec:\n  containers: [{name: c, image: busybox, command: [sleep, '3600'], volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: scratch}}]\n";
    c.kubectl_stdin(&["apply", "-f", "-"], pod.as_bytes()).ok();
    wait_until("the claim bound", || phase(&c, "scratch") == "Bound");
    let volume = c
        .kubectl(&["get", "pvc", "scratch", "-o", "jsonpath={.spec.volumeName}"])
        .ok()
        .stdout;
    c.kubectl(&["get", "pv", &volume])
        .ok()
        .stdout_has("default/scratch");

    // Gone with its claim (policy Delete).
    c.kubectl(&["delete", "pod", "uses-scratch", "--wait=false"])
        .ok();
    c.kubectl(&["delete", "pvc", "scratch", "--wait=false"])
        .ok();
    wait_until("the volume deleted", || {
        c.kubectl(&["get", "pv", &volume]).code != Some(0)
    });

    // A StatefulSet's pods get their claims from its templates, bound once the pods are placed.
    let set = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: default}\nspec:\n  replicas: 1\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: postgres:17, volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]}]}\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}\n";
    c.kubectl_stdin(&["apply", "-f", "-"], set.as_bytes()).ok();
    wait_until("data-db-0 bound", || {
        c.kubectl(&["get", "pvc", "data-db-0", "-o", "jsonpath={.status.phase}"])
            .stdout
            == "Bound"
    });
    let labels = c
        .kubectl(&[
            "get",
            "pvc",
            "data-db-0",
            "-o",
            "jsonpath={.metadata.labels.app}",
        ])
        .ok()
        .stdout;
    assert_eq!(labels, "db");
}

#[test]
fn ingresses_and_network_policies_print_as_kubectl_prints_them() {
    let c = Cluster::start();
    let ingresses = c.kubectl(&["get", "ingress", "-A"]).ok().table();
    let storefront = ingresses.row("NAME", "storefront");
    assert_eq!(storefront.get("CLASS"), "nginx");
    assert_eq!(storefront.get("HOSTS"), "shop.example.com");
    assert_eq!(storefront.get("ADDRESS"), "203.0.113.10");
    assert_eq!(storefront.get("PORTS"), "80, 443");
    c.kubectl(&["get", "ingressclass"])
        .ok()
        .stdout_has("nginx   k8s.io/ingress-nginx   <none>");
    let policies = c.kubectl(&["get", "netpol", "-n", "payments"]).ok().table();
    assert_eq!(
        policies
            .row("NAME", "default-deny-ingress")
            .get("POD-SELECTOR"),
        "<none>"
    );
    assert_eq!(
        policies.row("NAME", "allow-from-shop").get("POD-SELECTOR"),
        "app=payments-api"
    );
    c.kubectl(&["describe", "ingress", "storefront", "-n", "shop"])
        .ok()
        .stdout_has("shop.example.com");
    c.kubectl(&["get", "rc", "-A"]).ok();

    // Each Service's EndpointSlice beside its Endpoints, with the same addresses.
    let slices = c
        .kubectl(&[
            "get",
            "endpointslices",
            "-n",
            "shop",
            "-l",
            "kubernetes.io/service-name=web",
        ])
        .ok()
        .table();
    let web = slices
        .find("NAME", |n| n.starts_with("web-"))
        .expect("web's slice");
    assert_eq!(web.get("ADDRESSTYPE"), "IPv4");
    assert_eq!(web.get("PORTS"), "80");
    let endpoints = c
        .kubectl(&[
            "get",
            "endpoints",
            "web",
            "-n",
            "shop",
            "-o",
            "jsonpath={.subsets[0].addresses[*].ip}",
        ])
        .ok()
        .stdout;
    let mut from_endpoints: Vec<&str> = endpoints.split(' ').collect();
    let mut from_slice: Vec<&str> = web.get("ENDPOINTS").split(',').collect();
    from_endpoints.sort();
    from_slice.sort();
    assert_eq!(from_slice, from_endpoints);
    // The API server's own for `kubernetes`.
    let own = c
        .kubectl(&["get", "endpointslices", "-n", "default"])
        .ok()
        .table();
    let kubernetes = own.row("NAME", "kubernetes");
    assert_eq!(kubernetes.get("PORTS"), "6443");
    assert_eq!(kubernetes.get("ENDPOINTS"), "10.0.1.10");
}

#[test]
fn kubectl_autoscale_and_the_autoscaler_scales_from_the_pods_cpu() {
    let c = Cluster::start();
    // The seeded storefront autoscaler is at its maximum.
    wait_until("the seeded autoscaler read its pods", || {
        c.kubectl(&[
            "get",
            "hpa",
            "web",
            "-n",
            "shop",
            "-o",
            "jsonpath={.status.conditions[?(@.type==\"ScalingLimited\")].reason}",
        ])
        .stdout
            == "TooManyReplicas"
    });
    c.kubectl(&[
        "autoscale",
        "deployment",
        "cart",
        "-n",
        "shop",
        "--cpu=10%",
        "--min=1",
        "--max=4",
    ])
    .ok()
    .stdout_has("horizontalpodautoscaler.autoscaling/cart autoscaled");
    wait_until("cart scaled to 4", || {
        c.kubectl(&[
            "get",
            "deploy",
            "cart",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.replicas}",
        ])
        .stdout
            == "4"
    });
    let table = c
        .kubectl(&["get", "hpa", "cart", "-n", "shop"])
        .ok()
        .table();
    let row = table.row("NAME", "cart");
    assert_eq!(row.get("REFERENCE"), "Deployment/cart");
    assert!(
        row.get("TARGETS").starts_with("cpu: ") && row.get("TARGETS").ends_with("%/10%"),
        "{}",
        row.get("TARGETS")
    );
    assert_eq!(row.get("MAXPODS"), "4");
    c.kubectl(&["describe", "hpa", "cart", "-n", "shop"])
        .ok()
        .stdout_has("SuccessfulRescale")
        .stdout_has(
            "New size: 4; reason: cpu resource utilization (percentage of request) above target",
        );
}
