import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct ExportCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case w3c, markdown, json }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export annotations as W3C Web Annotation JSON-LD, a Markdown report with footnoted citations, or full JSON.",
        discussion: """
            Records are listed oldest first (records created in the same millisecond, such as \
            documents imported together, by ID), so replicas that synced the same records write \
            the same export, apart from the W3C collection's and the JSON export's replica ID.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "w3c, markdown or json.") var format: Format
    @Option(help: "Only this document.") var doc: String?
    @Option(help: "Only this note and what it cites.") var note: String?
    @Option(help: "Only annotations and notes with this tag.") var tag: String?
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var output: String?

    func run() throws {
        let store = try storeOptions.openToRead()
        let filter = ExportFilter(document: doc, note: note, tag: tag)
        let data: Data
        switch format {
        case .w3c: data = try W3CExport.export(store, filter: filter)
        case .markdown: data = Data(try MarkdownReport.export(store, filter: filter).utf8)
        case .json: data = try JSONExport.export(store, filter: filter)
        }
        guard let output else {
            print(String(decoding: data, as: UTF8.self), terminator: data.last == 0x0A ? "" : "\n")
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw GlossError(.io, "cannot write \(output): \(error.localizedDescription)")
        }
        Output.note("Wrote \(format.rawValue) export to \(output)")
    }
}
