/// EventBridge Scheduler's flexible time window: invoke at some point within a window that starts
/// at each scheduled time.
///
/// The point is pseudo-random but deterministic: a hash of the window's `seed` and the scheduled
/// instant, so the same schedule and seed always give the same invocation times (tests and replays
/// can rely on them), and different seeds spread schedules apart.
///
/// ```swift
/// let window = try FlexibleTimeWindow.flexible(maximumWindowInMinutes: 15, seed: 42)
/// let t = try Instant(iso8601: "2025-01-31T10:00:00Z")
/// window.offsetSeconds(forFireTime: t)     // the same value on every call, in 0..<900
/// ```
public struct FlexibleTimeWindow: Hashable, Sendable {
    /// The window length in minutes: 0 when off, else 1–1440.
    public let maximumWindowInMinutes: Int
    /// Seeds the pseudo-random offsets.
    public let seed: UInt64

    private init(maximumWindowInMinutes: Int, seed: UInt64) {
        self.maximumWindowInMinutes = maximumWindowInMinutes
        self.seed = seed
    }

    /// `Mode: OFF`: invoke at the scheduled time.
    public static let off = FlexibleTimeWindow(maximumWindowInMinutes: 0, seed: 0)

    /// `Mode: FLEXIBLE` with `MaximumWindowInMinutes`.
    ///
    /// - Throws: ``ScheduleError`` (``ScheduleError/Code/invalidSetting``) unless the window is 1–1440 minutes.
    public static func flexible(maximumWindowInMinutes: Int, seed: UInt64 = 0) throws(ScheduleError) -> FlexibleTimeWindow {
        guard (1...1440).contains(maximumWindowInMinutes) else {
            throw ScheduleError(.invalidSetting,
                                "MaximumWindowInMinutes must be 1-1440 (it is \(maximumWindowInMinutes))",
                                field: .flexibleTimeWindow)
        }
        return FlexibleTimeWindow(maximumWindowInMinutes: maximumWindowInMinutes, seed: seed)
    }

    /// Whether invocations happen exactly at fire times.
    public var isOff: Bool { maximumWindowInMinutes == 0 }

    /// The window length in seconds.
    public var windowSeconds: Int64 { Int64(maximumWindowInMinutes) * 60 }

    /// Whole seconds after `fireTime` at which to invoke: 0 when off, else in `0 ..< 60 × window`.
    ///
    /// - Complexity: O(1).
    public func offsetSeconds(forFireTime fireTime: Instant) -> Int64 {
        guard !isOff else { return 0 }
        // SplitMix64's output function over seed and time: cheap, well mixed, no state.
        var z = seed &+ UInt64(bitPattern: fireTime.secondsSince1970) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int64(z % UInt64(windowSeconds))
    }
}

/// One invocation of a schedule: when it was scheduled and when, within the flexible window, it runs.
public struct Invocation: Hashable, Sendable, CustomStringConvertible {
    /// The schedule's fire time.
    public let fireTime: Instant
    /// When the target is invoked: `fireTime` plus the flexible-window offset.
    public let time: Instant

    /// Pairs a fire time with its invocation time.
    public init(fireTime: Instant, time: Instant) {
        self.fireTime = fireTime
        self.time = time
    }

    public var description: String { "\(time) (scheduled \(fireTime))" }
}
