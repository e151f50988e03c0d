//! (e) Photo processing: an upload event arrives, the upload is detected and described, and a
//! photo gets its proxy (a smaller copy) made; other files are left alone.

use asl_runtime::{Failure, Machine};
use serde_json::{Value, json};

asl_runtime::asl!(path = "../workflows/photo.asl.json", name = Photo);

/// The machine.
pub fn machine() -> Machine {
    Photo::builder()
        .detect_upload(|detail: Value| async move {
            let key = detail["object"]["key"].as_str().ok_or("the event names no object")?.to_owned();
            let content_type = match key.rsplit('.').next() {
                Some("jpg" | "jpeg") => "image/jpeg",
                Some("png") => "image/png",
                _ => "application/octet-stream",
            };
            Ok::<_, Failure>(json!({"bucket": detail["bucket"]["name"], "key": key, "contentType": content_type}))
        })
        .make_proxy(|request: Value| async move {
            let key = request["key"].as_str().unwrap_or_default();
            let stem = key.rsplit_once('.').map_or(key, |(s, _)| s);
            Ok::<_, Failure>(json!({"key": format!("proxies/{stem}-{}w.jpg", request["width"]), "width": request["width"]}))
        })
        .build()
}

/// An EventBridge "Object Created" event for `key`.
pub fn upload_event(key: &str) -> Value {
    json!({"detail-type": "Object Created", "source": "aws.s3", "detail": {"bucket": {"name": "photos"}, "object": {"key": key}}})
}

/// A photo and a document arrive.
pub async fn demo() {
    let machine = machine();
    for key in ["holiday/beach.jpg", "notes/todo.txt"] {
        println!("{key}:");
        crate::report(&machine.run(upload_event(key)).await);
    }
}
