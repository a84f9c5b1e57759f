import EventPatterns
import Foundation
import PatternTestSupport
import Testing

/// `eventrouter run Examples/batch-pipeline.jsonl`: a three-stage Batch pipeline driven by rules
/// that react to "Batch Job State Change" events, run through the built binary.
@Suite struct BatchSimulatorScenarioTests {
    func runScenario(seed: String = "1") throws -> (status: Int32, lines: [JSONValue]) {
        let tool = try #require(Fixtures.builtProduct("eventrouter"), "the eventrouter product must be built")
        let result = try Fixtures.run(tool, ["run", Fixtures.url("Examples/batch-pipeline.jsonl").path, "--seed", seed], input: "")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let lines = try result.stdout.split(separator: "\n").map { try JSONReader.parse(String($0)) }
        return (result.status, lines)
    }

    @Test func thePipelineRunsExtractTransformAndLoadInOrder() throws {
        let (status, lines) = try runScenario()
        #expect(status == 0)
        let queueArn = "arn:aws:batch:us-east-1:123456789012:job-queue/pipeline"
        // Finished jobs, as the finished-jobs rule copied them to SQS.
        let finished = lines.compactMap { line -> (job: String, id: String, status: String, attempts: Int, time: String)? in
            guard case .string(let target)? = line["delivery"]?["target"], target.hasSuffix(":batch-status"),
                  let input = line["delivery"]?["input"],
                  case .string(let job)? = input["job"], case .string(let id)? = input["id"], case .string(let status)? = input["status"],
                  case .array(let attempts)? = input["attempts"], case .string(let time)? = line["delivery"]?["time"] else { return nil }
            return (job, id, status, attempts.count, time)
        }
        #expect(finished.map(\.job) == ["extract", "transform", "load", "load", "load", "load"])
        #expect(finished.allSatisfy { $0.status == "SUCCEEDED" })
        // extract: 1 s start latency + 60 s; transform: exit 137 is retried once (evaluateOnExit), 2 × 61 s;
        // load: three children in parallel, 1 s + 30 s.
        #expect(finished.map(\.time) == ["2025-01-01T00:01:01Z", "2025-01-01T00:03:03Z", "2025-01-01T00:03:34Z",
                                         "2025-01-01T00:03:34Z", "2025-01-01T00:03:34Z", "2025-01-01T00:03:34Z"])
        #expect(finished[1].attempts == 2)
        let parent = finished[5].id
        #expect(finished[2...4].map(\.id) == ["\(parent):0", "\(parent):1", "\(parent):2"], "children first, then the array parent")

        // The two rule deliveries to the job queue carried the Parameters built by the input transformers.
        let submissions = lines.compactMap { line -> JSONValue? in
            guard line["delivery"]?["target"] == .string(queueArn) else { return nil }
            return line["delivery"]?["input"]?["Parameters"]
        }
        #expect(submissions.map { $0["stage"] } == [.string("transform"), .string("load")])
        #expect(submissions.map { $0["input"] } == [.string("s3://lake/staged/"), .string("s3://lake/clean/")])

        // DescribeJobs shows Ref:: substitution; ListJobs lists the three jobs; the bad name is a ClientException.
        let described = try #require(lines.first { $0["call"] == .string("DescribeJobs") }?["response"]?["jobs"]?[0])
        #expect(described["container"]?["command"] == .array([.string("etl"), .string("extract"), .string("s3://lake/raw/2025-01-01/")]))
        #expect(described["jobQueue"] == .string(queueArn))
        let listed = try #require(lines.first { $0["call"] == .string("ListJobs") }?["response"]?["jobSummaryList"])
        guard case .array(let summaries) = listed else { Issue.record("jobSummaryList"); return }
        #expect(summaries.map { $0["jobName"] } == [.string("extract"), .string("transform"), .string("load")])
        let error = lines.last?["error"]
        #expect(error?["code"] == .string("ClientException"))
        #expect(error?["message"] == .string("Job name should match valid pattern"))
    }

    @Test func theSameSeedGivesTheSameOutputAndAnotherSeedOtherIds() throws {
        let first = try runScenario(seed: "5"), again = try runScenario(seed: "5"), other = try runScenario(seed: "6")
        #expect(first.lines == again.lines)
        let ids = { (lines: [JSONValue]) in lines.compactMap { $0["response"]?["jobId"] } }
        #expect(ids(first.lines) != ids(other.lines))
        #expect(first.lines.count == other.lines.count)
    }
}
