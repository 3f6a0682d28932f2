import Foundation

/// The source of "now" for every rule that depends on time (lockouts, token expiry, deadlines), so tests can move it.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

public enum Timestamp {
    /// UTC, millisecond precision, fixed width: sorts the same as text and as time on every database.
    public static func format(_ date: Date) -> String {
        // The millisecond is computed here and the formatter writes whole seconds only: Foundation's fractional seconds
        // truncate an imprecise binary value, so a parsed "….345Z" (0.344999… s) came back as "….344Z". Truncating
        // after adding 1 µs (above the 0.2 µs a double holds of today's time) keeps a stored time never more than
        // 1 µs after the moment it records — a validity starting "now" is valid for the next action — and exact
        // for times read back.
        let milliseconds = (date.timeIntervalSince1970 * 1000 + 0.001).rounded(.down)
        let seconds = (milliseconds / 1000).rounded(.down)
        let fraction = Int(milliseconds - seconds * 1000)
        let whole = Date(timeIntervalSince1970: seconds).formatted(secondsStyle)
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    private static let secondsStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: TimeZone(identifier: "UTC")!)

    public static func parse(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return d }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
