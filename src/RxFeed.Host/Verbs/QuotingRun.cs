using System.Reactive.Concurrency;
using System.Text.Json;
using RxFeed.Connection;
using RxFeed.Health;
using RxFeed.Orders;
using RxFeed.Quoting;

namespace RxFeed.Host.Verbs;

/// <summary>The bound quote flags and where the quoting outputs go.</summary>
/// <param name="Options">The session settings.</param>
/// <param name="QuotesOut">The <c>--quotes-out</c> file, or null.</param>
/// <param name="OrdersOut">The <c>--orders-out</c> file, or null.</param>
/// <param name="HealthOut">The <c>--health-out</c> file, or null.</param>
internal sealed record QuotingOutputs(QuotingSessionOptions Options, FileInfo? QuotesOut, FileInfo? OrdersOut, FileInfo? HealthOut);

/// <summary>A verb's quoting: the <see cref="QuotingSession"/> over its delivered ticks, with the NDJSON outputs subscribed.</summary>
internal sealed class QuotingRun : IDisposable
{
    private readonly List<IDisposable> _resources = [];
    private readonly List<Action> _flushes = [];

    private QuotingRun(QuotingSession session) => Session = session;

    public QuotingSession Session { get; }

    /// <summary>Attaches the session, opens and subscribes the outputs, and subscribes to <paramref name="ticks"/>.</summary>
    /// <param name="ticks">Delivered ticks (hot, or published and connected after this call).</param>
    /// <param name="outputs">Settings and files.</param>
    /// <param name="scheduler">The ticks' scheduler.</param>
    /// <param name="links">Connection state changes (run), or null (replay).</param>
    /// <returns>The running session.</returns>
    public static QuotingRun Start(IObservable<BookTicker> ticks, QuotingOutputs outputs, IScheduler scheduler, IObservable<LinkEvent>? links = null)
    {
        var run = new QuotingRun(QuotingSession.Attach(ticks, outputs.Options, links, scheduler));
        run._resources.Add(run.Session);
        run.Output(outputs.QuotesOut, run.Session.Quotes, QuotingNdjson.Quotes);
        run.Output(outputs.OrdersOut, run.Session.Orders, QuotingNdjson.Orders);
        run.Output(outputs.HealthOut, run.Session.Health, QuotingNdjson.Health);
        run._resources.Add(run.Session.Start());
        return run;
    }

    /// <summary>Graceful stop: the order manager cancels what it holds; the outputs are flushed.</summary>
    /// <param name="tsNs">When; default: the later of the scheduler's clock and the last event.</param>
    public void Stop(long? tsNs = null)
    {
        Session.Stop(tsNs);
        foreach (Action flush in _flushes)
        {
            flush();
        }
    }

    /// <summary>Writes the summary keys <c>stale</c>, <c>quotes</c> and <c>orders</c>.</summary>
    /// <param name="json">The summary object's writer.</param>
    public void WriteSummary(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        OrderCounts orders = Session.OrderCounts;
        json.WriteNumber("stale", Session.StaleCount);
        json.WriteNumber("quotes", Session.QuoteCount);
        json.WriteStartObject("orders");
        json.WriteNumber("placed", orders.Placed);
        json.WriteNumber("cancelled", orders.Cancelled);
        json.WriteNumber("rejected", orders.Rejected);
        json.WriteEndObject();
    }

    /// <summary>One human-readable line of the same counts.</summary>
    /// <returns>The line.</returns>
    public string Describe()
    {
        OrderCounts orders = Session.OrderCounts;
        return $"quoting: {Session.QuoteCount} quotes, {Session.QuoteCancelCount} cancels, {Session.StaleCount} stale; orders: {orders.Placed} placed, {orders.Cancelled} cancelled, {orders.Rejected} rejected";
    }

    public void Dispose()
    {
        for (int i = _resources.Count - 1; i >= 0; i--)
        {
            _resources[i].Dispose();
        }
    }

    private void Output<T>(FileInfo? file, IObservable<T> source, Func<Stream, Quoting.NdjsonWriter<T>> open)
    {
        if (file is null)
        {
            return;
        }

        var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        Quoting.NdjsonWriter<T> writer = open(stream);
        _resources.Add(stream);
        _resources.Add(writer);
        _resources.Add(source.Subscribe(writer.OnNext));
        _flushes.Add(writer.Flush);
    }
}
