using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using RxFeed.Time;

namespace RxFeed.Connection;

/// <summary>What every session of one shard (one logical connection, up to 1024 streams) shares.</summary>
internal sealed class ShardContext
{
    private readonly object _gate = new();
    private readonly HashSet<string> _streams;
    private readonly Action<LinkEvent> _links;
    private readonly Func<long> _nextRequestId;
    private readonly Func<int> _nextConnectionId;
    private bool _everOpened;

    public ShardContext(
        int shard,
        IEnumerable<string> streams,
        FeedConnectionOptions options,
        IFeedSocketFactory factory,
        ConnectionAttemptLimiter limiter,
        FeedConnectionCounters counters,
        Action<LinkEvent> links,
        Func<long> nextRequestId,
        Func<int> nextConnectionId,
        ILogger logger,
        IScheduler scheduler)
    {
        Shard = shard;
        _streams = new HashSet<string>(streams, StringComparer.Ordinal);
        Options = options;
        Factory = factory;
        Limiter = limiter;
        Counters = counters;
        _links = links;
        _nextRequestId = nextRequestId;
        _nextConnectionId = nextConnectionId;
        Logger = logger;
        Scheduler = scheduler;
        Symbols = [.. _streams.Select(s => s[..s.IndexOf('@', StringComparison.Ordinal)].ToUpperInvariant()).Order(StringComparer.Ordinal)];
    }

    public int Shard { get; }

    public FeedConnectionOptions Options { get; }

    public IFeedSocketFactory Factory { get; }

    public ConnectionAttemptLimiter Limiter { get; }

    public FeedConnectionCounters Counters { get; }

    public ILogger Logger { get; }

    public IScheduler Scheduler { get; }

    /// <summary>Gets the symbols this shard carries (upper case), for link events.</summary>
    public IReadOnlyCollection<string> Symbols { get; }

    /// <summary>Gets a value indicating whether a session of this shard has opened before (the next attempt is a reconnect).</summary>
    public bool HasOpened
    {
        get
        {
            lock (_gate)
            {
                return _everOpened;
            }
        }
    }

    public long NextRequestId() => _nextRequestId();

    public int NextConnectionId() => _nextConnectionId();

    /// <summary>The streams this shard must hold right now; what every (re)connect subscribes to exactly.</summary>
    public string[] CurrentStreams()
    {
        lock (_gate)
        {
            return [.. _streams.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Records that a session opened.</summary>
    public void MarkOpened()
    {
        lock (_gate)
        {
            _everOpened = true;
        }
    }

    public void Link(LinkState state, string reason, int connectionId) =>
        _links(new LinkEvent(state, reason, Symbols, Scheduler.NowUnixNanoseconds(), connectionId));
}
