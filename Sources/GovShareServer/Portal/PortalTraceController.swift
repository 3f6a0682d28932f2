import Foundation
import GovShareCore
import HTTPTypes
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
        let names = try await platform.directory.departmentNames(by: auditor)
        func row(_ r: DataRead) -> TracePage.Read {
            TracePage.Read(
                at: r.readAt, actor: r.actorName, department: names[r.departmentId] ?? r.departmentId, code: r.entryCode,
                purpose: r.purposeId, items: r.items.joined(separator: ", "), rows: r.rows, seq: r.auditSeq,
                dataset: r.datasetId)
        }
        var page = TracePage(
            record: value("record") ?? "", department: value("department") ?? "", from: value("from") ?? "",
            to: value("to") ?? "")
        // Dates are whole days: "to" includes that day.
        let from = value("from")
        let to = value("to").flatMap(CivilDate.init).map { $0.adding(days: 1).description }
        // A search is an audited read of the trail under the auditor's name: one started from another site (a link the
        // Lax session cookie would accompany) is not run, as for the data preview.
        let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]
        let searching = value("record") != nil || value("department") != nil || from != nil || to != nil
        if searching, site != "same-origin", site != "none" {
            page.error = Strings.dictionary(context.language)["trace_cross_site"]!
        } else if searching {
            do {
                let query = ReadTraceQuery(recordKey: value("record"), from: from, to: to, limit: 500)
                page.searched = TracePage.Searched(
                    reads: try await platform.exchange.trace(
                        query, datasetCode: nil, departmentCode: value("department"), by: auditor, origin: context.origin
                    ).map(row))
            } catch let error as DomainError where error.kind == .invalid {
                page.error = error.problems.first?.message.text(context.language) ?? error.message.text(context.language)
            }
        }
        page.unusual = try await platform.exchange.unusualReads(from: from, to: to, by: auditor).prefix(100).map(row)
        return pages.render(page, title: Strings.dictionary(context.language)["trace_title"]!, context: context, path: "/data/trace")
    }
}

/// `data_trace.mustache`: the search form as filled in, its results, and the unusual reads.
struct TracePage: PortalPage {
    static let template = PageTemplate.dataTrace
    struct Read: Encodable {
        var at, actor, department, code, purpose, items: String
        var rows: Int
        var seq: Int64
        var dataset: String
    }
    struct Searched: Encodable { var reads: [Read] }
    var record, department, from, to: String
    /// Present once a search ran (its results may be empty).
    var searched: Searched?
    var error: String?
    var unusual: [Read] = []
}
