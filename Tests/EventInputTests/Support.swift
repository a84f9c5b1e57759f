import EventInput
import EventPatterns
import Foundation
import Testing

/// Fixture files, found from this source file's path (`Tests/EventInputTests/Support.swift`).
enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // EventInputTests
        .deletingLastPathComponent()   // Tests

    static func url(_ name: String) -> URL {
        testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent("conformance").appendingPathComponent(name)
    }

    /// Non-empty lines of a fixture file; an unreadable file yields no lines (and the count
    /// checks in the tests then fail loudly).
    static func lines(_ name: String) -> [String] {
        guard let data = try? Data(contentsOf: url(name)) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// One line of `aws-observed-transformers.jsonl`, parsed with our own reader.
    struct TransformerCase: Sendable, CustomTestStringConvertible {
        var id: String
        var record: JSONValue
        var testDescription: String { id }
    }

    static let transformerCases: [TransformerCase] = lines("aws-observed-transformers.jsonl").compactMap { line in
        guard let record = try? JSONReader.parse(line), case .string(let id)? = record["id"] else { return nil }
        return TransformerCase(id: id, record: record)
    }
}

/// Shorthands for building JSON in tests.
func json(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
    do {
        return try JSONReader.parse(text)
    } catch {
        Issue.record("bad JSON in test: \(error)", sourceLocation: sourceLocation)
        return .null
    }
}

func object(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(JSONObject(members.map { (key: $0.0, value: $0.1) }))
}

/// A custom-bus event as EventBridge delivers it.
func envelope(detail: String, detailType: String = "core.update-account-command", source: String = "core.update-account-command",
              time: String = "2024-06-11T08:33:00Z", resources: [String] = [], extra: [(String, JSONValue)] = []) -> JSONValue {
    var members: [(String, JSONValue)] = [
        ("version", .string("0")),
        ("id", .string("6a7e8feb-b491-4cf7-a9f1-bf3703467718")),
        ("detail-type", .string(detailType)),
        ("source", .string(source)),
        ("account", .string("111122223333")),
        ("time", .string(time)),
        ("region", .string("eu-west-1")),
        ("resources", .array(resources.map { .string($0) })),
        ("detail", json(detail)),
    ]
    members += extra
    return object(members)
}

let testContext = RenderContext(ruleName: "my-rule", ruleARN: "arn:aws:events:eu-west-1:111122223333:rule/my-bus/my-rule",
                                ingestionTime: "2024-06-11T08:33:10Z")

/// Builds a transformer input, recording an issue if validation fails.
func transformer(_ map: [(String, String)], _ template: String, sourceLocation: SourceLocation = #_sourceLocation) -> TargetInput {
    do {
        return try TargetInput(targetID: "t1", members: .init(inputTransformer: .init(inputPathsMap: map.map { (key: $0.0, value: $0.1) },
                                                                                        inputTemplate: template)))
    } catch {
        Issue.record("unexpected validation error: \(error)", sourceLocation: sourceLocation)
        return .event
    }
}

/// The validation error for a transformer, or nil.
func transformerError(_ map: [(String, String)], _ template: String) -> TargetInputError? {
    do {
        _ = try TargetInput(targetID: "t1", members: .init(inputTransformer: .init(inputPathsMap: map.map { (key: $0.0, value: $0.1) },
                                                                                     inputTemplate: template)))
        return nil
    } catch {
        return error
    }
}

/// The error a validation throws, or nil.
func caught(_ body: () throws(TargetInputError) -> Void) -> TargetInputError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

/// The validation error for a target JSON object, or nil.
func targetError(_ target: String) -> TargetInputError? {
    do {
        _ = try TargetInput(target: json(target))
        return nil
    } catch {
        return error
    }
}

extension RenderOutcome {
    var text: String? { body?.text }
    var json: JSONValue? { body?.json }
}
