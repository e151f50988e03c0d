//! `cargo bench -p asl-bench --bench patterns`: what matching one event against a bus's rules
//! costs, for 1, 100 and 10,000 rules (each an event pattern over `source` and a numeric
//! `detail` field), the event flattened once per match. Criterion's groups `patterns/<rules>`.

use asl_server::events::bus::{Buses, Rule, Target};
use asl_server::events::pattern::Pattern;
use asl_server::events::transform::TargetInput;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

fn buses(rules: usize) -> Buses {
    let mut buses = Buses::new("us-east-1", "111111111111");
    let arn = |i: usize| buses.rule_arn("default", &format!("r{i}"));
    let made: Vec<Rule> = (0..rules)
        .map(|i| {
            let pattern = json!({"source": [format!("shop-{}", i % 50)], "detail": {"total": [{"numeric": [">", i % 100]}]}});
            Rule {
                name: format!("r{i}"),
                arn: arn(i),
                pattern: Some((pattern.to_string(), Pattern::from_value(&pattern).expect("valid"))),
                schedule: None,
                enabled: true,
                description: None,
                role_arn: None,
                targets: [(
                    "t".to_owned(),
                    Target {
                        id: "t".to_owned(),
                        arn: "arn:aws:states:us-east-1:111111111111:stateMachine:M".to_owned(),
                        input: TargetInput::Event,
                        role_arn: None,
                    },
                )]
                .into(),
            }
        })
        .collect();
    if let Some(bus) = buses.buses.get_mut("default") {
        for r in made {
            bus.rules_mut().insert(r.name.clone(), r);
        }
    }
    buses
}

fn patterns(c: &mut Criterion) {
    let event = json!({"version": "0", "id": "1", "detail-type": "OrderPlaced", "source": "shop-7",
        "account": "111111111111", "time": "2026-11-30T00:00:00Z", "region": "us-east-1",
        "resources": [], "detail": {"total": 42, "items": [{"sku": "a"}, {"sku": "b"}]}});
    let mut g = c.benchmark_group("patterns");
    for rules in [1usize, 100, 10_000] {
        let buses = buses(rules);
        let matched = buses.deliveries("default", &event).len();
        println!("{rules} rules: {matched} match the event");
        g.bench_function(format!("{rules} rules"), |b| {
            b.iter(|| black_box(buses.deliveries("default", black_box(&event))))
        });
    }
    g.finish();
}

criterion_group!(benches, patterns);
criterion_main!(benches);
