import EventBus
import SimulatedServices

/// The simulated AWS services served next to EventBridge and SQS: Batch over REST-JSON
/// (`/v1/<operation>`), EMR over JSON 1.1 (`ElasticMapReduce.<Op>`), ELBv2 over the query protocol.
/// Each attached service's operations are reachable through the generic dispatch (`AWSService`).
func attachSimulators(to router: Router) {
    router.attachSimulators(seed: router.configuration.seed ?? 1)
}
