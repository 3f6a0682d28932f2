import GovShareCore
import SQLKit

/// The identity check's counters: per department and dataset for each period, and per department and checked record
/// for the day. One transaction takes a unit from every counter or from none; the conditional update
/// (`used < limit`) makes concurrent checks on several servers agree. Rows of other periods and past days are dropped
/// as it goes, so the tables hold about a day's checks.
public struct SQLVerificationBudget: VerificationBudget {
    let context: StoreContext
    let refKey: KeyCache

    public init(context: StoreContext) {
        self.context = context; refKey = KeyCache(custody: context.custody)
    }

    public func consume(
        departmentId: String, datasetId: String, periods: [(key: String, limit: Int)], records: [String], day: String,
        perRecord: Int
    ) async throws -> VerificationAllowance {
        struct Spent: Error { let allowance: VerificationAllowance }
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
                    if taken.isEmpty { throw Spent(allowance: .departmentSpent) }
                }
                try await db.delete(from: "verification_record_budget").where("day", .lessThan, day).run()
                let referencer = RecordReferencer(key: try await refKey.load(on: db))
                for record in Set(records) {
                    let ref = referencer.reference(datasetId: datasetId, key: record)
                    try await db.raw(
                        """
                        INSERT INTO verification_record_budget (day, department_id, dataset_id, record_ref, used)
                        VALUES (\(bind: day), \(bind: departmentId), \(bind: datasetId), \(bind: ref), 0)
                        ON CONFLICT (day, department_id, dataset_id, record_ref) DO NOTHING
                        """
                    ).run()
                    let taken = try await db.update("verification_record_budget")
                        .set(SQLIdentifier("used"), to: SQLRaw("used + 1"))
                        .where("day", .equal, day).where("department_id", .equal, departmentId)
                        .where("dataset_id", .equal, datasetId).where("record_ref", .equal, SQLBind(ref))
                        .where("used", .lessThan, perRecord).returning("used").all()
                    if taken.isEmpty { throw Spent(allowance: .recordSpent) }
                }
            }
            return .granted
        } catch let spent as Spent {
            return spent.allowance
        }
    }
}
