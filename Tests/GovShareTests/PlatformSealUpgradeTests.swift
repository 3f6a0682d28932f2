import Foundation
import GovShareCrypto
import Testing

@testable import GovShareCore

/// The platform's data seal is recognised by its certificate (`PlatformSealIdentity`). A seal the platform made before
/// its certificate named the root's organisation — or under another `authority_name` — would make every new archive
/// package fail verification: on its next use it is revoked (from now, so what it signed stays valid) and replaced.
@Suite("The platform's data seal across the upgrade")
struct PlatformSealUpgradeTests {
    static let origin = RequestOrigin(requestId: "seal-upgrade", clientAddress: "test")

    @Test(arguments: TestDatabase.available)
    func anOldStyleAuthoritySealIsReplacedOnItsNextUse(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let seals = env.platform.seals
            let authority = try #require(try await env.platform.directory.department(code: "11440000MB3307905U", by: nil))
            let now = Date()
            let old = try await seals.make(
                name: "旧数据专用章", kind: .dataSeal, department: authority, holderUserId: nil, validFrom: now,
                validTo: now.addingTimeInterval(365 * 86_400), image: nil, pictureSize: (0, 0), organization: "某旧机构名称",
                by: .system("test"), origin: Self.origin)
            let signed = try await seals.signAsAuthority(document: Data("复函".utf8), purpose: "test", origin: Self.origin)
            #expect(signed.sealId != old.id)
            let replaced = try await seals.find(old.id)
            #expect(replaced.status == .revoked)
            let current = try await seals.find(signed.sealId)
            let crypto = OpenSSLNationalCrypto()
            let root = try crypto.parseCertificate(try await seals.rootCertificate())
            #expect(PlatformSealIdentity.isPlatformSeal(signer: try crypto.parseCertificate(current.certificateDER), root: root))
            #expect(!PlatformSealIdentity.isPlatformSeal(signer: try crypto.parseCertificate(old.certificateDER), root: root))
            // Used again, the new one stays.
            let again = try await seals.signAsAuthority(document: Data("复函二".utf8), purpose: "test", origin: Self.origin)
            #expect(again.sealId == signed.sealId)
        }
    }
}
