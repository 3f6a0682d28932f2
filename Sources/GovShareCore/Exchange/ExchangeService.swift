import Foundation

/// Mounting, reporting and reading shared data (Art. 15, 16, 20–22, 28). Every read goes through AccessPolicy and is
/// recorded before its rows are returned.
public struct ExchangeService: Sendable {
    let datasets: any DatasetRepository
    let access: any AccessRepository
    let catalog: any CatalogRepository
    let departments: any DepartmentRepository
    let auditLog: any AuditLog
    private(set) var clock: any WallClock
    let nodeId: String

    public init(
        datasets: any DatasetRepository, access: any AccessRepository, catalog: any CatalogRepository,
        departments: any DepartmentRepository, auditLog: any AuditLog, clock: any WallClock, nodeId: String
    ) {
        self.datasets = datasets; self.access = access; self.catalog = catalog; self.departments = departments
        self.auditLog = auditLog
        self.clock = clock; self.nodeId = nodeId
    }

    var now: String { Timestamp.format(clock.now()) }

    /// The same service on another clock (the demo seeder reports one dataset days before the rest).
    public func on(clock: any WallClock) -> ExchangeService {
        var service = self
        service.clock = clock
        return service
    }
    public var today: String { CivilDate(instant: clock.now()).description }

    /// The published entry and its published content, named by its resource code (`302001/000001`, or in a URL
    /// path `302001-000001`, CKAN's package name) or its entry id.
    public func publishedEntry(code: String) async throws -> (CatalogEntry, CatalogContent) {
        let resourceId = code.count > 36 ? String(code.prefix(36)) : code  // CKAN resource ids are "<entry id>-<version>"
        let found =
            Identifier.isValid(resourceId)
            ? try await catalog.entry(id: resourceId)
            : try await catalog.entry(code: code.replacingOccurrences(of: "-", with: "/"))
        guard let entry = found, entry.isPublished, let number = entry.publishedVersion,
            let version = try await catalog.version(entryId: entry.id, version: number)
        else {
            throw DomainError.notFound("Published catalog entry \(code)", zh: "已发布的目录 \(code)")
        }
        // Data, grants, applications and mounts belong to the entry's home node (a copy has no data here).
        try entry.requireLocal()
        return (entry, version.content)
    }

    /// The dataset of a published entry (named as in `publishedEntry`). One query on the hot path; when the entry has
    /// been republished since the dataset last looked, its columns follow the new version first (new items get
    /// columns; share types and grades change), so access rules always apply the published catalog.
    public func dataset(code: String) async throws -> Dataset {
        let resourceId = code.count > 36 ? String(code.prefix(36)) : code
        let reference = Identifier.isValid(resourceId) ? resourceId : code.replacingOccurrences(of: "-", with: "/")
        guard let (dataset, publishedVersion) = try await datasets.findPublished(reference: reference) else {
            throw DomainError.notFound("Dataset of \(code)", zh: "资源 \(code) 的挂接数据")
        }
        guard publishedVersion != dataset.entryVersion else { return dataset }
        let (_, content) = try await publishedEntry(code: dataset.entryId)
        var refreshed = dataset
        refreshed.entryVersion = publishedVersion
        refreshed.updateCycle = content.updateCycle.flatMap(UpdateCycle.init(rawValue:)) ?? dataset.updateCycle
        let next = Self.columns(of: content)
        var added: [DatasetColumn] = []
        var columns = dataset.columns.map { old -> DatasetColumn in
            guard var current = next.first(where: { $0.itemCode == old.itemCode }) else {
                // An item dropped from the catalog is no longer shared with anyone; its stored values stay for the provider.
                var gone = old
                gone.shareType = .notShared
                return gone
            }
            current.column = old.column
            return current
        }
        var nextIndex = (dataset.columns.compactMap { Int($0.column.dropFirst()) }.max() ?? -1) + 1
        for item in next where !columns.contains(where: { $0.itemCode == item.itemCode }) {
            var column = item
            column.column = "c\(nextIndex)"
            nextIndex += 1
            columns.append(column)
            added.append(column)
        }
        refreshed.columns = columns
        try await datasets.refresh(refreshed, added: added)
        return refreshed
    }

    /// Mounts the data behind a published database or spreadsheet entry; its columns are the entry's items.
    public func mount(code: String, primaryKey: String?, by actor: Principal, origin: RequestOrigin) async throws -> Dataset {
        try Policy.reportData.check(actor)
        let (entry, content) = try await publishedEntry(code: code)
        try requireProvider(actor, providerId: entry.providerId)
        guard let format = content.format.flatMap(ResourceFormat.init(rawValue:)), [.database, .spreadsheet].contains(format) else {
            throw DomainError.invalid(
                field: "entry_code", rule: "format", zh: "只有数据库类或电子表格类资源可以挂接数据集",
                en: "Only database or spreadsheet resources get a dataset")
        }
        if try await datasets.find(entryId: entry.id) != nil {
            throw DomainError.conflict(code: "already_mounted", zh: "资源 \(code) 已挂接数据集", en: "Resource \(code) already has a dataset")
        }
        let items = content.items ?? []
        let key = primaryKey ?? items.first?.code ?? ""
        guard items.contains(where: { $0.code == key }) else {
            throw DomainError.invalid(
                field: "primary_key", rule: "item", zh: "主键须为该资源的信息项代码", en: "primary_key must be an item code of the resource")
        }
        let columns = Self.columns(of: content)
        let dataset = Dataset(
            id: Identifier.make(at: clock.now()), entryId: entry.id, entryCode: entry.code,
            entryVersion: entry.publishedVersion ?? 1, providerId: entry.providerId, columns: columns,
            primaryKey: key, updateCycle: content.updateCycle.flatMap(UpdateCycle.init(rawValue:)) ?? .irregular,
            rowCount: 0, lastUpdatedAt: nil, nodeId: nodeId, createdAt: now)
        try await datasets.mount(
            dataset,
            audit: AuditRecord(
                actor: actor, action: "dataset.mount", objectType: "dataset",
                objectId: dataset.id, after: AuditJSON.encode(dataset), origin: origin))
        return dataset
    }

    /// Whether the published entry named by `code` has a dataset mounted yet.
    public func isMounted(code: String) async throws -> Bool {
        let (entry, _) = try await publishedEntry(code: code)
        return try await datasets.find(entryId: entry.id) != nil
    }

    /// The entry's items as dataset columns (`c0`, `c1` …), typed and graded as the catalog says.
    static func columns(of content: CatalogContent) -> [DatasetColumn] {
        (content.items ?? []).enumerated().map { i, item in
            DatasetColumn(
                itemCode: item.code ?? "c\(i)", itemName: item.name ?? "", column: "c\(i)",
                dataType: item.dataType.flatMap(ItemDataType.init(rawValue:)) ?? .C, length: item.length,
                required: item.required ?? false, rule: item.rule.flatMap(ItemRule.init(rawValue:)),
                shareType: item.shareType.flatMap(ShareType.init(rawValue:)) ?? .notShared,
                sensitivity: item.sensitivity ?? 1)
        }
    }

    /// The entry described as a dataset without a table, so files and services go through the same access policy.
    func resource(code: String) async throws -> Dataset {
        let (entry, content) = try await publishedEntry(code: code)
        return Dataset(
            id: entry.id, entryId: entry.id, entryCode: entry.code, entryVersion: entry.publishedVersion ?? 1,
            providerId: entry.providerId, columns: Self.columns(of: content), primaryKey: content.items?.first?.code ?? "",
            updateCycle: content.updateCycle.flatMap(UpdateCycle.init(rawValue:)) ?? .irregular, rowCount: 0,
            lastUpdatedAt: nil, nodeId: entry.nodeId, createdAt: entry.createdAt)
    }

    public func requireProvider(_ actor: Principal, providerId: String) throws {
        guard actor.kind == .system || actor.departmentId == providerId else {
            throw DomainError(
                .forbidden, code: "not_provider",
                message: LocalizedText(zh: "只有提供部门可以报送或挂接该资源的数据", en: "Only the provider reports or mounts this resource's data"))
        }
    }

    /// Whether the data is older than its update cycle allows (Art. 21).
    public func isStale(_ dataset: Dataset) -> Bool {
        guard let days = dataset.updateCycle.maxAgeDays else { return false }
        guard let last = Timestamp.parse(dataset.lastUpdatedAt ?? dataset.createdAt) else { return true }
        return clock.now().timeIntervalSince(last) > days * 86_400
    }

    /// Who reported what (accounts, client batch ids): the provider, the data authority over the provider (not another
    /// city's or the province's over a city), auditors and the platform's administrators and operators. Everyone
    /// signed in sees when and how much was reported (the portal's counts).
    public func batchHistory(code: String, limit: Int, by viewer: Principal) async throws -> [ReportBatch] {
        try Policy.readDirectory.check(viewer)
        let dataset = try await dataset(code: code)
        guard try await seesBatchDetails(of: dataset, viewer: viewer) else {
            throw DomainError(
                .forbidden, code: "not_provider",
                message: LocalizedText(
                    zh: "报送批次明细仅提供部门、主管部门、审计和运维人员可查看",
                    en: "Batch details are for the provider, the data authority, auditors and operators"))
        }
        return try await datasets.batches(datasetId: dataset.id, limit: limit)
    }

    /// When and how much was reported, for everyone signed in (the portal's counts): the same batches as
    /// `batchHistory`, without who reported them or the client's batch ids unless the viewer may see those.
    public func batchCounts(of dataset: Dataset, limit: Int, by viewer: Principal) async throws -> [ReportBatch] {
        try Policy.readDirectory.check(viewer)
        let batches = try await datasets.batches(datasetId: dataset.id, limit: limit)
        if try await seesBatchDetails(of: dataset, viewer: viewer) { return batches }
        return batches.map { b in
            var counts = ReportBatch(
                id: b.id, datasetId: b.datasetId, clientBatchId: nil, source: b.source, mode: b.mode,
                received: b.received, accepted: b.accepted, rejected: b.rejected, deleted: b.deleted,
                createdBy: "", departmentId: b.departmentId, createdAt: b.createdAt)
            counts.problems = []
            return counts
        }
    }

    /// The provider, the data authority over it, the system, and auditors and the platform's staff.
    func seesBatchDetails(of dataset: Dataset, viewer: Principal) async throws -> Bool {
        if viewer.kind == .system || viewer.departmentId == dataset.providerId || Policy.readAllReportBatches.allows(viewer) { return true }
        return try await departments.oversight(of: viewer).contains(dataset.providerId)
    }

    /// The quality counters of a dataset's reported rows (Art. 21): checked, failed, failures per rule.
    public func quality(of dataset: Dataset, by viewer: Principal) async throws -> DatasetQuality {
        try Policy.readDirectory.check(viewer)
        return try await datasets.quality(datasetId: dataset.id)
    }

    public func list(staleOnly: Bool) async throws -> [Dataset] {
        try await datasets.list().filter { !staleOnly || isStale($0) }
    }
}
