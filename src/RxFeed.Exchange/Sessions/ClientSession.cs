using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RxFeed.Exchange.Frames;
using RxFeed.Exchange.Market;

namespace RxFeed.Exchange.Sessions;

/// <summary>
/// One client connection after the upgrade: reads the client's frames, answers control messages, pings on a
/// fixed clock, enforces Binance's limits and writes market data through a bounded send queue.
/// </summary>
internal sealed partial class ClientSession : IDisposable
{
    private static long _nextId;

    private readonly Stream _stream;
    private readonly Action _abortTransport;
    private readonly ExchangeOptions _options;
    private readonly ExchangeCounters _counters;
    private readonly MarketHub _hub;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long[] _incomingTimes;
    private int _incomingIndex;
    private int _incomingCount;
    private int _closing;
    private int _aborted;
    private volatile bool _stalled;

    /// <summary>Initializes a new instance of the <see cref="ClientSession"/> class.</summary>
    /// <param name="stream">The upgraded connection.</param>
    /// <param name="abortTransport">Drops the TCP connection at once.</param>
    /// <param name="combined">Whether frames start in the combined envelope.</param>
    /// <param name="options">The exchange options.</param>
    /// <param name="counters">The exchange counters.</param>
    /// <param name="hub">The market hub.</param>
    /// <param name="logger">The logger.</param>
    public ClientSession(Stream stream, Action abortTransport, bool combined, ExchangeOptions options, ExchangeCounters counters, MarketHub hub, ILogger logger)
    {
        _stream = stream;
        _abortTransport = abortTransport;
        _combined = combined;
        _options = options;
        _counters = counters;
        _hub = hub;
        _logger = logger;
        _incomingTimes = new long[options.MaxIncomingPerSecond];
        _data = Channel.CreateBounded<OutgoingFrame>(new BoundedChannelOptions(options.SendQueueCapacity) { SingleReader = true });
        Id = Interlocked.Increment(ref _nextId);
    }

    /// <summary>Gets the fault hook that swallows a control request (no reply); true when it took this one.</summary>
    public Func<bool>? SwallowRequest { get; init; }

    /// <summary>Gets the connection's number, for logs.</summary>
    public long Id { get; }

    /// <summary>Gets a task that completes when the connection has ended.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Runs the connection until it ends.</summary>
    /// <returns>A task that completes when the connection has ended.</returns>
    public async Task RunAsync()
    {
        var token = _cts.Token;
        var writer = Task.Run(() => WriteLoopAsync(token), CancellationToken.None);
        var timers = Task.Run(() => TimerLoopAsync(token), CancellationToken.None);
        try
        {
            await ReadLoopAsync(token).ConfigureAwait(false);
        }
        catch (WebSocketProtocolException ex)
        {
            _counters.ProtocolError();
            _logger.LogInformation("Connection {ConnectionId} broke the protocol: {Reason}", Id, ex.Message);
            BeginClose(ex.CloseCode, ex.Message);
            await WaitBoundedAsync(writer).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or EndOfStreamException or ObjectDisposedException
            or InvalidOperationException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            // The peer went away, the connection was aborted, or the close handshake timed out.
        }
        finally
        {
            _hub.Unregister(this);
            _cts.Cancel();
            Interlocked.Exchange(ref _aborted, 1); // once ended, the HttpContext may be reused: never abort it again
            _data.Writer.TryComplete();
            await Task.WhenAll(Swallow(writer), Swallow(timers)).ConfigureAwait(false);
            _completion.TrySetResult();
        }
    }

    /// <summary>Starts Binance-style closing: a close frame now (or after the queued data), then the client's close or a timeout.</summary>
    /// <param name="code">The close code.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="afterQueuedData">Whether queued data (a serverShutdown event) goes out first.</param>
    public void BeginClose(int code, string reason, bool afterQueuedData = false)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        var frame = new OutgoingFrame(WebSocketOpcode.Close, WebSocketFrameWriter.BuildCloseBody(code, reason));
        var queued = afterQueuedData ? _data.Writer.TryWrite(frame) : TryEnqueueControl(frame);
        if (!queued)
        {
            Abort();
            return;
        }

        try
        {
            _cts.CancelAfter(_options.CloseHandshakeTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
        }
    }

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 1)
        {
            return;
        }

        try
        {
            _abortTransport();
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _cts.Dispose();

    /// <summary>Half-opens the connection: from now on nothing is written (no data, no pongs, no pings) and nothing is answered.</summary>
    public void Stall() => _stalled = true;

    private static async Task Swallow(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException
            or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            // Ending the connection ends its loops.
        }
    }

    private static long Now() => Stopwatch.GetTimestamp();

    private async Task WaitBoundedAsync(Task task)
    {
        await Task.WhenAny(task, Task.Delay(_options.CloseHandshakeTimeout)).ConfigureAwait(false);
    }

    private async Task ReadLoopAsync(CancellationToken token)
    {
        var reader = new WebSocketFrameReader(_stream, _options.MaxIncomingMessageBytes);
        while (true)
        {
            var read = await reader.ReadAsync(token).ConfigureAwait(false);
            if (read is not { } message)
            {
                return;
            }

            if (message.Opcode == WebSocketOpcode.Close)
            {
                await OnCloseAsync(message).ConfigureAwait(false);
                return;
            }

            if (_stalled || Volatile.Read(ref _closing) == 1)
            {
                continue; // half-open, or waiting for the client's close: nothing more is answered
            }

            if (!AllowIncoming())
            {
                _counters.RateLimitClose();
                _logger.LogWarning("Connection {ConnectionId} sent more than {Limit} messages in a second; closing with 1008", Id, _options.MaxIncomingPerSecond);
                BeginClose(WebSocketCloseCodes.PolicyViolation, "Too many requests", afterQueuedData: true); // replies already owed go first
                continue;
            }

            switch (message.Opcode)
            {
                case WebSocketOpcode.Ping:
                    EnqueueControl(new OutgoingFrame(WebSocketOpcode.Pong, message.Payload));
                    break;
                case WebSocketOpcode.Pong:
                    OnPong(message.Payload.Span);
                    break;
                default:
                    _counters.ControlRequest();
                    if (SwallowRequest?.Invoke() == true)
                    {
                        _counters.RequestIgnored();
                        break; // the ignore-requests fault: no reply, nothing done
                    }

                    var reply = ControlRequestHandler.Handle(message.Payload, this, out var isError);
                    if (isError)
                    {
                        _counters.ErrorReply();
                    }

                    EnqueueData(new OutgoingFrame(WebSocketOpcode.Text, reply));
                    CommitSubscriptions();
                    break;
            }
        }
    }

    private async Task OnCloseAsync(WebSocketMessage message)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return; // the client answered our close: the handshake is complete
        }

        // The client closes first: echo its code, as RFC 6455 §5.5.1 asks, then end.
        var body = message.Payload.Length >= 2 ? WebSocketFrameWriter.BuildCloseBody(message.CloseCode, string.Empty) : [];
        if (TryEnqueueControl(new OutgoingFrame(WebSocketOpcode.Close, body)))
        {
            _cts.CancelAfter(_options.CloseHandshakeTimeout);
            await WaitBoundedAsync(_writerDone.Task).ConfigureAwait(false);
        }
    }

    /// <summary>A sliding one-second window over the last N messages: the (N+1)th inside a second is one too many.</summary>
    private bool AllowIncoming()
    {
        var now = Now();
        var limit = _incomingTimes.Length;
        if (_incomingCount == limit && Stopwatch.GetElapsedTime(_incomingTimes[_incomingIndex], now) < TimeSpan.FromSeconds(1))
        {
            return false;
        }

        _incomingTimes[_incomingIndex] = now;
        _incomingIndex = (_incomingIndex + 1) % limit;
        _incomingCount = Math.Min(_incomingCount + 1, limit);
        return true;
    }
}
