import EMRSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// Values that replace a valid parameter in the brute-force tests: wrong types, signs, zero, huge
/// and non-finite numbers, integers beyond 2^53, empty and 100 KB strings, nulls, nested and long
/// lists, deep structures.
enum Mutations {
    static let deep: JSONValue = {
        var value = JSONValue.array([])
        for _ in 0..<200 { value = .members([("a", value)]) }
        return value
    }()

    static let values: [JSONValue] = [
        .null, .bool(true), .bool(false),
        .number(JSONNumber(-1)), .number(JSONNumber(0)), .number(JSONNumber(0.5)), .number(JSONNumber(-0.0)),
        .number(JSONNumber(1e300)), .number(JSONNumber(-1e300)), .number(JSONNumber(9e14)), .number(JSONNumber(9e15)), .number(JSONNumber(9.3e18)),
        .number(JSONNumber(text: "9007199254740993", value: 9_007_199_254_740_992)),
        .number(JSONNumber(text: "NaN", value: .nan)), .number(JSONNumber(text: "1e999", value: .infinity)),
        .string(""), .string("-1"), .string("9223372036854775807"), .string("1e300"), .string("Ref::Ref::"),
        .string(String(repeating: "a", count: 100_000)),
        .array([]), .array([.array([.array([.null])])]), .array(Array(repeating: .string("x"), count: 10_000)),
        .object(JSONObject()), deep,
    ]

    /// Every variant of `value` with one position (member or element, down to `depth` levels)
    /// replaced by a mutation or, for a member, removed.
    static func variants(of value: JSONValue, depth: Int = 4) -> [JSONValue] {
        guard depth > 0 else { return [] }
        var result: [JSONValue] = []
        switch value {
        case .object(let object):
            for (position, member) in object.members.enumerated() {
                func replaced(_ new: JSONValue?) -> JSONValue {
                    var members = object.members
                    if let new { members[position].value = new } else { members.remove(at: position) }
                    return .object(JSONObject(members))
                }
                result.append(replaced(nil))
                for mutation in values { result.append(replaced(mutation)) }
                for nested in variants(of: member.value, depth: depth - 1) { result.append(replaced(nested)) }
            }
        case .array(let items):
            for (position, item) in items.enumerated() {
                func replaced(_ new: JSONValue) -> JSONValue {
                    var copy = items
                    copy[position] = new
                    return .array(copy)
                }
                for mutation in values { result.append(replaced(mutation)) }
                for nested in variants(of: item, depth: depth - 1) { result.append(replaced(nested)) }
            }
        default:
            break
        }
        return result
    }
}

/// Brute force: every EMR operation with mutated versions of valid parameters answers with an
/// AWS-shaped error or a result, never a trap; deliveries with mutated templates and inputs fail or
/// succeed; then time runs to the router's far limit and every operation still answers.
final class RobustnessTests: XCTestCase {
    static let validCalls: [(String, String)] = [
        ("RunJobFlow", #"{"Name": "c", "ReleaseLabel": "emr-7.1.0", "LogUri": "s3://l", "StepConcurrencyLevel": 1, "AutoTerminationPolicy": {"IdleTimeout": 600}, "Applications": [{"Name": "Spark", "Version": "3"}], "BootstrapActions": [{"Name": "b", "ScriptBootstrapAction": {"Path": "s3://b", "Args": ["emr.sim.duration=5"]}}], "Tags": [{"Key": "k", "Value": "v"}], "Instances": {"KeepJobFlowAliveWhenNoSteps": true, "TerminationProtected": false, "InstanceGroups": [{"Name": "m", "InstanceRole": "MASTER", "Market": "ON_DEMAND", "InstanceType": "m5.xlarge", "InstanceCount": 1}, {"InstanceRole": "CORE", "Market": "SPOT", "BidPrice": "0.1", "InstanceType": "m5.xlarge", "InstanceCount": 2}]}, "Steps": [{"Name": "s", "ActionOnFailure": "CONTINUE", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["a"], "MainClass": "M", "Properties": [{"Key": "emr.sim.duration", "Value": "30"}]}}]}"#),
        ("RunJobFlow", #"{"Name": "f", "Instances": {"KeepJobFlowAliveWhenNoSteps": true, "InstanceFleets": [{"Name": "m", "InstanceFleetType": "MASTER", "TargetOnDemandCapacity": 1, "InstanceTypeConfigs": [{"InstanceType": "m5.xlarge"}]}, {"InstanceFleetType": "CORE", "TargetOnDemandCapacity": 2, "TargetSpotCapacity": 3, "InstanceTypeConfigs": [{"InstanceType": "m5.xlarge", "WeightedCapacity": 2}]}]}}"#),
        ("RunJobFlow", #"{"Name": "s", "Instances": {"MasterInstanceType": "m5.xlarge", "SlaveInstanceType": "m5.large", "InstanceCount": 3, "KeepJobFlowAliveWhenNoSteps": true}}"#),
        ("DescribeCluster", #"{"ClusterId": "CLUSTER"}"#),
        ("ListClusters", #"{"ClusterStates": ["RUNNING", "WAITING"], "CreatedAfter": 0, "CreatedBefore": "2030-01-01T00:00:00Z", "Marker": "0"}"#),
        ("AddJobFlowSteps", #"{"JobFlowId": "CLUSTER", "Steps": [{"Name": "t", "ActionOnFailure": "CONTINUE", "HadoopJarStep": {"Jar": "x.jar", "Args": ["1"], "Properties": [{"Key": "emr.sim.duration", "Value": "20"}]}}]}"#),
        ("DescribeStep", #"{"ClusterId": "CLUSTER", "StepId": "STEP"}"#),
        ("ListSteps", #"{"ClusterId": "CLUSTER", "StepStates": ["PENDING"], "StepIds": ["STEP"], "Marker": "0"}"#),
        ("CancelSteps", #"{"ClusterId": "CLUSTER", "StepIds": ["STEP"], "StepCancellationOption": "SEND_INTERRUPT"}"#),
        ("ListInstanceGroups", #"{"ClusterId": "CLUSTER", "Marker": "0"}"#),
        ("ListInstanceFleets", #"{"ClusterId": "CLUSTER"}"#),
        ("ModifyInstanceGroups", #"{"ClusterId": "CLUSTER", "InstanceGroups": [{"InstanceGroupId": "GROUP", "InstanceCount": 4}]}"#),
        ("ModifyCluster", #"{"ClusterId": "CLUSTER", "StepConcurrencyLevel": 2}"#),
        ("SetTerminationProtection", #"{"JobFlowIds": ["CLUSTER"], "TerminationProtected": false}"#),
        ("SetKeepJobFlowAliveWhenNoSteps", #"{"JobFlowIds": ["CLUSTER"], "KeepJobFlowAliveWhenNoSteps": true}"#),
        ("TerminateJobFlows", #"{"JobFlowIds": ["OTHER"]}"#),
        ("NoSuchOperation", #"{}"#),
    ]

    func call(_ h: Harness, _ operation: String, _ params: JSONValue, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try h.router.call(service: "emr", operation: operation, account: Harness.account, region: Harness.region, params: params)
        } catch let error as APIError {
            XCTAssertFalse(error.code.isEmpty, file: file, line: line)
            XCTAssertEqual(error.httpStatus, 400, "\(operation): \(error)", file: file, line: line)
        } catch {
            XCTFail("\(operation) threw \(error)", file: file, line: line)
        }
    }

    func ids(_ h: Harness) throws -> [String: String] {
        let cluster = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        let other = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        let step = try h.addSteps(cluster, #"[{"Name": "long", "HadoopJarStep": {"Jar": "x.jar", "Properties": [{"Key": "emr.sim.duration", "Value": "100000"}]}}]"#)[0]
        let groups = try h.call("ListInstanceGroups", #"{"ClusterId": "\#(cluster)"}"#)["InstanceGroups"]?.array ?? []
        let core = groups.first { $0["InstanceGroupType"]?.string == "CORE" }?["Id"]?.string ?? ""
        return ["CLUSTER": cluster, "OTHER": other, "STEP": step, "GROUP": core]
    }

    func filled(_ template: String, _ ids: [String: String]) throws -> JSONValue {
        var text = template
        for (key, value) in ids { text = text.replacingOccurrences(of: "\"\(key)\"", with: "\"\(value)\"") }
        return try JSONReader.parse(text)
    }

    func testEveryOperationWithMutatedParametersAnswersWithAnErrorOrAResult() throws {
        let h = try Harness()
        let ids = try ids(h)
        h.router.advance(by: 300)
        var calls = 0
        for (operation, template) in Self.validCalls {
            let valid = try filled(template, ids)
            call(h, operation, valid)
            for variant in Mutations.variants(of: valid) {
                call(h, operation, variant)
                calls += 1
            }
            h.router.advance(by: 61)
        }
        XCTAssertGreaterThan(calls, 2_500)
        h.router.advance(by: Int64.max)
        for (operation, template) in Self.validCalls { call(h, operation, try filled(template, ids)) }
        h.router.advance(by: Int64.max)
        for (operation, template) in Self.validCalls { call(h, operation, try filled(template, ids)) }
        XCTAssertNotNil(try h.state(ids["CLUSTER"] ?? ""))
    }

    func testDeliveriesWithMutatedTemplatesAndInputsNeverTrap() throws {
        let h = try Harness()
        let cluster = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        h.router.advance(by: 300)
        let arn = "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/\(cluster)"
        let step = try JSONReader.parse(#"{"EmrParameters": {"StepTemplate": {"Name": "<name>", "ActionOnFailure": "CONTINUE", "HadoopJarStep": {"Jar": "x.jar", "Args": ["<detail.n>", "<$>"], "Properties": [{"Key": "emr.sim.duration", "Value": "<detail.n>"}]}}}}"#)
        let flow = try JSONReader.parse(#"{"EmrParameters": {"RunJobFlowTemplate": {"Name": "<name>", "StepConcurrencyLevel": "<detail.n>", "Instances": {"MasterInstanceType": "m5.xlarge", "InstanceCount": "<detail.n>"}}}}"#)
        let input = try JSONReader.parse(#"{"name": "n", "detail": {"n": 3, "list": [1, 2]}}"#)
        func deliver(_ parameters: JSONValue, _ input: JSONValue, arn target: String = arn) {
            guard case .object(let object) = parameters else { return }
            let request = DeliveryRequest(targetArn: target, targetID: "t", ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r",
                                          event: .object(JSONObject()), input: DeliveredInput(json: input), attempt: 1, time: h.clock.now(),
                                          account: Harness.account, region: Harness.region, parameters: object)
            _ = h.emr.deliver(request)
        }
        for parameters in [step, flow] {
            deliver(parameters, input)
            for variant in Mutations.variants(of: parameters) { deliver(variant, input) }
            for variant in Mutations.variants(of: input) { deliver(parameters, variant) }
            for mutation in Mutations.values { deliver(parameters, mutation) }
            h.router.advance(by: 61)
        }
        for target in ["", "arn:aws:elasticmapreduce:", "arn:aws:elasticmapreduce:::cluster/", "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/*",
                       String(repeating: ":", count: 10_000)] {
            deliver(step, input, arn: target)
            deliver(flow, input, arn: target)
        }
        h.router.advance(by: Int64.max)
        let steps = try h.call("ListSteps", #"{"ClusterId": "\#(cluster)"}"#)["Steps"]?.array ?? []
        XCTAssertFalse(steps.isEmpty, "the valid deliveries added steps")
    }
}
