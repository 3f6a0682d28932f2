import Foundation
import GovShareCore

/// The portal's charts (assessment, supervision), drawn on the server as inline SVG with attributes only (the portal's CSP allows no inline
/// style). Every label is escaped here. Bars use the class `col`, not `bar`: the portal's `.bar` rule styles
/// progress bars and would hide an SVG rect.
enum PortalCharts {
    static let bands: [(label: String, range: ClosedRange<Double>)] = [
        ("<60", 0...59.999), ("60–69", 60...69.999), ("70–79", 70...79.999), ("80–89", 80...89.999), ("90–100", 90...100),
    ]

    /// How many departments scored in each band.
    static func distribution(_ totals: [Double], title: String) -> String {
        let counts = bands.map { band in totals.filter { band.range.contains($0) }.count }
        let top = max(1, counts.max() ?? 1)
        let width = 420, height = 200, base = 170, barWidth = 60
        var s = svgOpen(id: "chart-distribution", width: width, height: height, title: title)
        s += "<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\">\(e(title))</text>"
        for (i, band) in bands.enumerated() {
            let x = 20 + i * 80
            let h = Int(Double(counts[i]) / Double(top) * 130)
            s += "<rect class=\"col\" x=\"\(x)\" y=\"\(base - h)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"#1f5fa8\"></rect>"
            s += "<text x=\"\(x + barWidth / 2)\" y=\"\(base - h - 4)\" font-size=\"12\" text-anchor=\"middle\">\(counts[i])</text>"
            s += "<text x=\"\(x + barWidth / 2)\" y=\"\(base + 16)\" font-size=\"12\" text-anchor=\"middle\">\(e(band.label))</text>"
        }
        return s + "</svg></figure>"
    }

    /// Each department's total, best first (at most `limit`).
    static func ranking(_ departments: [DepartmentAssessment], title: String, limit: Int = 30) -> String {
        let shown = Array(departments.prefix(limit))
        guard !shown.isEmpty else { return "" }
        let row = 20
        let height = shown.count * row + 28
        var s = svgOpen(id: "chart-ranking", width: 640, height: height, title: title)
        s += "<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\">\(e(title))</text>"
        for (i, d) in shown.enumerated() {
            let y = 24 + i * row
            let w = Int(d.total / 100 * 340)
            s += "<text x=\"0\" y=\"\(y + 13)\" font-size=\"12\">\(d.rank). \(e(String(d.departmentName.prefix(16))))</text>"
            s += "<rect class=\"col\" x=\"230\" y=\"\(y + 3)\" width=\"\(max(w, 1))\" height=\"13\" fill=\"#2e7d32\"></rect>"
            s += "<text x=\"\(236 + w)\" y=\"\(y + 13)\" font-size=\"12\">\(String(format: "%.2f", d.total))</text>"
        }
        return s + "</svg></figure>"
    }

    /// Totals over the published periods (oldest first), one line per department.
    static func trend(periods: [String], lines: [(name: String, totals: [Double?])], title: String) -> String {
        guard !periods.isEmpty, !lines.isEmpty else { return "" }
        let colours = ["#1f5fa8", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#455a64"]
        let left = 40, top = 24, plotW = 460, plotH = 160
        let height = top + plotH + 30 + lines.count * 16
        let step = periods.count > 1 ? plotW / (periods.count - 1) : 0
        func x(_ i: Int) -> Int { left + (periods.count > 1 ? i * step : plotW / 2) }
        func y(_ v: Double) -> Int { top + plotH - Int(v / 100 * Double(plotH)) }
        var s = svgOpen(id: "chart-trend", width: 620, height: height, title: title)
        s += "<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\">\(e(title))</text>"
        for v in stride(from: 0, through: 100, by: 25) {
            s += "<line x1=\"\(left)\" y1=\"\(y(Double(v)))\" x2=\"\(left + plotW)\" y2=\"\(y(Double(v)))\" stroke=\"#ddd\"></line>"
            s += "<text x=\"\(left - 6)\" y=\"\(y(Double(v)) + 4)\" font-size=\"11\" text-anchor=\"end\">\(v)</text>"
        }
        for (i, p) in periods.enumerated() {
            s += "<text x=\"\(x(i))\" y=\"\(top + plotH + 16)\" font-size=\"11\" text-anchor=\"middle\">\(e(p))</text>"
        }
        for (n, line) in lines.enumerated() {
            let colour = colours[n % colours.count]
            let points = line.totals.enumerated().compactMap { i, v in v.map { "\(x(i)),\(y($0))" } }
            if points.count > 1 {
                s +=
                    "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"></polyline>"
            }
            for (i, v) in line.totals.enumerated() {
                if let v { s += "<circle cx=\"\(x(i))\" cy=\"\(y(v))\" r=\"3\" fill=\"\(colour)\"></circle>" }
            }
            let ly = top + plotH + 30 + n * 16
            s += "<rect class=\"col\" x=\"\(left)\" y=\"\(ly - 9)\" width=\"10\" height=\"10\" fill=\"\(colour)\"></rect>"
            s += "<text x=\"\(left + 16)\" y=\"\(ly)\" font-size=\"12\">\(e(line.name))</text>"
        }
        return s + "</svg></figure>"
    }

    /// Horizontal bars with their values, e.g. open findings per rule.
    static func bars(id: String, title: String, _ bars: [(label: String, value: Int)]) -> String {
        guard !bars.isEmpty else { return "" }
        let top = max(1, bars.map(\.value).max() ?? 1)
        let row = 22
        let height = bars.count * row + 28
        var s = svgOpen(id: id, width: 640, height: height, title: title)
        s += "<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\">\(e(title))</text>"
        for (i, bar) in bars.enumerated() {
            let y = 24 + i * row
            let w = Int(Double(bar.value) / Double(top) * 300)
            s += "<text x=\"0\" y=\"\(y + 14)\" font-size=\"12\">\(e(String(bar.label.prefix(20))))</text>"
            s +=
                "<rect class=\"col\" x=\"260\" y=\"\(y + 3)\" width=\"\(max(w, bar.value > 0 ? 2 : 0))\" height=\"14\" fill=\"#c62828\"></rect>"
            s += "<text x=\"\(266 + w)\" y=\"\(y + 14)\" font-size=\"12\">\(bar.value)</text>"
        }
        return s + "</svg></figure>"
    }

    static func svgOpen(id: String, width: Int, height: Int, title: String) -> String {
        "<figure class=\"chart\" id=\"\(id)\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(e(title))\">"
    }

    static func e(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
