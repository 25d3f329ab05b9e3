import ArgumentParser
import Foundation
import GlossCore
import GlossStore

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
