import EventPatterns
import EventSchedule

/// An error of an AWS-shaped API — a simulated service's or, as `APIError`, the router's own:
/// AWS's error code (`ClientException`, `ValidationException`, `InvalidRequestException`,
/// `TargetGroupNotFound`, …), the message, and the HTTP status AWS answers with.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var httpStatus: Int

    public init(_ code: String, _ message: String, httpStatus: Int = 400) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    public var description: String { "\(code): \(message)" }
}

/// A simulated AWS service (Batch, EMR, ELB) living next to the router.
///
/// The router gives it three things once it is attached (`Router.attach(_:)`):
/// - its operations, through the JSON entry point under `serviceName`
///   (`router.call(service: "batch", operation: "SubmitJob", …)`);
/// - time: the router calls `run(until:)` whenever it runs due work, and includes `nextWakeUp()` in
///   its own wake-up time, so under a `ManualClock` the service moves only inside
///   `runUntilIdle()` / `advance(by:)`, interleaved in time order with deliveries and schedules;
/// - rule targets: ARNs starting with one of `targetArnPrefixes(account:region:)` are delivered to
///   `deliver(_:)` (a service that is no target returns no prefixes).
///
/// A service publishes its own events through the `ServiceEventSink` it was created with. None of
/// these methods is called while the router holds its lock, so each may call back into the router.
public protocol SimulatedService: EventTarget {
    /// The service name of the JSON entry point: `batch`, `emr`, `elbv2`.
    var serviceName: String { get }
    /// ARN prefixes this service receives deliveries for (`arn:aws:batch:`), any account and region.
    var targetArnPrefixes: [String] { get }
    /// Runs one operation with AWS's parameter names; returns AWS's response shape.
    func call(operation: String, account: String, region: String, params: JSONObject) throws(ServiceError) -> JSONValue
    /// The earliest instant at which the service has work to do (nil: nothing pending).
    func nextWakeUp() -> Instant?
    /// Does all the work due at or before `now`. Returns whether anything happened (the router
    /// runs again until nothing does, so that work caused by deliveries runs at the same instant).
    @discardableResult
    func run(until now: Instant) -> Bool
}

/// Typed access to a request's parameters with AWS-shaped errors. `errorCode` is the code the
/// service uses for malformed parameters (`ClientException` for Batch, `ValidationException` for
/// EMR and ELB).
public struct ServiceParameters: Sendable {
    public let object: JSONObject
    public let errorCode: String

    public init(_ object: JSONObject, errorCode: String) {
        self.object = object
        self.errorCode = errorCode
    }

    public func error(_ message: String) -> ServiceError { ServiceError(errorCode, message) }

    public subscript(name: String) -> JSONValue? {
        switch object[name] {
        case nil, .null?: return nil
        case let value?: return value
        }
    }

    public func has(_ name: String) -> Bool { self[name] != nil }

    public func string(_ name: String) throws(ServiceError) -> String {
        guard let value = try optionalString(name) else { throw error("\(name) is required.") }
        return value
    }

    public func optionalString(_ name: String) throws(ServiceError) -> String? {
        switch self[name] {
        case nil: return nil
        case .string(let text)?: return text
        default: throw error("\(name) must be a string.")
        }
    }

    public func int(_ name: String) throws(ServiceError) -> Int {
        guard let value = try optionalInt(name) else { throw error("\(name) is required.") }
        return value
    }

    public func optionalInt(_ name: String) throws(ServiceError) -> Int? {
        switch self[name] {
        case nil: return nil
        case .number(let number)? where number.value == number.value.rounded() && abs(number.value) < 1e15:
            return Int(number.value)
        default: throw error("\(name) must be an integer.")
        }
    }

    public func optionalDouble(_ name: String) throws(ServiceError) -> Double? {
        switch self[name] {
        case nil: return nil
        case .number(let number)? where number.value.isFinite: return number.value
        default: throw error("\(name) must be a number.")
        }
    }

    public func optionalBool(_ name: String) throws(ServiceError) -> Bool? {
        switch self[name] {
        case nil: return nil
        case .bool(let flag)?: return flag
        default: throw error("\(name) must be a boolean.")
        }
    }

    /// An array parameter; absent is empty.
    public func array(_ name: String) throws(ServiceError) -> [JSONValue] {
        switch self[name] {
        case nil: return []
        case .array(let items)?: return items
        default: throw error("\(name) must be a list.")
        }
    }

    /// A list of strings; absent is empty.
    public func strings(_ name: String) throws(ServiceError) -> [String] {
        var result: [String] = []
        for item in try array(name) {
            guard case .string(let text) = item else { throw error("\(name) must be a list of strings.") }
            result.append(text)
        }
        return result
    }

    /// A nested structure, as parameters with the same error code.
    public func optionalObject(_ name: String) throws(ServiceError) -> ServiceParameters? {
        switch self[name] {
        case nil: return nil
        case .object(let nested)?: return ServiceParameters(nested, errorCode: errorCode)
        default: throw error("\(name) must be a structure.")
        }
    }

    /// A map of string to string (`parameters`, `tags`); absent is empty.
    public func stringMap(_ name: String) throws(ServiceError) -> [(key: String, value: String)] {
        guard case .object(let map)? = self[name] else {
            if self[name] == nil { return [] }
            throw error("\(name) must be a map of strings.")
        }
        var result: [(key: String, value: String)] = []
        for member in map.members {
            guard case .string(let text) = member.value else { throw error("\(name) values must be strings.") }
            result.append((member.key, text))
        }
        return result
    }

    /// The elements of a list parameter that must all be structures.
    public func objects(_ name: String) throws(ServiceError) -> [ServiceParameters] {
        var result: [ServiceParameters] = []
        for item in try array(name) {
            guard case .object(let nested) = item else { throw error("\(name) must be a list of structures.") }
            result.append(ServiceParameters(nested, errorCode: errorCode))
        }
        return result
    }
}

extension JSONValue {
    /// A JSON number from an integer.
    public static func int(_ value: Int) -> JSONValue { .number(JSONNumber(Double(value))) }
    /// A JSON number from a 64-bit integer (epoch milliseconds).
    public static func int64(_ value: Int64) -> JSONValue { .number(JSONNumber(Double(value))) }
    /// An object from members in order.
    public static func members(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(members.map { (key: $0.0, value: $0.1) }))
    }
}
