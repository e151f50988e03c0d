//! [`LocalFiles`]: a folder standing in for S3. `Bucket` is a subfolder, `Key` a path in it.

use std::path::{Component, Path, PathBuf};

use serde_json::{Value, json};

use super::{ItemReader, ReadItems, ReadRequest, ResultWriter, WriteRequest};
use crate::error::Failure;
use crate::task::BoxFuture;

/// Serves `ItemReader` and `ResultWriter` from a folder: `s3:getObject` with
/// `{"Bucket": "b", "Key": "k"}` reads `<root>/b/k`, `s3:listObjectsV2` with
/// `{"Bucket": "b", "Prefix": "p"}` lists the files under `<root>/b` whose key starts with `p`,
/// and results go to `<root>/<Bucket>/<Prefix>/<map run id>/` as `manifest.json`,
/// `SUCCEEDED_0.json` and `FAILED_0.json`, the files AWS writes.
#[derive(Clone, Debug)]
pub struct LocalFiles {
    root: PathBuf,
}

impl LocalFiles {
    /// Files under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalFiles { root: root.into() }
    }

    /// `<root>/<bucket>`.
    fn bucket(&self, bucket: &str) -> Result<PathBuf, String> {
        if bucket.is_empty() || bucket.contains(['/', '\\']) || bucket == "." || bucket == ".." {
            return Err(format!("'{bucket}' is not a bucket name"));
        }
        Ok(self.root.join(bucket))
    }

    /// `<root>/<bucket>/<key>`, refusing keys that climb out of the bucket.
    fn locate(&self, bucket: &str, key: &str) -> Result<PathBuf, String> {
        let relative = Path::new(key);
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(format!("'{key}' is not a key in bucket '{bucket}'"));
        }
        Ok(self.bucket(bucket)?.join(relative))
    }
}

fn field<'v>(parameters: &'v Value, name: &str) -> Result<&'v str, String> {
    parameters
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("The Parameters have no string field '{name}'"))
}

fn list(dir: &Path, base: &Path, prefix: &str, out: &mut Vec<Value>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let meta = entry.metadata()?;
        if meta.is_dir() {
            list(&path, base, prefix, out)?;
            continue;
        }
        let key = path
            .strip_prefix(base)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if key.starts_with(prefix) {
            out.push(json!({"Key": key, "Size": meta.len(), "StorageClass": "STANDARD"}));
        }
    }
    Ok(())
}

impl ItemReader for LocalFiles {
    fn read<'a>(&'a self, request: &'a ReadRequest) -> BoxFuture<'a, Result<ReadItems, Failure>> {
        let result = (|| -> Result<ReadItems, String> {
            let bucket = field(&request.parameters, "Bucket")?;
            if request.resource.ends_with(":listObjectsV2") {
                let prefix = request
                    .parameters
                    .get("Prefix")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let base = self.bucket(bucket)?;
                let mut out = Vec::new();
                list(&base, &base, prefix, &mut out).map_err(|e| e.to_string())?;
                return Ok(ReadItems::Items(out));
            }
            let key = field(&request.parameters, "Key")?;
            let path = self.locate(bucket, key)?;
            std::fs::read(&path)
                .map(ReadItems::Bytes)
                .map_err(|e| format!("{}: {e}", path.display()))
        })();
        Box::pin(std::future::ready(
            result.map_err(|e| Failure::new("States.ItemReaderFailed", e)),
        ))
    }
}

impl ResultWriter for LocalFiles {
    fn write<'a>(&'a self, request: &'a WriteRequest) -> BoxFuture<'a, Result<Value, Failure>> {
        let result = (|| -> Result<Value, String> {
            let bucket = field(&request.parameters, "Bucket")?;
            let layout = super::ResultFiles::of(request);
            for (key, text) in &layout.files {
                let path = self.locate(bucket, key)?;
                if let Some(folder) = path.parent() {
                    std::fs::create_dir_all(folder)
                        .map_err(|e| format!("{}: {e}", folder.display()))?;
                }
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            Ok(layout.result)
        })();
        Box::pin(std::future::ready(
            result.map_err(|e| Failure::new("States.ResultWriterFailed", e)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_inside_their_bucket() {
        let files = LocalFiles::new("/data");
        assert!(files.locate("b", "a/k.csv").is_ok());
        assert!(files.locate("b", "../other/k").is_err());
        assert!(files.locate("b", "/etc/passwd").is_err());
        assert!(files.locate("..", "k").is_err());
        assert!(files.locate("a/b", "k").is_err());
    }
}
