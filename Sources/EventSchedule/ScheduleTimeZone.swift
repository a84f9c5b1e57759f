import Foundation

/// The time zone a schedule's wall-clock times are read in: UTC, or an IANA zone such as
/// `America/New_York` whose offsets (and daylight-saving rules) come from the system's time-zone
/// database through Foundation's `TimeZone`.
///
/// The key operation is ``resolve(_:)``: a local date-time either exists once, exists twice (the
/// hour repeated when clocks go back), or does not exist (the hour skipped when clocks go forward).
///
/// ```swift
/// let ny = try ScheduleTimeZone(identifier: "America/New_York")
/// ny.resolve(LocalDateTime(year: 2025, month: 3, day: 9, hour: 2, minute: 30)!)   // .skipped
/// ny.resolve(LocalDateTime(year: 2025, month: 11, day: 2, hour: 1, minute: 30)!)
/// // .repeated(earlier: 2025-11-02T05:30:00Z, later: 2025-11-02T06:30:00Z)
/// ```
public struct ScheduleTimeZone: Hashable, Sendable, CustomStringConvertible {
    /// The identifier as given (`UTC` for ``utc``).
    public let identifier: String
    /// nil for UTC, which is answered without Foundation.
    private let zone: TimeZone?

    /// Coordinated Universal Time: no offset, no daylight saving (EventBridge scheduled rules).
    public static let utc = ScheduleTimeZone(identifier: "UTC", zone: nil)

    /// The longest identifier EventBridge Scheduler accepts.
    public static let maximumIdentifierLength = 50

    private init(identifier: String, zone: TimeZone?) {
        self.identifier = identifier
        self.zone = zone
    }

    /// Looks up a zone by IANA name (`Europe/Berlin`); `UTC` is always available.
    ///
    /// - Throws: ``ScheduleError`` with code ``ScheduleError/Code/unknownTimeZone`` when the name
    ///   is empty, longer than 50 characters, or not a zone of the system's time-zone database
    ///   (abbreviations such as `PST` and offsets such as `UTC+1` are refused, not guessed at).
    /// - Complexity: one time-zone database lookup.
    public init(identifier: String) throws(ScheduleError) {
        if identifier == "UTC" {
            self = .utc
            return
        }
        guard !identifier.isEmpty, identifier.utf8.count <= Self.maximumIdentifierLength else {
            throw ScheduleError(.unknownTimeZone,
                                "a time zone name must have 1-\(Self.maximumIdentifierLength) characters",
                                field: .timeZone)
        }
        // Foundation (through ICU) also answers for offsets (`UTC+1` comes back as GMT+0100) and
        // for abbreviations and ICU's legacy three-letter IDs (`BST` is Asia/Dhaka, `PST` Los
        // Angeles): neither is an IANA zone name, and guessing hours wrong is worse than refusing.
        guard !Self.notZoneNames.contains(identifier),
              let zone = TimeZone(identifier: identifier), zone.identifier == identifier else {
            throw ScheduleError(.unknownTimeZone,
                                "unknown time zone '\(identifier)' (an IANA name such as Europe/London is expected; abbreviations and UTC offsets are not zone names)",
                                field: .timeZone)
        }
        self.init(identifier: identifier, zone: zone)
    }

    /// Abbreviations Foundation resolves and ICU's legacy three-letter IDs (Java's `SHORT_IDS`),
    /// minus the few that are also tz database zones (`EST`, `MST`, `HST`, `CET`, `EET`, `WET`,
    /// `GMT`, `UTC` stay valid, with the database's meaning).
    private static let notZoneNames: Set<String> = {
        let legacy = ["ACT", "AET", "AGT", "ART", "AST", "BET", "BST", "CAT", "CNT", "CST", "CTT", "EAT", "ECT", "IET",
                      "IST", "JST", "MIT", "NET", "NST", "PLT", "PNT", "PRT", "PST", "SST", "VST"]
        let databaseZones: Set<String> = ["EST", "MST", "HST", "CET", "EET", "WET", "MET", "GMT", "UTC"]
        return Set(legacy).union(TimeZone.abbreviationDictionary.keys).subtracting(databaseZones)
    }()

    /// Seconds east of UTC in effect at `instant` (e.g. -18000 for New York in winter).
    ///
    /// - Complexity: O(1) for UTC; one Foundation lookup otherwise.
    public func secondsFromUTC(at instant: Instant) -> Int {
        guard let zone else { return 0 }
        return zone.secondsFromGMT(for: instant.date)
    }

    /// The local date-time of `instant` in this zone.
    ///
    /// - Complexity: as ``secondsFromUTC(at:)``.
    public func localDateTime(at instant: Instant) -> LocalDateTime {
        LocalDateTime(wallSeconds: instant.adding(seconds: Int64(secondsFromUTC(at: instant))).secondsSince1970)
    }

    /// How a local date-time maps to instants in this zone.
    public enum Resolution: Hashable, Sendable {
        /// The local time happens exactly once.
        case unique(Instant)
        /// The local time happens twice (clocks went back); `earlier` is on the old offset.
        case repeated(earlier: Instant, later: Instant)
        /// The local time never happens (clocks jumped over it).
        case skipped

        /// The first instant with this local time, or nil when it is skipped. Schedules fire here.
        public var first: Instant? {
            switch self {
            case .unique(let instant): return instant
            case .repeated(let earlier, _): return earlier
            case .skipped: return nil
            }
        }
    }

    /// The instants at which the wall clock in this zone reads `local`.
    ///
    /// - Complexity: O(1): at most six offset lookups.
    public func resolve(_ local: LocalDateTime) -> Resolution {
        resolve(wallSeconds: local.wallSeconds)
    }

    /// `resolve` on a wall-clock second count (seconds since 1970-01-01T00:00 read as a wall clock).
    ///
    /// An instant i shows wall time w when i + offset(i) = w. Offsets never exceed ±26 hours, so the
    /// candidate offsets are those in effect a day either side of w (read as UTC) and at w itself;
    /// each candidate is kept only if it really is the offset at the instant it implies. This
    /// assumes at most one offset change within any two days, which holds for every zone in the
    /// IANA database since 1970.
    func resolve(wallSeconds w: Int64) -> Resolution {
        // Beyond ±2⁶² seconds (±146 billion years) offsets are meaningless; answer as UTC rather
        // than risk overflow below.
        guard zone != nil, w > -(1 << 62), w < 1 << 62 else { return .unique(Instant(secondsSince1970: w)) }
        var found: [Int64] = []
        for probe in [w - Civil.secondsPerDay, w, w + Civil.secondsPerDay] {
            let offset = Int64(secondsFromUTC(at: Instant(secondsSince1970: probe)))
            let candidate = w - offset
            if !found.contains(candidate), Int64(secondsFromUTC(at: Instant(secondsSince1970: candidate))) == offset {
                found.append(candidate)
            }
        }
        found.sort()
        switch found.count {
        case 0: return .skipped
        case 1: return .unique(Instant(secondsSince1970: found[0]))
        default: return .repeated(earlier: Instant(secondsSince1970: found[0]),
                                  later: Instant(secondsSince1970: found[found.count - 1]))
        }
    }

    /// The smallest and largest offsets in effect at `instant` and `seconds` later (or earlier).
    func offsetBounds(around instant: Int64, spanning seconds: Int64) -> (min: Int64, max: Int64) {
        guard zone != nil else { return (0, 0) }
        let a = Int64(secondsFromUTC(at: Instant(secondsSince1970: instant)))
        let b = Int64(secondsFromUTC(at: Instant(secondsSince1970: instant).adding(seconds: seconds)))
        return (Swift.min(a, b), Swift.max(a, b))
    }

    /// Whether this is UTC (answered without Foundation).
    public var isUTC: Bool { zone == nil }

    public var description: String { identifier }
}
