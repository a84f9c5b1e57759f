@_exported import BatchSimulator
@_exported import EMRSimulator
@_exported import ELBSimulator
import EventBus

extension Router {
    /// Attaches the AWS Batch, Amazon EMR and ELBv2 simulators with their scripted defaults, on this
    /// router's clock, publishing to this router (see Documentation/SIMULATORS.md): afterwards
    /// `call(service: "batch" | "emr" | "elbv2", …)` works and their ARNs are rule targets.
    ///
    /// - Parameter seed: seeds each simulator's ids and random choices (the same seed and calls give
    ///   the same run).
    public func attachSimulators(seed: UInt64 = 1) {
        attach(BatchSimulator(clock: clock, events: eventSink, configuration: .init(seed: seed)))
        attach(EMRSimulator(clock: clock, events: eventSink, seed: seed))
        attach(ELBSimulator(clock: clock, events: eventSink, seed: seed))
    }
}
