import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Examples of NFC offsets, selectors, quote lookup and the anchor steps.
@Suite struct AnchoringExampleTests {
    @Test func offsetsCountUnicodeScalarsOfTheNFCText() {
        // "é" typed decomposed (e + combining acute) is one scalar after NFC.
        let text = ScalarText("caf\u{65}\u{301} au lait")
        #expect(text.count == 12)
        #expect(text.slice(0, 4) == "café")
        // An emoji is one scalar (two UTF-16 units).
        #expect(ScalarText("a😀b").count == 3)
    }

    /// The scalar values are decoded from the UTF-8 directly: one-, two-, three- and four-byte
    /// scalars, at the start, middle and end, give what the string's scalar view gives.
    @Test func scalarValuesAreTheStringsUnicodeScalars() {
        for string in ["", "plain ASCII", "é", "naïve café – “quoted” ⟦x⟧ 😀 end", "😀", "ünïcödé 中文 𝄞 \u{0} \u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"] {
            let text = ScalarText(string)
            #expect(text.scalars == text.string.unicodeScalars.map(\.value), "\(string.debugDescription)")
            #expect(text.count == text.string.unicodeScalars.count)
        }
    }

    @Test func aQuoteSelectorKeepsAbout32ScalarsOfContext() {
        let text = ScalarText(String(repeating: "x", count: 50) + "PASSAGE" + String(repeating: "y", count: 50))
        let selector = TextQuoteSelector(text: text, start: 50, end: 57)
        #expect(selector.exact == "PASSAGE")
        #expect(selector.prefix == String(repeating: "x", count: 32))
        #expect(selector.suffix == String(repeating: "y", count: 32))
    }

    @Test func aQuoteTypedDecomposedIsFoundInTheNFCText() {
        let text = ScalarText("Le café est fermé.")
        let found = QuoteLocator.occurrences(of: "caf\u{65}\u{301}", in: text)
        #expect(found.map(\.position) == [TextPositionSelector(start: 3, end: 7)])
    }

    @Test func everyOccurrenceIsListedWithContext() {
        let text = ScalarText("one base here, another base there")
        let found = QuoteLocator.occurrences(of: "base", in: text)
        #expect(found.map(\.position.start) == [4, 23])
        #expect(found[1].context.contains("another «base» there"))
    }

    @Test func theClosestPassageIsSuggestedForAnAbsentQuote() throws {
        let text = ScalarText("The US believes there are between 3,000 and 6,000 soldiers at the base.")
        let closest = try #require(QuoteLocator.closestPassage(to: "between 3000 and 6000 soldier", in: text))
        #expect(closest.passage == "between 3,000 and 6,000 soldiers")
    }

    @Test func numbersAreReadAsWritten() {
        #expect(TextSimilarity.numbers(ScalarText("between 3,000 and 6,000 in 2016, 4.5 km.").scalars[...]) == ["3,000", "6,000", "2016", "4.5"])
    }

    /// A peer may send any integers as a position. Anchoring such a target never traps: the
    /// quote is still found by its text, on the same revision and through a diff alike, or it is
    /// an orphan. (start 1000, end 0 trapped in the approximate step, "Range requires
    /// lowerBound <= upperBound"; Int.min overflowed.)
    @Test func positionsOutOfRangeAreClampedNotTrapped() {
        let old = ScalarText("The US believes there are between 3,000 and 6,000 soldiers at the base near Latakia.")
        let new = ScalarText("Officials believe there are between 3,000 and 6,000 soldiers at the airbase near Latakia.")
        let diff = RevisionDiff(old: old.scalars, new: new.scalars)
        let quote = TextQuoteSelector(text: old, start: 26, end: 49)
        #expect(quote.exact == "between 3,000 and 6,000")
        let reworded = TextQuoteSelector(exact: "betwen 3,000 and 6,000 soldier", prefix: quote.prefix, suffix: quote.suffix)
        let hostile = [(1000, 0), (Int.min, Int.max), (Int.max, Int.min), (-5, -1), (Int.max - 1, Int.max), (40, 30)]
        for (start, end) in hostile {
            let position = TextPositionSelector(start: start, end: end)
            #expect(position.clamped.start >= 0 && position.clamped.start <= position.clamped.end)
            for (target, diff) in [
                (AnchorTarget(revision: "r1", quote: quote, position: position), nil),
                (AnchorTarget(revision: "r0", quote: quote, position: position), diff),
                (AnchorTarget(revision: "r0", quote: reworded, position: position), diff),
                (AnchorTarget(revision: "r0", quote: reworded, position: position), nil),
            ] {
                let anchor = Reanchorer(revision: "r1", text: new).anchor(target, diff: diff)
                if target.quote == quote {
                    #expect(anchor.position == TextPositionSelector(start: 28, end: 51), "\(start), \(end)")
                }
                if let p = anchor.position { #expect(0 <= p.start && p.start < p.end && p.end <= new.count) }
            }
        }
    }

    /// The heading "## 3.2. Russia" of seed 000 annotated as "Russia", then deleted while a
    /// paragraph moved up: the character diff mapped the heading's letters into "…exit of
    /// Russian forces", and the anchor was "mapped" there with score 1 (`gloss check` passed).
    /// A passage that cuts a word the quote did not, with none of the quote's context, is not it.
    @Test func aShortQuoteIsNotMappedIntoALongerWordAwayFromItsContext() throws {
        let seed = try String(contentsOf: GlossBinary.packageRoot.appendingPathComponent("seeds/000_3cbad4fa4e5a5cf2.txt"), encoding: .utf8)
        var paragraphs = seed.components(separatedBy: "\n\n")
        let moved = try #require(paragraphs.firstIndex { $0.hasPrefix("As of early 2025") })
        paragraphs.insert(paragraphs.remove(at: moved), at: 2)
        let revised = paragraphs.joined(separator: "\n\n").replacingOccurrences(of: "## 3.2. Russia\n\n", with: "")
        let old = ScalarText(seed), new = ScalarText(revised)
        let p = try #require(QuoteLocator.occurrences(of: "Russia", in: old).first).position
        #expect(old.slice(p.start - 8, p.end) == "## 3.2. Russia")
        let target = AnchorTarget(revision: "old", quote: TextQuoteSelector(text: old, start: p.start, end: p.end), position: p)
        let anchor = Reanchorer(revision: "new", text: new).anchor(target, diff: RevisionDiff(old: old.scalars, new: new.scalars))
        if let position = anchor.position {
            #expect(anchor.status == .fuzzy, "placed \(anchor.status) on \(new.slice(position.start - 20, position.end + 5).debugDescription)")
            #expect(new.slice(position.start, position.end + 1) != "Russian")
        }
        // The whole word, kept with its context, is still mapped as before.
        let kept = ScalarText(seed.replacingOccurrences(of: "As of early 2025", with: "As of early 2025 (updated)"))
        let same = Reanchorer(revision: "kept", text: kept).anchor(target, diff: RevisionDiff(old: old.scalars, new: kept.scalars))
        #expect(same.status == .mapped && same.position.map { kept.slice($0.start - 8, $0.end) } == "## 3.2. Russia")
    }

    @Test func anAnnotationRecordWithAPositionOutOfRangeIsViewedClamped() throws {
        var record = Record(id: "a-1", kind: .annotation)
        record.edit(by: ReplicaID.random(), at: 1) { e in
            e.set(FieldName.document, .string("d-1"))
            e.set(DomainField.revision, .string("r-1"))
            e.set(FieldName.exact, .string("x"))
            e.set(DomainField.start, .int(1000))
            e.set(DomainField.end, .int(Int64.min))
        }
        let annotation = try #require(Annotation(record))
        #expect(annotation.position == TextPositionSelector(start: 1000, end: 1000))
    }

    @Test func theSameRevisionGivesTheStoredPositionExactly() {
        let text = ScalarText("alpha beta gamma")
        let target = AnchorTarget(revision: "r1", quote: TextQuoteSelector(text: text, start: 6, end: 10), position: TextPositionSelector(start: 6, end: 10))
        #expect(Reanchorer(revision: "r1", text: text).anchor(target, diff: nil) == Anchor(position: target.position, status: .exact, score: 1))
    }

    @Test func anUnchangedQuoteThatOccursTwiceInTheSameContextIsAnOrphan() {
        // Two identical paragraphs: nothing tells them apart, so neither is chosen.
        let old = ScalarText("Intro.\nThe base has 50 jets.\nEnd.")
        let new = ScalarText("New intro.\nThe base has 50 jets.\nThe base has 50 jets.\nEnd.")
        let start = 7, end = 28
        let target = AnchorTarget(revision: "a", quote: TextQuoteSelector(text: old, start: start, end: end), position: TextPositionSelector(start: start, end: end))
        let anchor = Reanchorer(revision: "b", text: new).anchor(target, diff: nil)
        #expect(anchor.status == .orphan)
    }

    @Test func aLongDocumentWithAnInsertedParagraphMapsThroughTheDiff() {
        let paragraphs = (0..<2000).map { "Paragraph \($0) talks about base \($0 % 7) and troops.\n" }
        let old = ScalarText(paragraphs.joined())
        var revised = paragraphs
        revised.insert("A new paragraph.\n", at: 1000)
        let new = ScalarText(revised.joined())
        let start = old.string.unicodeScalars.count - 100
        let target = AnchorTarget(revision: "a", quote: TextQuoteSelector(text: old, start: start, end: start + 20), position: TextPositionSelector(start: start, end: start + 20))
        let anchor = Reanchorer(revision: "b", text: new).anchor(target, diff: RevisionDiff(old: old.scalars, new: new.scalars))
        #expect(anchor.status == .mapped)
        #expect(anchor.position?.start == start + 17)
    }
}

/// The marked text `gloss show` prints.
@Suite struct AnnotatedTextRendererTests {
    let text = ScalarText("Troops: between 3,000 and 6,000 — café.")

    @Test func plainMarksAreNumberedAndRemovingThemGivesTheText() {
        let marks = [
            AnnotatedTextRenderer.Mark(number: 1, position: TextPositionSelector(start: 8, end: 31)),
            AnnotatedTextRenderer.Mark(number: 2, position: TextPositionSelector(start: 34, end: 38)),
        ]
        let out = AnnotatedTextRenderer.render(text, marks: marks, color: false)
        #expect(out == "Troops: ⟦between 3,000 and 6,000⟧[1] — ⟦café⟧[2].")
        #expect(!out.contains("\u{1B}"))
    }

    @Test func overlappingAndAdjacentMarksStayReadable() {
        let marks = [
            AnnotatedTextRenderer.Mark(number: 1, position: TextPositionSelector(start: 0, end: 6)),
            AnnotatedTextRenderer.Mark(number: 2, position: TextPositionSelector(start: 6, end: 7)),
            AnnotatedTextRenderer.Mark(number: 3, position: TextPositionSelector(start: 0, end: 31)),
        ]
        let out = AnnotatedTextRenderer.render(text, marks: marks, color: false)
        #expect(out == "⟦⟦Troops⟧[1]⟦:⟧[2] between 3,000 and 6,000⟧[3] — café.")
    }

    @Test func colourUnderlinesAndResets() {
        let marks = [AnnotatedTextRenderer.Mark(number: 1, position: TextPositionSelector(start: 8, end: 31))]
        let out = AnnotatedTextRenderer.render(text, marks: marks, color: true)
        #expect(out.hasPrefix("Troops: \u{1B}[4;33mbetween 3,000 and 6,000\u{1B}[0m\u{1B}[2m[1]\u{1B}[0m"))
        #expect(!out.contains("⟦"))
    }
}
