//! `certificates.k8s.io/v1`: the CertificateSigningRequest kubectl's typed client sends
//! (`kubectl certificate approve` and `deny` put it to `/approval`). Field numbers and JSON
//! names from the Go types' `protobuf` and `json` tags in `k8s.io/api/certificates/v1`. The
//! requestor's `extra` (a map of string lists) is left out: the simulator's users have none,
//! and the API server sets it from the request, whatever the body says.

use super::Kind::{Bytes, I32, Msg, Str, Time};
use super::Shape::{Opt, Ptr, Rep, Req};
use super::{Message, OBJECT_META, f, message};

static SPEC: Message = message(
    "CertificateSigningRequestSpec",
    &[
        f(1, "request", Bytes, Req),
        f(2, "username", Str, Opt),
        f(3, "uid", Str, Opt),
        f(4, "groups", Str, Rep),
        f(5, "usages", Str, Rep),
        f(7, "signerName", Str, Req),
        f(8, "expirationSeconds", I32, Ptr),
    ],
);
static CONDITION: Message = message(
    "CertificateSigningRequestCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "reason", Str, Opt),
        f(3, "message", Str, Opt),
        f(4, "lastUpdateTime", Time, Opt),
        f(5, "lastTransitionTime", Time, Opt),
        f(6, "status", Str, Req),
    ],
);
static STATUS: Message = message(
    "CertificateSigningRequestStatus",
    &[
        f(1, "conditions", Msg(&CONDITION), Rep),
        f(2, "certificate", Bytes, Opt),
    ],
);
pub(super) static CERTIFICATE_SIGNING_REQUEST: Message = message(
    "CertificateSigningRequest",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&SPEC), Opt),
        f(3, "status", Msg(&STATUS), Opt),
    ],
);
