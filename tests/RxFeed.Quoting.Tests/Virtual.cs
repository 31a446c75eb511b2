using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using RxFeed.Connection;
using RxFeed.Health;
using RxFeed.Quoting;

namespace RxFeed.Quoting.Tests;

/// <summary>Virtual-time helpers: a TestScheduler tick is 100 ns, and tick times in ns are scheduler ticks × 100.</summary>
internal static class Virtual
{
    public const long MsTicks = TimeSpan.TicksPerMillisecond;

    public static long Ns(long ms) => ms * 1_000_000;

    public static BookTicker Tick(long ms, long u, decimal bid, decimal ask, string symbol = "ETHUSDT") =>
        new(symbol, u, bid, 1m, ask, 1m, Ns(ms), bid >= ask);

    public static IObservable<BookTicker> Hot(TestScheduler scheduler, params BookTicker[] ticks) =>
        scheduler.CreateHotObservable(ticks.Select(t => ReactiveTest.OnNext(t.ReceivedNs / 100, t)).ToArray());

    public static IObservable<LinkEvent> Links(TestScheduler scheduler, params LinkEvent[] links) =>
        scheduler.CreateHotObservable(links.Select(l => ReactiveTest.OnNext(l.AtNs / 100, l)).ToArray());

    public static List<T> Collect<T>(TestScheduler scheduler, IObservable<T> source, long untilMs = 60_000)
    {
        var seen = new List<T>();
        using IDisposable subscription = source.Subscribe(seen.Add);
        scheduler.AdvanceTo(untilMs * MsTicks);
        return seen;
    }

    public static List<QuoteUpdate> Quotes(
        QuoteOptions options,
        BookTicker[] ticks,
        long staleAfterMs = 60_000,
        LinkEvent[]? links = null,
        long untilMs = 60_000)
    {
        var scheduler = new TestScheduler();
        IObservable<LinkEvent>? linkStream = links is null ? null : Links(scheduler, links);
        return Collect(scheduler, Hot(scheduler, ticks).Quote(options, TimeSpan.FromMilliseconds(staleAfterMs), linkStream, scheduler), untilMs);
    }

    public static List<HealthChange> HealthOf(BookTicker[] ticks, long staleAfterMs, LinkEvent[]? links = null, long untilMs = 60_000)
    {
        var scheduler = new TestScheduler();
        IObservable<LinkEvent>? linkStream = links is null ? null : Links(scheduler, links);
        return Collect(scheduler, Hot(scheduler, ticks).TrackHealth(TimeSpan.FromMilliseconds(staleAfterMs), linkStream, scheduler), untilMs);
    }

    /// <summary>Renders a quote update compactly: <c>ts:u bid/ask</c> or <c>ts:cancel Reason</c>.</summary>
    public static string Show(QuoteUpdate q) => q.IsCancel
        ? $"{q.TsNs}:cancel {q.Reason}"
        : $"{q.TsNs}:{q.UpdateId} {q.Bid?.ToString() ?? "-"}/{q.Ask?.ToString() ?? "-"}";
}
