import Foundation

/// The files of an audit-segment package.
public enum AuditSegmentFiles {
    public static let events = "data/audit_events.jsonl"
    public static let reads = "data/data_reads.jsonl"
    public static let readReferences = "data/data_read_refs.jsonl"
}

/// Re-walks an archived chain: entries `first_seq`…`last_seq` without a gap, each linking to the previous hash
/// (the first to `first_prev_hash`), each hash recomputed, the last equal to `last_hash`; every read of the segment
/// belongs to one of its entries, and each read's references give the digest its entry recorded. Streams the
/// files a line at a time (the references file is ordered by read).
struct AuditSegmentChainCheck {
    let hashing: any AuditHashing

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    func check(_ manifest: ArchiveManifest, in directory: URL, _ report: inout ArchiveVerification) {
        guard let boundary = manifest.boundary else {
            report.fail("segment_boundary", zh: "审计日志段清单缺少边界", en: "The audit segment's manifest carries no boundary")
            return
        }
        guard let events = JSONLines(directory.appendingPathComponent(AuditSegmentFiles.events)),
            let refs = JSONLines(directory.appendingPathComponent(AuditSegmentFiles.readReferences)),
            let reads = JSONLines(directory.appendingPathComponent(AuditSegmentFiles.reads))
        else {
            report.fail("segment_files", zh: "审计日志段文件缺失", en: "The audit segment's data files are missing")
            return
        }
        var expected = boundary.firstSeq
        var previous = boundary.firstPrevHash
        var pendingRef: ArchivedReadReference?
        var readsChecked = 0
        var readSeqs = Set<Int64>()
        while let line = reads.next() {
            guard let read = try? Self.decoder.decode(ArchivedRead.self, from: line) else {
                return report.fail("segment_read", zh: "读取记录行无法解析", en: "A line of data_reads.jsonl cannot be read")
            }
            readSeqs.insert(read.auditSeq)
        }
        while let line = events.next() {
            guard let event = try? Self.decoder.decode(AuditEvent.self, from: line) else {
                return report.fail(
                    "segment_chain", zh: "条目 \(expected) 无法解析", en: "Entry \(expected) of audit_events.jsonl cannot be read")
            }
            if event.seq != expected {
                return report.fail("segment_chain", zh: "条目 \(expected) 缺失", en: "Entry \(expected) is missing from the segment")
            }
            if event.prevHash != previous {
                return report.fail(
                    "segment_chain", zh: "条目 \(event.seq) 未链接到前一条目", en: "Entry \(event.seq) does not link to the entry before it")
            }
            if hashing.entryHash(event) != event.hash {
                return report.fail(
                    "segment_chain", zh: "条目 \(event.seq) 被改动（哈希不符）", en: "Entry \(event.seq) was altered (hash mismatch)")
            }
            // The references of this entry's read (the file is ordered by read, then reference).
            var found: [Data] = []
            while true {
                if pendingRef == nil, let refLine = refs.next() {
                    pendingRef = try? Self.decoder.decode(ArchivedReadReference.self, from: refLine)
                    if pendingRef == nil {
                        return report.fail("segment_read", zh: "读取引用行无法解析", en: "A line of data_read_refs.jsonl cannot be read")
                    }
                }
                guard let ref = pendingRef, ref.auditSeq <= event.seq else { break }
                if ref.auditSeq == event.seq { found.append(Data(Hex.decode(ref.ref) ?? [])) }
                pendingRef = nil
            }
            if let recorded = ReadReferenceDigest.recorded(in: event.after) {
                readsChecked += 1
                if !readSeqs.contains(event.seq) {
                    report.fail(
                        "segment_read", zh: "条目 \(event.seq) 的读取记录不在文件包中", en: "The read of entry \(event.seq) is not in the package")
                } else if hashing.readReferenceDigest(found) != recorded {
                    report.fail(
                        "segment_read",
                        zh: "条目 \(event.seq) 的读取引用与其审计条目记载的摘要不符",
                        en: "The references of the read of entry \(event.seq) differ from the digest its entry recorded")
                }
            }
            readSeqs.remove(event.seq)
            previous = event.hash
            expected += 1
        }
        if expected - 1 != boundary.lastSeq || previous != boundary.lastHash {
            return report.fail(
                "segment_chain", zh: "审计日志段止于条目 \(expected - 1)，与边界（条目 \(boundary.lastSeq)，哈希 \(boundary.lastHash)）不符",
                en: "The segment ends at entry \(expected - 1), not at its boundary (entry \(boundary.lastSeq), hash \(boundary.lastHash))")
        }
        if pendingRef != nil || refs.next() != nil || !readSeqs.isEmpty {
            return report.fail(
                "segment_read", zh: "文件包中有不属于本段条目的读取记录或引用",
                en: "The package holds reads or references of no entry of the segment")
        }
        report.checked.append(
            "hash chain re-walked: entries \(boundary.firstSeq)–\(boundary.lastSeq) link from \(boundary.firstPrevHash.prefix(12))… to last_hash \(boundary.lastHash.prefix(12))…; \(readsChecked) reads' references match their entries' digests"
        )
    }
}

/// Reads a file a line at a time (64 KiB chunks), never whole.
final class JSONLines {
    private let handle: FileHandle
    private var buffer = Data()
    private var atEnd = false

    init?(_ url: URL) {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        self.handle = handle
    }

    deinit { try? handle.close() }

    private var position = 0

    func next() -> Data? {
        while true {
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                let line = buffer[position..<newline]
                position = newline + 1
                if line.isEmpty { continue }
                return Data(line)
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                defer { buffer = Data(); position = 0 }
                return Data(buffer[position...])
            }
            buffer = Data(buffer[position...])
            position = 0
            if let chunk = try? handle.read(upToCount: 65_536), !chunk.isEmpty { buffer.append(chunk) } else { atEnd = true }
        }
    }
}
