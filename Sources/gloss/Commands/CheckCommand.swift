import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Exit 1 while orphans, anchors needing review, conflicts, or values out of range remain; 0 when all is clear.",
        discussion: """
            Values out of range are values another replica wrote that gloss's own commands refuse \
            (a credibility outside 1-6, an unknown motivation or grade, a date that is not a date): \
            they were stored as received, so replicas stay the same, and are shown as absent.
            """)

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openToRead()
        let attention = try store.annotationsNeedingAttention()
        let orphans = attention.filter { $0.anchor.status == .orphan }.count
        let review = attention.count - orphans
        let conflicts = try store.status().conflicts
        let invalid = try store.invalidValues()
        print("Orphans \(orphans), anchors needing review \(review), conflicts \(conflicts)")
        if !invalid.isEmpty {
            print("Values out of range, written by another replica and shown as absent: \(invalid.count)")
            for value in invalid {
                let fix = value.kind == .document
                    ? "gloss import --revise \(value.recordID) FILE --\(value.field) …` (FILE: the document's text)"
                    : "gloss edit \(value.recordID) --\(value.field) …`"
                print("  \(value.recordID) \(value.field) \(TerminalText.escapingControls(value.value).debugDescription): \(value.problem); set one with `\(fix)")
            }
        }
        if orphans + review + conflicts + invalid.count > 0 {
            if orphans + review > 0 { print("See them with `gloss orphans`.") }
            if conflicts > 0 { print("See conflicts with `gloss conflicts`.") }
            throw ExitCode(ExitStatus.attention)
        }
    }
}
