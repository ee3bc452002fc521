//! One module per pane kind: each gives its header, column widths and the rows on screen.

pub(super) mod events;
pub(super) mod namespaces;
pub(super) mod nodes;
pub(super) mod pods;
pub(super) mod resources;
pub(super) mod stream;
pub(super) mod workloads;

use super::tables::{Columns, View, usage_cells};
use crate::model::duration::{age, human_duration};
use crate::model::health::Health;
use crate::model::kind::WatchedKind;
use ratatui::layout::Constraint;
use ratatui::text::Span;
use ratatui::widgets::Cell;
