import EventBus
import EventPatterns
import Foundation

/// The server's whole request handling, independent of the HTTP library: recognises the protocol,
/// authenticates the caller with SigV4, maps the request onto `Router.call(service:operation:…)`
/// and writes the answer or error in the protocol's shapes.
///
/// | Request | Service | Router service |
/// |---|---|---|
/// | `X-Amz-Target: AWSEvents.<Op>` (JSON 1.1) | EventBridge | `events` |
/// | `X-Amz-Target: AmazonSQS.<Op>` (JSON 1.0) | SQS | `sqs` |
/// | `X-Amz-Target: ElasticMapReduce.<Op>` (JSON 1.1) | EMR | `emr` |
/// | `POST /v1/<operation lower-cased>` (REST-JSON) | Batch | `batch` |
/// | `Action=<Op>&Version=2015-12-01` (query, XML out) | ELBv2 | `elbv2` |
///
/// Safe to use from many tasks at once (the router is thread-safe; the journal has its own lock).
public final class AWSService: Sendable {
    /// Who is calling: an account and the region of the signature's scope.
    public struct Caller: Sendable, Equatable {
        public var accountID: String
        public var region: String
    }

    /// What the request log shows about one request.
    public struct LogRecord: Sendable {
        public var service: String
        public var operation: String
        public var account: String
    }

    public let router: Router
    /// Nil: no authentication (any key maps to `defaultAccount`).
    public let credentials: CredentialStore?
    public let defaultAccount: String
    public let defaultRegion: String
    /// Largest request body accepted (bytes).
    public let maximumBodySize: Int
    let journal: StateJournal?
    let now: @Sendable () -> Int64

    public static let defaultMaximumBodySize = 1 << 20

    public init(router: Router, credentials: CredentialStore?, defaultAccount: String = "000000000000", defaultRegion: String = "us-east-1",
                maximumBodySize: Int = AWSService.defaultMaximumBodySize, journal: StateJournal? = nil,
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.router = router
        self.credentials = credentials
        self.defaultAccount = defaultAccount
        self.defaultRegion = defaultRegion
        self.maximumBodySize = maximumBodySize
        self.journal = journal
        self.now = now
    }

    static let elbNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

    /// Handles one request. Never throws: every failure is an AWS-shaped error answer.
    public func handle(_ request: SignedRequest) async -> (WireResponse, LogRecord) {
        let requestID = UUID().uuidString.lowercased()
        if request.method == "GET" && (request.path == "/health" || request.path == "/_health") {
            let body = JSONValue.object(JSONObject([("status", .string("ok")), ("inFlight", .number(JSONNumber(Double(router.accounting.inFlight))))]))
            return (WireResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.jsonText.utf8)),
                    LogRecord(service: "-", operation: "health", account: "-"))
        }
        // 1. Which protocol, service and operation.
        let target: (wire: WireProtocol, service: String, operation: String, params: Result<JSONObject, WireError>)
        var log = LogRecord(service: "?", operation: "?", account: "-")
        var wire = Self.likelyProtocol(request)
        do {
            target = try recognise(request, wire: &wire)
        } catch {
            return (WireFormat.error(error, protocol: wire, service: Self.isSQS(request) ? "sqs" : "", requestID: requestID), log)
        }
        log.service = target.service
        log.operation = target.operation
        // 2. Who is calling.
        let caller: Caller
        do {
            caller = try authenticate(request)
        } catch {
            return (WireFormat.error(WireError(error.code, error.message, status: error.httpStatus), protocol: target.wire,
                                     service: target.service, requestID: requestID), log)
        }
        log.account = caller.accountID
        // 3. The parameters (read only for authenticated callers) and the operation.
        let params: JSONObject
        switch target.params {
        case .success(let object): params = object
        case .failure(let error): return (WireFormat.error(error, protocol: target.wire, service: target.service, requestID: requestID), log)
        }
        do {
            let result = try await call(service: target.service, operation: target.operation, caller: caller, params: params)
            return (WireFormat.success(result, protocol: target.wire, operation: target.operation, requestID: requestID), log)
        } catch {
            return (WireFormat.error(WireError(error.code, error.message, status: error.httpStatus), protocol: target.wire,
                                     service: target.service, requestID: requestID), log)
        }
    }

    /// The protocol a request seems to speak, from its headers and path alone (the body is not
    /// read): the shape of the errors answered before it is recognised (body too large, no operation).
    public static func likelyProtocol(_ request: SignedRequest) -> WireProtocol {
        if request.header("x-amz-target") != nil {
            return isSQS(request) || (request.header("content-type") ?? "").contains("json-1.0")
                ? .json(version: "1.0") : .json(version: "1.1")
        }
        if request.path.hasPrefix("/v1/") { return .restJSON }
        if (request.header("content-type") ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded")
            || request.query.contains("Action=") {
            return .query(namespace: elbNamespace)
        }
        return .json(version: "1.1")
    }

    static func isSQS(_ request: SignedRequest) -> Bool { request.header("x-amz-target")?.hasPrefix("AmazonSQS.") == true }

    /// The answer to a request whose body exceeds `limit` bytes, in the shape of its protocol.
    public static func bodyTooLarge(_ request: SignedRequest, limit: Int) -> WireResponse {
        WireFormat.error(WireError("RequestEntityTooLargeException", "Request body exceeds the limit of \(limit) bytes.", status: 413),
                         protocol: likelyProtocol(request), service: isSQS(request) ? "sqs" : "",
                         requestID: UUID().uuidString.lowercased())
    }

    /// The protocol, router service, operation and parameters of a request.
    func recognise(_ request: SignedRequest, wire: inout WireProtocol) throws(WireError)
        -> (wire: WireProtocol, service: String, operation: String, params: Result<JSONObject, WireError>) {
        if request.body.count > maximumBodySize {
            throw WireError("RequestEntityTooLargeException", "Request body of \(request.body.count) bytes exceeds the limit of \(maximumBodySize) bytes.",
                            status: 413)
        }
        if let targetHeader = request.header("x-amz-target") {
            let contentType = request.header("content-type") ?? ""
            wire = .json(version: contentType.contains("json-1.0") ? "1.0" : "1.1")
            guard let dot = targetHeader.lastIndex(of: ".") else {
                throw WireError("UnknownOperationException", "X-Amz-Target \(targetHeader) names no operation.")
            }
            let prefix = String(targetHeader[..<dot])
            let operation = String(targetHeader[targetHeader.index(after: dot)...])
            let service: String
            switch prefix {
            case "AWSEvents": service = "events"
            case "AmazonSQS": service = "sqs"; wire = .json(version: "1.0")
            case "ElasticMapReduce": service = "emr"
            default: throw WireError("UnknownOperationException", "Unknown service target \(prefix).")
            }
            return (wire, service, operation, Result { () throws(WireError) in try jsonParameters(request.body) })
        }
        if request.path.hasPrefix("/v1/") {
            wire = .restJSON
            let body = Result { () throws(WireError) in try jsonParameters(request.body) }
            let (operation, params) = try BatchREST.operation(method: request.method, path: request.path, query: request.query,
                                                              body: (try? body.get()) ?? JSONObject())
            return (wire, "batch", operation, body.map { _ in params })
        }
        let form: [(String, String)]
        let contentType = (request.header("content-type") ?? "").lowercased()
        if request.method == "POST" && contentType.hasPrefix("application/x-www-form-urlencoded") {
            form = QueryDecoder.pairs(String(decoding: request.body, as: UTF8.self)) + QueryDecoder.pairs(request.query)
        } else {
            form = QueryDecoder.pairs(request.query)
        }
        if let action = form.first(where: { $0.0 == "Action" })?.1 {
            wire = .query(namespace: Self.elbNamespace)
            let version = form.first(where: { $0.0 == "Version" })?.1
            guard version == nil || version == "2015-12-01" else {
                throw WireError("InvalidAction", "Version \(version ?? "") of the query protocol is not supported (only ELBv2, 2015-12-01).")
            }
            return (wire, "elbv2", action, Result { () throws(WireError) in try QueryDecoder.decode(form) })
        }
        throw WireError("UnknownOperationException", "The request names no operation (no X-Amz-Target header, /v1/ path or Action parameter).")
    }

    func jsonParameters(_ body: [UInt8]) throws(WireError) -> JSONObject {
        if body.isEmpty || body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return JSONObject() }
        let value: JSONValue
        do { value = try JSONReader.parse(body) } catch {
            throw WireError("SerializationException", "The request body is not valid JSON: \(error.message)")
        }
        guard case .object(let object) = value else { throw WireError("SerializationException", "The request body must be a JSON object.") }
        return object
    }

    /// The caller's account and region.
    /// - Throws: AWS's authentication errors (see `SigV4`).
    public func authenticate(_ request: SignedRequest) throws(SigV4.AuthError) -> Caller {
        let header = request.header("authorization")
        guard let credentials else {
            // Open mode: the scope's region if there is a parsable signature, any key.
            let region = header.flatMap { try? SigV4.parseAuthorization($0) }?.region ?? defaultRegion
            return Caller(accountID: defaultAccount, region: region)
        }
        guard let header, !header.isEmpty else {
            throw SigV4.AuthError("MissingAuthenticationTokenException", "Missing Authentication Token")
        }
        let auth = try SigV4.parseAuthorization(header)
        guard let entry = credentials.entry(for: auth.accessKeyID) else {
            throw SigV4.AuthError("UnrecognizedClientException", "The security token included in the request is invalid.")
        }
        try SigV4.checkTime(amzDate: request.header("x-amz-date"), now: now())
        // The scope's date must be the request's (else an old scope could be reused with a new time).
        let amzDate = request.header("x-amz-date") ?? ""
        guard amzDate.hasPrefix(auth.date) else {
            throw SigV4.AuthError("InvalidSignatureException",
                                  "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(auth.date)' != '\(amzDate.prefix(8))', from '\(amzDate)'.")
        }
        guard auth.signedHeaders.contains("host") else {
            throw SigV4.AuthError("IncompleteSignatureException", "The host header must be signed.")
        }
        guard SigV4.verify(request, authorization: auth, secretAccessKey: entry.secretAccessKey) else {
            throw SigV4.AuthError("InvalidSignatureException",
                                  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        }
        return Caller(accountID: entry.accountID, region: auth.region)
    }

    /// One operation on the router; SQS's long polling (`WaitTimeSeconds`) waits here.
    func call(service: String, operation: String, caller: Caller, params: JSONObject) async throws(APIError) -> JSONValue {
        if service == "sqs" && operation == "ReceiveMessage" {
            var wait = 0
            if case .number(let number)? = params["WaitTimeSeconds"] {
                // Checked as a Double first: Int(_:) traps on 1e300 (and would round 0.5 silently).
                guard number.value >= 0, number.value <= 20, number.value == number.value.rounded() else {
                    throw APIError("InvalidParameterValue", "Value \(number.text) for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.")
                }
                wait = Int(number.value)
            }
            let deadline = ContinuousClock.now + .seconds(wait)
            while true {
                let result = try router.call(service: service, operation: operation, account: caller.accountID, region: caller.region, params: .object(params))
                if case .array(let messages)? = result["Messages"], !messages.isEmpty { return result }
                if ContinuousClock.now >= deadline { return .object(JSONObject()) }
                do { try await Task.sleep(for: .milliseconds(50)) } catch { return .object(JSONObject()) }
            }
        }
        let result = try router.call(service: service, operation: operation, account: caller.accountID, region: caller.region, params: .object(params))
        journal?.record(service: service, operation: operation, account: caller.accountID, region: caller.region, params: params)
        return result
    }
}
