import Foundation

/// Art. 24: a grant made outside the workflow is sealed by the data authority when it comes into force (confirmed, and
/// consented to where clear graded items need it); the letter is stored with that change, in its transaction.
extension GrantService {
    func signedLetters(for g: Grant, origin: RequestOrigin) async throws -> [OfficialDocument] {
        guard g.status == .active else { return [] }
        func party(_ id: String) async throws -> DecisionLetter.Party {
            let d = try await departments.find(id: id)
            return DecisionLetter.Party(id: id, code: d?.code ?? "", name: d?.nameZh ?? "")
        }
        let providerId = try await catalog.entry(id: g.entryId)?.providerId ?? ""
        let document = GrantLetter(
            grant: g, holder: try await party(g.departmentId), provider: try await party(providerId), inForceAt: now
        ).document
        let signed = try await seals.signAsAuthorityForRecord(document: document, purpose: "grant \(g.id)", origin: origin)
        return [
            OfficialDocument(
                id: Identifier.make(at: signed.signedAt), kind: .grant, objectId: g.id, document: document,
                signature: signed.signatureDER, sealId: signed.sealId, documentSM3Hex: signed.documentSM3Hex,
                signedAt: Timestamp.format(signed.signedAt), nodeId: nodeId)
        ]
    }

    /// The signed letter of a grant made outside the workflow, for whoever may see the grant; 404 before it is in
    /// force (and for grants an approval made: their terms are in the application's decision letter).
    public func letter(id: String, by actor: Principal) async throws -> OfficialDocument {
        _ = try await usage(grantId: id, for: actor)  // who may see the grant (404 for others)
        guard let letter = try await letters.latest(kind: .grant, objectId: id) else {
            throw DomainError.notFound("Grant letter", zh: "授权书")
        }
        return letter
    }
}
