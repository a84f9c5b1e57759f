import BatchSimulator
import ELBSimulator
import EMRSimulator
import EventBus

/// The simulated AWS services served next to EventBridge and SQS. Each attached service's
/// operations are reachable at once through the generic dispatch (`AWSService`): Batch over
/// REST-JSON (`/v1/<operation>`), EMR over JSON 1.1 (`ElasticMapReduce.<Op>`), ELBv2 over the query
/// protocol. A service that is not attached answers AWS's error for an unknown operation, and
/// Server/tests/test_simulators.py skips its flow.
///
/// ATTACH HERE, one line per simulator. Batch and EMR are merged and attached; the ELB line was
/// checked against the elb clone merged with the others (Server/tests/test_simulators.py: a Batch
/// job and an EMR cluster whose state-change events reach an SQS queue through a rule; ELBv2
/// target groups, load balancers, targets and listeners over the query protocol) — uncomment it
/// once the ELB simulator is merged.
func attachSimulators(to router: Router) {
    router.attach(BatchSimulator(clock: router.clock, events: router))
    router.attach(EMRSimulator(clock: router.clock, events: router))
    // router.attach(ELBSimulator(clock: router.clock, events: router))
}
