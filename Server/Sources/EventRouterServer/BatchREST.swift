import EventPatterns

/// AWS Batch's REST-JSON routes: `POST /v1/<operation name lower-cased>` with a JSON body, and the
/// tagging routes on `/v1/tags/<resource ARN>`.
enum BatchREST {
    /// Batch's operations, by their path segment.
    static let operations: [String: String] = Dictionary(uniqueKeysWithValues: [
        "CancelJob", "CreateComputeEnvironment", "CreateConsumableResource", "CreateJobQueue", "CreateSchedulingPolicy",
        "CreateServiceEnvironment", "DeleteComputeEnvironment", "DeleteConsumableResource", "DeleteJobQueue",
        "DeleteSchedulingPolicy", "DeleteServiceEnvironment", "DeregisterJobDefinition", "DescribeComputeEnvironments",
        "DescribeConsumableResource", "DescribeJobDefinitions", "DescribeJobQueues", "DescribeJobs", "DescribeSchedulingPolicies",
        "DescribeServiceEnvironments", "DescribeServiceJob", "GetJobQueueSnapshot", "ListConsumableResources", "ListJobs",
        "ListJobsByConsumableResource", "ListSchedulingPolicies", "ListServiceJobs", "RegisterJobDefinition", "SubmitJob",
        "SubmitServiceJob", "TerminateJob", "TerminateServiceJob", "UpdateComputeEnvironment", "UpdateConsumableResource",
        "UpdateJobQueue", "UpdateSchedulingPolicy", "UpdateServiceEnvironment",
    ].map { ($0.lowercased(), $0) })

    static func operation(method: String, path: String, query: String, body: JSONObject) throws(WireError) -> (String, JSONObject) {
        let rest = path.dropFirst("/v1/".count)
        if rest.hasPrefix("tags/") {
            let arn = SigV4.percentDecode(String(rest.dropFirst("tags/".count)), plusIsSpace: false)
            var members: [(key: String, value: JSONValue)] = [("resourceArn", .string(arn))]
            switch method {
            case "GET": return ("ListTagsForResource", JSONObject(members))
            case "POST":
                members.append(contentsOf: body.members.filter { $0.key != "resourceArn" })
                return ("TagResource", JSONObject(members))
            case "DELETE":
                let keys = QueryDecoder.pairs(query).filter { $0.0 == "tagKeys" }.map { JSONValue.string($0.1) }
                members.append(("tagKeys", .array(keys)))
                return ("UntagResource", JSONObject(members))
            default: break
            }
        }
        guard method == "POST", !rest.contains("/"), let operation = operations[rest.lowercased()] else {
            throw WireError("UnknownOperationException", "No Batch operation at \(method) \(path).", status: 404)
        }
        return (operation, body)
    }
}
