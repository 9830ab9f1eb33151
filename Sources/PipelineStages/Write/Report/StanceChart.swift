import Foundation

/// An actor's stance over the report's days as inline SVG (no script, no font fetched): the daily mean as dots (size by
/// articles, colour by sign), the rolling mean as a line, articles per day as bars in a strip below, a zero line, and
/// native tooltips (`<title>`) with the figures.
struct StanceChart {
    var width = 360.0
    var height = 170.0

    func svg(_ series: [ReportData.DayPoint], actor: String, window: Int) -> String {
        let left = 26.0, right = 6.0, top = 8.0, plot = 100.0, stripTop = top + plot + 6, strip = 30.0
        let pw = width - left - right
        let n = max(1, series.count)
        func x(_ i: Int) -> Double { left + (Double(i) + 0.5) * pw / Double(n) }
        func y(_ value: Double) -> Double { top + (1 - max(-1, min(1, value))) / 2 * plot }
        var o =
            "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"Stance toward \(HTML.escape(actor)) by day\">"
        o += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(pw))\" height=\"\(f(plot / 2))\" fill=\"#eef7f2\"/>"
        o +=
            "<rect x=\"\(f(left))\" y=\"\(f(top + plot / 2))\" width=\"\(f(pw))\" height=\"\(f(plot / 2))\" fill=\"#fbeeee\"/>"
        for (v, label) in [(1.0, "+1"), (0.5, "+.5"), (0.0, "0"), (-0.5, "−.5"), (-1.0, "−1")] {
            o +=
                "<line x1=\"\(f(left))\" x2=\"\(f(left + pw))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"\(v == 0 ? "#777" : "#d5d5d5")\" stroke-width=\"\(v == 0 ? "1.2" : "0.6")\"/>"
            o += "<text x=\"\(f(left - 4))\" y=\"\(f(y(v) + 3.5))\" text-anchor=\"end\" class=\"tick\">\(label)</text>"
        }
        // Articles per day.
        let maxN = max(1, series.map(\.articles).max() ?? 1)
        let bw = max(1, pw / Double(n) * 0.6)
        for (i, p) in series.enumerated() where p.articles > 0 {
            let h = strip * Double(p.articles) / Double(maxN)
            o +=
                "<rect x=\"\(f(x(i) - bw / 2))\" y=\"\(f(stripTop + strip - h))\" width=\"\(f(bw))\" height=\"\(f(h))\" fill=\"#b8c4cf\"><title>\(p.day): \(p.articles) article\(p.articles == 1 ? "" : "s")</title></rect>"
        }
        o +=
            "<line x1=\"\(f(left))\" x2=\"\(f(left + pw))\" y1=\"\(f(stripTop + strip))\" y2=\"\(f(stripTop + strip))\" stroke=\"#999\" stroke-width=\"0.6\"/>"
        // The rolling mean, broken where a window holds no article.
        o += Self.rollingLine(series.indices.map { i in series[i].rolling.map { (x(i), y($0)) } })
        // The daily means.
        for (i, p) in series.enumerated() {
            guard let s = p.score else { continue }
            let r = 2.5 + min(4.5, Double(p.articles).squareRoot() * 1.5)
            let tip =
                "\(p.day): mean \(Self.signed(s)) over \(p.articles) article\(p.articles == 1 ? "" : "s")"
                + (p.rolling.map { "; \(window)-day mean \(Self.signed($0))" } ?? "")
            o +=
                "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(s)))\" r=\"\(f(r))\" fill=\"\(Self.color(s))\" stroke=\"#fff\" stroke-width=\"1\"><title>\(HTML.escape(tip))</title></circle>"
        }
        // Day labels, at most about seven.
        let every = max(1, Int((Double(n) / 6).rounded(.up)))
        for (i, p) in series.enumerated() where (n - 1 - i) % every == 0 {
            o +=
                "<text x=\"\(f(x(i)))\" y=\"\(f(height - 4))\" text-anchor=\"middle\" class=\"tick\">\(Self.shortDay(p.day))</text>"
        }
        return o + "</svg>"
    }

    /// A dark line through the points, broken at each nil (a window with nothing in it).
    static func rollingLine(_ points: [(Double, Double)?]) -> String {
        var o = ""
        var run: [String] = []
        func flush() {
            if run.count > 1 {
                o +=
                    "<polyline points=\"\(run.joined(separator: " "))\" fill=\"none\" stroke=\"#2c3e50\" stroke-width=\"2\" stroke-linejoin=\"round\"/>"
            }
            run = []
        }
        for p in points {
            if let (x, y) = p { run.append(String(format: "%.1f,%.1f", x, y)) } else { flush() }
        }
        flush()
        return o
    }

    /// `#1a7f5a` for favourable, `#c0392b` for hostile, grey near zero.
    static func color(_ value: Double) -> String { value > 0.05 ? "#1a7f5a" : (value < -0.05 ? "#c0392b" : "#7f8c8d") }

    /// `+0.42`, `−0.31`, `0.00`.
    static func signed(_ value: Double) -> String {
        let v = String(format: "%.2f", abs(value))
        return v == "0.00" ? v : (value > 0 ? "+" : "−") + v
    }

    /// `2026-11-20` → `Nov 20`.
    static func shortDay(_ day: String) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let p = day.split(separator: "-")
        guard p.count == 3, let m = Int(p[1]), (1...12).contains(m), let d = Int(p[2]) else { return day }
        return "\(months[m - 1]) \(d)"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
