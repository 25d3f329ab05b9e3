import ArgumentParser
import Foundation
import GlossCore
import GlossServer
import GlossStore
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve this replica to peers over HTTP, for `gloss sync`.",
        discussion: """
            Listens on 127.0.0.1 unless --host says otherwise. Peers must send the token \
            (--token, --token-file or GLOSS_TOKEN); without one the server is open to anyone who \
            can reach it. Prints "listening on http://HOST:PORT" once ready (--port 0 picks a free \
            port). Stops cleanly on Ctrl-C or SIGTERM.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port).")
    var port = 8080

    @Option(name: .long, help: "The token peers must send (visible in `ps`: prefer --token-file or GLOSS_TOKEN).")
    var token: String?

    @Option(name: .long, help: ArgumentHelp("Read the token from this file.", valueName: "path"))
    var tokenFile: String?

    @Option(name: .long, help: "The largest request body accepted, in bytes.")
    var maxBody = 16 * 1024 * 1024

    func validate() throws {
        if token != nil && tokenFile != nil { throw ValidationError("give --token or --token-file, not both") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard maxBody >= 1024 else { throw ValidationError("--max-body must be at least 1024") }
    }

    func run() async throws {
        let secret = try TokenSource.resolve(token: token, tokenFile: tokenFile)
        let store = try storeOptions.open()
        var logger = Logger(label: "gloss.serve")
        logger.logLevel = .info
        if secret == nil {
            Output.note("gloss: warning: serving without a token; anyone who can reach \(host):\(port) can read and write this store")
        }
        let configuration = SyncServerConfiguration(host: host, port: port, token: secret, maxBodyBytes: maxBody)
        let host = self.host
        try await SyncServer.run(store: store, configuration: configuration, logger: logger) { port in
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        }
        try store.close()
    }
}

/// Where a token comes from: an option, a file, or GLOSS_TOKEN.
enum TokenSource {
    static func resolve(token: String?, tokenFile: String?) throws -> String? {
        if let token { return try check(token) }
        if let tokenFile {
            do {
                let text = try String(contentsOfFile: tokenFile, encoding: .utf8)
                return try check(text.trimmingCharacters(in: .whitespacesAndNewlines))
            } catch let error as GlossError {
                throw error
            } catch {
                throw GlossError(.notFound, "cannot read the token file \(tokenFile): \(error.localizedDescription)")
            }
        }
        if let env = ProcessInfo.processInfo.environment["GLOSS_TOKEN"], !env.isEmpty { return try check(env) }
        return nil
    }

    private static func check(_ token: String) throws -> String {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw GlossError(.invalidInput, "a token must be non-empty printable ASCII without spaces")
        }
        return token
    }
}
