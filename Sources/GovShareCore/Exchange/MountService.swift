import Foundation

/// Inherited mounts, file resources and service interfaces: the other ways data is mounted (Art. 15, 20), read under
/// the same access policy and audit as datasets.
public struct MountService: Sendable {
    let mounts: any MountRepository
    let files: any FileStore
    let caller: any ServiceCaller
    let exchange: ExchangeService
    let departments: any DepartmentRepository
    let clock: any WallClock
    let nodeId: String
    let outbound: OutboundPolicy

    public init(
        mounts: any MountRepository, files: any FileStore, caller: any ServiceCaller, exchange: ExchangeService,
        departments: any DepartmentRepository, clock: any WallClock, nodeId: String, outbound: OutboundPolicy = OutboundPolicy()
    ) {
        self.mounts = mounts; self.files = files; self.caller = caller; self.exchange = exchange; self.departments = departments
        self.clock = clock; self.nodeId = nodeId; self.outbound = outbound
    }

    var now: String { Timestamp.format(clock.now()) }

    /// The departments that inherited a dataset's mount (Art. 15), for anyone signed in.
    public func inherited(code: String, by viewer: Principal) async throws -> [InheritedMount] {
        try Policy.readDirectory.check(viewer)
        let dataset = try await exchange.dataset(code: code)
        return try await mounts.inherited(datasetId: dataset.id)
    }

    /// The files of a published file or image resource (what they are, not their content), for anyone signed in.
    public func files(code: String, by viewer: Principal) async throws -> [ResourceFile] {
        try Policy.readDirectory.check(viewer)
        let (entry, _) = try await exchange.publishedEntry(code: code)
        return try await mounts.files(entryId: entry.id)
    }

    /// Records that the actor's department uses the upper-level unified system behind this dataset (Art. 15: "下级单位
    /// 使用上级单位统一建设业务系统的，无需另行报送"). Only a unit of that vertical system may say so: the dataset's
    /// provider must be the department's system parent (`Department.systemParentId`) or an ancestor along that chain.
    public func inherit(code: String, note: String?, by actor: Principal, origin: RequestOrigin) async throws -> InheritedMount {
        try Policy.reportData.check(actor)
        var v = Validator()
        v.limit(note, field: "note", maxLength: InputLimits.reason)
        try v.check()
        let dataset = try await exchange.dataset(code: code)
        guard let own = try await departments.find(id: actor.departmentId),
            let provider = try await departments.find(id: dataset.providerId),
            own.level.rank > provider.level.rank
        else {
            throw DomainError.invalid(
                field: "entry_code", rule: "upper_level", zh: "只能继承上级统一建设系统的数据集（第十五条）",
                en: "Only a dataset of an upper-level unified system can be inherited (Art. 15)")
        }
        guard try await systemChain(of: own).contains(provider.id) else {
            throw DomainError.invalid(
                field: "entry_code", rule: "unified_system",
                zh: "只有使用该上级单位统一建设业务系统的下级单位（系统上级为提供部门）才能继承其数据集（第十五条）",
                en:
                    "Only a unit whose system parent is the provider, i.e. that uses its unified business system, inherits its dataset (Art. 15)"
            )
        }
        if try await mounts.inherited(datasetId: dataset.id).contains(where: { $0.departmentId == own.id }) {
            throw DomainError.conflict(code: "already_inherited", zh: "本部门已登记继承该数据集", en: "Your department already inherits this dataset")
        }
        let mount = InheritedMount(
            id: Identifier.make(at: clock.now()), datasetId: dataset.id, departmentId: own.id,
            note: note ?? "", createdBy: actor.id, createdAt: now, nodeId: nodeId)
        try await mounts.insert(
            mount,
            audit: AuditRecord(
                actor: actor, action: "dataset.inherit", objectType: "dataset",
                objectId: dataset.id, after: AuditJSON.encode(mount), origin: origin))
        return mount
    }

    public func uploadFile(
        code: String, fileName: String?, contentType: String?, bytes: [UInt8], by actor: Principal,
        origin: RequestOrigin
    ) async throws -> ResourceFile {
        try Policy.reportData.check(actor)
        let (entry, content) = try await exchange.publishedEntry(code: code)
        try exchange.requireProvider(actor, providerId: entry.providerId)
        guard let format = content.format.flatMap(ResourceFormat.init(rawValue:)), [.electronicFile, .image].contains(format) else {
            throw DomainError.invalid(
                field: "entry_code", rule: "format", zh: "只有电子文件类或图像类资源可以上传文件",
                en: "Only electronic-file or image resources take files")
        }
        var v = Validator()
        v.require(fileName, field: "file_name", maxLength: 200)
        if bytes.isEmpty { v.fail("body", "required", zh: "文件内容为空", en: "The file is empty") }
        try v.check()
        let (sha256, size) = try await files.put(bytes)
        let file = ResourceFile(
            id: Identifier.make(at: clock.now()), entryId: entry.id, fileName: fileName!,
            contentType: contentType ?? "application/octet-stream", size: size, sha256: sha256,
            uploadedBy: actor.id, uploadedAt: now, nodeId: nodeId)
        try await mounts.insert(
            file,
            audit: AuditRecord(
                actor: actor, action: "file.upload", objectType: "resource_file",
                objectId: file.id, after: AuditJSON.encode(file), origin: origin))
        return file
    }

    /// A file's bytes for a reader entitled to the whole resource in clear: a file cannot be cut down to some items
    /// or masked, so a reader who may see only some items, or some only masked, does not get it. The download is a
    /// read like any other — a `data_reads` row under the purpose (grant usage, the auditors' trace; the file's id is
    /// its record reference) — written with its audit entry before the bytes leave; the store checks them against
    /// the recorded SHA-256.
    public func download(fileId: String, purpose: String?, by reader: Principal, origin: RequestOrigin) async throws -> (
        ResourceFile, [UInt8]
    ) {
        try Policy.readData.check(reader)
        guard let file = try await mounts.file(id: fileId) else { throw DomainError.notFound("File", zh: "文件") }
        let resource = try await exchange.resource(code: file.entryId)
        let basis = try await exchange.basis(purpose: purpose, dataset: resource, reader: reader)
        let columns = try AccessPolicy.readable(resource, reader: reader, basis: basis, requested: nil, today: exchange.today)
        let clear = Set(columns.filter { $0.mask == .clear }.map(\.column.itemCode))
        let withheld = resource.columns.filter { !clear.contains($0.itemCode) }.map(\.itemCode)
        if !withheld.isEmpty {
            throw DomainError(
                .forbidden, code: "file_not_permitted",
                message: LocalizedText(
                    zh: "文件包含本次读取依据不能明文读取的信息项（\(withheld.joined(separator: ", "))），不能下载",
                    en:
                        "The file holds items the purpose does not allow in clear (\(withheld.joined(separator: ", "))); it cannot be downloaded"
                ))
        }
        let read = DataRead(
            auditSeq: 0, datasetId: resource.id, entryCode: resource.entryCode, actorId: reader.id,
            actorName: reader.name, departmentId: reader.departmentId, purposeId: basis.purposeId,
            items: resource.columns.map(\.itemCode), filter: "file \(file.id) sha256 \(file.sha256)", rows: 1,
            readAt: exchange.now, requestId: origin.requestId)
        _ = try await exchange.datasets.recordRead(
            read, keys: [file.id],
            audit: AuditRecord(
                actor: reader, action: "file.download", objectType: "resource_file", objectId: file.id,
                detail: AuditJSON.encode(read), origin: origin))
        return (file, try await files.get(sha256: file.sha256))
    }

    public func registerService(code: String, endpoint: String?, by actor: Principal, origin: RequestOrigin) async throws -> ServiceMount {
        try Policy.reportData.check(actor)
        let (entry, content) = try await exchange.publishedEntry(code: code)
        try exchange.requireProvider(actor, providerId: entry.providerId)
        guard content.format == ResourceFormat.serviceInterface.rawValue || content.shareMethod == ShareMethod.serviceInterface.rawValue
        else {
            throw DomainError.invalid(
                field: "entry_code", rule: "format", zh: "只有接口类资源可以挂接服务接口", en: "Only service-interface resources mount an endpoint")
        }
        guard let endpoint, let url = URLComponents(string: endpoint), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw DomainError.invalid(field: "endpoint", rule: "url", zh: "endpoint 应为 http(s) 地址", en: "endpoint must be an http(s) URL")
        }
        if let refusal = outbound.refusal(for: endpoint) {
            throw DomainError.invalid(field: "endpoint", rule: "outbound_address", zh: refusal.zh, en: refusal.en)
        }
        if try await mounts.service(entryId: entry.id) != nil {
            throw DomainError.conflict(code: "already_mounted", zh: "该资源已挂接服务接口", en: "This resource already has a service endpoint")
        }
        let mount = ServiceMount(
            id: Identifier.make(at: clock.now()), entryId: entry.id, endpoint: endpoint, createdBy: actor.id,
            createdAt: now, nodeId: nodeId)
        try await mounts.insert(
            mount,
            audit: AuditRecord(
                actor: actor, action: "service.mount", objectType: "service_mount",
                objectId: mount.id, after: AuditJSON.encode(["entry_id": entry.id, "host": url.host ?? ""]),
                origin: origin))
        return mount
    }

    public struct ServiceResult: Sendable {
        public let columns: [ReadableColumn]
        public let records: [[String: String?]]
    }

    /// Calls the provider's endpoint for the reader and returns only the items the reader may see, masked by rule.
    /// The call is audited before the answer is returned; the endpoint's address never leaves the platform.
    public func call(
        code: String, purpose: String?, parameters: [String: String], by reader: Principal,
        origin: RequestOrigin
    ) async throws -> ServiceResult {
        try Policy.readData.check(reader)
        let resource = try await exchange.resource(code: code)
        guard let mount = try await mounts.service(entryId: resource.entryId) else {
            throw DomainError.notFound("Service endpoint of \(code)", zh: "资源 \(code) 的服务接口")
        }
        let basis = try await exchange.basis(purpose: purpose, dataset: resource, reader: reader)
        let columns = try AccessPolicy.readable(resource, reader: reader, basis: basis, requested: nil, today: exchange.today)
        // A parameter named after an item asks the provider to filter on it: only items the reader may read, and in
        // clear — filtering on a masked item would answer "which records hold this hidden value" (as for queries).
        let itemParameters = parameters.keys.filter { resource.column(item: $0) != nil }.sorted()
        if !itemParameters.isEmpty {
            let filtered = try AccessPolicy.readable(
                resource, reader: reader, basis: basis, requested: itemParameters, today: exchange.today)
            var v = Validator()
            for c in filtered where c.mask != .clear {
                v.fail(
                    "parameters.\(c.column.itemCode)", "masked_item",
                    zh: "脱敏信息项「\(c.column.itemCode)」不能作为查询参数；核对已掌握的明文请使用核验接口（verify）",
                    en: "Masked item '\(c.column.itemCode)' cannot be a parameter; to check a value you hold, use verify")
            }
            try v.check()
        }
        // Checked again at each call: the policy may have been tightened since the endpoint was mounted.
        if outbound.refusal(for: mount.endpoint) != nil {
            throw DomainError(
                .unavailable, code: "upstream_refused",
                message: LocalizedText(zh: "提供部门接口地址不被允许访问", en: "The provider's endpoint address is not allowed"))
        }
        let (status, body) = try await caller.get(mount.endpoint, parameters: parameters)
        guard (200..<300).contains(status), let json = try? JSONSerialization.jsonObject(with: Data(body)) else {
            throw DomainError(
                .unavailable, code: "upstream_failed",
                message: LocalizedText(zh: "提供部门接口未正常响应（\(status)）", en: "The provider's endpoint did not answer properly (\(status))"))
        }
        let objects: [[String: Any]] =
            (json as? [[String: Any]]) ?? ((json as? [String: Any])?["records"] as? [[String: Any]])
            ?? ((json as? [String: Any]).map { [$0] } ?? [])
        var keys: [String] = []
        let records = objects.map { object -> [String: String?] in
            if let key = object[resource.primaryKey].flatMap(Self.text) { keys.append(key) }
            var record: [String: String?] = [:]
            for c in columns {
                guard let value = object[c.column.itemCode] else { continue }
                record[c.column.itemCode] = .some(Self.text(value).map { c.mask.apply($0) })
            }
            return record
        }
        // The call is a read like any other: recorded with the records it returned before the answer leaves.
        let filter = parameters.keys.sorted().map { name in
            (resource.column(item: name)?.sensitivity ?? 3) < 3 ? "\(name)=\(parameters[name]!)" : "\(name) [withheld]"
        }.joined(separator: "; ")
        let read = DataRead(
            auditSeq: 0, datasetId: resource.id, entryCode: resource.entryCode, actorId: reader.id,
            actorName: reader.name, departmentId: reader.departmentId, purposeId: basis.purposeId,
            items: columns.map(\.column.itemCode), filter: filter, rows: records.count, readAt: exchange.now,
            requestId: origin.requestId)
        _ = try await exchange.datasets.recordRead(
            read, keys: keys,
            audit: AuditRecord(
                actor: reader, action: "service.call", objectType: "service_mount", objectId: mount.id,
                detail: AuditJSON.encode(read), origin: origin))
        return ServiceResult(columns: columns, records: records)
    }
}

extension MountService {
    /// The department's system parent, that parent's own, and so on up the vertical system (a cycle or a missing
    /// department ends the walk).
    func systemChain(of department: Department) async throws -> Set<String> {
        var chain = Set<String>()
        var next = department.systemParentId
        while let id = next, chain.insert(id).inserted {
            next = try await departments.find(id: id)?.systemParentId
        }
        return chain
    }

    static func text(_ value: Any) -> String? { value is NSNull ? nil : (value as? String) ?? "\(value)" }
}

extension AdministrativeLevel {
    /// Province 0, city 1, county 2: a higher rank is a lower level.
    var rank: Int { AdministrativeLevel.allCases.firstIndex(of: self) ?? 0 }
}
