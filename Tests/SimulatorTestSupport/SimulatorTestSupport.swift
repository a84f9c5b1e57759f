import EventBus
import EventPatterns
import EventTargets
import Foundation
import Synchronization
import XCTest

// Shared by the simulators' test targets: hostile parameter values, a slow event sink, and the
// check that each resource's events arrive in transition order.

/// Values that replace a valid parameter in the brute-force tests: wrong types, signs, zero, huge
/// and non-finite numbers, integers beyond 2^53, empty and 100 KB strings, nulls, nested and long
/// lists, deep structures.
public enum Mutations {
    public static let deep: JSONValue = {
        var value = JSONValue.array([])
        for _ in 0..<200 { value = .members([("a", value)]) }
        return value
    }()

    public static let values: [JSONValue] = [
        .null, .bool(true), .bool(false),
        .number(JSONNumber(-1)), .number(JSONNumber(0)), .number(JSONNumber(0.5)), .number(JSONNumber(-0.0)),
        .number(JSONNumber(1e300)), .number(JSONNumber(-1e300)), .number(JSONNumber(9e14)), .number(JSONNumber(9e15)), .number(JSONNumber(9.3e18)),
        .number(JSONNumber(text: "9007199254740993", value: 9_007_199_254_740_992)),
        .number(JSONNumber(text: "NaN", value: .nan)), .number(JSONNumber(text: "1e999", value: .infinity)),
        .string(""), .string("-1"), .string("9223372036854775807"), .string("1e300"), .string("Ref::Ref::"),
        .string(String(repeating: "a", count: 100_000)),
        .array([]), .array([.array([.array([.null])])]), .array(Array(repeating: .string("x"), count: 10_000)),
        .object(JSONObject()), deep,
    ]

    /// Every variant of `value` with one position (member or element, down to `depth` levels)
    /// replaced by one of `values` (default: `Mutations.values`) or, for a member, removed.
    public static func variants(of value: JSONValue, values: [JSONValue] = Mutations.values, depth: Int = 4) -> [JSONValue] {
        guard depth > 0 else { return [] }
        var result: [JSONValue] = []
        switch value {
        case .object(let object):
            for (position, member) in object.members.enumerated() {
                func replaced(_ new: JSONValue?) -> JSONValue {
                    var members = object.members
                    if let new { members[position].value = new } else { members.remove(at: position) }
                    return .object(JSONObject(members))
                }
                result.append(replaced(nil))
                for mutation in values { result.append(replaced(mutation)) }
                for nested in variants(of: member.value, values: values, depth: depth - 1) { result.append(replaced(nested)) }
            }
        case .array(let items):
            for (position, item) in items.enumerated() {
                func replaced(_ new: JSONValue) -> JSONValue {
                    var copy = items
                    copy[position] = new
                    return .array(copy)
                }
                for mutation in values { result.append(replaced(mutation)) }
                for nested in variants(of: item, values: values, depth: depth - 1) { result.append(replaced(nested)) }
            }
        default:
            break
        }
        return result
    }
}

/// Calls one operation and accepts only a result or an AWS-shaped `APIError` (a code and one of
/// `statuses`); anything else fails the test. A trap would end the test run.
public func expectResultOrAWSError(_ router: Router, service: String, operation: String, params: JSONValue,
                                   account: String = "123456789012", region: String = "us-east-1", statuses: Set<Int> = [400],
                                   file: StaticString = #filePath, line: UInt = #line) {
    do throws(APIError) {
        _ = try router.call(service: service, operation: operation, account: account, region: region, params: params)
    } catch {
        XCTAssertFalse(error.code.isEmpty, file: file, line: line)
        XCTAssertTrue(statuses.contains(error.httpStatus), "\(operation): \(error)", file: file, line: line)
    }
}

/// The `APIError` of a call that must fail. A success, or any other error, fails the test (and
/// gives nil).
public func expectAPIError(_ operation: String, file: StaticString = #filePath, line: UInt = #line,
                           _ call: () throws -> JSONValue) -> APIError? {
    do {
        let response = try call()
        XCTFail("\(operation) succeeded: \(response.jsonText)", file: file, line: line)
        return nil
    } catch let error as APIError {
        return error
    } catch {
        XCTFail("\(operation): unexpected \(error)", file: file, line: line)
        return nil
    }
}

/// A sink that takes its time, so that concurrent publishers overlap.
public final class SlowSink: ServiceEventSink {
    private let recorded = Mutex<[JSONValue]>([])
    public var details: [JSONValue] { recorded.withLock { $0 } }

    public init() {}

    public func putServiceEvent(account: String, region: String, source: String, detailType: String, detail: JSONValue, resources: [String]) -> String {
        usleep(200)
        recorded.withLock { $0.append(detail) }
        return ""
    }
}

/// Walks event details in arrival order: per resource (`detail[idKey]`), each state
/// (`detail[stateKey]`) must come later in `order` than the one before. Returns the inversions
/// found and each resource's last state (its index in `order`).
public func transitionOrder(of details: [JSONValue], idKey: String, stateKey: String, order: [String]) -> (inversions: [String], last: [String: Int]) {
    var last: [String: Int] = [:]
    var inversions: [String] = []
    for detail in details {
        guard case .string(let id)? = detail[idKey], case .string(let state)? = detail[stateKey],
              let rank = order.firstIndex(of: state) else { continue }
        if let previous = last[id], previous >= rank { inversions.append("\(id): \(order[previous]) then \(state)") }
        last[id] = rank
    }
    return (inversions, last)
}
