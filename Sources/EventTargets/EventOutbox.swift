import Synchronization

/// Publishes a simulated service's events in the order its state produced them, without holding the state
/// lock while the sink runs.
///
/// Events are appended while the state lock is held (so the outbox order is the transition
/// order); `flush` runs after it is released. One thread at a time publishes: a thread that finds
/// another one publishing leaves its events to it, and a sink that calls back into the simulator
/// on the same thread (a synchronous rule target) only queues more events for the frame already
/// publishing. Without this, two threads driving the simulator (a live router's dispatcher and an
/// API caller) could publish a later batch of a job's transitions before an earlier one.
public final class EventOutbox<Event: Sendable>: Sendable {
    private struct Queue: ~Copyable {
        var events: [Event] = []
        var publishing = false
    }

    private let queue = Mutex(Queue())

    public init() {}

    /// Queues events; call while holding the simulator's state lock.
    public func append(_ events: [Event]) {
        guard !events.isEmpty else { return }
        queue.withLock { $0.events.append(contentsOf: events) }
    }

    /// Publishes everything queued, in order, unless another frame is already publishing (it then
    /// publishes these too). Call after releasing the simulator's state lock.
    public func flush(_ publish: (Event) -> Void) {
        var batch = queue.withLock { (queue: inout Queue) -> [Event] in
            guard !queue.publishing, !queue.events.isEmpty else { return [] }
            queue.publishing = true
            defer { queue.events = [] }
            return queue.events
        }
        while !batch.isEmpty {
            for event in batch { publish(event) }
            batch = queue.withLock { (queue: inout Queue) -> [Event] in
                guard !queue.events.isEmpty else {
                    queue.publishing = false
                    return []
                }
                defer { queue.events = [] }
                return queue.events
            }
        }
    }
}
