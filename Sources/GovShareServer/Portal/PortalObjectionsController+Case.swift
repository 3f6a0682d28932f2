import Foundation
import GovShareCore
import Hummingbird

/// One objection's page and the forms on it.
extension PortalObjectionsController {
    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(id: try context.parameters.require("id"), context: context)
    }

    func render(id: String, context: AppRequestContext, error: String? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let o = try await service.find(id: id, by: actor)
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        let actions = try await service.actions(on: o, by: actor)
        let dataset = try? await platform.exchange.dataset(code: o.entryCode)
        let page = ObjectionPage(
            id: o.id, dataset: o.entryName, code: o.entryCode, slug: o.entryCode.replacingOccurrences(of: "/", with: "-"),
            kind: o.kind.name.text(language), item: o.item, description: o.description, status: o.status.name.text(language),
            outcome: o.outcome?.name.text(language), due: o.dueOn, provisional: o.dueProvisional ?? false,
            overdue: o.isOverdue(on: today), correctionDue: o.correctionDueOn,
            objector: names[o.objectorDepartmentId] ?? o.objectorDepartmentId, provider: names[o.providerId] ?? o.providerId,
            authority: names[o.authorityId] ?? o.authorityId, answer: o.answer, answeredBy: o.answeredBy, disputeReason: o.disputeReason,
            ruling: o.ruling, ruledBy: o.ruledBy,
            records: o.records.enumerated().map { i, r in
                .init(
                    index: i, key: r.isWholeSubject ? Strings.text("objection_whole", language) : r.key, rawKey: r.key,
                    proposed: r.proposedValue, state: r.state.rawValue, stateName: r.state.name.text(language), reason: r.reason,
                    correctedBy: r.correctedBy, confirmed: r.state == .confirmed)
            },
            attachments: o.attachments.map {
                .init(
                    objectionId: o.id, id: $0.id, name: $0.fileName, size: PortalFormat.number($0.size), by: $0.uploadedBy,
                    at: PortalFormat.time($0.createdAt))
            },
            history: o.history.map {
                .init(
                    at: PortalFormat.time($0.at),
                    action: Strings.text("objection_step_" + $0.action.replacingOccurrences(of: "objection.", with: ""), language),
                    actor: $0.actorName, note: $0.note)
            },
            keyItem: dataset?.keyColumn.itemCode ?? "", correctItem: o.item ?? "",
            canAnswer: actions.answer, canCorrect: actions.correct, canAccept: actions.accept, canDispute: actions.dispute,
            canWithdraw: actions.withdraw, canRule: actions.rule, canAttach: actions.attach, error: error)
        return pages.render(
            page, title: Strings.text("nav_objections", language), context: context, path: "/objections/\(o.id)",
            status: error == nil ? .ok : .unprocessableContent)
    }

    func act(_ id: String, _ context: AppRequestContext, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return Response(status: .seeOther, headers: [.location: "/objections/\(id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(id: id, context: context, error: error.pageMessage(context.language))
        }
    }

    /// One decision per record: `decision_<n>` is confirm or reject, `reason_<n>` the reason.
    @Sendable func answer(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        let o = try await service.find(id: id, by: actor)
        let decisions = o.records.indices.map { i in
            ObjectionService.Decision(
                key: o.records[i].key, confirm: form["decision_\(i)"].flatMap { $0 == "confirm" ? true : $0 == "reject" ? false : nil },
                reason: form["reason_\(i)"])
        }
        return try await act(id, context) {
            _ = try await service.answer(id: id, decisions: decisions, note: form["note"], by: actor, origin: context.origin)
        }
    }

    /// The corrected value of the objection's item (or `item`) per confirmed record: `value_<n>`.
    @Sendable func correct(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        let o = try await service.find(id: id, by: actor)
        let dataset = try await platform.exchange.dataset(code: o.entryCode)
        let item = (o.item ?? form["item"] ?? "").trimmingCharacters(in: .whitespaces)
        var rows: [(row: Int, values: [String: String?])] = []
        for (i, r) in o.records.enumerated() where r.state == .confirmed && !r.isWholeSubject {
            guard let value = form["value_\(i)"], !value.isEmpty else { continue }
            rows.append((row: rows.count + 1, values: [dataset.keyColumn.itemCode: r.key, item: value]))
        }
        return try await act(id, context) { _ = try await service.correct(id: id, rows: rows, by: actor, origin: context.origin) }
    }

    @Sendable func accept(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        return try await act(id, context) { _ = try await service.accept(id: id, by: actor, origin: context.origin) }
    }

    @Sendable func dispute(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        return try await act(id, context) {
            _ = try await service.dispute(id: id, reason: form["reason"], by: actor, origin: context.origin)
        }
    }

    @Sendable func withdraw(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        return try await act(id, context) { _ = try await service.withdraw(id: id, by: actor, origin: context.origin) }
    }

    @Sendable func rule(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        let upheld = form["upheld"].flatMap { $0 == "true" ? true : $0 == "false" ? false : nil }
        return try await act(id, context) {
            _ = try await service.rule(id: id, upheld: upheld, ruling: form["ruling"], by: actor, origin: context.origin)
        }
    }

    /// Multipart: `file` and `_csrf`; checked before the file is read.
    @Sendable func attach(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let id = try context.parameters.require("id")
        try await service.authorizeAttachment(id: id, by: actor)
        let parts = try await MultipartForm.parts(request, limit: service.maxAttachmentBytes + (64 << 10))
        func text(_ name: String) -> String? { parts[name].map { String(decoding: $0, as: UTF8.self) } }
        try PortalForm.checkCSRF(text("_csrf"), request: request)
        return try await act(id, context) {
            _ = try await service.attach(
                id: id, fileName: text("file.filename"), mediaType: nil, bytes: parts["file"].map { [UInt8]($0) } ?? [], by: actor,
                origin: context.origin)
        }
    }

    @Sendable func download(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let (a, bytes) = try await service.attachment(
            id: try context.parameters.require("id"), attachmentId: try context.parameters.require("attachment"), by: actor)
        return FileResponse.attachment(name: a.fileName, contentType: a.mediaType, sha256: a.sha256, bytes: bytes)
    }
}
