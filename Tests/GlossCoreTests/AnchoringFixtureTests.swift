import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// One case of Fixtures/reanchoring/cases.json.
struct ReanchoringCase: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var original: String
    var revised: String
    var quote: String
    var status: String
    var passage: String?
    var testDescription: String { name }

    static let all: [ReanchoringCase] = {
        let url = GlossBinary.packageRoot.appendingPathComponent("Fixtures/reanchoring/cases.json")
        return (try? JSONDecoder().decode([ReanchoringCase].self, from: Data(contentsOf: url))) ?? []
    }()

    func texts() throws -> (ScalarText, ScalarText) {
        let root = GlossBinary.packageRoot
        let old = try String(contentsOf: root.appendingPathComponent(original), encoding: .utf8)
        let new = try String(contentsOf: root.appendingPathComponent("Fixtures/reanchoring").appendingPathComponent(revised), encoding: .utf8)
        return (ScalarText(old), ScalarText(new))
    }
}

/// Re-anchoring on revised copies of the seeds: each case asserts the status and the exact
/// passage, so an anchor on a wrong passage fails.
@Suite struct AnchoringFixtureTests {
    @Test func theFixturesAreThere() {
        #expect(ReanchoringCase.all.count >= 10)
    }

    @Test(arguments: ReanchoringCase.all)
    func reanchorsOnTheRevisedSeed(_ fixture: ReanchoringCase) throws {
        let (old, new) = try fixture.texts()
        let found = QuoteLocator.occurrences(of: fixture.quote, in: old)
        try #require(found.count == 1, "the quote must occur once in the original")
        let p = found[0].position
        let target = AnchorTarget(revision: "old", quote: TextQuoteSelector(text: old, start: p.start, end: p.end), position: p)
        let anchor = Reanchorer(revision: "new", text: new).anchor(target, diff: RevisionDiff(old: old.scalars, new: new.scalars))
        #expect(anchor.status.rawValue == fixture.status)
        #expect(anchor.position.map { new.slice($0.start, $0.end) } == fixture.passage)
    }

    @Test(arguments: ReanchoringCase.all)
    func withoutTheOldTextTheAnchorIsNeverWrong(_ fixture: ReanchoringCase) throws {
        // A replica that lacks the old revision can only search: it may find less, never wrongly.
        let (old, new) = try fixture.texts()
        let p = QuoteLocator.occurrences(of: fixture.quote, in: old)[0].position
        let target = AnchorTarget(revision: "old", quote: TextQuoteSelector(text: old, start: p.start, end: p.end), position: p)
        let anchor = Reanchorer(revision: "new", text: new).anchor(target, diff: nil)
        if let position = anchor.position {
            #expect(new.slice(position.start, position.end) == fixture.passage)
        }
    }
}
