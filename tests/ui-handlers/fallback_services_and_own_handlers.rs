// A provider of services and the user's own handler together fill every Task state.
asl_runtime::asl!("../fixtures/services.asl.json");

struct Dynamo;

impl asl_runtime::integration::Services for Dynamo {
    fn handler(&self, _resource: &str) -> Option<asl_runtime::BoxHandler> {
        None
    }
}

impl asl_runtime::integration::Serves<asl_runtime::integration::service::DynamoDb> for Dynamo {
    type Slot<H> = asl_runtime::handler::Set;
}

fn main() {
    use asl_runtime::integration::WithServices;
    let _machine = Services::builder()
        .with_services(Dynamo)
        .crawl(|job: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(job) })
        .build();
}
