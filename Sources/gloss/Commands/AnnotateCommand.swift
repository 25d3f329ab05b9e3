import ArgumentParser
import Foundation
import GlossCore
import GlossStore

extension Motivation: ExpressibleByArgument {}

struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Annotate a passage of a document, chosen by quote (--quote) or by offsets (--at START:END).",
        discussion: """
            A quote that occurs several times is refused with the list of occurrences (choose one \
            with --occurrence N); a quote that does not occur is refused with the closest passage. \
            Offsets count Unicode scalars of the NFC text, end exclusive.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The document (ID or unique prefix).") var document: String
    @Option(help: "The passage, as it appears in the text.") var quote: String?
    @Option(help: ArgumentHelp("The passage by offsets.", valueName: "start:end")) var at: String?
    @Option(help: "Which occurrence of the quote (1-based).") var occurrence: Int?
    @Option(help: "A comment.") var comment: String?
    @Option(help: "A tag (repeatable).") var tag: [String] = []
    @Option(help: "highlighting, commenting, tagging, assessing, questioning or linking.") var motivation: Motivation?
    @Option(help: "The claim made in the passage.") var claim: String?
    @Option(help: "Who made the claim.") var saidBy: String?
    @Option(help: "The claim's credibility 1–6 (1 confirmed … 6 cannot be judged).") var credibility: Int64?
    @Flag(help: "Print the annotation as JSON.") var json = false

    func run() throws {
        let selection: AnnotationRequest.Selection
        switch (quote, at) {
        case (let quote?, nil): selection = .quote(quote, occurrence: occurrence)
        case (nil, let at?):
            let parts = at.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let start = Int(parts[0]), let end = Int(parts[1]) else {
                throw GlossError(.invalidInput, "--at must be START:END in scalar offsets, e.g. --at 120:160, not \(at.debugDescription)")
            }
            selection = .range(start: start, end: end)
        default: throw GlossError(.invalidInput, "give exactly one of --quote TEXT or --at START:END")
        }
        let store = try storeOptions.open()
        let annotation = try store.annotate(AnnotationRequest(
            document: document, selection: selection, motivation: motivation, comment: comment, claim: claim,
            saidBy: saidBy, credibility: credibility, tags: tag))
        if json { return try Output.json(annotation) }
        print("Annotated \(annotation.id) on \(annotation.document) at \(annotation.position.start):\(annotation.position.end): “\(annotation.quote.exact)”")
    }
}

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change an annotation's comment, claim, credibility or motivation (an empty value clears).")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The annotation (ID or unique prefix).") var annotation: String
    @Option(help: "New comment (\"\" clears).") var comment: String?
    @Option(help: "New motivation.") var motivation: Motivation?
    @Option(help: "New claim (\"\" clears).") var claim: String?
    @Option(help: "Who made the claim (\"\" clears).") var saidBy: String?
    @Option(help: "Credibility 1–6 (0 clears).") var credibility: Int64?
    @Flag(help: "Print the annotation as JSON.") var json = false

    func run() throws {
        let store = try storeOptions.open()
        let edited = try store.editAnnotation(annotation, AnnotationChanges(
            motivation: motivation, comment: comment, claim: claim, saidBy: saidBy, credibility: credibility))
        if json { return try Output.json(edited) }
        print("Edited \(edited.id)")
    }
}

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Add (+tag) and remove (-tag) tags of an annotation or a note.",
        discussion: "Example: gloss tag a-3f9a +troops -draft")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The annotation or note (ID or unique prefix).") var id: String
    @Argument(parsing: .captureForPassthrough, help: "+tag to add, -tag to remove.") var changes: [String] = []

    func run() throws {
        var add: [String] = [], remove: [String] = []
        var options = storeOptions
        var rest = changes[...]
        while let change = rest.popFirst() {
            if change == "--store", let value = rest.popFirst() {
                options.store = value
            } else if change.hasPrefix("+") {
                add.append(String(change.dropFirst()))
            } else if change.hasPrefix("-") {
                remove.append(String(change.dropFirst()))
            } else {
                throw GlossError(.invalidInput, "\(change.debugDescription): write +tag to add a tag, -tag to remove one")
            }
        }
        let tags = try options.open().tag(id, add: add, remove: remove)
        print(tags.isEmpty ? "No tags now" : "Tags now: " + tags.map { "#\($0)" }.joined(separator: " "))
    }
}

struct RmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete an annotation, a note, or a document (with its annotations).",
        discussion: "Notes that cite a deleted annotation keep their own copy of the quote.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The record (ID or unique prefix).") var id: String

    func run() throws {
        let store = try storeOptions.open()
        let full = try store.resolveID(id)
        let (kind, count) = try store.delete(full)
        print("Deleted \(kind.rawValue) \(full)" + (count > 1 ? " and \(count - 1) record\(count == 2 ? "" : "s") of it" : ""))
    }
}
