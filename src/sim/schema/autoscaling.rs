//! `autoscaling/v2`: the HorizontalPodAutoscaler kubectl's typed client sends (`kubectl
//! autoscale`). Field numbers and JSON names from the Go types' `protobuf` and `json` tags in
//! `k8s.io/api/autoscaling/v2`.

use super::Kind::{I32, I64, Msg, Quantity, Str, Time};
use super::Shape::{Opt, Ptr, Rep, Req};
use super::{LABEL_SELECTOR, Message, OBJECT_META, f, message};

static CROSS_VERSION_OBJECT_REFERENCE: Message = message(
    "CrossVersionObjectReference",
    &[
        f(1, "kind", Str, Req),
        f(2, "name", Str, Req),
        f(3, "apiVersion", Str, Opt),
    ],
);
static METRIC_TARGET: Message = message(
    "MetricTarget",
    &[
        f(1, "type", Str, Req),
        f(2, "value", Quantity, Ptr),
        f(3, "averageValue", Quantity, Ptr),
        f(4, "averageUtilization", I32, Ptr),
    ],
);
static METRIC_VALUE_STATUS: Message = message(
    "MetricValueStatus",
    &[
        f(1, "value", Quantity, Ptr),
        f(2, "averageValue", Quantity, Ptr),
        f(3, "averageUtilization", I32, Ptr),
    ],
);
static METRIC_IDENTIFIER: Message = message(
    "MetricIdentifier",
    &[
        f(1, "name", Str, Req),
        f(2, "selector", Msg(&LABEL_SELECTOR), Ptr),
    ],
);
static RESOURCE_METRIC_SOURCE: Message = message(
    "ResourceMetricSource",
    &[
        f(1, "name", Str, Req),
        f(2, "target", Msg(&METRIC_TARGET), Opt),
    ],
);
static CONTAINER_RESOURCE_METRIC_SOURCE: Message = message(
    "ContainerResourceMetricSource",
    &[
        f(1, "name", Str, Req),
        f(2, "target", Msg(&METRIC_TARGET), Opt),
        f(3, "container", Str, Req),
    ],
);
static OBJECT_METRIC_SOURCE: Message = message(
    "ObjectMetricSource",
    &[
        f(
            1,
            "describedObject",
            Msg(&CROSS_VERSION_OBJECT_REFERENCE),
            Opt,
        ),
        f(2, "target", Msg(&METRIC_TARGET), Opt),
        f(3, "metric", Msg(&METRIC_IDENTIFIER), Opt),
    ],
);
static PODS_METRIC_SOURCE: Message = message(
    "PodsMetricSource",
    &[
        f(1, "metric", Msg(&METRIC_IDENTIFIER), Opt),
        f(2, "target", Msg(&METRIC_TARGET), Opt),
    ],
);
static EXTERNAL_METRIC_SOURCE: Message = message(
    "ExternalMetricSource",
    &[
        f(1, "metric", Msg(&METRIC_IDENTIFIER), Opt),
        f(2, "target", Msg(&METRIC_TARGET), Opt),
    ],
);
static METRIC_SPEC: Message = message(
    "MetricSpec",
    &[
        f(1, "type", Str, Req),
        f(2, "object", Msg(&OBJECT_METRIC_SOURCE), Ptr),
        f(3, "pods", Msg(&PODS_METRIC_SOURCE), Ptr),
        f(4, "resource", Msg(&RESOURCE_METRIC_SOURCE), Ptr),
        f(5, "external", Msg(&EXTERNAL_METRIC_SOURCE), Ptr),
        f(
            7,
            "containerResource",
            Msg(&CONTAINER_RESOURCE_METRIC_SOURCE),
            Ptr,
        ),
    ],
);
static RESOURCE_METRIC_STATUS: Message = message(
    "ResourceMetricStatus",
    &[
        f(1, "name", Str, Req),
        f(2, "current", Msg(&METRIC_VALUE_STATUS), Opt),
    ],
);
static METRIC_STATUS: Message = message(
    "MetricStatus",
    &[
        f(1, "type", Str, Req),
        f(4, "resource", Msg(&RESOURCE_METRIC_STATUS), Ptr),
    ],
);
static HPA_SCALING_POLICY: Message = message(
    "HPAScalingPolicy",
    &[
        f(1, "type", Str, Req),
        f(2, "value", I32, Req),
        f(3, "periodSeconds", I32, Req),
    ],
);
static HPA_SCALING_RULES: Message = message(
    "HPAScalingRules",
    &[
        f(1, "selectPolicy", Str, Ptr),
        f(2, "policies", Msg(&HPA_SCALING_POLICY), Rep),
        f(3, "stabilizationWindowSeconds", I32, Ptr),
        f(4, "tolerance", Quantity, Ptr),
    ],
);
static BEHAVIOR: Message = message(
    "HorizontalPodAutoscalerBehavior",
    &[
        f(1, "scaleUp", Msg(&HPA_SCALING_RULES), Ptr),
        f(2, "scaleDown", Msg(&HPA_SCALING_RULES), Ptr),
    ],
);
static SPEC: Message = message(
    "HorizontalPodAutoscalerSpec",
    &[
        f(
            1,
            "scaleTargetRef",
            Msg(&CROSS_VERSION_OBJECT_REFERENCE),
            Opt,
        ),
        f(2, "minReplicas", I32, Ptr),
        f(3, "maxReplicas", I32, Req),
        f(4, "metrics", Msg(&METRIC_SPEC), Rep),
        f(5, "behavior", Msg(&BEHAVIOR), Ptr),
    ],
);
static CONDITION: Message = message(
    "HorizontalPodAutoscalerCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(3, "lastTransitionTime", Time, Opt),
        f(4, "reason", Str, Opt),
        f(5, "message", Str, Opt),
    ],
);
static STATUS: Message = message(
    "HorizontalPodAutoscalerStatus",
    &[
        f(1, "observedGeneration", I64, Ptr),
        f(2, "lastScaleTime", Time, Ptr),
        f(3, "currentReplicas", I32, Opt),
        f(4, "desiredReplicas", I32, Req),
        f(5, "currentMetrics", Msg(&METRIC_STATUS), Rep),
        f(6, "conditions", Msg(&CONDITION), Rep),
    ],
);
pub(super) static HORIZONTAL_POD_AUTOSCALER: Message = message(
    "HorizontalPodAutoscaler",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&SPEC), Opt),
        f(3, "status", Msg(&STATUS), Opt),
    ],
);
