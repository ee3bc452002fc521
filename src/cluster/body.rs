//! An answer's body read frame by frame, as its bytes arrive (kube's own readers gather a whole
//! answer, or parse it line by line, before handing anything on).

/// The bytes of an answer's body that arrived together.
pub type Chunk = <kube::client::Body as http_body::Body>::Data;

/// What an answer's body is read in.
pub type Frame = http_body::Frame<Chunk>;

/// The next frame of an answer's body; None once it has ended.
pub async fn next_frame(body: &mut kube::client::Body) -> Option<Result<Frame, kube::Error>> {
    std::future::poll_fn(|cx| http_body::Body::poll_frame(std::pin::Pin::new(&mut *body), cx)).await
}
