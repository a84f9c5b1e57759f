import EventPatterns

extension TargetInput {
    /// What the target receives for one delivered event.
    ///
    /// ```swift
    /// let outcome = input.render(event: envelope, context: RenderContext(ruleName: "r", ruleARN: arn, ingestionTime: now))
    /// switch outcome {
    /// case .delivered(let body): send(body.text)
    /// case .notDelivered(let reason): log(reason)     // AWS drops these silently
    /// }
    /// ```
    ///
    /// | Input | Target receives |
    /// | --- | --- |
    /// | none | the envelope, compact JSON |
    /// | `Input` | the constant text, verbatim |
    /// | `InputPath` | the selected value as compact JSON (a string arrives quoted: `"baz"`); nothing if the path selects nothing |
    /// | `InputTransformer` | the template with its placeholders replaced (see `Documentation/INPUT.md` for the table) |
    ///
    /// - Parameters:
    ///   - event: the delivered envelope (`version, id, detail-type, source, account, time, region,
    ///     resources, detail`, sometimes `replay-name`), as a JSON object.
    ///   - context: the rule's name and ARN and the ingestion time.
    ///   - limits: output bounds.
    /// - Returns: the body, or why nothing is delivered. Never traps, whatever the event.
    /// - Complexity: O(size of the output + size of the selected parts of the event); no recursion
    ///   on the event except the JSON read-back of a JSON template's output, bounded by
    ///   `limits.maxOutputDepth`.
    public func render(event: JSONValue, context: RenderContext, limits: RenderLimits = .default) -> RenderOutcome {
        switch self {
        case .event:
            return TargetInput.whole(event, limits: limits)
        case .constant(let constant):
            if constant.text.utf8.count > limits.maxOutputBytes { return .notDelivered(.outputTooLarge) }
            return .delivered(TargetBody(text: constant.text, json: constant.value))
        case .path(let path):
            guard let selected = path.select(in: event) else { return .notDelivered(.pathNotFound) }
            return TargetInput.whole(selected, limits: limits)
        case .transformer(let map, let template):
            var renderer = _TemplateRenderer(map: map, event: event, context: context, limits: limits)
            return renderer.render(template)
        }
    }

    private static func whole(_ value: JSONValue, limits: RenderLimits) -> RenderOutcome {
        var writer = _JSONTextWriter(budget: max(0, limits.maxOutputBytes))
        var text = ""
        guard writer.write(value, to: &text) else { return .notDelivered(.outputTooLarge) }
        return .delivered(TargetBody(text: text, json: value))
    }
}

/// Renders one template for one event: each map path is evaluated at most once.
struct _TemplateRenderer {
    let map: InputPathsMap
    let event: JSONValue
    let context: RenderContext
    let limits: RenderLimits
    /// `limits.maxOutputBytes`, never negative (so budget arithmetic cannot overflow).
    let maxBytes: Int
    /// Per map entry: not yet evaluated (nil), or the selection (which may be missing).
    private var selections: [JSONValue??]
    private var eventWithoutDetail: JSONValue?

    init(map: InputPathsMap, event: JSONValue, context: RenderContext, limits: RenderLimits) {
        self.map = map
        self.event = event
        self.context = context
        self.limits = limits
        self.maxBytes = max(0, limits.maxOutputBytes)
        self.selections = Array(repeating: nil, count: map.count)
    }

    mutating func render(_ template: InputTemplate) -> RenderOutcome {
        var output = ""
        for segment in template.segments {
            switch segment {
            case .literal(let text):
                output += text
            case .placeholder(let name, let position):
                guard append(value(of: name), at: position, to: &output) else { return .notDelivered(.outputTooLarge) }
            }
            if output.utf8.count > maxBytes { return .notDelivered(.outputTooLarge) }
        }
        let readLimits = JSONReader.Limits(maxDepth: limits.maxOutputDepth, maxBytes: max(maxBytes, 1))
        switch template.form {
        case .jsonObject:
            do {
                return .delivered(TargetBody(text: output, json: try JSONReader.parse(output, limits: readLimits)))
            } catch {
                return .notDelivered(error.kind == .tooDeep ? .outputTooDeep : .invalidJSON)
            }
        case .strings:
            return .delivered(TargetBody(text: output, json: try? JSONReader.parse(output, limits: readLimits)))
        }
    }

    /// The value a placeholder stands for; `nil` when its path selects nothing.
    private mutating func value(of name: String) -> JSONValue? {
        if let position = map.position(of: name) {
            if let cached = selections[position] { return cached }
            let selected = map.entries[position].path.select(in: event)
            selections[position] = .some(selected)
            return selected
        }
        switch PredefinedVariable(rawValue: name) {
        case .ruleARN?: return .string(context.ruleARN)
        case .ruleName?: return .string(context.ruleName)
        case .ingestionTime?: return .string(context.ingestionTime)
        case .eventJSON?: return event
        case .event?:
            if let eventWithoutDetail { return eventWithoutDetail }
            let built = _TemplateRenderer.withoutDetail(event, time: context.ingestionTime)
            eventWithoutDetail = built
            return built
        case nil:
            return nil   // only reachable with a template validated against another map
        }
    }

    /// Writes `value` as a placeholder at `position` requires. Returns false past the budget.
    private func append(_ value: JSONValue?, at position: InputTemplate.Position, to output: inout String) -> Bool {
        guard let value else {
            if position == .jsonValue { output += "\"\"" }   // a missing path is an empty string
            return true
        }
        switch (value, position) {
        case (.string(let string), .jsonString), (.string(let string), .text):
            output += string   // not escaped: EventBridge inserts the raw text
            return true
        case (.array, .text), (.object, .text):
            // Inside a string template objects and arrays lose every double quote.
            var writer = _JSONTextWriter(budget: maxBytes)
            var json = ""
            guard writer.write(value, to: &json) else { return false }
            output.unicodeScalars.append(contentsOf: json.unicodeScalars.lazy.filter { $0 != "\"" })
            return true
        default:
            // Unquoted values are JSON text; inside a JSON template's string, numbers, booleans
            // and null are their JSON text too, and objects and arrays are raw JSON (which breaks
            // the string: the event is then not delivered).
            var writer = _JSONTextWriter(budget: max(0, maxBytes - output.utf8.count))
            var json = ""
            guard writer.write(value, to: &json) else { return false }
            output += json
            return true
        }
    }

    /// `<aws.events.event>`: the envelope without `detail`, keys in the order AWS showed
    /// (`id, account, detailType, time, source, region, resources, version`), `time` replaced by
    /// the ingestion time; other envelope members (`replay-name`) follow in envelope order.
    static func withoutDetail(_ event: JSONValue, time: String) -> JSONValue {
        guard case .object(let envelope) = event else { return event }
        var members: [(key: String, value: JSONValue)] = []
        for key in ["id", "account", "detail-type", "time", "source", "region", "resources", "version"] {
            guard let value = envelope[key] else { continue }
            switch key {
            case "detail-type": members.append(("detailType", value))
            case "time": members.append(("time", .string(time)))
            default: members.append((key, value))
            }
        }
        let known: Set<String> = ["id", "account", "detail-type", "time", "source", "region", "resources", "version", "detail"]
        for member in envelope.members where !known.contains(member.key) {
            members.append(member)
        }
        return .object(JSONObject(members))
    }
}
