import ELBSimulator
import EventBus
import EventPatterns
import EventTargets
import XCTest

/// The simulator as a rule target (listener and target-group ARNs) and its resource operations.
final class TargetFormTests: XCTestCase {
    func testAnEC2RunningEventRegistersTheInstanceAndAStoppedEventDeregistersIt() throws {
        let h = try Harness()
        let lb = try h.loadBalancer()
        let group = try h.targetGroup("fleet")
        let listener = try h.listener(lb, defaultActions: h.forward(group))
        _ = try h.router.putRule(account: h.account, region: h.region, name: "ec2-launches",
                                 eventPattern: #"{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]}"#)
        _ = try h.router.call(service: "events", operation: "PutTargets", account: h.account, region: h.region, params: try JSONReader.parse(#"""
            {"Rule": "ec2-launches", "Targets": [{"Id": "tg", "Arn": "\#(group)", "ElbParameters": {"Port": 8080}}]}
            """#))
        // Services' own sources are published through the service path, as AWS would.
        h.router.putServiceEvent(account: h.account, region: h.region, source: "aws.ec2", detailType: "EC2 Instance State-change Notification",
                                 detail: .members([("instance-id", .string("i-0123456789abcdef0")), ("state", .string("running"))]), resources: [])
        h.router.runUntilIdle()
        XCTAssertEqual(try h.health(group), ["i-0123456789abcdef0:8080": "initial"])
        h.advance(30)
        XCTAssertEqual(try h.route(listener)["Target"]?["Port"]?.int, 8080)
        h.router.putServiceEvent(account: h.account, region: h.region, source: "aws.ec2", detailType: "EC2 Instance State-change Notification",
                                 detail: .members([("instance-id", .string("i-0123456789abcdef0")), ("state", .string("stopped"))]), resources: [])
        h.router.runUntilIdle()
        XCTAssertEqual(try h.health(group), ["i-0123456789abcdef0:8080": "draining"])
    }

    func testAnEventRoutedThroughAListenerBecomesARequest() throws {
        let h = try Harness()
        let lb = try h.loadBalancer()
        let listener = try h.listener(lb, defaultActions: h.fixed("404", "no"))
        try h.rule(listener, 1, conditions: #"[{"Field": "path-pattern", "Values": ["/orders/*"]}]"#, actions: h.fixed("202", "accepted"))
        _ = try h.router.putRule(account: h.account, region: h.region, name: "orders", eventPattern: #"{"source": ["com.shop"]}"#)
        _ = try h.router.call(service: "events", operation: "PutTargets", account: h.account, region: h.region, params: try JSONReader.parse(#"""
            {"Rule": "orders", "Targets": [{"Id": "alb", "Arn": "\#(listener)", "ElbParameters": {"Method": "POST", "Host": "shop.example.com"},
              "InputTransformer": {"InputPathsMap": {"id": "$.detail.id"}, "InputTemplate": "{\"Path\": \"/orders/<id>\"}"}}]}
            """#))
        _ = try h.router.putEvents(account: h.account, region: h.region, entries: [PutEventsEntry(source: "com.shop", detailType: "Order", detail: #"{"id": "o-17"}"#)])
        h.router.runUntilIdle()
        let deliveries = try h.call("DescribeRoutedDeliveries", "{}")["Deliveries"]
        XCTAssertEqual(deliveries?[0]?["Result"]?["MessageBody"]?.text, "accepted")
        XCTAssertEqual(deliveries?[0]?["Result"]?["StatusCode"]?.int, 202)
        XCTAssertTrue(deliveries?[0]?["Result"]?["TraceId"]?.text?.hasPrefix("Root=1-") ?? false)
    }

    func testDeliveriesToMissingResourcesFailWithoutRetry() throws {
        let h = try Harness()
        let result = h.elb.deliver(DeliveryRequest(
            targetArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/none/0000000000000000/0000000000000000",
            targetID: "t", ruleArn: "r", event: .null, input: DeliveredInput(json: .object(JSONObject())), attempt: 1,
            time: h.clock.now(), account: h.account, region: h.region))
        XCTAssertEqual(result, .failed(code: "NO_RESOURCE", message: "Listener arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/none/0000000000000000/0000000000000000 not found", retriable: false))
    }

    func testLoadBalancerOperationsAndErrors() throws {
        let h = try Harness()
        let lb = try h.loadBalancer()
        XCTAssertTrue(lb.hasPrefix("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/"))
        XCTAssertEqual(try h.failure("CreateLoadBalancer", #"{"Name": "web"}"#)?.code, "DuplicateLoadBalancerName")
        XCTAssertEqual(try h.failure("CreateLoadBalancer", #"{"Name": "-web"}"#)?.code, "ValidationError")
        XCTAssertEqual(try h.failure("CreateLoadBalancer", #"{"Name": "\#(String(repeating: "x", count: 33))"}"#)?.code, "ValidationError")
        XCTAssertEqual(try h.failure("CreateLoadBalancer", #"{"Name": "one", "Subnets": ["subnet-1"]}"#)?.code, "ValidationError")
        XCTAssertEqual(try h.failure("CreateLoadBalancer", #"{"Name": "gw", "Type": "gateway"}"#)?.code, "ValidationError")
        let described = try h.call("DescribeLoadBalancers", #"{"Names": ["web"]}"#)["LoadBalancers"]?[0]
        XCTAssertEqual(described?["State"]?["Code"]?.text, "active")
        XCTAssertEqual(described?["Scheme"]?.text, "internet-facing")
        XCTAssertEqual(try h.failure("DescribeLoadBalancers", #"{"Names": ["nope"]}"#)?.code, "LoadBalancerNotFound")
        let listener = try h.listener(lb, defaultActions: h.fixed("200", "x"))
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(lb)", "Protocol": "HTTP", "Port": 80, "DefaultActions": \#(h.fixed("200", "x"))}"#)?.code, "DuplicateListener")
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(lb)", "Protocol": "HTTPS", "Port": 443, "DefaultActions": \#(h.fixed("200", "x"))}"#)?.code, "ValidationError")
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(lb)", "Protocol": "TCP", "Port": 81, "DefaultActions": \#(h.fixed("200", "x"))}"#)?.code, "UnsupportedProtocol")
        try h.call("ModifyListener", #"{"ListenerArn": "\#(listener)", "Port": 8080, "DefaultActions": \#(h.fixed("418", "teapot"))}"#)
        let listeners = try h.call("DescribeListeners", #"{"LoadBalancerArn": "\#(lb)"}"#)["Listeners"]?[0]
        XCTAssertEqual(listeners?["Port"]?.int, 8080)
        XCTAssertEqual(listeners?["DefaultActions"]?[0]?["FixedResponseConfig"]?["StatusCode"]?.text, "418")
        XCTAssertEqual(try h.route(listener)["StatusCode"]?.int, 418)
        for port in 1...49 { _ = try h.listener(lb, port: 9000 + port, defaultActions: h.fixed("200", "x")) }
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(lb)", "Protocol": "HTTP", "Port": 9999, "DefaultActions": \#(h.fixed("200", "x"))}"#)?.code, "TooManyListeners")
        try h.call("ModifyLoadBalancerAttributes", #"{"LoadBalancerArn": "\#(lb)", "Attributes": [{"Key": "deletion_protection.enabled", "Value": "true"}]}"#)
        XCTAssertEqual(try h.failure("DeleteLoadBalancer", #"{"LoadBalancerArn": "\#(lb)"}"#)?.code, "OperationNotPermitted")
        XCTAssertEqual(try h.failure("ModifyLoadBalancerAttributes", #"{"LoadBalancerArn": "\#(lb)", "Attributes": [{"Key": "idle_timeout.timeout_seconds", "Value": "0"}]}"#)?.code, "ValidationError")
        try h.call("ModifyLoadBalancerAttributes", #"{"LoadBalancerArn": "\#(lb)", "Attributes": [{"Key": "deletion_protection.enabled", "Value": "false"}]}"#)
        try h.call("DeleteLoadBalancer", #"{"LoadBalancerArn": "\#(lb)"}"#)
        XCTAssertEqual(try h.failure("DescribeListeners", #"{"ListenerArns": ["\#(listener)"]}"#)?.code, "ListenerNotFound")
        XCTAssertEqual(try h.failure("DescribeLoadBalancers", #"{"LoadBalancerArns": ["\#(lb)"]}"#)?.code, "LoadBalancerNotFound")
        XCTAssertEqual(try h.failure("Frobnicate", "{}")?.code, "InvalidAction")
        // Another account sees nothing.
        XCTAssertThrowsError(try h.router.call(service: "elbv2", operation: "DescribeTargetGroups", account: "222222222222", region: h.region,
                                               params: try JSONReader.parse(#"{"Names": ["x"]}"#)))
    }

    func testTargetGroupAndListenerLifecycle() throws {
        let h = try Harness()
        let lb = try h.loadBalancer()
        let group = try h.targetGroup("app")
        let attributes = try h.call("DescribeTargetGroupAttributes", #"{"TargetGroupArn": "\#(group)"}"#).jsonText
        XCTAssertTrue(attributes.contains(#"{"Key":"deregistration_delay.timeout_seconds","Value":"300"}"#))
        XCTAssertTrue(attributes.contains(#"{"Key":"load_balancing.algorithm.type","Value":"round_robin"}"#))
        XCTAssertTrue(attributes.contains(#"{"Key":"stickiness.lb_cookie.duration_seconds","Value":"86400"}"#))
        XCTAssertEqual(try h.call("DescribeTargetGroups", #"{"LoadBalancerArn": "\#(lb)"}"#)["TargetGroups"], .array([]))
        let listener = try h.listener(lb, defaultActions: h.forward(group))
        let byLB = try h.call("DescribeTargetGroups", #"{"LoadBalancerArn": "\#(lb)"}"#)["TargetGroups"]?[0]
        XCTAssertEqual(byLB?["TargetGroupArn"]?.text, group)
        XCTAssertEqual(byLB?["LoadBalancerArns"], .array([.string(lb)]))
        XCTAssertEqual(try h.failure("DeleteTargetGroup", #"{"TargetGroupArn": "\#(group)"}"#)?.code, "ResourceInUse")
        try h.call("DeleteListener", #"{"ListenerArn": "\#(listener)"}"#)
        XCTAssertEqual(try h.failure("DescribeRules", #"{"ListenerArn": "\#(listener)"}"#)?.code, "ListenerNotFound")
        try h.call("DeleteTargetGroup", #"{"TargetGroupArn": "\#(group)"}"#)
        XCTAssertEqual(try h.failure("DescribeTargetGroups", #"{"TargetGroupArns": ["\#(group)"]}"#)?.code, "TargetGroupNotFound")
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(lb)", "Protocol": "HTTP", "Port": 80, "DefaultActions": \#(h.forward(group))}"#)?.code, "TargetGroupNotFound")
    }

    func testBadParameterTypesAreValidationErrors() throws {
        let h = try Harness()
        XCTAssertEqual(try h.failure("CreateLoadBalancer", #"{"Name": 5}"#)?.code, "ValidationError")
        XCTAssertEqual(try h.failure("CreateTargetGroup", #"{"Name": "x", "Protocol": "HTTP", "Port": "80", "VpcId": "v"}"#)?.code, "ValidationError")
        XCTAssertEqual(try h.failure("RouteRequest", #"{"ListenerArn": "nope"}"#)?.code, "ListenerNotFound")
        let lb = try h.loadBalancer()
        let listener = try h.listener(lb, defaultActions: h.fixed("200", "x"))
        XCTAssertEqual(try h.failure("RouteRequest", #"{"ListenerArn": "\#(listener)", "SourceIp": "999.1.1.1"}"#)?.code, "ValidationError")
        XCTAssertEqual(try h.failure("RouteRequest", #"{"ListenerArn": "\#(listener)", "Path": "relative"}"#)?.code, "ValidationError")
        XCTAssertEqual(try h.failure("RouteFlow", #"{"ListenerArn": "\#(listener)", "SourceIp": "1.2.3.4", "SourcePort": 1}"#)?.code, "ValidationError")
        XCTAssertEqual(try h.failure("SetTargetHealthProbe", #"{"TargetId": "i-1", "Results": ["maybe"]}"#)?.code, "ValidationError")
    }
}
