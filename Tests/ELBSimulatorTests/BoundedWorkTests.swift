import ELBSimulator
import EventBus
import EventPatterns
import XCTest

/// Huge requests get an error at once or linear work, not a quadratic one under the simulator's lock.
final class BoundedWorkTests: XCTestCase {
    func testSetRulePrioritiesRefusesARuleListedTwiceAndIsLinear() throws {
        let h = try Harness()
        let lb = try h.loadBalancer()
        let listener = try h.listener(lb, defaultActions: h.fixed("404", "none"))
        var arns: [String] = []
        for priority in 1...100 {
            arns.append(try h.rule(listener, priority, conditions: #"[{"Field": "path-pattern", "Values": ["/\#(priority)"]}]"#,
                                   actions: h.fixed("200", "\(priority)")))
        }
        // 50 000 entries naming one rule: answered at the second entry (this was 50 000² comparisons).
        let entries = (1...50_000).map { #"{"RuleArn": "\#(arns[0])", "Priority": \#($0)}"# }.joined(separator: ",")
        let twice = try h.failure("SetRulePriorities", #"{"RulePriorities": [\#(entries)]}"#)
        XCTAssertEqual(twice?.code, "ValidationError")
        XCTAssertEqual(twice?.message, "Rule '\(arns[0])' was provided multiple times")
        // All 100 rules reversed at once: allowed (every clash is with a rule that moves too).
        let reversed = arns.enumerated().map { #"{"RuleArn": "\#($0.element)", "Priority": \#(101 - ($0.offset + 1))}"# }.joined(separator: ",")
        try h.call("SetRulePriorities", #"{"RulePriorities": [\#(reversed)]}"#)
        XCTAssertEqual(try h.route(listener, #""Path": "/1""#)["Priority"]?.text, "100")
        XCTAssertEqual(try h.route(listener, #""Path": "/100""#)["Priority"]?.text, "1")
        // Moving some onto a priority a rule that stays keeps: PriorityInUse.
        let clash = try h.failure("SetRulePriorities", #"{"RulePriorities": [{"RuleArn": "\#(arns[0])", "Priority": 50}]}"#)
        XCTAssertEqual(clash?.code, "PriorityInUse")
    }

    func testRegisterTargetsWithAHugeListAndTheRegistrationLimit() throws {
        let h = try Harness()
        let lb = try h.loadBalancer()
        let group = try h.targetGroup("g")
        _ = try h.listener(lb, defaultActions: h.forward(group))
        // 100 000 entries naming one target: one registration, answered without per-entry scans of the rules.
        let entry = #"{"Id": "i-0123456789abcdef0", "Port": 80}"#
        try h.call("RegisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [\#(Array(repeating: entry, count: 100_000).joined(separator: ","))]}"#)
        XCTAssertEqual(try h.health(group).count, 1)
        // 999 more targets fill the group (1 000), then one more: TooManyTargets.
        try h.register(group, (1...999).map { (String("i-\(String(0x1000_0000 + $0, radix: 16))"), 80) })
        XCTAssertEqual(try h.failure("RegisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "i-0123456789abcdef2", "Port": 80}]}"#)?.code,
                       "TooManyTargets")
        // The per-target-id limit (100) counts registrations across groups: 1 in "g", 99 here, then one more.
        let other = try h.targetGroup("h")
        try h.register(other, (1...99).map { ("i-0123456789abcdef0", $0) })
        XCTAssertEqual(try h.failure("RegisterTargets", #"{"TargetGroupArn": "\#(other)", "Targets": [{"Id": "i-0123456789abcdef0", "Port": 100}]}"#)?.code,
                       "TooManyRegistrationsForTargetId")
        try h.register(other, [("i-0123456789abcdef1", 100)])
    }
}
