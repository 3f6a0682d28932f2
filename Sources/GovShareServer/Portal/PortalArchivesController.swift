import Foundation
import GovShareCore
import Hummingbird

/// 电子归档 (Art. 26): the registry of archival packages and the archived audit segments, for auditors, operators and
/// administrators; a package can be checked where it lies. The same rules as the API (`ArchiveService`); packages are
/// made at the console and by the scheduler.
struct PortalArchivesController {
    let platform: Platform
    let pages: PageRenderer
    var service: ArchiveService { platform.archives }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("archives", use: page)
        router.post("archives/{id}/verify", use: verify)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context, kind: request.uri.queryParameters["kind"].map(String.init))
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        let report = try await service.verify(id, by: actor)
        let language = context.language
        return try await render(
            context: context, kind: nil,
            result: .init(
                id: id, ok: report.ok, checked: report.checked,
                failures: report.failures.map { "[\($0.code)] \($0.message.text(language))" }))
    }

    func render(context: AppRequestContext, kind: String?, result: ArchivesPage.Result? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let archives = try await service.list(kind: kind, by: actor)
        let segments = try await service.segments(by: actor)
        let page = ArchivesPage(
            archives: archives.map { a in
                .init(
                    id: a.id, kind: a.kind.name.text(language), createdAt: PortalFormat.time(a.createdAt), createdBy: a.createdByName,
                    period: [a.periodFrom.map(PortalFormat.time), a.periodTo.map(PortalFormat.time)].compactMap { $0 }.joined(
                        separator: " – "),
                    files: a.fileCount, size: ArchivesPage.size(a.sizeBytes), merkleRoot: a.merkleRoot, location: a.location)
            },
            segments: segments.reversed().map { s in
                .init(
                    range: "\(s.firstSeq)–\(s.lastSeq)", entries: Int(s.entries), reads: Int(s.reads), lastHash: s.lastHash,
                    archiveId: s.archiveId, archivedAt: PortalFormat.time(s.archivedAt))
            },
            kinds: ArchiveKind.allCases.map { .init(value: $0.rawValue, label: $0.name.text(language), selected: kind == $0.rawValue) },
            result: result)
        return pages.render(page, title: Strings.text("nav_archives", language), context: context, path: "/archives")
    }
}

/// `archives.mustache`: packages (newest first), audit segments, and the outcome of checking one package.
struct ArchivesPage: PortalPage {
    static let template = PageTemplate.archives
    struct Archive: Encodable {
        var id, kind, createdAt, createdBy, period: String
        var files: Int
        var size, merkleRoot, location: String
    }
    struct Segment: Encodable {
        var range: String
        var entries, reads: Int
        var lastHash, archiveId, archivedAt: String
    }
    struct Choice: Encodable {
        var value, label: String
        var selected: Bool
    }
    struct Result: Encodable {
        var id: String
        var ok: Bool
        var checked, failures: [String]
    }
    var archives: [Archive]
    var segments: [Segment]
    var kinds: [Choice]
    var result: Result?

    static func size(_ bytes: Int64) -> String {
        bytes < 1 << 20 ? "\((bytes + 1023) / 1024) KB" : String(format: "%.1f MB", Double(bytes) / Double(1 << 20))
    }
}
