import EMRSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import SimulatorTestSupport
import XCTest

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
        expectResultOrAWSError(h.router, service: "emr", operation: operation, params: params, statuses: [400], file: file, line: line)
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
