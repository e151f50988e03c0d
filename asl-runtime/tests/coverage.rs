//! Which Choice branch, Retrier and Catcher an execution took, and the coverage of a
//! definition by a suite of executions.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use asl_runtime::coverage::{Report, Uncovered};
use asl_runtime::trace::Branch;
use asl_runtime::{ExecutionConfig, Failure, HistoryLevel, Machine, Status};
use serde_json::{Value, json};

asl_runtime::asl!(path = "tests/coverage/triage.asl.json", name = Triage);

/// The triage machine; the refund service answers `Busy` to the first call of a ticket whose
/// `busy` is set, and fails for good on a ticket whose `broken` is set.
fn triage() -> Machine {
    let calls = Arc::new(AtomicUsize::new(0));
    Triage::builder()
        .refund(move |ticket: Value| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if ticket["broken"] == json!(true) {
                    return Err(Failure::new("PaymentDeclined", "the card was declined"));
                }
                if ticket["busy"] == json!(true) && call == 0 {
                    return Err(Failure::new("Busy", "try again"));
                }
                Ok(json!({"refunded": true}))
            }
        })
        .build()
}

#[tokio::test(start_paused = true)]
async fn an_outcome_names_the_branch_retrier_and_catcher_taken() {
    let busy = triage().run(json!({"kind": "refund", "busy": true})).await;
    assert_eq!(busy.status, Status::Succeeded);
    assert_eq!(busy.branches("Classify"), [Branch::Rule(0)]);
    assert_eq!(busy.retriers("Refund"), [0]);
    assert!(busy.catchers("Refund").is_empty());
    busy.assert_path(&["Classify", "Refund", "Done"]);

    let broken = triage()
        .run(json!({"kind": "refund", "broken": true}))
        .await;
    assert_eq!(broken.catchers("Refund"), [0]);
    assert!(broken.retriers("Refund").is_empty());
    broken.assert_path(&["Classify", "Refund", "Escalate", "Done"]);

    let other = triage().run(json!({"kind": "praise"})).await;
    assert_eq!(other.branches("Classify"), [Branch::Default]);
    assert_eq!(
        other.output,
        Some(json!({"kind": "praise", "reply": "escalated"}))
    );
}

#[tokio::test(start_paused = true)]
async fn decisions_are_not_traced_without_a_history() {
    let machine = triage();
    let mut config = ExecutionConfig::new("Triage", "quiet");
    config.history = HistoryLevel::Off;
    let outcome = machine.run_with(json!({"kind": "question"}), &config).await;
    assert_eq!(outcome.status, Status::Succeeded);
    assert!(outcome.decisions.is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_suite_that_misses_one_choice_branch_reports_exactly_that_branch() {
    let machine = triage();
    let mut report = Report::of(&machine);
    for ticket in [
        json!({"kind": "refund", "busy": true}),
        json!({"kind": "refund", "broken": true}),
        json!({"kind": "question"}),
        json!({"kind": "praise"}),
    ] {
        report.record(&machine.run(ticket).await);
    }
    // No complaint: Choices[2] never matched, though its target was reached by Choices[1].
    assert_eq!(
        report.uncovered(),
        [Uncovered::Branch {
            state: "Classify".into(),
            branch: Branch::Rule(2),
            next: "Answer".into(),
        }]
    );
    assert_eq!(report.executions, 4);
    assert_eq!(
        (
            report.branches_tally().covered,
            report.branches_tally().total
        ),
        (3, 4)
    );
    assert_eq!(report.states_tally().percent(), 100.0);
    let text = report.to_string();
    assert!(
        text.contains("branch     \"Classify\" rule 3 → \"Answer\""),
        "{text}"
    );

    // Another process's report of the same definition merges; the branch is then covered.
    let mut other = Report::of(&machine);
    other.record(&machine.run(json!({"kind": "complaint"})).await);
    let json = serde_json::to_string(&other).expect("a report is JSON");
    let other: Report = serde_json::from_str(&json).expect("and reads back");
    report.merge(&other).expect("same definition");
    assert!(report.uncovered().is_empty(), "{report}");
    assert_eq!(report.executions, 5);
    assert_eq!(report.states[0].entered, 5);
}

#[tokio::test(start_paused = true)]
async fn reports_of_other_definitions_do_not_merge() {
    asl_runtime::asl!(path = "tests/mocks/poller.asl.json", name = Poller);
    let triage = Report::of(&triage());
    let poller_machine = Poller::builder()
        .poll(|_: Value| async move { Ok::<_, Failure>(json!({})) })
        .build();
    let mut poller = Report::of(&poller_machine);
    let e = poller.merge(&triage).expect_err("different definitions");
    assert!(e.to_string().contains("another definition"), "{e}");
}
