import Foundation
import GovShareCore
import Hummingbird

struct LegalInstrumentDTO: Codable, Sendable {
    let name, level, issuer: String
    let documentNumber: String?
    /// `list` (the maintained list) or `confirmed` (a proposal the provincial data authority confirmed).
    let source: String
    let proposalId: String?

    init(_ i: LegalInstrument, source: String, proposalId: String? = nil) {
        name = i.name; level = i.level.rawValue; issuer = i.issuer; documentNumber = i.documentNumber
        self.source = source; self.proposalId = proposalId
    }

    enum CodingKeys: String, CodingKey {
        case name, level, issuer, source
        case documentNumber = "document_number", proposalId = "proposal_id"
    }
}

struct LegalInstrumentProposalDTO: Codable, Sendable {
    let id, name, level, issuer, reference, status, proposedBy, proposedByName, departmentId, createdAt: String
    let documentNumber, decidedBy, decidedByName, decidedAt, decisionReason: String?

    init(_ p: LegalInstrumentProposal) {
        id = p.id; name = p.instrument.name; level = p.instrument.level.rawValue; issuer = p.instrument.issuer
        documentNumber = p.instrument.documentNumber; reference = p.reference; status = p.status.rawValue
        proposedBy = p.proposedBy; proposedByName = p.proposedByName; departmentId = p.departmentId; createdAt = p.createdAt
        decidedBy = p.decidedBy; decidedByName = p.decidedByName; decidedAt = p.decidedAt; decisionReason = p.decisionReason
    }

    enum CodingKeys: String, CodingKey {
        case id, name, level, issuer, reference, status
        case documentNumber = "document_number", proposedBy = "proposed_by", proposedByName = "proposed_by_name"
        case departmentId = "department_id", createdAt = "created_at", decidedBy = "decided_by", decidedByName = "decided_by_name"
        case decidedAt = "decided_at", decisionReason = "decision_reason"
    }
}

struct LegalInstrumentListDTO: Codable, Sendable {
    /// Everything that may be cited: the list, then the confirmed proposals.
    let instruments: [LegalInstrumentDTO]
    /// Every proposal, newest first (pending ones cannot be cited yet).
    let proposals: [LegalInstrumentProposalDTO]

    init(_ o: LegalBasisService.Overview) {
        instruments =
            o.listed.map { LegalInstrumentDTO($0, source: "list") }
            + o.proposals.filter { $0.status == .confirmed }.map {
                LegalInstrumentDTO($0.instrument, source: "confirmed", proposalId: $0.id)
            }
        proposals = o.proposals.map(LegalInstrumentProposalDTO.init)
    }
}

struct LegalInstrumentProposalRequest: Codable, Sendable {
    var name, level, issuer, documentNumber, reference: String?
    enum CodingKeys: String, CodingKey { case name, level, issuer, reference; case documentNumber = "document_number" }
}

struct LegalInstrumentDecisionRequest: Codable, Sendable {
    var reason: String?
}

/// What may be cited as a legal basis (Art. 16, 18), and the proposals the provincial data authority decides.
struct LegalInstrumentsController {
    let platform: Platform
    var service: LegalBasisService { platform.legalBasis }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("legal-instruments", use: list)
        group.post("legal-instruments", use: propose)
        group.post("legal-instruments/{id}/confirm") { request, context in try await decide(request, context, confirm: true) }
        group.post("legal-instruments/{id}/reject") { request, context in try await decide(request, context, confirm: false) }
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<LegalInstrumentListDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(LegalInstrumentListDTO(try await service.overview(for: actor)))
    }

    @Sendable func propose(request: Request, context: AppRequestContext) async throws -> JSONResponse<LegalInstrumentProposalDTO> {
        let actor = try context.require(.proposeLegalInstruments)
        let b = try await JSONBody.decode(LegalInstrumentProposalRequest.self, from: request, context: context)
        let proposal = try await service.propose(
            .init(
                name: b.name, level: b.level, issuer: b.issuer, documentNumber: b.documentNumber,
                reference: b.reference), by: actor, origin: context.origin)
        return JSONResponse(LegalInstrumentProposalDTO(proposal), status: .created)
    }

    /// The body is optional for a confirmation (a note) and carries the required reason of a rejection.
    func decide(_ request: Request, _ context: AppRequestContext, confirm: Bool) async throws -> JSONResponse<LegalInstrumentProposalDTO> {
        let actor = try context.require(.confirmLegalInstruments)
        let data = Data(try await request.body.collect(upTo: ParserLimits.jsonBodyBytes).readableBytesView)
        let body = data.isEmpty ? LegalInstrumentDecisionRequest() : try JSONBody.decode(LegalInstrumentDecisionRequest.self, from: data)
        let proposal = try await service.decide(
            id: try context.parameters.require("id"), confirm: confirm, reason: body.reason,
            by: actor, origin: context.origin)
        return JSONResponse(LegalInstrumentProposalDTO(proposal))
    }
}
