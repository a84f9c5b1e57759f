/// Successive fire times of a schedule, strictly increasing, starting strictly after a given
/// instant. Both a `Sequence` and its own iterator; it ends when the schedule never fires again.
///
/// ```swift
/// let cron = try CronExpression(parsing: "cron(0 8 1 * ? *)")
/// for t in cron.fireTimes(after: try Instant(iso8601: "2025-01-30T22:47:30Z")).prefix(2) {
///     print(t)   // 2025-02-01T08:00:00Z, then 2025-03-01T08:00:00Z
/// }
/// ```
///
/// - Complexity: each element costs one call of the schedule's `next(after:)`.
public struct FireTimes: Sequence, IteratorProtocol, Sendable {
    private let step: @Sendable (Instant) -> Instant?
    private var cursor: Instant?

    /// A sequence that yields `step(after)`, `step(step(after))`, … until `step` returns nil or
    /// stops increasing.
    public init(after instant: Instant, step: @escaping @Sendable (Instant) -> Instant?) {
        self.step = step
        self.cursor = instant
    }

    public mutating func next() -> Instant? {
        guard let current = cursor, let following = step(current), following > current else {
            cursor = nil
            return nil
        }
        cursor = following
        return following
    }
}
