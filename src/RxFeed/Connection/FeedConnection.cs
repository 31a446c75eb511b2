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
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A subject holds no resource: completing it is its end.")]
public sealed class FeedConnection
{
    private readonly FeedConnectionOptions _options;
    private readonly IFeedSocketFactory _factory;
    private readonly IScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly ConnectionAttemptLimiter _limiter;
    private readonly BackoffPolicy _backoff;
    private readonly ISubject<LinkEvent> _links = Subject.Synchronize(new Subject<LinkEvent>());
    private readonly object _gate = new();
    private readonly List<ShardContext> _shards = [];
    private readonly Subject<ShardContext> _shardAdded = new();
    private long _requestId;
    private int _connectionId;
    private int _shardCount;

    /// <summary>Initializes a new instance of the <see cref="FeedConnection"/> class.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="socketFactory">Creates sockets; Websocket.Client by default.</param>
    /// <param name="logger">Structured logs; none by default.</param>
    /// <param name="limiter">The connection-attempt limiter; by default the process's one for the endpoint's server.</param>
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
        _scheduler = scheduler ?? DefaultScheduler.Instance;
        _limiter = limiter ?? ConnectionAttemptLimiter.ForServer(options.Endpoint, options.MaxAttemptsPerWindow, options.AttemptWindow, _scheduler);
        _backoff = new BackoffPolicy
        {
            InitialDelay = options.ReconnectInitial,
            MaxDelay = options.ReconnectMax,
            ResetAfter = options.HealthyAfter,
            MaxAttempts = options.MaxReconnectAttempts,
            Jitter = options.BackoffJitter,
        };
        foreach (string[] chunk in options.Symbols
            .Select(ControlProtocol.BookTickerStream)
            .Distinct(StringComparer.Ordinal)
            .Chunk(options.MaxStreamsPerConnection))
        {
            _shards.Add(NewShard(chunk));
        }

        // Every shard of the plan, and every shard opened later by Subscribe, runs in each subscription until it is closed.
        Frames = Observable.Create<IObservable<string>>(observer =>
        {
            lock (_gate)
            {
                foreach (ShardContext ctx in _shards)
                {
                    observer.OnNext(ShardFrames(ctx));
                }

                return _shardAdded.Select(ShardFrames).Subscribe(observer);
            }
        }).Merge();
    }

    /// <summary>Gets the frames of every connection, merged; cold: each subscription runs its own connections.</summary>
    public IObservable<string> Frames { get; }

    /// <summary>Gets the state changes of every connection (for health tracking); hot.</summary>
    public IObservable<LinkEvent> Links => _links.AsObservable();

    /// <summary>Gets what the connections have done.</summary>
    public FeedConnectionCounters Counters { get; } = new();

    /// <summary>Gets the streams each connection carries now (at most <see cref="FeedConnectionOptions.MaxStreamsPerConnection"/>).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Shards
    {
        get
        {
            lock (_gate)
            {
                return [.. _shards.Select(s => (IReadOnlyList<string>)s.CurrentStreams())];
            }
        }
    }

    /// <summary>Gets the symbols subscribed now (upper case), in order.</summary>
    public IReadOnlyList<string> Symbols
    {
        get
        {
            lock (_gate)
            {
                return [.. _shards.SelectMany(s => s.CurrentStreams()).Select(ControlProtocol.SymbolOf).Order(StringComparer.Ordinal)];
            }
        }
    }

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

    /// <summary>
    /// Subscribes symbols while running, without touching the other streams: each goes to a connection with room, or a
    /// new connection when all are full. Takes effect at once; the results are replayed to every subscriber. Answers come
    /// from the server, so only while <see cref="Frames"/> is subscribed (until then the symbols simply join the set).
    /// </summary>
    /// <param name="symbols">The symbols (any case).</param>
    /// <returns>One result per distinct symbol — <see cref="SubscriptionOutcome.Acked"/>, <see cref="SubscriptionOutcome.Refused"/>
    /// or <see cref="SubscriptionOutcome.TimedOut"/> — then completion. A symbol already subscribed is Acked at once.</returns>
    public IObservable<SubscriptionResult> Subscribe(params string[] symbols)
    {
        string[] streams = Streams(symbols);
        var results = new ResultCollector(streams.Length);
        lock (_gate)
        {
            // Held already, wherever: answered at once. The rest fills the shards with room, in order.
            var fresh = new List<string>();
            foreach (string stream in streams)
            {
                ShardContext? holder = _shards.FirstOrDefault(s => s.Holds(stream));
                if (holder is not null)
                {
                    holder.TryAdd([stream], results.Add);
                }
                else
                {
                    fresh.Add(stream);
                }
            }

            int next = 0;
            foreach (ShardContext ctx in _shards)
            {
                int room = _options.MaxStreamsPerConnection - ctx.Count;
                if (next < fresh.Count && room > 0 && ctx.TryAdd(fresh.GetRange(next, Math.Min(room, fresh.Count - next)), results.Add))
                {
                    next += Math.Min(room, fresh.Count - next);
                }
            }

            while (next < fresh.Count)
            {
                int take = Math.Min(_options.MaxStreamsPerConnection, fresh.Count - next);
                ShardContext ctx = NewShard([]);
                ctx.TryAdd(fresh.GetRange(next, take), results.Add);
                next += take;
                _shards.Add(ctx);
                _shardAdded.OnNext(ctx);
            }
        }

        return results.Results;
    }

    /// <summary>
    /// Unsubscribes symbols while running. Each removed symbol first gets a <see cref="LinkState.Removed"/> link event (its
    /// health ends with <c>Removed</c>, quoting pulls its quotes), then the UNSUBSCRIBE goes out; a connection left with no
    /// stream is closed instead.
    /// </summary>
    /// <param name="symbols">The symbols (any case).</param>
    /// <returns>One result per distinct symbol, then completion; a symbol not subscribed is Acked at once.</returns>
    public IObservable<SubscriptionResult> Unsubscribe(params string[] symbols)
    {
        string[] streams = Streams(symbols);
        var results = new ResultCollector(streams.Length);
        var byShard = new List<(ShardContext Shard, List<string> Streams)>();
        var unknown = new List<string>();
        lock (_gate)
        {
            foreach (string stream in streams)
            {
                ShardContext? holder = _shards.FirstOrDefault(s => s.Holds(stream));
                if (holder is null)
                {
                    unknown.Add(stream);
                    continue;
                }

                int i = byShard.FindIndex(p => p.Shard == holder);
                if (i < 0)
                {
                    byShard.Add((holder, [stream]));
                }
                else
                {
                    byShard[i].Streams.Add(stream);
                }
            }

            foreach ((ShardContext shard, List<string> gone) in byShard)
            {
                if (shard.Count == gone.Count)
                {
                    _shards.Remove(shard);
                }
            }
        }

        foreach (string stream in unknown)
        {
            results.Add(new SubscriptionResult(ControlProtocol.SymbolOf(stream), SubscriptionOutcome.Acked));
        }

        foreach ((ShardContext shard, List<string> gone) in byShard)
        {
            shard.Remove(gone, results.Add);
        }

        return results.Results;
    }

    private static string[] Streams(string[] symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (symbols.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("symbols must not be empty", nameof(symbols));
        }

        return [.. symbols.Select(ControlProtocol.BookTickerStream).Distinct(StringComparer.Ordinal)];
    }

    private ShardContext NewShard(IEnumerable<string> streams) =>
        new(
            _shardCount++,
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

    private IObservable<string> ShardFrames(ShardContext ctx)
    {
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
        return Supervise(attempt, ctx).TakeUntil(ctx.Closed);
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
