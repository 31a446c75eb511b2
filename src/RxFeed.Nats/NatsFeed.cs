using System.Buffers;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Health;
using RxFeed.Parsing;
using RxFeed.Time;

namespace RxFeed.Nats;

/// <summary>
/// RxFeed's book tickers and health read from NATS, with <see cref="Hosting.RxFeedClient"/>'s contract: the same types,
/// per symbol <c>u</c> strictly rising (the first copy of an update wins, whichever publisher sent it; later copies and
/// older ids are counted as out of order and dropped), and staleness measured on this process's own scheduler from the
/// ticks it receives, so a publisher that dies or stalls makes its symbols Stale here within <see cref="NatsFeedOptions.StaleAfter"/>.
/// A lost NATS connection makes every symbol Recovering until fresh ticks arrive; the client reconnects by itself.
/// On subscribing, the last tick of every symbol is delivered first (kept by JetStream), then every new one.
/// </summary>
public sealed class NatsFeed : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly ILogger _log;
    private readonly IScheduler _scheduler;
    private readonly Subject<LinkEvent> _links = new();
    private readonly Lock _seenGate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private long _duplicates;
    private int _disposed;
    private long _clientDrops;

    private NatsFeed(NatsFeedOptions options, ILogger log, IScheduler scheduler)
    {
        Options = options;
        _log = log;
        _scheduler = scheduler;
        _connection = new NatsConnection(options.ToNatsOpts("rxfeed-consumer"));
        _connection.ConnectionDisconnected += (_, e) => OnLink(LinkState.Disconnected, "nats: " + e.Message);
        _connection.ConnectionOpened += (_, e) => OnLink(LinkState.Connected, "nats: " + e.Message);
        _connection.MessageDropped += (_, _) =>
        {
            Interlocked.Increment(ref _clientDrops);
            return ValueTask.CompletedTask;
        };

        // One NATS consumer shared by every subscriber while at least one is subscribed.
        BookTickers = Observable.Create<BookTicker>(ConsumeAsync).Publish().RefCount();

        // Staleness on this process's clock: health sees each tick stamped when it arrived here, not when the publisher got
        // it, so a publisher's clock (or its distance) cannot make a symbol Stale early or late. Delivered ticks keep the
        // publisher's receive time.
        Health = BookTickers.Select(t => t with { ReceivedNs = scheduler.NowUnixNanoseconds() }).TrackHealth(options.StaleAfter, _links, scheduler);
    }

    /// <summary>Gets the options the feed was built with.</summary>
    public NatsFeedOptions Options { get; }

    /// <summary>Gets the delivered book tickers: valid, in order per symbol, inverted ones flagged.</summary>
    public IObservable<BookTicker> BookTickers { get; }

    /// <summary>Gets every change of a symbol's state (Live, Stale, Crossed, Recovering), judged on this process's clock.</summary>
    public IObservable<HealthChange> Health { get; }

    /// <summary>Gets the NATS connection's state changes (hot).</summary>
    public IObservable<LinkEvent> Links => _links;

    /// <summary>Gets the messages counted by class and fault, and per symbol the delivered ticks with their exact sums.</summary>
    public FeedCounters Counters { get; } = new();

    /// <summary>Gets the ticks dropped because the same symbol and <c>u</c> was already delivered (another publisher's copy); part of the out-of-order count.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Gets the messages the NATS client dropped because this feed's subscriber fell behind by more than its queue.</summary>
    public long ClientDrops => Interlocked.Read(ref _clientDrops);

    /// <summary>Creates a feed; nothing connects until something subscribes.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="logs">Structured logs; none by default.</param>
    /// <param name="scheduler">The clock staleness is judged on; <see cref="DefaultScheduler"/> by default.</param>
    /// <returns>The feed.</returns>
    public static NatsFeed Create(NatsFeedOptions options, ILoggerFactory? logs = null, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new NatsFeed(options, (ILogger?)logs?.CreateLogger<NatsFeed>() ?? NullLogger.Instance, scheduler ?? DefaultScheduler.Instance);
    }

    /// <summary>Closes the connection; subscribers see no more ticks.</summary>
    /// <returns>When closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _links.OnCompleted();
        _links.Dispose();
    }

    private ValueTask OnLink(LinkState state, string reason)
    {
        string[] symbols;
        lock (_seenGate)
        {
            symbols = [.. _seen.Union(Options.Symbols)];
        }

        _links.OnNext(new LinkEvent(state, reason, symbols, _scheduler.NowUnixNanoseconds()));
        return ValueTask.CompletedTask;
    }

    private async Task ConsumeAsync(IObserver<BookTicker> observer, CancellationToken cancellationToken)
    {
        // Per subscription, like DropOutOfOrder: the last delivered u of each symbol.
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        var wanted = Options.Symbols.Count == 0 ? null : new HashSet<string>(Options.Symbols, StringComparer.Ordinal);
        string tickPrefix = Options.Prefix + ".bookTicker.";
        string lastPrefix = Options.Prefix + ".last.bookTicker.";
        var js = new NatsJSContext(_connection);

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Live ticks by core NATS (every message, as fast as the server sends); subscribed before the snapshot is
                // read so nothing falls between the two. The client resubscribes by itself after a reconnect.
                string filter = Options.Symbols.Count == 1 ? tickPrefix + Options.Symbols[0] : tickPrefix + ">";
                await using INatsSub<byte[]> live = await _connection.SubscribeCoreAsync<byte[]>(filter, cancellationToken: cancellationToken).ConfigureAwait(false);

                // The stream keeps one message per subject, so a JetStream consumer would miss whatever a burst overwrote:
                // it serves only the snapshot, the last tick of every symbol, for a consumer that joins late.
                try
                {
                    await NatsPublisher.EnsureStreamAsync(_connection, Options, cancellationToken).ConfigureAwait(false);
                    string lastFilter = Options.Symbols.Count == 1 ? lastPrefix + Options.Symbols[0] : lastPrefix + ">";
                    INatsJSConsumer snapshot = await CreateConsumerAsync(js, lastFilter, cancellationToken).ConfigureAwait(false);
                    await foreach (NatsJSMsg<byte[]> msg in snapshot.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 100_000 }, cancellationToken: cancellationToken).ConfigureAwait(false))
                    {
                        Deliver(msg.Subject[lastPrefix.Length..], msg.Data);
                    }

                    await js.DeleteConsumerAsync(Options.StreamName, snapshot.Info.Name, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NatsJSException or InvalidOperationException)
                {
                    // A server without JetStream still carries the live ticks; only the late joiner's head start is lost.
                    _log.LogWarning(ex, "No last-value snapshot from {Stream}; live ticks only", Options.StreamName);
                }

                await foreach (NatsMsg<byte[]> msg in live.Msgs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    Deliver(msg.Subject.StartsWith(tickPrefix, StringComparison.Ordinal) ? msg.Subject[tickPrefix.Length..] : null, msg.Data);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NatsException or NatsJSException or TimeoutException or InvalidOperationException)
            {
                _log.LogWarning(ex, "NATS consumer of {Stream} failed; starting again", Options.StreamName);
            }

            // Not a tight loop against a server that is down; the connection itself reconnects on its own schedule.
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        void Deliver(string? symbol, byte[]? data)
        {
            if (symbol is null || (wanted is not null && !wanted.Contains(symbol)))
            {
                return;
            }

            FeedFrame frame = NatsWire.ReadTick(data ?? [], symbol);
            if (frame.Class == FrameClass.BookTicker)
            {
                frame = Admit(last, frame);
            }

            Counters.Record(frame);
            if (frame.Class == FrameClass.BookTicker)
            {
                observer.OnNext(frame.Ticker);
            }
        }
    }

    /// <summary>
    /// An ephemeral consumer through the original <c>CONSUMER.CREATE.{stream}</c> API: the client's own create call names
    /// the filter in the subject, which a 2.9 server (Debian's) rejects for a wildcard filter.
    /// </summary>
    private async Task<INatsJSConsumer> CreateConsumerAsync(NatsJSContext js, string filter, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteString("stream_name", Options.StreamName);
            w.WriteStartObject("config");
            w.WriteString("filter_subject", filter);
            w.WriteString("deliver_policy", "last_per_subject");

            w.WriteString("ack_policy", "none");
            w.WriteBoolean("mem_storage", true);
            w.WriteNumber("inactive_threshold", 30_000_000_000L); // nanoseconds: an abandoned consumer is removed by the server
            w.WriteEndObject();
            w.WriteEndObject();
        }

        NatsMsg<byte[]> reply = await _connection.RequestAsync<byte[], byte[]>("$JS.API.CONSUMER.CREATE." + Options.StreamName, body.WrittenMemory.ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        using JsonDocument doc = JsonDocument.Parse(reply.Data ?? []);
        if (doc.RootElement.TryGetProperty("error", out JsonElement error) || !doc.RootElement.TryGetProperty("name", out JsonElement name))
        {
            throw new InvalidOperationException("NATS refused the consumer: " + doc.RootElement.GetRawText());
        }

        return await js.GetConsumerAsync(Options.StreamName, name.GetString()!, cancellationToken).ConfigureAwait(false);
    }

    private FeedFrame Admit(Dictionary<string, long> last, FeedFrame frame)
    {
        string symbol = frame.Ticker.Symbol;
        long u = frame.Ticker.UpdateId;
        if (last.TryGetValue(symbol, out long previous) && u <= previous)
        {
            if (u == previous)
            {
                Interlocked.Increment(ref _duplicates);
            }

            return frame with { Class = FrameClass.OutOfOrder };
        }

        if (!last.ContainsKey(symbol))
        {
            lock (_seenGate)
            {
                _seen.Add(symbol);
            }
        }

        last[symbol] = u;
        return frame;
    }
}
