using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using RxFeed.Exchange;

namespace RxFeed.Exchange.Tests.Support;

/// <summary>
/// A ClientWebSocket on loopback, the way a user's bot would connect. A background loop keeps receiving (so pings
/// are answered and a timed-out wait never aborts the socket) and hands messages over through a channel.
/// </summary>
internal sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    private TestClient(ClientWebSocket socket)
    {
        Socket = socket;
        _pump = Task.Run(PumpAsync);
    }

    public ClientWebSocket Socket { get; }

    /// <summary>Gets the clock that stamps each message as the background loop receives it.</summary>
    public static System.Diagnostics.Stopwatch Clock { get; } = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Receives the next text message with the time it came off the socket (on <see cref="Clock"/>).</summary>
    public async Task<(string Text, TimeSpan At)> ReceiveStampedAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await _inbox.Reader.ReadAsync(cts.Token) is (string text, TimeSpan at) ? (text, at) : throw new WebSocketException("closed");
    }

    public static Task<TestClient> ConnectAsync(LocalExchange exchange, string pathAndQuery, TimeSpan? keepAlive = null, TimeSpan? keepAliveTimeout = null) =>
        ConnectAsync(new Uri(exchange.BaseUrl + pathAndQuery), keepAlive, keepAliveTimeout);

    public static async Task<TestClient> ConnectAsync(Uri uri, TimeSpan? keepAlive = null, TimeSpan? keepAliveTimeout = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = keepAlive ?? TimeSpan.Zero; // no unsolicited pongs unless a test asks
        if (keepAliveTimeout is { } timeout)
        {
            socket.Options.KeepAliveTimeout = timeout; // the client then pings and expects pongs
        }

        socket.Options.CollectHttpResponseDetails = true;
        using var connectTimeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, connectTimeout.Token);
        return new TestClient(socket);
    }

    public async Task SendAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>Receives the next text message; throws <see cref="ClosedException"/> when a close frame arrives instead,
    /// a <see cref="WebSocketException"/> when the connection dropped, <see cref="OperationCanceledException"/> on timeout.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var item = await _inbox.Reader.ReadAsync(cts.Token);
        return item switch
        {
            (string text, TimeSpan _) => text,
            ClosedException closed => throw new ClosedException(closed.Status, closed.Description),
            WebSocketException dropped => throw new WebSocketException(dropped.Message, dropped),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>Receives until a message matches (market data in between is skipped).</summary>
    public async Task<string> ReceiveMatchingAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("No matching message arrived.");
            }

            var text = await ReceiveAsync(left);
            if (match(text))
            {
                return text;
            }
        }
    }

    /// <summary>Reads until the connection ends; returns the close frame's status, or null when it was dropped without one.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Description, List<string> Messages)> ReadUntilClosedAsync(TimeSpan? timeout = null)
    {
        var messages = new List<string>();
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            try
            {
                messages.Add(await ReceiveAsync(deadline - DateTime.UtcNow));
            }
            catch (ClosedException closed)
            {
                return (closed.Status, closed.Description, messages);
            }
            catch (WebSocketException)
            {
                return (null, null, messages);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Already gone.
            }
        }

        _stop.Cancel();
        Socket.Abort();
        await _pump;
        Socket.Dispose();
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _inbox.Writer.TryWrite(new ClosedException(result.CloseStatus, result.CloseStatusDescription));
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _inbox.Writer.TryWrite((Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length), Clock.Elapsed));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _inbox.Writer.TryWrite(ex as WebSocketException ?? new WebSocketException("receive stopped", ex));
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }
}

internal sealed class ClosedException(WebSocketCloseStatus? status, string? description)
    : Exception($"Closed with {status} {description}")
{
    public WebSocketCloseStatus? Status { get; } = status;

    public string? Description { get; } = description;
}
