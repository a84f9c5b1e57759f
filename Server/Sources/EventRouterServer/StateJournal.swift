import EventBus
import EventPatterns
import Foundation
import Synchronization

/// `--state DIR`: the configuration calls (buses, rules, targets, permissions, queues, archives,
/// schedules) are appended to `DIR/journal.jsonl` as they succeed and replayed at the next start.
/// Events, queue messages, pending deliveries and the simulators' resources are not kept.
public final class StateJournal: Sendable {
    /// The operations that change configuration, by router service.
    public static let recorded: [String: Set<String>] = [
        "events": ["CreateEventBus", "DeleteEventBus", "PutRule", "DeleteRule", "EnableRule", "DisableRule", "PutTargets",
                   "RemoveTargets", "PutPermission", "RemovePermission", "CreateArchive", "UpdateArchive", "DeleteArchive"],
        "sqs": ["CreateQueue", "DeleteQueue"],
        "lambda": ["CreateFunction"],
        "scheduler": ["CreateSchedule", "DeleteSchedule"],
        "organizations": ["JoinOrganization"],
    ]

    public struct JournalError: Error, CustomStringConvertible, Sendable { public var description: String }

    let path: String
    let handle: Mutex<FileHandle?>

    /// Opens (creating) `directory/journal.jsonl` for appending.
    public init(directory: String) throws(JournalError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw JournalError(description: "cannot create state directory \(directory): \(error)")
        }
        path = (directory as NSString).appendingPathComponent("journal.jsonl")
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw JournalError(description: "cannot create \(path)")
            }
        }
        guard let file = FileHandle(forWritingAtPath: path) else { throw JournalError(description: "cannot open \(path) for writing") }
        file.seekToEndOfFile()
        handle = Mutex(file)
    }

    /// Replays the journal onto `router`. Returns (replayed, failed) counts.
    public func replay(onto router: Router) -> (replayed: Int, failed: Int) {
        guard let data = FileManager.default.contents(atPath: path) else { return (0, 0) }
        var replayed = 0, failed = 0
        for line in data.split(separator: 0x0A) where !line.isEmpty {
            guard let entry = try? JSONReader.parse(Array(line)),
                  case .string(let service)? = entry["service"], case .string(let operation)? = entry["operation"],
                  case .string(let account)? = entry["account"], case .string(let region)? = entry["region"],
                  let params = entry["params"] else {
                failed += 1
                continue
            }
            do {
                _ = try router.call(service: service, operation: operation, account: account, region: region, params: params)
                replayed += 1
            } catch {
                failed += 1
            }
        }
        return (replayed, failed)
    }

    /// Appends a successful call if it changes configuration.
    func record(service: String, operation: String, account: String, region: String, params: JSONObject) {
        guard Self.recorded[service]?.contains(operation) == true else { return }
        let line = JSONValue.object(JSONObject([("service", .string(service)), ("operation", .string(operation)),
                                                ("account", .string(account)), ("region", .string(region)),
                                                ("params", .object(params))])).jsonText + "\n"
        handle.withLock { file in file?.write(Data(line.utf8)) }
    }
}
