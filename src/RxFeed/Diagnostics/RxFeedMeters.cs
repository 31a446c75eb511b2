using System.Diagnostics.Metrics;

namespace RxFeed.Diagnostics;

/// <summary>
/// RxFeed's meter (<c>RxFeed</c>) and instruments, created once, so <c>dotnet-counters monitor -n rxfeed --counters RxFeed</c>
/// or OpenTelemetry (<c>AddMeter("RxFeed")</c>) collect them without code changes.
/// </summary>
public static class RxFeedMeters
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "RxFeed";

    private static readonly Meter Meter = new(MeterName, typeof(RxFeedMeters).Assembly.GetName().Version?.ToString());

    private static readonly List<ArrivalRace> Races = [];
    private static readonly double[] LeadQuantiles = [0.5, 0.99];

    private static readonly KeyValuePair<string, object?>[][] ClassTags = Enum.GetValues<Parsing.FrameClass>()
        .Select(c => new[] { new KeyValuePair<string, object?>("class", ClassTagName(c)) })
        .ToArray();

    /// <summary>Gets frames by class (<c>class</c> tag: bookTicker, control, other, malformed, invalid, outOfOrder).</summary>
    public static Counter<long> Frames { get; } = Meter.CreateCounter<long>("rxfeed.frames", "{frame}", "WebSocket frames by class");

    /// <summary>Gets delivered book tickers.</summary>
    public static Counter<long> DeliveredTicks { get; } = Meter.CreateCounter<long>("rxfeed.ticks.delivered", "{tick}", "Book tickers delivered to subscribers");

    /// <summary>Gets the times a symbol entered Stale.</summary>
    public static Counter<long> StaleEvents { get; } = Meter.CreateCounter<long>("rxfeed.stale", "{event}", "Times a symbol went Stale");

    /// <summary>Gets the reconnects (connections opened after the first).</summary>
    public static Counter<long> Reconnects { get; } = Meter.CreateCounter<long>("rxfeed.reconnects", "{connection}", "WebSocket reconnects");

    /// <summary>Gets the receive-to-delivery latency.</summary>
    public static Histogram<double> Latency { get; } = Meter.CreateHistogram<double>("rxfeed.latency", "us", "Frame receive to tick delivery");

    /// <summary>Gets the order actions (<c>action</c> tag: place, cancel).</summary>
    public static Counter<long> Orders { get; } = Meter.CreateCounter<long>("rxfeed.orders", "{order}", "Order actions of the order manager");

    /// <summary>Gets the values <c>Conflate</c> replaced by a newer value of their key before delivery (<c>symbol</c> tag when keys are strings).</summary>
    public static Counter<long> Conflated { get; } = Meter.CreateCounter<long>("rxfeed.conflated", "{value}", "Values replaced by a newer one of their key before delivery");

    /// <summary>Gets the output lines lost because a file could not keep up (see <see cref="Output.OutputWriter{T}"/>).</summary>
    public static Counter<long> OutputDrops { get; } = Meter.CreateCounter<long>("rxfeed.output.drops", "{line}", "Output lines dropped: the file's queue was full");

    /// <summary>Gets the streams repaired by reconciliation (missing subscribed, extra unsubscribed, silent re-subscribed).</summary>
    public static Counter<long> Reconciled { get; } = Meter.CreateCounter<long>("rxfeed.reconciled", "{stream}", "Subscriptions repaired by reconciliation");

    /// <summary>Gets the times a symbol entered Degraded (fresh data, redundancy lost).</summary>
    public static Counter<long> DegradedEvents { get; } = Meter.CreateCounter<long>("rxfeed.degraded", "{event}", "Times a symbol went Degraded: one of several endpoints down");

    /// <summary>Gets, per endpoint (<c>endpoint</c> tag), the ticks it delivered first; read from the merges when collected, nothing on the hot path.</summary>
    public static ObservableCounter<long> EndpointFirst { get; } = Meter.CreateObservableCounter(
        "rxfeed.endpoint.first", () => Observe(s => s.First), "{tick}", "Ticks an endpoint delivered first");

    /// <summary>Gets, per endpoint, the copies of ticks another endpoint had delivered first, dropped.</summary>
    public static ObservableCounter<long> EndpointDuplicates { get; } = Meter.CreateObservableCounter(
        "rxfeed.endpoint.duplicates", () => Observe(s => s.Duplicates), "{tick}", "Copies dropped because another endpoint was first");

    /// <summary>Gets, per endpoint and <c>quantile</c> (0.5, 0.99), its lead over the runner-up on the ticks it delivered first.</summary>
    public static ObservableGauge<double> EndpointLead { get; } = Meter.CreateObservableGauge(
        "rxfeed.endpoint.lead",
        () => ObserveLeads(),
        "us",
        "An endpoint's lead over the next copy of the ticks it delivered first");

    /// <summary>Makes a merge's endpoints visible on the endpoint instruments until the returned handle is disposed.</summary>
    /// <param name="race">The merge's counts.</param>
    /// <returns>Removes it again.</returns>
    public static IDisposable Track(ArrivalRace race)
    {
        ArgumentNullException.ThrowIfNull(race);
        lock (Races)
        {
            Races.Add(race);
        }

        return System.Reactive.Disposables.Disposable.Create(() =>
        {
            lock (Races)
            {
                Races.Remove(race);
            }
        });
    }

    /// <summary>Counts one frame of a class (allocation-free: tags are prebuilt).</summary>
    /// <param name="frameClass">The class.</param>
    public static void CountFrame(Parsing.FrameClass frameClass)
    {
        if (Frames.Enabled)
        {
            Frames.Add(1, ClassTags[(int)frameClass]);
        }
    }

    /// <summary>Counts one replaced value; a string key is the tag as it is (no allocation), any other key goes untagged rather than boxed.</summary>
    internal static void CountConflated<TKey>(TKey key)
    {
        if (Conflated.Enabled)
        {
            if (key is string symbol)
            {
                Conflated.Add(1, new KeyValuePair<string, object?>("symbol", symbol));
            }
            else
            {
                Conflated.Add(1);
            }
        }
    }

    private static List<Measurement<long>> Observe(Func<SourceArrivals, long> value)
    {
        lock (Races)
        {
            return [.. Races.SelectMany(r => r.Sources).Select(s => new Measurement<long>(value(s), new KeyValuePair<string, object?>("endpoint", s.Name)))];
        }
    }

    private static List<Measurement<double>> ObserveLeads()
    {
        lock (Races)
        {
            return [.. Races.SelectMany(r => r.Sources).SelectMany(s => LeadQuantiles.Select(q => new Measurement<double>(
                s.Lead.Percentile(q) / 1000.0,
                new KeyValuePair<string, object?>("endpoint", s.Name),
                new KeyValuePair<string, object?>("quantile", q))))];
        }
    }

    /// <summary>The class names used in JSON summaries and tags.</summary>
    /// <param name="frameClass">The class.</param>
    /// <returns>E.g. <c>bookTicker</c>.</returns>
    public static string ClassTagName(Parsing.FrameClass frameClass) => frameClass switch
    {
        Parsing.FrameClass.BookTicker => "bookTicker",
        Parsing.FrameClass.Control => "control",
        Parsing.FrameClass.Other => "other",
        Parsing.FrameClass.Malformed => "malformed",
        Parsing.FrameClass.Invalid => "invalid",
        _ => "outOfOrder",
    };
}
