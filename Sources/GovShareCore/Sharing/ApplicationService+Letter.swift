import Foundation

/// Art. 19, 24: the reply to a decided application is an official output of the platform, signed with the data
/// authority's seal. The letter is signed before the decision is written and stored — with the signing's audit entry —
/// in the decision's own transaction, so a decision never stands without its signed letter; should the write fail
/// (another reviewer acted first), the signature is discarded unseen and nothing of it is recorded.
extension ApplicationService {
    /// The signed letter of an application this call has just decided (approved or refused); none otherwise.
    func signedLetters(for a: ShareApplication, grant: Grant?, origin: RequestOrigin) async throws -> [OfficialDocument] {
        guard a.status == .approved || a.status == .refused else { return [] }
        func party(_ id: String) async throws -> DecisionLetter.Party {
            let d = try await departments.find(id: id)
            return DecisionLetter.Party(id: id, code: d?.code ?? "", name: d?.nameZh ?? "")
        }
        guard
            let letter = DecisionLetter(
                application: a, grant: grant, applicant: try await party(a.applicantDepartmentId),
                provider: try await party(a.providerId), authority: try await party(a.authorityId))
        else { return [] }
        let document = letter.document
        let signed = try await seals.signAsAuthorityForRecord(
            document: document, purpose: "application decision \(a.id)", origin: origin)
        return [
            OfficialDocument(
                id: Identifier.make(at: signed.signedAt), kind: .applicationDecision, objectId: a.id, document: document,
                signature: signed.signatureDER, sealId: signed.sealId, documentSM3Hex: signed.documentSM3Hex,
                signedAt: Timestamp.format(signed.signedAt), nodeId: nodeId)
        ]
    }

    /// The signed decision letter of an application, for whoever may see the application (applicant, reviewers,
    /// auditors); 404 while it is undecided.
    public func decisionLetter(id: String, by actor: Principal) async throws -> OfficialDocument {
        let a = try await load(id: id, for: actor)
        guard let letter = try await letters.latest(kind: .applicationDecision, objectId: a.id) else {
            throw DomainError.notFound("Decision letter", zh: "答复书")
        }
        return letter
    }
}
