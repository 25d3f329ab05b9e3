import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import plain-text or Markdown files as documents, or a new revision of one (--revise).",
        discussion: """
            Text is normalised to NFC and stored as a revision named by its SHA-256. Importing \
            text that is already a document's current text is a no-op and says so. A multi-file \
            import is all or nothing: if any file is unreadable, binary, not UTF-8 or empty, \
            nothing is imported. Source options apply to every file given.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "Files to import.") var files: [String]
    @Option(help: ArgumentHelp("Add the file as a new revision of this document and re-anchor its annotations.", valueName: "doc"))
    var revise: String?
    @Option(help: "Title (default: the first heading or line).") var title: String?
    @Option(help: "Publisher or outlet.") var publisher: String?
    @Option(help: "Author(s).") var author: String?
    @Option(help: "Source URL.") var url: String?
    @Option(help: "Publication date (YYYY-MM-DD).") var published: String?
    @Option(help: "Access date (YYYY-MM-DD; default today).") var accessed: String?
    @Option(help: "Language code (e.g. en).") var language: String?
    @Option(help: "Source grade A–F (Admiralty: A completely reliable … F cannot be judged).") var grade: String?
    @Option(help: "Why that grade.") var gradeNote: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to import") }
        if revise != nil && files.count != 1 { throw ValidationError("--revise takes exactly one file") }
        if files.count > 1 && (title != nil || url != nil) {
            throw ValidationError("--title and --url describe one document; import the files one by one")
        }
    }

    func run() throws {
        var grade: SourceGrade? = nil
        if let text = self.grade {
            guard let parsed = SourceGrade(parsing: text) else {
                throw GlossError(.invalidInput, "--grade must be one of A, B, C, D, E, F (Admiralty source reliability), not \(text.debugDescription)")
            }
            grade = parsed
        }
        let source = DocumentSource(
            title: title, publisher: publisher, author: author, url: url, published: published, accessed: accessed,
            language: language, grade: grade, gradeNote: gradeNote)
        try source.validate()
        // Read every file before writing anything: all or nothing.
        let texts = try files.map { path in (path, try FileInput.text(path)) }
        let store = try storeOptions.open()
        if let revise {
            let result = try store.revise(document: revise, text: texts[0].1, source: source)
            if json { return try Output.json(result.anchors) }
            guard result.changed else {
                print("Unchanged: \(texts[0].0) is already the current text of \(result.document.id) (\(result.document.title)); no new revision"
                      + (source == DocumentSource() ? "" : " (source fields updated)"))
                return
            }
            print("Revised \(result.document.id) (\(result.document.title)): new revision \(result.document.head ?? "?")")
            let counts = Dictionary(grouping: result.anchors, by: \.anchor.status).mapValues(\.count)
            print("Anchors: " + AnchorStatus.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
            if (counts[.fuzzy] ?? 0) + (counts[.orphan] ?? 0) > 0 { print("Review them with `gloss orphans`.") }
            return
        }
        let results = try store.importDocuments(texts.map { ImportItem(name: $0.0, text: $0.1, source: source) })
        if json {
            return try Output.json(results.map { result -> [String: String] in
                switch result {
                case .imported(let d, let name): return ["file": name, "document": d.id, "title": d.title, "result": "imported"]
                case .alreadyPresent(let d, let name): return ["file": name, "document": d.id, "title": d.title, "result": "unchanged"]
                }
            })
        }
        for result in results {
            switch result {
            case .imported(let d, let name): print("Imported \(d.id)  \(d.title)  (\(name))")
            case .alreadyPresent(let d, let name):
                print("Unchanged: \(name) is already the current text of \(d.id) (\(d.title)); nothing imported")
                // The source options given were not applied: say how to apply them.
                if source != DocumentSource() {
                    print("  Its source details were not changed; to change them: gloss import --revise \(d.id) \(name) and the same options")
                }
            }
        }
    }
}
