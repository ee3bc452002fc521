//! A simulated cluster in this process for a test that drives the built binary: its runtime,
//! the running simulator and a kubeconfig file for it.

use std::path::PathBuf;

use kscope::sim::{ClusterShape, RunningSim, start};

pub struct Simulated {
    pub runtime: tokio::runtime::Runtime,
    pub sim: RunningSim,
    /// Holds the kubeconfig (and anything else a test writes) until the test ends.
    pub dir: tempfile::TempDir,
    pub kubeconfig: PathBuf,
}

impl Simulated {
    pub fn start() -> Self {
        Self::start_shaped(ClusterShape::default())
    }

    /// A simulator of this shape (its churn, say).
    pub fn start_shaped(shape: ClusterShape) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sim = runtime
            .block_on(start("127.0.0.1:0".parse().unwrap(), shape))
            .expect("the simulator starts");
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("config");
        std::fs::write(&kubeconfig, sim.kubeconfig()).unwrap();
        Simulated {
            runtime,
            sim,
            dir,
            kubeconfig,
        }
    }

    /// A kube client of the simulator (made inside the runtime, as kube requires).
    pub fn client(&self) -> kube::Client {
        let _entered = self.runtime.enter();
        self.sim.client().unwrap()
    }

    pub fn stop(self) {
        self.runtime.block_on(self.sim.stop());
    }
}
