import Foundation
import GlossStore
import GlossSync
import Hummingbird
import Logging

/// Settings of a sync server.
public struct SyncServerConfiguration: Sendable {
    /// The address to listen on (loopback by default: serving a network is a deliberate choice).
    public var host: String
    /// The port; 0 asks the system for a free one (the bound port is reported when running).
    public var port: Int
    /// The bearer token clients must send; nil serves without authentication.
    public var token: String?
    /// The largest request body accepted, compressed or not (413 beyond).
    public var maxBodyBytes: Int

    /// A configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, maxBodyBytes: Int = SyncProtocol.defaultMaxBodyBytes) {
        self.host = host
        self.port = port
        self.token = token
        self.maxBodyBytes = maxBodyBytes
    }
}

/// The HTTP sync server: Hummingbird routes over a `SyncService`.
public enum SyncServer {
    /// The router with every route and the token check (what `app.test(.router)` drives).
    public static func makeRouter(service: SyncService, configuration: SyncServerConfiguration) -> Router<BasicRequestContext> {
        let router = Router()
        if let token = configuration.token {
            router.add(middleware: BearerTokenMiddleware(token: token))
        }
        SyncRoutes<BasicRequestContext>(service: service, maxBodyBytes: configuration.maxBodyBytes).register(on: router)
        return router
    }

    /// The application; `onRunning` receives the bound port once listening.
    public static func makeApplication(
        store: ReplicaStore, configuration: SyncServerConfiguration, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = makeRouter(service: SyncService(store: store), configuration: configuration)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "gloss"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM, then finishes requests in flight and returns.
    public static func run(
        store: ReplicaStore, configuration: SyncServerConfiguration, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = makeApplication(store: store, configuration: configuration, logger: logger, onRunning: onRunning)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
