import Foundation
import GovShareCore
import GovShareCrypto
import GovShareServer
import GovShareStore
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

/// Art. 26 (电子归档) and Art. 28 (retention): audit entries past the retention move into signed audit-segment
/// packages that verify offline, the live chain verifies across the cut, nothing younger is archived, a run
/// interrupted between package and delete loses nothing and the rerun reuses the package. Old entries are written
/// through the real router under a test clock set 300 days back (the retention is 183), then the clock moves to now:
/// the margins are months, so nothing depends on timing.
@Suite("Archives and the audit retention cut")
struct ArchiveTests {
    static let system = Principal.system("archive-test")
    static let origin = RequestOrigin(requestId: "archive-test", clientAddress: "test")

    static func offline() -> ArchivePackageVerifier {
        ArchivePackageVerifier(crypto: OpenSSLNationalCrypto(), codec: GBT38540Codec(), hashing: AuditChainHashing())
    }

    static func scalar(_ env: TestEnvironment, _ sql: String) async throws -> Int64 {
        try await env.platform.database.withConnection { db in
            try await db.raw(SQLQueryString(sql)).first()?.decode(column: "n", as: Int64?.self) ?? -1
        }
    }

    /// Demo data and two indexed reads written 300 days ago, one more read not yet indexed, a checkpoint then; the
    /// clock moved to now, one young read. Returns the seq of the young read's entry.
    static func history(_ env: TestEnvironment, clock: ManualClock) async throws -> Int64 {
        try await AuditRetentionTests.read(env)
        try await env.test { client in
            let provider = try await client.token("gd_cataloger")
            let code = try await ExchangeTests.populationCode(client, provider)
            #expect(try await client.json(.post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"limit":3}"#).status == .ok)
        }
        _ = try await env.platform.auditCheckpoints.checkpoint(by: Self.system, origin: Self.origin)
        clock.advance(by: 300 * 86_400)
        try await env.test { client in
            let provider = try await client.token("gd_cataloger")
            let code = try await ExchangeTests.populationCode(client, provider)
            #expect(try await client.json(.post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"limit":2}"#).status == .ok)
        }
        _ = try await env.platform.auditCheckpoints.checkpoint(by: Self.system, origin: Self.origin)
        return try await Self.scalar(env, "SELECT MAX(audit_seq) AS n FROM data_reads")
    }

    @Test(arguments: TestDatabase.available)
    func retentionCutArchivesOldEntriesVerifiesOfflineAndAcrossTheCut(database: TestDatabase) async throws {
        let clock = ManualClock(Date().addingTimeInterval(-300 * 86_400))
        try await TestEnvironment.with(database, demoApplications: false, clock: clock) { env in
            let youngRead = try await Self.history(env, clock: clock)
            let cutoff = Timestamp.format(Date().addingTimeInterval(-183 * 86_400))
            let oldEntries = try await Self.scalar(env, "SELECT COUNT(*) AS n FROM audit_events WHERE occurred_at < '\(cutoff)'")
            let oldReads = try await Self.scalar(env, "SELECT COUNT(*) AS n FROM data_reads WHERE read_at < '\(cutoff)'")
            #expect(oldEntries > 10 && oldReads == 3)
            let file = try await env.platform.auditCheckpoints.export(by: Self.system, origin: Self.origin)

            // A date inside the retention is refused, and nothing is archived.
            await #expect(throws: DomainError.self) {
                try await env.platform.archives.archiveAudit(
                    before: Date().addingTimeInterval(-100 * 86_400), by: Self.system, origin: Self.origin)
            }
            #expect(try await env.platform.archives.segments(by: Self.system).isEmpty)

            let made = try await env.platform.archives.archiveAudit(before: nil, by: Self.system, origin: Self.origin)
            let segment = try #require(made.first)
            #expect(made.count == 1 && segment.firstSeq == 1 && segment.entries == oldEntries && segment.reads == 3)

            // Gone from the live tables, every one of them; nothing younger touched.
            #expect(try await Self.scalar(env, "SELECT COUNT(*) AS n FROM audit_events WHERE seq <= \(segment.lastSeq)") == 0)
            #expect(try await Self.scalar(env, "SELECT COUNT(*) AS n FROM data_reads WHERE audit_seq <= \(segment.lastSeq)") == 0)
            #expect(try await Self.scalar(env, "SELECT COUNT(*) AS n FROM data_read_refs WHERE audit_seq <= \(segment.lastSeq)") == 0)
            #expect(try await Self.scalar(env, "SELECT COUNT(*) AS n FROM audit_events WHERE occurred_at < '\(cutoff)'") == 0)
            #expect(try await Self.scalar(env, "SELECT COUNT(*) AS n FROM data_reads WHERE audit_seq = \(youngRead)") == 1)
            #expect(try await Self.scalar(env, "SELECT MIN(seq) AS n FROM audit_events") == segment.lastSeq + 1)

            // The package verifies offline, its chain re-walked, against the pinned root.
            let record = try await env.platform.archives.find(segment.archiveId, by: Self.system)
            let root = try await env.platform.seals.rootCertificate()
            let report = Self.offline().verify(directory: URL(fileURLWithPath: record.location), pinnedRoot: root)
            #expect(report.ok, "\(report.failures)")
            #expect(
                report.checked.contains { $0.hasPrefix("hash chain re-walked: entries 1–\(segment.lastSeq)") && $0.contains("3 reads") })
            #expect(report.manifest?.merkleRoot == record.merkleRoot)

            // The live chain verifies from the boundary; the checkpoints do not call the cut tampering.
            let chain = try await env.platform.audit.verify(by: Self.system, origin: Self.origin)
            #expect(chain.ok && chain.fromSeq == segment.lastSeq + 1 && chain.archivedBefore == segment.archiveId, "\(chain)")
            #expect(chain.scope == "verified from seq \(segment.lastSeq + 1) (archived before: package \(segment.archiveId))")
            let checked = try await env.platform.auditCheckpoints.verify(
                file: file.text, rootPEM: nil, by: Self.system, origin: Self.origin)
            #expect(checked.ok, "\(checked.findings.map(\.message.en))")
            #expect(checked.archivedThrough == segment.lastSeq && checked.archivedCheckpoints == 1)

            // Rerun: nothing more is old enough; the registry is unchanged.
            #expect(try await env.platform.archives.archiveAudit(before: nil, by: Self.system, origin: Self.origin).isEmpty)
            #expect(try await env.platform.archives.list(kind: "audit_segment", by: Self.system).count == 1)

            // The registry and the chain through the API, for an auditor.
            try await env.test { client in
                let auditor = try await client.token("auditor")
                let listed = try await client.execute(
                    uri: "/api/v1/archives?kind=audit_segment", method: .get, headers: [.authorization: "Bearer \(auditor)"])
                #expect(listed.status == .ok && String(buffer: listed.body).contains(segment.archiveId))
                let verify = try await client.json(.get, "/api/v1/audit/verify", token: auditor)
                #expect(verify.json["from_seq"] as? Int == Int(segment.lastSeq + 1))
                #expect(verify.json["archived_before"] as? String == segment.archiveId)
                let checkedOnline = try await client.json(.post, "/api/v1/archives/\(segment.archiveId)/verify", token: auditor)
                #expect(checkedOnline.status == .ok && checkedOnline.json["ok"] as? Bool == true)
                let portal = try await PortalCatalogTests.signIn(client, "auditor")
                let page = try await client.execute(uri: "/archives", method: .get, headers: [.cookie: PortalTests.cookieHeader(portal)])
                #expect(page.status == .ok && String(buffer: page.body).contains(segment.archiveId))
                let user = try await PortalCatalogTests.signIn(client, "hrss_user")
                let refused = try await client.execute(uri: "/archives", method: .get, headers: [.cookie: PortalTests.cookieHeader(user)])
                #expect(refused.status == .forbidden)
            }

            try Self.tamperingFails(URL(fileURLWithPath: record.location), root: root)
            try? FileManager.default.removeItem(atPath: env.platform.archives.directory)
        }
    }

    /// A copy of the package with one file, the manifest or the signature changed: each fails, naming why.
    static func tamperingFails(_ package: URL, root: Data) throws {
        func copy(_ change: (URL) throws -> Void) throws -> ArchiveVerification {
            let target = FileManager.default.temporaryDirectory.appendingPathComponent("archive-tamper-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: target) }
            try FileManager.default.copyItem(at: package, to: target)
            try change(target)
            return Self.offline().verify(directory: target, pinnedRoot: root)
        }
        func codes(_ r: ArchiveVerification) -> Set<String> { Set(r.failures.map(\.code)) }

        let events = AuditSegmentFiles.events
        let fileChanged = try copy { dir in
            let url = dir.appendingPathComponent(events)
            var text = try String(contentsOf: url, encoding: .utf8)
            text = text.replacingOccurrences(of: "\"outcome\":\"success\"", with: "\"outcome\":\"failure\"")
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(codes(fileChanged).contains("file_digest") && codes(fileChanged).contains("segment_chain"), "\(fileChanged.failures)")

        let manifestChanged = try copy { dir in
            let url = dir.appendingPathComponent(ArchivePackageBuilder.manifestName)
            let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "archive-test", with: "someone-else")
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(codes(manifestChanged).contains("signature_document_changed"), "\(manifestChanged.failures)")

        let signatureChanged = try copy { dir in
            let url = dir.appendingPathComponent(ArchivePackageBuilder.signatureName)
            var bytes = try Data(contentsOf: url)
            bytes[bytes.count - 5] ^= 0x01
            try bytes.write(to: url)
        }
        #expect(!signatureChanged.ok && codes(signatureChanged).allSatisfy { $0.hasPrefix("signature_") }, "\(signatureChanged.failures)")

        let extra = try copy { dir in try Data("x".utf8).write(to: dir.appendingPathComponent("data/extra.txt")) }
        #expect(codes(extra) == ["file_unlisted"])

        // A rewritten entry with the manifest's digests and Merkle root recomputed still fails: the signature.
        let rewritten = try copy { dir in
            let url = dir.appendingPathComponent(events)
            let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(
                of: "\"outcome\":\"success\"", with: "\"outcome\":\"failure\"")
            try text.write(to: url, atomically: true, encoding: .utf8)
            let manifestURL = dir.appendingPathComponent(ArchivePackageBuilder.manifestName)
            var manifest = try #require(ArchiveManifest.decode(try Data(contentsOf: manifestURL)))
            let crypto = OpenSSLNationalCrypto()
            manifest.files = try manifest.files.map { f in
                var f = f
                let file = dir.appendingPathComponent(f.path)
                f.sm3 = Hex.encode(try crypto.sm3(contentsOf: file))
                f.size = Int64(try Data(contentsOf: file).count)
                return f
            }
            manifest.merkleRoot = ArchiveMerkle.root(of: manifest.files, crypto: crypto)
            try manifest.encoded().write(to: manifestURL)
        }
        #expect(!codes(rewritten).contains("file_digest") && !codes(rewritten).contains("merkle_root"))
        #expect(codes(rewritten).contains("signature_document_changed") && codes(rewritten).contains("segment_chain"))
    }

    @Test func subjectLinesAreReadWithTheirEscapes() {
        let line = #"CN=广东省政务服务数据管理局数据专用章,OU=数据专用章,O=某局\, 分局 \+ 办公室,C=CN"#
        let attributes = SubjectLine.attributes(line)
        #expect(attributes["O"] == "某局, 分局 + 办公室" && attributes["OU"] == "数据专用章" && attributes["C"] == "CN")
        #expect(attributes["CN"] == "广东省政务服务数据管理局数据专用章")
    }

    /// A department's data seal is certified by the same root: a manifest re-signed with it (a forged package, its
    /// certificate beside it) verifies as a signature but is refused as not the platform's seal.
    static func departmentSealIsNotThePlatforms(_ env: TestEnvironment, package: URL, root: Data) async throws {
        let forged = FileManager.default.temporaryDirectory.appendingPathComponent("archive-forged-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: forged) }
        try FileManager.default.copyItem(at: package, to: forged)
        let seal = try await env.platform.seals.issue(
            SealService.Issue(name: "广东省公安厅数据专用章", kind: "data_seal", holderDepartmentId: SealTests.psbCode),
            by: Self.system, origin: Self.origin)
        let manifest = try Data(contentsOf: forged.appendingPathComponent(ArchivePackageBuilder.manifestName))
        let signed = try await env.platform.seals.sign(document: manifest, sealId: seal.id, by: Self.system, origin: Self.origin)
        try signed.signatureDER.write(to: forged.appendingPathComponent(ArchivePackageBuilder.signatureName))
        try Data(PEM.encode(seal.certificateDER, label: "CERTIFICATE").utf8)
            .write(to: forged.appendingPathComponent(ArchivePackageBuilder.signerCertificateName))
        let report = Self.offline().verify(directory: forged, pinnedRoot: root)
        #expect(!report.ok && report.failures.map(\.code) == ["signer_not_platform_seal"], "\(report.failures)")
        #expect(report.checked.contains { $0.hasPrefix("signature: GB/T 38540") })
    }

    /// The cut's transaction fails after the package was written (as a kill between package and delete would leave
    /// it): every row stays, nothing is registered; the rerun verifies and reuses the same package.
    @Test(arguments: TestDatabase.available)
    func interruptedCutLosesNothingAndTheRerunReusesThePackage(database: TestDatabase) async throws {
        let clock = ManualClock(Date().addingTimeInterval(-300 * 86_400))
        try await TestEnvironment.with(database, demoApplications: false, clock: clock) { env in
            _ = try await Self.history(env, clock: clock)
            let before = try await Self.scalar(env, "SELECT COUNT(*) AS n FROM audit_events")
            let kind = env.platform.database.kind
            try await env.platform.database.transaction { db in
                if kind == .postgres {
                    try await db.raw(
                        "CREATE FUNCTION test_block() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'blocked'; END $$"
                    ).run()
                    try await db.raw("CREATE TRIGGER test_block BEFORE DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION test_block()")
                        .run()
                } else {
                    try await db.raw("CREATE TRIGGER test_block BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'blocked'); END")
                        .run()
                }
            }
            do {
                _ = try await env.platform.archives.archiveAudit(before: nil, by: Self.system, origin: Self.origin)
                Issue.record("the cut should have failed")
            } catch {
                #expect(String(reflecting: error).contains("blocked"), "\(String(reflecting: error))")
            }
            #expect(try await Self.scalar(env, "SELECT COUNT(*) AS n FROM audit_events") >= before)
            #expect(try await env.platform.archives.segments(by: Self.system).isEmpty)
            #expect(try await env.platform.archives.list(kind: nil, by: Self.system).isEmpty)
            let directory = env.platform.archives.directory
            let left = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("audit-segment-") }
            try #require(left.count == 1 && !left[0].hasSuffix(".partial"), "\(left)")
            let orphan = try #require(
                ArchiveManifest.decode(
                    try Data(
                        contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(left[0]).appendingPathComponent("manifest.json"))
                ))

            try await env.platform.database.transaction { db in
                try await db.raw(SQLQueryString(kind == .postgres ? "DROP TRIGGER test_block ON audit_events" : "DROP TRIGGER test_block"))
                    .run()
            }
            let made = try await env.platform.archives.archiveAudit(before: nil, by: Self.system, origin: Self.origin)
            #expect(made.count == 1 && made.first?.archiveId == orphan.id)
            #expect(try await env.platform.audit.verify(by: Self.system, origin: Self.origin).ok)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Seals issued and decided applications (with attachments and signed decision letters) as packages.
    @Test(arguments: TestDatabase.available)
    func sealAndApplicationPackagesVerifyOffline(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            // Decided demo applications carry their letters, which issues the authority's seal.
            let applications = try await env.platform.archives.archiveApplications(from: nil, to: nil, by: Self.system, origin: Self.origin)
            let root = try await env.platform.seals.rootCertificate()
            let report = Self.offline().verify(directory: URL(fileURLWithPath: applications.location), pinnedRoot: root)
            #expect(report.ok, "\(report.failures)")
            let paths = report.manifest?.files.map(\.path) ?? []
            #expect(paths.contains { $0.hasSuffix("/decision-letter.sig") } && paths.contains { $0.hasSuffix("/application.json") })
            #expect(report.checked.contains { $0.hasPrefix("the signer is the platform's data seal") }, "\(report.checked)")
            try await Self.departmentSealIsNotThePlatforms(env, package: URL(fileURLWithPath: applications.location), root: root)

            let seals = try await env.platform.archives.archiveSeals(from: nil, to: nil, by: Self.system, origin: Self.origin)
            let sealReport = Self.offline().verify(directory: URL(fileURLWithPath: seals.location), pinnedRoot: root)
            #expect(sealReport.ok && (sealReport.manifest?.files.contains { $0.path.hasSuffix("/seal.der") } ?? false))
            await #expect(throws: DomainError.self) {
                try await env.platform.archives.archiveSeals(from: "2026-02-01", to: "2026-01-01", by: Self.system, origin: Self.origin)
            }
            let listed = try await env.platform.archives.list(kind: nil, by: Self.system)
            #expect(Set(listed.map(\.id)) == [applications.id, seals.id])
            await #expect(throws: DomainError.self) {
                try await env.platform.archives.list(
                    kind: nil, by: Principal(kind: .user, id: "u", name: "u", departmentId: "d", roles: [.dataUser]))
            }
            try? FileManager.default.removeItem(atPath: env.platform.archives.directory)
        }
    }
}
