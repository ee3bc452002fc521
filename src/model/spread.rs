//! Work over many objects spread over the machine's cores, its results in the objects' order
//! (so what is computed does not depend on how it was cut).

/// The cores work is spread over (at most 8), read once: the standard library reads the
/// cgroup's quota files on every call, which was 4 % of the loop's time while a filter was
/// typed under churn (each frame filters in parts).
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(8)))
}

/// `map` over `items` cut in consecutive parts, one a core and none under `worth_a_thread`
/// items (below that a thread costs more than it saves), the parts' results laid end to end in
/// the items' order. The first part runs on the calling thread.
pub fn map_in_parts<T, R>(
    items: &[T],
    worth_a_thread: usize,
    map: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let parts = (items.len() / worth_a_thread.max(1)).clamp(1, cores());
    if parts == 1 {
        return map(items);
    }
    let part = items.len().div_ceil(parts);
    let map = &map;
    std::thread::scope(|scope| {
        let others: Vec<_> = items[part..]
            .chunks(part)
            .map(|chunk| scope.spawn(move || map(chunk)))
            .collect();
        let mut results = map(&items[..part]);
        for other in others {
            match other.join() {
                Ok(more) => results.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_however_they_are_cut() {
        let items: Vec<usize> = (0..10_000).collect();
        let doubled = |part: &[usize]| part.iter().map(|i| i * 2).collect::<Vec<_>>();
        let expected: Vec<usize> = (0..10_000).map(|i| i * 2).collect();
        for worth in [1, 7, 1_000, 20_000] {
            assert_eq!(map_in_parts(&items, worth, doubled), expected);
        }
        assert!(map_in_parts(&[] as &[usize], 1, doubled).is_empty());
    }
}
