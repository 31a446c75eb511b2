using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Health;
using RxFeed.Orders;
using RxFeed.Time;

namespace RxFeed.Quoting;

/// <summary>The settings of a <see cref="QuotingSession"/>.</summary>
public sealed class QuotingSessionOptions
{
    /// <summary>Gets or sets the staleness bound (<c>--stale-after</c>, 10s).</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the quote engine's settings.</summary>
    public QuoteOptions Quote { get; set; } = new();

    /// <summary>Gets or sets the order manager's settings.</summary>
    public OrderOptions Orders { get; set; } = new();
}

/// <summary>
/// Ticks → health → quote engine → paper order manager, as the host runs it in <c>replay</c> and <c>run</c>. Subscribe to
/// <see cref="Health"/>, <see cref="Quotes"/> and <see cref="Orders"/> (hot), then <see cref="Start"/>; call
/// <see cref="Stop"/> on a graceful stop so the order manager cancels what it holds.
/// </summary>
public sealed class QuotingSession : IDisposable
{
    private readonly QuotingProducer _producer;
    private readonly IConnectableObservable<QuotingEvent> _events;
    private readonly PaperOrderManager _manager;
    private readonly IScheduler _scheduler;
    private readonly CompositeDisposable _disposables = [];
    private long _quotes;
    private long _quoteCancels;
    private long _stale;
    private long _lastTsNs = long.MinValue;

    private QuotingSession(IObservable<BookTicker> ticks, QuotingSessionOptions options, IObservable<LinkEvent>? links, IScheduler scheduler)
    {
        _scheduler = scheduler;
        _producer = new QuotingProducer(ticks, links, options.Quote, options.StaleAfter, scheduler);
        _events = _producer.Events().Publish();
        _manager = new PaperOrderManager(options.Orders, scheduler);
        _disposables.Add(_manager);

        // The session's own observer subscribes first: counts and orders follow each event before the host sees it.
        _disposables.Add(_events.Subscribe(OnEvent));
        Health = _events.Where(static e => e.Kind == QuotingEventKind.Health).Select(static e => e.Health);
        Quotes = _events.Where(static e => e.Kind == QuotingEventKind.Quote).Select(static e => e.Quote);
    }

    /// <summary>Gets every change of a symbol's health, in time order.</summary>
    public IObservable<HealthChange> Health { get; }

    /// <summary>Gets every quote and cancel of the quote engine.</summary>
    public IObservable<QuoteUpdate> Quotes { get; }

    /// <summary>Gets every action of the paper order manager.</summary>
    public IObservable<OrderEvent> Orders => _manager.Events;

    /// <summary>Gets the order manager.</summary>
    public IOrderManager OrderManager => _manager;

    /// <summary>Gets the number of quotes emitted (cancels not included).</summary>
    public long QuoteCount => Interlocked.Read(ref _quotes);

    /// <summary>Gets the number of cancel lines (exits from Live).</summary>
    public long QuoteCancelCount => Interlocked.Read(ref _quoteCancels);

    /// <summary>Gets the candidates not quoted because they would have crossed the market or themselves.</summary>
    public long CrossingRefusedCount => _producer.CrossingRefused;

    /// <summary>Gets the number of times a symbol entered Stale.</summary>
    public long StaleCount => Interlocked.Read(ref _stale);

    /// <summary>Gets how many places and cancels were sent and how many places the venue refused.</summary>
    public OrderCounts OrderCounts => _manager.Counts;

    /// <summary>Builds the session; nothing flows until <see cref="Start"/>.</summary>
    /// <param name="ticks">Delivered book tickers (inverted ones flagged), stamped with their receive time.</param>
    /// <param name="options">The settings.</param>
    /// <param name="links">Connection state changes (in <c>run</c>), or null.</param>
    /// <param name="scheduler">The scheduler of the tick source (a <see cref="ReplayScheduler"/> in replays).</param>
    /// <returns>The session.</returns>
    public static QuotingSession Attach(
        IObservable<BookTicker> ticks,
        QuotingSessionOptions options,
        IObservable<LinkEvent>? links = null,
        IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        ArgumentNullException.ThrowIfNull(options);
        options.Quote.Validate();
        options.Orders.Validate();
        return new QuotingSession(ticks, options, links, scheduler ?? Scheduler.Default);
    }

    /// <summary>Subscribes to the ticks (once).</summary>
    /// <returns>Disconnects the session from the ticks.</returns>
    public IDisposable Start()
    {
        IDisposable connection = _events.Connect();
        _disposables.Add(connection);
        return connection;
    }

    /// <summary>Graceful stop: cancels every live order.</summary>
    /// <param name="tsNs">When; default: the later of the scheduler's clock and the last event's time.</param>
    public void Stop(long? tsNs = null) =>
        _manager.CancelAll(tsNs ?? Math.Max(_scheduler.NowUnixNanoseconds(), Interlocked.Read(ref _lastTsNs)));

    /// <inheritdoc/>
    public void Dispose() => _disposables.Dispose();

    private void OnEvent(QuotingEvent e)
    {
        Interlocked.Exchange(ref _lastTsNs, Math.Max(Interlocked.Read(ref _lastTsNs), e.TsNs));
        if (e.Kind == QuotingEventKind.Health)
        {
            if (e.Health.State == FeedState.Stale)
            {
                Interlocked.Increment(ref _stale);
                RxFeedMeters.StaleEvents.Add(1);
            }
            else if (e.Health.State == FeedState.Degraded)
            {
                RxFeedMeters.DegradedEvents.Add(1);
            }

            return;
        }

        if (e.Quote.IsCancel)
        {
            Interlocked.Increment(ref _quoteCancels);
        }
        else
        {
            Interlocked.Increment(ref _quotes);
        }

        _manager.Apply(e.Quote);
    }
}
