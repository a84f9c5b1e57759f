import ELBSimulator
import EventBus
import EventPatterns
import SimulatorTestSupport
import XCTest

/// Brute force: every operation starts from a *valid* request and has each of its members (at any
/// depth) replaced by hostile values in turn, so that the checks deep inside a request are reached.
/// Only a value or an AWS-shaped error (`APIError`) may come back; a trap would end the test run.
final class BruteForceTests: XCTestCase {
    static let hostile: [JSONValue] = {
        let texts = ["null", "0", "-1", "1", "1e300", "-1e300", "9007199254740993", "999999999999999", "-999999999999999",
                     "65536", "4294967296", "0.5", "true", "false", "\"\"", "\"x\"", "\"-1\"", "\"99999999999999999999\"",
                     "\"1e300\"", "\"\\u0000\\u0001<&>\"", "[]", "[null]", "[[[[]]]]", "[{}]", "{}", "{\"a\": {\"b\": []}}",
                     "\"traffic-port\"", "\"*\"", "\"9223372036854775807\"", "\"-9223372036854775808\""]
        var values = texts.map { try! JSONReader.parse($0) }
        values.append(.string(String(repeating: "a", count: 100_000)))
        values.append(.string(String(repeating: "*?", count: 20_000)))
        values.append(.array(Array(repeating: .string("x"), count: 2_000)))
        return values
    }()

    func testEveryMemberOfEveryOperationSurvivesHostileValues() throws {
        let h = try Harness()
        let lb = try h.loadBalancer()
        let nlb = try h.loadBalancer("net", type: "network")
        let group = try h.targetGroup("g")
        let tcpGroup = try h.targetGroup("t", protocol: "TCP", port: 80)
        try h.register(group, [("i-0123456789abcdef0", 80)])
        try h.register(tcpGroup, [("i-0123456789abcdef0", 80)])
        let listener = try h.listener(lb, defaultActions: h.forward(group))
        let nlbListener = try h.listener(nlb, protocol: "TCP", defaultActions: h.forward(tcpGroup))
        let rule = try h.rule(listener, 10, conditions: #"[{"Field": "path-pattern", "Values": ["/a*"]}]"#, actions: h.forward(group))
        h.advance(600)

        let forward = #"""
            [{"Type": "forward", "Order": 1, "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "\#(group)", "Weight": 3}],
              "TargetGroupStickinessConfig": {"Enabled": true, "DurationSeconds": 60}}}]
            """#
        let conditions = #"""
            [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/x*"]}},
             {"Field": "host-header", "HostHeaderConfig": {"Values": ["*.example.com"]}},
             {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "User-Agent", "Values": ["*Mobile*"]}}]
            """#
        let moreConditions = #"""
            [{"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "v", "Value": "1"}]}},
             {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["GET"]}},
             {"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8"]}}]
            """#
        let redirect = ##"[{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}", "StatusCode": "HTTP_301"}}]"##
        let fixed = #"[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "503", "ContentType": "text/plain", "MessageBody": "down"}}]"#
        let templates: [(String, String)] = [
            ("CreateLoadBalancer", #"{"Name": "n1", "Type": "application", "Scheme": "internal", "IpAddressType": "ipv4", "Subnets": ["subnet-1", "subnet-2"]}"#),
            ("DescribeLoadBalancers", #"{"LoadBalancerArns": ["\#(lb)"], "Names": ["web"]}"#),
            ("ModifyLoadBalancerAttributes", #"{"LoadBalancerArn": "\#(lb)", "Attributes": [{"Key": "idle_timeout.timeout_seconds", "Value": "60"}, {"Key": "deletion_protection.enabled", "Value": "false"}]}"#),
            ("ModifyLoadBalancerAttributes", #"{"LoadBalancerArn": "\#(nlb)", "Attributes": [{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}]}"#),
            ("DescribeLoadBalancerAttributes", #"{"LoadBalancerArn": "\#(lb)"}"#),
            ("CreateListener", #"{"LoadBalancerArn": "\#(lb)", "Protocol": "HTTP", "Port": 8080, "DefaultActions": \#(forward)}"#),
            ("CreateListener", #"{"LoadBalancerArn": "\#(lb)", "Protocol": "HTTP", "Port": 8081, "DefaultActions": \#(redirect)}"#),
            ("CreateListener", #"{"LoadBalancerArn": "\#(nlb)", "Protocol": "TCP", "Port": 81, "DefaultActions": [{"Type": "forward", "TargetGroupArn": "\#(tcpGroup)"}]}"#),
            ("ModifyListener", #"{"ListenerArn": "\#(listener)", "Protocol": "HTTP", "Port": 80, "DefaultActions": \#(fixed)}"#),
            ("DescribeListeners", #"{"LoadBalancerArn": "\#(lb)", "ListenerArns": ["\#(listener)"]}"#),
            ("CreateTargetGroup", #"{"Name": "g2", "Protocol": "HTTP", "ProtocolVersion": "HTTP1", "Port": 80, "VpcId": "vpc-1", "TargetType": "ip", "HealthCheckEnabled": true, "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port", "HealthCheckPath": "/health", "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 5, "UnhealthyThresholdCount": 2, "Matcher": {"HttpCode": "200-299"}}"#),
            ("ModifyTargetGroup", #"{"TargetGroupArn": "\#(group)", "HealthCheckProtocol": "HTTP", "HealthCheckPort": "8080", "HealthCheckPath": "/", "HealthCheckIntervalSeconds": 10, "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 3, "UnhealthyThresholdCount": 3, "Matcher": {"HttpCode": "200,302"}}"#),
            ("DescribeTargetGroups", #"{"LoadBalancerArn": "\#(lb)", "TargetGroupArns": ["\#(group)"], "Names": ["g"]}"#),
            ("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(group)", "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}, {"Key": "stickiness.enabled", "Value": "true"}, {"Key": "stickiness.type", "Value": "lb_cookie"}, {"Key": "stickiness.lb_cookie.duration_seconds", "Value": "600"}, {"Key": "slow_start.duration_seconds", "Value": "60"}, {"Key": "load_balancing.algorithm.type", "Value": "weighted_random"}]}"#),
            ("DescribeTargetGroupAttributes", #"{"TargetGroupArn": "\#(group)"}"#),
            ("RegisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "i-0123456789abcdef1", "Port": 8080, "AvailabilityZone": "all"}]}"#),
            ("DescribeTargetHealth", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "i-0123456789abcdef0", "Port": 80}]}"#),
            ("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 20, "Conditions": \#(conditions), "Actions": \#(forward)}"#),
            ("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 21, "Conditions": \#(moreConditions), "Actions": \#(redirect)}"#),
            ("ModifyRule", #"{"RuleArn": "\#(rule)", "Conditions": \#(conditions), "Actions": \#(fixed)}"#),
            ("DescribeRules", #"{"ListenerArn": "\#(listener)", "RuleArns": ["\#(rule)"]}"#),
            ("SetRulePriorities", #"{"RulePriorities": [{"RuleArn": "\#(rule)", "Priority": 30}]}"#),
            ("RouteRequest", #"{"ListenerArn": "\#(listener)", "Method": "GET", "Host": "a.example.com", "Path": "/x/y", "Query": {"v": "1"}, "Headers": {"User-Agent": "Mobile", "Cookie": "AWSALB=abc"}, "SourceIp": "10.1.2.3", "DurationSeconds": 5, "RequestBytes": 100, "ResponseBytes": 1000, "NewConnection": true, "ResponseCookies": {"c": "1"}}"#),
            ("RouteFlow", #"{"ListenerArn": "\#(nlbListener)", "Protocol": "TCP", "SourceIp": "10.9.9.9", "SourcePort": 40000, "DestinationPort": 80, "SequenceNumber": 7, "Bytes": 500, "Close": false}"#),
            ("SetTargetHealthProbe", #"{"TargetId": "i-0123456789abcdef0", "Port": 80, "Results": [200, 500, "timeout"]}"#),
            ("DescribeCapacityUnits", #"{"LoadBalancerArn": "\#(lb)"}"#),
            ("DeregisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "i-0123456789abcdef1", "Port": 8080}]}"#),
            ("DescribeRoutedDeliveries", #"{}"#),
            ("DeleteRule", #"{"RuleArn": "\#(rule)"}"#),
            ("DeleteListener", #"{"ListenerArn": "\#(listener)"}"#),
            ("DeleteTargetGroup", #"{"TargetGroupArn": "\#(group)"}"#),
            ("DeleteLoadBalancer", #"{"LoadBalancerArn": "\#(lb)"}"#),
        ]
        var answered = 0, refused = 0
        for (operation, text) in templates {
            let template = try JSONReader.parse(text)
            do {
                _ = try h.router.call(service: "elbv2", operation: operation, account: h.account, region: h.region, params: template)
            } catch where operation == "DeleteTargetGroup" && error.code == "ResourceInUse" {
                // The group is still used by the other listeners: the one template meant to fail.
            } catch {
                // Every other template works as it is, so that its mutations reach the deep checks.
                XCTFail("\(operation): \(error.code) \(error.message)")
            }
            for mutated in Mutations.variants(of: template, values: Self.hostile, depth: 32) {
                do {
                    _ = try h.router.call(service: "elbv2", operation: operation, account: h.account, region: h.region, params: mutated)
                    answered += 1
                } catch {
                    XCTAssertFalse(error.code.isEmpty)
                    XCTAssertFalse(error.message.isEmpty, "\(operation): \(error.code)")
                    refused += 1
                }
            }
            h.advance(37)
        }
        XCTAssertGreaterThan(refused, 1_000)
        XCTAssertGreaterThan(answered, 100)
        h.advance(3 * 86_400)  // health checks, draining, flow expiry and the hourly reports still run
    }
}
