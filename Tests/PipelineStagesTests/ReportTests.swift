import Foundation
import GRDB
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Articles written for these tests over two days from two sources; one title needs escaping.
private func writeReportArticles(_ dir: TempDir, day: Int) throws {
    if day == 1 {
        try dir.write(
            "day1/a.txt",
            """
            Iraq and France sign a <defence> deal & more
            Date: 2026-11-20
            Source: North Wire

            Iraq and France signed a defence agreement in Baghdad on Friday. French Defence Minister Claire Duval praised \
            Iraq for its courage. "France stands ready to help Iraq," Duval said.
            """)
        try dir.write(
            "day1/b.txt",
            """
            Turkey strikes targets in northern Iraq
            Date: 2026-11-20
            Source: South Daily

            Turkey attacked villages in northern Iraq on Friday. Iraq condemned the strikes and accused Turkey of \
            violating its sovereignty.
            """)
    } else {
        try dir.write(
            "day2/c.txt",
            """
            Iraq welcomes talks with Turkey
            Date: 2026-11-21
            Source: South Daily

            Iraq welcomed new talks with Turkey on Saturday and praised France for its support.
            """)
    }
}

private func reportPipeline(_ dir: TempDir, input: String) throws -> Pipeline {
    try builtPipeline(
        """
        load files path="\(dir.path(input))"
        extract sentences
        extract tokens
        extract entities
        extract quotes
        extract events
        summarize lead sentences=1
        stance lexicon
        write sqlite path="\(dir.path("out/s.sqlite"))"
        write report path="\(dir.path("out/r.html"))" store="\(dir.path("out/s.sqlite"))" top=5 window=2
        """)
}

@Suite struct ReportTests {
    @Test func reportIsSelfContainedAndShowsTheStoresHistory() throws {
        let dir = try TempDir()
        try writeReportArticles(dir, day: 1)
        try writeReportArticles(dir, day: 2)
        _ = try PipelineRunner(pipeline: try reportPipeline(dir, input: "day1")).run()
        let first = try dir.read("out/r.html")
        #expect(first.contains("Nov 20 – Nov 20 2026"))
        // A second day's run: the report is drawn from the store, so it shows both days.
        _ = try PipelineRunner(pipeline: try reportPipeline(dir, input: "day2")).run()
        let html = try dir.read("out/r.html")
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(html.contains("Nov 20 – Nov 21 2026 · 3 articles from 2 sources"))
        // A date far in the future (a misread year) does not move the period.
        try dir.write("day3/z.txt", "Odd date\nDate: 2999-01-01\nSource: North Wire\n\nIraq and France talked.\n")
        _ = try PipelineRunner(pipeline: try reportPipeline(dir, input: "day3")).run()
        #expect(
            try DatabaseQueue(path: dir.path("out/s.sqlite")).read {
                try String.fetchOne($0, sql: "SELECT MAX(day) FROM documents")
            } == "2999-01-01")
        #expect(try dir.read("out/r.html").contains("Nov 20 – Nov 21 2026 · 3 articles from 2 sources"))
        #expect(html.contains("2 runs stored"))
        // Nothing is fetched and nothing runs: no script, no external address, no font or image.
        for banned in ["<script", "http://", "https://", "@import", "url(", "<img", "<link", "<iframe"] {
            #expect(!html.contains(banned), "\(banned)")
        }
        // Text from the articles is escaped.
        #expect(html.contains("Iraq and France sign a &lt;defence&gt; deal &amp; more"))
        #expect(!html.contains("<defence>"))
        // Top actors, one chart each with a point per scored day, sources side by side, quotes, articles, co-occurrence.
        let iraqChart = try #require(html.range(of: "aria-label=\"Stance toward Iraq by day\""))
        let chart = String(html[iraqChart.lowerBound...].prefix(while: { $0 != "§" }).split(separator: "</svg>")[0])
        #expect(chart.contains("<title>2026-11-20: mean "))
        #expect(chart.contains("<title>2026-11-21: mean "))
        #expect(chart.contains("2-day mean"))
        #expect(chart.contains("<polyline"))
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == min(5, actorCount(html)))
        #expect(html.contains("<th>North Wire<br>") && html.contains("<th>South Daily<br>"))
        #expect(html.contains("Claire Duval <span class=\"muted small\">1 quote</span>"))
        #expect(html.contains("“France stands ready to help Iraq”"))
        #expect(html.contains("<h4>Iraq welcomes talks with Turkey</h4>"))
        #expect(html.contains("id=\"together\""))
        // Newest day first among the articles.
        let c = try #require(html.range(of: "Iraq welcomes talks with Turkey</h4>")).lowerBound
        let b = try #require(html.range(of: "Turkey strikes targets in northern Iraq</h4>")).lowerBound
        #expect(c < b)
        // Events: a chart per pair with the day's balance (the agreement on the 20th, the praise on the 21st), the
        // network, and the last day's strongest events with their sentences.
        #expect(html.contains("<section id=\"events\">"))
        let pairChart = try #require(
            html.range(of: "aria-label=\"Events between Iraq and France by day\"")
                ?? html.range(of: "aria-label=\"Events between France and Iraq by day\""))
        let events = String(html[pairChart.lowerBound...].split(separator: "</svg>")[0])
        #expect(events.contains("<title>2026-11-20: 1 event, balance +8.0; 2-day mean +8.0</title>"))
        #expect(events.contains("<title>2026-11-21: 1 event, balance +3.4; 2-day mean +5.7</title>"))
        #expect(html.contains("<svg class=\"network\""))
        #expect(
            html.contains("<title>Iraq – France: 2 events, balance +11.4</title>")
                || html.contains("<title>France – Iraq: 2 events, balance +11.4</title>"))
        #expect(html.contains("<h3>The strongest events of Nov 21</h3>"))
        #expect(
            html.contains(
                "Iraq → France: praise (+3.4)</span> Iraq welcomed new talks with Turkey on Saturday and praised France"
            ))
    }

    @Test func eventSeriesSumsWeightsPerDayAndAveragesTheDaysWithEvents() {
        let days = ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]
        let s = ReportData.eventSeries(
            days, ["2026-11-20": (sum: 8.0, counts: [0, 0, 0, 0]), "2026-11-21": (sum: -2.0, counts: [0, 0, 1, 0])],
            window: 2)
        #expect(s.map(\.balance) == [8.0, -2.0, nil, nil])
        #expect(s.map(\.rolling) == [8.0, 3.0, -2.0, nil])
        #expect(s[1].counts == [0, 0, 1, 0] && s[2].counts == [0, 0, 0, 0])
    }

    @Test func rollingMeanIsWeightedByArticles() {
        let days = ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]
        let s = ReportData.series(days, ["2026-11-20": (sum: 1.0, n: 1), "2026-11-21": (sum: -1.5, n: 3)], window: 2)
        #expect(s.map(\.score) == [1.0, -0.5, nil, nil])
        #expect(s.map(\.articles) == [1, 3, 0, 0])
        #expect(s.map(\.rolling) == [1.0, -0.125, -0.5, nil])
    }

    @Test func missingStoreOrEmptyStoreIsExplained() throws {
        let dir = try TempDir()
        try dir.write("in.jsonl", "{\"id\":\"x\",\"text\":\"No date here.\"}\n")
        let p = try builtPipeline(
            """
            load jsonl path="\(dir.path("in.jsonl"))"
            write report path="\(dir.path("r.html"))" store="\(dir.path("none.sqlite"))"
            """)
        #expect(throws: RunError.self) { _ = try PipelineRunner(pipeline: p).run() }
        do { _ = try PipelineRunner(pipeline: p).run() } catch {
            #expect("\(error)".contains("none.sqlite: no store here; put `write sqlite path="))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path("r.html")))

        let q = try builtPipeline(
            """
            load jsonl path="\(dir.path("in.jsonl"))"
            write sqlite path="\(dir.path("s.sqlite"))"
            write report path="\(dir.path("r.html"))" store="\(dir.path("s.sqlite"))"
            """)
        _ = try PipelineRunner(pipeline: q).run()
        #expect(try dir.read("r.html").contains("The store holds no dated article yet"))
    }
}

/// Rows of the top-actors table.
private func actorCount(_ html: String) -> Int {
    guard let start = html.range(of: "id=\"actors\""), let end = html.range(of: "id=\"trends\"") else { return 0 }
    return html[start.upperBound..<end.lowerBound].components(separatedBy: "<tr><td>").count - 1
}
