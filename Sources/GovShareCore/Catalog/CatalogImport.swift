import Foundation

/// Imports a catalog spreadsheet as drafts. Every resource must already pass the submission rules; one error anywhere
/// and nothing is imported, with every problem reported by row and column.
public struct CatalogImportService: Sendable {
    let catalog: CatalogService
    let repository: any CatalogRepository

    public init(catalog: CatalogService, repository: any CatalogRepository) { self.catalog = catalog; self.repository = repository }

    /// Returns the drafts created, each with its first version, in the order of the sheet.
    public func importSheet(
        _ text: String, by actor: Principal, origin: RequestOrigin,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> [CatalogEntryVersion] {
        try authorizeImport(by: actor)
        let (parsed, parseProblems) = CatalogSpreadsheet.parse(text)
        var problems = parseProblems
        var drafts: [(entry: CatalogEntry, version: CatalogVersion, classificationCode: String, audit: AuditRecord)] = []
        let register = try await catalog.legalBasis.register()  // one read for the whole sheet
        for (index, item) in parsed.enumerated() {
            progress?(index + 1, parsed.count)
            let provider: Department
            do { provider = try await catalog.provider(code: item.providerCode, actor: actor) } catch let error as DomainError {
                problems += error.problems.map { CatalogSpreadsheet.place($0, in: item) }
                continue
            }
            do {
                try catalog.requireOwner(actor, providerId: provider.id)
            } catch {
                problems.append(
                    CatalogSpreadsheet.CellProblem(
                        row: item.firstRow, column: "信息资源提供方代码", rule: "forbidden",
                        message: LocalizedText(zh: "无权为该提供方编制目录", en: "You may not catalog for this provider")))
                continue
            }
            do {
                try await catalog.checkForSubmission(item.content, provider: provider, register: register)
            } catch let error as DomainError {
                problems += error.problems.map { CatalogSpreadsheet.place($0, in: item) }
                continue
            }
            let now = Timestamp.format(catalog.clock.now())
            let id = Identifier.make(at: catalog.clock.now())
            drafts.append(
                (
                    CatalogEntry(
                        id: id, code: "", kind: item.content.catalogKind!, providerId: provider.id, latestVersion: 1,
                        publishedVersion: nil, status: .draft, nodeId: catalog.nodeId, createdAt: now, updatedAt: now),
                    CatalogVersion(entryId: id, version: 1, status: .draft, content: item.content, createdBy: actor.id, createdAt: now),
                    item.content.classificationCode!,
                    AuditRecord(
                        actor: actor, action: "catalog.import", objectType: "catalog_entry", objectId: id,
                        after: AuditJSON.encode(item.content), origin: origin)
                ))
        }
        if !problems.isEmpty {
            throw DomainError(
                .invalid, code: "import_rejected",
                message: LocalizedText(
                    zh: "导入文件有 \(problems.count) 处错误，未导入任何目录",
                    en: "The file has \(problems.count) problems; nothing was imported"),
                // The first 1,000 are enough to fix a file; the message keeps the count.
                problems: problems.sorted { ($0.row, $0.column) < ($1.row, $1.column) }.prefix(1_000).map {
                    FieldProblem(
                        field: "row \($0.row): \($0.column)", rule: $0.rule,
                        message: LocalizedText(
                            zh: "第 \($0.row) 行「\($0.column)」：\($0.message.zh)", en: "row \($0.row), \($0.column): \($0.message.en)"))
                })
        }
        let created = try await repository.createAll(drafts)
        return zip(created, drafts).map { CatalogEntryVersion(entry: $0, version: $1.version) }
    }

    /// Published entries in the spreadsheet layout.
    public func export(_ query: CatalogQuery, by actor: Principal) async throws -> String {
        try Policy.readDirectory.check(actor)
        let departments = try await catalog.departments.list(DepartmentFilter())
        var q = query
        q.rows = 1000
        var rows: [(providerCode: String, content: CatalogContent)] = []
        let codes = Dictionary(uniqueKeysWithValues: departments.map { ($0.id, $0.code) })
        while true {
            let page = try await repository.search(q)
            let published = try await catalog.published(ids: page.documents.map(\.entryId))
            for found in published { rows.append((codes[found.entry.providerId] ?? "", found.version.content)) }
            q.start += page.documents.count
            if page.documents.isEmpty || q.start >= page.total { break }
        }
        return CatalogSpreadsheet.write(rows)
    }
}
