import Foundation
import PipelineCore

/// The report as one self-contained HTML page: inline CSS and SVG, no script, no font or image fetched, readable
/// without JavaScript, laid out for desktop and phone widths (tables scroll sideways inside their box on narrow screens).
struct ReportPage {
    var title: String
    var generated: Date

    func render(_ data: ReportData?) -> String {
        var o = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        o +=
            "<title>\(HTML.escape(title))</title>\n<style>\(Self.css)</style>\n</head>\n<body>\n<main class=\"wrap\">\n"
        o += "<header><h1>\(HTML.escape(title))</h1>"
        guard let d = data else {
            o +=
                "<p class=\"muted\">The store holds no dated article yet: run a pipeline that writes to it (write sqlite) first.</p></header>"
            return o + "</main>\n</body>\n</html>\n"
        }
        o +=
            "<p class=\"period\">\(StanceChart.shortDay(d.first)) – \(StanceChart.shortDay(d.last)) \(d.last.prefix(4)) · "
        o +=
            "\(d.articleCount) article\(d.articleCount == 1 ? "" : "s") from \(d.sourceCount) source\(d.sourceCount == 1 ? "" : "s") · "
        o += "\(d.actorCount) actors · \(d.runCount) run\(d.runCount == 1 ? "" : "s") stored</p>"
        o +=
            "<p class=\"muted\">Generated \(StoreWriter.timestamp(generated)). Stance runs from −1 (hostile) to +1 (favourable); "
        o +=
            "colours: <span class=\"neg\">hostile</span>, <span class=\"neu\">neutral</span>, <span class=\"pos\">favourable</span>.</p>"
        o += "<nav><a href=\"#actors\">Top actors</a><a href=\"#trends\">Trends</a><a href=\"#events\">Events</a>"
        o += "<a href=\"#sources\">Sources</a>"
        o +=
            "<a href=\"#quotes\">Quotes</a><a href=\"#articles\">Articles</a><a href=\"#together\">Co-occurrence</a></nav></header>\n"
        o += actorsTable(d) + trends(d) + events(d) + sources(d) + quotes(d) + articles(d) + cooccurrence(d)
        o +=
            "<footer class=\"muted\">Made by pipeline (write report) from its SQLite store. No script, font or image is loaded from anywhere.</footer>\n"
        return o + "</main>\n</body>\n</html>\n"
    }

    // MARK: sections

    private func actorsTable(_ data: ReportData) -> String {
        var o = "<section id=\"actors\"><h2>Top actors</h2>"
        guard !data.actors.isEmpty else { return o + "<p class=\"muted\">No actors in this period.</p></section>\n" }
        o += "<div class=\"scroll\"><table><thead><tr><th>Actor</th><th>Type</th><th class=\"num\">Articles</th>"
        o += "<th class=\"num\">Mentions</th><th>Average stance</th><th class=\"num\">+ / −</th></tr></thead><tbody>"
        for a in data.actors {
            o +=
                "<tr><td><a href=\"#trend-\(a.id)\">\(HTML.escape(a.name))</a></td><td>\(HTML.escape(Self.typeName(a.type)))</td>"
            o +=
                "<td class=\"num\">\(a.articles)</td><td class=\"num\">\(a.mentions)</td><td>\(scoreBar(a.score, scored: a.scored))</td>"
            o +=
                "<td class=\"num\"><span class=\"pos\">\(a.positive)</span> / <span class=\"neg\">\(a.negative)</span></td></tr>"
        }
        return o + "</tbody></table></div></section>\n"
    }

    private func trends(_ data: ReportData) -> String {
        var o = "<section id=\"trends\"><h2>Stance over time</h2>"
        o +=
            "<p class=\"muted\">Dots: the day's mean stance (larger for more articles). Line: the mean over the last \(data.limits.window) days. Bars: articles per day.</p>"
        o += "<div class=\"cards\">"
        let chart = StanceChart()
        for a in data.actors {
            o +=
                "<article class=\"card\" id=\"trend-\(a.id)\"><h3>\(HTML.escape(a.name)) <span class=\"muted small\">\(a.scored) scored article\(a.scored == 1 ? "" : "s")</span></h3>"
            o += chart.svg(a.series, actor: a.name, window: data.limits.window)
            if let w = a.warmest { o += evidence(w, label: "Most favourable") }
            if let c = a.coldest { o += evidence(c, label: "Most hostile") }
            o += "</article>"
        }
        return o + "</div></section>\n"
    }

    private func events(_ data: ReportData) -> String {
        var o = "<section id=\"events\"><h2>Events between actors</h2>"
        guard data.eventCount > 0 else {
            return o
                + "<p class=\"muted\">No events in this period (a pipeline with extract events before write sqlite stores them).</p></section>\n"
        }
        o +=
            "<p class=\"muted\">Who did what to whom (extract events): \(data.eventCount) event\(data.eventCount == 1 ? "" : "s") in the period, "
        o +=
            "each weighted from −10 (most conflictual) to +10 (most cooperative); negated and hypothetical events are left out. "
        o += "Bars: events per day by kind, "
        for (k, q) in Event.Quad.allCases.enumerated() {
            o +=
                "<span class=\"swatch\" style=\"background:\(EventChart.quadColors[k])\"></span>\(q.rawValue.replacingOccurrences(of: "_", with: " "))\(k < 3 ? ", " : ". ")"
        }
        o += "Dots: the day's sum of weights; line: its mean over the last \(data.limits.window) days with events.</p>"
        if data.network.count > 1 {
            o += "<h3>Network</h3><p class=\"muted small\">Actors sized by mentions; a line for each pair with events, "
            o += "wider for more, <span class=\"pos\">green</span> when their balance is cooperative, "
            o += "<span class=\"neg\">red</span> when it is conflictual.</p>"
            o += NetworkChart().svg(data.network, data.networkEdges)
        }
        o += "<h3>Pairs with the most events</h3><div class=\"cards\">"
        let chart = EventChart()
        for p in data.eventPairs {
            let pair = "\(p.a) and \(p.b)"
            o +=
                "<article class=\"card\"><h3>\(HTML.escape(p.a)) ↔ \(HTML.escape(p.b)) <span class=\"muted small\">\(p.events) event\(p.events == 1 ? "" : "s"), balance <span class=\"\(p.balance < 0 ? "neg" : "pos")\">\(EventChart.signed(p.balance))</span></span></h3>"
            o += chart.svg(p.series, pair: pair, window: data.limits.window)
            for e in p.strongest { o += eventQuote(e) }
            o += "</article>"
        }
        o += "</div>"
        if !data.latestEvents.isEmpty {
            o += "<h3>The strongest events of \(StanceChart.shortDay(data.last))</h3>"
            for e in data.latestEvents { o += eventQuote(e) }
        }
        return o + "</section>\n"
    }

    private func eventQuote(_ e: ReportData.EventItem) -> String {
        "<blockquote class=\"evidence\"><span class=\"small \(e.weight < 0 ? "neg" : "pos")\">\(HTML.escape(e.source)) → \(HTML.escape(e.target)): "
            + "\(HTML.escape(e.action)) (\(EventChart.signed(e.weight)))</span> \(HTML.escape(e.sentence)) "
            + "<cite>\(HTML.escape(e.outlet)), \(StanceChart.shortDay(e.day)): \(HTML.escape(e.title))</cite></blockquote>"
    }

    private func evidence(_ e: ReportData.Evidence, label: String) -> String {
        "<blockquote class=\"evidence\"><span class=\"small \(e.score > 0 ? "pos" : "neg")\">\(label) (\(StanceChart.signed(e.score)))</span> "
            + "\(HTML.escape(e.sentence)) <cite>\(HTML.escape(e.source)), \(StanceChart.shortDay(e.day)): \(HTML.escape(e.title))</cite></blockquote>"
    }

    private func sources(_ data: ReportData) -> String {
        var o = "<section id=\"sources\"><h2>How each source covers them</h2>"
        guard !data.sources.isEmpty, !data.actors.isEmpty else {
            return o + "<p class=\"muted\">Nothing to compare.</p></section>\n"
        }
        o +=
            "<p class=\"muted\">Mean stance toward each actor by source, with the number of articles; blank where a source did not score the actor.</p>"
        o += "<div class=\"scroll\"><table class=\"grid\"><thead><tr><th>Actor</th>"
        for s in data.sources {
            o += "<th>\(HTML.escape(s.name))<br><span class=\"muted small\">\(s.articles) articles</span></th>"
        }
        o += "</tr></thead><tbody>"
        for a in data.actors {
            o += "<tr><td>\(HTML.escape(a.name))</td>"
            for s in data.sources {
                if let v = a.bySource[s.name] {
                    o +=
                        "<td class=\"cell\" style=\"background:\(Self.tint(v.score))\"><b>\(StanceChart.signed(v.score))</b> <span class=\"small\">(\(v.articles))</span></td>"
                } else {
                    o += "<td class=\"cell empty\">–</td>"
                }
            }
            o += "</tr>"
        }
        return o + "</tbody></table></div></section>\n"
    }

    private func quotes(_ data: ReportData) -> String {
        var o = "<section id=\"quotes\"><h2>Who said what</h2>"
        guard !data.speakers.isEmpty else {
            return o + "<p class=\"muted\">No attributed quotes in this period.</p></section>\n"
        }
        o += "<div class=\"cards\">"
        for s in data.speakers {
            o +=
                "<article class=\"card\"><h3>\(HTML.escape(s.name)) <span class=\"muted small\">\(s.count) quote\(s.count == 1 ? "" : "s")</span></h3>"
            for q in s.quotes {
                let text = q.kind == .direct ? "“\(HTML.escape(q.text))”" : HTML.escape(q.text)
                o +=
                    "<blockquote>\(text) <cite>\(HTML.escape(q.source)), \(StanceChart.shortDay(q.day)): \(HTML.escape(q.title))</cite></blockquote>"
            }
            o += "</article>"
        }
        return o + "</div></section>\n"
    }

    private func articles(_ data: ReportData) -> String {
        var o = "<section id=\"articles\"><h2>Articles</h2>"
        var day = ""
        for a in data.articles {
            if a.day != day {
                if !day.isEmpty { o += "</div>" }
                day = a.day
                o += "<h3 class=\"day\">\(StanceChart.shortDay(day)) \(day.prefix(4))</h3><div class=\"articles\">"
            }
            o +=
                "<article class=\"item\"><h4>\(HTML.escape(a.title))</h4><p class=\"muted small\">\(HTML.escape(a.source))</p>"
            o += "<p>\(HTML.escape(a.summary))</p>"
            if !a.stances.isEmpty {
                o += "<p class=\"chips\">"
                for s in a.stances {
                    o +=
                        "<span class=\"chip\" style=\"border-color:\(StanceChart.color(s.score))\">\(HTML.escape(s.actor)) <b style=\"color:\(StanceChart.color(s.score))\">\(StanceChart.signed(s.score))</b></span>"
                }
                o += "</p>"
            }
            o += "</article>"
        }
        if !day.isEmpty { o += "</div>" }
        if data.articlesNotShown > 0 {
            o += "<p class=\"muted\">\(data.articlesNotShown) older articles of the period are not shown.</p>"
        }
        return o + "</section>\n"
    }

    private func cooccurrence(_ data: ReportData) -> String {
        var o = "<section id=\"together\"><h2>Actors mentioned together</h2>"
        guard data.actors.count > 1 else { return o + "<p class=\"muted\">Fewer than two actors.</p></section>\n" }
        o +=
            "<p class=\"muted\">Articles that mention both actors.</p><div class=\"scroll\"><table class=\"grid\"><thead><tr><th></th>"
        for a in data.actors { o += "<th class=\"rot\">\(HTML.escape(a.name))</th>" }
        o += "</tr></thead><tbody>"
        let maxN = max(1, data.cooccurrence.flatMap { $0 }.max() ?? 1)
        for (i, a) in data.actors.enumerated() {
            o += "<tr><td>\(HTML.escape(a.name))</td>"
            for j in data.actors.indices {
                if i == j { o += "<td class=\"cell empty\">·</td>"; continue }
                let n = data.cooccurrence[i][j]
                let alpha = n == 0 ? 0 : 0.12 + 0.6 * Double(n) / Double(maxN)
                o +=
                    "<td class=\"cell\" style=\"background:rgba(44,62,80,\(String(format: "%.2f", alpha)))\(alpha > 0.45 ? ";color:#fff" : "")\">\(n == 0 ? "" : String(n))</td>"
            }
            o += "</tr>"
        }
        return o + "</tbody></table></div></section>\n"
    }

    // MARK: pieces

    /// A bar from the middle: right and green for favourable, left and red for hostile, with the value.
    private func scoreBar(_ score: Double?, scored: Int) -> String {
        guard let s = score, scored > 0 else { return "<span class=\"muted\">not scored</span>" }
        let w = min(50, abs(s) * 50)
        let x = s >= 0 ? 50 : 50 - w
        return
            "<span class=\"bar\"><svg viewBox=\"0 0 100 10\" width=\"100\" height=\"10\" aria-hidden=\"true\"><rect width=\"100\" height=\"10\" fill=\"#eee\"/>"
            + "<rect x=\"\(String(format: "%.1f", x))\" width=\"\(String(format: "%.1f", max(0.8, w)))\" height=\"10\" fill=\"\(StanceChart.color(s))\"/>"
            + "<line x1=\"50\" x2=\"50\" y1=\"0\" y2=\"10\" stroke=\"#555\" stroke-width=\"1\"/></svg> <b>\(StanceChart.signed(s))</b></span>"
    }

    /// A background for a score: green or red, stronger for larger scores.
    static func tint(_ value: Double) -> String {
        let a = String(format: "%.2f", 0.08 + 0.5 * min(1, abs(value)))
        return value > 0.05 ? "rgba(26,127,90,\(a))" : (value < -0.05 ? "rgba(192,57,43,\(a))" : "#f2f2f2")
    }

    static func typeName(_ text: String) -> String {
        ["PER": "person", "ORG": "organisation", "LOC": "place or country", "MISC": "group or other"][text] ?? text
    }

    static let css = """
        :root{color-scheme:light}*{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d2731;background:#f6f7f9}
        .wrap{max-width:1180px;margin:0 auto;padding:16px}
        header h1{margin:.2em 0;font-size:1.7em}.period{font-size:1.05em;margin:.2em 0}
        nav{display:flex;flex-wrap:wrap;gap:6px 14px;margin:10px 0 4px}nav a{color:#2c5d8a;text-decoration:none;font-weight:600}
        section{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:14px 16px;margin:16px 0}
        h2{margin:0 0 8px;font-size:1.3em}h3{margin:0 0 6px;font-size:1.05em}h4{margin:0;font-size:1em}
        .muted{color:#66717d}.small{font-size:.85em;font-weight:normal}
        .pos{color:#1a7f5a}.neg{color:#c0392b}.neu{color:#7f8c8d}
        .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
        table{border-collapse:collapse;width:100%;font-size:.95em}
        th,td{padding:6px 8px;border-bottom:1px solid #eceff2;text-align:left;vertical-align:top;white-space:nowrap}
        th{font-weight:600;background:#fafbfc}.num{text-align:right;font-variant-numeric:tabular-nums}
        .grid td.cell{text-align:center;font-variant-numeric:tabular-nums}.grid td.empty{color:#aaa}
        .bar{display:inline-flex;align-items:center;gap:6px;font-variant-numeric:tabular-nums}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:14px}
        .card{border:1px solid #e6e9ed;border-radius:6px;padding:10px 12px;background:#fff;min-width:0}
        svg.chart,svg.chart-events{width:100%;height:auto;display:block}svg .tick{font-size:9px;fill:#66717d}
        svg.network{width:100%;max-width:760px;height:auto;display:block;margin:0 auto 8px}svg .node{font-size:12px;fill:#1d2731}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 3px 0 2px;vertical-align:-1px}
        blockquote{margin:8px 0 0;padding:4px 10px;border-left:3px solid #d0d6dc;font-size:.92em}
        blockquote.evidence{border-left-color:#b8c4cf}cite{display:block;font-style:normal;color:#66717d;font-size:.85em}
        .day{margin-top:14px;border-bottom:1px solid #e1e5ea;padding-bottom:4px}
        .articles{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px;margin-top:8px}
        .item{border:1px solid #eceff2;border-radius:6px;padding:10px 12px;min-width:0}.item p{margin:4px 0}
        .chips{display:flex;flex-wrap:wrap;gap:6px}.chip{border:1px solid;border-radius:12px;padding:0 8px;font-size:.85em;white-space:nowrap}
        footer{margin:20px 0 8px;font-size:.85em}
        @media (max-width:600px){.wrap{padding:8px}section{padding:10px}.cards,.articles{grid-template-columns:1fr}header h1{font-size:1.35em}th,td{padding:5px 6px}}
        """
}
