//! Which rows of a long list are on screen: the window around the selection, shared by the view
//! that draws it and by a mouse click that picks a row from it.

/// The window of rows to show around the selection: (first row, selected row within it).
pub fn window(selected: usize, count: usize, height: usize) -> (usize, usize) {
    if count <= height || selected < height / 2 {
        return (0, selected);
    }
    let first = (selected + 1)
        .saturating_sub(height / 2 + 1)
        .min(count.saturating_sub(height));
    (first, selected - first)
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn windows_follow_the_selection() {
        assert_eq!(window(0, 100, 10), (0, 0));
        assert_eq!(window(4, 100, 10), (0, 4));
        assert_eq!(window(50, 100, 10), (45, 5));
        assert_eq!(window(99, 100, 10), (90, 9));
        assert_eq!(window(3, 5, 10), (0, 3));
    }
}
