import Foundation

/// The actors of the period's events as a network in inline SVG (no script): actors on a circle, each a node sized by
/// its mentions, an edge for each pair with events, as wide as their number and coloured by their balance (green for
/// cooperation, red for conflict), with native tooltips (`<title>`) giving the figures.
struct NetworkChart {
    var width = 640.0
    var height = 440.0

    func svg(_ nodes: [ReportData.NetworkNode], _ edges: [ReportData.NetworkEdge]) -> String {
        let cx = width / 2, cy = height / 2, radius = min(width, height) / 2 - 70
        let n = max(1, nodes.count)
        let maxMentions = Double(max(1, nodes.map(\.mentions).max() ?? 1))
        let maxEvents = Double(max(1, edges.map(\.events).max() ?? 1))
        func angle(_ i: Int) -> Double { 2 * Double.pi * Double(i) / Double(n) - Double.pi / 2 }
        func point(_ i: Int) -> (Double, Double) { (cx + radius * cos(angle(i)), cy + radius * sin(angle(i))) }
        func size(_ i: Int) -> Double { 5 + 15 * (Double(nodes[i].mentions) / maxMentions).squareRoot() }
        var o =
            "<svg class=\"network\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"Network of the actors in events\">"
        for e in edges.sorted(by: { $0.events < $1.events }) {
            let (x1, y1) = point(e.a), (x2, y2) = point(e.b)
            let tip =
                "\(nodes[e.a].name) – \(nodes[e.b].name): \(e.events) event\(e.events == 1 ? "" : "s"), balance \(EventChart.signed(e.balance))"
            o +=
                "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(EventChart.color(e.balance))\" stroke-opacity=\"0.7\" stroke-width=\"\(f(1 + 5 * Double(e.events) / maxEvents))\" stroke-linecap=\"round\"><title>\(HTML.escape(tip))</title></line>"
        }
        for i in nodes.indices {
            let (x, y) = point(i)
            let r = size(i)
            o +=
                "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\" fill=\"#2c5d8a\" stroke=\"#fff\" stroke-width=\"1.5\"><title>\(HTML.escape(nodes[i].name)): \(nodes[i].mentions) mention\(nodes[i].mentions == 1 ? "" : "s")</title></circle>"
            let c = cos(angle(i)), s = sin(angle(i))
            let anchor = abs(c) < 0.2 ? "middle" : (c > 0 ? "start" : "end")
            let lx = x + (r + 5) * c, ly = y + (r + 5) * s + (abs(c) < 0.2 ? (s > 0 ? 10 : -2) : 4)
            o +=
                "<text x=\"\(f(lx))\" y=\"\(f(ly))\" text-anchor=\"\(anchor)\" class=\"node\">\(HTML.escape(nodes[i].name))</text>"
        }
        return o + "</svg>"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
