import Foundation

extension ArchiveService {
    /// The retention cut (Art. 28 with Art. 26): audit entries older than `audit_retention_days` (and than `before`,
    /// when given), with their reads and read references, move into audit-segment packages of at most
    /// `Limits.segmentEntries` entries. Per segment: the package is written, signed and verified first; then one
    /// transaction registers it and the segment and deletes the rows. A kill between the two leaves every row in
    /// place and the package unregistered; the next run verifies and reuses it (or rewrites it). Returns the segments
    /// made, oldest first.
    public func archiveAudit(
        before: Date?, maxSegments: Int = .max, by actor: Principal, origin: RequestOrigin,
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> [AuditSegment] {
        try Policy.createArchives.check(actor)
        let now = clock.now()
        let latest = now.addingTimeInterval(-Double(retentionDays) * 86_400 - Limits.clockMarginSeconds)
        if let before, before > latest {
            throw DomainError.invalid(
                field: "before", rule: "retention",
                zh: "before 不能晚于 \(Timestamp.format(latest))：未满留存期（\(retentionDays) 天）的审计条目不能归档",
                en:
                    "before must not be later than \(Timestamp.format(latest)): entries younger than the retention (\(retentionDays) days) are never archived"
            )
        }
        let cut = Timestamp.format(before ?? latest)
        var made: [AuditSegment] = []
        while made.count < maxSegments {
            let start = try await repository.liveStart()
            guard let end = try await repository.archivableEnd(from: start.seq, before: cut, maxEntries: Limits.segmentEntries) else {
                break
            }
            progress("audit: archiving entries \(start.seq)–\(end) (older than \(cut))")
            let segment = try await archiveSegment(
                first: start.seq, last: end, prevHash: start.prevHash, cut: cut, by: actor, origin: origin)
            progress(
                "audit: entries \(segment.firstSeq)–\(segment.lastSeq) archived (\(segment.reads) reads) in package \(segment.archiveId)")
            made.append(segment)
        }
        return made
    }

    /// The scheduler's round: archives what is past the retention, at most `Limits.segmentsPerRound` packages, when
    /// the last segment is at least `intervalMinutes` old.
    public func archiveAuditIfDue(by actor: Principal, origin: RequestOrigin) async throws -> [AuditSegment] {
        if let last = try await repository.segments().last, let at = Timestamp.parse(last.archivedAt),
            clock.now().timeIntervalSince(at) < Double(intervalMinutes * 60)
        {
            return []
        }
        return try await archiveAudit(before: nil, maxSegments: Limits.segmentsPerRound, by: actor, origin: origin)
    }

    private func archiveSegment(
        first: Int64, last: Int64, prevHash: String, cut: String, by actor: Principal, origin: RequestOrigin
    ) async throws -> AuditSegment {
        let base = URL(fileURLWithPath: directory)
        let name = String(format: "audit-segment-%012lld-%012lld", first, last)
        let record: ArchiveRecord
        let manifest: ArchiveManifest
        if let found = try await reusable(first: first, last: last, prevHash: prevHash, in: base, by: actor) {
            (record, manifest) = found
        } else {
            (record, manifest) = try await writeSegment(
                first: first, last: last, prevHash: prevHash, cut: cut, at: base.appendingPathComponent(name), by: actor, origin: origin)
        }
        try await checkWritten(record)
        guard let boundary = manifest.boundary else {
            throw DomainError.conflict(code: "archive_boundary", zh: "归档包缺少边界", en: "The package has no boundary")
        }
        let counts = Self.counts(in: URL(fileURLWithPath: record.location))
        let segment = AuditSegment(
            id: Identifier.make(), firstSeq: boundary.firstSeq, lastSeq: boundary.lastSeq, firstPrevHash: boundary.firstPrevHash,
            lastHash: boundary.lastHash, archiveId: record.id, archivedAt: Timestamp.format(clock.now()),
            entries: boundary.lastSeq - boundary.firstSeq + 1, reads: counts.reads, readReferences: counts.references)
        try await repository.cut(
            segment, archive: record,
            audit: AuditRecord(
                actor: actor, action: "audit.archive", objectType: "audit_segment", objectId: segment.id,
                after: AuditJSON.encode([
                    "archive_id": record.id, "first_seq": String(segment.firstSeq), "last_seq": String(segment.lastSeq),
                    "last_hash": segment.lastHash, "reads": String(segment.reads), "merkle_root": record.merkleRoot,
                    "location": record.location,
                ]), origin: origin))
        return segment
    }

    /// An unregistered package of a previous, interrupted run that starts where the live chain starts, verifies, and
    /// ends at an entry the database still holds with the same hash (so its entries are the database's): reused.
    /// Any other leftover of that start is removed (it was never registered; its rows are still live).
    private func reusable(first: Int64, last: Int64, prevHash: String, in base: URL, by actor: Principal) async throws
        -> (ArchiveRecord, ArchiveManifest)?
    {
        let prefix = String(format: "audit-segment-%012lld-", first)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        var found: (ArchiveRecord, ArchiveManifest)?
        for name in names where name.hasPrefix(prefix) {
            let url = base.appendingPathComponent(name)
            let report = verifier.verify(directory: url, pinnedRoot: try await seals.rootCertificate())
            if found == nil, report.ok, let manifest = report.manifest, let b = manifest.boundary, b.firstSeq == first,
                b.firstPrevHash == prevHash, b.lastSeq <= last, manifest.nodeId == nodeId,
                try await repository.events(from: b.lastSeq, through: b.lastSeq, limit: 1).first?.hash == b.lastHash,
                let bytes = FileManager.default.contents(atPath: url.appendingPathComponent(ArchivePackageBuilder.manifestName).path)
            {
                let size = manifest.files.reduce(Int64(0)) { $0 + $1.size }
                var record = try registered((manifest, bytes, size), at: url, by: actor)
                record.createdBy = actor.id
                found = (record, manifest)
            } else {
                try? FileManager.default.removeItem(at: url)
            }
        }
        return found
    }

    private func writeSegment(
        first: Int64, last: Int64, prevHash: String, cut: String, at url: URL, by actor: Principal, origin: RequestOrigin
    ) async throws -> (ArchiveRecord, ArchiveManifest) {
        let builder = try ArchivePackageBuilder(directory: url, crypto: crypto)
        do {
            var lastHash = prevHash
            for path in [AuditSegmentFiles.events, AuditSegmentFiles.reads, AuditSegmentFiles.readReferences] { try builder.touch(path) }
            let step: Int64 = 2_000
            var from = first
            while from <= last {
                let through = min(from + step - 1, last)
                for event in try await repository.events(from: from, through: through, limit: Int(step)) {
                    try builder.appendLine(AuditSegmentFiles.events, event)
                    lastHash = event.hash
                }
                for read in try await repository.reads(from: from, through: through) {
                    try builder.appendLine(AuditSegmentFiles.reads, read)
                }
                for ref in try await repository.readReferences(from: from, through: through) {
                    try builder.appendLine(AuditSegmentFiles.readReferences, ref)
                }
                from = through + 1
            }
            let now = clock.now()
            let made = try await builder.finish(
                id: Identifier.make(at: now), kind: .auditSegment, nodeId: nodeId, createdAt: Timestamp.format(now), createdBy: actor.name,
                periodFrom: nil, periodTo: cut,
                boundary: AuditSegmentBoundary(firstSeq: first, lastSeq: last, firstPrevHash: prevHash, lastHash: lastHash, before: cut),
                sign: { try await seals.signArchiveManifest($0, origin: origin) })
            return (try registered(made, at: url, by: actor), made.manifest)
        } catch {
            builder.discard()
            throw error
        }
    }

    /// Lines of the package's reads and references files.
    static func counts(in url: URL) -> (reads: Int64, references: Int64) {
        func lines(_ path: String) -> Int64 {
            guard let reader = JSONLines(url.appendingPathComponent(path)) else { return 0 }
            var n: Int64 = 0
            while reader.next() != nil { n += 1 }
            return n
        }
        return (lines(AuditSegmentFiles.reads), lines(AuditSegmentFiles.readReferences))
    }
}
