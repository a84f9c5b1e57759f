import EMRSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import Synchronization
import XCTest

/// Operations, response shapes and errors (spec §2.5, §2.6), termination protection and resizes.
final class APITests: XCTestCase {
    func testRunJobFlowAnswersWithIdAndArnAndDescribeClusterEchoesTheRequest() throws {
        let h = try Harness()
        let response = try h.call("RunJobFlow", Fixture.cluster(keepAlive: true, extra: #"""
            , "Applications": [{"Name": "Spark"}, {"Name": "Hive", "Version": "3.1"}], "ServiceRole": "EMR_DefaultRole",
              "Tags": [{"Key": "team", "Value": "data"}], "LogUri": "s3://logs/"
            """#))
        let id = try XCTUnwrap(response["JobFlowId"]?.string)
        XCTAssertTrue(id.hasPrefix("j-"))
        XCTAssertEqual(id.count, 15, "j- and 13 characters")
        XCTAssertTrue(id.dropFirst(2).allSatisfy { $0.isUppercase || $0.isNumber })
        XCTAssertEqual(response["ClusterArn"], .string("arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/\(id)"))
        let cluster = try h.cluster(id)
        XCTAssertEqual(cluster["Name"], .string("etl"))
        XCTAssertEqual(cluster["ReleaseLabel"], .string("emr-7.1.0"))
        XCTAssertEqual(cluster["Applications"]?[1]?["Version"], .string("3.1"))
        XCTAssertEqual(cluster["Tags"]?[0]?["Value"], .string("data"))
        XCTAssertEqual(cluster["StepConcurrencyLevel"]?.number, 1)
        XCTAssertEqual(cluster["TerminationProtected"], .bool(false), "protection is off by default")
        XCTAssertEqual(cluster["InstanceCollectionType"], .string("INSTANCE_GROUP"))
        XCTAssertEqual(cluster["LogUri"], .string("s3://logs/"))
    }

    func testRequestValidation() throws {
        let h = try Harness()
        let master = #"{"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1}"#
        let bad: [String] = [
            #"{"Instances": {"MasterInstanceType": "m5.xlarge"}}"#,                                          // no Name
            #"{"Name": "x"}"#,                                                                               // no Instances
            #"{"Name": "x", "Instances": {}}"#,                                                              // no instances at all
            #"{"Name": "x", "Instances": {"InstanceGroups": [\#(master), \#(master)]}}"#,                    // two masters
            #"{"Name": "x", "Instances": {"InstanceGroups": [{"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 2}]}}"#,
            #"{"Name": "x", "Instances": {"InstanceGroups": [{"InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 2}]}}"#,
            #"{"Name": "x", "Instances": {"InstanceGroups": [{"InstanceRole": "BOSS", "InstanceType": "m5.xlarge", "InstanceCount": 1}]}}"#,
            #"{"Name": "x", "Instances": {"InstanceGroups": [\#(master)], "InstanceFleets": [{"InstanceFleetType": "MASTER", "TargetOnDemandCapacity": 1, "InstanceTypeConfigs": [{"InstanceType": "m5.xlarge"}]}]}}"#,
            #"{"Name": "x", "Instances": {"InstanceGroups": [\#(master)]}, "Steps": [{"Name": "s"}]}"#,     // no HadoopJarStep
            #"{"Name": "x", "Instances": {"InstanceGroups": [\#(master)]}, "Steps": [{"Name": "s", "ActionOnFailure": "EXPLODE", "HadoopJarStep": {"Jar": "a"}}]}"#,
            #"{"Name": "\#(String(repeating: "n", count: 257))", "Instances": {"InstanceGroups": [\#(master)]}}"#,
            #"{"Name": "x", "Instances": {"InstanceGroups": [\#(master)], "KeepJobFlowAliveWhenNoSteps": "yes"}}"#,
            #"{"Name": 7, "Instances": {"InstanceGroups": [\#(master)]}}"#,
            #"{"Name": "x", "Instances": {"InstanceGroups": "many"}}"#,
        ]
        for params in bad {
            XCTAssertEqual(h.failure("RunJobFlow", params)?.code, "ValidationException", params)
        }
        XCTAssertEqual(try h.call("ListClusters", "{}")["Clusters"]?.array?.count, 0, "no failed request created a cluster")
        XCTAssertEqual(h.failure("DescribeCluster", #"{"ClusterId": "j-NOSUCHCLUSTER0"}"#)?.code, "InvalidRequestException")
        XCTAssertEqual(h.failure("AddJobFlowSteps", #"{"JobFlowId": "j-NOSUCHCLUSTER0", "Steps": []}"#)?.code, "InvalidRequestException")
        XCTAssertEqual(h.failure("DescribeCluster", "{}")?.code, "ValidationException")
        XCTAssertEqual(h.failure("Explode", "{}")?.code, "UnknownOperationException")
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        XCTAssertEqual(h.failure("DescribeStep", #"{"ClusterId": "\#(id)", "StepId": "s-NOSUCHSTEP000"}"#)?.code, "InvalidRequestException")
        // Another account does not see the cluster.
        XCTAssertThrowsError(try h.router.call(service: "emr", operation: "DescribeCluster", account: "222222222222", region: "us-east-1",
                                               params: .members([("ClusterId", .string(id))])))
    }

    func testATerminatedClusterTakesNoMoreWork() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        try h.call("TerminateJobFlows", #"{"JobFlowIds": ["\#(id)"]}"#)
        for (operation, params) in [
            ("AddJobFlowSteps", #"{"JobFlowId": "\#(id)", "Steps": [\#(Fixture.step("late"))]}"#),
            ("ModifyCluster", #"{"ClusterId": "\#(id)", "StepConcurrencyLevel": 2}"#),
            ("SetTerminationProtection", #"{"JobFlowIds": ["\#(id)"], "TerminationProtected": true}"#),
        ] {
            let error = h.failure(operation, params)
            XCTAssertEqual(error?.code, "ValidationException", operation)
            XCTAssertEqual(error?.message, "A job flow that is shutting down, terminated, or finished may not be modified.")
        }
        try h.call("TerminateJobFlows", #"{"JobFlowIds": ["\#(id)"]}"#)   // terminating again is harmless
        h.router.advance(by: 600)
        XCTAssertEqual(try h.state(id), "TERMINATED")
    }

    func testTerminationProtection() throws {
        let h = try Harness()
        let protected = try h.runJobFlow(Fixture.cluster("p", keepAlive: true, protected: true))
        let open = try h.runJobFlow(Fixture.cluster("o", keepAlive: true))
        h.router.advance(by: 600)
        let error = h.failure("TerminateJobFlows", #"{"JobFlowIds": ["\#(protected)", "\#(open)"]}"#)
        XCTAssertEqual(error?.code, "ValidationException")
        XCTAssertEqual(error?.message, "Could not shut down one or more job flows since they are termination protected.")
        h.router.advance(by: 600)
        XCTAssertEqual(try h.state(protected), "WAITING", "the protected cluster keeps running")
        XCTAssertEqual(try h.state(open), "TERMINATED", "the unprotected one in the same call was terminated")
        try h.call("SetTerminationProtection", #"{"JobFlowIds": ["\#(protected)"], "TerminationProtected": false}"#)
        XCTAssertEqual(try h.cluster(protected)["TerminationProtected"], .bool(false))
        try h.call("TerminateJobFlows", #"{"JobFlowIds": ["\#(protected)"]}"#)
        h.router.advance(by: 600)
        XCTAssertEqual(try h.state(protected), "TERMINATED")
        XCTAssertEqual(try h.reasonCode(protected), "USER_REQUEST")
    }

    func testListClustersFiltersByStateAndCreationTimeNewestFirst() throws {
        let h = try Harness()
        let first = try h.runJobFlow(Fixture.cluster("first", keepAlive: false))
        h.router.advance(by: 1000)
        let second = try h.runJobFlow(Fixture.cluster("second", keepAlive: true))
        h.router.advance(by: 1000)
        let all = try h.call("ListClusters", "{}")["Clusters"]?.array ?? []
        XCTAssertEqual(all.map { $0["Id"]?.string ?? "" }, [second, first])
        let waiting = try h.call("ListClusters", #"{"ClusterStates": ["WAITING", "RUNNING"]}"#)["Clusters"]?.array ?? []
        XCTAssertEqual(waiting.map { $0["Id"]?.string ?? "" }, [second])
        let early = try h.call("ListClusters", #"{"CreatedBefore": "2025-01-01T00:10:00Z"}"#)["Clusters"]?.array ?? []
        XCTAssertEqual(early.map { $0["Id"]?.string ?? "" }, [first])
        let late = try h.call("ListClusters", #"{"CreatedAfter": 1735690000}"#)["Clusters"]?.array ?? []
        XCTAssertEqual(late.map { $0["Id"]?.string ?? "" }, [second])
        XCTAssertEqual(h.failure("ListClusters", #"{"ClusterStates": ["ASLEEP"]}"#)?.code, "ValidationException")
        XCTAssertEqual(h.failure("ListClusters", #"{"CreatedAfter": "yesterday"}"#)?.code, "ValidationException")
    }

    func testModifyInstanceGroupsResizesThroughResizing() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        let groups = try h.call("ListInstanceGroups", #"{"ClusterId": "\#(id)"}"#)["InstanceGroups"]?.array ?? []
        let master = try XCTUnwrap(groups.first { $0["InstanceGroupType"] == .string("MASTER") }?["Id"]?.string)
        let core = try XCTUnwrap(groups.first { $0["InstanceGroupType"] == .string("CORE") }?["Id"]?.string)
        XCTAssertEqual(groups.first?["Status"]?["State"], .string("PROVISIONING"))
        XCTAssertEqual(h.failure("ModifyInstanceGroups", #"{"InstanceGroups": [{"InstanceGroupId": "\#(core)", "InstanceCount": 5}]}"#)?.code,
                       "ValidationException", "not while STARTING")
        h.router.advance(by: 600)
        try h.call("ModifyInstanceGroups", #"{"ClusterId": "\#(id)", "InstanceGroups": [{"InstanceGroupId": "\#(core)", "InstanceCount": 5}]}"#)
        let resizing = try h.call("ListInstanceGroups", #"{"ClusterId": "\#(id)"}"#)["InstanceGroups"]?.array?.first { $0["Id"]?.string == core }
        XCTAssertEqual(resizing?["Status"]?["State"], .string("RESIZING"))
        XCTAssertEqual(resizing?["RequestedInstanceCount"]?.number, 5)
        XCTAssertEqual(resizing?["RunningInstanceCount"]?.number, 2)
        h.router.advance(by: 120)
        let resized = try h.call("ListInstanceGroups", #"{"ClusterId": "\#(id)"}"#)["InstanceGroups"]?.array?.first { $0["Id"]?.string == core }
        XCTAssertEqual(resized?["Status"]?["State"], .string("RUNNING"))
        XCTAssertEqual(resized?["RunningInstanceCount"]?.number, 5)
        XCTAssertEqual(h.timeline("EMR Instance Group State Change", id: core), ["BOOTSTRAPPING@120", "RUNNING@180", "RESIZING@600", "RUNNING@720"])
        let done = try XCTUnwrap(h.events.last { $0["detail"]?["instanceGroupId"]?.string == core })
        XCTAssertEqual(done["detail"]?["runningInstanceCount"], .string("5"))
        XCTAssertTrue(done["detail"]?["message"]?.string?.contains("is complete") ?? false)

        XCTAssertEqual(h.failure("ModifyInstanceGroups", #"{"InstanceGroups": [{"InstanceGroupId": "\#(master)", "InstanceCount": 3}]}"#)?.code,
                       "ValidationException", "the master group cannot be resized")
        XCTAssertEqual(h.failure("ModifyInstanceGroups", #"{"InstanceGroups": [{"InstanceGroupId": "ig-NOSUCHGROUP0", "InstanceCount": 3}]}"#)?.code,
                       "InvalidRequestException")
        XCTAssertEqual(h.failure("ModifyInstanceGroups", #"{"InstanceGroups": [{"InstanceGroupId": "\#(core)", "InstanceCount": -1}]}"#)?.code,
                       "ValidationException")
    }

    func testTheSameSeedGivesTheSameIdsAndEvents() throws {
        func run(seed: UInt64) throws -> [String] {
            let h = try Harness(seed: seed)
            let id = try h.runJobFlow(Fixture.cluster(keepAlive: false, steps: [Fixture.step("a"), Fixture.step("b", outcome: "FAILED")]))
            h.router.advance(by: 3600)
            return [id] + h.events.map { ($0["detail"] ?? .null).jsonText }
        }
        let one = try run(seed: 42), two = try run(seed: 42), other = try run(seed: 43)
        XCTAssertEqual(one, two)
        XCTAssertNotEqual(one.first, other.first)
    }
}

/// Calls from many threads at once.
final class ThreadSafetyTests: XCTestCase {
    func testConcurrentCallsAndRunsKeepStateConsistent() throws {
        let h = try Harness()
        let ids = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in 0..<10 {
                if let id = try? h.runJobFlow(Fixture.cluster("w\(worker)-\(index)", keepAlive: false, steps: [Fixture.step("s")])) {
                    ids.withLock { $0.append(id) }
                }
                h.emr.run(until: h.clock.now())
            }
        }
        let all = ids.withLock { $0 }
        XCTAssertEqual(all.count, 80)
        XCTAssertEqual(Set(all).count, 80, "ids are unique")
        h.router.advance(by: 3600)
        let clusters = try h.call("ListClusters", #"{"ClusterStates": ["TERMINATED"]}"#)
        XCTAssertEqual(clusters["Clusters"]?.array?.count, 50, "first page")
        XCTAssertNotNil(clusters["Marker"])
        XCTAssertEqual(h.states("EMR Step Status Change").filter { $0 == "COMPLETED" }.count, 80)
    }
}

/// Malformed input gets an AWS-shaped error, never a crash.
final class MalformedInputTests: XCTestCase {
    func testEveryOperationRejectsMistypedParameters() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        h.router.advance(by: 600)
        let operations = ["RunJobFlow", "DescribeCluster", "ListClusters", "TerminateJobFlows", "SetTerminationProtection",
                          "SetKeepJobFlowAliveWhenNoSteps", "ModifyCluster", "AddJobFlowSteps", "DescribeStep", "ListSteps",
                          "CancelSteps", "ListInstanceGroups", "ModifyInstanceGroups", "ListInstanceFleets"]
        let names = ["Name", "Instances", "Steps", "ClusterId", "JobFlowId", "JobFlowIds", "StepIds", "StepId", "ClusterStates",
                     "StepStates", "StepConcurrencyLevel", "InstanceGroups", "TerminationProtected", "KeepJobFlowAliveWhenNoSteps",
                     "Marker", "CreatedAfter", "BootstrapActions", "Applications", "Tags", "AutoTerminationPolicy", "StepCancellationOption"]
        let wrong: [String] = ["1e300", "-1", "true", "\"x\"", "[1, {}]", "{\"a\": null}", "[[[]]]", "null"]
        var errors = 0
        for operation in operations {
            for name in names {
                for value in wrong {
                    // Keep a valid cluster id where the operation needs one, so the mistyped member is reached.
                    var members = ["\"\(name)\": \(value)"]
                    if name != "ClusterId" { members.append("\"ClusterId\": \"\(id)\"") }
                    if name != "JobFlowId" { members.append("\"JobFlowId\": \"\(id)\"") }
                    do {
                        _ = try h.call(operation, "{\(members.joined(separator: ", "))}")
                    } catch let error as APIError {
                        XCTAssertTrue(["ValidationException", "InvalidRequestException"].contains(error.code), "\(operation) \(name)=\(value): \(error)")
                        XCTAssertFalse(error.message.isEmpty)
                        errors += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(errors, 1000)
        h.router.advance(by: 3600)   // whatever was accepted still runs
    }
}
