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

            Limits against slow, stuck or greedy clients: a body over --max-body gets 413 before \
            it is read; a connection silent for --idle-timeout seconds is closed; a request whose \
            head and body take longer than --request-timeout seconds to arrive is cut off (408); \
            beyond --max-connections open connections, a new one is answered 503 and closed.
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

    @Option(name: .long, help: ArgumentHelp("The largest request body accepted, in bytes (at least 1024).", valueName: "bytes"))
    var maxBody = 16 * 1024 * 1024

    @Option(name: .long, help: ArgumentHelp("The most connections open at once; more are answered 503.", valueName: "count"))
    var maxConnections = 512

    @Option(name: .long, help: ArgumentHelp("Close a connection that sends nothing for this long.", valueName: "seconds"))
    var idleTimeout = 30.0

    @Option(name: .long, help: ArgumentHelp("The longest a request's head and body may take to arrive.", valueName: "seconds"))
    var requestTimeout = 30.0

    /// The longest timeout accepted: a day (and no overflow converting to nanoseconds).
    static let maxTimeout = 86_400.0

    func validate() throws {
        if token != nil && tokenFile != nil { throw ValidationError("give --token or --token-file, not both") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard maxBody >= 1024 else { throw ValidationError("--max-body must be at least 1024 (bytes), not \(maxBody)") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be a positive number of connections, not \(maxConnections)") }
        for (name, seconds) in [("--idle-timeout", idleTimeout), ("--request-timeout", requestTimeout)] {
            guard seconds > 0, seconds <= Self.maxTimeout else {
                throw ValidationError("\(name) must be a number of seconds above 0 and at most \(Int(Self.maxTimeout)), not \(seconds)")
            }
        }
    }

    func run() async throws {
        let secret = try TokenSource.resolve(token: token, tokenFile: tokenFile)
        let store = try storeOptions.open()
        var logger = Logger(label: "gloss.serve")
        logger.logLevel = .info
        let configuration = SyncServerConfiguration(
            host: host, port: port, token: secret, maxBodyBytes: maxBody, idleTimeout: .nanoseconds(Int64(idleTimeout * 1e9)),
            requestTimeout: .nanoseconds(Int64(requestTimeout * 1e9)), maxConnections: maxConnections)
        let host = self.host
        try await SyncServer.run(store: store, configuration: configuration, logger: logger) { port in
            // Warned once the port is bound, so `--port 0` names the port actually reachable.
            if secret == nil {
                Output.note("gloss: warning: serving without a token; anyone who can reach \(host):\(port) can read and write this store")
            }
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
