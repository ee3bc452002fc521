use std::time::Duration;

use super::*;

fn pod(name: &str, version: u32) -> WireObject {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "ns", "resourceVersion": version.to_string()},
    }))
    .expect("a pod")
}

fn step(event: Event<WireObject>) -> Step {
    Step::Event(Box::new(event))
}

/// What the decoder sent until now: each message's count of messages, in order.
fn sent(messages: &mut tokio::sync::mpsc::UnboundedReceiver<ClusterMessage>) -> Vec<usize> {
    let mut sent = Vec::new();
    while let Ok(message) = messages.try_recv() {
        sent.push(message.into_each().len());
    }
    sent
}

/// Hands the decoder `event`, then lets `after` pass on the paused clock.
async fn send(steps: &tokio::sync::mpsc::Sender<Step>, event: Event<WireObject>, after: Duration) {
    steps.send(step(event)).await.unwrap();
    tokio::time::sleep(after).await;
}

#[tokio::test(start_paused = true)]
async fn changes_once_listed_are_taken_together_at_a_pace_and_a_list_at_once() {
    let (steps, received) = tokio::sync::mpsc::channel(STEPS_AHEAD);
    let (sender, mut messages) = tokio::sync::mpsc::unbounded_channel();
    let _decoder = spawn_decoder(WatchedKind::Pods, received, sender);
    let tick = Duration::from_millis(2);

    // The list's objects go on as they come, however close together.
    send(&steps, Event::Init, tick).await;
    for number in 0..3 {
        let listed = pod(&format!("listed-{number}"), 1);
        send(&steps, Event::InitApply(listed), tick).await;
    }
    send(&steps, Event::InitDone, tick).await;
    assert_eq!(sent(&mut messages), [1, 1, 1, 1, 1]);

    // Changes 2 ms apart: the first at once, those that came in the next 10 ms together.
    for number in 0..5 {
        let changed = pod(&format!("changed-{number}"), 2);
        send(&steps, Event::Apply(changed), tick).await;
    }
    tokio::time::sleep(PACE).await;
    let changes = sent(&mut messages);
    assert_eq!(changes.iter().sum::<usize>(), 5, "{changes:?}");
    assert!(changes.len() <= 2, "{changes:?}");

    // A list again: at once, as the first.
    send(&steps, Event::Init, PACE).await;
    send(&steps, Event::InitApply(pod("relisted", 3)), tick).await;
    send(&steps, Event::InitApply(pod("relisted-too", 3)), tick).await;
    assert_eq!(sent(&mut messages), [1, 1, 1]);
}

#[test]
fn a_list_is_in_from_its_end_until_the_next_begins() {
    let init = || step(Event::Init);
    let done = || step(Event::InitDone);
    let change = || step(Event::Apply(pod("a", 1)));
    assert!(!lists_in(&[init(), change()], true));
    assert!(lists_in(&[init(), change(), done()], false));
    assert!(lists_in(&[change()], true));
    assert!(!lists_in(&[change()], false));
    assert!(!lists_in(&[done(), init()], false));
}
