import EventSchedule
import Synchronization

/// Where the router's time comes from. Tests and simulations use `ManualClock`, services the
/// system clock.
public protocol RouterClock: AnyObject, Sendable {
    /// The current instant (whole seconds, UTC).
    func now() -> Instant
    /// Whether time only moves when the program moves it (`ManualClock`): the router then
    /// delivers only from `advance(by:)` / `runUntilIdle()`, never in the background.
    var isManual: Bool { get }
}

/// A clock that moves only when told to: `advance(by:)` and `set(_:)`. Tests never sleep.
///
/// ```swift
/// let clock = ManualClock(start: try Instant(iso8601: "2025-01-01T00:00:00Z"))
/// clock.advance(by: 90)
/// clock.now().iso8601   // "2025-01-01T00:01:30Z"
/// ```
public final class ManualClock: RouterClock {
    private let current: Mutex<Instant>

    public init(start: Instant = Instant(secondsSince1970: 1_735_689_600)) {
        current = Mutex(start)
    }

    public func now() -> Instant { current.withLock { $0 } }

    public var isManual: Bool { true }

    /// Moves the clock forward (negative values are ignored: time never goes back).
    public func advance(by seconds: Int64) {
        guard seconds > 0 else { return }
        current.withLock { $0 = Instant(secondsSince1970: $0.secondsSince1970 &+ seconds) }
    }

    /// Sets the clock to `instant` if that is later than now.
    public func set(_ instant: Instant) {
        current.withLock { if instant > $0 { $0 = instant } }
    }
}

/// The wall clock.
public final class SystemClock: RouterClock {
    private let read: @Sendable () -> Int64

    /// - Parameter secondsSince1970: reads the wall clock (the caller supplies it so that this module
    ///   needs no Foundation; `EventBus` passes `Date().timeIntervalSince1970`).
    public init(secondsSince1970: @escaping @Sendable () -> Int64) {
        read = secondsSince1970
    }

    public func now() -> Instant { Instant(secondsSince1970: read()) }

    public var isManual: Bool { false }
}
