//! What the `server` and `seeds` binaries share: their arguments (`--port`, `--store`,
//! `--no-throttle`, `--routes FILE` with HTTP routes in JSON, `--mocks FILE` with Step
//! Functions Local's mock configuration, `--wait-scale F` or `--skip-waits` for the Wait
//! states and Retry back-offs), logging, and serving until Ctrl-C.

use std::process::ExitCode;

use asl_server::ServerBuilder;

/// Serves `builder`'s server as the command line asks, until Ctrl-C.
pub async fn main(builder: ServerBuilder, name: &str) -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let usage = |problem: &str| {
        eprintln!(
            "error: {problem}\nusage: {name} [--port PORT] [--store FILE] [--no-throttle] [--routes FILE] [--mocks FILE] [--wait-scale F | --skip-waits]"
        );
        ExitCode::from(2)
    };
    let mut port = 8083u16;
    let mut store = None;
    let mut throttle = asl_server::Throttle::aws();
    let mut builder = builder;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--no-throttle" {
            throttle = asl_server::Throttle::unlimited();
            continue;
        }
        if arg == "--skip-waits" {
            builder = builder.waits(asl_runtime::Waits::Skipped);
            continue;
        }
        match (arg.as_str(), args.next()) {
            ("--port", Some(p)) => match p.parse() {
                Ok(p) => port = p,
                Err(_) => return usage(&format!("--port takes a number, not '{p}'")),
            },
            ("--store", Some(path)) => store = Some(path),
            ("--routes", Some(path)) => {
                let config = std::fs::read_to_string(&path)
                    .map_err(|e| e.to_string())
                    .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
                    .and_then(|c| asl_server::Route::from_config(&c));
                match config {
                    Ok((routes, cors)) => {
                        for route in routes {
                            builder = builder.route(route);
                        }
                        let origins: Vec<&str> = cors.iter().map(String::as_str).collect();
                        if !origins.is_empty() {
                            builder = builder.cors(&origins);
                        }
                    }
                    Err(e) => return usage(&format!("{path}: {e}")),
                }
            }
            ("--mocks", Some(path)) => match asl_runtime::mock::MockConfig::from_file(&path) {
                Ok(mocks) => builder = builder.mocks(mocks),
                Err(e) => return usage(&e.to_string()),
            },
            ("--wait-scale", Some(f)) => match f.parse::<f64>() {
                Ok(f) if f.is_finite() && f >= 0.0 => {
                    builder = builder.waits(asl_runtime::Waits::scaled(f));
                }
                _ => return usage(&format!("--wait-scale takes a factor ≥ 0, not '{f}'")),
            },
            _ => return usage(&format!("unknown argument '{arg}'")),
        }
    }
    let mut builder = builder.bind(format!("127.0.0.1:{port}")).throttle(throttle);
    match &store {
        Some(path) => builder = builder.store(path),
        None => println!("no --store: executions are kept in memory only"),
    }
    let server = match builder.build().await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match server.local_addr() {
        Ok(addr) => println!("serving the Step Functions API on http://{addr}"),
        Err(e) => eprintln!("error: {e}"),
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match server.serve_until(shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
