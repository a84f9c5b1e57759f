import EventPatterns
import Foundation

/// Who may call the server: access key id → secret access key and account id.
///
/// The file given to `--credentials` is JSON:
/// ```json
/// {"AKIDALICE": {"secretAccessKey": "alice-secret", "accountId": "111111111111"},
///  "AKIDBOB":   {"secretAccessKey": "bob-secret",   "accountId": "222222222222"}}
/// ```
public struct CredentialStore: Sendable {
    public struct Entry: Sendable, Equatable {
        public var secretAccessKey: String
        public var accountID: String
        public init(secretAccessKey: String, accountID: String) {
            self.secretAccessKey = secretAccessKey
            self.accountID = accountID
        }
    }

    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public var entries: [String: Entry]

    public init(_ entries: [String: Entry]) { self.entries = entries }

    public func entry(for accessKeyID: String) -> Entry? { entries[accessKeyID] }

    /// Parses the credentials file's JSON text.
    /// - Throws: `LoadError` naming the first problem (not JSON, a missing field, an account id that
    ///   is not 12 digits).
    public static func parse(_ text: String) throws(LoadError) -> CredentialStore {
        let value: JSONValue
        do { value = try JSONReader.parse(text) } catch { throw LoadError(description: "credentials file is not JSON: \(error)") }
        guard case .object(let object) = value else { throw LoadError(description: "credentials file must be a JSON object") }
        var entries: [String: Entry] = [:]
        for (key, item) in object.members {
            guard case .string(let secret)? = item["secretAccessKey"], !secret.isEmpty else {
                throw LoadError(description: "credentials for \(key): secretAccessKey (a non-empty string) is required")
            }
            guard case .string(let account)? = item["accountId"],
                  account.utf8.count == 12, account.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw LoadError(description: "credentials for \(key): accountId must be a 12-digit string")
            }
            guard !key.isEmpty else { throw LoadError(description: "an access key id must not be empty") }
            entries[key] = Entry(secretAccessKey: secret, accountID: account)
        }
        guard !entries.isEmpty else { throw LoadError(description: "credentials file names no access keys") }
        return CredentialStore(entries)
    }

    /// Reads and parses a credentials file.
    public static func load(path: String) throws(LoadError) -> CredentialStore {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "cannot read credentials file \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self))
    }
}
