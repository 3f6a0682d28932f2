import Foundation

/// A period as CSV: one row per department, total and rank, then each indicator's score (empty: not applicable).
/// Department names are text a department chose: formula-looking cells are neutralised like every CSV export.
public enum AssessmentExport {
    public static func csv(_ content: AssessmentContent) -> String {
        let indicators = AssessmentIndicator.allCases
        var lines = [
            CSVText.line(["period", "as_of", "scheme", "rank", "department_code", "department", "total"] + indicators.map(\.rawValue))
        ]
        for d in content.departments {
            let scores = indicators.map { i in d.score(i)?.score.map { String(format: "%.2f", $0) } ?? "" }
            lines.append(
                CSVText.exportLine(
                    [
                        content.period, content.asOf, content.schemeVersion, String(d.rank), d.departmentCode, d.departmentName,
                        String(format: "%.2f", d.total),
                    ] + scores))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
