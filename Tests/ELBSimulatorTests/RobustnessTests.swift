import ELBSimulator
import EventBus
import EventPatterns
import XCTest

/// Malformed input never crashes: every operation answers a value or an AWS-shaped error.
final class RobustnessTests: XCTestCase {
    func testEveryOperationSurvivesMalformedParameters() throws {
        let h = try Harness()
        let lb = try h.loadBalancer()
        let group = try h.targetGroup("g")
        let listener = try h.listener(lb, defaultActions: h.forward(group))
        // Deletions last, so that the others meet live resources.
        let operations = ["CreateLoadBalancer", "DescribeLoadBalancers", "ModifyLoadBalancerAttributes",
                          "DescribeLoadBalancerAttributes", "CreateListener", "ModifyListener", "DescribeListeners",
                          "CreateTargetGroup", "ModifyTargetGroup", "DescribeTargetGroups",
                          "ModifyTargetGroupAttributes", "DescribeTargetGroupAttributes", "RegisterTargets", "DeregisterTargets",
                          "DescribeTargetHealth", "CreateRule", "ModifyRule", "DescribeRules", "SetRulePriorities",
                          "RouteRequest", "RouteFlow", "SetTargetHealthProbe", "DescribeCapacityUnits",
                          "DeleteRule", "DeleteTargetGroup", "DeleteListener", "DeleteLoadBalancer"]
        let values: [String] = ["null", "1", "-1", "1e300", "\"\"", "\"x\"", "[]", "[1]", "[{}]", "{}", "{\"a\": []}", "true", "[\"\(group)\"]"]
        let names = ["Name", "Type", "LoadBalancerArn", "ListenerArn", "TargetGroupArn", "RuleArn", "Port", "Protocol", "Priority",
                     "Conditions", "Actions", "DefaultActions", "Targets", "Attributes", "RulePriorities", "Subnets", "Names",
                     "HealthCheckIntervalSeconds", "Matcher", "Headers", "Query", "Cookies", "SourceIp", "SourcePort", "Results", "TargetId"]
        var answered = 0, refused = 0
        for operation in operations {
            for name in names {
                for value in values {
                    // Keep real ARNs in place so that the parameter under test is what gets checked.
                    let base = #""LoadBalancerArn": "\#(lb)", "ListenerArn": "\#(listener)", "TargetGroupArn": "\#(group)""#
                    let json = name.hasSuffix("Arn") ? #"{"\#(name)": \#(value)}"# : #"{\#(base), "\#(name)": \#(value)}"#
                    do {
                        _ = try h.call(operation, json)
                        answered += 1
                    } catch let error as APIError {
                        XCTAssertFalse(error.code.isEmpty)
                        XCTAssertFalse(error.message.isEmpty)
                        refused += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(refused, 0)
        XCTAssertGreaterThan(answered, 0)
        h.advance(7200)  // and the clock still runs
    }
}
