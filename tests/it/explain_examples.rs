//! The explainer's whole output for every shipped example, pinned as snapshots (text for people,
//! JSON for programs), with a fixed clock.

use crate::support;

use support::{NOW, kscope, stderr, stdout};

fn examples() -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/examples"))
            .expect("examples folder")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| name.ends_with(".yaml"))
            .collect();
    names.sort();
    names
}

#[test]
fn every_example_explains_as_recorded() {
    let names = examples();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let path = format!("assets/examples/{name}");
        let stem = name.trim_end_matches(".yaml");
        let text = kscope(&["explain", "-f", &path, "--now", NOW], "", &[]);
        assert_eq!(text.status.code(), Some(0), "{name}: {}", stderr(&text));
        insta::assert_snapshot!(format!("{stem}.text"), stdout(&text));
        let json = kscope(
            &["explain", "-f", &path, "--now", NOW, "-o", "json"],
            "",
            &[],
        );
        assert_eq!(json.status.code(), Some(0), "{name}: {}", stderr(&json));
        let objects: Vec<serde_json::Value> = stdout(&json)
            .lines()
            .map(|line| serde_json::from_str(line).expect("JSON line"))
            .collect();
        insta::assert_snapshot!(
            format!("{stem}.json"),
            serde_json::to_string_pretty(&objects).unwrap()
        );
    }
}
