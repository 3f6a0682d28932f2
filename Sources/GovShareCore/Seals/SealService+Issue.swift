import Foundation

extension SealService {
    public struct Issue: Sendable {
        public var name: String?
        public var kind: String?
        public var holderDepartmentId: String?
        /// Required for a personal signature key: the reviewer it belongs to.
        public var holderUserId: String?
        public var validFrom: Date?
        public var validTo: Date?
        /// The seal's picture (PNG) and its printed size in millimetres (default 40 × 40).
        public var image: Data?
        public var imageWidthMM: Int?
        public var imageHeightMM: Int?

        public init(
            name: String?, kind: String?, holderDepartmentId: String?, holderUserId: String? = nil, validFrom: Date? = nil,
            validTo: Date? = nil, image: Data? = nil, imageWidthMM: Int? = nil, imageHeightMM: Int? = nil
        ) {
            self.name = name; self.kind = kind; self.holderDepartmentId = holderDepartmentId; self.holderUserId = holderUserId
            self.validFrom = validFrom; self.validTo = validTo; self.image = image; self.imageWidthMM = imageWidthMM
            self.imageHeightMM = imageHeightMM
        }
    }

    static let pngSignature = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    /// GB/T 38540 SES_Header.vid: the maker of the structure.
    public static let vendorId = "GovShare"

    /// Issues a seal or personal signing key to a department (Art. 25): only the provincial data authority's
    /// administrators. The key is generated here, certified by the root and kept wrapped; only the certificate and the
    /// seal structure leave.
    public func issue(_ input: Issue, by actor: Principal, origin: RequestOrigin) async throws -> SealSummary {
        try await requireManager(actor)
        let now = clock.now()
        var v = Validator()
        let name = input.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        v.require(name, field: "name", maxLength: Limits.name)
        // The name goes into the certificate's subject, shown as one `CN=…,O=…` line.
        if name.contains(where: { ",=+;<>#\"\\".contains($0) || $0.isNewline }) {
            v.fail(
                "name", "characters", zh: "name 不能含有 , = + ; < > # \" \\ 或换行",
                en: "name must not contain , = + ; < > # \" \\ or line breaks")
        }
        let kind = input.kind.flatMap(SealKind.init(rawValue:))
        if kind == nil {
            v.fail("kind", "enum", zh: "kind 应为以下之一：\(SealKind.allowedValues)", en: "kind must be one of: \(SealKind.allowedValues)")
        }
        v.require(input.holderDepartmentId, field: "holder_department_id", maxLength: 64)
        let validFrom = input.validFrom ?? now
        let validTo =
            input.validTo ?? Calendar(identifier: .gregorian).date(byAdding: .year, value: Limits.defaultValidityYears, to: validFrom)!
        let longest = Calendar(identifier: .gregorian).date(byAdding: .year, value: Limits.longestValidityYears, to: validFrom)!
        if validFrom < now.addingTimeInterval(-300) {
            v.fail("valid_from", "not_past", zh: "valid_from 不能早于当前时间", en: "valid_from must not lie in the past")
        }
        if validTo <= validFrom || validTo > longest {
            v.fail(
                "valid_to", "range", zh: "valid_to 应晚于 valid_from，且有效期不超过 \(Limits.longestValidityYears) 年",
                en: "valid_to must be after valid_from and within \(Limits.longestValidityYears) years of it")
        }
        if let image = input.image {
            if image.count > Limits.imageBytes {
                v.fail(
                    "image", "max_bytes", zh: "image 不能超过 \(Limits.imageBytes / 1024) KB",
                    en: "image must be at most \(Limits.imageBytes / 1024) KB")
            } else if !image.starts(with: Self.pngSignature) {
                v.fail("image", "png", zh: "image 应为 PNG 图片", en: "image must be a PNG picture")
            }
        }
        for (value, field) in [(input.imageWidthMM, "image_width_mm"), (input.imageHeightMM, "image_height_mm")] {
            if let value, !Limits.pictureMillimetres.contains(value) {
                v.fail(
                    field, "range", zh: "\(field) 应在 10–100 毫米之间", en: "\(field) must be between 10 and 100 millimetres")
            }
        }
        try v.check()
        let holder = input.holderDepartmentId!.trimmingCharacters(in: .whitespaces)
        // The department's id, or its code (the command line's way).
        var found = try await departments.find(id: holder)
        if found == nil { found = try await departments.find(code: holder) }
        guard let department = found else {
            throw DomainError.invalid(
                field: "holder_department_id", rule: "exists", zh: "holder_department_id 不是已登记的部门",
                en: "holder_department_id is not a registered department")
        }
        let holderUserId = try await checkHolder(kind: kind!, userId: input.holderUserId, department: department)
        let root = try await keyring.rootCertificate()
        try await refusePlatformSealIdentity(kind: kind!, department: department, root: root)
        if validTo > root.notAfter {
            throw DomainError.invalid(
                field: "valid_to", rule: "root_validity", zh: "valid_to 不能晚于平台根证书的有效期（\(Timestamp.format(root.notAfter))）",
                en: "valid_to must not be later than the platform root certificate's validity (\(Timestamp.format(root.notAfter)))")
        }
        return SealSummary(
            try await make(
                name: name, kind: kind!, department: department, holderUserId: holderUserId, validFrom: validFrom,
                validTo: validTo, image: input.image,
                pictureSize: (
                    input.imageWidthMM ?? Limits.defaultPictureMillimetres, input.imageHeightMM ?? Limits.defaultPictureMillimetres
                ),
                by: actor, origin: origin))
    }

    /// The platform's own data seal — the provincial data authority's, named as the root names it — is made only by
    /// the platform (`currentAuthoritySeal`): a data seal issued to the authority, or to any department bearing the
    /// authority's name, would carry the certificate subject that archive verification accepts as the platform's.
    func refusePlatformSealIdentity(kind: SealKind, department: Department, root: CertificateInfo) async throws {
        guard kind == .dataSeal else { return }
        let authority = try await provincialAuthority()
        // Compared as the certificate would carry it (names are cut to 64 characters there).
        let certified = DistinguishedName(commonName: "", organization: department.nameZh).organization
        guard department.id == authority?.id || certified == PlatformSealIdentity.authorityName(root: root) else { return }
        throw DomainError.invalid(
            field: "holder_department_id", rule: "platform_seal",
            zh: "省政务数据主管部门的数据专用章由平台自行签发（用于平台的复函、授权、整改通知和归档清单），不能另行签发",
            en:
                "The provincial data authority's data seal is made by the platform itself (it seals the platform's letters, grants, orders and archive manifests) and cannot be issued"
        )
    }

    /// A personal signature key belongs to one reviewer of the department; a department's seal to nobody in person.
    func checkHolder(kind: SealKind, userId: String?, department: Department) async throws -> String? {
        let id = userId?.trimmingCharacters(in: .whitespaces)
        guard kind == .personalSignature else {
            if let id, !id.isEmpty {
                throw DomainError.invalid(
                    field: "holder_user_id", rule: "personal_only", zh: "只有个人签名才有持有人 holder_user_id",
                    en: "holder_user_id belongs to personal signatures only")
            }
            return nil
        }
        guard let id, !id.isEmpty, let user = try await accounts.findUser(id: id), user.status == .active else {
            throw DomainError.invalid(
                field: "holder_user_id", rule: "exists", zh: "个人签名需要 holder_user_id：本部门一名在用的审核人员",
                en: "A personal signature needs holder_user_id: an active reviewer of the department")
        }
        let reviews = user.roles.contains {
            $0.departmentId == department.id && Policy.signWithSeals.allowedRoles.contains($0.role)
        }
        guard user.departmentId == department.id, reviews else {
            throw DomainError.invalid(
                field: "holder_user_id", rule: "reviewer", zh: "个人签名只发给本部门的审核人员",
                en: "Personal signature keys are issued to the department's reviewers only")
        }
        return user.id
    }

    /// Generates, certifies, builds the seal structure, wraps and stores: shared by `issue` and the authority's own seal.
    func make(
        name: String, kind: SealKind, department: Department, holderUserId: String?, validFrom: Date, validTo: Date,
        image: Data?, pictureSize: (Int, Int), organization: String? = nil, by actor: Principal, origin: RequestOrigin
    ) async throws -> Seal {
        let now = clock.now()
        let crypto = keyring.crypto
        let id = Identifier.make(at: now)
        let key = try crypto.generateSM2Key()
        let certificate = try await keyring.certify(
            try crypto.publicKey(of: key),
            subject: DistinguishedName(
                commonName: name, organization: organization ?? department.nameZh, organizationalUnit: kind.name.zh),
            notBefore: validFrom, notAfter: validTo)
        let info = SealInfoContent(
            vendorId: Self.vendorId, esID: id, type: kind.standardType, name: name, certificates: [certificate.der],
            createDate: now, validStart: validFrom, validEnd: validTo, pictureType: "PNG", pictureData: image ?? Data(),
            pictureWidthMM: image == nil ? 0 : pictureSize.0, pictureHeightMM: image == nil ? 0 : pictureSize.1)
        let sealInfoDER = try codec.encodeSealInfo(info)
        let maker = try await keyring.signAsRoot(sealInfoDER)
        let sealDER = try codec.encodeSeal(
            sealInfoDER: sealInfoDER, makerCertificateDER: maker.certificateDER, signedValue: maker.signature)
        let seal = Seal(
            id: id, nodeId: nodeId, name: name, kind: kind, holderDepartmentId: department.id, holderUserId: holderUserId,
            image: image, validFrom: validFrom, validTo: validTo, status: .active, certificateDER: certificate.der,
            certificateSerialHex: certificate.serialNumberHex.lowercased(), sealStructureDER: sealDER,
            wrappedPrivateKey: try keyring.custody.wrap(key, label: "seal:\(id)"),
            keyEncryptionKeyId: keyring.custody.keyEncryptionKeyId, issuedBy: actor.id, createdAt: now)
        try await seals.insert(
            seal,
            audit: AuditRecord(
                actor: actor, action: "seal.issue", objectType: "seal", objectId: id,
                after: AuditJSON.encode(seal.auditSummary), origin: origin))
        return seal
    }
}
