import GovShareCore
import Testing

@testable import GovShareServer

/// Anyone can name a registered peer in the header, so the bodies read before a signature verifies are few: one per
/// sender, four in all, the rest answered 503 node_busy (the sender's outbox retries).
@Suite struct NodeIntakeTests {
    @Test func oneBodyPerSenderAndFourInAll() throws {
        let intake = NodeIntake(total: 4)
        try intake.reserve("gz-city")
        #expect(throws: DomainError.self) { try intake.reserve("gz-city") }
        for city in ["sz-city", "fs-city", "dg-city"] { try intake.reserve(city) }
        do {
            try intake.reserve("zh-city")
            Issue.record("a fifth body was admitted")
        } catch let error as DomainError {
            #expect(error.code == "node_busy" && error.kind == .unavailable)
        }
        intake.release("gz-city")
        try intake.reserve("zh-city")
        #expect(throws: DomainError.self, "four are in flight again") { try intake.reserve("gz-city") }
    }
}
