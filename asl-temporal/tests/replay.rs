//! Histories recorded on a Temporal server (committed under `tests/histories/`) replay with
//! the SDK's replayer, without a server; a changed definition is reported nondeterministic.
//! `fulfilment.json` was recorded before workflows cancelled the timers the engine gives up on
//! (the `asl-cancel-abandoned` patch), `fulfilment-cancelling.json` after: both must replay.

mod support;

#[tokio::test]
async fn a_history_recorded_before_the_cancelling_patch_replays() {
    support::replays(include_bytes!("histories/fulfilment.json")).await;
}

#[tokio::test]
async fn a_history_recorded_with_the_cancelling_patch_replays() {
    support::replays(include_bytes!("histories/fulfilment-cancelling.json")).await;
}
