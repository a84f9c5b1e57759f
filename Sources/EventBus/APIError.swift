import EventInput
import EventTargets

/// An error of the AWS-shaped API: AWS's error code (`ValidationException`,
/// `ResourceNotFoundException`, …), its message, and the HTTP status AWS would answer with. The
/// router's operations and the simulated services' share one type, so a service's error passes
/// through `Router.call` unchanged.
public typealias APIError = ServiceError

extension APIError {
    static func validation(_ message: String) -> APIError { APIError("ValidationException", message) }
    static func notFound(_ message: String) -> APIError { APIError("ResourceNotFoundException", message) }
    static func alreadyExists(_ message: String) -> APIError { APIError("ResourceAlreadyExistsException", message) }
    static func limitExceeded(_ message: String) -> APIError { APIError("LimitExceededException", message) }
    static func invalidPattern(_ message: String) -> APIError { APIError("InvalidEventPatternException", message) }
    static func unknownOperation(_ service: String, _ operation: String) -> APIError {
        APIError("UnknownOperationException", "The operation \(operation) is not supported by service \(service).")
    }
}

/// Checks of AWS's parameter constraints, with the API layer's message format:
/// `1 validation error detected: Value '<v>' at '<field>' failed to satisfy constraint: …`.
enum Constraint {
    static func violation(_ value: String, at field: String, _ constraint: String) -> APIError {
        .validation("1 validation error detected: Value '\(value)' at '\(field)' failed to satisfy constraint: \(constraint)")
    }

    /// Characters allowed in rule names and target ids: `[\.\-_A-Za-z0-9]+`.
    static func isNameCharacter(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2E || byte == 0x2D || byte == 0x5F
    }

    /// `[\.\-_A-Za-z0-9]+` and 1...max characters; both can fail at once (see `Violations.name`).
    static func name(_ value: String, at field: String, max: Int) throws(APIError) {
        var violations = Violations()
        violations.name(value, at: field, max: max)
        try violations.check()
    }

    /// `EventBusNameOrArn` (PutRule, PutTargets, …): a name, or an event-bus ARN, 1–1600 characters.
    static let busNameOrArnPattern = #"(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/\.\-_A-Za-z0-9]+"#
    /// `NonPartnerEventBusNameOrArn` (PutEvents entries): the same without `/` in the name.
    static let nonPartnerBusNameOrArnPattern = #"(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[\.\-_A-Za-z0-9]+"#

    /// Whether `value` matches `busNameOrArnPattern` (or, without partner names, the
    /// non-partner pattern), checked by hand: this runs for every PutEvents entry.
    static func isBusNameOrArn(_ value: String, partnerNames: Bool) -> Bool {
        func isNameByte(_ byte: UInt8) -> Bool { isNameCharacter(byte) || (partnerNames && byte == UInt8(ascii: "/")) }
        func isWordByte(_ byte: UInt8) -> Bool { isNameCharacter(byte) && byte != UInt8(ascii: ".") }   // [\w-]
        func isName<S: Collection<UInt8>>(_ bytes: S) -> Bool { !bytes.isEmpty && bytes.allSatisfy(isNameByte) }
        let bytes = Array(value.utf8)
        guard bytes.starts(with: Array("arn:".utf8)) else { return isName(bytes) }
        // arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus/NAME (a name has no ':').
        let parts = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count == 6, parts[1].starts(with: Array("aws".utf8)), parts[1].dropFirst(3).allSatisfy(isWordByte),
              parts[2].elementsEqual("events".utf8), isAccountID(String(decoding: parts[4], as: UTF8.self)) else { return false }
        let region = parts[3].split(separator: UInt8(ascii: "-"), maxSplits: 2, omittingEmptySubsequences: false)
        func isLower<S: Collection<UInt8>>(_ bytes: S) -> Bool { !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x61 && $0 <= 0x7A } }
        guard region.count == 3, isLower(region[0]), isLower(region[1]), !region[2].isEmpty, region[2].allSatisfy(isWordByte) else {
            return false
        }
        let resource = Array("event-bus/".utf8)
        return parts[5].starts(with: resource) && isName(parts[5].dropFirst(resource.count))
    }

    static func isAccountID(_ value: String) -> Bool {
        value.utf8.count == 12 && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

/// Every constraint a request breaks, reported together as AWS does
/// (`2 validation errors detected: Value … ; Value …`), in the order the members are checked.
struct Violations {
    private(set) var list: [ConstraintViolation] = []

    mutating func add(_ value: String?, at field: String, _ constraint: String) {
        list.append(ConstraintViolation(value: value, field: field, constraint: constraint))
    }

    /// Length in characters within `min...max`.
    mutating func length(_ value: String, at field: String, min: Int = 1, max: Int) {
        let count = value.count
        if count < min { add(value, at: field, "Member must have length greater than or equal to \(min)") }
        if count > max { add(value, at: field, "Member must have length less than or equal to \(max)") }
    }

    /// `[\.\-_A-Za-z0-9]+` and 1...max characters (rule names, target ids): both can fail at once.
    mutating func name(_ value: String, at field: String, max: Int) {
        if value.isEmpty || !value.utf8.allSatisfy(Constraint.isNameCharacter) {
            add(value, at: field, "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
        }
        length(value, at: field, max: max)
    }

    /// An event bus given by name or ARN (absent is fine: the default bus).
    mutating func busNameOrArn(_ value: String?, at field: String, partnerNames: Bool = true) {
        guard let value else { return }
        let pattern = partnerNames ? Constraint.busNameOrArnPattern : Constraint.nonPartnerBusNameOrArnPattern
        if !Constraint.isBusNameOrArn(value, partnerNames: partnerNames) {
            add(value, at: field, "Member must satisfy regular expression pattern: \(pattern)")
        }
        length(value, at: field, max: 1600)
    }

    /// A whole number within `min...max`.
    mutating func value(_ value: Int, at field: String, min: Int, max: Int) {
        if value < min { add(String(value), at: field, "Member must have value greater than or equal to \(min)") }
        if value > max { add(String(value), at: field, "Member must have value less than or equal to \(max)") }
    }

    /// Throws the collected violations, if any, as one ValidationException.
    func check() throws(APIError) {
        if !list.isEmpty { throw .validation(ConstraintViolation.message(for: list)) }
    }

    /// Adds `others` (found by another check of the same request, such as `TargetInput`'s of a
    /// target's input members) and puts all of them in the order of PutTargets' members:
    /// `rule`, `eventBusName`, then target by target `id`, `arn`, `roleArn`, the input members,
    /// the service parameters, `deadLetterConfig`, `retryPolicy`. A violation both checks found is
    /// reported once; violations of one member keep the order they were found in.
    mutating func mergeTargetViolations(_ others: [ConstraintViolation]) {
        var seen = Set(list)
        for violation in others where seen.insert(violation).inserted { list.append(violation) }
        let keyed = list.enumerated().map { (rank: Self.putTargetsRank($0.element.field), position: $0.offset, violation: $0.element) }
        list = keyed.sorted { a, b in
            (a.rank.0, a.rank.1, a.rank.2, a.position) < (b.rank.0, b.rank.1, b.rank.2, b.position)
        }.map(\.violation)
    }

    /// Where `field` (`rule`, `targets.2.member.inputPath`, …) comes in PutTargets' member order.
    static func putTargetsRank(_ field: String) -> (Int, Int, Int) {
        switch field {
        case "rule": return (0, 0, 0)
        case "eventBusName": return (1, 0, 0)
        case "targets": return (2, 0, 0)
        default: break
        }
        let parts = field.split(separator: ".", maxSplits: 4)
        guard parts.count >= 4, parts[0] == "targets", parts[2] == "member", let target = Int(parts[1]) else { return (3, 0, 0) }
        let member: Int
        switch parts[3] {
        case "id": member = 0
        case "arn": member = 1
        case "roleArn": member = 2
        case "input": member = 3
        case "inputPath": member = 4
        case "inputTransformer": member = 5
        case "deadLetterConfig": member = 7
        case "retryPolicy": member = 8
        default: member = 6  // the service parameters (ecsParameters, sqsParameters, …)
        }
        return (2, target, member)
    }
}
