import Foundation

/// The sections of a risk report, each computed from what the platform holds, each with its findings.
extension RiskReportService {
    static let gradedFrom = 3

    func compute(id: String, from: CivilDate, to: CivilDate, trigger: String, by actor: Principal, now: Date) async throws
        -> RiskReportContent
    {
        let start = Self.instant(from)
        let end = Self.instant(to.adding(days: 1))
        let names = Dictionary(
            try await departments.list(DepartmentFilter()).map { ($0.id, $0.nameZh) }, uniquingKeysWith: { a, _ in a })
        let allDatasets = try await datasets.list()
        let codes = Dictionary(allDatasets.map { ($0.entryId, $0.entryCode) }, uniquingKeysWith: { a, _ in a })
        var findings: [RiskFinding] = []

        let signIns = try await signInSection(from: start, to: end, findings: &findings)
        let reads = try await exchange.unusualReads(from: start, to: end, factor: settings.unusualReadFactor)
        let unusual = RiskReportContent.UnusualReads(
            factor: settings.unusualReadFactor, count: reads.count,
            reads: reads.sorted { $0.rows > $1.rows }.prefix(20).map {
                .init(
                    auditSeq: $0.auditSeq, department: names[$0.departmentId] ?? $0.departmentId, entryCode: $0.entryCode,
                    rows: $0.rows, readAt: $0.readAt)
            })
        if !reads.isEmpty {
            findings.append(
                RiskFinding(
                    section: "unusual_reads", severity: reads.count >= 10 ? .high : .medium,
                    zh: "报告期内有 \(reads.count) 次读取的行数超过该部门同一资源中位数的 \(settings.unusualReadFactor) 倍",
                    en:
                        "\(reads.count) reads in the period exceeded \(settings.unusualReadFactor)× their department's median on the same dataset"
                ))
        }
        let today = CivilDate(instant: now)
        let grants = try await access.grants(departmentId: nil)
        let grantSection = try await grantSection(
            grants, codes: codes, names: names, from: start, to: end, periodEnd: to, today: today, findings: &findings)
        let graded = try await gradedSection(allDatasets, grants: grants, today: today, findings: &findings)
        let incidents = try await incidentSection(now: now, findings: &findings)
        let audit = try await auditSection(now: now, findings: &findings)
        let backups = try await backupSection(from: start, to: end, now: now, findings: &findings)
        findings.sort { ($0.severity.rank, $1.section) > ($1.severity.rank, $0.section) }
        return RiskReportContent(
            id: id, periodFrom: from.description, periodTo: to.description, generatedAt: Timestamp.format(now), trigger: trigger,
            generatedBy: actor.name, nodeId: nodeId, signIns: signIns, unusualReads: unusual, grants: grantSection,
            gradedItems: graded, incidents: incidents, audit: audit, backups: backups, findings: findings)
    }

    func signInSection(from: String, to: String, findings: inout [RiskFinding]) async throws -> RiskReportContent.SignIns {
        let counts = try await repository.signInFailures(from: from, to: to)
        let failures = counts.reduce(0) { $0 + $1.count }
        let lockouts = counts.filter { $0.reason == "lockout" }.reduce(0) { $0 + $1.count }
        func ranked(_ groups: [String: [SignInFailureCount]], limit: Int) -> [RiskReportContent.Count] {
            groups.map { .init(name: $0.key, count: $0.value.reduce(0) { $0 + $1.count }) }
                .sorted { ($0.count, $1.name) > ($1.count, $0.name) }.prefix(limit).map { $0 }
        }
        if failures > 0 {
            findings.append(
                RiskFinding(
                    section: "sign_ins", severity: failures >= 100 ? .high : failures >= 20 ? .medium : .low,
                    zh: "报告期内登录失败 \(failures) 次", en: "\(failures) failed sign-ins in the period"))
        }
        if lockouts > 0 {
            findings.append(
                RiskFinding(
                    section: "sign_ins", severity: .medium, zh: "报告期内账号因连续输错密码被锁定 \(lockouts) 次",
                    en: "Accounts were locked \(lockouts) times after repeated wrong passwords"))
        }
        return .init(
            failures: failures, lockouts: lockouts, byReason: ranked(Dictionary(grouping: counts, by: \.reason), limit: 20),
            topAccounts: ranked(Dictionary(grouping: counts, by: \.account), limit: 10))
    }

    func grantSection(
        _ grants: [Grant], codes: [String: String], names: [String: String], from: String, to: String, periodEnd: CivilDate,
        today: CivilDate, findings: inout [RiskFinding]
    ) async throws -> RiskReportContent.Grants {
        let read = try await repository.grantsRead(from: from, to: to)
        let active = grants.filter { $0.status == .active }
        func row(_ g: Grant) -> RiskReportContent.GrantRow {
            .init(
                id: g.id, department: names[g.departmentId] ?? g.departmentId, entryCode: codes[g.entryId] ?? g.entryId,
                validUntil: g.validUntil)
        }
        let horizon = today.adding(days: settings.grantWarningDays)
        let nearExpiry = active.filter { CivilDate($0.validUntil).map { $0 >= today && $0 <= horizon } ?? false }
            .sorted { $0.validUntil < $1.validUntil }.map(row)
        let unused = active.filter { $0.isInForce(on: periodEnd) && !read.contains($0.id) }.sorted { $0.id < $1.id }.map(row)
        if !nearExpiry.isEmpty {
            findings.append(
                RiskFinding(
                    section: "grants", severity: .low, zh: "\(nearExpiry.count) 项授权将在 \(settings.grantWarningDays) 天内到期",
                    en: "\(nearExpiry.count) grants expire within \(settings.grantWarningDays) days"))
        }
        if !unused.isEmpty {
            findings.append(
                RiskFinding(
                    section: "grants", severity: .low, zh: "\(unused.count) 项有效授权在报告期内未被使用，应核实是否仍需要",
                    en: "\(unused.count) grants in force were not used in the period; check whether they are still needed"))
        }
        return .init(warningDays: settings.grantWarningDays, nearExpiry: Array(nearExpiry.prefix(200)), unused: Array(unused.prefix(200)))
    }

    func gradedSection(_ all: [Dataset], grants: [Grant], today: CivilDate, findings: inout [RiskFinding]) async throws
        -> RiskReportContent.GradedItems
    {
        // Graded = sensitivity 3–4 (masked by default); each such item should be encrypted at rest whatever grade
        // `encrypt_from_grade` starts encryption from, so a higher setting shows here as a finding.
        let threshold = Self.gradedFrom
        let encrypted: [String: Set<String>]?
        switch try await repository.encryptedColumns() {
        case .unavailable: encrypted = nil
        case .value(let columns): encrypted = columns
        }
        func isEncrypted(_ d: Dataset, _ c: DatasetColumn) -> Bool { encrypted?[d.id]?.contains(c.column) ?? false }
        let withoutKey = all.filter { d in d.columns.contains { $0.sensitivity >= threshold && !isEncrypted(d, $0) } }
            .sorted { $0.entryCode < $1.entryCode }
        let unencrypted = withoutKey.flatMap { d in
            d.columns.filter { $0.sensitivity >= threshold && !isEncrypted(d, $0) }.map {
                RiskReportContent.GradedItem(entryCode: d.entryCode, item: $0.itemName, grade: $0.sensitivity)
            }
        }
        let byEntry = Dictionary(all.map { ($0.entryId, $0) }, uniquingKeysWith: { a, _ in a })
        let clear = grants.filter { $0.isInForce(on: today) }.flatMap { g -> [RiskReportContent.GradedItem] in
            guard let d = byEntry[g.entryId] else { return [] }
            return d.columns.filter { $0.sensitivity >= 3 && g.clearItems.contains($0.itemCode) }.map {
                .init(entryCode: d.entryCode, item: $0.itemName, grade: $0.sensitivity, grantId: g.id)
            }
        }
        if !unencrypted.isEmpty {
            findings.append(
                RiskFinding(
                    section: "graded_items", severity: unencrypted.contains { $0.grade >= 4 } ? .high : .medium,
                    zh: "\(withoutKey.count) 个资源的 \(unencrypted.count) 个 \(threshold) 级及以上数据项未加密存储",
                    en:
                        "\(unencrypted.count) items of grade \(threshold) or above in \(withoutKey.count) datasets are stored without encryption"
                ))
        }
        if !clear.isEmpty {
            findings.append(
                RiskFinding(
                    section: "graded_items", severity: .low, zh: "\(clear.count) 个敏感数据项经授权以明文（不脱敏）提供",
                    en: "\(clear.count) graded items are shared in clear (unmasked) under grants"))
        }
        return .init(
            encryptFromGrade: settings.encryptFromGrade, encryptionAvailable: encrypted != nil,
            datasetsWithoutKey: withoutKey.map(\.entryCode),
            unencrypted: Array(unencrypted.prefix(500)), clearGranted: Array(clear.prefix(500)))
    }

    func incidentSection(now: Date, findings: inout [RiskFinding]) async throws -> RiskReportContent.Incidents {
        guard case .value(let open) = try await repository.openIncidents() else {
            findings.append(
                RiskFinding(
                    section: "incidents", severity: .info, zh: "本节点尚无安全事件登记，无法评估事件报告时限",
                    en: "No incident register on this node: reporting deadlines cannot be assessed"))
            return .init(available: false, open: 0, overdue: [])
        }
        let nowText = Timestamp.format(now)
        let overdue = open.filter { $0.closeDueAt < nowText || $0.reportedLate }.map {
            RiskReportContent.OverdueIncident(
                id: $0.id, level: $0.level, title: $0.title, status: $0.status, closeDueAt: $0.closeDueAt, reportedLate: $0.reportedLate)
        }
        if !overdue.isEmpty {
            findings.append(
                RiskFinding(
                    section: "incidents", severity: .high, zh: "\(overdue.count) 起未结安全事件超过处置时限或迟报",
                    en: "\(overdue.count) open incidents are past their handling deadline or were reported late"))
        }
        return .init(available: true, open: open.count, overdue: Array(overdue.prefix(200)))
    }

    func backupSection(from: String, to: String, now: Date, findings: inout [RiskFinding]) async throws -> RiskReportContent.Backups {
        let maxAge = settings.backupMaxAgeHours
        guard case .value(let fact) = try await repository.backups(from: from, to: to) else {
            findings.append(
                RiskFinding(
                    section: "backups", severity: .high, zh: "本节点没有备份登记（不可用），未登记任何备份",
                    en: "No backup register on this node (not available): no backup is registered"))
            return .init(
                available: false, maxAgeHours: maxAge, latestFinishedAt: nil, latestSizeBytes: nil, ageHours: nil, failedInPeriod: 0)
        }
        let age = fact.latestFinishedAt.flatMap(Timestamp.parse).map { Int(now.timeIntervalSince($0) / 3600) }
        if let age {
            if age > maxAge {
                findings.append(
                    RiskFinding(
                        section: "backups", severity: .medium, zh: "最近一次完成的备份已是 \(age) 小时前（应不超过 \(maxAge) 小时）",
                        en: "The newest completed backup is \(age) hours old (at most \(maxAge) expected)"))
            }
        } else {
            findings.append(
                RiskFinding(section: "backups", severity: .high, zh: "未登记任何完成的备份", en: "No completed backup is registered"))
        }
        if fact.failedInPeriod > 0 {
            findings.append(
                RiskFinding(
                    section: "backups", severity: .low, zh: "报告期内有 \(fact.failedInPeriod) 次备份失败",
                    en: "\(fact.failedInPeriod) backups failed in the period"))
        }
        return .init(
            available: true, maxAgeHours: maxAge, latestFinishedAt: fact.latestFinishedAt, latestSizeBytes: fact.latestSizeBytes,
            ageHours: age, failedInPeriod: fact.failedInPeriod)
    }
}
