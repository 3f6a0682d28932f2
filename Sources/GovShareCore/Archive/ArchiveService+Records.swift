import Foundation

extension SealService {
    /// Signs a package's manifest with the data authority's data seal (issued on first use), audited as the platform
    /// (`seal.sign`), and returns the signer's and the root's certificates for the package.
    func signArchiveManifest(_ manifest: Data, origin: RequestOrigin) async throws -> ArchiveSignature {
        let signed = try await signAsAuthority(document: manifest, purpose: "archive manifest", origin: origin)
        let seal = try await find(signed.sealId)
        return ArchiveSignature(
            signatureDER: signed.signatureDER, signerCertificateDER: seal.certificateDER,
            rootCertificateDER: try await keyring.rootCertificate().der)
    }
}

extension ArchiveService {
    /// Seals issued (created in the period, every one when none is given): for each its certificate (PEM), its GB/T
    /// 38540 seal structure (DER) and its record (no key, wrapped or not).
    public func archiveSeals(
        from: String?, to: String?, by actor: Principal, origin: RequestOrigin, progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> ArchiveRecord {
        try Policy.createArchives.check(actor)
        let period = try Self.period(from: from, to: to)
        let all = try await sealRepository.list(holderDepartmentId: nil).filter { seal in
            let created = Timestamp.format(seal.createdAt)
            return period.from.map { created >= $0 } ?? true && period.to.map { created < $0 } ?? true
        }
        progress("seals: \(all.count) to archive")
        return try await make(
            kind: .seals, periodFrom: period.from, periodTo: period.to, by: actor,
            origin: origin
        ) { builder in
            try builder.touch("data/seals.jsonl")
            for seal in all.sorted(by: { $0.id < $1.id }) {
                try builder.appendLine("data/seals.jsonl", seal.auditSummary.merging(["id": seal.id, "node_id": seal.nodeId]) { $1 })
                try builder.add("data/seals/\(seal.id)/certificate.pem", Data(PEM.encode(seal.certificateDER, label: "CERTIFICATE").utf8))
                try builder.add("data/seals/\(seal.id)/seal.der", seal.sealStructureDER)
            }
        }
    }

    /// Applications decided in the period: each one's record (JSON), its attachments (bytes as uploaded, checked
    /// against their SHA-256 by the file store) and its signed decision letter (document and SES_Signature).
    public func archiveApplications(
        from: String?, to: String?, by actor: Principal, origin: RequestOrigin, progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> ArchiveRecord {
        try Policy.createArchives.check(actor)
        let period = try Self.period(from: from, to: to)
        let decided = try await applications.list(departmentIds: nil, openOnly: false).filter { a in
            guard let at = a.decidedAt else { return false }
            return period.from.map { at >= $0 } ?? true && period.to.map { at < $0 } ?? true
        }.sorted { $0.id < $1.id }
        progress("applications: \(decided.count) decided in the period")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try await make(
            kind: .applications, periodFrom: period.from, periodTo: period.to, by: actor, origin: origin
        ) { builder in
            try builder.touch("data/applications.jsonl")
            for (index, a) in decided.enumerated() {
                let base = "data/applications/\(a.id)"
                try builder.appendLine(
                    "data/applications.jsonl", ["id": a.id, "status": a.status.rawValue, "decided_at": a.decidedAt ?? ""])
                try builder.add("\(base)/application.json", try encoder.encode(a))
                let stored = try await attachments.attachments(applicationId: a.id)
                if !stored.isEmpty { try builder.add("\(base)/attachments.json", try encoder.encode(stored)) }
                for attachment in stored {
                    let bytes = try await files.get(sha256: attachment.sha256)
                    try builder.add("\(base)/attachments/\(attachment.id)", Data(bytes))
                }
                if let letter = try await letters.latest(kind: .applicationDecision, objectId: a.id) {
                    try builder.add("\(base)/decision-letter.json", letter.document)
                    try builder.add("\(base)/decision-letter.sig", letter.signature)
                }
                if (index + 1) % 100 == 0 { progress("applications: \(index + 1) of \(decided.count) written") }
            }
        }
    }
}
