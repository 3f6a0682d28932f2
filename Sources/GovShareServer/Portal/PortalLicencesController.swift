import Foundation
import GovShareCore
import Hummingbird
import NIOCore

/// 电子证照 (Art. 23): departments look up a holder's licences for a stated business matter under their subscriptions
/// and grants; the issuing department sees the licences it issued and revokes them. The same rules as the API
/// (`LicenceService`); the lookup is a POST so the holder's identifier never sits in a URL.
struct PortalLicencesController {
    let platform: Platform
    let pages: PageRenderer
    var service: LicenceService { platform.licences }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("licences", use: page)
        router.post("licences/lookup", use: lookup)
        router.post("licences/{id}/revoke", use: revoke)
        router.post("licences/{id}/package", use: package)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context)
    }

    func render(
        context: AppRequestContext, lookup: LicencesPage.Lookup? = nil, error: String? = nil, form: [String: String] = [:]
    ) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let types = try await service.types(by: actor)
        let today = CivilDate(instant: platform.clock.now()).description
        var issued: [LicencesPage.Issued] = []
        let mayIssue = Policy.issueLicences.allows(actor)
        if mayIssue {
            let names = Dictionary(uniqueKeysWithValues: types.map { ($0.id, language == .en ? $0.nameEn : $0.nameZh) })
            issued = try await service.issued(typeCode: nil, holderId: nil, limit: 100, offset: 0, by: actor).map { l in
                let status = l.status(on: today)
                return .init(
                    id: l.id, type: names[l.typeId] ?? l.typeId, number: l.number, holderId: l.holderId, holderName: l.holderName,
                    validity: "\(l.validFrom) – \(l.validTo ?? Strings.text("licence_no_end", language))",
                    status: status.name.text(language), statusReason: l.statusReason(on: today)?.text(language),
                    canRevoke: status != .revoked && Policy.revokeLicences.allows(actor))
            }
        }
        let page = LicencesPage(
            types: types.map { .init(value: $0.code, label: language == .en ? $0.nameEn : $0.nameZh, selected: form["type"] == $0.code) },
            mayLookUp: Policy.readData.allows(actor), mayIssue: mayIssue, issued: issued,
            formHolderId: form["holder_id"] ?? "", formPurpose: form["purpose"] ?? "", formMatter: form["matter"] ?? "",
            lookup: lookup, error: error)
        return pages.render(
            page, title: Strings.text("nav_licences", language), context: context, path: "/licences",
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func lookup(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let fields = ["holder_id", "type", "purpose", "matter"].reduce(into: [String: String]()) { $0[$1] = form[$1] }
        let language = context.language
        do {
            let found = try await service.lookup(
                holderId: form["holder_id"] ?? "", typeCode: form["type"].flatMap { $0.isEmpty ? nil : $0 },
                purpose: form["purpose"].flatMap { $0.isEmpty ? nil : $0 }, matter: form["matter"], by: actor, origin: context.origin)
            let result = LicencesPage.Lookup(
                holderId: found.holderId, matter: found.matter,
                licences: found.licences.map { v in
                    .init(
                        id: v.id, type: language == .en ? v.type.nameEn : v.type.nameZh, number: v.number ?? "—",
                        holderName: v.holderName ?? "—",
                        validity: "\(v.validFrom) – \(v.validTo ?? Strings.text("licence_no_end", language))",
                        status: v.status.name.text(language), active: v.status == .active, statusReason: v.statusReason?.text(language),
                        fields: v.fields.map {
                            .init(name: language == .en ? $0.field.nameEn : $0.field.nameZh, value: $0.value, masked: $0.masked)
                        },
                        downloadable: v.complete, purpose: fields["purpose"] ?? "", matter: found.matter)
                })
            return try await render(context: context, lookup: result, form: fields)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .forbidden || error.kind == .notFound {
            return try await render(context: context, error: error.pageMessage(language), form: fields)
        }
    }

    @Sendable func revoke(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            _ = try await service.revoke(
                id: try context.parameters.require("id"), reason: form["reason"], by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/licences"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(context: context, error: error.pageMessage(context.language))
        }
    }

    /// The signed package as a file (POST with the form's purpose and matter, recorded as a read).
    @Sendable func package(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let package = try await service.package(
            id: try context.parameters.require("id"), purpose: form["purpose"].flatMap { $0.isEmpty ? nil : $0 }, matter: form["matter"],
            by: actor, origin: context.origin)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .contentDisposition: "attachment; filename=\"licence-\(package.licenceId).json\""],
            body: .init(byteBuffer: ByteBuffer(bytes: package.encoded())))
    }
}

/// `licences.mustache`: the lookup form and its results, and the issuer's licences.
struct LicencesPage: PortalPage {
    static let template = PageTemplate.licences
    struct Option: Encodable {
        var value, label: String
        var selected: Bool
    }
    struct Field: Encodable {
        var name, value: String
        var masked: Bool
    }
    struct Found: Encodable {
        var id, type, number, holderName, validity, status: String
        var active: Bool
        var statusReason: String?
        var fields: [Field]
        var downloadable: Bool
        var purpose, matter: String
    }
    struct Lookup: Encodable {
        var holderId, matter: String
        var licences: [Found]
    }
    struct Issued: Encodable {
        var id, type, number, holderId, holderName, validity, status: String
        var statusReason: String?
        var canRevoke: Bool
    }
    var types: [Option]
    var mayLookUp: Bool
    var mayIssue: Bool
    var issued: [Issued]
    var formHolderId, formPurpose, formMatter: String
    var lookup: Lookup?
    var error: String?
}
