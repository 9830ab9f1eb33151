import Foundation
import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Pages written for these tests, shaped like real news sites.
enum Pages {
    static let para1 =
        "Iraq's defence minister met his French counterpart in Baghdad on Friday to discuss the purchase of helicopters, air-defence radars and training for Iraqi pilots, officials said."
    static let para2 =
        "The talks, the third round this year, come as the U.S.-led coalition reduces its presence, and France has sought a larger role in Iraq's security, according to diplomats in both capitals."
    static let para3 =
        "\"We are ready to help Iraq protect its skies,\" the French minister told reporters after the meeting, adding that a first contract could be signed before the end of the year."

    /// A modern article page: navigation, cookie banner, share bar, the article, related links, comments, footer.
    static let modern = """
        <!DOCTYPE html>
        <html lang="en-GB"><head>
        <meta charset="utf-8">
        <title>France and Iraq discuss arms deal | The Daily Wire</title>
        <meta property="og:site_name" content="The Daily Wire">
        <meta name="author" content="By Jane Roe">
        <link rel="canonical" href="https://example.com/world/france-iraq">
        <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
          "headline":"France and Iraq discuss arms deal","datePublished":"2026-11-20T09:30:00Z",
          "author":{"@type":"Person","name":"Jane Roe"},"publisher":{"@type":"Organization","name":"The Daily Wire"}}</script>
        <style>.x{color:red}</style>
        </head><body>
        <div class="cookie-banner">We use cookies to improve your experience. Accept all cookies, or manage your settings here.</div>
        <header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav></header>
        <main>
          <article class="story">
            <h1>France and Iraq discuss arms deal</h1>
            <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
            <p>\(para1)</p>
            <p>\(para2)</p>
            <figure><img src="a.jpg"></figure>
            <p>\(para3)</p>
            <script>trackReading();</script>
          </article>
          <aside class="related"><h2>Related</h2><ul><li><a href="/a">Iraq oil exports resume after deal with Kurdistan region</a></li>
            <li><a href="/b">Turkey strikes militants in northern Iraq, Baghdad protests</a></li></ul></aside>
          <section class="comments"><h3>Comments</h3><p>This is a reader comment that goes on for quite a while, saying many things, none of them news.</p></section>
        </main>
        <footer><p>Copyright 2026 The Daily Wire. All rights reserved. Terms, privacy, contact us, advertise with us.</p></footer>
        </body></html>
        """
}

@Suite struct HTMLLoaderTests {
    func load(_ dir: TempDir, _ name: String, _ html: String, options: String = "") throws -> ProcessedRecord {
        try dir.write(name, html)
        return try #require(try loadAll("load html path=\"\(dir.path(name))\" \(options)").first)
    }

    @Test func keepsTheArticleAndDropsThePageFurniture() throws {
        let dir = try TempDir()
        let d = try #require(try load(dir, "france-iraq.html", Pages.modern).document)
        #expect(d.id == "france-iraq")
        #expect(d.text == [Pages.para1, Pages.para2, Pages.para3].joined(separator: "\n\n"))
        #expect(d.title == "France and Iraq discuss arms deal")
        #expect(d.date == "2026-11-20")
        #expect(d.source == "The Daily Wire")
        #expect(d.meta["author"]?.stringValue == "Jane Roe")
        #expect(d.meta["url"]?.stringValue == "https://example.com/world/france-iraq")
        #expect(d.meta["language"]?.stringValue == "en-GB")
        #expect(d.meta["encoding"]?.stringValue == "UTF-8")
    }

    @Test func metadataFallsBackToMetaTagsAndTheTitleWithoutTheSiteName() throws {
        let dir = try TempDir()
        let html = """
            <html><head><title>Baghdad and Erbil agree on oil exports - Gulf Times</title>
            <meta property="og:site_name" content="Gulf Times">
            <meta property="article:published_time" content="2026-11-24T08:00:00+03:00">
            </head><body><div id="content"><p>\(Pages.para1)</p><p>\(Pages.para2)</p></div>
            <time datetime="2020-01-01">an older date elsewhere</time></body></html>
            """
        let d = try #require(try load(dir, "p.html", html).document)
        #expect(d.title == "Baghdad and Erbil agree on oil exports")
        #expect(d.date == "2026-11-24")
        #expect(d.text == Pages.para1 + "\n\n" + Pages.para2)
    }

    @Test func articleInsideNestedLayoutTables() throws {
        let dir = try TempDir()
        let html = """
            <html><body><table width="100%"><tr><td class="menu"><a href="/">Home</a><br><a href="/n">News</a><br><a href="/s">Sport</a></td>
            <td><table><tr><td><font size="2"><b>Baghdad talks</b><br><br>\(Pages.para1)<br><br>\(Pages.para2)<br><br>\(Pages.para3)</font></td></tr></table></td>
            <td class="ads"><a href="/ad">Cheap flights to anywhere, book now and save on your next holiday</a></td></tr></table></body></html>
            """
        let d = try #require(try load(dir, "tables.html", html).document)
        #expect(d.text.contains(Pages.para1) && d.text.contains(Pages.para2) && d.text.contains(Pages.para3))
        #expect(!d.text.contains("Cheap flights"))
        #expect(!d.text.contains("Sport"))
    }

    @Test func articleInMainWithoutArticleElementAndCommentSection() throws {
        let dir = try TempDir()
        let html = """
            <html><body><div class="topbar"><a href="/">Home</a> | <a href="/login">Log in</a></div>
            <main><div><p>\(Pages.para1)</p><p>\(Pages.para2)</p><p>\(Pages.para3)</p></div></main>
            <div id="disqus_thread"><div class="comment"><p>Reader one says: this is the best analysis of the region I have read all year, truly, thank you.</p></div></div>
            </body></html>
            """
        let d = try #require(try load(dir, "main.html", html).document)
        #expect(d.text == [Pages.para1, Pages.para2, Pages.para3].joined(separator: "\n\n"))
    }

    @Test func headingsListsAndQuotesInsideTheArticleAreKept() throws {
        let dir = try TempDir()
        let html = """
            <html><body><article><p>\(Pages.para1)</p><h2>What the deal covers</h2>
            <ul><li>Twelve Caracal helicopters, with spare parts and maintenance for ten years.</li><li>Air-defence radars for the capital, Basra and the western desert.</li></ul>
            <blockquote>We want partners, not patrons, the Iraqi minister said at the press conference on Friday.</blockquote>
            <p>\(Pages.para2)</p></article></body></html>
            """
        let d = try #require(try load(dir, "lists.html", html).document)
        #expect(d.text.contains("What the deal covers"))
        #expect(
            d.text.contains(
                "Twelve Caracal helicopters, with spare parts and maintenance for ten years.\nAir-defence radars"))
        #expect(d.text.contains("We want partners, not patrons"))
    }

    @Test func declaredAndUndeclaredLegacyCharsets() throws {
        let dir = try TempDir()
        // windows-1252 bytes: é = 0xE9, ’ = 0x92.
        let body =
            Array("<p>Le ministre fran".utf8) + [0xE7] + Array("ais a rencontr".utf8) + [0xE9]
            + Array(" son homologue irakien ".utf8) + [0x92] + Array(" Bagdad vendredi, pour parler d'h".utf8) + [0xE9]
            + Array("licopt".utf8) + [0xE8] + Array("res et de radars.</p>".utf8)
        try dir.write(
            "cs/declared.html",
            Array(
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body>"
                    .utf8) + body + Array("</body></html>".utf8))
        try dir.write("cs/undeclared.html", Array("<html><body>".utf8) + body + Array("</body></html>".utf8))
        let docs = try loadAll("load html path=\"\(dir.path("cs"))\"").compactMap(\.document)
        #expect(docs.count == 2)
        for d in docs {
            #expect(
                d.text
                    == "Le ministre français a rencontré son homologue irakien ’ Bagdad vendredi, pour parler d'hélicoptères et de radars."
            )
            #expect(d.meta["encoding"]?.stringValue == "windows-1252")
        }
        #expect(docs[0].meta["encoding_note"] == nil)
        #expect(docs[1].meta["encoding_note"]?.stringValue?.contains("no charset declared") == true)
    }

    @Test func brokenMarkupStillGivesTheText() throws {
        let dir = try TempDir()
        let html =
            "<html><body><div class=\"post-body\"><p>\(Pages.para1)<p>\(Pages.para2)<b>unclosed <i>tags</div><p>\(Pages.para3)"
        let d = try #require(try load(dir, "broken.html", html).document)
        #expect(d.text.contains(Pages.para1) && d.text.contains(Pages.para2) && d.text.contains("unclosed tags"))
    }

    @Test func aPageOfTeasersKeepsTheTeasersNotTheMenu() throws {
        let dir = try TempDir()
        let teasers = (1...6).map {
            "<div class=\"teaser\"><h3><a href=\"/s\($0)\">Story \($0)</a></h3><p>Summary of story \($0): officials met in the capital, discussed the budget, and agreed to meet again next week.</p></div>"
        }
        let html =
            "<html><body><nav><a href=\"/\">Home</a><a href=\"/w\">World</a></nav><div id=\"stories\">\(teasers.joined())</div></body></html>"
        let d = try #require(try load(dir, "front.html", html).document)
        for n in 1...6 { #expect(d.text.contains("Summary of story \(n)")) }
        #expect(!d.text.contains("World"))
    }

    @Test func binaryTruncatedTooLargeAndEmptyPagesAreFailuresNamingTheFile() throws {
        let dir = try TempDir()
        try dir.write("bad/garbage.html", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        try dir.write("bad/empty.html", "")
        try dir.write("bad/scripts-only.html", "<html><body><script>render()</script></body></html>")
        let gz = try dir.gzip("src/page.html", Pages.modern)
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: gz)))
        try dir.write("bad/cut.html.gz", Array(bytes.prefix(bytes.count / 2)))
        try dir.write(
            "bad/zzz-big.html",
            "<html><body><p>" + String(repeating: "A long page. ", count: 2_000) + "</p></body></html>")
        let r = try loadAll("load html path=\"\(dir.path("bad"))\" max_bytes=20000")
        #expect(r.count == 5)
        let messages = r.map { $0.failure?.message ?? "ok" }
        #expect(messages[0].contains("cut.html.gz") && messages[0].contains("truncated gzip"))
        #expect(messages[1].contains("empty.html"))
        #expect(messages[2].contains("garbage.html' is not an HTML page"))
        #expect(messages[3].contains("scripts-only.html' has no article text"))
        #expect(messages[4].contains("zzz-big.html' is larger than max_bytes=20000 bytes"))
        #expect(r[3].failure?.id == "scripts-only")
    }

    @Test func aHundredMegabytePageFailsFastUnderTheDefaultLimit() throws {
        let dir = try TempDir()
        let path = dir.path("huge.html")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let chunk = Data(("<p>" + String(repeating: "x", count: 1_048_572) + "</p>").utf8)
        for _ in 0..<100 { h.write(chunk) }
        try h.close()
        let r = try #require(try loadAll("load html path=\"\(path)\"").first)
        #expect(r.failure?.message.contains("larger than max_bytes=8000000") == true)
    }

    @Test func deepNestingIsCutAtMaxDepthWithANote() throws {
        let dir = try TempDir()
        let html =
            "<html><body><div class=\"article-body\"><p>\(Pages.para1)</p>" + String(repeating: "<div>", count: 50_000)
            + "deep text"
            + String(repeating: "</div>", count: 50_000) + "<p>\(Pages.para2)</p></div></body></html>"
        let d = try #require(try load(dir, "deep.html", html, options: "max_depth=64").document)
        #expect(d.text.contains(Pages.para1) && d.text.contains(Pages.para2))
        #expect(d.meta["extraction_note"]?.stringValue?.contains("max_depth=64") == true)
    }

    /// The bundled web samples (Scripts/make-web-samples: three site layouts) give back the sample articles exactly.
    @Test func theBundledPagesGiveBackTheSampleArticles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let texts = try loadAll("load files path=\"\(root)/Pipelines/samples\"").compactMap(\.document)
        let pages = try loadAll("load html path=\"\(root)/Pipelines/samples-web/pages\"").compactMap(\.document)
        #expect(texts.count == 20 && pages.count == 20)
        for (t, p) in zip(texts, pages) {
            #expect(p.id == t.id)
            #expect(p.text == t.text, "\(p.id)")
            #expect(p.title == t.title && p.date == t.date && p.source == t.source, "\(p.id)")
        }
        let items = try loadAll("load rss path=\"\(root)/Pipelines/samples-web/feed.xml\"").compactMap(\.document)
        #expect(items.map(\.title) == texts.map(\.title))
        #expect(items.map(\.date) == texts.map(\.date))
        #expect(zip(items, texts).allSatisfy { $0.text == $1.text.components(separatedBy: "\n\n")[0] })
    }

    @Test func jsonlRecordsWithAnHTMLField() throws {
        let dir = try TempDir()
        func line(_ id: String, _ html: String) throws -> String {
            let o: JSONValue = .object([
                "id": .string(id), "url": .string("https://example.com/\(id)"), "page": .string(html),
                "feed": .string("wire"),
            ])
            return o.jsonText
        }
        try dir.write(
            "pages.jsonl", try line("a", Pages.modern) + "\n" + (try line("b", "<p>")) + "\n{\"id\": \"c\"}\n")
        let r = try loadAll("load html path=\"\(dir.path("pages.jsonl"))\" html=\"page\"")
        #expect(r.count == 3)
        let a = try #require(r[0].document)
        #expect(a.id == "a" && a.text.hasPrefix(Pages.para1))
        #expect(a.meta["url"]?.stringValue == "https://example.com/a")
        #expect(a.meta["feed"]?.stringValue == "wire")
        #expect(a.title == "France and Iraq discuss arms deal")
        #expect(r[1].failure?.message.contains("pages.jsonl:2 (field 'page') has no article text") == true)
        #expect(
            r[2].failure?.message.contains("pages.jsonl:3: the record has no 'page' field with the page's HTML") == true
        )
    }
}
