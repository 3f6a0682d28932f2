import Foundation

/// E-licences (电子证照, Art. 23): the responsible department issues and revokes them, signed with its seal (Art. 24);
/// departments look them up by holder for a stated business matter under the same subscriptions and grants that
/// govern reading the licence type's catalog entry (`AccessPolicy`), and each lookup is a read in the trace. Anyone
/// holding a licence package verifies it offline with the platform's root certificate.
public struct LicenceService: Sendable {
    let licences: any LicenceRepository
    let exchange: ExchangeService
    let catalog: any CatalogRepository
    let departments: any DepartmentRepository
    let files: any FileStore
    let seals: SealService
    let keyring: PlatformKeyring
    let clock: any WallClock
    let nodeId: String
    /// Serialises obtaining a department's seal on its first licence (SealService's own gate type).
    let sealGate = AuthoritySealGate()

    public enum Limits {
        /// A licence's attached file (a scan or the issued PDF).
        /// (Sent base64 in a JSON body, it stays within the 8 MiB upload limit.)
        public static let fileBytes = 5 * 1024 * 1024
        public static let number = 64
        public static let holderName = 200
        public static let fieldValue = 2000
        public static let matter = 200
        public static let typeCode = 32
        public static let fields = 50
        /// Licences issued in one bulk call.
        public static let bulk = 5000
    }

    public init(
        licences: any LicenceRepository, exchange: ExchangeService, catalog: any CatalogRepository,
        departments: any DepartmentRepository, files: any FileStore, seals: SealService, keyring: PlatformKeyring,
        clock: any WallClock, nodeId: String
    ) {
        self.licences = licences; self.exchange = exchange; self.catalog = catalog; self.departments = departments
        self.files = files; self.seals = seals; self.keyring = keyring; self.clock = clock; self.nodeId = nodeId
    }

    var now: String { Timestamp.format(clock.now()) }
    var today: String { CivilDate(instant: clock.now()).description }

    // MARK: - Types

    /// Every licence type, for anyone signed in (which licences exist is not itself protected).
    /// Seals the licences stored in clear before encryption at rest (the scheduler), batch by batch; returns how many.
    public func sealStoredLicences(batch: Int = 200) async throws -> Int {
        var total = 0
        while true {
            let sealed = try await licences.sealClearLicences(limit: batch)
            total += sealed
            if sealed < batch { return total }
        }
    }

    public func types(by viewer: Principal) async throws -> [LicenceType] {
        try Policy.readDirectory.check(viewer)
        return try await licences.types()
    }

    public func type(code: String, by viewer: Principal) async throws -> LicenceType {
        try Policy.readDirectory.check(viewer)
        return try await requireType(code)
    }

    func requireType(_ code: String) async throws -> LicenceType {
        guard InputLimits.exceeds(code, Limits.typeCode) == false, let type = try await licences.type(code: code) else {
            throw DomainError.notFound("Licence type \(code)", zh: "证照类型 \(code)")
        }
        return type
    }

    /// Defines a licence type on a published catalog entry of the actor's own department: that department issues it,
    /// and its fields, holder and number are items of the entry, so reading them follows the catalog.
    public func defineType(_ input: NewLicenceType, by actor: Principal, origin: RequestOrigin) async throws -> LicenceType {
        try Policy.defineLicenceTypes.check(actor)
        var v = Validator()
        v.require(input.code, field: "code", maxLength: Limits.typeCode)
        if input.code.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-")) }) {
            v.fail("code", "pattern", zh: "code 只能包含英文字母、数字、- 和 _", en: "code may hold only letters, digits, - and _")
        }
        v.require(input.nameZh, field: "name_zh", maxLength: 100)
        v.require(input.nameEn, field: "name_en", maxLength: 200)
        if input.holderKind == nil {
            v.fail(
                "holder_kind", "enum", zh: "holder_kind 应为 resident（公民身份号码）或 enterprise（统一社会信用代码）",
                en: "holder_kind must be resident (ID number) or enterprise (credit code)")
        }
        if input.fields.isEmpty || input.fields.count > Limits.fields {
            v.fail("fields", "count", zh: "证照须有 1–\(Limits.fields) 个字段", en: "A licence type has 1 to \(Limits.fields) fields")
        }
        try v.check()
        let holderKind = input.holderKind ?? .resident  // checked above: never nil here
        let (entry, content) = try await exchange.publishedEntry(code: input.entryCode)
        try exchange.requireProvider(actor, providerId: entry.providerId)
        let items = Dictionary((content.items ?? []).compactMap { i in i.code.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
        for (i, field) in input.fields.enumerated() {
            if items[field.item] == nil {
                v.fail(
                    "fields[\(i)].item", "unknown_item", zh: "「\(field.item)」不是目录 \(entry.code) 的信息项",
                    en: "'\(field.item)' is not a data item of entry \(entry.code)")
            }
            v.require(field.nameZh, field: "fields[\(i)].name_zh", maxLength: 100)
        }
        let holderRule = holderKind == .resident ? ItemRule.residentId.rawValue : ItemRule.creditCode.rawValue
        if items[input.holderItem]?.rule != holderRule {
            v.fail(
                "holder_item", "identifier_item",
                zh: "holder_item 须为该目录中规则为 \(holderRule) 的信息项", en: "holder_item must be an item of the entry with rule \(holderRule)")
        }
        if items[input.holderNameItem] == nil {
            v.fail("holder_name_item", "unknown_item", zh: "holder_name_item 不是该目录的信息项", en: "holder_name_item is not an item of the entry")
        }
        if let number = input.numberItem, items[number] == nil {
            v.fail("number_item", "unknown_item", zh: "number_item 不是该目录的信息项", en: "number_item is not an item of the entry")
        }
        try v.check()
        if try await licences.type(code: input.code) != nil {
            throw DomainError.conflict(code: "licence_type_exists", zh: "证照类型 \(input.code) 已存在", en: "Licence type \(input.code) exists")
        }
        let type = LicenceType(
            id: Identifier.make(at: clock.now()), code: input.code, nameZh: input.nameZh, nameEn: input.nameEn,
            issuerDepartmentId: entry.providerId, holderKind: holderKind, holderItem: input.holderItem,
            holderNameItem: input.holderNameItem, numberItem: input.numberItem, entryId: entry.id, entryCode: entry.code,
            fields: input.fields, nodeId: nodeId, createdBy: actor.id, createdAt: now)
        try await licences.insert(
            type,
            audit: AuditRecord(
                actor: actor, action: "licence_type.define", objectType: "licence_type", objectId: type.id,
                after: AuditJSON.encode(["code": type.code, "name": type.nameZh, "entry_id": type.entryId]), origin: origin))
        return type
    }

    // MARK: - The issuer's side

    /// The licences the actor's department issued (every department's for the system), newest first, in clear: the
    /// issuer is the provider of this data.
    public func issued(typeCode: String?, holderId: String?, limit: Int, offset: Int, by actor: Principal) async throws -> [Licence] {
        try Policy.issueLicences.check(actor)
        var typeId: String?
        if let typeCode { typeId = try await requireType(typeCode).id }
        return try await licences.list(
            LicenceListQuery(
                issuerDepartmentId: actor.kind == .system ? nil : actor.departmentId, typeId: typeId,
                holderId: holderId?.trimmingCharacters(in: .whitespaces).uppercased(), limit: min(max(limit, 1), 500),
                offset: max(offset, 0)))
    }

    /// Revokes a licence of the actor's department, with the reason; the licence stays readable and shows as revoked.
    public func revoke(id: String, reason: String?, by actor: Principal, origin: RequestOrigin) async throws -> Licence {
        try Policy.revokeLicences.check(actor)
        var v = Validator()
        v.require(reason, field: "reason", maxLength: InputLimits.reason)
        try v.check()
        guard Identifier.isValid(id), var licence = try await licences.find(id: id) else {
            throw DomainError.notFound("Licence", zh: "电子证照")
        }
        try requireIssuer(actor, licence.issuerDepartmentId)
        guard licence.recordedStatus == .active else {
            throw DomainError.conflict(code: "licence_revoked", zh: "该证照已注销", en: "The licence is already revoked")
        }
        let at = now
        let text = reason!.trimmingCharacters(in: .whitespacesAndNewlines)
        let before = AuditJSON.encode(licence.auditSummary)
        licence.recordedStatus = .revoked; licence.revokedAt = at; licence.revokedBy = actor.id; licence.revocationReason = text
        let changed = try await licences.revoke(
            id: id, at: at, by: actor.id, reason: text,
            audit: AuditRecord(
                actor: actor, action: "licence.revoke", objectType: "licence", objectId: id, before: before,
                after: AuditJSON.encode(licence.auditSummary), origin: origin))
        guard changed else { throw DomainError.conflict(code: "licence_revoked", zh: "该证照已注销", en: "The licence is already revoked") }
        return licence
    }

    func requireIssuer(_ actor: Principal, _ issuerDepartmentId: String) throws {
        guard actor.kind == .system || actor.departmentId == issuerDepartmentId else {
            throw DomainError(
                .forbidden, code: "not_issuer",
                message: LocalizedText(zh: "只有该证照类型的发证部门可以办理", en: "Only the department that issues this licence type may do this"))
        }
    }
}
