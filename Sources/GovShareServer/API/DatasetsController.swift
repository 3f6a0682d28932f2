import Foundation
import GovShareCore
import Hummingbird

/// Mounted datasets: mounting, reporting rows (JSON or CSV), batch history, and the query API (Art. 15, 20–22).
struct DatasetsController {
    let platform: Platform
    var exchange: ExchangeService { platform.exchange }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("datasets", use: list)
        group.post("datasets", use: mount)
        group.get("datasets/{code}", use: show)
        group.post("datasets/{code}/rows", use: rows)
        group.post("datasets/{code}/import", use: importCSV)
        group.get("datasets/{code}/batches", use: batches)
        group.post("datasets/{code}/query", use: query)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<[DatasetDTO]> {
        _ = try context.require(.readDirectory)
        let stale = request.uri.queryParameters["stale"].map { $0 == "true" || $0 == "1" } ?? false
        return JSONResponse(try await exchange.list(staleOnly: stale).map { DatasetDTO($0, stale: exchange.isStale($0)) })
    }

    @Sendable func mount(request: Request, context: AppRequestContext) async throws -> JSONResponse<DatasetDTO> {
        let actor = try context.require(.reportData)
        let body = try await JSONBody.decode(MountRequest.self, from: request, context: context)
        var v = Validator()
        v.require(body.entryCode, field: "entry_code", maxLength: 64)
        try v.check()
        let dataset = try await exchange.mount(code: body.entryCode!, primaryKey: body.primaryKey, by: actor, origin: context.origin)
        return JSONResponse(DatasetDTO(dataset, stale: false), status: .created)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> JSONResponse<DatasetDTO> {
        let viewer = try context.require(.readDirectory)
        let dataset = try await exchange.dataset(code: try context.parameters.require("code"))
        return JSONResponse(
            DatasetDTO(
                dataset, stale: exchange.isStale(dataset),
                quality: try await exchange.quality(of: dataset, by: viewer)))
    }

    static func mode(_ text: String?) throws -> ReportBatch.Mode {
        guard let text else { return .allOrNothing }
        guard let mode = ReportBatch.Mode(rawValue: text) else {
            throw DomainError.invalid(
                field: "mode", rule: "enum", zh: "mode 应为 all_or_nothing 或 row", en: "mode must be all_or_nothing or row")
        }
        return mode
    }

    @Sendable func rows(request: Request, context: AppRequestContext) async throws -> JSONResponse<BatchDTO> {
        let actor = try context.requirePrincipal()
        // Authorised before up to 8 MiB of rows is read.
        _ = try await exchange.authorizeReport(code: try context.parameters.require("code"), by: actor)
        let body = try await JSONBody.decode(RowsRequest.self, from: request, context: context, limit: ParserLimits.rowsBodyBytes)
        let rows = (body.upsert ?? []).enumerated().map { i, row in
            (row: i + 1, values: row.mapValues(\.text))
        }
        if rows.isEmpty, (body.delete ?? []).isEmpty {
            throw DomainError.invalid(
                field: "upsert", rule: "required", zh: "upsert 或 delete 至少一项不能为空", en: "upsert or delete must not be empty")
        }
        let outcome = try await exchange.report(
            code: try context.parameters.require("code"), rows: rows, deletes: body.delete ?? [],
            mode: try Self.mode(body.mode), clientBatchId: body.batchId, source: .api,
            by: actor, origin: context.origin)
        return JSONResponse(
            BatchDTO(outcome.batch, replayed: outcome.replayed, problems: outcome.problems, language: context.language),
            status: outcome.replayed ? .ok : .created)
    }

    /// A CSV file (UTF-8 or GB18030) whose header names the items; `mode` and `batch_id` come as query parameters.
    @Sendable func importCSV(request: Request, context: AppRequestContext) async throws -> JSONResponse<BatchDTO> {
        let actor = try context.requirePrincipal()
        let code = try context.parameters.require("code")
        let p = request.uri.queryParameters
        let mode = try Self.mode(p["mode"].map(String.init))
        let encoding = try CatalogImportController.encoding(p["encoding"].map(String.init))
        // Refuse before reading up to 256 MiB: only the provider's reporting staff may send a file here.
        let dataset = try await exchange.authorizeReport(code: code, by: actor)
        var buffer = try await request.body.collect(upTo: ParserLimits.datasetImportBytes)
        let data = Data(buffer.readableBytesView)
        buffer = ByteBuffer()  // the body is held once, as `data`, while it is imported
        let outcome = try await SpreadsheetText.importUpload(
            data, encoding: encoding, into: exchange, dataset: dataset, mode: mode, batchId: p["batch_id"].map(String.init),
            source: .file, by: actor, origin: context.origin)
        return JSONResponse(
            BatchDTO(outcome.batch, replayed: outcome.replayed, problems: outcome.problems, language: context.language),
            status: outcome.replayed ? .ok : .created)
    }

    @Sendable func batches(request: Request, context: AppRequestContext) async throws -> JSONResponse<[BatchDTO]> {
        let viewer = try context.requirePrincipal()
        return JSONResponse(
            try await exchange.batchHistory(code: try context.parameters.require("code"), limit: 200, by: viewer).map { BatchDTO($0) })
    }

    @Sendable func query(request: Request, context: AppRequestContext) async throws -> Response {
        let reader = try context.requirePrincipal()
        let body = try await JSONBody.decode(QueryRequest.self, from: request, context: context)
        let q = try Self.datasetQuery(
            fields: body.fields, filters: body.filters ?? [:], text: body.q, sort: body.sort,
            limit: body.limit, after: body.after)
        let format = body.format ?? "json"
        guard format == "json" || format == "csv" else {
            throw DomainError.invalid(field: "format", rule: "enum", zh: "format 应为 json 或 csv", en: "format must be json or csv")
        }
        let result = try await exchange.read(
            code: try context.parameters.require("code"), purpose: body.purpose, query: q,
            by: reader, origin: context.origin, withRowTokens: body.recordTokens == true && format == "json")
        var headers: HTTPFields = [.init("X-Read-Id")!: String(result.read.auditSeq)]
        if format == "csv" {
            // Values that a spreadsheet program would run as formulas are neutralised in the file (not in JSON).
            // `_objection`: the objection under which the row was confirmed wrong and is not yet corrected (Art. 21).
            var text = CSVText.exportLine(result.columns.map(\.column.itemCode) + ["_objection"]) + "\r\n"
            for (i, row) in result.rows.enumerated() {
                text += CSVText.exportLine(row.map { $0 ?? "" } + [result.flags.indices.contains(i) ? result.flags[i] ?? "" : ""]) + "\r\n"
            }
            headers[.contentType] = "text/csv; charset=utf-8"
            if let next = result.nextCursor { headers[.init("X-Next-Cursor")!] = next }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: Self.json(result, language: context.language)))
    }

    /// `{resource, purpose, fields: [{id, name, type, mask, mask_description}], records: [{item: value|null}], next,
    /// read_id}` (the QueryResult schema), written directly.
    static func json(_ result: ReadResult, language: Language) -> ByteBuffer {
        var out = JSONText(capacity: 256 + result.rows.count * result.columns.count * 32)
        out.raw("{"); out.key("resource"); out.string(result.dataset.entryCode)
        out.raw(","); out.key("purpose"); out.string(result.read.purposeId)
        out.raw(","); out.key("fields"); out.raw("[")
        for (i, c) in result.columns.enumerated() {
            if i > 0 { out.raw(",") }
            out.raw("{"); out.key("id"); out.string(c.column.itemCode)
            out.raw(","); out.key("name"); out.string(c.column.itemName)
            out.raw(","); out.key("type"); out.string(c.column.dataType.rawValue)
            out.raw(","); out.key("mask"); out.string(c.mask.rawValue)
            out.raw(","); out.key("mask_description"); out.string(c.mask.description.text(language))
            out.raw("}")
        }
        out.raw("],"); out.key("records"); out.raw("[")
        let codes = result.columns.map(\.column.itemCode)
        for (r, row) in result.rows.enumerated() {
            out.raw(r == 0 ? "{" : ",{")
            for (i, value) in row.enumerated() {
                if i > 0 { out.raw(",") }
                out.key(codes[i]); out.string(value)
            }
            // A record confirmed wrong under an objection and not yet corrected (Art. 21) says so.
            if result.flags.indices.contains(r), let objection = result.flags[r] {
                out.raw(","); out.key("_objection"); out.string(objection)
            }
            if result.rowTokens.indices.contains(r) { out.raw(","); out.key("_token"); out.string(result.rowTokens[r]) }
            out.raw("}")
        }
        out.raw("]")
        out.raw(","); out.key("flagged_records"); out.number(Int64(result.flaggedCount))
        if let next = result.nextCursor { out.raw(","); out.key("next"); out.string(next) }
        out.raw(","); out.key("read_id"); out.number(result.read.auditSeq)
        out.raw("}")
        return out.buffer
    }

    static func datasetQuery(
        fields: [String]?, filters: [String: FilterSpec], text: String?, sort: String?, limit: Int?,
        after: String?, offset: Int? = nil, withTotal: Bool = false
    ) throws -> DatasetQuery {
        var v = Validator()
        var clauses: [ItemFilter] = []
        for (item, spec) in filters.sorted(by: { $0.key < $1.key }) {
            switch spec {
            case .value(let value): clauses.append(ItemFilter(item: item, op: .eq, values: [value]))
            case .list(let values): clauses.append(ItemFilter(item: item, op: .in, values: values))
            case .operators(let ops):
                for (name, value) in ops.sorted(by: { $0.key < $1.key }) {
                    guard let op = ItemFilter.Operator(rawValue: name), let text = value.text else {
                        v.fail(
                            "filters.\(item).\(name)", "operator", zh: "筛选运算符应为 eq、in、gte、lte、gt、lt 或 prefix",
                            en: "A filter operator is one of eq, in, gte, lte, gt, lt, prefix")
                        continue
                    }
                    clauses.append(ItemFilter(item: item, op: op, values: op == .in ? text.split(separator: ",").map(String.init) : [text]))
                }
            }
        }
        var sortItem: String?
        var descending = false
        if let sort, !sort.isEmpty {
            let parts = sort.split(separator: " ").map(String.init)
            sortItem = parts.first
            if parts.count > 1 {
                switch parts[1].lowercased() {
                case "asc": descending = false
                case "desc": descending = true
                default: v.fail("sort", "direction", zh: "排序方向应为 asc 或 desc", en: "sort direction must be asc or desc")
                }
            }
        }
        if let limit, !(1...1000).contains(limit) {
            v.fail("limit", "range", zh: "limit 应在 1–1000 之间", en: "limit must be between 1 and 1000")
        }
        if let offset, offset < 0 { v.fail("offset", "range", zh: "offset 不能为负数", en: "offset cannot be negative") }
        try v.check()
        return DatasetQuery(
            fields: fields, filters: clauses, text: text, sortItem: sortItem, descending: descending,
            limit: limit ?? 100, after: after, offset: offset, withTotal: withTotal)
    }
}
