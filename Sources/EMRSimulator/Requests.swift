import EventPatterns
import EventSchedule
import EventTargets

/// Parsing and validating request structures (RunJobFlow, StepConfig) with EMR's errors.
enum EMRError {
    static func validation(_ message: String) -> ServiceError { ServiceError("ValidationException", message) }
    static func invalidRequest(_ message: String) -> ServiceError { ServiceError("InvalidRequestException", message) }
}

/// A step of AddJobFlowSteps / RunJobFlow before it gets an id.
struct StepConfig: Sendable {
    var name: String
    var jar: String
    var args: [String]
    var mainClass: String?
    var properties: [(key: String, value: String)]
    var actionOnFailure: ActionOnFailure
}

/// A validated RunJobFlow request.
struct ClusterRequest: Sendable {
    var settings: ClusterSettings
    var groups: [(kind: InstanceCollection.Kind, name: String?, role: String, market: String, bidPrice: String?,
                  instanceType: String, count: Int, onDemand: Int, spot: Int, configs: [JSONValue])]
    var steps: [StepConfig]
}

/// The most steps a cluster may have PENDING, RUNNING or CANCEL_PENDING, and per request.
let maximumActiveSteps = 256

/// The largest target capacity of an instance fleet (SIM bound: keeps every sum and product of
/// capacities far from the integer limits).
let maximumFleetCapacity = 1_000_000

enum Requests {
    static let roles: Set<String> = ["MASTER", "CORE", "TASK"]
    static let markets: Set<String> = ["ON_DEMAND", "SPOT"]

    /// A `StepConfig`: Name (1–256 characters), ActionOnFailure (default CONTINUE),
    /// HadoopJarStep {Jar (required), Args, MainClass, Properties [{Key, Value}]}.
    static func step(_ p: ServiceParameters) throws(ServiceError) -> StepConfig {
        let name = try p.string("Name")
        guard !name.isEmpty, name.count <= 256 else {
            throw EMRError.validation("Step name must be between 1 and 256 characters long.")
        }
        var action = ActionOnFailure.continue
        if let text = try p.optionalString("ActionOnFailure") {
            guard let parsed = ActionOnFailure(rawValue: text) else {
                throw EMRError.validation("Value '\(text)' at 'actionOnFailure' failed to satisfy constraint: Member must satisfy enum value set: [TERMINATE_JOB_FLOW, TERMINATE_CLUSTER, CANCEL_AND_WAIT, CONTINUE]")
            }
            action = parsed
        }
        guard let jarStep = try p.optionalObject("HadoopJarStep") else { throw EMRError.validation("HadoopJarStep is required.") }
        let jar = try jarStep.string("Jar")
        guard !jar.isEmpty, jar.count <= 10280 else { throw EMRError.validation("Jar must be between 1 and 10280 characters long.") }
        var properties: [(key: String, value: String)] = []
        for property in try jarStep.objects("Properties") {
            properties.append((try property.optionalString("Key") ?? "", try property.optionalString("Value") ?? ""))
        }
        return StepConfig(name: name, jar: jar, args: try jarStep.strings("Args"), mainClass: try jarStep.optionalString("MainClass"),
                          properties: properties, actionOnFailure: action)
    }

    /// The `Steps` list of a request: at most 256, each a valid StepConfig; at a concurrency level
    /// above 1 only CONTINUE is allowed.
    static func steps(_ p: ServiceParameters, concurrency: Int) throws(ServiceError) -> [StepConfig] {
        let list = try p.objects("Steps")
        guard list.count <= maximumActiveSteps else {
            throw EMRError.validation("Maximum number of steps per request is \(maximumActiveSteps).")
        }
        var result: [StepConfig] = []
        for item in list {
            let config = try step(item)
            if concurrency > 1 && config.actionOnFailure != .continue {
                throw EMRError.validation("ActionOnFailure \(config.actionOnFailure.rawValue) is not supported when StepConcurrencyLevel is greater than 1. Use CONTINUE.")
            }
            result.append(config)
        }
        return result
    }

    static func concurrency(_ value: Int) throws(ServiceError) -> Int {
        guard (1...256).contains(value) else {
            throw EMRError.validation("StepConcurrencyLevel must be between 1 and 256.")
        }
        return value
    }

    /// A RunJobFlow request.
    static func cluster(_ p: ServiceParameters) throws(ServiceError) -> ClusterRequest {
        let name = try p.string("Name")
        guard !name.isEmpty, name.count <= 256 else { throw EMRError.validation("Name must be between 1 and 256 characters long.") }
        let level = try concurrency(try p.optionalInt("StepConcurrencyLevel") ?? 1)
        guard let instances = try p.optionalObject("Instances") else { throw EMRError.validation("Instances is required.") }
        var keepAlive = try instances.optionalBool("KeepJobFlowAliveWhenNoSteps") ?? false
        var protected = try instances.optionalBool("TerminationProtected") ?? false

        var groups: [(kind: InstanceCollection.Kind, name: String?, role: String, market: String, bidPrice: String?,
                      instanceType: String, count: Int, onDemand: Int, spot: Int, configs: [JSONValue])] = []
        let groupConfigs = try instances.objects("InstanceGroups")
        let fleetConfigs = try instances.objects("InstanceFleets")
        let shorthand = instances.has("MasterInstanceType")
        if !groupConfigs.isEmpty && !fleetConfigs.isEmpty {
            throw EMRError.validation("A cluster uses either instance groups or instance fleets, not both.")
        }
        if shorthand && (!groupConfigs.isEmpty || !fleetConfigs.isEmpty) {
            throw EMRError.validation("Please specify only one of the instance group shorthand (MasterInstanceType, SlaveInstanceType, InstanceCount), InstanceGroups or InstanceFleets.")
        }
        if !groupConfigs.isEmpty {
            for config in groupConfigs {
                let role = try config.string("InstanceRole")
                guard roles.contains(role) else {
                    throw EMRError.validation("Value '\(role)' at 'instanceRole' failed to satisfy constraint: Member must satisfy enum value set: [MASTER, CORE, TASK]")
                }
                let market = try config.optionalString("Market") ?? "ON_DEMAND"
                guard markets.contains(market) else {
                    throw EMRError.validation("Value '\(market)' at 'market' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, SPOT]")
                }
                let count = try config.int("InstanceCount")
                guard count >= 0 && count <= 10_000 else { throw EMRError.validation("InstanceCount must be between 0 and 10000.") }
                let type = try config.string("InstanceType")
                guard !type.isEmpty else { throw EMRError.validation("InstanceType must not be empty.") }
                groups.append((.group, try config.optionalString("Name"), role, market, try config.optionalString("BidPrice"), type, count, 0, 0, []))
            }
        } else if !fleetConfigs.isEmpty {
            for config in fleetConfigs {
                let role = try config.string("InstanceFleetType")
                guard roles.contains(role) else {
                    throw EMRError.validation("Value '\(role)' at 'instanceFleetType' failed to satisfy constraint: Member must satisfy enum value set: [MASTER, CORE, TASK]")
                }
                let onDemand = try config.optionalInt("TargetOnDemandCapacity") ?? 0
                let spot = try config.optionalInt("TargetSpotCapacity") ?? 0
                guard onDemand >= 0, spot >= 0 else { throw EMRError.validation("Target capacities must not be negative.") }
                guard onDemand <= maximumFleetCapacity, spot <= maximumFleetCapacity else {
                    throw EMRError.validation("TargetOnDemandCapacity and TargetSpotCapacity must be at most \(maximumFleetCapacity).")
                }
                let types = try config.array("InstanceTypeConfigs")
                guard !types.isEmpty, types.count <= 30 else {
                    throw EMRError.validation("An instance fleet needs between 1 and 30 InstanceTypeConfigs.")
                }
                let firstType: String
                if case .string(let text)? = types.first?["InstanceType"] { firstType = text } else {
                    throw EMRError.validation("InstanceTypeConfigs need an InstanceType.")
                }
                if role == "MASTER" && onDemand + spot != 1 {
                    throw EMRError.validation("The master instance fleet needs a total target capacity of 1.")
                }
                groups.append((.fleet, try config.optionalString("Name"), role, spot > 0 ? "SPOT" : "ON_DEMAND", nil, firstType,
                               onDemand + spot, onDemand, spot, types))
            }
        } else if shorthand {
            let master = try instances.string("MasterInstanceType")
            let slave = try instances.optionalString("SlaveInstanceType") ?? master
            let count = try instances.optionalInt("InstanceCount") ?? 1
            guard count >= 1 && count <= 10_000 else { throw EMRError.validation("InstanceCount must be between 1 and 10000.") }
            groups.append((.group, "Master", "MASTER", "ON_DEMAND", nil, master, 1, 0, 0, []))
            if count > 1 { groups.append((.group, "Core", "CORE", "ON_DEMAND", nil, slave, count - 1, 0, 0, [])) }
        } else {
            throw EMRError.validation("Instances needs InstanceGroups, InstanceFleets or MasterInstanceType.")
        }
        let masters = groups.filter { $0.role == "MASTER" }
        guard masters.count == 1 else { throw EMRError.validation("A cluster needs exactly one MASTER instance group or fleet.") }
        guard groups.filter({ $0.role == "CORE" }).count <= 1 else {
            throw EMRError.validation("A cluster can have at most one CORE instance group or fleet.")
        }
        let taskLimit = fleetConfigs.isEmpty ? 48 : 1
        guard groups.filter({ $0.role == "TASK" }).count <= taskLimit else {
            throw EMRError.validation("A cluster can have at most \(taskLimit) TASK instance \(fleetConfigs.isEmpty ? "groups" : "fleet").")
        }
        if let master = masters.first, master.kind == .group {
            guard master.count == 1 || master.count == 3 else {
                throw EMRError.validation("The master instance group must have 1 or 3 instances (found \(master.count)).")
            }
            if master.count == 3 {   // high availability: kept alive and protected
                keepAlive = true
                protected = true
            }
        }

        var idle: Int64? = nil
        if let policy = try p.optionalObject("AutoTerminationPolicy") {
            let seconds = try policy.optionalInt("IdleTimeout") ?? 3600
            guard (60...604_800).contains(seconds) else {
                throw EMRError.validation("IdleTimeout must be between 60 and 604800 seconds.")
            }
            idle = Int64(seconds)
        }
        var applications: [(name: String, version: String?)] = []
        for app in try p.objects("Applications") {
            applications.append((try app.string("Name"), try app.optionalString("Version")))
        }
        let actionConfigs = try p.objects("BootstrapActions")
        guard actionConfigs.count <= 16 else { throw EMRError.validation("A cluster can have at most 16 bootstrap actions.") }
        var actions: [BootstrapAction] = []
        for action in actionConfigs {
            guard let script = try action.optionalObject("ScriptBootstrapAction") else {
                throw EMRError.validation("ScriptBootstrapAction is required.")
            }
            actions.append(BootstrapAction(name: try action.string("Name"), path: try script.string("Path"), args: try script.strings("Args")))
        }
        var tags: [(key: String, value: String)] = []
        let tagConfigs = try p.objects("Tags")
        guard tagConfigs.count <= 50 else { throw EMRError.validation("A cluster can have at most 50 tags.") }
        for tag in tagConfigs {
            let key = try tag.string("Key"), value = try tag.optionalString("Value") ?? ""
            guard !key.isEmpty, key.count <= 128 else { throw EMRError.validation("Tag keys must be between 1 and 128 characters long.") }
            guard value.count <= 256 else { throw EMRError.validation("Tag values must be at most 256 characters long.") }
            tags.append((key, value))
        }
        let settings = ClusterSettings(
            name: name, releaseLabel: try p.optionalString("ReleaseLabel") ?? "emr-7.1.0", logUri: try p.optionalString("LogUri"),
            applications: applications, bootstrapActions: actions, tags: tags, serviceRole: try p.optionalString("ServiceRole"),
            jobFlowRole: try p.optionalString("JobFlowRole"), keepAlive: keepAlive, terminationProtected: protected,
            stepConcurrencyLevel: level, idleTimeout: idle, usesFleets: !fleetConfigs.isEmpty)
        return ClusterRequest(settings: settings, groups: groups, steps: try steps(p, concurrency: level))
    }
}
