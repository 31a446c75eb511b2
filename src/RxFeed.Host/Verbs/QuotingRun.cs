using System.Reactive.Concurrency;
using System.Text.Json;
using RxFeed.Connection;
using RxFeed.Health;
using RxFeed.Orders;
using RxFeed.Output;
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
    private readonly List<Func<long>> _drops = [];
    private readonly List<(string Flag, Func<Exception?> Error)> _errors = [];
    private readonly OutputOverflow _overflow;
    private bool _stopped;

    private QuotingRun(QuotingSession session, OutputOverflow overflow)
    {
        Session = session;
        _overflow = overflow;
    }

    public QuotingSession Session { get; }

    /// <summary>Gets the output lines lost because a file fell behind.</summary>
    public long OutputDrops => _drops.Sum(d => d());

    /// <summary>Gets the first output that could not be written, as its flag and why; null while every file is written.</summary>
    public (string Flag, Exception Error)? OutputFailure
    {
        get
        {
            foreach ((string flag, Func<Exception?> error) in _errors)
            {
                if (error() is { } e)
                {
                    return (flag, e);
                }
            }

            return null;
        }
    }

    /// <summary>Attaches the session, opens and subscribes the outputs, and subscribes to <paramref name="ticks"/>.</summary>
    /// <param name="ticks">Delivered ticks (hot, or published and connected after this call).</param>
    /// <param name="outputs">Settings and files.</param>
    /// <param name="scheduler">The ticks' scheduler.</param>
    /// <param name="links">Connection state changes (run), or null (replay).</param>
    /// <param name="overflow">What the files do when the disk falls behind: drop and count (run) or wait (replay).</param>
    /// <returns>The running session.</returns>
    public static QuotingRun Start(IObservable<BookTicker> ticks, QuotingOutputs outputs, IScheduler scheduler, IObservable<LinkEvent>? links = null, OutputOverflow overflow = OutputOverflow.Wait)
    {
        var run = new QuotingRun(QuotingSession.Attach(ticks, outputs.Options, links, scheduler), overflow);
        run._resources.Add(run.Session);
        run.Output<QuoteUpdate>("--quotes-out", outputs.QuotesOut, run.Session.Quotes, QuotingNdjson.WriteQuote);
        run.Output<OrderEvent>("--orders-out", outputs.OrdersOut, run.Session.Orders, QuotingNdjson.WriteOrder);
        run.Output<HealthChange>("--health-out", outputs.HealthOut, run.Session.Health, QuotingNdjson.WriteHealth);
        run._resources.Add(run.Session.Start());
        return run;
    }

    /// <summary>Graceful stop: the order manager cancels what it holds, the session stops, the outputs are flushed and closed.</summary>
    /// <param name="tsNs">When; default: the later of the scheduler's clock and the last event.</param>
    public void Stop(long? tsNs = null)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Session.Stop(tsNs);
        Dispose();
    }

    /// <summary>Writes the summary keys <c>stale</c>, <c>quotes</c> and <c>orders</c>.</summary>
    /// <param name="json">The summary object's writer.</param>
    public void WriteSummary(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        OrderCounts orders = Session.OrderCounts;
        json.WriteNumber("stale", Session.StaleCount);
        json.WriteNumber("quotes", Session.QuoteCount);
        json.WriteNumber("crossingRefused", Session.CrossingRefusedCount);
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

    /// <exception cref="IOException">An output file could not be written (the first such error; every resource is still disposed).</exception>
    public void Dispose()
    {
        // Last in, first out: the ticks are cut off and the session's timers stopped before the files are closed. A file
        // that failed must not leave the resources before it undisposed.
        IOException? first = null;
        for (int i = _resources.Count - 1; i >= 0; i--)
        {
            try
            {
                _resources[i].Dispose();
            }
            catch (IOException error)
            {
                first ??= error;
            }
        }

        _resources.Clear();
        if (first is not null)
        {
            throw first;
        }
    }

    private void Output<T>(string flag, FileInfo? file, IObservable<T> source, NdjsonFormat<T> format)
    {
        if (file is null)
        {
            return;
        }

        OutputWriter<T> writer = OutputWriter.Ndjson(file.FullName, format, _overflow);
        _resources.Add(writer);
        _resources.Add(source.Subscribe(writer.OnNext));
        _drops.Add(() => writer.Drops);
        _errors.Add((flag, () => writer.Error));
    }
}
