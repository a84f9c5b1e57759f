import CEventRouter
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import SimulatedServices
import Synchronization

/// The latest time the C API lets a clock reach: 9999-12-31T23:59:59Z.
let latestTime: Int64 = 253_402_300_799

/// Whether an `evr_router` handle was freed. Shared by the handle's box and every C function
/// target, because the router itself may outlive the box for a moment (a background dispatcher on
/// the system clock holds it while it delivers).
final class RouterLifetime: Sendable {
    let closed = Atomic<Bool>(false)
}

/// What an `evr_router` handle stands for.
final class RouterBox: @unchecked Sendable {
    let router: Router
    let manualClock: ManualClock?
    /// Set by `evr_router_free`: function callbacks are not called any more.
    let lifetime = RouterLifetime()

    init(router: Router, manualClock: ManualClock?) {
        self.router = router
        self.manualClock = manualClock
    }
}

/// A C function target: the callback and its payload (the caller vouches for its thread safety).
struct CFunctionTarget: @unchecked Sendable {
    let fn: evr_function_fn
    let payload: UnsafeMutableRawPointer?
    let lifetime: RouterLifetime

    func deliver(_ request: DeliveryRequest) -> DeliveryResult {
        if lifetime.closed.load(ordering: .acquiring) {
            return .failed(code: "NO_RESOURCE", message: "the router was freed", retriable: false)
        }
        // All strings in one buffer, each NUL-terminated; the struct points into it.
        let fields = [request.targetArn, request.targetID, request.ruleArn, request.input.text, request.event.jsonText,
                      request.account, request.region]
        var storage: [UInt8] = []
        var offsets: [(Int, Int)] = []
        for field in fields {
            offsets.append((storage.count, field.utf8.count))
            storage.append(contentsOf: field.utf8)
            storage.append(0)
        }
        var failure = evr_delivery_failure()
        withUnsafeMutableBytes(of: &failure.code) { copyTruncated("TARGET_ERROR", into: $0) }
        withUnsafeMutableBytes(of: &failure.message) { copyTruncated("", into: $0) }
        failure.retriable = 1
        let status: Int32 = storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            func field(_ index: Int) -> UnsafePointer<CChar> { base + offsets[index].0 }
            var delivery = evr_delivery(
                target_arn: field(0), target_arn_len: offsets[0].1,
                target_id: field(1), target_id_len: offsets[1].1,
                rule_arn: field(2), rule_arn_len: offsets[2].1,
                input: field(3), input_len: offsets[3].1,
                event: field(4), event_len: offsets[4].1,
                account: field(5), account_len: offsets[5].1,
                region: field(6), region_len: offsets[6].1,
                time: request.time.secondsSince1970,
                attempt: Int32(clamping: request.attempt))
            return withUnsafePointer(to: &delivery) { fn($0, &failure, payload) }
        }
        if status == 0 { return .delivered }
        let code = withUnsafeBytes(of: &failure.code) { readFixed($0) }
        let message = withUnsafeBytes(of: &failure.message) { readFixed($0) }
        return .failed(code: code.isEmpty ? "TARGET_ERROR" : code, message: message, retriable: failure.retriable != 0)
    }
}

extension Failure {
    init(_ error: APIError) {
        let status: evr_status
        switch error.code {
        case "ResourceNotFoundException", "AWS.SimpleQueueService.NonExistentQueue": status = EVR_E_NOT_FOUND
        case "ResourceAlreadyExistsException": status = EVR_E_ALREADY_EXISTS
        case "ValidationException", "InvalidParameterValue", "SerializationException": status = EVR_E_VALIDATION
        case "InvalidEventPatternException": status = EVR_E_PATTERN
        case "LimitExceededException": status = EVR_E_LIMIT
        default: status = EVR_E_API
        }
        self.init(status, error.code, error.message)
    }
}

// MARK: - Exports

@c @implementation
public func evr_router_new(_ out: UnsafeMutablePointer<OpaquePointer?>?, _ options: UnsafePointer<evr_router_options>?,
                           _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        guard let out else { throw .argument("out is NULL") }
        out.pointee = nil
        var configuration = Router.Configuration()
        var start: Int64 = 1_735_689_600   // 2025-01-01T00:00:00Z
        var system = false
        if let options {
            let o = options.pointee
            guard o.version == UInt32(EVR_ROUTER_OPTIONS_VERSION) else {
                throw .argument("options.version is \(o.version); this library knows version \(EVR_ROUTER_OPTIONS_VERSION)")
            }
            switch o.clock {
            case EVR_CLOCK_MANUAL: system = false
            case EVR_CLOCK_SYSTEM: system = true
            default: throw .argument("options.clock \(o.clock.rawValue) is not an evr_clock")
            }
            if o.start_time != 0 {
                guard o.start_time >= 0, o.start_time <= latestTime else {
                    throw .argument("options.start_time \(o.start_time) is outside 1970-01-01 ... 9999-12-31")
                }
                start = o.start_time
            }
            if o.use_seed != 0 { configuration.seed = o.seed }
            configuration.strictMissingBus = o.strict_missing_bus != 0
        }
        let box: RouterBox
        if system {
            box = RouterBox(router: Router.live(configuration: configuration), manualClock: nil)
        } else {
            let clock = ManualClock(start: Instant(secondsSince1970: start))
            box = RouterBox(router: Router(clock: clock, configuration: configuration), manualClock: clock)
        }
        // Batch, EMR and ELBv2 simulators join every router: `evr_router_call` reaches them as the
        // services "batch", "emr" and "elbv2", and their ARNs are rule targets.
        box.router.attachSimulators(seed: configuration.seed ?? 1)
        out.pointee = HandleTable.shared.register(box, kind: .router)
    }
}

@c @implementation
public func evr_router_free(_ router: OpaquePointer?) {
    guard let object = HandleTable.shared.remove(router, kind: .router) else { return }
    unsafeDowncast(object, to: RouterBox.self).lifetime.closed.store(true, ordering: .releasing)
}

@c @implementation
public func evr_router_call(_ outResponse: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?,
                            _ router: OpaquePointer?,
                            _ service: UnsafePointer<CChar>?, _ serviceLength: Int,
                            _ operation: UnsafePointer<CChar>?, _ operationLength: Int,
                            _ account: UnsafePointer<CChar>?, _ accountLength: Int,
                            _ region: UnsafePointer<CChar>?, _ regionLength: Int,
                            _ params: UnsafePointer<CChar>?, _ paramsLength: Int,
                            _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    outResponse?.pointee = nil
    return boundary(err) { () throws(Failure) in
        let box = try HandleTable.shared.lookup(router, kind: .router, as: RouterBox.self, "router")
        let serviceName = try inputString(service, serviceLength, "service")
        let operationName = try inputString(operation, operationLength, "operation")
        let accountID = try optionalString(account, accountLength, "account", default: "123456789012")
        let regionName = try optionalString(region, regionLength, "region", default: "us-east-1")
        var value = JSONValue.object(JSONObject())
        if params != nil {
            let bytes = try inputBytes(params, paramsLength, "params")
            try checkUTF8(bytes, "params")
            do throws(JSONError) { value = try JSONReader().parse(bytes) } catch { throw Failure(error, what: "params") }
        }
        let response: JSONValue
        do throws(APIError) {
            response = try box.router.call(service: serviceName, operation: operationName, account: accountID,
                                           region: regionName, params: value)
        } catch {
            throw Failure(error)
        }
        if box.manualClock != nil { box.router.runUntilIdle() }
        try returnString(response.jsonText, outResponse, outLength)
    }
}

@c @implementation
public func evr_router_create_function(_ outArn: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?,
                                       _ router: OpaquePointer?,
                                       _ account: UnsafePointer<CChar>?, _ accountLength: Int,
                                       _ region: UnsafePointer<CChar>?, _ regionLength: Int,
                                       _ name: UnsafePointer<CChar>?, _ nameLength: Int,
                                       _ fn: evr_function_fn?, _ payload: UnsafeMutableRawPointer?,
                                       _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    outArn?.pointee = nil
    return boundary(err) { () throws(Failure) in
        let box = try HandleTable.shared.lookup(router, kind: .router, as: RouterBox.self, "router")
        let accountID = try optionalString(account, accountLength, "account", default: "123456789012")
        let regionName = try optionalString(region, regionLength, "region", default: "us-east-1")
        let functionName = try inputString(name, nameLength, "name")
        guard !functionName.isEmpty else { throw .argument("name is empty") }
        guard let fn else { throw .argument("fn is NULL") }
        let target = CFunctionTarget(fn: fn, payload: payload, lifetime: box.lifetime)
        let arn: String
        do throws(APIError) {
            arn = try box.router.createFunction(account: accountID, region: regionName, name: functionName) { request in
                target.deliver(request)
            }
        } catch {
            throw Failure(error)
        }
        try returnString(arn, outArn, outLength)
    }
}

@c @implementation
public func evr_router_advance(_ outAttempts: UnsafeMutablePointer<Int>?, _ router: OpaquePointer?, _ seconds: Int64,
                               _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        let box = try HandleTable.shared.lookup(router, kind: .router, as: RouterBox.self, "router")
        guard let clock = box.manualClock else { throw .argument("the router runs on the system clock; only a manual clock can be advanced") }
        guard seconds >= 0 else { throw .argument("seconds is negative (\(seconds)): time never goes back") }
        guard seconds <= latestTime - clock.now().secondsSince1970 else {
            throw .argument("advancing by \(seconds) s would pass 9999-12-31T23:59:59Z")
        }
        let attempts = box.router.advance(by: seconds)
        outAttempts?.pointee = attempts
    }
}

@c @implementation
public func evr_router_run_until_idle(_ outAttempts: UnsafeMutablePointer<Int>?, _ router: OpaquePointer?,
                                      _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        let box = try HandleTable.shared.lookup(router, kind: .router, as: RouterBox.self, "router")
        let attempts = box.router.runUntilIdle()
        outAttempts?.pointee = attempts
    }
}

@c @implementation
public func evr_router_now(_ outTime: UnsafeMutablePointer<Int64>?, _ router: OpaquePointer?,
                           _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        guard let outTime else { throw .argument("out_time is NULL") }
        let box = try HandleTable.shared.lookup(router, kind: .router, as: RouterBox.self, "router")
        outTime.pointee = box.router.clock.now().secondsSince1970
    }
}
