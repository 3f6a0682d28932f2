import Foundation

extension LicenceService {
    /// Refuses a caller who may not issue licences at all, before the server reads a body of up to 8 MiB (`issue`
    /// checks the type's issuing department once the body names it).
    public func authorizeIssue(by actor: Principal) throws { try Policy.issueLicences.check(actor) }

    /// Issues a licence (Art. 23): staff of the department that issues the type. The input is checked as a whole (the
    /// holder's identifier by its standard, required fields, validity), the file stored, the canonical document made
    /// once and signed with the department's data seal (issued to it through `SealService` on first use), and the
    /// licence written with its audit entry.
    public func issue(_ input: NewLicence, by actor: Principal, origin: RequestOrigin) async throws -> Licence {
        try Policy.issueLicences.check(actor)
        let type = try await requireType(input.typeCode)
        try requireIssuer(actor, type.issuerDepartmentId)
        let issuer = try await requireDepartment(type.issuerDepartmentId)
        var licence = try draft(input, type: type, actor: actor, index: nil)
        if let file = input.file {
            let stored = try await files.put(file.bytes)
            licence.attachment = LicenceAttachment(
                fileName: file.fileName, contentType: file.contentType, size: stored.size, sha256: stored.sha256)
        }
        let signing = try await sign(&licence, type: type, issuer: issuer, origin: origin)
        try await licences.insert(
            licence,
            audit: AuditRecord(
                actor: actor, action: "licence.issue", objectType: "licence", objectId: licence.id,
                after: AuditJSON.encode(licence.auditSummary), origin: origin),
            signingAudits: [signing])
        return licence
    }

    /// Issues many licences of one type in one transaction with one audit entry (bulk migration of existing
    /// licences, the demo); each is checked and signed as `issue` does. Files are not taken in bulk.
    public func issueMany(_ inputs: [NewLicence], by actor: Principal, origin: RequestOrigin) async throws -> [Licence] {
        try Policy.issueLicences.check(actor)
        guard !inputs.isEmpty else { return [] }
        guard inputs.count <= Limits.bulk, Set(inputs.map(\.typeCode)).count == 1, inputs.allSatisfy({ $0.file == nil }) else {
            throw DomainError.invalid(
                field: "licences", rule: "bulk", zh: "批量发证每次 1–\(Limits.bulk) 张、同一类型、不含文件",
                en: "Bulk issuance takes 1 to \(Limits.bulk) licences of one type, without files")
        }
        let type = try await requireType(inputs[0].typeCode)
        try requireIssuer(actor, type.issuerDepartmentId)
        let issuer = try await requireDepartment(type.issuerDepartmentId)
        let drafts = try inputs.enumerated().map { i, input in try draft(input, type: type, actor: actor, index: i) }
        // Everything is checked before anything is signed. Signing runs a few at a time (the cores share the
        // cryptography); the signatures' audit entries are written with the licences, in their one transaction.
        _ = try await issuerSeal(issuer, origin: origin)
        var issued = drafts
        var signings = [AuditRecord?](repeating: nil, count: drafts.count)
        try await withThrowingTaskGroup(of: (Int, Licence, AuditRecord).self) { group in
            var next = 0
            func start() {
                guard next < drafts.count else { return }
                let index = next, draft = drafts[index]
                next += 1
                group.addTask {
                    var licence = draft
                    let signing = try await sign(&licence, type: type, issuer: issuer, origin: origin)
                    return (index, licence, signing)
                }
            }
            for _ in 0..<4 { start() }
            while let (index, licence, signing) = try await group.next() {
                issued[index] = licence
                signings[index] = signing
                start()
            }
        }
        try await licences.insert(
            issued,
            audit: AuditRecord(
                actor: actor, action: "licence.issue_bulk", objectType: "licence_type", objectId: type.id,
                after: AuditJSON.encode(["count": String(issued.count), "first": issued.first?.id ?? "", "last": issued.last?.id ?? ""]),
                origin: origin),
            signingAudits: signings.compactMap { $0 })
        return issued
    }

    func requireDepartment(_ id: String) async throws -> Department {
        guard let department = try await departments.find(id: id) else { throw DomainError.notFound("Department", zh: "部门") }
        return department
    }

    /// The licence as the input describes it, checked; every problem reported at once (`licences[i].` in bulk).
    func draft(_ input: NewLicence, type: LicenceType, actor: Principal, index: Int?) throws -> Licence {
        let prefix = index.map { "licences[\($0)]." } ?? ""
        var v = Validator()
        let number = input.number.trimmingCharacters(in: .whitespacesAndNewlines)
        let holderId = input.holderId.trimmingCharacters(in: .whitespaces).uppercased()
        let holderName = input.holderName.trimmingCharacters(in: .whitespacesAndNewlines)
        v.require(number, field: prefix + "number", maxLength: Limits.number)
        v.require(holderName, field: prefix + "holder_name", maxLength: Limits.holderName)
        if let problem = type.holderKind.problem(in: holderId) {
            v.fail(prefix + "holder_id", type.holderKind == .resident ? "resident_id" : "credit_code", zh: problem.zh, en: problem.en)
        }
        let from = CivilDate(input.validFrom)
        if from == nil { v.fail(prefix + "valid_from", "date", zh: "valid_from 应为 YYYY-MM-DD", en: "valid_from must be YYYY-MM-DD") }
        if let to = input.validTo {
            if let end = CivilDate(to) {
                if let from, end < from {
                    v.fail(
                        prefix + "valid_to", "after_valid_from", zh: "valid_to 不能早于 valid_from", en: "valid_to cannot be before valid_from")
                }
            } else {
                v.fail(prefix + "valid_to", "date", zh: "valid_to 应为 YYYY-MM-DD", en: "valid_to must be YYYY-MM-DD")
            }
        }
        var fields: [String: String] = [:]
        let known = Set(type.fields.map(\.item))
        for (item, value) in input.fields {
            let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if !known.contains(item) {
                v.fail(
                    prefix + "fields.\(item)", "unknown_field", zh: "「\(item)」不是\(type.nameZh)的字段",
                    en: "'\(item)' is not a field of \(type.nameEn)")
            } else if InputLimits.exceeds(text, Limits.fieldValue) {
                v.fail(
                    prefix + "fields.\(item)", "max_length", zh: "字段值不能超过 \(Limits.fieldValue) 个字符",
                    en: "A field value must be at most \(Limits.fieldValue) characters")
            } else if !text.isEmpty {
                fields[item] = text
            }
        }
        for field in type.fields where field.required && fields[field.item] == nil {
            v.fail(
                prefix + "fields.\(field.item)", "required", zh: "「\(field.nameZh)」为必填字段", en: "'\(field.nameEn)' is required")
        }
        if let file = input.file {
            if file.bytes.isEmpty || file.bytes.count > Limits.fileBytes {
                v.fail(
                    prefix + "file", "size", zh: "证照文件应为 1 字节至 \(Limits.fileBytes / 1024 / 1024) MB",
                    en: "The licence file must be 1 byte to \(Limits.fileBytes / 1024 / 1024) MB")
            }
            v.require(file.fileName, field: prefix + "file_name", maxLength: 200)
            v.limit(file.contentType, field: prefix + "content_type", maxLength: 100)
        }
        try v.check()
        let at = clock.now()
        return Licence(
            id: Identifier.make(at: at), nodeId: nodeId, typeId: type.id, number: number, holderId: holderId,
            holderName: holderName, issuerDepartmentId: type.issuerDepartmentId, issuedAt: Timestamp.format(at),
            issuedBy: actor.id, validFrom: input.validFrom, validTo: input.validTo, fields: fields, attachment: nil,
            recordedStatus: .active, document: Data(), signatureDER: Data(), sealId: "")
    }

    /// Renders the canonical document once and signs it with the issuer's data seal; returns the signing's audit
    /// entry, which the caller writes with the licence.
    func sign(_ licence: inout Licence, type: LicenceType, issuer: Department, origin: RequestOrigin) async throws -> AuditRecord {
        licence.document = LicenceDocument.render(licence, type: type, issuer: issuer)
        let seal = try await issuerSeal(issuer, origin: origin)
        let (signed, audit) = try await seals.signForRecord(
            document: licence.document, sealId: seal, purpose: "licence \(licence.id)", by: Self.signer, origin: origin)
        licence.signatureDER = signed.signatureDER
        licence.sealId = signed.sealId
        return audit
    }

    /// The platform signs for the issuing department once LicenceService has checked the person may issue: a
    /// cataloger issues licences but does not hold the seal-signing role. The licence's own audit entry names the person.
    static let signer = Principal.system("licences")

    /// The department's active data seal valid now; when it has none, one is issued to it through SealService (as
    /// the platform, one at a time so two issuances do not each make one).
    func issuerSeal(_ issuer: Department, origin: RequestOrigin) async throws -> String {
        let seals = self.seals
        let now = clock.now()
        return try await sealGate.run {
            if let seal = try await seals.list(departmentId: issuer.id, by: Self.signer).first(where: {
                $0.kind == .dataSeal && $0.status == .active && $0.validFrom <= now && now < $0.validTo
            }) {
                return seal.id
            }
            return try await seals.issue(
                SealService.Issue(name: "\(issuer.nameZh)电子证照专用章", kind: SealKind.dataSeal.rawValue, holderDepartmentId: issuer.id),
                by: Self.signer, origin: origin
            ).id
        }
    }
}
