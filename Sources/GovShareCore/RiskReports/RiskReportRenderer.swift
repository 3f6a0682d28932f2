import Foundation

/// The report as an HTML fragment (stored with the report; the portal embeds it in a printable page). Every value is
/// escaped; the two charts are inline SVG drawn with attributes only (the portal's CSP allows no inline style).
public enum RiskReportRenderer {
    public static func html(_ c: RiskReportContent) -> String {
        var h = "<article class=\"risk-report\" id=\"risk-report-\(e(c.id))\">"
        h += "<h1>\(e(c.title))</h1>"
        h += "<p class=\"risk-meta\">报告期 Period: <b>\(e(c.periodFrom))</b> – <b>\(e(c.periodTo))</b> · 生成 Generated: \(e(c.generatedAt))"
        h += " · \(e(c.trigger == "scheduled" ? "定期 scheduled" : "按需 on demand")) · \(e(c.generatedBy)) · 节点 node \(e(c.nodeId))</p>"

        h += "<h2>发现 Findings (\(c.findings.count))</h2>"
        let bySeverity = RiskSeverity.allCases.reversed().map { s in
            (s.name.zh + " " + s.name.en, c.findings.filter { $0.severity == s }.count)
        }
        h += barChart(id: "chart-findings", title: "按严重程度 By severity", bars: bySeverity)
        h += table(
            ["严重程度 Severity", "部分 Section", "说明 Finding"],
            c.findings.map {
                [
                    "<span class=\"sev sev-\($0.severity.rawValue)\">\(e($0.severity.name.zh)) \(e($0.severity.name.en))</span>",
                    e($0.section), e($0.zh) + "<br><small>" + e($0.en) + "</small>",
                ]
            },
            raw: true)

        h += "<h2>登录失败与锁定 Failed sign-ins and lockouts</h2>"
        h += "<p>失败 failures: <b>\(c.signIns.failures)</b> · 锁定 lockouts: <b>\(c.signIns.lockouts)</b></p>"
        h += barChart(id: "chart-signins", title: "按原因 By reason", bars: c.signIns.byReason.map { ($0.name, $0.count) })
        h += table(["账号 Account", "次数 Count"], c.signIns.topAccounts.map { [$0.name, String($0.count)] })

        h += "<h2>异常读取量 Unusual read volumes</h2>"
        h += "<p>超过中位数 \(c.unusualReads.factor)× 的读取 reads above the median: <b>\(c.unusualReads.count)</b></p>"
        h += table(
            ["部门 Department", "资源 Dataset", "行数 Rows", "时间 Time", "审计序号 Audit seq"],
            c.unusualReads.reads.map { [$0.department, $0.entryCode, String($0.rows), $0.readAt, String($0.auditSeq)] })

        h += "<h2>授权 Grants</h2>"
        h += "<h3>\(c.grants.warningDays) 天内到期 Expiring within \(c.grants.warningDays) days (\(c.grants.nearExpiry.count))</h3>"
        h += table(["授权 Grant", "部门 Department", "资源 Dataset", "有效期至 Valid until"], c.grants.nearExpiry.map(grantRow))
        h += "<h3>报告期内未使用 Unused in the period (\(c.grants.unused.count))</h3>"
        h += table(["授权 Grant", "部门 Department", "资源 Dataset", "有效期至 Valid until"], c.grants.unused.map(grantRow))

        let g = c.gradedItems
        h += "<h2>敏感数据项的加密与脱敏 Graded items: encryption and masking</h2>"
        h +=
            "<p>3 级及以上为敏感数据项 Grade 3+ items are graded; 本节点自 \(g.encryptFromGrade) 级起加密 this node encrypts from grade \(g.encryptFromGrade). "
        h +=
            g.encryptionAvailable
            ? "含未加密敏感项的资源 Datasets with unencrypted graded items: \(g.datasetsWithoutKey.count)"
            : "本节点尚无数据密钥登记（不可用）：全部按未加密计 Data keys not available on this node: all counted as unencrypted"
        h += "</p>"
        h += table(["资源 Dataset", "数据项 Item", "分级 Grade"], g.unencrypted.map { [$0.entryCode, $0.item, String($0.grade)] })
        h += "<h3>经授权明文提供 Shared in clear under grants (\(g.clearGranted.count))</h3>"
        h += table(
            ["资源 Dataset", "数据项 Item", "分级 Grade", "授权 Grant"],
            g.clearGranted.map { [$0.entryCode, $0.item, String($0.grade), $0.grantId ?? ""] })

        h += "<h2>安全事件 Incidents</h2>"
        if c.incidents.available {
            h += "<p>未结 open: <b>\(c.incidents.open)</b> · 超时或迟报 overdue or reported late: <b>\(c.incidents.overdue.count)</b></p>"
            h += table(
                ["事件 Incident", "级别 Level", "状态 Status", "处置时限 Handling due", "迟报 Reported late"],
                c.incidents.overdue.map { [$0.title, $0.level, $0.status, $0.closeDueAt, $0.reportedLate ? "是 yes" : "否 no"] })
        } else {
            h += "<p class=\"not-available\">不可用 Not available: 本节点尚无安全事件登记 no incident register on this node</p>"
        }

        let a = c.audit
        h += "<h2>审计链与检查点 Audit chain and checkpoint</h2><ul>"
        h +=
            "<li>哈希链 Hash chain: <b>\(a.chainValid ? "完整 valid" : "校验失败 broken")</b>\(a.chainReason.map { " — " + e($0) } ?? "") · 最后条目 last entry \(a.lastSeq)</li>"
        if let seq = a.checkpointSeq {
            h +=
                "<li>最新检查点 Latest checkpoint: 条目 entry \(seq), \(e(a.checkpointTime ?? "")) · 签名 signature: <b>\(a.checkpointSignatureValid == true ? "有效 valid" : "无效 invalid")</b>"
            h += " · 与审计链 against the chain: <b>\(a.checkpointMatchesChain == true ? "一致 matches" : "不一致 differs")</b></li>"
        } else {
            h += "<li>尚无检查点 No checkpoint yet</li>"
        }
        h += "</ul>"

        let b = c.backups
        h += "<h2>备份 Backups</h2>"
        if !b.available {
            h += "<p class=\"not-available\">不可用 Not available: 本节点尚无备份登记 no backup register on this node</p>"
        } else if let at = b.latestFinishedAt {
            h +=
                "<p>最近备份 Newest backup: \(e(at)) · \(b.ageHours ?? 0) 小时前 hours ago · \(b.latestSizeBytes ?? 0) bytes · 应不超过 at most \(b.maxAgeHours) 小时 hours · 报告期内失败 failed in the period: \(b.failedInPeriod)</p>"
        } else {
            h += "<p>未登记任何备份 No backup registered</p>"
        }
        h += "</article>"
        return h
    }

    static func grantRow(_ g: RiskReportContent.GrantRow) -> [String] { [g.id, g.department, g.entryCode, g.validUntil] }

    static func table(_ head: [String], _ rows: [[String]], raw: Bool = false) -> String {
        guard !rows.isEmpty else { return "<p class=\"hint\">无 None</p>" }
        var t = "<table><thead><tr>" + head.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows { t += "<tr>" + row.map { "<td>\(raw ? $0 : e($0))</td>" }.joined() + "</tr>" }
        return t + "</tbody></table>"
    }

    /// A horizontal bar chart: one bar per label, scaled to the largest value.
    static func barChart(id: String, title: String, bars: [(String, Int)]) -> String {
        guard !bars.isEmpty else { return "" }
        let top = max(1, bars.map(\.1).max() ?? 1)
        let rowHeight = 22
        let height = bars.count * rowHeight + 28
        var s =
            "<figure class=\"risk-chart\" id=\"\(id)\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" height=\"\(height)\" viewBox=\"0 0 560 \(height)\" role=\"img\" aria-label=\"\(e(title))\">"
        s += "<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\">\(e(title))</text>"
        for (i, bar) in bars.enumerated() {
            let y = 24 + i * rowHeight
            let width = Int(Double(bar.1) / Double(top) * 300)
            s += "<text x=\"0\" y=\"\(y + 14)\" font-size=\"12\">\(e(String(bar.0.prefix(28))))</text>"
            s += "<rect x=\"200\" y=\"\(y + 3)\" width=\"\(max(width, bar.1 > 0 ? 2 : 0))\" height=\"14\" fill=\"#1f5fa8\"></rect>"
            s += "<text x=\"\(206 + width)\" y=\"\(y + 14)\" font-size=\"12\">\(bar.1)</text>"
        }
        return s + "</svg></figure>"
    }

    static func e(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
