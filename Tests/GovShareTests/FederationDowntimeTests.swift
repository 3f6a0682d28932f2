import Foundation
import GovShareCore
import GovShareServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 18, part 5: a peer that refuses a node for hours (here: the province has not registered the city yet) is
/// tried again at most every ten minutes, not in a tight loop, and once it takes the node's messages it receives every
/// one of them, in order. Both nodes run on one manual clock, advanced a minute at a time through three hours.
@Suite struct FederationDowntimeTests {
    @Test(arguments: TestDatabase.available)
    func hoursOfRefusalsAreRetriedWithCappedBackoffThenCaughtUpInOrder(database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await TestEnvironment.with(database, demo: false, clock: clock) { province in
            try await province.server.app.test(.live) { live in
                let port = try #require(live.port)
                try await TestEnvironment.with(.sqlite, demo: false, settings: FederationTests.citySettings, clock: clock) { city in
                    let system = Principal.system("test")
                    let origin = RequestOrigin.commandLine()
                    try await FederationCatalogTests.registerParent(province, port: port, on: city)

                    // Three hours: a link check queued every half hour, the delivery loop's turn every minute.
                    var attempts: [Date] = []
                    var queued = 0
                    for minute in 0..<180 {
                        if minute % 30 == 0 {
                            _ = try await city.platform.federation.enqueue(
                                .linkCheck, body: "{}", to: "gd-province", actor: system, origin: origin)
                            queued += 1
                        }
                        let reports = try await city.platform.federation.deliverDue(origin: origin)
                        if let report = reports.first {
                            #expect(report.delivered == 0 && (report.error ?? "").contains("unknown_node"), "\(report)")
                            attempts.append(clock.now())
                        }
                        clock.advance(by: 60)
                    }
                    let gaps = zip(attempts.dropFirst(), attempts).map { $0.timeIntervalSince($1) }
                    #expect(
                        (gaps.max() ?? 0) <= FederationService.maximumBackoffSeconds + 60,
                        "tried again at least every ten minutes: \(gaps)")
                    #expect((15...30).contains(attempts.count), "backed off, not tried every minute: \(attempts.count) attempts")

                    // The province registers the city: the next due attempt delivers all of it, in order.
                    let waiting = try await city.platform.federation.peer("gd-province", by: system).pending
                    #expect(waiting >= queued, "every queued message still waits")
                    try await FederationCatalogTests.registerChild(city, on: province)
                    clock.advance(by: FederationService.maximumBackoffSeconds)
                    let caughtUp = try #require(try await city.platform.federation.deliverDue(origin: origin).first)
                    #expect(caughtUp.delivered == waiting && caughtUp.pending == 0 && caughtUp.error == nil, "\(caughtUp)")
                    let received = try await province.platform.federation.peer("gz-city", by: system).peer
                    let sent = try await city.platform.federation.peer("gd-province", by: system).peer
                    #expect(received.lastReceivedSeq == Int64(waiting) && sent.lastSentSeq == Int64(waiting), "\(received) \(sent)")
                }
            }
        }
    }
}
