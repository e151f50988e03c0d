// A provider of services fills the Task states whose service it serves; a state of another
// service still needs a handler, and the error names it.
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
    let _machine = Services::builder().with_services(Dynamo).build();
}
