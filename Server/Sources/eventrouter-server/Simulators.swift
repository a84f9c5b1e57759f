import EventBus

/// The simulated AWS services served next to EventBridge and SQS. Each attached service's
/// operations are reachable at once through the generic dispatch (`AWSService`): Batch over
/// REST-JSON (`/v1/<operation>`), EMR over JSON 1.1 (`ElasticMapReduce.<Op>`), ELBv2 over the query
/// protocol. A service that is not attached answers AWS's error for an unknown operation.
///
/// Attach one line per simulator here, e.g. `router.attach(BatchSimulator(events: router, clock: router.clock))`.
func attachSimulators(to router: Router) {
    // router.attach(BatchSimulator(...))   // service "batch"
    // router.attach(EMRSimulator(...))     // service "emr"
    // router.attach(ELBSimulator(...))     // service "elbv2"
}
