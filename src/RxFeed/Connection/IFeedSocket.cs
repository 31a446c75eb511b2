using System.Reactive;

namespace RxFeed.Connection;

/// <summary>
/// The seam under <see cref="FeedConnection"/>: one WebSocket session, from connect to close. It never reconnects by
/// itself; reconnection, staleness and backoff are Rx operators above it so they run on an <c>IScheduler</c>.
/// </summary>
public interface IFeedSocket : IDisposable
{
    /// <summary>Gets the text messages received, in order. Completes or stays silent after the socket ends.</summary>
    IObservable<string> Messages { get; }

    /// <summary>Gets one notification when the session ends for any reason other than our own <see cref="IDisposable.Dispose"/>.</summary>
    IObservable<SocketDisconnect> Disconnected { get; }

    /// <summary>Opens the session.</summary>
    /// <returns>An observable that completes once the socket is open, or fails with <see cref="FeedSocketException"/>
    /// when the upgrade is refused or the peer is unreachable. Subscribing starts the attempt.</returns>
    IObservable<Unit> Connect();

    /// <summary>Sends one text frame now. Callers pace sends through the connection's <see cref="OutboundBudget"/>.</summary>
    /// <param name="text">The frame.</param>
    /// <returns>A task that ends when the frame is written (or the send failed; a failed socket reports its disconnect).</returns>
    Task SendAsync(string text);

    /// <summary>Starts a close handshake with a code; the session then ends.</summary>
    /// <param name="code">The WebSocket close code (1000 normal).</param>
    /// <param name="reason">The close reason.</param>
    void Close(int code, string reason);
}

/// <summary>Creates a socket for an endpoint; one per connection attempt.</summary>
public interface IFeedSocketFactory
{
    /// <summary>Creates a socket that is not yet connected.</summary>
    /// <param name="endpoint">The WebSocket URL.</param>
    /// <returns>The socket.</returns>
    IFeedSocket Create(Uri endpoint);

    /// <summary>
    /// Creates a socket whose own frames (pongs to server pings, keepalive pings, the close) take their slots from
    /// <paramref name="limiter"/>, the one the connection's requests use. Sockets that send no frames of their own
    /// (in-memory test sockets) need not override it.
    /// </summary>
    /// <param name="endpoint">The WebSocket URL.</param>
    /// <param name="limiter">The connection's one outbound limiter.</param>
    /// <returns>The socket.</returns>
    IFeedSocket Create(Uri endpoint, OutboundLimiter limiter) => Create(endpoint);
}

/// <summary>How a socket session ended.</summary>
public enum DisconnectKind : byte
{
    /// <summary>The server closed with a close frame (see <see cref="SocketDisconnect.CloseCode"/>).</summary>
    ClosedByServer,

    /// <summary>The connection dropped without a close frame (reset, EOF, keepalive timeout).</summary>
    Lost,

    /// <summary>A receive or send failed.</summary>
    Error,
}

/// <summary>Why a socket session ended.</summary>
/// <param name="Kind">How.</param>
/// <param name="CloseCode">The close code when the server sent one (1000, 1001, 1008, ...).</param>
/// <param name="Description">The close reason or error message.</param>
public readonly record struct SocketDisconnect(DisconnectKind Kind, int? CloseCode, string? Description)
{
    /// <inheritdoc/>
    public override string ToString() =>
        CloseCode is int code ? $"{Kind} {code} {Description}".TrimEnd() : $"{Kind} {Description}".TrimEnd();
}

/// <summary>A connection attempt failed (refused upgrade such as HTTP 503, unreachable peer) or a session ended.</summary>
public sealed class FeedSocketException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="FeedSocketException"/> class.</summary>
    public FeedSocketException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FeedSocketException"/> class.</summary>
    /// <param name="message">The message.</param>
    public FeedSocketException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FeedSocketException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public FeedSocketException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FeedSocketException"/> class for a session that ended.</summary>
    /// <param name="disconnect">How it ended.</param>
    public FeedSocketException(SocketDisconnect disconnect)
        : base("socket ended: " + disconnect) => Disconnect = disconnect;

    /// <summary>Gets how the session ended, when it ended after opening.</summary>
    public SocketDisconnect? Disconnect { get; }
}
