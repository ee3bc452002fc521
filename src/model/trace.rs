//! The explanation trace: the ordered steps a computation took, recorded only when asked for.

use serde::Serialize;

/// One decision: the field read, the value found there, and the rule applied to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub field: String,
    pub value: String,
    pub rule: String,
}

impl Step {
    /// A step from anything string-like.
    pub fn new(
        field: impl Into<String>,
        value: impl Into<String>,
        rule: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            value: value.into(),
            rule: rule.into(),
        }
    }
}

impl Step {
    /// Whether the step is a printed column's result (`READY`, `UP-TO-DATE`, `LAST SCHEDULE`),
    /// which closes a chain of field steps and reads best set apart.
    pub fn is_result(&self) -> bool {
        self.field.chars().any(|c| c.is_ascii_uppercase())
            && self
                .field
                .chars()
                .all(|c| c.is_ascii_uppercase() || matches!(c, '-' | ' ' | '(' | ')'))
    }
}

/// Where a computation records its steps. `()` records nothing and costs nothing, so the table
/// path and the explainer share one implementation.
pub trait Trace {
    /// Records the step built by `step`, if this trace keeps steps.
    fn record(&mut self, step: impl FnOnce() -> Step);
}

impl Trace for () {
    #[inline(always)]
    fn record(&mut self, _step: impl FnOnce() -> Step) {}
}

impl Trace for Vec<Step> {
    fn record(&mut self, step: impl FnOnce() -> Step) {
        self.push(step());
    }
}
