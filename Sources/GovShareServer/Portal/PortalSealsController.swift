import Foundation
import GovShareCore
import Hummingbird

/// 电子印章 (Art. 25) and 签章验证 (Art. 24): the provincial data authority's administrators issue and revoke seals for
/// every department; anyone else sees their own department's seals with status and validity; everyone signed in
/// verifies a document against its signature. The same rules as the API (`SealService`).
struct PortalSealsController {
    let platform: Platform
    let pages: PageRenderer
    var service: SealService { platform.seals }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("seals", use: page)
        router.post("seals", use: issue)
        router.post("seals/{id}/revoke", use: revoke)
        router.get("seals/verify", use: verifyPage)
        router.post("seals/verify", use: verify)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context)
    }

    func render(context: AppRequestContext, error: String? = nil, form: [String: String] = [:]) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let seals = try await service.list(by: actor)
        let canManage = try await service.mayManage(actor)
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        let page = SealsPage(
            seals: seals.map { s in
                .init(
                    id: s.id, name: s.name, kind: s.kind.name.text(language), holder: names[s.holderDepartmentId] ?? s.holderDepartmentId,
                    status: s.status.name.text(language), active: s.status == .active,
                    validFrom: PortalFormat.time(Timestamp.format(s.validFrom)), validTo: PortalFormat.time(Timestamp.format(s.validTo)),
                    serial: s.certificateSerialHex, revokedAt: s.revokedAt.map { PortalFormat.time(Timestamp.format($0)) },
                    reason: s.revocationReason, canRevoke: canManage && s.status != .revoked)
            },
            canManage: canManage,
            kinds: SealKind.allCases.map {
                .init(value: $0.rawValue, label: $0.name.text(language), selected: form["kind"] == $0.rawValue)
            },
            departments: names.sorted { $0.value < $1.value }.map {
                .init(value: $0.key, label: $0.value, selected: form["holder_department_id"] == $0.key)
            },
            formName: form["name"] ?? "", formHolderUser: form["holder_user_id"] ?? "", formValidTo: form["valid_to"] ?? "",
            error: error)
        return pages.render(
            page, title: Strings.text("nav_seals", language), context: context, path: "/seals",
            status: error == nil ? .ok : .unprocessableContent)
    }

    func act(_ context: AppRequestContext, form: [String: String] = [:], _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return Response(status: .seeOther, headers: [.location: "/seals"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(context: context, error: error.pageMessage(context.language), form: form)
        }
    }

    @Sendable func issue(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let fields = ["name", "kind", "holder_department_id", "holder_user_id", "valid_to"].reduce(into: [String: String]()) {
            $0[$1] = form[$1]
        }
        return try await act(context, form: fields) {
            // A date from the form's date field is the end of that day in China Standard Time.
            let validTo = form["valid_to"].flatMap { $0.isEmpty ? nil : Timestamp.parse("\($0)T23:59:59+08:00") }
            if let text = form["valid_to"], !text.isEmpty, validTo == nil {
                throw DomainError.invalid(field: "valid_to", rule: "date", zh: "valid_to 应为日期", en: "valid_to must be a date")
            }
            _ = try await service.issue(
                .init(
                    name: form["name"], kind: form["kind"], holderDepartmentId: form["holder_department_id"],
                    holderUserId: form["holder_user_id"].flatMap { $0.isEmpty ? nil : $0 }, validTo: validTo),
                by: actor, origin: context.origin)
        }
    }

    @Sendable func revoke(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        return try await act(context) {
            _ = try await service.revoke(id: id, reason: form["reason"], by: actor, origin: context.origin)
        }
    }

    @Sendable func verifyPage(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readSeals)
        return pages.render(
            SealVerifyPage(result: nil), title: Strings.text("seal_verify", context.language), context: context, path: "/seals/verify")
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.readSeals)
        let parts = try await MultipartForm.parts(request, limit: SealService.Limits.documentBytes + (1 << 20))
        try PortalForm.checkCSRF(parts["_csrf"].map { String(decoding: $0, as: UTF8.self) }, request: request)
        guard let document = parts["document"], let signature = parts["signature"], !signature.isEmpty else {
            throw DomainError.invalid(
                field: "signature", rule: "required", zh: "请选择原文文件和签章文件", en: "Choose the document and its signature file")
        }
        let v = try await service.verify(document: document, signature: SealsController.der(signature), by: actor)
        let language = context.language
        let result = SealVerifyPage.Result(
            valid: v.valid, reasons: v.reasons.map { $0.message.text(language) }, sealName: v.sealName ?? "—",
            sealKind: v.sealKind?.name.text(language) ?? "—", holder: v.holderName ?? "—", signer: v.signerSubject ?? "—",
            signedAt: v.signedAt.map { PortalFormat.time(Timestamp.format($0)) } ?? "—",
            revokedAt: v.revokedAt.map { PortalFormat.time(Timestamp.format($0)) }, documentSm3: v.documentSM3Hex)
        return pages.render(
            SealVerifyPage(result: result), title: Strings.text("seal_verify", language), context: context, path: "/seals/verify")
    }
}

/// `seals.mustache`: the seals the person may see, and for the authority the issue and revoke forms.
struct SealsPage: PortalPage {
    static let template = PageTemplate.seals
    struct Seal: Encodable {
        var id, name, kind, holder, status: String
        var active: Bool
        var validFrom, validTo, serial: String
        var revokedAt, reason: String?
        var canRevoke: Bool
    }
    struct Choice: Encodable {
        var value, label: String
        var selected: Bool
    }
    var seals: [Seal]
    var canManage: Bool
    var kinds, departments: [Choice]
    var formName, formHolderUser, formValidTo: String
    var error: String?
}

/// `seal_verify.mustache`: upload a document and its signature; the outcome with its reasons.
struct SealVerifyPage: PortalPage {
    static let template = PageTemplate.sealVerify
    struct Result: Encodable {
        var valid: Bool
        var reasons: [String]
        var sealName, sealKind, holder, signer, signedAt: String
        var revokedAt: String?
        var documentSm3: String
    }
    var result: Result?
}
