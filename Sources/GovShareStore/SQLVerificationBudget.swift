import GovShareCore
import SQLKit

/// The identity check's counters per department and dataset. One transaction takes a unit from every period or from
/// none; the conditional update (`used < limit`) makes concurrent checks on several servers agree, and rows of other
/// periods are dropped as it goes, so the table holds at most two rows per department and dataset.
public struct SQLVerificationBudget: VerificationBudget {
    let context: StoreContext

    public init(context: StoreContext) { self.context = context }

    public func consume(departmentId: String, datasetId: String, periods: [(key: String, limit: Int)]) async throws -> Bool {
        struct Exhausted: Error {}
        do {
            try await context.database.transaction { db in
                try await db.delete(from: "verification_budget").where("department_id", .equal, departmentId)
                    .where("dataset_id", .equal, datasetId).where("period", .notIn, periods.map(\.key)).run()
                for period in periods {
                    try await db.raw(
                        """
                        INSERT INTO verification_budget (department_id, dataset_id, period, used)
                        VALUES (\(bind: departmentId), \(bind: datasetId), \(bind: period.key), 0)
                        ON CONFLICT (department_id, dataset_id, period) DO NOTHING
                        """
                    ).run()
                    let taken = try await db.update("verification_budget").set(SQLIdentifier("used"), to: SQLRaw("used + 1"))
                        .where("department_id", .equal, departmentId).where("dataset_id", .equal, datasetId)
                        .where("period", .equal, period.key)
                        .where("used", .lessThan, period.limit).returning("used").all()
                    if taken.isEmpty { throw Exhausted() }
                }
            }
            return true
        } catch is Exhausted {
            return false
        }
    }
}
