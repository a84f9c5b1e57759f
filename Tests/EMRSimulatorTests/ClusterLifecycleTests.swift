import EMRSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// The cluster state machine of spec §2.1 with the scripted executor's durations: provisioning 120 s,
/// bootstrap 60 s, steps 60 s (or their emr.sim.duration), termination 60 s.
final class ClusterLifecycleTests: XCTestCase {
    func testClusterWithoutStepsAndNotKeptAliveTerminatesRightAfterBootstrap() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: false))
        XCTAssertEqual(try h.state(id), "STARTING")
        XCTAssertEqual(h.emr.nextWakeUp()?.iso8601, "2025-01-01T00:02:00Z", "provisioning ends at its exact time")
        h.router.runUntilIdle()
        XCTAssertEqual(h.router.nextWakeUp()?.iso8601, "2025-01-01T00:02:00Z", "the router wakes up for it")
        h.router.advance(by: 119)
        XCTAssertEqual(try h.state(id), "STARTING")
        h.router.advance(by: 1)
        XCTAssertEqual(try h.state(id), "BOOTSTRAPPING")
        h.router.advance(by: 3600)
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: id),
                       ["STARTING@0", "BOOTSTRAPPING@120", "TERMINATING@180", "TERMINATED@240"])
        let cluster = try h.cluster(id)
        XCTAssertEqual(cluster["Status"]?["StateChangeReason"]?["Code"], .string("ALL_STEPS_COMPLETED"))
        XCTAssertEqual(cluster["Status"]?["Timeline"]?["CreationDateTime"]?.number, 1_735_689_600)
        XCTAssertEqual(cluster["Status"]?["Timeline"]?["ReadyDateTime"]?.number, 1_735_689_600 + 180)
        XCTAssertEqual(cluster["Status"]?["Timeline"]?["EndDateTime"]?.number, 1_735_689_600 + 240)
        XCTAssertEqual(cluster["AutoTerminate"], .bool(true), "the API default is a transient cluster")
        XCTAssertNil(h.router.nextWakeUp(), "a terminated cluster has no more work")
    }

    func testKeptAliveClusterWaitsRunsAddedStepsAndTerminatesOnUserRequest() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        h.router.advance(by: 600)
        XCTAssertEqual(try h.state(id), "WAITING")
        let steps = try h.addSteps(id, "[\(Fixture.step("a", seconds: 100)), \(Fixture.step("b", seconds: 50))]")
        XCTAssertEqual(try h.stepState(id, steps[0]), "PENDING", "the call only queues the step; the simulator starts it when it runs")
        h.router.runUntilIdle()
        XCTAssertEqual(try h.state(id), "RUNNING")
        XCTAssertEqual(try h.stepState(id, steps[0]), "RUNNING")
        XCTAssertEqual(try h.stepState(id, steps[1]), "PENDING", "concurrency level 1: one step at a time")
        h.router.advance(by: 1000)
        XCTAssertEqual(h.timeline("EMR Step Status Change", id: steps[0]), ["PENDING@600", "RUNNING@600", "COMPLETED@700"])
        XCTAssertEqual(h.timeline("EMR Step Status Change", id: steps[1]), ["PENDING@600", "RUNNING@700", "COMPLETED@750"])
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: id),
                       ["STARTING@0", "BOOTSTRAPPING@120", "WAITING@180", "RUNNING@600", "WAITING@750"])
        try h.call("TerminateJobFlows", #"{"JobFlowIds": ["\#(id)"]}"#)
        h.router.advance(by: 60)
        XCTAssertEqual(try h.state(id), "TERMINATED")
        XCTAssertEqual(try h.reasonCode(id), "USER_REQUEST")
        let groups = try h.call("ListInstanceGroups", #"{"ClusterId": "\#(id)"}"#)["InstanceGroups"]?.array ?? []
        XCTAssertEqual(groups.count, 2)
        for group in groups {
            XCTAssertEqual(group["Status"]?["State"], .string("TERMINATED"))
            XCTAssertEqual(group["Status"]?["StateChangeReason"]?["Code"], .string("CLUSTER_TERMINATED"))
            XCTAssertEqual(group["RunningInstanceCount"]?.number, 0)
        }
        let core = try XCTUnwrap(groups.first { $0["InstanceGroupType"] == .string("CORE") }?["Id"]?.string)
        XCTAssertEqual(h.states("EMR Instance Group State Change", id: core), ["BOOTSTRAPPING", "RUNNING", "TERMINATING", "TERMINATED"])
    }

    func testTransientClusterRunsItsStepsThenAutoTerminatesEvenWhenProtected() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: false, protected: true, steps: [Fixture.step("only", seconds: 30)]))
        h.router.advance(by: 3600)
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: id),
                       ["STARTING@0", "BOOTSTRAPPING@120", "RUNNING@180", "TERMINATING@210", "TERMINATED@270"])
        XCTAssertEqual(try h.reasonCode(id), "ALL_STEPS_COMPLETED")
        XCTAssertEqual(try h.cluster(id)["Status"]?["StateChangeReason"]?["Message"], .string("Steps completed"))
    }

    func testUserTerminationWhileStartingCancelsPendingSteps() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: false, steps: [Fixture.step("never")]))
        h.router.advance(by: 30)
        try h.call("TerminateJobFlows", #"{"JobFlowIds": ["\#(id)"]}"#)
        h.router.advance(by: 3600)
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: id), ["STARTING@0", "TERMINATING@30", "TERMINATED@90"])
        XCTAssertEqual(h.states("EMR Step Status Change"), ["PENDING", "CANCELLED"])
        XCTAssertEqual(h.states("EMR Instance Group State Change").filter { $0 == "BOOTSTRAPPING" }, [], "never provisioned")
    }

    func testUserTerminationWhileRunningCancelsTheRunningStepAndWhileBootstrappingEndsCleanly() throws {
        let h = try Harness()
        let running = try h.runJobFlow(Fixture.cluster("running", keepAlive: false, steps: [Fixture.step("long", seconds: 1000), Fixture.step("next")]))
        let booting = try h.runJobFlow(Fixture.cluster("booting", keepAlive: true))
        h.router.advance(by: 150)
        XCTAssertEqual(try h.state(booting), "BOOTSTRAPPING")
        try h.call("TerminateJobFlows", #"{"JobFlowIds": ["\#(booting)"]}"#)
        h.router.advance(by: 50)
        XCTAssertEqual(try h.state(running), "RUNNING")
        try h.call("TerminateJobFlows", #"{"JobFlowIds": ["\#(running)"]}"#)
        h.router.advance(by: 3600)
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: booting), ["STARTING@0", "BOOTSTRAPPING@120", "TERMINATING@150", "TERMINATED@210"])
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: running),
                       ["STARTING@0", "BOOTSTRAPPING@120", "RUNNING@180", "TERMINATING@200", "TERMINATED@260"])
        XCTAssertEqual(try h.reasonCode(running), "USER_REQUEST")
        XCTAssertEqual(h.timeline("EMR Step Status Change"), ["PENDING@0", "PENDING@0", "RUNNING@180", "CANCELLED@200", "CANCELLED@200"],
                       "the running step is cancelled with the cluster, the pending one too")
    }

    func testBootstrapFailureTerminatesWithErrorsAndCancelsSteps() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true, steps: [Fixture.step("a")], extra: #"""
            , "BootstrapActions": [{"Name": "install", "ScriptBootstrapAction": {"Path": "s3://b/install.sh", "Args": ["emr.sim.duration=40", "emr.sim.outcome=FAILED"]}}]
            """#))
        h.router.advance(by: 3600)
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: id),
                       ["STARTING@0", "BOOTSTRAPPING@120", "TERMINATING@220", "TERMINATED_WITH_ERRORS@280"])
        XCTAssertEqual(try h.reasonCode(id), "BOOTSTRAP_FAILURE")
        XCTAssertEqual(h.states("EMR Step Status Change"), ["PENDING", "CANCELLED"])
        XCTAssertNil(try h.cluster(id)["Status"]?["Timeline"]?["ReadyDateTime"], "never ready")
    }

    func testProvisioningFailureFromTheExecutor() throws {
        let executor = ScriptedExecutor(provisioningSeconds: 300, provisioningFailure: PhaseFailure(code: "INSTANCE_FLEET_TIMEOUT", message: "No capacity"))
        let h = try Harness(executor: executor)
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        h.router.advance(by: 3600)
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: id), ["STARTING@0", "TERMINATING@300", "TERMINATED_WITH_ERRORS@360"])
        XCTAssertEqual(try h.cluster(id)["Status"]?["StateChangeReason"], .members([("Code", .string("INSTANCE_FLEET_TIMEOUT")), ("Message", .string("No capacity"))]))
    }

    func testIdleTimeoutTerminatesAWaitingCluster() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true, extra: #", "AutoTerminationPolicy": {"IdleTimeout": 600}"#))
        h.router.advance(by: 500)
        XCTAssertEqual(try h.state(id), "WAITING")
        _ = try h.addSteps(id, "[\(Fixture.step("a", seconds: 100))]")   // work resets the idle clock
        h.router.advance(by: 3600)
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: id),
                       ["STARTING@0", "BOOTSTRAPPING@120", "WAITING@180", "RUNNING@500", "WAITING@600", "TERMINATING@1200", "TERMINATED@1260"])
        XCTAssertEqual(try h.reasonCode(id), "ALL_STEPS_COMPLETED")
        XCTAssertEqual(try h.cluster(id)["AutoTerminationPolicy"]?["IdleTimeout"]?.number, 600)
        XCTAssertEqual(h.failure("RunJobFlow", Fixture.cluster(keepAlive: true, extra: #", "AutoTerminationPolicy": {"IdleTimeout": 59}"#))?.code,
                       "ValidationException")
    }

    func testSetKeepJobFlowAliveFalseEndsAWaitingCluster() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        h.router.advance(by: 300)
        try h.call("SetKeepJobFlowAliveWhenNoSteps", #"{"JobFlowIds": ["\#(id)"], "KeepJobFlowAliveWhenNoSteps": false}"#)
        h.router.runUntilIdle()
        XCTAssertEqual(try h.state(id), "TERMINATING")
        XCTAssertEqual(try h.reasonCode(id), "ALL_STEPS_COMPLETED")
    }

    func testInstanceFailureInterruptsRunningStepsAndCancelsPendingOnes() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true, steps: [Fixture.step("lost", seconds: 90, outcome: "INSTANCE_FAILURE"), Fixture.step("next")]))
        h.router.advance(by: 3600)
        XCTAssertEqual(h.states("EMR Step Status Change"), ["PENDING", "PENDING", "RUNNING", "INTERRUPTED", "CANCELLED"])
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: id),
                       ["STARTING@0", "BOOTSTRAPPING@120", "RUNNING@180", "TERMINATING@270", "TERMINATED_WITH_ERRORS@330"])
        XCTAssertEqual(try h.reasonCode(id), "INSTANCE_FAILURE")

        // The injection hook, at a chosen instant.
        let other = try h.runJobFlow(Fixture.cluster("other", keepAlive: true, steps: [Fixture.step("long", seconds: 1000)]))
        try h.emr.injectInstanceFailure(clusterID: other, account: Harness.account, region: Harness.region,
                                        at: h.clock.now().adding(seconds: 500))
        XCTAssertThrowsError(try h.emr.injectInstanceFailure(clusterID: "j-UNKNOWN", account: Harness.account, region: Harness.region))
        h.router.advance(by: 499)
        XCTAssertEqual(try h.state(other), "RUNNING")
        h.router.advance(by: 1)
        XCTAssertEqual(try h.state(other), "TERMINATING")
        XCTAssertEqual(try h.reasonCode(other), "INSTANCE_FAILURE")
        let steps = try h.call("ListSteps", #"{"ClusterId": "\#(other)"}"#)["Steps"]?.array ?? []
        XCTAssertEqual(steps.first?["Status"]?["State"], .string("INTERRUPTED"))
    }

    func testHighAvailabilityMasterImpliesKeepAliveAndProtection() throws {
        let h = try Harness()
        let id = try h.runJobFlow(#"{"Name": "ha", "Instances": {"InstanceGroups": [{"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 3}]}}"#)
        let cluster = try h.cluster(id)
        XCTAssertEqual(cluster["TerminationProtected"], .bool(true))
        XCTAssertEqual(cluster["AutoTerminate"], .bool(false))
        h.router.advance(by: 600)
        XCTAssertEqual(try h.state(id), "WAITING")
    }

    func testShorthandInstancesAndFleets() throws {
        let h = try Harness()
        let id = try h.runJobFlow(#"{"Name": "short", "Instances": {"MasterInstanceType": "m5.xlarge", "SlaveInstanceType": "r5.2xlarge", "InstanceCount": 4, "KeepJobFlowAliveWhenNoSteps": true}}"#)
        let groups = try h.call("ListInstanceGroups", #"{"ClusterId": "\#(id)"}"#)["InstanceGroups"]?.array ?? []
        XCTAssertEqual(groups.map { $0["InstanceGroupType"]?.string ?? "" }, ["MASTER", "CORE"])
        XCTAssertEqual(groups.map { $0["RequestedInstanceCount"]?.number ?? -1 }, [1, 3], "1 master + (InstanceCount - 1) core")
        XCTAssertEqual(groups.last?["InstanceType"], .string("r5.2xlarge"))
        XCTAssertTrue(groups.allSatisfy { ($0["Id"]?.string ?? "").hasPrefix("ig-") })

        let fleet = try h.runJobFlow(#"""
            {"Name": "fleet", "Instances": {"KeepJobFlowAliveWhenNoSteps": true, "InstanceFleets": [
              {"InstanceFleetType": "MASTER", "TargetOnDemandCapacity": 1, "InstanceTypeConfigs": [{"InstanceType": "m5.xlarge"}]},
              {"InstanceFleetType": "CORE", "TargetSpotCapacity": 4, "InstanceTypeConfigs": [{"InstanceType": "m5.xlarge"}, {"InstanceType": "m5a.xlarge"}]}]}}
            """#)
        XCTAssertEqual(try h.cluster(fleet)["InstanceCollectionType"], .string("INSTANCE_FLEET"))
        h.router.advance(by: 600)
        let fleets = try h.call("ListInstanceFleets", #"{"ClusterId": "\#(fleet)"}"#)["InstanceFleets"]?.array ?? []
        XCTAssertEqual(fleets.map { $0["ProvisionedSpotCapacity"]?.number ?? -1 }, [0, 4])
        XCTAssertEqual(fleets.map { $0["Status"]?["State"]?.string ?? "" }, ["RUNNING", "RUNNING"])
        XCTAssertTrue(fleets.allSatisfy { ($0["Id"]?.string ?? "").hasPrefix("if-") })
        XCTAssertEqual(h.states("EMR Instance Fleet State Change").count, 4, "two fleets: BOOTSTRAPPING and RUNNING each")
        XCTAssertEqual(h.failure("ListInstanceGroups", #"{"ClusterId": "\#(fleet)"}"#)?.code, "InvalidRequestException")
    }
}
