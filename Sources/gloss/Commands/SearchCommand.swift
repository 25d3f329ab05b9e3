import ArgumentParser
import Foundation
import GlossCore
import GlossStore

extension RecordKind: ExpressibleByArgument {}

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search documents, annotations (quotes, comments, claims) and notes, best matches first.",
        discussion: "Every word must occur; put a phrase in double quotes; end a word with * to match a prefix.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "Words to find.") var query: [String]
    @Option(help: "Only document, annotation or note.") var kind: RecordKind?
    @Option(help: "Only annotations and notes with this tag.") var tag: String?
    @Option(help: "Only this document, its annotations and notes citing it.") var doc: String?
    @Option(help: "At most this many results.") var limit = 50
    @Flag(help: "Print the results as JSON.") var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1, not \(limit)") }
    }

    func run() throws {
        let hits = try storeOptions.openToRead().search(SearchQuery(
            text: query.joined(separator: " "), kind: kind, tag: tag, document: doc, limit: limit))
        if json { return try Output.json(hits) }
        if hits.isEmpty { return print("No matches.") }
        for hit in hits {
            print("\(hit.kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(hit.id)  \(hit.title)")
            print("    " + AnnotationLine.oneLine(hit.snippet))
        }
    }
}
