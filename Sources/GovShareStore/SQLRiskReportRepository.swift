import Foundation
import GovShareCore
import SQLKit

/// Risk reports (migration 36) and the facts they are computed from. Tables of other capabilities (`dataset_keys`,
/// `incidents`, `backups`) are read only when they exist on this node.
public struct SQLRiskReportRepository: RiskReportRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func signInFailures(from: String, to: String) async throws -> [SignInFailureCount] {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT actor_name, CASE WHEN detail LIKE 'bad_password; locked until%' THEN 'lockout'
                    ELSE COALESCE(detail, 'unknown') END AS reason, COUNT(*) AS n
                FROM audit_events WHERE action = 'auth.sign_in' AND outcome = 'failure'
                    AND occurred_at >= \(bind: from) AND occurred_at < \(bind: to)
                GROUP BY actor_name, CASE WHEN detail LIKE 'bad_password; locked until%' THEN 'lockout'
                    ELSE COALESCE(detail, 'unknown') END
                """
            ).all().map {
                SignInFailureCount(account: try $0.string("actor_name"), reason: try $0.string("reason"), count: try $0.int("n"))
            }
        }
    }

    public func grantsRead(from: String, to: String) async throws -> Set<String> {
        try await context.database.withConnection { db in
            Set(
                try await db.raw(
                    "SELECT DISTINCT purpose_id FROM data_reads WHERE read_at >= \(bind: from) AND read_at < \(bind: to)"
                ).all().map { try $0.string("purpose_id") })
        }
    }

    func tableExists(_ name: String, on db: any SQLDatabase) async throws -> Bool {
        switch context.database.kind {
        case .sqlite:
            return try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: name)").first() != nil
        case .postgres:
            return try await db.raw(
                "SELECT 1 AS present FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = \(bind: name)"
            ).first() != nil
        }
    }

    public func encryptedColumns() async throws -> RiskFact<[String: Set<String>]> {
        try await context.database.withConnection { db in
            guard try await tableExists("dataset_keys", on: db) else { return .unavailable }
            var result: [String: Set<String>] = [:]
            for row in try await db.raw("SELECT dataset_id, columns FROM dataset_keys WHERE state = 'active'").all() {
                let columns = (try? JSONDecoder().decode([String].self, from: Data(try row.string("columns").utf8))) ?? []
                result[try row.string("dataset_id"), default: []].formUnion(columns)
            }
            return .value(result)
        }
    }

    public func openIncidents() async throws -> RiskFact<[IncidentFact]> {
        try await context.database.withConnection { db in
            guard try await tableExists("incidents", on: db) else { return .unavailable }
            return .value(
                try await db.raw(
                    """
                    SELECT id, level, title, status, close_due_at, reported_at, report_due_at FROM incidents
                    WHERE status <> 'closed' ORDER BY close_due_at LIMIT 1000
                    """
                ).all().map {
                    IncidentFact(
                        id: try $0.string("id"), level: try $0.string("level"), title: try $0.string("title"),
                        status: try $0.string("status"), closeDueAt: try $0.string("close_due_at"),
                        reportedLate: try $0.string("reported_at") > $0.string("report_due_at"))
                })
        }
    }

    public func backups(from: String, to: String) async throws -> RiskFact<BackupFact> {
        try await context.database.withConnection { db in
            guard try await tableExists("backups", on: db) else { return .unavailable }
            let latest = try await db.raw(
                """
                SELECT finished_at, size_bytes FROM backups WHERE status = 'completed' AND finished_at IS NOT NULL
                ORDER BY finished_at DESC LIMIT 1
                """
            ).first()
            let failed = try await db.raw(
                """
                SELECT COUNT(*) AS n FROM backups WHERE status = 'failed' AND started_at >= \(bind: from) AND started_at < \(bind: to)
                """
            ).first()
            return .value(
                BackupFact(
                    latestFinishedAt: try latest?.optionalString("finished_at"),
                    latestSizeBytes: try latest?.decode(column: "size_bytes", as: Int64?.self),
                    failedInPeriod: try failed?.int("n") ?? 0))
        }
    }

    public func insert(_ r: RiskReport, audits: [AuditRecord]) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await db.insert(into: "risk_reports").columns(
                "id", "period_from", "period_to", "trigger_kind", "generated_by", "generated_at", "worst", "finding_count",
                "document", "html", "signature", "seal_id", "document_sm3", "node_id"
            ).values(
                SQLBind(r.id), SQLBind(r.periodFrom), SQLBind(r.periodTo), SQLBind(r.trigger), SQLBind(r.generatedBy),
                SQLBind(r.generatedAt), SQLBind(r.worst.rawValue), SQLBind(r.findingCount), SQLBind(r.document), SQLBind(r.html),
                SQLBind(r.signature), SQLBind(r.sealId), SQLBind(r.documentSM3Hex), SQLBind(r.nodeId)
            ).run()
            _ = try await AuditChain.appendAll(audits, context: context, on: db)
        }
    }

    public func find(id: String) async throws -> RiskReport? {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM risk_reports WHERE id = \(bind: id)").first().map { try Self.report($0, full: true) }
        }
    }

    public func list(limit: Int) async throws -> [RiskReport] {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT id, period_from, period_to, trigger_kind, generated_by, generated_at, worst, finding_count, seal_id,
                    document_sm3, node_id FROM risk_reports ORDER BY generated_at DESC, id DESC LIMIT \(bind: limit)
                """
            ).all().map { try Self.report($0, full: false) }
        }
    }

    public func scheduled(periodFrom: String, periodTo: String) async throws -> RiskReport? {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT id, period_from, period_to, trigger_kind, generated_by, generated_at, worst, finding_count, seal_id,
                    document_sm3, node_id FROM risk_reports WHERE trigger_kind = 'scheduled' AND period_from = \(bind: periodFrom)
                    AND period_to = \(bind: periodTo)
                """
            ).first().map { try Self.report($0, full: false) }
        }
    }

    static func report(_ row: any SQLRow, full: Bool) throws -> RiskReport {
        RiskReport(
            id: try row.string("id"), periodFrom: try row.string("period_from"), periodTo: try row.string("period_to"),
            trigger: try row.string("trigger_kind"), generatedBy: try row.string("generated_by"),
            generatedAt: try row.string("generated_at"), worst: RiskSeverity(rawValue: try row.string("worst")) ?? .info,
            findingCount: try row.int("finding_count"),
            document: full ? try row.decode(column: "document", as: Data.self) : Data(), html: full ? try row.string("html") : "",
            signature: full ? try row.decode(column: "signature", as: Data.self) : Data(), sealId: try row.string("seal_id"),
            documentSM3Hex: try row.string("document_sm3"), nodeId: try row.string("node_id"))
    }

    public func insert(_ u: ThirdPartyRiskReport, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.insert(into: "third_party_risk_reports").columns(
                "id", "period_from", "period_to", "title", "assessor", "file_name", "size", "sha256", "sm3", "uploaded_by",
                "uploaded_by_name", "uploaded_at", "node_id"
            ).values(
                SQLBind(u.id), SQLBind(u.periodFrom), SQLBind(u.periodTo), SQLBind(u.title), SQLBind(u.assessor),
                SQLBind(u.fileName), SQLBind(u.size), SQLBind(u.sha256), SQLBind(u.sm3), SQLBind(u.uploadedBy),
                SQLBind(u.uploadedByName), SQLBind(u.uploadedAt), SQLBind(u.nodeId)
            ).run()
        }
    }

    public func uploads(limit: Int) async throws -> [ThirdPartyRiskReport] {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM third_party_risk_reports ORDER BY uploaded_at DESC, id DESC LIMIT \(bind: limit)")
                .all().map(Self.upload)
        }
    }

    public func upload(id: String) async throws -> ThirdPartyRiskReport? {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM third_party_risk_reports WHERE id = \(bind: id)").first().map(Self.upload)
        }
    }

    static func upload(_ row: any SQLRow) throws -> ThirdPartyRiskReport {
        ThirdPartyRiskReport(
            id: try row.string("id"), periodFrom: try row.string("period_from"), periodTo: try row.string("period_to"),
            title: try row.string("title"), assessor: try row.string("assessor"), fileName: try row.string("file_name"),
            size: try row.int("size"), sha256: try row.string("sha256"), sm3: try row.string("sm3"),
            uploadedBy: try row.string("uploaded_by"), uploadedByName: try row.string("uploaded_by_name"),
            uploadedAt: try row.string("uploaded_at"), nodeId: try row.string("node_id"))
    }
}
