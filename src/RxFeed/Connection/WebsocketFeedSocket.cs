using System.Net.WebSockets;
using System.Reactive;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Websocket.Client;

namespace RxFeed.Connection;

/// <summary>
/// Creates <see cref="IFeedSocket"/>s over Websocket.Client with its own reconnection switched off: RxFeed's
/// staleness watchdog and backoff decide when to reconnect, on an <c>IScheduler</c>.
/// </summary>
public sealed class WebsocketFeedSocketFactory : IFeedSocketFactory
{
    private readonly TimeSpan _keepAliveInterval;
    private readonly TimeSpan _keepAliveTimeout;
    private readonly TimeSpan _connectTimeout;
    private readonly ILogger<WebsocketClient> _logger;
    private int _sequence;

    /// <summary>Initializes a new instance of the <see cref="WebsocketFeedSocketFactory"/> class.</summary>
    /// <param name="options">Keepalive and connect timeouts are read from here.</param>
    /// <param name="logger">Websocket.Client's logger; none by default.</param>
    public WebsocketFeedSocketFactory(FeedConnectionOptions options, ILogger<WebsocketClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keepAliveInterval = options.KeepAliveInterval;
        _keepAliveTimeout = options.KeepAliveTimeout;
        _connectTimeout = options.ConnectTimeout;
        _logger = logger ?? NullLogger<WebsocketClient>.Instance;
    }

    /// <inheritdoc/>
    public IFeedSocket Create(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var client = new WebsocketClient(endpoint, _logger, CreateNative);
        return Wrap(client, null);
    }

    /// <inheritdoc/>
    public IFeedSocket Create(Uri endpoint, OutboundLimiter limiter)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(limiter);

        // ClientWebSocket answers pings and sends keepalive pings by itself; the only place to hold those frames to the
        // connection's budget is the stream it writes to. SocketsHttpHandler hands us that stream after TLS.
        BudgetedStream? stream = null;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _connectTimeout,
            PlaintextStreamFilter = (context, _) => ValueTask.FromResult<Stream>(stream = new BudgetedStream(context.PlaintextStream, limiter)),
        };
        var invoker = new HttpMessageInvoker(handler);
        var client = new WebsocketClient(endpoint, _logger, async (uri, token) =>
        {
            WebSocket socket = await ConnectAsync(uri, invoker, token).ConfigureAwait(false);

            // The upgrade is done: from here every write is a WebSocket frame.
            stream?.StartFraming();
            return socket;
        });
        return Wrap(client, invoker);
    }

    private WebsocketFeedSocket Wrap(WebsocketClient client, IDisposable? owned)
    {
        // Websocket.Client's reconnection is a wall-clock timer; ours is RetryWithBackoff on a scheduler.
        client.IsReconnectionEnabled = false;
        client.ReconnectTimeout = null;
        client.ErrorReconnectTimeout = null;
        client.LostReconnectTimeout = null;
        client.Name = "rxfeed-" + Interlocked.Increment(ref _sequence);
        client.ConnectTimeout = _connectTimeout;
        return new WebsocketFeedSocket(client, owned);
    }

    private async Task<WebSocket> ConnectAsync(Uri uri, HttpMessageInvoker invoker, CancellationToken token)
    {
        ClientWebSocket socket = CreateNative();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(_connectTimeout);
            await socket.ConnectAsync(uri, invoker, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    private ClientWebSocket CreateNative()
    {
        var socket = new ClientWebSocket();

        // Pings every interval; without a pong within the timeout the socket aborts, so a dead peer is noticed from
        // our side. Server pings are answered by ClientWebSocket itself; its stream holds both to the budget.
        socket.Options.KeepAliveInterval = _keepAliveInterval;
        socket.Options.KeepAliveTimeout = _keepAliveTimeout;
        return socket;
    }
}

/// <summary>One Websocket.Client session behind the <see cref="IFeedSocket"/> seam.</summary>
internal sealed class WebsocketFeedSocket : IFeedSocket
{
    private readonly WebsocketClient _client;
    private readonly IDisposable? _owned;
    private int _disposed;

    public WebsocketFeedSocket(WebsocketClient client, IDisposable? owned)
    {
        _client = client;
        _owned = owned;
        Messages = client.MessageReceived
            .Where(static m => m.MessageType == WebSocketMessageType.Text && m.Text is not null)
            .Select(static m => m.Text!);
        Disconnected = client.DisconnectionHappened
            .Where(static d => d.Type != DisconnectionType.ByUser && d.Type != DisconnectionType.Exit)
            .Select(static d => ToDisconnect(d))
            .Take(1);
    }

    public IObservable<string> Messages { get; }

    public IObservable<SocketDisconnect> Disconnected { get; }

    public IObservable<Unit> Connect() => Observable.FromAsync(async () =>
    {
        try
        {
            await _client.StartOrFail().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A refused upgrade (HTTP 503), a reset or an unreachable port all land here.
            throw new FeedSocketException("connect failed: " + (ex.InnerException?.Message ?? ex.Message), ex);
        }
    });

    // SendInstant writes now (Send would queue to a background thread, and the budget could not know when the frame left).
    public Task SendAsync(string text) => _client.SendInstant(text);

    public void Close(int code, string reason) => _ = _client.Stop((WebSocketCloseStatus)code, reason);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _client.Dispose();
            _owned?.Dispose();
        }
    }

    private static SocketDisconnect ToDisconnect(DisconnectionInfo info)
    {
        int? code = info.CloseStatus is { } status ? (int)status : null;
        DisconnectKind kind = info.Type switch
        {
            DisconnectionType.ByServer => DisconnectKind.ClosedByServer,
            DisconnectionType.Error => DisconnectKind.Error,
            _ => DisconnectKind.Lost,
        };
        return new SocketDisconnect(kind, code, info.CloseStatusDescription ?? info.Exception?.Message);
    }
}
