import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// A store this process cannot write is read from a private copy: every read works, including
/// those that first bring derived data up to date, the store's files are never touched, and
/// changes are refused rather than silently lost.
@Suite struct ReadOnlyStoreTests {
    static let text = "Russian forces began withdrawing from Hmeimim. The US estimates between 3,000 and 6,000 troops."

    /// The names and bytes of every file in `folder`.
    static func files(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    /// A store whose records all came from another replica by a merge that nothing has read
    /// since: its search index, anchors and annotation views are all behind (what reading
    /// refreshes, and so writes).
    static func storeWithStaleDerivedData(_ dir: TemporaryDirectory) throws -> (file: URL, document: String) {
        let (writer, writerDir) = try TestStores.make(name: "colleague")
        defer { writerDir.remove() }
        let imported = try writer.importDocuments([ImportItem(name: "report", text: ScalarText.nfc(text), source: DocumentSource(title: "Drawdown"))])
        guard case .imported(let document, _) = imported[0] else { throw GlossError(.conflict, "not imported") }
        let annotation = try writer.annotate(AnnotationRequest(document: document.id, selection: .quote("between 3,000 and 6,000", occurrence: nil)))
        _ = try writer.addNote(title: "Troop strength", body: "Tartus and Hmeimim", cite: [annotation.id], tags: [])
        let file = dir.path("gloss.sqlite")
        let store = try ReplicaStore.create(at: file, name: "reader")
        try store.apply(try writer.changes(since: 0, limit: 100).states.map(Record.decode), from: writer.replicaID)
        try store.close()
        return (file, document.id)
    }

    @Test func readsThatRefreshDerivedDataWorkAndTheFilesAreUntouched() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-read-only")
        defer { dir.remove() }
        let (file, document) = try Self.storeWithStaleDerivedData(dir)
        let before = try Self.files(dir.url)

        let store = try ReplicaStore.openReadOnly(at: file)
        #expect(store.fileURL == file)
        #expect(try store.search(SearchQuery(text: "Tartus")).map(\.kind) == [.note])
        let shown = try store.shownDocument(document)
        #expect(shown.annotations.count == 1 && shown.annotations.first?.anchor.status == .exact, "\(shown.annotations)")
        #expect(try store.anchoredAnnotations(document: document).count == 1)
        #expect(try store.annotationsNeedingAttention().isEmpty)
        #expect(try store.status().counts["note"] == 1)
        #expect(try !store.log().isEmpty)
        try store.close()

        #expect(try Self.files(dir.url) == before, "reading the read-only store changed its folder")
    }

    @Test func changesToTheCopyAreRefused() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-read-only-changes")
        defer { dir.remove() }
        let (file, document) = try Self.storeWithStaleDerivedData(dir)
        let store = try ReplicaStore.openReadOnly(at: file)
        defer { try? store.close() }
        let attempts: [(String, () throws -> Void)] = [
            ("a note", { _ = try store.addNote(title: "Lost?", body: "", cite: [], tags: []) }),
            ("an annotation", { _ = try store.annotate(AnnotationRequest(document: document, selection: .quote("Hmeimim", occurrence: nil))) }),
            ("a remote", { try store.saveRemote(Remote(name: "hub", url: "http://127.0.0.1:9")) }),
            ("a rename", { try store.setName("someone else") }),
        ]
        for (what, attempt) in attempts {
            let error = #expect(throws: GlossError.self, "writing \(what)") { try attempt() }
            #expect(error?.message.contains("the store at \(file.path) is read-only") == true, "writing \(what): \(String(describing: error))")
        }
        #expect(try store.search(SearchQuery(text: "Lost")).isEmpty)
    }

    /// A store copied while a process had it open keeps its latest changes in its write-ahead
    /// log: they are read too.
    @Test func changesStillInTheWriteAheadLogAreRead() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-read-only-wal")
        defer { dir.remove() }
        let live = dir.path("live")
        let store = try ReplicaStore.create(at: live.appendingPathComponent("gloss.sqlite"), name: "live")
        _ = try store.addNote(title: "Written last", body: "still in the log", cite: [], tags: [])
        let copy = dir.path("copy")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: live.path) {
            try FileManager.default.copyItem(at: live.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        try store.close()
        let wal = try Data(contentsOf: copy.appendingPathComponent("gloss.sqlite-wal"))
        #expect(!wal.isEmpty, "the copy's write-ahead log is empty: the test copies nothing it must read")

        let reader = try ReplicaStore.openReadOnly(at: copy.appendingPathComponent("gloss.sqlite"))
        defer { try? reader.close() }
        #expect(try reader.notes().map(\.title) == ["Written last"])
    }

    @Test func badFilesAreRefusedAsOpenRefusesThem() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-read-only-bad")
        defer { dir.remove() }
        let text = dir.path("notes.txt")
        try Data("not a store".utf8).write(to: text)
        #expect(#expect(throws: GlossError.self) { _ = try ReplicaStore.openReadOnly(at: text) }?.code == .notAStore)
        #expect(#expect(throws: GlossError.self) { _ = try ReplicaStore.openReadOnly(at: dir.path("none.sqlite")) }?.code == .storeNotFound)
    }

    @Test func aWritableStoreIsNotReadOnly() throws {
        let (store, dir) = try TestStores.make(name: "writable")
        defer { dir.remove() }
        try store.close()
        #expect(!ReadOnlyStore.isReadOnly(store.fileURL))
        #expect(!ReadOnlyStore.isReadOnly(dir.path("missing.sqlite")))
    }

    /// Permissions stop every user but root; as root this runs in the end-to-end test, where
    /// gloss runs as `nobody` (see `ReadOnlyFolder`).
    @Test(.enabled(if: geteuid() != 0, "root ignores file permissions: covered by ReadOnlyStoreEndToEndTests"))
    func aStoreWithoutWritePermissionIsReadOnly() throws {
        let (store, dir) = try TestStores.make(name: "chmod")
        defer { dir.remove() }
        try store.close()
        let folder = try ReadOnlyFolder(dir.url)
        defer { folder.undo() }
        #expect(ReadOnlyStore.isReadOnly(store.fileURL))
        let reader = try ReplicaStore.openReadOnly(at: store.fileURL)
        #expect(try reader.status().name == "chmod")
        try reader.close()
    }
}
