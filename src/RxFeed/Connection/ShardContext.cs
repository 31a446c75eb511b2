using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using RxFeed.Time;

namespace RxFeed.Connection;

/// <summary>
/// One shard (one logical connection, up to 1024 streams): the streams it must hold — changed at run time by
/// <see cref="FeedConnection.Subscribe"/> and <see cref="FeedConnection.Unsubscribe"/> — the sessions open on it, and who
/// waits for the answer about which stream.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A subject holds no resource: completing it is its end.")]
internal sealed class ShardContext
{
    private readonly object _gate = new();
    private readonly HashSet<string> _streams;
    private readonly List<LinkSession> _live = [];
    private readonly Dictionary<string, List<Action<SubscriptionResult>>> _waiters = new(StringComparer.Ordinal);
    private readonly AsyncSubject<bool> _closed = new();
    private readonly Action<LinkEvent> _links;
    private readonly Func<long> _nextRequestId;
    private readonly Func<int> _nextConnectionId;
    private bool _everOpened;
    private bool _isClosed;

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
    }

    public int Shard { get; }

    public FeedConnectionOptions Options { get; }

    public IFeedSocketFactory Factory { get; }

    public ConnectionAttemptLimiter Limiter { get; }

    public FeedConnectionCounters Counters { get; }

    public ILogger Logger { get; }

    public IScheduler Scheduler { get; }

    /// <summary>Gets one notification when the shard was emptied and closed.</summary>
    public IObservable<bool> Closed => _closed;

    /// <summary>Gets the number of streams the shard holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _streams.Count;
            }
        }
    }

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

    /// <summary>Gets a value indicating whether the shard was emptied and closed; nothing is added to it any more.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _isClosed;
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

    public bool Holds(string stream)
    {
        lock (_gate)
        {
            return _streams.Contains(stream);
        }
    }

    /// <summary>Records that a session opened and registers it for run-time changes; returns the streams to subscribe.</summary>
    public string[] Open(LinkSession session)
    {
        lock (_gate)
        {
            _everOpened = true;
            _live.Add(session);
            return [.. _streams.Order(StringComparer.Ordinal)];
        }
    }

    public void Closing(LinkSession session)
    {
        lock (_gate)
        {
            _live.Remove(session);
        }
    }

    /// <summary>
    /// Adds streams at run time; each answer (ack, refusal, timeout) goes to <paramref name="onResult"/>. Streams already
    /// held are answered Acked at once, or with the answer of their SUBSCRIBE still on its way. Returns false when the shard no longer takes streams (closed or full).
    /// </summary>
    public bool TryAdd(IReadOnlyList<string> streams, Action<SubscriptionResult> onResult)
    {
        LinkSession[] live;
        var added = new List<string>(streams.Count);
        var already = new List<string>();
        lock (_gate)
        {
            int fresh = streams.Count(s => !_streams.Contains(s));
            if (_isClosed || _streams.Count + fresh > Options.MaxStreamsPerConnection)
            {
                return false;
            }

            foreach (string stream in streams)
            {
                if (_streams.Add(stream))
                {
                    added.Add(stream);
                    Wait(Key(stream, subscribe: true), onResult);
                }
                else if (_waiters.ContainsKey(Key(stream, subscribe: true)))
                {
                    Wait(Key(stream, subscribe: true), onResult); // its SUBSCRIBE is still on its way: same answer
                }
                else
                {
                    already.Add(stream);
                }
            }

            live = [.. _live];
        }

        foreach (string stream in already)
        {
            onResult(new SubscriptionResult(ControlProtocol.SymbolOf(stream), SubscriptionOutcome.Acked));
        }

        if (added.Count > 0)
        {
            Link(LinkState.Connecting, "subscribing", 0, [.. added.Select(ControlProtocol.SymbolOf)]);
            foreach (LinkSession session in live)
            {
                session.Request(added, subscribe: true);
            }
        }

        return true;
    }

    /// <summary>
    /// Removes streams at run time (the Removed link event goes out first, so quoting pulls out before the request).
    /// An emptied shard is closed instead: closing the connection drops every subscription it had.
    /// </summary>
    public void Remove(IReadOnlyList<string> streams, Action<SubscriptionResult> onResult)
    {
        LinkSession[] live;
        var removed = new List<string>(streams.Count);
        var cancelled = new List<(Action<SubscriptionResult>, SubscriptionResult)>();
        bool close;
        lock (_gate)
        {
            removed.AddRange(streams.Where(_streams.Remove));
            foreach (string stream in removed)
            {
                // A SUBSCRIBE still on its way: whoever waits for it gets its end now, whatever the server says later.
                if (_waiters.Remove(Key(stream, subscribe: true), out List<Action<SubscriptionResult>>? waiting))
                {
                    var result = new SubscriptionResult(ControlProtocol.SymbolOf(stream), SubscriptionOutcome.Cancelled);
                    cancelled.AddRange(waiting.Select(w => (w, result)));
                }
            }

            close = _streams.Count == 0 && !_isClosed;
            _isClosed |= close;
            live = [.. _live];
            if (!close && live.Length > 0)
            {
                foreach (string stream in removed)
                {
                    Wait(Key(stream, subscribe: false), onResult);
                }
            }
        }

        foreach ((Action<SubscriptionResult> call, SubscriptionResult result) in cancelled)
        {
            call(result);
        }

        if (removed.Count > 0)
        {
            Link(LinkState.Removed, "unsubscribed", 0, [.. removed.Select(ControlProtocol.SymbolOf)]);
        }

        if (close || live.Length == 0)
        {
            foreach (string stream in removed)
            {
                onResult(new SubscriptionResult(ControlProtocol.SymbolOf(stream), SubscriptionOutcome.Acked));
            }

            if (close)
            {
                _closed.OnNext(true);
                _closed.OnCompleted();
            }

            return;
        }

        foreach (LinkSession session in live)
        {
            session.Request(removed, subscribe: false);
        }
    }

    /// <summary>A session's answer about some streams: handed to whoever waits for it.</summary>
    public void Resolve(IEnumerable<string> streams, bool subscribe, SubscriptionOutcome outcome, int? code = null, string? message = null)
    {
        var calls = new List<(Action<SubscriptionResult>, SubscriptionResult)>();
        lock (_gate)
        {
            foreach (string stream in streams)
            {
                if (_waiters.Remove(Key(stream, subscribe), out List<Action<SubscriptionResult>>? waiting))
                {
                    var result = new SubscriptionResult(ControlProtocol.SymbolOf(stream), outcome, code, message);
                    calls.AddRange(waiting.Select(w => (w, result)));
                }
            }
        }

        foreach ((Action<SubscriptionResult> call, SubscriptionResult result) in calls)
        {
            call(result);
        }
    }

    /// <summary>A refused SUBSCRIBE: the server will not serve the streams, so they leave the shard (no retry storm).</summary>
    public void Forget(IEnumerable<string> streams)
    {
        lock (_gate)
        {
            foreach (string stream in streams)
            {
                _streams.Remove(stream);
            }
        }
    }

    public void Link(LinkState state, string reason, int connectionId) => Link(state, reason, connectionId, Symbols());

    private void Link(LinkState state, string reason, int connectionId, IReadOnlyCollection<string> symbols) =>
        _links(new LinkEvent(state, reason, symbols, Scheduler.NowUnixNanoseconds(), connectionId));

    private string[] Symbols()
    {
        lock (_gate)
        {
            return [.. _streams.Select(ControlProtocol.SymbolOf).Order(StringComparer.Ordinal)];
        }
    }

    private static string Key(string stream, bool subscribe) => (subscribe ? "+" : "-") + stream;

    private void Wait(string key, Action<SubscriptionResult> onResult)
    {
        if (!_waiters.TryGetValue(key, out List<Action<SubscriptionResult>>? list))
        {
            _waiters[key] = list = [];
        }

        list.Add(onResult);
    }
}
