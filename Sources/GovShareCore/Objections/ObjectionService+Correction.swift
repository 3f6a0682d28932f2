import Foundation

/// Correction through the normal reporting path, evidence, the overdue sweep and the supervision figures.
extension ObjectionService {
    public struct CorrectionOutcome: Sendable {
        public let objection: Objection
        public let batch: ReportBatch
        /// Departments (other than the provider) that read a corrected record in the last `correctionNoticeDays` days.
        public let notifiedReaders: Int
    }

    /// The provider corrects confirmed records with a report batch (all or nothing) linked to the objection by its
    /// client batch id `objection-<id>-<n>`: validated, audited and in the dataset's batch history like any other.
    /// Every row must be a confirmed record of this objection (for an objection about the whole dataset or an item,
    /// any row). A batch that fails validation changes nothing and leaves the objection as it was.
    public func correct(
        id: String, rows: [(row: Int, values: [String: String?])], by actor: Principal, origin: RequestOrigin
    ) async throws -> CorrectionOutcome {
        try Policy.answerObjection.check(actor)
        try Policy.reportData.check(actor)
        let previous = try await load(id, by: actor)
        guard previous.providerId == actor.departmentId else { throw DomainError.forbidden(policy: .answerObjection) }
        guard !previous.openConfirmed.isEmpty else {
            throw DomainError.conflict(
                code: "nothing_to_correct", zh: "该异议没有待更正的已确认记录", en: "The objection has no confirmed record left to correct")
        }
        if rows.isEmpty {
            throw DomainError.invalid(field: "rows", rule: "required", zh: "更正批次至少一行", en: "A correction has at least one row")
        }
        let dataset = try await exchange.dataset(code: previous.entryCode)
        let keyItem = dataset.keyColumn.itemCode
        let confirmed = Set(previous.openConfirmed.map(\.key))
        let wholeSubject = confirmed.contains("")
        var v = Validator()
        var keys = Set<String>()
        for (i, row) in rows.enumerated() {
            guard let raw = row.values[keyItem] ?? nil, let key = (try? ExchangeService.normalisedKeys([raw], dataset: dataset))?.first
            else {
                v.fail("rows[\(i)].\(keyItem)", "required", zh: "每行须有主键", en: "Every row needs its key")
                continue
            }
            if !wholeSubject, !confirmed.contains(key) {
                v.fail(
                    "rows[\(i)].\(keyItem)", "not_confirmed", zh: "该记录不是本异议中待更正的已确认记录",
                    en: "This record is not a confirmed record of this objection awaiting correction")
            }
            keys.insert(key)
        }
        try v.check()
        let merged = try await currentRows(dataset, keys: keys, patch: rows, by: actor, origin: origin)
        let attempt = previous.history.filter { $0.action == "objection.correct" }.count + 1
        let outcome = try await exchange.report(
            code: dataset.entryId, rows: merged, deletes: [], mode: .allOrNothing, clientBatchId: "objection-\(previous.id)-\(attempt)",
            source: .api, by: actor, origin: origin)
        var o = previous
        var corrected: [String] = []
        for i in o.records.indices
        where o.records[i].state == .confirmed && (o.records[i].isWholeSubject || keys.contains(o.records[i].key)) {
            o.records[i].state = .corrected
            o.records[i].correctedBy = outcome.batch.id
            if !o.records[i].isWholeSubject { corrected.append(o.records[i].key) }
        }
        if o.openConfirmed.isEmpty { o.correctionDueOn = nil }
        step(&o, "objection.correct", actor, "batch \(outcome.batch.id)")
        // Readers of the corrected records in the last N days learn that what they read was corrected.
        let since = Timestamp.format(clock.now().addingTimeInterval(-Double(rules.correctionNoticeDays) * 86_400))
        var readers = Set<String>()
        for key in corrected {
            for read in try await exchange.datasets.reads(ReadTraceQuery(recordKey: key, datasetId: dataset.id, from: since, limit: 1_000))
            {
                readers.insert(read.departmentId)
            }
        }
        readers.remove(o.providerId)
        readers.insert(o.objectorDepartmentId)
        let notes = readers.sorted().map { department in
            notify(
                department, "objection.corrected", o,
                department == o.objectorDepartmentId
                    ? LocalizedText(
                        zh: "「\(o.entryName)」的异议记录已更正（批次 \(outcome.batch.id)）",
                        en: "The objected records of \(o.entryName) were corrected (batch \(outcome.batch.id))")
                    : LocalizedText(
                        zh: "贵部门近 \(rules.correctionNoticeDays) 天读取的「\(o.entryName)」数据中有记录经异议核实已更正，请重新读取",
                        en:
                            "Records of \(o.entryName) your department read in the last \(rules.correctionNoticeDays) days were corrected after an objection; read them again"
                    ))
        }
        try await repository.save(
            o, replacing: previous, closing: nil, starting: nil, notifications: notes,
            audit: audit(
                actor, "objection.correct", o, before: previous, origin: origin,
                detail: AuditJSON.encode([
                    "batch_id": outcome.batch.id, "corrected": String(corrected.count), "readers_told": String(readers.count),
                ])))
        return CorrectionOutcome(objection: o, batch: outcome.batch, notifiedReaders: readers.count)
    }

    /// A correction names only the items it changes: each row is laid over the record as stored (read by the
    /// provider, audited like any read), so a report, which replaces whole rows, keeps the other items.
    func currentRows(
        _ dataset: Dataset, keys: Set<String>, patch: [(row: Int, values: [String: String?])], by actor: Principal, origin: RequestOrigin
    ) async throws -> [(row: Int, values: [String: String?])] {
        let keyItem = dataset.keyColumn.itemCode
        let current = try await exchange.read(
            code: dataset.entryId, purpose: "provider",
            query: DatasetQuery(filters: [ItemFilter(item: keyItem, op: .in, values: keys.sorted())], limit: 1_000), by: actor,
            origin: origin)
        var stored: [String: [String: String?]] = [:]
        let codes = current.columns.map(\.column.itemCode)
        for row in current.rows {
            let values = Dictionary(uniqueKeysWithValues: zip(codes, row))
            if let key = values[keyItem] ?? nil { stored[key] = values }
        }
        return patch.map { row in
            let raw = (row.values[keyItem] ?? nil) ?? ""
            let key = (try? ExchangeService.normalisedKeys([raw], dataset: dataset))?.first ?? raw
            return (row.row, (stored[key] ?? [:]).merging(row.values) { _, new in new })
        }
    }

    // MARK: Evidence

    /// Evidence from a party (the objector, or the provider for its answer) while the objection is not closed.
    public func attach(id: String, fileName: String?, mediaType: String?, bytes: [UInt8], by actor: Principal, origin: RequestOrigin)
        async throws -> ObjectionAttachment
    {
        let previous = try await authorizeAttachment(id: id, by: actor)
        var v = Validator()
        v.attachment(fileName: fileName, mediaType: mediaType, bytes: bytes.count, maxBytes: maxAttachmentBytes)
        if previous.attachments.count >= Limits.attachments {
            v.fail("file", "max_count", zh: "每个异议最多 \(Limits.attachments) 个附件", en: "At most \(Limits.attachments) attachments")
        }
        try v.check()
        let stored = try await files.put(bytes)
        let attachment = ObjectionAttachment(
            id: Identifier.make(at: clock.now()), fileName: fileName!, mediaType: mediaType ?? "application/octet-stream",
            size: stored.size,
            sha256: stored.sha256, uploadedBy: actor.name, departmentId: actor.departmentId, createdAt: now)
        var o = previous
        o.attachments.append(attachment)
        step(&o, "objection.attach", actor, attachment.fileName)
        let other = actor.departmentId == o.providerId ? o.objectorDepartmentId : o.providerId
        try await repository.save(
            o, replacing: previous, closing: nil, starting: nil,
            notifications: [
                notify(
                    other, "objection.attachment", o,
                    LocalizedText(zh: "「\(o.entryName)」的异议有新附件", en: "New evidence on an objection to \(o.entryName)"))
            ],
            audit: audit(
                actor, "objection.attach", o, before: previous, origin: origin,
                detail: AuditJSON.encode(["file_name": attachment.fileName, "sha256": attachment.sha256, "size": String(attachment.size)])))
        return attachment
    }

    /// Checked before the upload is read: a party to an objection not yet closed.
    @discardableResult
    public func authorizeAttachment(id: String, by actor: Principal) async throws -> Objection {
        let o = try await load(id, by: actor)
        let party =
            (o.objectorDepartmentId == actor.departmentId && Policy.raiseObjection.allows(actor))
            || (o.providerId == actor.departmentId && Policy.answerObjection.allows(actor))
        guard party else { throw DomainError.forbidden(policy: .raiseObjection) }
        guard o.status != .closed else { throw Self.notInStatus(o, .open, .answered, .disputed) }
        return o
    }

    /// An attachment and its bytes, to whoever may see the objection.
    public func attachment(id: String, attachmentId: String, by actor: Principal) async throws -> (ObjectionAttachment, [UInt8]) {
        let o = try await load(id, by: actor)
        // Evidence usually shows the residents' data: only those who see the records (the two departments and whoever
        // rules) open it; auditors and administrators see the case without them.
        guard try await seesRecords(o, by: actor) else {
            throw DomainError(
                .forbidden, code: "attachment_withheld",
                message: LocalizedText(
                    zh: "异议附件含记录内容，仅异议双方部门和裁定人员可以查看",
                    en: "Attachments hold record data: only the two departments and whoever rules open them"))
        }
        guard let a = o.attachments.first(where: { $0.id == attachmentId }) else { throw DomainError.notFound("Attachment", zh: "附件") }
        return (a, try await files.get(sha256: a.sha256))
    }

    // MARK: The clock

    /// Tells whoever must act of an objection past its date — the provider (and its authority) of an unanswered
    /// objection or an uncorrected confirmation, the authority of an unruled dispute — once per due date. Run by the
    /// scheduler and `govshare objections sweep`.
    public func sweep(by actor: Principal, origin: RequestOrigin) async throws -> Int {
        try Policy.manageCalendar.check(actor)
        let day = today
        var told = 0
        for previous in try await repository.list(departmentIds: nil, limit: 10_000) where previous.isOverdue(on: day) {
            let due = (previous.status == .open || previous.status == .disputed) ? previous.dueOn : previous.correctionDueOn
            guard let due, previous.overdueNoticeFor != "\(previous.status.rawValue):\(due)" else { continue }
            var o = previous
            o.overdueNoticeFor = "\(o.status.rawValue):\(due)"
            let message: LocalizedText
            var targets: [String]
            switch o.status {
            case .open:
                message = LocalizedText(
                    zh: "对「\(o.entryName)」的数据异议已逾期未答复（应于 \(due) 前答复）", en: "An objection to \(o.entryName) is overdue (due \(due))")
                targets = [o.providerId, o.authorityId]
            case .disputed:
                message = LocalizedText(
                    zh: "对「\(o.entryName)」异议的争议已逾期未裁定（应于 \(due) 前）", en: "A dispute on \(o.entryName) is overdue (due \(due))")
                targets = [o.authorityId]
            case .answered, .closed:
                message = LocalizedText(
                    zh: "「\(o.entryName)」经异议确认的错误记录逾期未更正（应于 \(due) 前）",
                    en: "Confirmed errors in \(o.entryName) are overdue for correction (due \(due))")
                targets = [o.providerId, o.authorityId]
            }
            targets = Array(Set(targets)).sorted()
            do {
                try await repository.save(
                    o, replacing: previous, closing: nil, starting: nil,
                    notifications: targets.map { notify($0, "objection.overdue", o, message) },
                    audit: audit(actor, "objection.overdue", o, before: previous, origin: origin))
                told += 1
            } catch let error as DomainError where error.code == "objection_changed" {
                // Acted on since the list was read: the next sweep sees it as it is.
            }
        }
        return told
    }

    // MARK: Supervision

    /// Per provider, how its objections were handled (issue 17's assessment reads these): to administrators,
    /// auditors and the authority's reviewers (their departments only).
    public func statistics(by actor: Principal) async throws -> [ObjectionStatistics] {
        let scope: Set<String>?
        if actor.kind == .system || Policy.readAllObjections.allows(actor) {
            scope = nil
        } else {
            try Policy.ruleObjection.check(actor)
            scope = try await departments.reviewed(by: actor.departmentId)
        }
        let day = today
        var stats: [String: ObjectionStatistics] = [:]
        var days: [String: [Int]] = [:]
        for o in try await repository.list(departmentIds: scope, limit: 100_000) where scope?.contains(o.providerId) ?? true {
            var s = stats[o.providerId] ?? ObjectionStatistics(departmentId: o.providerId)
            s.received += 1
            if let late = o.answeredLate {
                s.answered += 1
                if late { s.late += 1 } else { s.answeredOnTime += 1 }
                if let d = o.answerWorkingDays { days[o.providerId, default: []].append(d) }
            } else if o.outcome != .withdrawn {
                s.open += 1
                if o.isOverdue(on: day) { s.late += 1 }
            }
            let everConfirmed = o.records.contains { $0.state == .confirmed || $0.state == .corrected }
            if everConfirmed { s.confirmed += 1 }
            if everConfirmed, o.openConfirmed.isEmpty { s.corrected += 1 }
            if o.disputeReason != nil { s.disputed += 1 }
            stats[o.providerId] = s
        }
        for (id, list) in days where !list.isEmpty {
            stats[id]?.averageWorkingDays = (Double(list.reduce(0, +)) / Double(list.count) * 10).rounded() / 10
        }
        return stats.values.sorted { $0.departmentId < $1.departmentId }
    }

    /// Objections per month (of raising) and how they stand or ended, for the portal's chart.
    public func monthly(by actor: Principal) async throws -> [(month: String, counts: [String: Int])] {
        var months: [String: [String: Int]] = [:]
        for o in try await list(by: actor) {
            let bucket = o.outcome?.rawValue ?? o.status.rawValue
            months[String(o.createdAt.prefix(7)), default: [:]][bucket, default: 0] += 1
        }
        return months.sorted { $0.key < $1.key }.suffix(12).map { ($0.key, $0.value) }
    }
}
