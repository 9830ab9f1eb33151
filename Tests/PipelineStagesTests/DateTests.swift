import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// DATE entities and their values for `text` in an article of `date`.
func dates(_ text: String, date: String?) throws -> [String] {
    let p = try builtPipeline(
        "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract dates\nwrite jsonl path=\"-\"\n")
    var d = Document(id: "t", text: text, date: date)
    for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
    return (d.entities ?? []).filter { $0.type == "DATE" }.map { e in
        "\(e.text)=\(e.attributes["value"]?.stringValue ?? "?")"
    }
}

@Suite struct DateTests {
    @Test func sentencesWithoutATriggerWordAreSkippedButEveryFormStillMatches() throws {
        func may(_ w: String) -> Bool {
            DateTriggers.mayStartDate(Array(w.unicodeScalars), Span(start: 0, end: w.unicodeScalars.count))
        }
        for w in ["2020", "2019-03-14", "Friday", "Aug.", "SEPTEMBER", "ago", "year", "yesterday", "week"] {
            #expect(may(w), "\(w)")
        }
        for w in ["1.5", "300", "12,000", "the", "in", "last", "Mayor", "2020s", "Année"] { #expect(!may(w), "\(w)") }
        // Sentences full of figures but no date give none; each date form is still found beside them.
        #expect(try dates("Shares rose 1.5 pct to 300 dlrs on volume of 12,000.", date: "2020-09-03") == [])
        #expect(
            try dates("Shares rose 1.5 pct to 300 dlrs in 1987, three years ago.", date: "2020-09-03") == [
                "1987=1987", "three years ago=2017",
            ])
    }

    @Test func absoluteDates() throws {
        #expect(
            try dates(
                "Talks began on August 26 and ended 2 September 2020. The deal of 2019-03-14 expired in 2021.",
                date: "2020-09-03") == [
                    "August 26=2020-08-26", "2 September 2020=2020-09-02", "2019-03-14=2019-03-14", "2021=2021",
                ])
        #expect(
            try dates("Prices fell in August 2020 and on Nov. 20, 2026.", date: nil) == [
                "August 2020=2020-08", "Nov. 20, 2026=2026-11-20",
            ])
    }

    @Test func relativeDatesResolveAgainstTheDocumentDate() throws {
        // 2020-09-03 is a Thursday.
        #expect(
            try dates("He arrived on Friday and left yesterday. Two days ago the talks stalled.", date: "2020-09-03")
                == ["Friday=2020-08-28", "yesterday=2020-09-02", "Two days ago=2020-09-01"])
        #expect(
            try dates("Talks will resume on Monday and next week, and again next month.", date: "2020-09-03") == [
                "Monday=2020-09-07", "next week=2020-W37", "next month=2020-10",
            ])
        #expect(
            try dates("Last year and last Thursday were hard.", date: "2020-09-03") == [
                "Last year=2019", "last Thursday=2020-08-27",
            ])
    }

    @Test func yearBoundaries() throws {
        #expect(
            try dates("The deal was signed last December and took effect on December 28.", date: "2021-01-05") == [
                "last December=2020-12", "December 28=2020-12-28",
            ])
        #expect(
            try dates("Elections are due next January, and a review on January 3.", date: "2020-12-20") == [
                "next January=2021-01", "January 3=2021-01-03",
            ])
        #expect(try dates("Last week was quiet.", date: "2021-01-02") == ["Last week=2020-W52"])
    }

    @Test func withoutADocumentDateRelativeDatesHaveNoValue() throws {
        #expect(try dates("He left on Friday.", date: nil) == ["Friday=?"])
        #expect(try dates("She may come; they march.", date: "2020-05-01").isEmpty)
    }
}
