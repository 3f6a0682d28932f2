import Foundation

/// Random sampling (随机抽查, Art. 30), reproducible: a plan names the population, a filter and the sample size; its
/// seed is fixed when the plan is recorded — the SM3 of the plan and the audit chain's head hash at that moment — and
/// the draw, later, takes the objects whose SM3(seed ‖ id) are smallest. Anyone holding the plan, its recorded
/// population and the audit chain gets the same sample (`govshare supervision sample --verify PLAN`).
public enum SamplingPopulation: String, Sendable, Codable, CaseIterable {
    case entries, datasets, grants, departments

    public var name: LocalizedText {
        switch self {
        case .entries: LocalizedText(zh: "已发布目录", en: "Published entries")
        case .datasets: LocalizedText(zh: "已挂接数据集", en: "Mounted datasets")
        case .grants: LocalizedText(zh: "有效授权", en: "Grants in force")
        case .departments: LocalizedText(zh: "提供数据的部门", en: "Providing departments")
        }
    }
}

/// One object of a population: its id, the department answerable for it, what people read.
public struct SampledObject: Sendable, Codable, Equatable {
    public var id: String
    public var departmentId: String
    public var label: String
    public init(id: String, departmentId: String, label: String) { self.id = id; self.departmentId = departmentId; self.label = label }
}

public struct SamplingPlan: Sendable, Equatable {
    public var id: String
    public var name: String
    public var population: SamplingPopulation
    /// Only objects of this department (nil: all).
    public var departmentFilter: String?
    public var size: Int
    /// The audit chain's head when the plan was recorded: the seed's outside ingredient.
    public var headSeq: Int64
    public var headHash: String
    public var seedHex: String
    public var createdBy: String
    public var createdAt: String
    /// Set by the draw: the population as it was (sorted by id) and the sample, in draw order.
    public var drawnAt: String?
    public var populationObjects: [SampledObject]
    public var sample: [SampledObject]
    public var nodeId: String
    /// The data authority whose reviewer recorded the plan: only it draws and inspects (nil for plans recorded before
    /// this was kept, which any authority may still draw).
    public var authorityId: String?

    public init(
        id: String, name: String, population: SamplingPopulation, departmentFilter: String?, size: Int, headSeq: Int64,
        headHash: String, seedHex: String, createdBy: String, createdAt: String, drawnAt: String? = nil,
        populationObjects: [SampledObject] = [], sample: [SampledObject] = [], nodeId: String, authorityId: String? = nil
    ) {
        self.authorityId = authorityId
        self.id = id; self.name = name; self.population = population; self.departmentFilter = departmentFilter; self.size = size
        self.headSeq = headSeq; self.headHash = headHash; self.seedHex = seedHex; self.createdBy = createdBy; self.createdAt = createdAt
        self.drawnAt = drawnAt; self.populationObjects = populationObjects; self.sample = sample; self.nodeId = nodeId
    }

    /// What the seed is computed from besides the head hash: the plan's own terms, in a fixed text form.
    public var terms: String {
        "govshare-sampling-plan/1|\(id)|\(population.rawValue)|\(departmentFilter ?? "*")|\(size)|\(headSeq)"
    }

    /// The seed: SM3(terms ‖ head hash), hex.
    public static func seed(terms: String, headHash: String, sm3: (Data) -> Data) -> String {
        Hex.encode(sm3(Data((terms + "|" + headHash).utf8)))
    }

    /// The draw: the `size` objects whose SM3(seed ‖ id) are smallest, ties by id. Pure: the same seed and population
    /// always give the same sample, in the same order.
    public static func draw(seedHex: String, population: [SampledObject], size: Int, sm3: (Data) -> Data) -> [SampledObject] {
        population.map { (key: Hex.encode(sm3(Data((seedHex + "|" + $0.id).utf8))), object: $0) }
            .sorted { ($0.key, $0.object.id) < ($1.key, $1.object.id) }.prefix(max(0, size)).map(\.object)
    }
}

/// An inspector's result on one sampled object; a problem also opens a finding (rule `inspection`).
public struct SamplingInspection: Sendable, Equatable {
    public var planId: String
    public var objectId: String
    public var ok: Bool
    public var note: String
    public var inspectorName: String
    public var inspectedAt: String
    public var findingId: String?
    public init(planId: String, objectId: String, ok: Bool, note: String, inspectorName: String, inspectedAt: String, findingId: String?) {
        self.planId = planId; self.objectId = objectId; self.ok = ok; self.note = note; self.inspectorName = inspectorName
        self.inspectedAt = inspectedAt; self.findingId = findingId
    }
}

/// The outcome of re-running a plan's draw.
public struct SamplingVerification: Sendable, Equatable {
    public let planId: String
    public let valid: Bool
    public let reasons: [LocalizedText]
}
