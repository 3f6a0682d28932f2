import GovShareCore
import SQLKit

extension SQLDatasetRepository {
    /// Counters live in dataset_quality, one row per rule plus `_checked` and `_failed`; increments are upserts.
    public func recordQuality(datasetId: String, checked: Int, failed: Int, byRule: [String: Int]) async throws {
        let counts = byRule.merging(["_checked": checked, "_failed": failed]) { $1 }.filter { $0.value > 0 }
        guard !counts.isEmpty else { return }
        try await context.database.transaction { db in
            for (rule, n) in counts.sorted(by: { $0.key < $1.key }) {
                try await db.raw(
                    """
                    INSERT INTO dataset_quality (dataset_id, rule, failures) VALUES (\(bind: datasetId), \(bind: rule), \(bind: n))
                    ON CONFLICT (dataset_id, rule) DO UPDATE SET failures = dataset_quality.failures + excluded.failures
                    """
                ).run()
            }
        }
    }

    public func quality(datasetId: String) async throws -> DatasetQuality {
        try await context.database.withConnection { db in
            var quality = DatasetQuality(checked: 0, failed: 0, byRule: [:])
            for row in try await db.select().columns("rule", "failures").from("dataset_quality").where("dataset_id", .equal, datasetId)
                .all()
            {
                let rule = try row.string("rule")
                let n = try row.int("failures")
                switch rule {
                case "_checked": quality.checked = n
                case "_failed": quality.failed = n
                default: quality.byRule[rule] = n
                }
            }
            return quality
        }
    }
}
