using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxFeed.Connection;
using RxFeed.Health;

namespace RxFeed.Quoting;

/// <summary>The parameters of one health/quoting pipeline; each subscription gets its own <see cref="QuotingSink"/>.</summary>
internal sealed class QuotingProducer
{
    private long _crossingRefused;

    public QuotingProducer(IObservable<BookTicker> ticks, IObservable<LinkEvent>? links, QuoteOptions? options, TimeSpan staleAfter, IScheduler scheduler)
    {
        Ticks = ticks;
        Links = links;
        Pricer = options is null ? null : new QuotePricer(options);
        StaleNs = staleAfter.Ticks > long.MaxValue / 100 ? long.MaxValue : staleAfter.Ticks * 100;
        StaleReason = string.Create(CultureInfo.InvariantCulture, $"no book ticker for {staleAfter.TotalMilliseconds}ms");
        Scheduler = scheduler;
    }

    public IObservable<BookTicker> Ticks { get; }

    public IObservable<LinkEvent>? Links { get; }

    /// <summary>Gets an external health stream; when set, the machines take Live/Stale/... from it instead of deriving them.</summary>
    public IObservable<HealthChange>? HealthInput { get; init; }

    public QuotePricer? Pricer { get; }

    public long StaleNs { get; }

    public string StaleReason { get; }

    public IScheduler Scheduler { get; }

    /// <summary>Gets the candidates refused because they would cross (all subscriptions).</summary>
    public long CrossingRefused => Interlocked.Read(ref _crossingRefused);

    public void CountCrossingRefused() => Interlocked.Increment(ref _crossingRefused);

    public IObservable<QuotingEvent> Events() =>
        Observable.Create<QuotingEvent>(observer => new QuotingSink(this, observer).Run());

    public IObservable<HealthChange> Health() =>
        Events().Where(static e => e.Kind == QuotingEventKind.Health).Select(static e => e.Health);
}
