using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxFeed.Resilience;

namespace RxFeed.Connection;

/// <summary>
/// The self-healing feed: Binance book-ticker streams as one <see cref="IObservable{T}"/> of raw text frames.
/// Each subscription to <see cref="Frames"/> opens its own connections (one per 1024 streams), subscribes with ids,
/// confirms with LIST_SUBSCRIPTIONS, tears a silent (half-open) connection down after <c>StaleAfter</c>, replaces failed
/// ones through an exponential, capped, fully jittered backoff, and rolls over make-before-break at the end of a
/// connection's lifetime or on serverShutdown. Frames keep their order per connection; control replies are passed on
/// (the parser counts them as control).
/// </summary>
public sealed class FeedConnection
{
    private readonly FeedConnectionOptions _options;
    private readonly IFeedSocketFactory _factory;
    private readonly IScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly ConnectionAttemptLimiter _limiter;
    private readonly BackoffPolicy _backoff;
    private readonly ISubject<LinkEvent> _links = Subject.Synchronize(new Subject<LinkEvent>());
    private long _requestId;
    private int _connectionId;

    /// <summary>Initializes a new instance of the <see cref="FeedConnection"/> class.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="socketFactory">Creates sockets; Websocket.Client by default.</param>
    /// <param name="logger">Structured logs; none by default.</param>
    /// <param name="limiter">The per-IP connection-attempt limiter to share with other connections; a new one by default.</param>
    /// <param name="scheduler">The clock for timers, budget and backoff; <see cref="DefaultScheduler"/> by default.</param>
    public FeedConnection(
        FeedConnectionOptions options,
        IFeedSocketFactory? socketFactory = null,
        ILogger<FeedConnection>? logger = null,
        ConnectionAttemptLimiter? limiter = null,
        IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _factory = socketFactory ?? new WebsocketFeedSocketFactory(options);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _limiter = limiter ?? new ConnectionAttemptLimiter(options.MaxAttemptsPerWindow, options.AttemptWindow);
        _scheduler = scheduler ?? DefaultScheduler.Instance;
        _backoff = new BackoffPolicy
        {
            InitialDelay = options.ReconnectInitial,
            MaxDelay = options.ReconnectMax,
            ResetAfter = options.HealthyAfter,
            MaxAttempts = options.MaxReconnectAttempts,
            Jitter = options.BackoffJitter,
        };
        Shards = [.. options.Symbols
            .Select(ControlProtocol.BookTickerStream)
            .Distinct(StringComparer.Ordinal)
            .Chunk(options.MaxStreamsPerConnection)
            .Select(chunk => (IReadOnlyList<string>)chunk)];
        Frames = Observable.Defer(() => Shards.Select((streams, i) => ShardFrames(i, streams)).Merge());
    }

    /// <summary>Gets the frames of every connection, merged; cold: each subscription runs its own connections.</summary>
    public IObservable<string> Frames { get; }

    /// <summary>Gets the state changes of every connection (for health tracking); hot.</summary>
    public IObservable<LinkEvent> Links => _links.AsObservable();

    /// <summary>Gets what the connections have done.</summary>
    public FeedConnectionCounters Counters { get; } = new();

    /// <summary>Gets the streams each connection carries (at most <see cref="FeedConnectionOptions.MaxStreamsPerConnection"/>).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Shards { get; }

    /// <summary>Gets the connection attempts that waited for the per-IP limiter.</summary>
    public long AttemptWaits => _limiter.Waits;

    /// <summary>
    /// The live path's hand-off. On the socket's receive thread a frame is only stamped with its receive time and queued;
    /// everything after it — parse, validation, consumers, files — runs on <paramref name="pipeline"/>, so nothing a
    /// consumer does can make a socket wait or hold its lock. The queue is unbounded on purpose: the pipeline parses
    /// several times faster than a socket delivers, and a bound would have to either block the socket or lose frames.
    /// </summary>
    /// <param name="pipeline">Where the frames are observed: one thread (an <see cref="EventLoopScheduler"/>), so their order holds.</param>
    /// <returns>The stamped frames of every connection, cold like <see cref="Frames"/>.</returns>
    public IObservable<ReceivedFrame> ReceivedFrames(IScheduler pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return Frames.StampReceived(_scheduler).ObserveOn(pipeline);
    }

    private IObservable<string> ShardFrames(int shard, IReadOnlyList<string> streams)
    {
        var ctx = new ShardContext(
            shard,
            streams,
            _options,
            _factory,
            _limiter,
            Counters,
            _links.OnNext,
            () => Interlocked.Increment(ref _requestId),
            () => Interlocked.Increment(ref _connectionId),
            _logger,
            _scheduler);
        bool first = true;
        IObservable<string> attempt = Observable.Defer(() =>
        {
            if (first)
            {
                first = false;
                ctx.Link(LinkState.Connecting, "starting", 0);
            }

            SessionKind kind = ctx.HasOpened ? SessionKind.Reconnect : SessionKind.Initial;
            return Observable.Create<string>(observer => new ShardRunner(ctx, observer).Start(kind));
        });
        return Supervise(attempt, ctx);
    }

    /// <summary>
    /// Liveness and recovery: the watchdog errors when the shard is silent for StaleAfter (a half-open socket sends
    /// nothing, not even an error), and each failure is replaced after the backoff's exponential, capped, fully jittered delay.
    /// </summary>
    private IObservable<string> Supervise(IObservable<string> attempt, ShardContext ctx) =>
        attempt
            .StaleAfter(_options.StaleAfter, _scheduler)
            .RetryWithBackoff(_backoff, Observer.Create<RetryAttempt>(retry => OnLost(ctx, retry)), _scheduler);

    private void OnLost(ShardContext ctx, RetryAttempt retry)
    {
        Counters.Disconnect();
        Exception error = retry.Error;
        string reason = error switch
        {
            FeedSocketException { Disconnect: { } d } => d.ToString(),
            StaleFeedException stale => $"stale: no frame for {stale.Bound}",
            _ => error.Message,
        };
        ConnectionLog.Lost(_logger, ctx.Shard, reason);
        ctx.Link(LinkState.Disconnected, reason, 0);
    }
}
