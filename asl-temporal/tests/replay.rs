//! Histories recorded on a Temporal server (committed under `tests/histories/`) replay with
//! the SDK's replayer, without a server; a changed definition is reported nondeterministic.

mod support;

#[tokio::test]
async fn recorded_histories_replay_without_a_server() {
    let history = include_bytes!("histories/fulfilment.json");
    support::replays(history).await;
}
