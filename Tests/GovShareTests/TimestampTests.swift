import Foundation
import GovShareCore
import Testing

@Suite struct TimestampTests {
    /// A stored time read back and written again is the same text (seal revocation times, deadlines).
    @Test func parseThenFormatKeepsTheMillisecond() throws {
        var mismatches: [String] = []
        for ms in stride(from: 0, to: 1000, by: 1) {
            let text = String(format: "2026-12-05T09:13:27.%03dZ", ms)
            guard let parsed = Timestamp.parse(text) else {
                mismatches.append("unparsed \(text)")
                continue
            }
            if Timestamp.format(parsed) != text { mismatches.append("\(text) → \(Timestamp.format(parsed))") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        // A time is never written later than it was: 1.0006 s is written as 1.000 s.
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1.0006)) == "1970-01-01T00:00:01.000Z")
    }
}
