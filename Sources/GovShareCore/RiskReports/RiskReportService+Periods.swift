import Foundation

extension RiskReportService {
    /// A period from the caller: both dates given as YYYY-MM-DD, `from` ≤ `to` ≤ today, at most a year long.
    static func period(from: String?, to: String?, today: CivilDate) throws -> (from: CivilDate, to: CivilDate) {
        var v = Validator()
        let start = from.flatMap(CivilDate.init)
        let end = to.flatMap(CivilDate.init)
        if start == nil { v.fail("from", "date", zh: "from 应为日期（YYYY-MM-DD）", en: "from must be a date (YYYY-MM-DD)") }
        if end == nil { v.fail("to", "date", zh: "to 应为日期（YYYY-MM-DD）", en: "to must be a date (YYYY-MM-DD)") }
        try v.check()
        guard let start, let end else { throw DomainError.validation(v.problems) }
        if end < start { v.fail("to", "after_from", zh: "to 不能早于 from", en: "to must not be before from") }
        if end > today { v.fail("to", "not_future", zh: "to 不能晚于今天", en: "to must not be after today") }
        if end.dayNumber - start.dayNumber + 1 > Limits.periodDays {
            v.fail(
                "to", "max_period", zh: "报告期不能超过 \(Limits.periodDays) 天", en: "A report covers at most \(Limits.periodDays) days")
        }
        try v.check()
        return (start, end)
    }

    /// The last complete period before `today`: the previous calendar month when the interval is 28–31 days (the
    /// default, monthly), else the last complete window of `intervalDays` days counted from 2026-01-01.
    public static func lastCompletePeriod(today: CivilDate, intervalDays: Int) -> (from: CivilDate, to: CivilDate) {
        if (28...31).contains(intervalDays) {
            let (y, m, _) = today.components
            let firstOfMonth = CivilDate(year: y, month: m, day: 1)!
            let end = firstOfMonth.adding(days: -1)
            let (py, pm, _) = end.components
            return (CivilDate(year: py, month: pm, day: 1)!, end)
        }
        let origin = CivilDate(year: 2026, month: 1, day: 1)!
        let n = max(1, intervalDays)
        let offset = today.dayNumber - origin.dayNumber
        let windowStart = origin.dayNumber + Int((Double(offset) / Double(n)).rounded(.down)) * n
        return (CivilDate(dayNumber: windowStart - n), CivilDate(dayNumber: windowStart - 1))
    }

    /// The first instant of a civil day in China Standard Time, as stored (UTC text).
    static func instant(_ day: CivilDate) -> String {
        day.firstInstant
    }
}

extension RiskReportService {
    /// Whether the actor may upload a third party's report, asked before the file is read.
    public func authorizeUpload(by actor: Principal) throws { try Policy.uploadRiskReports.check(actor) }

    /// Files a third party's own report (a PDF) against a period: kept in the file store, with its SHA-256 and SM3.
    public func upload(
        pdf: [UInt8], fileName: String?, title: String?, assessor: String?, from: String?, to: String?, by actor: Principal,
        origin: RequestOrigin
    ) async throws -> ThirdPartyRiskReport {
        try authorizeUpload(by: actor)
        let period = try Self.period(from: from, to: to, today: CivilDate(instant: clock.now()))
        var v = Validator()
        v.require(title, field: "title", maxLength: Limits.title)
        v.require(assessor, field: "assessor", maxLength: Limits.assessor)
        v.limit(fileName, field: "file_name", maxLength: Limits.fileName)
        if pdf.isEmpty {
            v.fail("file", "required", zh: "请选择报告文件（PDF）", en: "Choose the report file (PDF)")
        } else if pdf.count > Limits.pdfBytes {
            v.fail("file", "max_bytes", zh: "报告文件不能超过 32 MB", en: "The report file must be at most 32 MB")
        } else if !pdf.starts(with: Array("%PDF-".utf8)) {
            v.fail("file", "pdf", zh: "报告文件应为 PDF（以 %PDF- 开头）", en: "The report file must be a PDF (starting with %PDF-)")
        }
        try v.check()
        let stored = try await files.put(pdf)
        let now = clock.now()
        let upload = ThirdPartyRiskReport(
            id: Identifier.make(at: now), periodFrom: period.from.description, periodTo: period.to.description,
            title: title!.trimmingCharacters(in: .whitespacesAndNewlines),
            assessor: assessor!.trimmingCharacters(in: .whitespacesAndNewlines),
            fileName: (fileName?.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0.isEmpty ? nil : $0 }
                ?? "risk-report-\(period.from)-\(period.to).pdf", size: stored.size, sha256: stored.sha256,
            sm3: Hex.encode(keyring.crypto.sm3(Data(pdf))), uploadedBy: actor.id, uploadedByName: actor.name,
            uploadedAt: Timestamp.format(now), nodeId: nodeId)
        try await repository.insert(
            upload,
            audit: AuditRecord(
                actor: actor, action: "risk_report.upload", objectType: "third_party_risk_report", objectId: upload.id,
                after: AuditJSON.encode([
                    "from": upload.periodFrom, "to": upload.periodTo, "assessor": upload.assessor, "sha256": upload.sha256,
                    "sm3": upload.sm3, "size": String(upload.size),
                ]), origin: origin))
        return upload
    }

    /// An uploaded report's file, for those who read risk reports.
    public func uploadFile(id: String, by actor: Principal) async throws -> (ThirdPartyRiskReport, [UInt8]) {
        try Policy.readRiskReports.check(actor)
        guard Identifier.isValid(id), let upload = try await repository.upload(id: id) else {
            throw DomainError.notFound("Third-party risk report", zh: "第三方风险评估报告")
        }
        return (upload, try await files.get(sha256: upload.sha256))
    }
}
