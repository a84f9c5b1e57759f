import EventPatterns
import Foundation
import PatternTestSupport
import Testing

/// `eventrouter run Examples/emr-nightly.jsonl`: the EMR simulator attached to the scenario runner.
@Suite struct EMRSimulatorScenarioTests {
    @Test func nightlyPipelineScenario() throws {
        let tool = try #require(Fixtures.builtProduct("eventrouter"), "the eventrouter product must be built")
        let result = try Fixtures.run(tool, ["run", Fixtures.url("Examples/emr-nightly.jsonl").path], input: "")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n").compactMap { try? JSONReader.parse(String($0)) }
        #expect(lines.count == result.stdout.split(separator: "\n").count, "every output line is JSON")

        func text(_ value: JSONValue?) -> String {
            if case .string(let string)? = value { return string }
            return value?.jsonText ?? "-"
        }
        // What the activity queue received: the cluster and step state changes, in order, with times.
        let activity = lines.compactMap { line -> String? in
            guard let delivery = line["delivery"], text(delivery["target"]).hasSuffix(":emr-activity") else { return nil }
            let input = delivery["input"]
            return "\(text(delivery["time"]).dropFirst(11).prefix(5)) \(text(input?["name"])) \(text(input?["state"]))"
        }
        let cluster = "nightly 2025-01-01T02:00:00Z"
        #expect(Array(activity.prefix(20)) == [
            "02:00 \(cluster) STARTING", "02:00 extract PENDING",
            "02:02 \(cluster) BOOTSTRAPPING",
            "02:03 \(cluster) RUNNING", "02:03 extract RUNNING",
            "02:04 extract COMPLETED", "02:04 \(cluster) WAITING", "02:04 transform PENDING", "02:04 \(cluster) RUNNING", "02:04 transform RUNNING",
            "02:09 transform COMPLETED", "02:09 \(cluster) WAITING", "02:09 load PENDING", "02:09 \(cluster) RUNNING", "02:09 load RUNNING",
            "02:10 load COMPLETED", "02:10 \(cluster) WAITING",
            "02:15 \(cluster) TERMINATING", "02:16 \(cluster) TERMINATED",
            "03:00 adhoc STARTING",
        ])
        // The EMR target was invoked by the schedule and by the two step-completion rules.
        let emrDeliveries = lines.compactMap { line -> String? in
            guard let delivery = line["delivery"], text(delivery["target"]).hasPrefix("arn:aws:elasticmapreduce:") else { return nil }
            return "\(text(delivery["rule"]).split(separator: "/").last ?? "") \(text(delivery["time"]))"
        }
        #expect(emrDeliveries == ["nightly-etl 2025-01-01T02:00:00Z", "after-extract 2025-01-01T02:04:00Z", "after-transform 2025-01-01T02:09:00Z"])

        let listSteps = try #require(lines.first { text($0["call"]) == "ListSteps" })
        let steps: [JSONValue]
        if case .array(let items)? = listSteps["response"]?["Steps"] { steps = items } else { steps = [] }
        #expect(steps.map { text($0["Name"]) } == ["load", "transform", "extract"])
        #expect(steps.allSatisfy { text($0["Status"]?["State"]) == "COMPLETED" })
        #expect(steps.dropFirst().first?["Config"]?["Args"]?[3] == steps.last?["Id"], "transform was given extract's step id")
        #expect(text(steps.last?["Config"]?["Args"]?[3]) == "2025-01-01T02:00:00Z", "extract was given the schedule's time")

        let errors = lines.compactMap { line -> String? in
            guard let error = line["error"] else { return nil }
            return "\(text(line["call"])) \(text(error["code"]))"
        }
        #expect(errors == ["AddJobFlowSteps ValidationException", "TerminateJobFlows ValidationException", "DescribeCluster InvalidRequestException"])
    }
}
