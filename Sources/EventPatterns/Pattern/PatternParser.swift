/// Validates a pattern and expands it into sub-patterns.
///
/// Validation walks the pattern in document order and reports the first problem with AWS's reason
/// text, so the error a user sees is the one EventBridge would report first.
struct PatternParser {
    let limits: PatternLimits

    /// Field names that may not be used inside a `$or` branch.
    static let reservedInOr: Set<String> = [
        "equals", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard",
        "numeric", "cidr", "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-prefix",
        "not-suffix", "date-after", "date-before", "ip-address", "$or",
    ]

    /// The pattern as a tree of AND/OR nodes, before expansion.
    indirect enum Node {
        case clause(PatternClause)
        case all([Node])
        case any([Node])

        /// The number of alternatives, saturating at `cap + 1`.
        func combinations(cap: Int) -> Int {
            switch self {
            case .clause: return 1
            case .all(let nodes):
                var product = 1
                for node in nodes {
                    let (next, overflow) = product.multipliedReportingOverflow(by: node.combinations(cap: cap))
                    if overflow || next > cap { return cap + 1 }
                    product = next
                }
                return product
            case .any(let nodes):
                var sum = 0
                for node in nodes {
                    sum = sum.addingReportingOverflow(node.combinations(cap: cap)).partialValue
                    if sum > cap || sum < 0 { return cap + 1 }
                }
                return sum
            }
        }

        /// All alternatives, each a list of clauses (caller checked `combinations` first).
        func expand() -> [[PatternClause]] {
            switch self {
            case .clause(let clause): return [[clause]]
            case .all(let nodes):
                var result: [[PatternClause]] = [[]]
                for node in nodes {
                    let options = node.expand()
                    if options.count == 1 {
                        for index in result.indices { result[index].append(contentsOf: options[0]) }
                    } else {
                        var next: [[PatternClause]] = []
                        next.reserveCapacity(result.count * options.count)
                        for partial in result {
                            for option in options { next.append(partial + option) }
                        }
                        result = next
                    }
                }
                return result
            case .any(let nodes):
                return nodes.flatMap { $0.expand() }
            }
        }
    }

    /// Parses pattern text (as EventBridge receives it) into sub-patterns.
    func parse(text: String) throws(PatternError) -> [SubPattern] {
        var scalarCount = 0
        for _ in text.unicodeScalars {
            scalarCount += 1
            if scalarCount > limits.maxPatternLength {
                throw PatternError(.limitExceeded, "Event pattern is longer than the limit of \(limits.maxPatternLength) characters")
            }
        }
        let value: JSONValue
        do {
            value = try JSONReader.parse(text, limits: .init(maxDepth: min(limits.maxDepth, JSONReader.Limits.depthCeiling), maxBytes: Int.max))
        } catch {
            if error.kind == .unexpectedEnd && text.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
                throw PatternError(.invalidPattern, "Filter is not an object")
            }
            if error.kind == .tooDeep {
                throw PatternError(.limitExceeded, "Event pattern is nested deeper than the limit of \(limits.maxDepth)", offset: error.offset)
            }
            throw PatternError(.malformedJSON, error.message, offset: error.offset)
        }
        return try parse(value: value)
    }

    /// Validates an already parsed pattern and expands it into sub-patterns.
    func parse(value: JSONValue) throws(PatternError) -> [SubPattern] {
        guard case .object(let object) = value else {
            throw PatternError(.invalidPattern, "Filter is not an object")
        }
        let root = try parseObject(object, prefix: "", insideOr: false, depth: 1)
        // The cap keeps `cap + 1` representable whatever a host configures.
        let cap = min(limits.maxOrCombinations, 1 << 40)
        let combinations = root.combinations(cap: cap)
        if combinations > cap {
            throw PatternError(.limitExceeded, "Rule is too complex - too many $or combinations (more than \(limits.maxOrCombinations))")
        }
        return root.expand().map { clauses in SubPattern(clauses: Self.normalize(clauses)) }
    }

    /// One clause per path — when an alternative names a path twice (`{"a.b": [...], "a": {"b": [...]}}`,
    /// or a field both beside and inside a `$or` branch), the later one in document order replaces
    /// the earlier, as in the reference engine — sorted by path so equal alternatives compare equal.
    static func normalize(_ clauses: [PatternClause]) -> [PatternClause] {
        var byPath: [_Bytes: PatternClause] = [:]
        for clause in clauses { byPath[_Bytes(clause.path)] = clause }
        return byPath.sorted { $0.key < $1.key }.map(\.value)
    }

    func parseObject(_ object: JSONObject, prefix: String, insideOr: Bool, depth: Int) throws(PatternError) -> Node {
        if object.isEmpty { throw PatternError(.invalidPattern, "Empty objects are not allowed", path: prefix.isEmpty ? nil : prefix) }
        if depth > min(limits.maxDepth, JSONReader.Limits.depthCeiling) {
            throw PatternError(.limitExceeded, "Event pattern is nested deeper than the limit of \(limits.maxDepth)", path: prefix)
        }
        var nodes: [Node] = []
        for (key, value) in object.members {
            if key == "$or" {
                nodes.append(try parseOr(value, prefix: prefix, depth: depth))
                continue
            }
            if insideOr && Self.reservedInOr.contains(key) {
                throw PatternError(.invalidPattern, "\(key) is Ruler reserved fieldName which cannot be used inside $or.", path: prefix)
            }
            let path = prefix.isEmpty ? key : prefix + "." + key
            switch value {
            case .object(let nested):
                nodes.append(try parseObject(nested, prefix: path, insideOr: insideOr, depth: depth + 1))
            case .array(let elements):
                if elements.isEmpty { throw PatternError(.invalidPattern, "Empty arrays are not allowed", path: path) }
                var matchers: [PatternMatcher] = []
                matchers.reserveCapacity(elements.count)
                var seen = Set<[UInt8]>()
                for element in elements {
                    let matcher = try parseMatcher(element, path: path)
                    if seen.insert(matcher.identity).inserted { matchers.append(matcher) }
                }
                nodes.append(.clause(PatternClause(path: path, matchers: matchers)))
            default:
                throw PatternError(.invalidPattern, "\"\(key)\" must be an object or an array", path: path)
            }
        }
        return nodes.count == 1 ? nodes[0] : .all(nodes)
    }

    func parseOr(_ value: JSONValue, prefix: String, depth: Int) throws(PatternError) -> Node {
        guard case .array(let branches) = value else {
            throw PatternError(.invalidPattern, "It must be an Array followed with $or.", path: prefix)
        }
        var nodes: [Node] = []
        for branch in branches {
            guard case .object(let object) = branch else {
                throw PatternError(.invalidPattern, "Only JSON object is allowed in array of $or relationship.", path: prefix)
            }
            nodes.append(try parseObject(object, prefix: prefix, insideOr: true, depth: depth + 1))
        }
        if nodes.count < 2 {
            throw PatternError(.invalidPattern, "There must have at least 2 Objects in $or relationship.", path: prefix)
        }
        return .any(nodes)
    }

    // MARK: - Matchers

    func parseMatcher(_ value: JSONValue, path: String) throws(PatternError) -> PatternMatcher {
        switch value {
        case .string(let string): return .exactString(string)
        case .number(let number): return .exactNumber(number.value)
        case .bool(let flag): return .exactBool(flag)
        case .null: return .exactNull
        case .array:
            throw PatternError(.invalidPattern, "Match value must be String, number, true, false, or null", path: path)
        case .object(let object):
            guard let (name, operand) = object.members.first else {
                throw PatternError(.invalidPattern, "Match expression name not found", path: path)
            }
            let matcher: PatternMatcher
            switch name {
            case "prefix": matcher = try parsePrefixOrSuffix(operand, isPrefix: true, path: path)
            case "suffix": matcher = try parsePrefixOrSuffix(operand, isPrefix: false, path: path)
            case "equals":
                guard case .string(let string) = operand else {
                    throw PatternError(.invalidPattern, "equals match pattern must be a string", path: path)
                }
                matcher = .exactString(string)
            case "equals-ignore-case":
                guard case .string(let string) = operand else {
                    throw PatternError(.invalidPattern, "equals-ignore-case match pattern must be a string", path: path)
                }
                matcher = .equalsIgnoreCase(CaseFolding.fold(string))
            case "wildcard":
                guard case .string(let string) = operand else {
                    throw PatternError(.invalidPattern, "wildcard match pattern must be a string", path: path)
                }
                matcher = .wildcard(try wildcard(string, path: path))
            case "anything-but": matcher = .anythingBut(try parseAnythingBut(operand, path: path))
            case "numeric": matcher = .numeric(try parseNumeric(operand, path: path))
            case "exists":
                guard case .bool(let flag) = operand else {
                    throw PatternError(.invalidPattern, "exists match pattern must be either true or false.", path: path)
                }
                matcher = .exists(flag)
            case "cidr":
                guard case .string(let string) = operand else {
                    // AWS reports a non-string CIDR with the prefix message.
                    throw PatternError(.invalidPattern, "prefix match pattern must be a string", path: path)
                }
                do { matcher = .cidr(try CIDRBlock(string)) } catch { throw error.at(path) }
            default:
                throw PatternError(.invalidPattern, "Unrecognized match type \(name)", path: path)
            }
            if object.count > 1 {
                // AWS's parser reads numeric and anything-but operands with a guard of its own,
                // which reports the extra key with its own words.
                if name == "numeric" || name == "anything-but" {
                    throw PatternError(.invalidPattern, "Too many elements in numeric expression", path: path)
                }
                throw PatternError(.invalidPattern, "Only one key allowed in match expression", path: path)
            }
            return matcher
        }
    }

    func wildcard(_ string: String, path: String) throws(PatternError) -> WildcardPattern {
        do { return try WildcardPattern(string, maxStars: limits.maxWildcardStars) } catch { throw error.at(path) }
    }

    func parsePrefixOrSuffix(_ operand: JSONValue, isPrefix: Bool, path: String) throws(PatternError) -> PatternMatcher {
        let kind = isPrefix ? "prefix" : "suffix"
        switch operand {
        case .string(let string):
            return isPrefix ? .prefix(string) : .suffix(string)
        case .object(let inner):
            guard let (name, value) = inner.members.first else {
                throw PatternError(.invalidPattern, "\(isPrefix ? "Prefix" : "Suffix") expression name not found", path: path)
            }
            guard name == "equals-ignore-case" else {
                throw PatternError(.invalidPattern, "Unsupported \(kind) pattern: \(name)", path: path)
            }
            guard case .string(let string) = value else {
                throw PatternError(.invalidPattern, "equals-ignore-case match pattern must be a string", path: path)
            }
            if inner.count > 1 {
                throw PatternError(.invalidPattern, "Only one key allowed in match expression", path: path)
            }
            let folded = CaseFolding.fold(string)
            return isPrefix ? .prefixIgnoreCase(folded) : .suffixIgnoreCase(folded)
        default:
            throw PatternError(.invalidPattern, "\(kind) match pattern must be a string", path: path)
        }
    }

    func parseAnythingBut(_ operand: JSONValue, path: String) throws(PatternError) -> AnythingBut {
        let notScalar = "Value of anything-but must be an array or single string/number value."
        switch operand {
        case .string(let string):
            return .strings([string])
        case .number(let number):
            return .numbers([number.value])
        case .array(let elements):
            var strings: [String] = []
            var numbers: [Double] = []
            for element in elements {
                switch element {
                case .string(let string): strings.append(string)
                case .number(let number): numbers.append(number.value)
                default:
                    throw PatternError(.invalidPattern, "Inside anything but list, start|null|boolean is not supported.", path: path)
                }
            }
            if strings.isEmpty == numbers.isEmpty {
                throw PatternError(.invalidPattern, "Inside anything but list, either all values are number or string, mixed type is not supported", path: path)
            }
            return strings.isEmpty ? .numbers(Self.sortedUnique(numbers)) : .strings(Self.sortedUniqueBytes(strings))
        case .object(let object):
            guard let (name, value) = object.members.first else {
                throw PatternError(.invalidPattern, "Anything-But expression name not found", path: path)
            }
            let result: AnythingBut
            switch name {
            case "prefix", "suffix":
                let values = try anythingButStrings(value, path: path, notString: "prefix/suffix match pattern must be a string")
                if values.contains("") { throw PatternError(.invalidPattern, "Null prefix/suffix not allowed", path: path) }
                result = name == "prefix" ? .prefixes(values) : .suffixes(values)
            case "equals-ignore-case":
                let values = try anythingButStrings(
                    value, path: path,
                    notString: "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
                result = .ignoreCase(Self.sortedUniqueBytes(values.map(CaseFolding.fold)))
            case "wildcard":
                let values = try anythingButStrings(value, path: path, notString: "wildcard match pattern must be a string")
                var patterns: [WildcardPattern] = []
                for string in values { patterns.append(try wildcard(string, path: path)) }
                result = .wildcards(patterns)
            default:
                throw PatternError(.invalidPattern, "Unsupported anything-but pattern: \(name)", path: path)
            }
            if object.count > 1 {
                // AWS's (Ruler's) message for a second key here.
                throw PatternError(.invalidPattern, "Too many elements in numeric expression", path: path)
            }
            return result
        default:
            throw PatternError(.invalidPattern, notScalar, path: path)
        }
    }

    /// The string operand(s) of `anything-but: {prefix|suffix|equals-ignore-case|wildcard: ...}`.
    /// A number (alone or in the list) gets the form's own message; null, booleans and objects as
    /// the single value get the generic anything-but message, as on AWS.
    func anythingButStrings(_ value: JSONValue, path: String, notString: String) throws(PatternError) -> [String] {
        switch value {
        case .string(let string):
            return [string]
        case .number:
            throw PatternError(.invalidPattern, notString, path: path)
        case .array(let elements):
            if elements.isEmpty { throw PatternError(.invalidPattern, "Empty arrays are not allowed", path: path) }
            var strings: [String] = []
            for element in elements {
                guard case .string(let string) = element else { throw PatternError(.invalidPattern, notString, path: path) }
                strings.append(string)
            }
            return Self.sortedUniqueBytes(strings)
        default:
            throw PatternError(.invalidPattern, "Value of anything-but must be an array or single string/number value.", path: path)
        }
    }

    static func sortedUnique(_ values: [Double]) -> [Double] {
        Array(Set(values.map { $0 == 0 ? 0 : $0 })).sorted()
    }

    /// Sorted by bytes, duplicates (byte-identical only) removed.
    static func sortedUniqueBytes(_ values: [String]) -> [String] {
        var seen = Set<_Bytes>()
        return values.filter { seen.insert(_Bytes($0)).inserted }.sorted { _Bytes($0) < _Bytes($1) }
    }

    func parseNumeric(_ operand: JSONValue, path: String) throws(PatternError) -> NumericRange {
        guard case .array(let terms) = operand else {
            throw PatternError(.invalidPattern, "Value of numeric must be an array.", path: path)
        }
        func token(_ index: Int) -> String {
            guard index < terms.count else { return "]" }
            return Self.tokenText(terms[index])
        }
        func number(_ index: Int, op: String) throws(PatternError) -> Double {
            guard index < terms.count, case .number(let number) = terms[index] else {
                throw PatternError(.invalidPattern, "Value of \(op == "=" ? "equals" : op) must be numeric", path: path)
            }
            guard number.value.isFinite else {
                throw PatternError(.invalidPattern, "Cannot compare number : \(number.text)", path: path)
            }
            return number.value
        }
        guard let first = terms.first, case .string(let op) = first else {
            throw PatternError(.invalidPattern, "Invalid member in numeric match: \(token(0))", path: path)
        }
        switch op {
        case "=":
            let value = try number(1, op: op)
            if terms.count > 2 { throw PatternError(.invalidPattern, "Too many elements in numeric expression", path: path) }
            return NumericRange(lower: value, lowerInclusive: true, upper: value, upperInclusive: true)
        case "<", "<=":
            let value = try number(1, op: op)
            if terms.count > 2 { throw PatternError(.invalidPattern, "Too many elements in numeric expression", path: path) }
            return NumericRange(lower: nil, lowerInclusive: false, upper: value, upperInclusive: op == "<=")
        case ">", ">=":
            let low = try number(1, op: op)
            var range = NumericRange(lower: low, lowerInclusive: op == ">=", upper: nil, upperInclusive: false)
            if terms.count == 2 { return range }
            guard case .string(let upperOp) = terms[2] else {
                throw PatternError(.invalidPattern, "Bad value in numeric range: \(token(2))", path: path)
            }
            guard upperOp == "<" || upperOp == "<=" else {
                throw PatternError(.invalidPattern, "Bad numeric range operator: \(upperOp)", path: path)
            }
            let high = try number(3, op: upperOp)
            if terms.count > 4 { throw PatternError(.invalidPattern, "Too many terms in numeric range expression", path: path) }
            if !(low < high) { throw PatternError(.invalidPattern, "Bottom must be less than top", path: path) }
            range.upper = high
            range.upperInclusive = upperOp == "<="
            return range
        default:
            throw PatternError(.invalidPattern, "Unrecognized numeric range operator: \(op)", path: path)
        }
    }

    /// How Jackson prints a token in messages: strings without quotes, numbers as written.
    static func tokenText(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): return string
        case .number(let number): return number.text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array: return "["
        case .object: return "{"
        }
    }
}

extension PatternError {
    /// The same error, attributed to a field path.
    func at(_ path: String) -> PatternError {
        var copy = self
        copy.path = path
        return copy
    }
}
