import EMRSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// EMR as a rule target: `EmrParameters.StepTemplate` and `EmrParameters.RunJobFlowTemplate`.
final class TargetTests: XCTestCase {
    func putTargets(_ h: Harness, rule: String, _ targets: String) throws {
        let response = try h.call("PutTargets", #"{"Rule": "\#(rule)", "Targets": \#(targets)}"#, service: "events")
        XCTAssertEqual(response["FailedEntryCount"]?.number, 0)
    }

    func testAMatchedEventAddsAStepFilledFromTheTransformedInput() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        h.router.advance(by: 600)
        _ = try h.router.putRule(account: Harness.account, region: Harness.region, name: "uploads", eventPattern: #"{"source": ["com.uploads"]}"#)
        try putTargets(h, rule: "uploads", #"""
            [{"Id": "emr", "Arn": "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/\#(id)",
              "InputTransformer": {"InputPathsMap": {"key": "$.detail.key", "size": "$.detail.size"}, "InputTemplate": "{\"key\": <key>, \"size\": <size>}"},
              "EmrParameters": {"StepTemplate": {"Name": "ingest <key>", "ActionOnFailure": "CONTINUE",
                "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", "s3://etl/ingest.py", "--key", "<key>", "--bytes", "<size>", "<unknown>"]}}}}]
            """#)
        _ = try h.router.putEvents(account: Harness.account, region: Harness.region, entries: [
            PutEventsEntry(source: "com.uploads", detailType: "Upload", detail: #"{"key": "2025/01/01/a.csv", "size": 1024}"#),
        ])
        h.router.runUntilIdle()
        let steps = try h.call("ListSteps", #"{"ClusterId": "\#(id)"}"#)["Steps"]?.array ?? []
        XCTAssertEqual(steps.count, 1)
        XCTAssertEqual(steps.first?["Name"], .string("ingest 2025/01/01/a.csv"))
        XCTAssertEqual(steps.first?["Config"]?["Args"],
                       .array(["spark-submit", "s3://etl/ingest.py", "--key", "2025/01/01/a.csv", "--bytes", "1024", "<unknown>"].map(JSONValue.string)))
        XCTAssertEqual(steps.first?["Status"]?["State"], .string("RUNNING"), "work caused by the delivery runs at once")
        XCTAssertEqual(try h.state(id), "RUNNING")
    }

    func testAWholePlaceholderKeepsTheValuesType() throws {
        let h = try Harness()
        _ = try h.router.putRule(account: Harness.account, region: Harness.region, name: "adhoc", eventPattern: #"{"source": ["com.jobs"]}"#)
        try putTargets(h, rule: "adhoc", #"""
            [{"Id": "emr", "Arn": "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/*",
              "EmrParameters": {"RunJobFlowTemplate": {"Name": "job <detail.job>", "StepConcurrencyLevel": "<detail.parallel>",
                "Instances": {"InstanceGroups": [{"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
                                                 {"InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": "<detail.workers>"}]},
                "Steps": [{"Name": "run", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": "<detail.args>"}}]}}}]
            """#)
        _ = try h.router.putEvents(account: Harness.account, region: Harness.region, entries: [
            PutEventsEntry(source: "com.jobs", detailType: "Job", detail: #"{"job": 7, "parallel": 4, "workers": 6, "args": ["spark-submit", "job.py"]}"#),
        ])
        h.router.runUntilIdle()
        let id = try XCTUnwrap(try h.call("ListClusters", "{}")["Clusters"]?[0]?["Id"]?.string)
        let cluster = try h.cluster(id)
        XCTAssertEqual(cluster["Name"], .string("job 7"))
        XCTAssertEqual(cluster["StepConcurrencyLevel"]?.number, 4)
        let groups = try h.call("ListInstanceGroups", #"{"ClusterId": "\#(id)"}"#)["InstanceGroups"]?.array ?? []
        XCTAssertEqual(groups.last?["RequestedInstanceCount"]?.number, 6)
        let steps = try h.call("ListSteps", #"{"ClusterId": "\#(id)"}"#)["Steps"]?.array ?? []
        XCTAssertEqual(steps.first?["Config"]?["Args"], .array([.string("spark-submit"), .string("job.py")]))
    }

    func testFailedDeliveriesAreReportedToTheRouter() throws {
        let h = try Harness()
        h.router.recordOutcomes(true)
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        h.router.advance(by: 600)
        _ = try h.router.putRule(account: Harness.account, region: Harness.region, name: "r", eventPattern: #"{"source": ["com.x"]}"#)
        try putTargets(h, rule: "r", #"""
            [{"Id": "nosuch", "Arn": "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-NOSUCHCLUSTER0",
              "EmrParameters": {"StepTemplate": {"Name": "s", "HadoopJarStep": {"Jar": "a.jar"}}}},
             {"Id": "noparams", "Arn": "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/\#(id)"},
             {"Id": "badstep", "Arn": "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/\#(id)",
              "EmrParameters": {"StepTemplate": {"Name": "s"}}}]
            """#)
        _ = h.router.drainOutcomes()
        _ = try h.router.putEvents(account: Harness.account, region: Harness.region, entries: [PutEventsEntry(source: "com.x", detailType: "X", detail: "{}")])
        h.router.runUntilIdle()
        let outcomes = h.router.drainOutcomes().filter { $0.targetArn.contains("elasticmapreduce") && $0.kind != .retry }
        XCTAssertEqual(outcomes.count, 3)
        XCTAssertTrue(outcomes.allSatisfy { $0.kind != .delivery }, "\(outcomes.map(\.kind))")
        XCTAssertEqual(Set(outcomes.compactMap { $0.error?.code }), ["NO_RESOURCE", "TARGET_ERROR"])
        XCTAssertEqual(try h.call("ListSteps", #"{"ClusterId": "\#(id)"}"#)["Steps"]?.array?.count, 0)
    }

    /// The acceptance pipeline: a nightly schedule starts a transient cluster (RunJobFlowTemplate);
    /// rules on "EMR Step Status Change" COMPLETED add the next step (StepTemplate with the cluster id
    /// from the event); the idle timeout ends the cluster.
    func testNightlyPipeline() throws {
        let h = try Harness()
        _ = try h.router.putRule(account: Harness.account, region: Harness.region, name: "nightly", scheduleExpression: "cron(0 2 * * ? *)")
        try putTargets(h, rule: "nightly", #"""
            [{"Id": "start", "Arn": "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/*",
              "InputTransformer": {"InputPathsMap": {"time": "$.time"}, "InputTemplate": "{\"date\": <time>}"},
              "EmrParameters": {"RunJobFlowTemplate": {"Name": "nightly <date>", "Instances": \#(Fixture.groups(keepAlive: true)),
                "AutoTerminationPolicy": {"IdleTimeout": 300},
                "Steps": [{"Name": "extract", "ActionOnFailure": "TERMINATE_CLUSTER", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["extract", "<date>"]}}]}}}]
            """#)
        for (after, next) in [("extract", "transform"), ("transform", "load")] {
            _ = try h.router.putRule(account: Harness.account, region: Harness.region, name: "after-\(after)", eventPattern: #"""
                {"source": ["aws.emr"], "detail-type": ["EMR Step Status Change"], "detail": {"state": ["COMPLETED"], "name": ["\#(after)"]}}
                """#)
            try putTargets(h, rule: "after-\(after)", #"""
                [{"Id": "next", "Arn": "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/*",
                  "EmrParameters": {"ClusterId": "<detail.clusterId>",
                    "StepTemplate": {"Name": "\#(next)", "ActionOnFailure": "TERMINATE_CLUSTER", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["\#(next)", "<detail.stepId>"]}}}}]
                """#)
        }
        h.router.advance(by: 2 * 3600 - 1)
        XCTAssertEqual(try h.call("ListClusters", "{}")["Clusters"]?.array?.count, 0, "nothing before the schedule time")
        h.router.advance(by: 3600)
        let clusters = try h.call("ListClusters", "{}")["Clusters"]?.array ?? []
        XCTAssertEqual(clusters.count, 1)
        let id = try XCTUnwrap(clusters.first?["Id"]?.string)
        XCTAssertEqual(clusters.first?["Name"], .string("nightly 2025-01-01T02:00:00Z"))
        XCTAssertEqual(try h.state(id), "TERMINATED")
        XCTAssertEqual(try h.reasonCode(id), "ALL_STEPS_COMPLETED")
        let steps = (try h.call("ListSteps", #"{"ClusterId": "\#(id)"}"#)["Steps"]?.array ?? []).reversed()
        XCTAssertEqual(steps.map { $0["Name"]?.string ?? "" }, ["extract", "transform", "load"])
        XCTAssertTrue(steps.allSatisfy { $0["Status"]?["State"] == .string("COMPLETED") })
        let extract = try XCTUnwrap(steps.first?["Id"])
        XCTAssertEqual(steps.dropFirst().first?["Config"]?["Args"]?[1], extract, "the next step got the completed step's id from the event")
        // 02:00 start, 02:03 ready, 60 s per step, then 300 s idle and 60 s terminating.
        let base: Int64 = 2 * 3600
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: id), [
            "STARTING@\(base)", "BOOTSTRAPPING@\(base + 120)", "RUNNING@\(base + 180)",
            "WAITING@\(base + 240)", "RUNNING@\(base + 240)", "WAITING@\(base + 300)", "RUNNING@\(base + 300)",
            "WAITING@\(base + 360)", "TERMINATING@\(base + 660)", "TERMINATED@\(base + 720)",
        ])
        // The next night starts a fresh cluster.
        h.router.advance(by: 24 * 3600)
        XCTAssertEqual(try h.call("ListClusters", "{}")["Clusters"]?.array?.count, 2)
    }
}
