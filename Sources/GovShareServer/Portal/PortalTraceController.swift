import Foundation
import GovShareCore
import Hummingbird

/// The auditors' trace search (Art. 28): who read a record, what a department read in a period, unusual volumes.
struct PortalTraceController {
    let platform: Platform
    let pages: PageRenderer

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("data/trace", use: trace)
    }

    @Sendable func trace(request: Request, context: AppRequestContext) async throws -> Response {
        let auditor = try context.require(.traceReads)
        let p = request.uri.queryParameters
        let value = { (name: String) -> String? in p[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let departments = try await platform.departments.list(DepartmentFilter())
        let names = Dictionary(uniqueKeysWithValues: departments.map { ($0.id, $0.nameZh) })
        func row(_ r: DataRead) -> [String: Any] {
            ["at": r.readAt, "actor": r.actorName, "department": names[r.departmentId] ?? r.departmentId, "code": r.entryCode,
             "purpose": r.purposeId, "items": r.items.joined(separator: ", "), "rows": r.rows, "seq": r.auditSeq, "dataset": r.datasetId]
        }
        var model: [String: Any] = ["record": value("record") ?? "", "department": value("department") ?? "",
                                    "from": value("from") ?? "", "to": value("to") ?? ""]
        // Dates are whole days: "to" includes that day.
        let from = value("from")
        let to = value("to").flatMap(CivilDate.init).map { $0.adding(days: 1).description }
        if value("record") != nil || value("department") != nil || from != nil || to != nil {
            do {
                var query = ReadTraceQuery(recordKey: value("record"), from: from, to: to, limit: 500)
                if let code = value("department") { query.departmentId = try await platform.departments.require(code: code, field: "department").id }
                model["searched"] = ["reads": try await platform.exchange.trace(query, by: auditor, origin: context.origin).map(row)]
            } catch let error as DomainError where error.kind == .invalid {
                model["error"] = error.problems.first?.message.text(context.language) ?? error.message.text(context.language)
            }
        }
        model["unusual"] = try await platform.exchange.unusualReads(from: from, to: to, by: auditor).prefix(100).map(row)
        return pages.render("data_trace", title: Strings.dictionary(context.language)["trace_title"]!, model: model,
                            context: context, path: "/data/trace")
    }
}
