import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Bad input to each workflow command: a clear message, a non-zero exit, the store unchanged
/// (its state hash compared before and after).
@Suite struct WorkflowBadInputEndToEndTests {
    @Test func importRefusesMissingBinaryNonUTF8AndEmptyFilesAndImportsNothing() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let good = try Seeds.path("001").path
        let binary = s.dir.path("image.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]).write(to: binary)
        let latin1 = s.dir.path("latin1.txt")
        try Data([0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: latin1)
        let empty = s.dir.path("empty.txt")
        try Data().write(to: empty)
        let blank = s.dir.path("blank.txt")
        try Data("  \n\n \t\n".utf8).write(to: blank)

        #expect(try s.fails(["import", s.dir.path("nowhere.txt").path]).contains("cannot read"))
        #expect(try s.fails(["import", binary.path]).contains("looks binary"))
        #expect(try s.fails(["import", latin1.path]).contains("not valid UTF-8"))
        #expect(try s.fails(["import", empty.path]).contains("is empty"))
        #expect(try s.fails(["import", blank.path]).contains("no text"))
        #expect(try s.fails(["import", s.dir.url.path]).contains("is a folder"))
        // All or nothing: a good file next to a bad one is not imported either.
        #expect(try s.fails(["import", good, latin1.path]).contains("nothing was imported"))
        #expect((try s.json(["docs"]) as? [Any])?.isEmpty == true)
    }

    /// Arguments with bytes that are not UTF-8 (a Latin-1 terminal) are refused before any
    /// command runs: Swift's `CommandLine.arguments` had turned them into U+FFFD, which was
    /// stored. Run through a shell, since a Swift `Process` takes its arguments as Strings.
    @Test func argumentsThatAreNotUTF8AreRefusedAndChangeNothing() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003")
        let annotation = try s.annotate(doc, ["--quote", "Tartous"])
        let before = try s.stateHash()
        for line in [
            "note add --title \"$(printf 'Lav\\377rov')\" --body b",
            "edit \(annotation) --comment \"$(printf 'caf\\351')\"",
            "tag \(annotation) \"+$(printf '\\377')\"",
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec \"$GLOSS_UNDER_TEST\" " + line]
            process.environment = ["GLOSS_UNDER_TEST": GlossBinary.url.path, "GLOSS_STORE": s.storePath.path, "PATH": "/usr/bin:/bin"]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = Pipe()
            try process.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 65, "\(line): \(message)")
            #expect(message.contains("is not UTF-8 text"), "\(line): \(message)")
        }
        #expect(try s.stateHash() == before)
    }

    @Test func everyWorkflowCommandNeedsAStoreAndSaysSo() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-nostore")
        defer { dir.remove() }
        let commands: [[String]] = [
            ["import", "x.txt"], ["docs"], ["show", "d-1"], ["annotate", "d-1", "--quote", "x"], ["edit", "a-1", "--comment", "c"],
            ["tag", "a-1", "+x"], ["rm", "a-1"], ["note", "list"], ["orphans"], ["check"], ["search", "x"], ["export", "--format", "w3c"],
        ]
        try Data("text".utf8).write(to: dir.path("x.txt"))
        for args in commands {
            let result = try GlossBinary.run(args, cwd: dir.url)
            #expect(result.status == 66, "gloss \(args.joined(separator: " ")) exited \(result.status)")
            #expect(result.stderr.contains("no Gloss store here"), "gloss \(args.joined(separator: " ")): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["x.txt"])
    }

    @Test func importRefusesAnUnreadableFile() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let secret = s.dir.path("secret.txt")
        try Data("text".utf8).write(to: secret)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: secret.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path) }
        // root reads anything; the check only means something for other users.
        if FileManager.default.isReadableFile(atPath: secret.path) { return }
        #expect(try s.fails(["import", secret.path]).contains("cannot read"))
    }

    @Test func importRefusesAnInvalidGradeOrDate() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let file = try Seeds.path("001").path
        let grade = try s.fails(["import", file, "--grade", "G"])
        #expect(grade.contains("--grade must be one of A, B, C, D, E, F"))
        #expect(try s.fails(["import", file, "--grade", "AB"]).contains("--grade must be one of"))
        #expect(try s.fails(["import", file, "--published", "15/03/2016"]).contains("--published must be a date"))
        #expect(try s.fails(["import", file, "--accessed", "2016-13-01"]).contains("--accessed must be a date"))
        #expect(try s.fails(["import", "--revise", "d-nothing", file]).contains("no document"))
    }

    @Test func annotateRefusesBadDocumentsQuotesOffsetsAndCredibility() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003")
        #expect(try s.fails(["annotate", "d-000000000000", "--quote", "Syria"]).contains("no document \"d-000000000000\""))

        let absent = try s.fails(["annotate", doc, "--quote", "between 3000 and 6000 soldiers"])
        #expect(absent.contains("does not occur"))
        #expect(absent.contains("Closest passage"))
        #expect(absent.contains("between 3,000 and 6,000"))

        let ambiguous = try s.fails(["annotate", doc, "--quote", "Hmeymim"])
        #expect(ambiguous.contains("occurs"))
        #expect(ambiguous.contains("--occurrence N"))
        #expect(ambiguous.contains("1. at "))
        #expect(ambiguous.contains("«Hmeymim»"))
        #expect(try s.fails(["annotate", doc, "--quote", "Hmeymim", "--occurrence", "99"]).contains("--occurrence 99"))

        let length = ScalarText(try String(contentsOf: try Seeds.path("003"), encoding: .utf8)).count
        let outside = try s.fails(["annotate", doc, "--at", "10:\(length + 1)"])
        #expect(outside.contains("outside the text"))
        #expect(outside.contains("≤ \(length)"))
        #expect(try s.fails(["annotate", doc, "--at", "20:10"]).contains("outside the text"))
        #expect(try s.fails(["annotate", doc, "--at", "ten:20"]).contains("--at must be START:END"))
        #expect(try s.fails(["annotate", doc, "--quote", "Syria", "--at", "1:2"]).contains("exactly one of"))

        #expect(try s.fails(["annotate", doc, "--quote", "between 3,000 and 6,000", "--credibility", "7"]).contains("credibility must be 1 to 6"))
        #expect(try s.fails(["annotate", doc, "--quote", "between 3,000 and 6,000", "--credibility", "0"]).contains("credibility must be 1 to 6"))
        #expect(try s.fails(["annotate", doc, "--quote", "between 3,000 and 6,000", "--tag", "two words"]).contains("one word"))
        #expect(try s.fails(["annotate", doc, "--quote", "between 3,000 and 6,000", "--motivation", "shouting"]).contains("motivation"))
        #expect(try s.fails(["annotate", doc, "--quote", "  "]).contains("must not be empty"))

        // With --occurrence the same quote is accepted.
        _ = try s.annotate(doc, ["--quote", "Hmeymim", "--occurrence", "2"])
    }

    @Test func editTagAndRmRefuseMissingRecordsAndBadValues() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003")
        let ann = try s.annotate(doc, ["--quote", "between 3,000 and 6,000"])
        #expect(try s.fails(["edit", "a-ffffffffffff", "--comment", "x"]).contains("no annotation"))
        #expect(try s.fails(["edit", ann, "--credibility", "9"]).contains("credibility must be 1 to 6"))
        #expect(try s.fails(["edit", ann]).contains("nothing to change"))
        #expect(try s.fails(["tag", "a-ffffffffffff", "+x"]).contains("no record"))
        #expect(try s.fails(["tag", ann, "x"]).contains("+tag"))
        #expect(try s.fails(["tag", doc, "+x"]).contains("only those have tags"))
        #expect(try s.fails(["rm", "n-ffffffffffff"]).contains("no record"))
        // "a-" and "d-" alone are ambiguous only when several match; one annotation: resolves.
        _ = try s.annotate(doc, ["--quote", "Tartous"])
        #expect(try s.fails(["rm", "a-"]).contains("matches several"))
    }

    @Test func notesRefuseMissingCitationsAndTitles() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        _ = try s.importSeed("003")
        #expect(try s.fails(["note", "add", "--title", "T", "--body", "b", "--cite", "a-ffffffffffff"]).contains("no annotation"))
        #expect(try s.fails(["note", "add", "--title", " ", "--body", "b"]).contains("needs a title"))
        #expect(try s.fails(["note", "add", "--title", "T"]).contains("--body"))
        #expect(try s.fails(["note", "add", "--title", "T", "--file", s.dir.path("none.md").path]).contains("cannot read"))
        #expect(try s.fails(["note", "show", "n-ffffffffffff"]).contains("no note"))
        #expect(try s.fails(["note", "edit", "n-ffffffffffff", "--title", "x"]).contains("no note"))
    }

    @Test func readingCommandsRefuseMissingDocumentsClearly() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        _ = try s.importSeed("003")
        #expect(try s.fails(["show", "d-ffffffffffff"]).contains("no document"))
        #expect(try s.fails(["search", "Syria", "--doc", "d-ffffffffffff"]).contains("no document"))
        #expect(try s.fails(["search", "--", "  "]).contains("query is empty"))
        #expect(try s.fails(["export", "--format", "w3c", "--doc", "d-ffffffffffff"]).contains("no document"))
        #expect(try s.fails(["export", "--format", "pdf"]).contains("format"))
        #expect(try s.fails(["export", "--format", "json", "--output", s.dir.path("no/such/dir/x.json").path]).contains("cannot write"))
    }
}

/// Where `gloss init --store PATH` puts a store, and that every command then finds it there.
@Suite struct StorePathEndToEndTests {
    /// `init --store case1/.gloss` made a SQLite *file* named `.gloss`, reported the store at
    /// `case1`, and then neither `cd case1 && gloss status` nor `--store case1` could open it
    /// ("no Gloss store at case1/.gloss/gloss.sqlite").
    @Test func aStoreMadeAtADotGlossPathIsAFolderThatEveryCommandFinds() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-store-path")
        defer { dir.remove() }
        let made = try GlossBinary.run(["init", "--store", "case1/.gloss", "--name", "a"], cwd: dir.url)
        #expect(made.status == 0, "\(made.stderr)")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir.path("case1/.gloss").path, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(FileManager.default.fileExists(atPath: dir.path("case1/.gloss/gloss.sqlite").path))
        for (args, cwd) in [(["status"], dir.path("case1")), (["status", "--store", "case1"], dir.url), (["status", "--store", "case1/.gloss"], dir.url)] {
            let status = try GlossBinary.run(args, cwd: cwd)
            #expect(status.status == 0, "\(args): \(status.stderr)")
        }
    }
}
