//! (a) The youth football training system: a Choice on `$.TraningType` (spelled as the users of
//! this workflow wrote it) picks the drills for a position; the states have Hangul names.

use asl_runtime::{Failure, Machine, TaskContext};
use serde_json::{Value, json};

asl_runtime::asl!(path = "../workflows/football.asl.json", name = Football);

/// Every drill appends its own name to `$.log`.
async fn drill(mut player: Value, ctx: TaskContext) -> Result<Value, Failure> {
    let log = player["log"].as_array().cloned().unwrap_or_default();
    let mut log = log;
    log.push(json!(&*ctx.state_name));
    player["log"] = Value::Array(log);
    Ok(player)
}

/// The machine, one handler per drill.
pub fn machine() -> Machine {
    Football::builder()
        .공격_훈련(drill)
        .패스_훈련(drill)
        .수비_훈련(drill)
        .볼_경합_훈련(drill)
        .프리킥_훈련(drill)
        .build()
}

/// Runs a player of each position, and one with an unknown position.
pub async fn demo() {
    let machine = machine();
    for position in ["공격수", "미드필더", "수비수", "골키퍼"] {
        println!("{position}:");
        crate::report(
            &machine
                .run(json!({"name": "민준", "TraningType": position}))
                .await,
        );
    }
}
