//! A container's virtual filesystem: files and directories kept in memory, with the mounts
//! that decide where writing is allowed (a ConfigMap or Secret volume is read-only, an emptyDir
//! and a writable root are not). Nothing here touches the host.

use std::collections::BTreeMap;

/// One entry of the tree.
#[derive(Debug, Clone)]
pub enum Node {
    Dir { mode: u32 },
    File { data: Vec<u8>, mode: u32 },
}

/// Why an operation failed, worded as the C library's `strerror` words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotDir,
    IsDir,
    Exists,
    ReadOnly,
    NotEmpty,
}

impl FsError {
    /// `strerror`'s text.
    pub fn text(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotDir => "Not a directory",
            FsError::IsDir => "Is a directory",
            FsError::Exists => "File exists",
            FsError::ReadOnly => "Read-only file system",
            FsError::NotEmpty => "Directory not empty",
        }
    }
}

/// A mounted filesystem: where, what kind (as `df` names it), and whether it takes writes.
#[derive(Debug, Clone)]
pub struct Mount {
    pub path: String,
    pub source: String,
    pub writable: bool,
}

/// The whole tree of one container, by absolute normalised path.
#[derive(Debug, Clone, Default)]
pub struct Fs {
    nodes: BTreeMap<String, Node>,
    /// The root first; the innermost mount of a path decides whether it is writable.
    pub mounts: Vec<Mount>,
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved.
pub fn resolve(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The directory holding `path` (`/` for `/`).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(at) => &path[..at],
    }
}

/// The last part of `path`.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("/")
}

impl Fs {
    /// An empty tree whose root is writable or not.
    pub fn new(root_writable: bool) -> Self {
        let mut fs = Fs::default();
        fs.nodes.insert("/".into(), Node::Dir { mode: 0o755 });
        fs.mounts.push(Mount {
            path: "/".into(),
            source: "overlay".into(),
            writable: root_writable,
        });
        fs
    }

    /// Mounts a filesystem at `path` (creating the directory).
    pub fn mount(&mut self, path: &str, source: &str, writable: bool) {
        self.make_dirs(path);
        self.mounts.retain(|m| m.path != path);
        self.mounts.push(Mount {
            path: path.to_string(),
            source: source.to_string(),
            writable,
        });
    }

    /// The mount `path` is on.
    pub fn mount_of(&self, path: &str) -> &Mount {
        self.mounts
            .iter()
            .filter(|m| {
                m.path == "/" || path == m.path || path.starts_with(&format!("{}/", m.path))
            })
            .max_by_key(|m| m.path.len())
            .unwrap_or(&self.mounts[0])
    }

    fn writable(&self, path: &str) -> Result<(), FsError> {
        if self.mount_of(path).writable {
            Ok(())
        } else {
            Err(FsError::ReadOnly)
        }
    }

    /// The entry at an absolute path.
    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    /// Creates `path` and its parents as directories, whatever the mounts (building the tree).
    pub fn make_dirs(&mut self, path: &str) {
        let mut at = String::new();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            at.push('/');
            at.push_str(part);
            self.nodes
                .entry(at.clone())
                .or_insert(Node::Dir { mode: 0o755 });
        }
    }

    /// Puts a file while building the tree (parents created, mounts ignored).
    pub fn put(&mut self, path: &str, data: impl Into<Vec<u8>>, mode: u32) {
        self.make_dirs(parent(path));
        self.nodes.insert(
            path.to_string(),
            Node::File {
                data: data.into(),
                mode,
            },
        );
    }

    /// A file's bytes.
    pub fn read(&self, path: &str) -> Result<&[u8], FsError> {
        match self.nodes.get(path) {
            Some(Node::File { data, .. }) => Ok(data),
            Some(Node::Dir { .. }) => Err(FsError::IsDir),
            None => Err(self.missing(path)),
        }
    }

    /// NotDir when a parent is a file, else NotFound.
    fn missing(&self, path: &str) -> FsError {
        let mut at = parent(path);
        loop {
            match self.nodes.get(at) {
                Some(Node::File { .. }) => return FsError::NotDir,
                Some(Node::Dir { .. }) => return FsError::NotFound,
                None if at == "/" => return FsError::NotFound,
                None => at = parent(at),
            }
        }
    }

    fn parent_dir(&self, path: &str) -> Result<(), FsError> {
        match self.nodes.get(parent(path)) {
            Some(Node::Dir { .. }) => Ok(()),
            Some(Node::File { .. }) => Err(FsError::NotDir),
            None => Err(self.missing(parent(path))),
        }
    }

    /// Writes (or appends to) a file, as a program in the container would.
    pub fn write(
        &mut self,
        path: &str,
        data: &[u8],
        append: bool,
        mode: u32,
    ) -> Result<(), FsError> {
        self.parent_dir(path)?;
        if let Some(Node::Dir { .. }) = self.nodes.get(path) {
            return Err(FsError::IsDir);
        }
        self.writable(path)?;
        match self.nodes.get_mut(path) {
            Some(Node::File { data: old, .. }) if append => old.extend_from_slice(data),
            _ => {
                self.nodes.insert(
                    path.to_string(),
                    Node::File {
                        data: data.to_vec(),
                        mode,
                    },
                );
            }
        }
        Ok(())
    }

    /// `mkdir` (with `parents`, `mkdir -p`).
    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        match self.nodes.get(path) {
            Some(Node::Dir { .. }) if parents => return Ok(()),
            Some(_) => return Err(FsError::Exists),
            None => {}
        }
        if parents {
            let mut at = String::new();
            for part in path.split('/').filter(|p| !p.is_empty()) {
                at.push('/');
                at.push_str(part);
                match self.nodes.get(&at) {
                    Some(Node::Dir { .. }) => {}
                    Some(Node::File { .. }) => return Err(FsError::NotDir),
                    None => {
                        self.writable(&at)?;
                        self.nodes.insert(at.clone(), Node::Dir { mode: 0o755 });
                    }
                }
            }
            return Ok(());
        }
        self.parent_dir(path)?;
        self.writable(path)?;
        self.nodes
            .insert(path.to_string(), Node::Dir { mode: 0o755 });
        Ok(())
    }

    /// `rm` of one file, or of a directory with `recursive`.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        match self.nodes.get(path) {
            None => Err(self.missing(path)),
            Some(Node::File { .. }) => {
                self.writable(path)?;
                self.nodes.remove(path);
                Ok(())
            }
            Some(Node::Dir { .. }) => {
                if !recursive {
                    return Err(FsError::IsDir);
                }
                if path == "/" || self.mounts.iter().any(|m| m.path == path) {
                    return Err(FsError::ReadOnly);
                }
                self.writable(path)?;
                let prefix = format!("{path}/");
                if self.under(path).any(|(p, _)| !self.mount_of(p).writable) {
                    return Err(FsError::ReadOnly);
                }
                self.nodes
                    .retain(|p, _| p != path && !p.starts_with(&prefix));
                Ok(())
            }
        }
    }

    /// Every entry below `dir` (not `dir` itself), in path order.
    pub fn under<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a str, &'a Node)> + 'a {
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        self.nodes
            .range(prefix.clone()..)
            .take_while(move |(p, _)| p.starts_with(&prefix))
            .filter(|(p, _)| p.as_str() != "/")
            .map(|(p, n)| (p.as_str(), n))
    }

    /// The names directly in `dir`, sorted.
    pub fn list(&self, dir: &str) -> Result<Vec<(String, &Node)>, FsError> {
        match self.nodes.get(dir) {
            Some(Node::Dir { .. }) => {}
            Some(Node::File { .. }) => return Err(FsError::NotDir),
            None => return Err(self.missing(dir)),
        }
        let depth = if dir == "/" {
            1
        } else {
            dir.matches('/').count() + 1
        };
        Ok(self
            .under(dir)
            .filter(|(p, _)| p.matches('/').count() == depth)
            .map(|(p, n)| (base_name(p).to_string(), n))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_like_a_shell() {
        assert_eq!(resolve("/", "etc"), "/etc");
        assert_eq!(resolve("/etc", "../tmp/./x"), "/tmp/x");
        assert_eq!(resolve("/a", "/.."), "/");
        assert_eq!(parent("/etc/hosts"), "/etc");
        assert_eq!(parent("/etc"), "/");
        assert_eq!(base_name("/etc/hosts"), "hosts");
    }

    #[test]
    fn mounts_decide_where_writing_is_allowed() {
        let mut fs = Fs::new(false);
        fs.make_dirs("/tmp");
        fs.mount("/tmp", "tmpfs", true);
        fs.mount("/etc/config", "tmpfs", false);
        fs.put("/etc/config/a", "1", 0o644);
        assert_eq!(fs.write("/tmp/x", b"hi", false, 0o644), Ok(()));
        assert_eq!(fs.write("/tmp/x", b"!", true, 0o644), Ok(()));
        assert_eq!(fs.read("/tmp/x"), Ok(&b"hi!"[..]));
        assert_eq!(
            fs.write("/etc/config/b", b"", false, 0o644),
            Err(FsError::ReadOnly)
        );
        assert_eq!(fs.write("/x", b"", false, 0o644), Err(FsError::ReadOnly));
        assert_eq!(fs.read("/nope"), Err(FsError::NotFound));
        assert_eq!(fs.read("/tmp/x/y"), Err(FsError::NotDir));
        assert_eq!(fs.mkdir("/tmp/d/e", true), Ok(()));
        assert_eq!(fs.remove("/tmp/d", false), Err(FsError::IsDir));
        assert_eq!(fs.remove("/tmp/d", true), Ok(()));
        assert_eq!(fs.remove("/etc/config/a", false), Err(FsError::ReadOnly));
        let names: Vec<String> = fs
            .list("/etc")
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["config"]);
    }
}
