import Foundation

/// Globally unique, time-ordered identifiers (UUID version 7, RFC 9562), so records created on the provincial node
/// and on city sub-nodes never collide and still sort by creation time.
public enum Identifier {
    public static func make(at date: Date = Date()) -> String {
        let (millis, counter) = sequence.next(millis: UInt64(max(0, date.timeIntervalSince1970 * 1000)))
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8((millis >> (8 * (5 - UInt64(i)))) & 0xFF) }
        var generator = SystemRandomNumberGenerator()
        for i in 8..<16 { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        // rand_a holds a 12-bit counter (RFC 9562 §6.2, method 1): ids made in one millisecond still sort in order.
        bytes[6] = 0x70 | UInt8((counter >> 8) & 0x0F)  // version 7
        bytes[7] = UInt8(counter & 0xFF)
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
        return uuid.uuidString.lowercased()
    }

    private static let sequence = Sequence()

    /// The last (millisecond, counter) handed out in this process. A new millisecond starts the counter at a random
    /// value in its lower half (room to count, and not guessable); the same or an earlier millisecond (a clock set
    /// back, a test clock) counts on from the last id, carrying into the millisecond when the counter is full, so
    /// every id is greater than the one before. `@unchecked Sendable`: both fields are read and written only under
    /// `lock`.
    private final class Sequence: @unchecked Sendable {
        private let lock = NSLock()
        private var lastMillis: UInt64 = 0
        private var lastCounter: UInt16 = 0

        func next(millis: UInt64) -> (UInt64, UInt16) {
            lock.withLock {
                if millis > lastMillis {
                    lastMillis = millis
                    lastCounter = UInt16.random(in: 0...0x7FF)
                } else if lastCounter < 0xFFF {
                    lastCounter += 1
                } else {
                    lastMillis += 1
                    lastCounter = 0
                }
                return (lastMillis, lastCounter)
            }
        }
    }

    public static func isValid(_ text: String) -> Bool {
        UUID(uuidString: text) != nil
    }
}

/// A random secret rendered as URL-safe text, for API client secrets and CSRF tokens.
public enum RandomToken {
    public static func make(bytes count: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
