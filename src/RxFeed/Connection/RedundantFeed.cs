using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using RxFeed.Diagnostics;
using RxFeed.Parsing;

namespace RxFeed.Connection;

/// <summary>
/// The same subscriptions on several endpoints of one market (Binance's three hosts, or two local exchanges), each its
/// own self-healing <see cref="FeedConnection"/> (its own backoff, rollover and outbound budget; the per-IP attempt limiter
/// is shared). <see cref="EndpointMode.Hedged"/> keeps every endpoint connected and merges their book tickers per symbol by
/// <c>u</c>, first arrival winning (<c>MergeFirstArrival</c>); <see cref="EndpointMode.Failover"/> keeps one connected,
/// moves to the next at once when it fails, and goes back to the first (preferred) make-before-break once that has been
/// healthy for <see cref="FailbackAfter"/>. <see cref="Links"/> are the feed's, per symbol: Recovering only when every
/// endpoint in use is down, Degraded (hedged) while one of several is.
/// </summary>
public sealed class RedundantFeed : IDisposable
{
    private readonly FeedConnection[] _connections;
    private readonly BehaviorSubject<bool>[] _active;
    private readonly bool[] _inUse;
    private readonly RedundancyTracker _tracker;
    private readonly ISubject<LinkEvent> _links = Subject.Synchronize(new Subject<LinkEvent>());
    private readonly IScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CompositeDisposable _subscriptions = [];
    private readonly SerialDisposable _failbackTimer = new();
    private int _failedInARow;
    private bool _probing;
    private bool _preferredUp;
    private long _switches;

    /// <summary>Initializes a new instance of the <see cref="RedundantFeed"/> class.</summary>
    /// <param name="endpoints">One set of connection options per endpoint, the preferred first; each is validated.</param>
    /// <param name="mode">How the endpoints are used; <see cref="EndpointMode.Single"/> uses the first only.</param>
    /// <param name="failbackAfter">Failover: how long an endpoint must have been up before the preferred one is tried again,
    /// and how long the preferred one must then stay up before the other is closed.</param>
    /// <param name="socketFactory">Creates sockets; Websocket.Client by default.</param>
    /// <param name="logger">Structured logs; none by default.</param>
    /// <param name="scheduler">The clock for timers, budgets and backoffs; <see cref="DefaultScheduler"/> by default.</param>
    public RedundantFeed(
        IReadOnlyList<FeedConnectionOptions> endpoints,
        EndpointMode mode,
        TimeSpan? failbackAfter = null,
        IFeedSocketFactory? socketFactory = null,
        ILogger<FeedConnection>? logger = null,
        IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentOutOfRangeException.ThrowIfZero(endpoints.Count);
        if (endpoints.Select(e => e.Endpoint).Distinct().Count() != endpoints.Count)
        {
            throw new ArgumentException("An endpoint is listed twice.", nameof(endpoints));
        }

        Mode = endpoints.Count == 1 ? EndpointMode.Single : mode;
        FailbackAfter = failbackAfter ?? TimeSpan.FromSeconds(30);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FailbackAfter, TimeSpan.Zero, nameof(failbackAfter));
        _scheduler = scheduler ?? DefaultScheduler.Instance;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        FeedConnectionOptions first = endpoints[0];
        first.Validate();
        var limiter = new ConnectionAttemptLimiter(first.MaxAttemptsPerWindow, first.AttemptWindow);
        _connections = [.. endpoints.Select(o => new FeedConnection(o, socketFactory, logger, limiter, _scheduler))];
        string[] names = [.. endpoints.Select(e => e.Endpoint.ToString())];
        Race = new ArrivalRace(names);
        EndpointCounters = [.. endpoints.Select(_ => new FeedCounters(recordMeters: false))];
        _inUse = [.. endpoints.Select((_, i) => i == 0 || Mode == EndpointMode.Hedged)];
        _active = [.. _inUse.Select(on => new BehaviorSubject<bool>(on))];
        _tracker = new RedundancyTracker(names, Mode == EndpointMode.Hedged);
        for (int i = 0; i < _connections.Length; i++)
        {
            int endpoint = i;
            _subscriptions.Add(_connections[i].Links.Subscribe(e => OnLink(endpoint, e)));
        }

        _subscriptions.Add(_failbackTimer);
        _subscriptions.Add(RxFeedMeters.Track(Race));
    }

    /// <summary>Gets how the endpoints are used.</summary>
    public EndpointMode Mode { get; }

    /// <summary>Gets the failover's patience with an endpoint before the preferred one is tried again.</summary>
    public TimeSpan FailbackAfter { get; }

    /// <summary>Gets one connection per endpoint, in the order given.</summary>
    public IReadOnlyList<FeedConnection> Connections => _connections;

    /// <summary>Gets each endpoint's own frame counts, before the merge (its malformed, invalid, out-of-order frames).</summary>
    public IReadOnlyList<FeedCounters> EndpointCounters { get; }

    /// <summary>Gets who is faster: per endpoint the ticks it delivered first, its duplicates and late ticks, and its lead.</summary>
    public ArrivalRace Race { get; }

    /// <summary>Gets the feed's link events, per symbol (hot).</summary>
    public IObservable<LinkEvent> Links => _links.AsObservable();

    /// <summary>Gets how often the failover moved to another endpoint (failback included).</summary>
    public long Switches => Interlocked.Read(ref _switches);

    /// <summary>Gets the endpoints connected (or being connected) now.</summary>
    public IReadOnlyList<int> ActiveEndpoints
    {
        get
        {
            lock (_gate)
            {
                return [.. Enumerable.Range(0, _inUse.Length).Where(i => _inUse[i])];
            }
        }
    }

    /// <summary>
    /// The merged book tickers: each endpoint's frames stamped on its socket and parsed on <paramref name="pipeline"/>
    /// (counted in <see cref="EndpointCounters"/>), merged by first arrival; every delivered tick is counted in
    /// <paramref name="counters"/>. Cold: each subscription opens its own connections. It errors only when every
    /// endpoint's connection has failed for good.
    /// </summary>
    /// <param name="pipeline">Where the frames are parsed and the merge runs: one thread.</param>
    /// <param name="counters">Counts the merged feed's ticks.</param>
    /// <param name="maxFrameBytes">The frame cap.</param>
    /// <param name="tap">Sees every endpoint's frames on the pipeline thread before they are parsed (recording, counting).</param>
    /// <returns>The merged feed.</returns>
    public IObservable<BookTicker> BookTickers(IScheduler pipeline, FeedCounters counters, int maxFrameBytes = FrameParser.DefaultMaxFrameBytes, Action<int, ReceivedFrame>? tap = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(counters);
        IObservable<BookTicker>[] sources = [.. _connections.Select((connection, i) =>
        {
            IObservable<ReceivedFrame> frames = connection.ReceivedFrames(pipeline);
            if (tap is not null)
            {
                frames = frames.Do(f => tap(i, f));
            }

            IObservable<BookTicker> ticks = frames.ToBookTickers(EndpointCounters[i], maxFrameBytes);

            // An endpoint out of use holds no connection: its subscription is dropped, and made anew when it is used again.
            return _active[i].DistinctUntilChanged().Select(on => on ? ticks : Observable.Never<BookTicker>()).Switch();
        })];
        return sources.MergeFirstArrival(Race).Do(t => counters.Record(FeedFrame.ForTicker(t)));
    }

    /// <inheritdoc/>
    public void Dispose() => _subscriptions.Dispose();

    private void OnLink(int endpoint, LinkEvent e)
    {
        lock (_gate)
        {
            if (!_inUse[endpoint])
            {
                return; // the last words of a connection the failover has let go
            }

            foreach (LinkEvent output in _tracker.On(endpoint, e, i => _inUse[i]))
            {
                _links.OnNext(output);
            }

            if (Mode == EndpointMode.Failover)
            {
                Failover(endpoint, e);
            }
        }
    }

    private void Failover(int endpoint, in LinkEvent e)
    {
        int n = _connections.Length;
        if (e.State == LinkState.Connected)
        {
            _failedInARow = 0;
            if (endpoint == 0 && _probing)
            {
                // Make before break: the preferred endpoint delivers beside the current one until it has proved itself.
                _preferredUp = true;
                _failbackTimer.Disposable = _scheduler.Schedule(FailbackAfter, Failback);
            }
            else if (endpoint != 0 && !_probing)
            {
                _failbackTimer.Disposable = _scheduler.Schedule(FailbackAfter, Probe);
            }

            return;
        }

        if (e.State != LinkState.Disconnected)
        {
            return;
        }

        if (_probing)
        {
            // Two in use: whichever fails is let go, the other carries on alone.
            _probing = false;
            _preferredUp = false;
            Use(endpoint, false);
            if (endpoint == 0)
            {
                _failbackTimer.Disposable = _scheduler.Schedule(FailbackAfter, Probe);
            }

            return;
        }

        // The next endpoint at once; once every one has failed in a row, the current one's own backoff paces the retries.
        if (++_failedInARow < n)
        {
            int next = (endpoint + 1) % n;
            ConnectionLog.FailingOver(_logger, endpoint, next, e.Reason);
            _failbackTimer.Disposable = Disposable.Empty;
            Use(next, true);
            Use(endpoint, false);
            Interlocked.Increment(ref _switches);
        }
    }

    private void Probe()
    {
        lock (_gate)
        {
            if (!_inUse[0] && !_probing)
            {
                _probing = true;
                _preferredUp = false;
                Use(0, true);
            }
        }
    }

    private void Failback()
    {
        lock (_gate)
        {
            if (!_probing || !_preferredUp)
            {
                return;
            }

            _probing = false;
            for (int i = 1; i < _inUse.Length; i++)
            {
                if (_inUse[i])
                {
                    ConnectionLog.FailingOver(_logger, i, 0, "the preferred endpoint is healthy again");
                    Use(i, false);
                }
            }

            Interlocked.Increment(ref _switches);
        }
    }

    /// <summary>Takes an endpoint into use or out of it; the connection follows on the scheduler, never inside this lock.</summary>
    private void Use(int endpoint, bool on)
    {
        _inUse[endpoint] = on;
        if (on)
        {
            _tracker.Reset(endpoint);
        }

        _scheduler.Schedule(() => _active[endpoint].OnNext(on));
    }
}
