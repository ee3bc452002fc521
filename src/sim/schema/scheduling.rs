//! `scheduling.k8s.io/v1`: the PriorityClass kubectl's typed client sends (`kubectl create
//! priorityclass`). Field numbers and JSON names from the Go type's `protobuf` and `json` tags
//! in `k8s.io/api/scheduling/v1`.

use super::Kind::{Bool, I32, Msg, Str};
use super::Shape::{Opt, Ptr, Req};
use super::{Message, OBJECT_META, f, message};

pub(super) static PRIORITY_CLASS: Message = message(
    "PriorityClass",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "value", I32, Req),
        f(3, "globalDefault", Bool, Opt),
        f(4, "description", Str, Opt),
        f(5, "preemptionPolicy", Str, Ptr),
    ],
);
