//! AWS Signature Version 4, verified: the server recomputes the signature of each request from
//! the secret of the access key it names and compares it with the one sent, in constant time.
//! Requests signed more than 15 minutes from the server's clock are refused, as AWS refuses
//! them.

use axum::http::{HeaderMap, Method, Uri};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

type HmacSha256 = Hmac<Sha256>;

/// How far a request's signing time may be from the server's clock.
pub const MAX_SKEW: jiff::SignedDuration = jiff::SignedDuration::from_mins(15);

/// An access key the server accepts. Its secret is never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id (`AKIA...`), as clients name it.
    pub access_key_id: String,
    secret_access_key: String,
}

impl Credentials {
    /// An access key id and its secret.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .finish()
    }
}

/// What a request must carry to be verified.
pub(crate) struct Request<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

fn unrecognized() -> ApiError {
    ApiError::new(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )
}

fn mismatch() -> ApiError {
    ApiError::new(
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    )
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
/// Signature=...` header.
struct Authorization<'a> {
    access_key_id: &'a str,
    /// `date/region/service/aws4_request`.
    scope: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn authorization(header: &str) -> Option<Authorization<'_>> {
    let rest = header.strip_prefix("AWS4-HMAC-SHA256")?.trim_start();
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed = Some(value),
            "Signature" => signature = Some(value),
            _ => {}
        }
    }
    let (access_key_id, scope) = credential?.split_once('/')?;
    Some(Authorization {
        access_key_id,
        scope,
        signed_headers: signed?.split(';').collect(),
        signature: signature?,
    })
}

/// Checks the request's signature against `keys`, for `region` and `service` (`states`, or
/// `events` for EventBridge).
pub(crate) fn verify(
    request: &Request<'_>,
    keys: &[Credentials],
    region: &str,
    service: &str,
    now: jiff::Timestamp,
) -> Result<(), ApiError> {
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
    let Some(auth) = header("authorization").and_then(authorization) else {
        return Err(ApiError::new(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    let Some(key) = keys.iter().find(|k| k.access_key_id == auth.access_key_id) else {
        return Err(unrecognized());
    };
    let scope: Vec<&str> = auth.scope.split('/').collect();
    let [date, scope_region, scope_service, "aws4_request"] = scope.as_slice() else {
        return Err(ApiError::new(
            "IncompleteSignatureException",
            format!(
                "Credential should be scoped to a valid region, not '{}'.",
                auth.scope
            ),
        ));
    };
    if *scope_region != region || *scope_service != service {
        return Err(mismatch());
    }
    let Some(amz_date) = header("x-amz-date") else {
        return Err(ApiError::new(
            "IncompleteSignatureException",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ));
    };
    let signed_at = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", amz_date)
        .ok()
        .and_then(|t| t.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .ok_or_else(mismatch)?;
    if !amz_date.starts_with(date) {
        return Err(mismatch());
    }
    let skew = now.duration_since(signed_at);
    if skew.abs() > MAX_SKEW {
        return Err(ApiError::new(
            "InvalidSignatureException",
            format!(
                "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
                now.strftime("%Y%m%dT%H%M%SZ"),
                now.strftime("%Y%m%dT%H%M%SZ")
            ),
        ));
    }
    if !auth.signed_headers.contains(&"host") {
        return Err(mismatch());
    }
    let canonical = canonical_request(request, &auth.signed_headers).ok_or_else(mismatch)?;
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{}\n{}",
        auth.scope,
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let signing_key = [*date, region, service, "aws4_request"]
        .iter()
        .try_fold(
            format!("AWS4{}", key.secret_access_key).into_bytes(),
            |k, part| hmac(&k, part.as_bytes()),
        )
        .ok_or_else(mismatch)?;
    let Ok(sent) = hex::decode(auth.signature) else {
        return Err(mismatch());
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(&signing_key) else {
        return Err(mismatch());
    };
    mac.update(to_sign.as_bytes());
    // Constant time: how much of a guess was right does not show in how long it takes.
    mac.verify_slice(&sent).map_err(|_| mismatch())
}

fn hmac(key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let mut mac = HmacSha256::new_from_slice(key).ok()?;
    mac.update(data);
    Some(mac.finalize().into_bytes().to_vec())
}

/// The canonical request of SigV4: method, path, sorted query, the signed headers (lower-case
/// names, trimmed values with inner runs of spaces made one), their names, the body's SHA-256.
fn canonical_request(request: &Request<'_>, signed: &[&str]) -> Option<String> {
    let mut out = String::new();
    out.push_str(request.method.as_str());
    out.push('\n');
    out.push_str(if request.uri.path().is_empty() {
        "/"
    } else {
        request.uri.path()
    });
    out.push('\n');
    let mut query: Vec<&str> = request
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .collect();
    query.sort_unstable();
    let query: Vec<String> = query
        .iter()
        .map(|p| {
            if p.contains('=') {
                (*p).to_owned()
            } else {
                format!("{p}=")
            }
        })
        .collect();
    out.push_str(&query.join("&"));
    out.push('\n');
    for name in signed {
        let values: Vec<String> = request
            .headers
            .get_all(*name)
            .iter()
            .map(|v| {
                v.to_str()
                    .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            })
            .collect::<Result<_, _>>()
            .ok()?;
        if values.is_empty() {
            return None;
        }
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed.join(";"));
    out.push('\n');
    let payload = match request
        .headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
    {
        Some(hash) if hash != "UNSIGNED-PAYLOAD" => hash.to_owned(),
        _ => hex::encode(Sha256::digest(request.body)),
    };
    out.push_str(&payload);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request signed step by step as the SigV4 guide describes verifies; changed, late, or
    /// signed with an unknown key, it does not. (boto3 and the AWS CLI sign real requests in
    /// the API tests.)
    #[test]
    fn a_request_signed_by_the_guides_steps_verifies_and_a_changed_one_does_not() {
        let key = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let body =
            br#"{"stateMachineArn":"arn:aws:states:us-east-1:111111111111:stateMachine:Order"}"#;
        let amz_date = "20261130T120000Z";
        let mut headers = HeaderMap::new();
        headers.insert("host", "127.0.0.1:8083".parse().expect("a header"));
        headers.insert("x-amz-date", amz_date.parse().expect("a header"));
        headers.insert(
            "x-amz-target",
            "AWSStepFunctions.ListExecutions".parse().expect("a header"),
        );
        let method = Method::POST;
        let uri: Uri = "/".parse().expect("a URI");
        let signed = ["host", "x-amz-date", "x-amz-target"];
        let request = Request {
            method: &method,
            uri: &uri,
            headers: &headers,
            body,
        };
        let canonical = canonical_request(&request, &signed).expect("canonical");
        let scope = "20261130/us-east-1/states/aws4_request";
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let signing_key = ["20261130", "us-east-1", "states", "aws4_request"]
            .iter()
            .try_fold(
                b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_vec(),
                |k, p| hmac(&k, p.as_bytes()),
            )
            .expect("a key");
        let signature = hex::encode(hmac(&signing_key, to_sign.as_bytes()).expect("a mac"));
        headers.insert(
            "authorization",
            format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{scope}, SignedHeaders=host;x-amz-date;x-amz-target, Signature={signature}")
                .parse()
                .expect("a header"),
        );
        let now = "2026-11-30T12:05:00Z".parse().expect("a time");
        let check = |headers: &HeaderMap, body: &[u8], now| {
            verify(
                &Request {
                    method: &method,
                    uri: &uri,
                    headers,
                    body,
                },
                std::slice::from_ref(&key),
                "us-east-1",
                "states",
                now,
            )
        };
        assert_eq!(check(&headers, body, now), Ok(()));
        let tampered =
            br#"{"stateMachineArn":"arn:aws:states:us-east-1:111111111111:stateMachine:Other"}"#;
        assert_eq!(
            check(&headers, tampered, now).map_err(|e| e.code),
            Err("InvalidSignatureException")
        );
        let late = "2026-11-30T12:30:01Z".parse().expect("a time");
        let expired = check(&headers, body, late).expect_err("too late");
        assert!(
            expired.message.starts_with("Signature expired"),
            "{expired}"
        );
        let other_key = [Credentials::new("AKIDOTHER", "secret")];
        let unknown = verify(
            &Request {
                method: &method,
                uri: &uri,
                headers: &headers,
                body,
            },
            &other_key,
            "us-east-1",
            "states",
            now,
        );
        assert_eq!(
            unknown.map_err(|e| e.code),
            Err("UnrecognizedClientException")
        );
        assert!(
            !format!("{key:?}").contains("wJalr"),
            "secrets are not printed"
        );
    }
}
