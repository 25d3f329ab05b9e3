import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs", abstract: "List documents with source, dates, grade and annotation count.")

    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Print the list as JSON.") var json = false

    func run() throws {
        let summaries = try storeOptions.openToRead().documentSummaries()
        if json { return try Output.json(summaries) }
        if summaries.isEmpty { return print("No documents yet: add some with `gloss import FILE`.") }
        for s in summaries {
            let d = s.document
            print("\(d.id)  [\(d.grade ?? "-")]  \(s.annotations) annotation\(s.annotations == 1 ? "" : "s")  \(d.title)")
            var source: [String] = []
            if let p = d.publisher { source.append(p) }
            source.append("published \(d.published ?? "n.d.")")
            if let a = d.accessed { source.append("accessed \(a)") }
            print("    " + source.joined(separator: ", "))
        }
    }
}
