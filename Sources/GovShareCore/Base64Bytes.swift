/// Standard padded base64 (RFC 4648 §4) between raw buffers, for the per-cell hot paths of encryption at rest: a page
/// of 100 rows opens 300 sealed values, and Foundation's `Data(base64Encoded:)` / `base64EncodedString()` with the
/// `Data` they build cost more than the SM4-GCM they wrap. The output is byte for byte Foundation's.
public enum Base64Bytes {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    /// 0–63 for an alphabet byte, 0xFF for anything else.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// The encoded length of `count` bytes (padded to a multiple of four).
    public static func encodedCount(_ count: Int) -> Int { (count / 3 + (count % 3 == 0 ? 0 : 1)) * 4 }

    /// The most bytes `count` characters can decode to.
    public static func decodedCapacity(_ count: Int) -> Int { count / 4 * 3 }

    /// Writes the encoding of `source` at the start of `target` (at least `encodedCount(source.count)` long); returns
    /// the number of bytes written.
    public static func encode(_ source: UnsafeRawBufferPointer, into target: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(target.count >= encodedCount(source.count), "base64 target too small")
        return alphabet.withUnsafeBufferPointer { a in
            var i = 0
            var o = 0
            while i + 3 <= source.count {
                let v = UInt32(source[i]) << 16 | UInt32(source[i + 1]) << 8 | UInt32(source[i + 2])
                target[o] = a[Int(v >> 18)]
                target[o + 1] = a[Int(v >> 12 & 63)]
                target[o + 2] = a[Int(v >> 6 & 63)]
                target[o + 3] = a[Int(v & 63)]
                i += 3
                o += 4
            }
            let rest = source.count - i
            if rest > 0 {
                let v = UInt32(source[i]) << 16 | (rest == 2 ? UInt32(source[i + 1]) << 8 : 0)
                target[o] = a[Int(v >> 18)]
                target[o + 1] = a[Int(v >> 12 & 63)]
                target[o + 2] = rest == 2 ? a[Int(v >> 6 & 63)] : UInt8(ascii: "=")
                target[o + 3] = UInt8(ascii: "=")
                o += 4
            }
            return o
        }
    }

    /// Decodes `source` into the start of `target` (at least `decodedCapacity(source.count)` long); nil unless the
    /// source is whole padded base64 (a multiple of four, alphabet only, `=` only as the last one or two).
    public static func decode(_ source: UnsafeBufferPointer<UInt8>, into target: UnsafeMutableRawBufferPointer) -> Int? {
        guard source.count % 4 == 0, target.count >= decodedCapacity(source.count) else { return nil }
        if source.isEmpty { return 0 }
        var padding = 0
        if source[source.count - 1] == UInt8(ascii: "=") { padding += 1 }
        if source[source.count - 2] == UInt8(ascii: "=") { padding += 1 }
        if padding == 2, source[source.count - 1] != UInt8(ascii: "=") { return nil }
        return values.withUnsafeBufferPointer { t -> Int? in
            var o = 0
            var i = 0
            let whole = source.count - (padding > 0 ? 4 : 0)
            while i < whole {
                let a = t[Int(source[i])]
                let b = t[Int(source[i + 1])]
                let c = t[Int(source[i + 2])]
                let d = t[Int(source[i + 3])]
                guard (a | b | c | d) & 0xC0 == 0 else { return nil }
                let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                target[o] = UInt8(truncatingIfNeeded: v >> 16)
                target[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                target[o + 2] = UInt8(truncatingIfNeeded: v)
                i += 4
                o += 3
            }
            if padding > 0 {
                let a = t[Int(source[i])]
                let b = t[Int(source[i + 1])]
                let c = padding == 1 ? t[Int(source[i + 2])] : 0
                guard (a | b | c) & 0xC0 == 0 else { return nil }
                let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                target[o] = UInt8(truncatingIfNeeded: v >> 16)
                o += 1
                if padding == 1 {
                    target[o] = UInt8(truncatingIfNeeded: v >> 8)
                    o += 1
                }
            }
            return o
        }
    }
}
