import Foundation

/// CSV records read from UTF-8 bytes as they arrive, by CSVText.scan's rules (RFC 4180 quoting, `\r` dropped outside
/// quotes, a quote opens a quoted field only at the field's start), so an import never holds its file decoded whole.
/// The four structural characters are ASCII and never part of a multi-byte UTF-8 sequence, so the state machine
/// runs on bytes and each finished field is decoded once. Memory is bounded by one record: at most
/// `ParserLimits.csvFieldsPerRecord` fields of at most `maxFieldBytes` each.
public struct CSVRecordReader: Sendable {
    /// A field that is not UTF-8: the caller may read the file again as GB18030.
    public struct NotUTF8: Error, Sendable { public let record: Int }

    /// One field's bytes (an item holds at most 65,535 characters, so four bytes each at most, with room to spare).
    public static let maxFieldBytes = 1 << 20

    /// Records finished so far; the number (0-based) of the record being read.
    public private(set) var records = 0
    /// The record (0-based) where a quoted field opened that was never closed, once `finish` has run.
    public private(set) var unclosedQuoteAt: Int?

    private var field: [UInt8] = []
    private var record: [String] = []
    private var quoted = false
    /// A quote inside a quoted field: the next byte says whether it was `""` or the closing quote.
    private var quoteSeen = false
    private var quoteOpenedAt = 0
    private var started = false

    public init() {}

    /// Reads `bytes`, handing each finished record to `emit` (the array is reused: copy what you keep).
    public mutating func feed(_ bytes: some Collection<UInt8>, _ emit: ([String]) throws -> Void) throws {
        var rest = bytes[...]
        if !started {
            started = true
            if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        }
        for byte in rest { try take(byte, emit) }
    }

    /// Ends the input: the last record (without a final line break) is emitted, an open quote recorded.
    public mutating func finish(_ emit: ([String]) throws -> Void) throws {
        if quoteSeen { quoteSeen = false; quoted = false }
        if quoted { unclosedQuoteAt = quoteOpenedAt }
        if !field.isEmpty || !record.isEmpty {
            try endField()
            try emit(record)
            record.removeAll(keepingCapacity: true)
            records += 1
        }
    }

    private mutating func take(_ byte: UInt8, _ emit: ([String]) throws -> Void) throws {
        if quoteSeen {
            quoteSeen = false
            if byte == 0x22 { try append(byte); return }
            quoted = false  // the quote closed the field; this byte is read as outside quotes
        } else if quoted {
            if byte == 0x22 { quoteSeen = true } else { try append(byte) }
            return
        }
        switch byte {
        case 0x22 where field.isEmpty: quoted = true; quoteOpenedAt = records
        case 0x2C: try endField()
        case 0x0D: break
        case 0x0A:
            try endField()
            try emit(record)
            record.removeAll(keepingCapacity: true)
            records += 1
        default: try append(byte)
        }
    }

    private mutating func append(_ byte: UInt8) throws {
        if byte == 0 {
            throw DomainError.invalid(
                field: "file", rule: "control_character", zh: "文件含有不允许的空字符（NUL）",
                en: "The file contains a NUL character, which is not allowed")
        }
        guard field.count < Self.maxFieldBytes else {
            throw ParserLimits.exceeded(
                field: "file", rule: "csv_limit",
                zh: "第 \(records + 1) 条记录中有字段超过 \(Self.maxFieldBytes) 字节",
                en: "A field of record \(records + 1) is longer than \(Self.maxFieldBytes) bytes")
        }
        field.append(byte)
    }

    private mutating func endField() throws {
        guard let text = String(validating: field, as: UTF8.self) else { throw NotUTF8(record: records) }
        field.removeAll(keepingCapacity: true)
        record.append(text)
        if record.count > ParserLimits.csvFieldsPerRecord {
            let message = CSVText.overLimit(record: records + 1)
            throw DomainError.invalid(field: "file", rule: "csv_limit", zh: message.zh, en: message.en)
        }
    }
}

/// The bytes of a file being imported, a chunk at a time (nil at the end), with how far reading has got.
public protocol ImportByteStream: Sendable {
    func next() async throws -> Data?
    /// Bytes handed out so far and in all (nil when unknown), for progress.
    var position: (read: Int, total: Int?) { get }
}

/// A file read from disk in 1 MiB chunks.
public final class FileImportStream: ImportByteStream, @unchecked Sendable {
    private let handle: FileHandle
    private let total: Int?
    private let lock = NSLock()
    private var read = 0

    public init(path: String) throws {
        handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    deinit { try? handle.close() }

    public func next() async throws -> Data? {
        try lock.withLock {
            guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { return nil }
            read += data.count
            return data
        }
    }

    public var position: (read: Int, total: Int?) { lock.withLock { (read, total) } }
}

/// Bytes already in memory (an upload, or a file decoded from GB18030 or XLSX), handed out in 1 MiB chunks.
public final class DataImportStream: ImportByteStream, @unchecked Sendable {
    private let data: Data
    private let lock = NSLock()
    private var offset = 0

    public init(_ data: Data) { self.data = data }

    public func next() async throws -> Data? {
        lock.withLock {
            guard offset < data.count else { return nil }
            let end = min(offset + (1 << 20), data.count)
            defer { offset = end }
            return data.subdata(in: data.startIndex + offset..<data.startIndex + end)
        }
    }

    public var position: (read: Int, total: Int?) { lock.withLock { (offset, data.count) } }
}
