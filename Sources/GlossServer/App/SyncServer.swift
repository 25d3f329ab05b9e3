import Foundation
import GlossStore
import GlossSync
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

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
    /// A connection that sends no complete request head (or no body part) for this long, or sits
    /// idle this long between requests, is closed: slow or stuck clients cannot hold sockets.
    public var idleTimeout: Duration
    /// The most connections open at once; further ones wait in the listen backlog until one
    /// closes, so a flood of connections cannot exhaust the server's file descriptors.
    public var maxConnections: Int

    /// A configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, maxBodyBytes: Int = SyncProtocol.defaultMaxBodyBytes,
        idleTimeout: Duration = .seconds(30), maxConnections: Int = 512
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
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
        let idle = TimeAmount.nanoseconds(
            configuration.idleTimeout.components.seconds * 1_000_000_000 + configuration.idleTimeout.components.attoseconds / 1_000_000_000)
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: idle)),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "gloss",
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
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
