import Foundation

/// The auditors' read trace (Art. 28): who read a record, what a department read in a period, and reads unusually
/// large for their department and dataset.
extension ExchangeService {
    /// Auditors' questions (Art. 28): who read this record, what a department read in a period.
    /// The search itself is audited before it is answered (who looked whom up is as sensitive as who read whom); the
    /// record asked about is not written down in clear.
    public func trace(_ query: ReadTraceQuery, by actor: Principal, origin: RequestOrigin) async throws -> [DataRead] {
        try Policy.traceReads.check(actor)
        let reads = try await datasets.reads(query)
        var asked: [String: String] = ["results": String(reads.count)]
        if query.recordKey != nil { asked["record"] = "[withheld]" }
        for (key, value) in [
            ("dataset_id", query.datasetId), ("department_id", query.departmentId), ("purpose_id", query.purposeId),
            ("from", query.from), ("to", query.to),
        ] {
            if let value { asked[key] = value }
        }
        _ = try await auditLog.append(
            AuditRecord(
                actor: actor, action: "data.trace", objectType: "data_reads", objectId: "*",
                detail: AuditJSON.encode(asked), origin: origin))
        return reads
    }

    /// `trace` with the dataset named by its resource code and the department by its credit code (as the API and
    /// the portal take them).
    public func trace(
        _ query: ReadTraceQuery, datasetCode: String?, departmentCode: String?, by actor: Principal,
        origin: RequestOrigin
    ) async throws -> [DataRead] {
        try Policy.traceReads.check(actor)
        var query = query
        if let datasetCode { query.datasetId = try await dataset(code: datasetCode).id }
        if let departmentCode { query.departmentId = try await departments.require(code: departmentCode, field: "department").id }
        return try await trace(query, by: actor, origin: origin)
    }

    /// Moves the record references of up to `limit` audited reads into the record index that `trace` searches by
    /// record, in one transaction of about `references` references (at least one read); returns how many reads it
    /// moved (0: the index has caught up). A background job runs it.
    public func indexReadReferences(limit: Int, references: Int = 5_000) async throws -> Int {
        try await datasets.indexReadReferences(limit: limit, references: references)
    }

    /// Whether reads were audited within the last moments (the indexer then yields to them).
    public var readsAuditedRecently: Bool { datasets.readsAuditedRecently }

    /// Reads whose row count is well above that department's usual volume on the same dataset.
    public func unusualReads(from: String?, to: String?, factor: Double = 3, by actor: Principal) async throws -> [DataRead] {
        try Policy.traceReads.check(actor)
        return try await unusualReads(from: from, to: to, factor: factor)
    }

    /// `unusualReads` for the platform's own reports (the risk report, Art. 28), which check their own policy.
    func unusualReads(from: String?, to: String?, factor: Double) async throws -> [DataRead] {
        let reads = try await datasets.reads(ReadTraceQuery(from: from, to: to, limit: 100_000))
        let groups = Dictionary(grouping: reads) { "\($0.departmentId)|\($0.datasetId)" }
        return groups.values.flatMap { group -> [DataRead] in
            guard group.count >= 5 else { return [] }
            let sorted = group.map(\.rows).sorted()
            let median = Double(sorted[sorted.count / 2])
            return group.filter { Double($0.rows) > max(median * factor, 10) }
        }.sorted { $0.auditSeq > $1.auditSeq }
    }
}
