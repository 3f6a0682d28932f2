import Foundation

/// A licence as one reader may see it: fields the reader's subscription or grant does not cover are left out, and
/// masked ones masked, exactly as a read of the type's catalog entry would show them.
public struct LicenceView: Sendable {
    public struct ShownField: Sendable {
        public let field: LicenceField
        public let value: String
        public let masked: Bool
    }
    public let id: String
    public let type: LicenceType
    /// Nil when the number's item is not readable under the purpose.
    public let number: String?
    public let holderId: String
    public let holderName: String?
    public let issuerDepartmentId: String
    public let issuedAt: String
    public let validFrom: String
    public let validTo: String?
    public let status: LicenceStatus
    public let statusReason: LocalizedText?
    public let fields: [ShownField]
    public let hasFile: Bool
    public let sealId: String
    /// Every item of the licence readable in clear: only then may its signed package be downloaded.
    public let complete: Bool
}

/// What a lookup found, and the reads it was recorded as (one per licence type looked in).
public struct LicenceLookup: Sendable {
    public let holderId: String
    public let matter: String
    public let licences: [LicenceView]
    public let reads: [DataRead]
}

extension LicenceService {
    /// Looks up a holder's licences for a stated business matter (事项, Art. 23: a department fetches the licence
    /// instead of asking the citizen for it). Reading a licence is reading its type's catalog entry: allowed only
    /// under `purpose` (a subscription or grant of the reader's department; when omitted, the reader's best one for
    /// the entry) or as the issuer, decided by `AccessPolicy` as for any data read, and refused with 403 before anything
    /// about the holder is looked at. The holder's identifier item must be readable in clear (looking up by a value
    /// one may only see masked would answer "does this hidden value exist"). Each type looked in is recorded as a
    /// read in the trace, with the holder as the record, before the answer leaves.
    public func lookup(
        holderId rawHolder: String, typeCode: String?, purpose: String?, matter rawMatter: String?, by reader: Principal,
        origin: RequestOrigin
    ) async throws -> LicenceLookup {
        try Policy.readData.check(reader)
        let holderId = rawHolder.trimmingCharacters(in: .whitespaces).uppercased()
        let matter = rawMatter?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var v = Validator()
        if matter.isEmpty {
            v.fail(
                "matter", "required", zh: "请注明办理的业务事项（第二十三条：按履职需要查用证照）",
                en: "State the business matter the licence is needed for (Art. 23)")
        } else if InputLimits.exceeds(matter, Limits.matter) {
            v.fail("matter", "max_length", zh: "matter 不能超过 \(Limits.matter) 个字符", en: "matter must be at most \(Limits.matter) characters")
        }
        let kind: LicenceHolderKind? =
            ResidentID.problem(in: holderId) == nil ? .resident : CreditCode.isValid(holderId) ? .enterprise : nil
        if kind == nil {
            v.fail(
                "holder_id", "identifier", zh: "holder_id 应为有效的公民身份号码或统一社会信用代码",
                en: "holder_id must be a valid citizen ID number or unified social credit code")
        }
        try v.check()
        let candidates: [LicenceType]
        if let typeCode {
            let type = try await requireType(typeCode)
            guard type.holderKind == kind else {
                throw DomainError.invalid(
                    field: "holder_id", rule: "holder_kind", zh: "\(type.nameZh)的持证人应以\(type.holderKind.name.zh)标识",
                    en: "\(type.nameEn) holders are identified as: \(type.holderKind.name.en)")
            }
            candidates = [type]
        } else {
            candidates = try await licences.types().filter { $0.holderKind == kind }
        }
        // Every permission is decided before the holder's licences are touched.
        var permitted: [(LicenceType, Dataset, ReadBasis, [String: MaskRule])] = []
        var firstRefusal: (any Error)?
        for type in candidates {
            do {
                let (resource, basis, masks) = try await access(type, purpose: purpose, reader: reader)
                permitted.append((type, resource, basis, masks))
            } catch let error as DomainError where error.kind == .forbidden {
                firstRefusal = firstRefusal ?? error
            }
        }
        if permitted.isEmpty {
            throw firstRefusal
                ?? DomainError(
                    .forbidden, code: "read_not_permitted",
                    message: LocalizedText(zh: "没有可查用的证照类型", en: "No licence type may be looked up"))
        }
        var views: [LicenceView] = []
        var reads: [DataRead] = []
        for (type, resource, basis, masks) in permitted {
            let found = try await licences.list(LicenceListQuery(typeId: type.id, holderId: holderId, limit: 100))
            let shown = found.map { view($0, type: type, masks: masks) }
            reads.append(
                try await record(
                    type: type, resource: resource, basis: basis, masks: masks, keys: [holderId] + found.map(\.id),
                    rows: found.count, action: "licence.lookup", filter: "licence lookup \(type.code); 事项 \(matter)",
                    reader: reader, origin: origin))
            views += shown
        }
        return LicenceLookup(holderId: holderId, matter: matter, licences: views, reads: reads)
    }

    /// The signed package of one licence (document, signature, signer chain) for a reader who may read every item of
    /// the licence in clear under `purpose` — a package cannot be masked. Recorded as a read, like a file download.
    public func package(
        id: String, purpose: String?, matter rawMatter: String?, by reader: Principal, origin: RequestOrigin
    ) async throws -> LicencePackage {
        try Policy.readData.check(reader)
        let matter = rawMatter?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var v = Validator()
        v.require(matter, field: "matter", maxLength: Limits.matter)
        try v.check()
        guard Identifier.isValid(id), let licence = try await licences.find(id: id),
            let type = try await licences.type(id: licence.typeId)
        else { throw DomainError.notFound("Licence", zh: "电子证照") }
        let (resource, basis, masks) = try await access(type, purpose: purpose, reader: reader)
        let withheld = Self.items(of: type).filter { masks[$0] != .clear }
        if !withheld.isEmpty {
            throw DomainError(
                .forbidden, code: "licence_not_clear",
                message: LocalizedText(
                    zh: "证照含有本次读取依据不能明文读取的信息项（\(withheld.joined(separator: ", "))），不能下载签章文件",
                    en:
                        "The licence holds items the purpose does not allow in clear (\(withheld.joined(separator: ", "))); its signed file cannot be downloaded"
                ))
        }
        _ = try await record(
            type: type, resource: resource, basis: basis, masks: masks, keys: [licence.holderId, licence.id], rows: 1,
            action: "licence.download", filter: "licence package \(licence.id); 事项 \(matter)", reader: reader, origin: origin)
        return try await package(of: licence)
    }

    /// The package of a licence: its stored document and signature, the seal's certificate and the root's.
    func package(of licence: Licence) async throws -> LicencePackage {
        let seal = try await seals.seal(id: licence.sealId, by: Self.signer)
        let root = try await keyring.rootCertificate()
        return LicencePackage(
            licence: licence,
            chain: [PEM.encode(seal.certificateDER, label: "CERTIFICATE"), PEM.encode(root.der, label: "CERTIFICATE")],
            status: licence.status(on: today))
    }

    /// The platform's root certificate (PEM): the one thing needed to verify a licence package offline. Public, as a
    /// trust anchor is.
    public func rootCertificatePEM() async throws -> String {
        PEM.encode(try await keyring.rootCertificate().der, label: "CERTIFICATE")
    }

    /// What the reader may read of the type's entry, and how: the one decision of `AccessPolicy`.
    func access(_ type: LicenceType, purpose: String?, reader: Principal) async throws -> (Dataset, ReadBasis, [String: MaskRule]) {
        let resource = try await exchange.resource(code: type.entryId)
        let bases: [ReadBasis]
        if let purpose, !purpose.trimmingCharacters(in: .whitespaces).isEmpty {
            bases = [try await exchange.basis(purpose: purpose, dataset: resource, reader: reader)]
        } else {
            bases = try await exchange.readPurposes(resource, for: reader)
        }
        var best: (ReadBasis, [String: MaskRule])?
        var refusal: (any Error)?
        for basis in bases {
            do {
                let columns = try AccessPolicy.readable(resource, reader: reader, basis: basis, requested: nil, today: exchange.today)
                let masks = Dictionary(uniqueKeysWithValues: columns.map { ($0.column.itemCode, $0.mask) })
                guard masks[type.holderItem] == .clear else {
                    refusal = DomainError(
                        .forbidden, code: "holder_item_not_clear",
                        message: LocalizedText(
                            zh: "本次读取依据不能明文读取持证人标识项「\(type.holderItem)」，不能按持证人查用\(type.nameZh)",
                            en:
                                "The purpose does not allow the holder item '\(type.holderItem)' in clear; \(type.nameEn) cannot be looked up by holder"
                        ))
                    continue
                }
                let clear = masks.values.filter { $0 == .clear }.count
                if best.map({ clear > $0.1.values.filter { $0 == .clear }.count }) ?? true { best = (basis, masks) }
            } catch let error as DomainError where error.kind == .forbidden {
                refusal = refusal ?? error
            }
        }
        guard let (basis, masks) = best else {
            throw refusal
                ?? DomainError(
                    .forbidden, code: "read_not_permitted",
                    message: LocalizedText(
                        zh: "本部门对\(type.nameZh)所属目录 \(type.entryCode) 没有有效的订阅或授权",
                        en: "Your department holds no subscription or grant in force for \(type.nameEn)'s entry \(type.entryCode)"))
        }
        return (resource, basis, masks)
    }

    /// Every entry item a licence of this type shows.
    static func items(of type: LicenceType) -> [String] {
        var items = [type.holderItem, type.holderNameItem] + type.fields.map(\.item)
        if let number = type.numberItem { items.append(number) }
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    func view(_ licence: Licence, type: LicenceType, masks: [String: MaskRule]) -> LicenceView {
        func shown(_ item: String?, _ value: String) -> String? {
            guard let item else { return value }
            return masks[item].map { $0.apply(value) }
        }
        let fields = type.fields.compactMap { field -> LicenceView.ShownField? in
            guard let value = licence.fields[field.item], let mask = masks[field.item] else { return nil }
            return LicenceView.ShownField(field: field, value: mask.apply(value), masked: mask != .clear)
        }
        return LicenceView(
            id: licence.id, type: type, number: shown(type.numberItem, licence.number), holderId: licence.holderId,
            holderName: shown(type.holderNameItem, licence.holderName), issuerDepartmentId: licence.issuerDepartmentId,
            issuedAt: licence.issuedAt, validFrom: licence.validFrom, validTo: licence.validTo, status: licence.status(on: today),
            statusReason: licence.statusReason(on: today), fields: fields, hasFile: licence.attachment != nil, sealId: licence.sealId,
            complete: Self.items(of: type).allSatisfy { masks[$0] == .clear })
    }

    /// Records the lookup or download as a read of the entry (its dataset when mounted), before the answer leaves.
    func record(
        type: LicenceType, resource: Dataset, basis: ReadBasis, masks: [String: MaskRule], keys: [String], rows: Int,
        action: String, filter: String, reader: Principal, origin: RequestOrigin
    ) async throws -> DataRead {
        let datasetId = try await exchange.datasets.find(entryId: type.entryId)?.id ?? resource.id
        let read = DataRead(
            auditSeq: 0, datasetId: datasetId, entryCode: resource.entryCode, actorId: reader.id, actorName: reader.name,
            departmentId: reader.departmentId, purposeId: basis.purposeId,
            items: Self.items(of: type).filter { masks[$0] != nil }, filter: filter, rows: rows, readAt: now,
            requestId: origin.requestId)
        return try await exchange.datasets.recordRead(
            read, keys: keys,
            audit: AuditRecord(
                actor: reader, action: action, objectType: "licence_type", objectId: type.id, detail: AuditJSON.encode(read),
                origin: origin))
    }
}

extension LicenceService {
    /// The operator at the server's console looks up for a department: the read is that department's, under its own
    /// subscriptions and grants, and the audit entry names the console. Only the system principal may do this.
    public func lookup(
        forDepartment departmentCode: String, holderId: String, typeCode: String?, purpose: String?, matter: String?,
        by console: Principal, origin: RequestOrigin
    ) async throws -> LicenceLookup {
        guard console.kind == .system else { throw DomainError.forbidden(policy: .readData) }
        let department = try await departments.require(code: departmentCode, field: "department")
        let reader = Principal(kind: .system, id: console.id, name: console.name, departmentId: department.id, roles: [.dataUser])
        return try await lookup(holderId: holderId, typeCode: typeCode, purpose: purpose, matter: matter, by: reader, origin: origin)
    }
}
