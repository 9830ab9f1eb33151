import Foundation
import PipelineCore

/// An actor pair's events over the report's days as inline SVG (no script): the day's sum of event weights as dots
/// (colour by sign), the rolling mean of the daily sums as a line, the day's events by quad class as stacked bars in
/// a strip below, a zero line, and native tooltips (`<title>`) with the figures.
struct EventChart {
    var width = 360.0
    var height = 170.0

    /// Fill colours of the quad classes, in ``Event/Quad/allCases`` order: light and dark green for verbal and
    /// material cooperation, orange and red for verbal and material conflict.
    static let quadColors = ["#8fd3b6", "#1a7f5a", "#f0a35e", "#c0392b"]

    func svg(_ series: [ReportData.EventDay], pair: String, window: Int) -> String {
        let left = 30.0, right = 6.0, top = 8.0, plot = 100.0, stripTop = top + plot + 6, strip = 30.0
        let pw = width - left - right
        let n = max(1, series.count)
        let scale = max(1, series.compactMap { $0.balance.map(abs) }.max() ?? 1)
        func x(_ i: Int) -> Double { left + (Double(i) + 0.5) * pw / Double(n) }
        func y(_ value: Double) -> Double { top + (1 - max(-1, min(1, value / scale))) / 2 * plot }
        var o =
            "<svg class=\"chart-events\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"Events between \(HTML.escape(pair)) by day\">"
        o += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(pw))\" height=\"\(f(plot / 2))\" fill=\"#eef7f2\"/>"
        o +=
            "<rect x=\"\(f(left))\" y=\"\(f(top + plot / 2))\" width=\"\(f(pw))\" height=\"\(f(plot / 2))\" fill=\"#fbeeee\"/>"
        for v in [scale, 0, -scale] {
            o +=
                "<line x1=\"\(f(left))\" x2=\"\(f(left + pw))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"\(v == 0 ? "#777" : "#d5d5d5")\" stroke-width=\"\(v == 0 ? "1.2" : "0.6")\"/>"
            let label = v == 0 ? "0" : (v > 0 ? "+" : "−") + String(format: "%g", abs(v))
            o += "<text x=\"\(f(left - 4))\" y=\"\(f(y(v) + 3.5))\" text-anchor=\"end\" class=\"tick\">\(label)</text>"
        }
        // The day's events by quad class, stacked.
        let maxN = max(1, series.map { $0.counts.reduce(0, +) }.max() ?? 1)
        let bw = max(1, pw / Double(n) * 0.6)
        for (i, p) in series.enumerated() {
            var base = stripTop + strip
            for (k, c) in p.counts.enumerated() where c > 0 {
                let h = strip * Double(c) / Double(maxN)
                base -= h
                o +=
                    "<rect x=\"\(f(x(i) - bw / 2))\" y=\"\(f(base))\" width=\"\(f(bw))\" height=\"\(f(h))\" fill=\"\(Self.quadColors[k])\"><title>\(p.day): \(c) \(Event.Quad.allCases[k].rawValue.replacingOccurrences(of: "_", with: " ")) event\(c == 1 ? "" : "s")</title></rect>"
            }
        }
        o +=
            "<line x1=\"\(f(left))\" x2=\"\(f(left + pw))\" y1=\"\(f(stripTop + strip))\" y2=\"\(f(stripTop + strip))\" stroke=\"#999\" stroke-width=\"0.6\"/>"
        // The rolling mean, broken where a window holds no event.
        o += StanceChart.rollingLine(series.indices.map { i in series[i].rolling.map { (x(i), y($0)) } })
        // The daily sums.
        for (i, p) in series.enumerated() {
            guard let b = p.balance else { continue }
            let events = p.counts.reduce(0, +)
            let tip =
                "\(p.day): \(events) event\(events == 1 ? "" : "s"), balance \(Self.signed(b))"
                + (p.rolling.map { "; \(window)-day mean \(Self.signed($0))" } ?? "")
            o +=
                "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(b)))\" r=\"\(f(2.5 + min(4.5, Double(events).squareRoot() * 1.5)))\" fill=\"\(Self.color(b))\" stroke=\"#fff\" stroke-width=\"1\"><title>\(HTML.escape(tip))</title></circle>"
        }
        let every = max(1, Int((Double(n) / 6).rounded(.up)))
        for (i, p) in series.enumerated() where (n - 1 - i) % every == 0 {
            o +=
                "<text x=\"\(f(x(i)))\" y=\"\(f(height - 4))\" text-anchor=\"middle\" class=\"tick\">\(StanceChart.shortDay(p.day))</text>"
        }
        return o + "</svg>"
    }

    /// Green for cooperation, red for conflict, grey for none (the stance charts' colours).
    static func color(_ balance: Double) -> String { StanceChart.color(balance) }

    /// `+8.0`, `−10.0`, `0`.
    static func signed(_ value: Double) -> String {
        let v = String(format: "%.1f", abs(value))
        return v == "0.0" ? "0" : (value > 0 ? "+" : "−") + v
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
