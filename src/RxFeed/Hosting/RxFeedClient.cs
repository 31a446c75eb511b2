using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Health;

namespace RxFeed.Hosting;

/// <summary>
/// RxFeed for code that embeds it: book tickers, per-symbol health, connection events and counters over one
/// self-healing <see cref="FeedConnection"/>. The connection opens with the first subscription to <see cref="BookTickers"/>
/// or <see cref="Health"/> and closes when the last one is disposed. Build it with <see cref="Create"/>, or resolve it after
/// <see cref="RxFeedServiceCollectionExtensions.AddRxFeed(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>.
/// </summary>
public sealed class RxFeedClient
{
    private RxFeedClient(RxFeedOptions options, ILoggerFactory? logs, IScheduler scheduler, IScheduler pipeline)
    {
        Options = options;
        if (options.Mode != EndpointMode.Single)
        {
            Redundant = new RedundantFeed(
                [.. options.AllEndpoints.Select(options.ToConnectionOptions)], options.Mode, options.FailbackAfter, logger: logs?.CreateLogger<FeedConnection>(), scheduler: scheduler);
            Connection = Redundant.Connections[0];
        }
        else
        {
            Connection = new FeedConnection(options.ToConnectionOptions(), logger: logs?.CreateLogger<FeedConnection>(), scheduler: scheduler);
        }

        // One connection (per endpoint) and one parse, shared by every subscriber while at least one is subscribed.
        // Parsed on the pipeline thread, so a subscriber never runs on (or blocks) a socket's receive thread.
        BookTickers = (Redundant?.BookTickers(pipeline, Counters, options.MaxFrameBytes)
            ?? Connection.ReceivedFrames(pipeline).ToBookTickers(Counters, options.MaxFrameBytes)).Publish().RefCount();

        // Link events come from socket threads (some under the connection's lock): observed on the pipeline thread like the
        // ticks, so no Health subscriber ever runs on the connection's side.
        Health = BookTickers.TrackHealth(options.StaleAfter, Links.ObserveOn(pipeline), scheduler);
    }

    /// <summary>Gets the options the client was built with.</summary>
    public RxFeedOptions Options { get; }

    /// <summary>Gets the delivered book tickers: valid, in order per symbol, inverted ones flagged.</summary>
    public IObservable<BookTicker> BookTickers { get; }

    /// <summary>Gets every change of a symbol's state (Connecting, Live, Degraded, Stale, Crossed, Recovering; Removed is a symbol's last line after <see cref="Unsubscribe"/>).</summary>
    public IObservable<HealthChange> Health { get; }

    /// <summary>Gets the connections' state changes (hot); with several endpoints, the feed's per symbol.</summary>
    public IObservable<LinkEvent> Links => Redundant?.Links ?? Connection.Links;

    /// <summary>Gets the frame counts by class and the per-symbol sums.</summary>
    public FeedCounters Counters { get; } = new();

    /// <summary>Gets what the connections have done (opened, reconnects, rollovers).</summary>
    public FeedConnectionCounters ConnectionCounters => Connection.Counters;

    /// <summary>Gets the underlying connection (with several endpoints: the preferred one's).</summary>
    public FeedConnection Connection { get; }

    /// <summary>Gets the endpoints, their counts and who is faster, when several are configured; else null.</summary>
    public RedundantFeed? Redundant { get; }

    /// <summary>
    /// Subscribes symbols while running (a new connection opens when the others are full). Takes effect at once; the
    /// results are replayed to every subscriber of the returned observable.
    /// </summary>
    /// <param name="symbols">The symbols (any case).</param>
    /// <returns>One result per symbol (Acked, Refused with Binance's code and message, or TimedOut), then completion.</returns>
    public IObservable<SubscriptionResult> Subscribe(params string[] symbols) => SingleConnection().Subscribe(symbols);

    /// <summary>
    /// Unsubscribes symbols while running: each first ends its health with <c>Removed</c> (quoting pulls its quotes, the
    /// order manager cancels its orders), then the UNSUBSCRIBE goes out; a connection left empty is closed.
    /// </summary>
    /// <param name="symbols">The symbols (any case).</param>
    /// <returns>One result per symbol, then completion.</returns>
    public IObservable<SubscriptionResult> Unsubscribe(params string[] symbols) => SingleConnection().Unsubscribe(symbols);

    /// <summary>Creates a client; nothing connects until something subscribes.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="logs">Structured logs; none by default.</param>
    /// <param name="scheduler">The clock for timers and backoff; <see cref="DefaultScheduler"/> by default.</param>
    /// <param name="pipeline">Where frames are parsed and subscribers called; by default a thread of the client's own.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static RxFeedClient Create(RxFeedOptions options, ILoggerFactory? logs = null, IScheduler? scheduler = null, IScheduler? pipeline = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new RxFeedClient(options, logs, scheduler ?? DefaultScheduler.Instance, pipeline ?? PipelineThread.Create());
    }

    /// <summary>Runtime subscription changes go to the one connection; with several endpoints they are not supported yet.</summary>
    private FeedConnection SingleConnection() => Redundant is null ? Connection
        : throw new NotSupportedException("Subscribe/Unsubscribe at runtime work on one endpoint; with several endpoints the symbols stay as configured.");
}
