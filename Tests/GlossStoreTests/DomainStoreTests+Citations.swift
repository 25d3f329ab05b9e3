import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// A note cites each annotation once.
extension DomainStoreTests {
    /// The same annotation named twice (by ID and by a prefix of it) is cited once, where it is
    /// first named; the orders stay consecutive.
    @Test func aNoteCitesAnAnnotationNamedTwiceOnce() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let document = try imported(store)
        let a = try store.annotate(AnnotationRequest(document: document.id, selection: .quote("between 3,000 and 6,000", occurrence: nil)))
        let b = try store.annotate(AnnotationRequest(document: document.id, selection: .quote("Other estimates differ.", occurrence: nil)))
        let note = try store.addNote(title: "N", body: "b", cite: [a.id, String(a.id.prefix(a.id.count - 1)), b.id, a.id], tags: [])
        #expect(note.citations.map(\.annotation) == [a.id, b.id])
        #expect(note.citations.map(\.order) == [1, 2])
        #expect(try store.note(note.id).citations.count == 2)
    }

    /// `editNote` citing an annotation the note already cites is refused with a clear error and
    /// changes nothing, even with other changes asked for; one new annotation named twice is
    /// cited once; uncited and cited again in one edit is allowed.
    @Test func editingANoteToCiteAnAnnotationItAlreadyCitesIsRefused() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let document = try imported(store)
        let a = try store.annotate(AnnotationRequest(document: document.id, selection: .quote("between 3,000 and 6,000", occurrence: nil)))
        let b = try store.annotate(AnnotationRequest(document: document.id, selection: .quote("Other estimates differ.", occurrence: nil)))
        let note = try store.addNote(title: "N", body: "b", cite: [a.id], tags: [])
        let before = try store.stateHash()
        let error = try #require(throws: GlossError.self) {
            try store.editNote(note.id, title: "New", body: nil, cite: [b.id, String(a.id.prefix(10))], uncite: [])
        }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("already cites \(a.id)"))
        #expect(try store.stateHash() == before)

        let edited = try store.editNote(note.id, title: nil, body: nil, cite: [b.id, b.id], uncite: [])
        #expect(edited.citations.map(\.annotation) == [a.id, b.id])
        let recited = try store.editNote(note.id, title: nil, body: nil, cite: [a.id], uncite: [a.id])
        #expect(recited.citations.map(\.annotation) == [b.id, a.id])
    }
}
