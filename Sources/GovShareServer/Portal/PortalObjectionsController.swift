import Foundation
import GovShareCore
import Hummingbird

/// 数据异议 (Art. 13, 21): the department's queue (overdue first), every objection it may see with a chart by month
/// and outcome, the raise form (from a dataset page or rows of a preview), and one objection's page with its records,
/// history, evidence and the forms of whoever acts next. The same rules as the API (`ObjectionService`).
struct PortalObjectionsController {
    let platform: Platform
    let pages: PageRenderer
    var service: ObjectionService { platform.objections }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("objections", use: list)
        router.get("objections/new", use: newForm)
        router.post("objections/new", use: newFromPreview)
        router.post("objections", use: raise)
        router.get("objections/{id}", use: show)
        router.post("objections/{id}/answer", use: answer)
        router.post("objections/{id}/correct", use: correct)
        router.post("objections/{id}/accept", use: accept)
        router.post("objections/{id}/dispute", use: dispute)
        router.post("objections/{id}/withdraw", use: withdraw)
        router.post("objections/{id}/ruling", use: rule)
        router.post("objections/{id}/attachments", use: attach)
        router.get("objections/{id}/attachments/{attachment}", use: download)
    }

    var today: CivilDate { CivilDate(instant: platform.clock.now()) }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        let day = today
        func row(_ o: Objection) -> ObjectionsPage.Row {
            ObjectionsPage.Row(
                id: o.id, dataset: o.entryName, code: o.entryCode, kind: o.kind.name.text(language),
                objector: names[o.objectorDepartmentId] ?? o.objectorDepartmentId, provider: names[o.providerId] ?? o.providerId,
                status: o.status.name.text(language), outcome: o.outcome?.name.text(language),
                due: o.dueOn ?? o.correctionDueOn ?? "—", overdue: o.isOverdue(on: day), created: PortalFormat.time(o.createdAt),
                records: o.records.filter { !$0.isWholeSubject }.count, flagged: o.openConfirmed.filter { !$0.isWholeSubject }.count,
                hasFlagged: o.openConfirmed.contains { !$0.isWholeSubject })
        }
        let all = try await service.list(by: actor)
        let queue = try await service.queue(by: actor)
        let months = try await service.monthly(by: actor)
        let top = max(1, months.map { $0.counts.values.reduce(0, +) }.max() ?? 1)
        let buckets = ["open", "answered", "disputed"] + ObjectionOutcome.allCases.map(\.rawValue)
        let chart = months.map { m in
            ObjectionsPage.Month(
                month: m.month, total: m.counts.values.reduce(0, +),
                parts: buckets.compactMap { b in
                    guard let n = m.counts[b], n > 0 else { return nil }
                    return .init(bucket: b, count: n, width: max(1, n * 10 / top))
                })
        }
        var stats: [ObjectionsPage.Stat] = []
        if Policy.readAllObjections.allows(actor) || Policy.ruleObjection.allows(actor) {
            stats = try await service.statistics(by: actor).map { s in
                .init(
                    provider: names[s.departmentId] ?? s.departmentId, received: s.received, onTime: s.answeredOnTime, late: s.late,
                    open: s.open, corrected: s.corrected, disputed: s.disputed,
                    average: s.averageWorkingDays.map { String(format: "%.1f", $0) } ?? "—")
            }
        }
        let page = ObjectionsPage(
            queue: queue.map(row), all: all.map(row), months: chart, hasMonths: !chart.isEmpty,
            legend: buckets.map { b in
                .init(
                    bucket: b,
                    label: ObjectionStatus(rawValue: b)?.name.text(language) ?? ObjectionOutcome(rawValue: b)?.name.text(language) ?? b)
            }, stats: stats, hasStats: !stats.isEmpty)
        return pages.render(page, title: Strings.text("nav_objections", language), context: context, path: "/objections")
    }

    // MARK: Raising

    @Sendable func newForm(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderNew(context: context, code: request.uri.queryParameters["dataset"].map(String.init) ?? "", tokens: [])
    }

    /// From a preview: the rows ticked come as `row_<n>` tokens (the keys may be masked to the reader).
    @Sendable func newFromPreview(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let tokens = form.fields.filter { $0.key.hasPrefix("row_") }.sorted { $0.key < $1.key }.map(\.value).prefix(
            ObjectionService.Limits.records)
        return try await renderNew(context: context, code: form["dataset"] ?? "", tokens: Array(tokens))
    }

    func renderNew(
        context: AppRequestContext, code: String, tokens: [String], error: String? = nil, form: [String: String] = [:]
    ) async throws -> Response {
        let actor = try context.requirePrincipal()
        try Policy.raiseObjection.check(actor)
        let language = context.language
        var items: [ObjectionNewPage.Choice] = []
        if !code.isEmpty, let dataset = try? await platform.exchange.dataset(code: code) {
            items = dataset.columns.map {
                .init(value: $0.itemCode, label: "\($0.itemName) \($0.itemCode)", selected: form["item"] == $0.itemCode)
            }
        }
        let page = ObjectionNewPage(
            dataset: code,
            kinds: ObjectionKind.allCases.map {
                .init(value: $0.rawValue, label: $0.name.text(language), selected: form["kind"] == $0.rawValue)
            },
            items: items, tokens: tokens.enumerated().map { .init(index: $0.offset, token: $0.element) }, hasTokens: !tokens.isEmpty,
            keys: form["keys"] ?? "", description: form["description"] ?? "", error: error)
        return pages.render(
            page, title: Strings.text("objection_new", language), context: context, path: "/objections/new",
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func raise(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        // One record per line: the key, optionally a comma and the value believed correct; ticked rows come as tokens.
        var records: [ObjectionService.RecordInput] = form.fields.filter { $0.key.hasPrefix("token_") }.sorted { $0.key < $1.key }.map {
            let index = $0.key.dropFirst("token_".count)
            return .init(key: nil, token: $0.value, proposedValue: form["value_\(index)"].flatMap { $0.isEmpty ? nil : $0 })
        }
        for line in (form["keys"] ?? "").split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let key = parts.first, !key.isEmpty else { continue }
            records.append(.init(key: key, proposedValue: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil))
        }
        let input = ObjectionService.RaiseInput(
            datasetCode: form["dataset"], kind: form["kind"], item: form["item"].flatMap { $0.isEmpty ? nil : $0 },
            description: form["description"], records: records)
        do {
            let o = try await service.raise(input, by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/objections/\(o.id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .forbidden {
            let tokens = form.fields.filter { $0.key.hasPrefix("token_") }.sorted { $0.key < $1.key }.map(\.value)
            return try await renderNew(
                context: context, code: form["dataset"] ?? "", tokens: tokens, error: error.pageMessage(context.language),
                form: form.fields.mapValues { String($0.prefix(2_000)) })
        }
    }
}
