import ArgumentParser
import EventBus
import EventRouterServer
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `eventrouter-server`: EventRouter behind AWS's wire protocols (Documentation/SERVER.md).
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventrouter-server",
        abstract: "Serve EventBridge, SQS (and the attached simulators' APIs) over AWS's wire protocols, with SigV4 authentication.")

    @Option(help: "Address to listen on. Without --credentials only a loopback address is allowed.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port; the chosen one is printed).")
    var port = 4010

    @Option(help: "JSON file: access key id → {\"secretAccessKey\", \"accountId\"}. Without it, any key is accepted as one default account.")
    var credentials: String?

    @Option(help: "Directory where configuration calls are journaled and replayed at start (buses, rules, targets, queues, permissions, archives, schedules).")
    var state: String?

    @Option(help: "Account id of every caller when running without --credentials.")
    var defaultAccount = "000000000000"

    @Option(help: "Largest request body accepted, in bytes.")
    var maxBodySize = AWSService.defaultMaximumBodySize

    @Option(help: "At shutdown, how long to wait for in-flight deliveries (seconds).")
    var drainSeconds = 10

    @Flag(help: "No request log.")
    var quiet = false

    func validate() throws {
        if credentials == nil && !Self.isLoopback(host) {
            throw ValidationError("without --credentials the server accepts any caller, so it only listens on loopback (127.0.0.1, ::1, localhost); \(host) is not")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxBodySize >= 1024 else { throw ValidationError("--max-body-size must be at least 1024") }
        guard defaultAccount.utf8.count == 12, defaultAccount.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw ValidationError("--default-account must be a 12-digit account id")
        }
        guard drainSeconds >= 0 else { throw ValidationError("--drain-seconds must not be negative") }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    func run() async throws {
        let router = Router.live()
        attachSimulators(to: router)

        var store: CredentialStore? = nil
        if let credentials {
            do { store = try CredentialStore.load(path: credentials) } catch { throw ValidationError(error.description) }
            say("eventrouter-server: SigV4 authentication on, \(store?.entries.count ?? 0) access key(s) from \(credentials)")
        } else {
            say("eventrouter-server: no --credentials: authentication is OFF, every caller is account \(defaultAccount) (loopback only)")
        }
        var journal: StateJournal? = nil
        if let state {
            do { journal = try StateJournal(directory: state) } catch { throw ValidationError(error.description) }
            if let journal {
                let (replayed, failed) = journal.replay(onto: router)
                say("eventrouter-server: state \(state): replayed \(replayed) configuration call(s)\(failed > 0 ? ", \(failed) failed" : "")")
            }
        }
        let service = AWSService(router: router, credentials: store, defaultAccount: defaultAccount, maximumBodySize: maxBodySize, journal: journal)
        let log = !quiet
        let maxBody = maxBodySize
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let started = ContinuousClock.now
            var request = request
            let body: [UInt8]
            do {
                var buffer = try await request.collectBody(upTo: maxBody)
                body = buffer.readBytes(length: buffer.readableBytes) ?? []
            } catch {
                // Answered in the shape of the request's protocol (XML for the query protocol).
                return Self.response(AWSService.bodyTooLarge(Self.signedRequest(request, body: []), limit: maxBody))
            }
            let signed = Self.signedRequest(request, body: body)
            let (answer, record) = await service.handle(signed)
            if log {
                let elapsed = ContinuousClock.now - started
                let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                say("\(Self.timestamp()) \(signed.method) \(signed.path) \(record.service).\(record.operation) account=\(record.account) \(answer.status) \(String(format: "%.1f", ms))ms")
            }
            return Self.response(answer)
        }
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "eventrouter-server"),
            onServerRunning: { channel in
                say("eventrouter-server: listening on http://\(channel.localAddress?.ipAddress ?? "?"):\(channel.localAddress?.port ?? 0)")
            },
            logger: {
                var logger = Logger(label: "eventrouter-server")
                logger.logLevel = .warning
                return logger
            }())
        try await app.runService()
        // Finish in-flight deliveries (the router's dispatcher keeps running while we wait).
        let deadline = ContinuousClock.now + .seconds(drainSeconds)
        while router.accounting.inFlight > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let remaining = router.accounting.inFlight
        say("eventrouter-server: stopped\(remaining > 0 ? " (\(remaining) deliveries still pending after \(drainSeconds)s)" : ", no deliveries in flight")")
    }

    static func signedRequest(_ request: Request, body: [UInt8]) -> SignedRequest {
        let raw = request.head.path ?? "/"
        let path: String, query: String
        if let mark = raw.firstIndex(of: "?") {
            path = String(raw[..<mark])
            query = String(raw[raw.index(after: mark)...])
        } else {
            path = raw
            query = ""
        }
        var headers: [(name: String, value: String)] = []
        if let authority = request.head.authority { headers.append(("host", authority)) }
        for field in request.head.headerFields { headers.append((field.name.canonicalName, field.value)) }
        return SignedRequest(method: request.head.method.rawValue, path: path, query: query, headers: headers, body: body)
    }

    static func response(_ answer: WireResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// `2026-11-27T01:12:41Z`.
    static func timestamp() -> String {
        let compact = Array(SigV4.formatAmzDate(Int64(Date().timeIntervalSince1970)))
        return String(compact[0..<4]) + "-" + String(compact[4..<6]) + "-" + String(compact[6..<11]) + ":"
            + String(compact[11..<13]) + ":" + String(compact[13..<16])
    }
}

/// Writes a line to standard output at once (unbuffered: the request log is read while we run).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
