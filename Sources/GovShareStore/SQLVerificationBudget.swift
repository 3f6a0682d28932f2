import GovShareCore
import SQLKit

/// The identity check's per-purpose counters. One transaction takes a unit from every period or from none; the
/// conditional update (`used < limit`) makes concurrent checks on several servers agree, and rows of other periods of
/// the purpose are dropped as it goes, so the table holds at most two rows per purpose.
public struct SQLVerificationBudget: VerificationBudget {
    let context: StoreContext

    public init(context: StoreContext) { self.context = context }

    public func consume(purposeId: String, periods: [(key: String, limit: Int)]) async throws -> Bool {
        struct Exhausted: Error {}
        do {
            try await context.database.transaction { db in
                try await db.delete(from: "verification_budget").where("purpose_id", .equal, purposeId)
                    .where("period", .notIn, periods.map(\.key)).run()
                for period in periods {
                    try await db.raw("""
                        INSERT INTO verification_budget (purpose_id, period, used) VALUES (\(bind: purposeId), \(bind: period.key), 0)
                        ON CONFLICT (purpose_id, period) DO NOTHING
                        """).run()
                    let taken = try await db.update("verification_budget").set(SQLIdentifier("used"), to: SQLRaw("used + 1"))
                        .where("purpose_id", .equal, purposeId).where("period", .equal, period.key)
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
