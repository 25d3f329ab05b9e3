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
            Offsets count Unicode scalars of the NFC text, end exclusive; offsets that would cut \
            a character in two (inside a letter with combining marks, an emoji sequence or a flag) \
            are refused with the offsets that include it whole.
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
            if occurrence != nil { throw GlossError(.invalidInput, "--occurrence picks among the places a --quote occurs; it does not apply to --at") }
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
