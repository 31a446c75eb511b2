using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using RxFeed.Health;

namespace RxFeed.Nats;

/// <summary>
/// Publishes delivered book tickers to <c>{prefix}.bookTicker.{SYMBOL}</c>, health changes to <c>{prefix}.health.{SYMBOL}</c>
/// and a heartbeat to <c>{prefix}.heartbeat.{id}</c> every <see cref="NatsFeedOptions.HeartbeatInterval"/>. A JetStream stream
/// keeps the last tick (<c>{prefix}.last.bookTicker.{SYMBOL}</c>, refreshed at most every
/// <see cref="NatsFeedOptions.LastValueInterval"/>, the newest always within it) and health of each symbol, so a consumer
/// that joins late can quote at once; live ticks are core NATS only, which is what lets one server fan out at full rate.
/// The observers only enqueue (a bounded queue, never blocking: a full queue drops and counts the message); one task of
/// its own serializes and sends, so the publisher costs the feed's pipeline thread no more than a queue write.
/// </summary>
public sealed class NatsPublisher : IAsyncDisposable
{
    private readonly NatsFeedOptions _options;
    private readonly NatsConnection _connection;
    private readonly ILogger _log;
    private readonly Channel<Outgoing> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _subscriptions = [];
    private Task _sender = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;
    private long _published;
    private long _dropped;
    private long _failed;

    private NatsPublisher(NatsFeedOptions options, ILogger log)
    {
        _options = options;
        _log = log;
        _connection = new NatsConnection(options.ToNatsOpts("rxfeed-publisher-" + options.PublisherId));

        // One reader (the sender); writers are the tick and health observers, on whatever threads they run.
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    private enum Kind
    {
        Tick,
        Health,
        Last,
    }

    /// <summary>Gets the publisher's id, as it appears in every message and the heartbeat subject.</summary>
    public string Id => _options.PublisherId;

    /// <summary>Gets the messages handed to NATS so far (ticks, health changes and heartbeats).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Gets the messages dropped because the queue was full (NATS slower than the feed, or away).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets the messages NATS refused to send.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>
    /// Connects, makes sure the last-value stream exists, and starts publishing what <paramref name="ticks"/> and
    /// <paramref name="health"/> emit until disposed.
    /// </summary>
    /// <param name="options">The NATS options.</param>
    /// <param name="ticks">The delivered book tickers.</param>
    /// <param name="health">The health changes.</param>
    /// <param name="logs">Structured logs; none by default.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <returns>The running publisher.</returns>
    public static async Task<NatsPublisher> StartAsync(
        NatsFeedOptions options,
        IObservable<BookTicker> ticks,
        IObservable<HealthChange> health,
        ILoggerFactory? logs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ticks);
        ArgumentNullException.ThrowIfNull(health);
        options.Validate();
        var publisher = new NatsPublisher(options, (ILogger?)logs?.CreateLogger<NatsPublisher>() ?? NullLogger.Instance);
        try
        {
            await publisher._connection.ConnectAsync().ConfigureAwait(false);
            await EnsureStreamAsync(publisher._connection, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await publisher._connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        publisher._sender = Task.Run(publisher.SendAsync, CancellationToken.None);
        publisher._heartbeat = Task.Run(publisher.HeartbeatAsync, CancellationToken.None);
        publisher._subscriptions.Add(ticks.Subscribe(new Enqueuer<BookTicker>(publisher, static t => new Outgoing(t, default, false))));
        publisher._subscriptions.Add(health.Subscribe(new Enqueuer<HealthChange>(publisher, static h => new Outgoing(default, h, true))));
        return publisher;
    }

    /// <summary>Creates (or updates) the stream that keeps the last message of each tick and health subject.</summary>
    /// <param name="connection">A connection.</param>
    /// <param name="options">The prefix and stream name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>When the stream exists.</returns>
    public static async Task EnsureStreamAsync(INatsConnection connection, NatsFeedOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var js = new NatsJSContext((NatsConnection)connection);
        var config = new StreamConfig(options.StreamName, [options.Prefix + ".last.bookTicker.>", options.Prefix + ".health.>"])
        {
            MaxMsgsPerSubject = 1,

            // Only the last value matters and the publishers republish within a tick: memory is enough and fastest.
            Storage = StreamConfigStorage.Memory,
        };
        await js.CreateOrUpdateStreamAsync(config, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops taking new messages, sends what is queued, and closes the connection.</summary>
    /// <returns>When closed.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (IDisposable s in _subscriptions)
        {
            s.Dispose();
        }

        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_sender, _heartbeat).ConfigureAwait(false);
        try
        {
            // A round trip: the server has taken every message sent before it, so none is lost to the close.
            await _connection.PingAsync().ConfigureAwait(false);
        }
        catch (NatsException ex)
        {
            _log.LogWarning(ex, "NATS did not answer the closing ping; the last messages may be lost");
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Enqueue(in Outgoing message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task SendAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var json = new Utf8JsonWriter(buffer, RxFeed.Output.NdjsonText.WriterOptions);
        var subjects = new Dictionary<(string, Kind), string>();
        var latest = new Dictionary<string, BookTicker>(StringComparer.Ordinal);
        var unstored = new HashSet<string>(StringComparer.Ordinal);
        long interval = (long)(_options.LastValueInterval.TotalSeconds * Stopwatch.Frequency);
        long storedAt = 0;
        ChannelReader<Outgoing> reader = _queue.Reader;
        while (true)
        {
            // With newer ticks not yet stored, wait for more work no longer than the rest of the interval: a quiet
            // symbol's last tick reaches the stream within it.
            if (unstored.Count > 0)
            {
                long due = storedAt + interval - Stopwatch.GetTimestamp();
                if (due > 0 && !reader.TryPeek(out _))
                {
                    await Task.WhenAny(reader.WaitToReadAsync().AsTask(), Task.Delay(TimeSpan.FromSeconds((double)due / Stopwatch.Frequency))).ConfigureAwait(false);
                }
            }
            else if (!await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                return;
            }

            while (reader.TryRead(out Outgoing m))
            {
                string symbol = m.IsHealth ? m.Health.Symbol : m.Tick.Symbol;
                buffer.ResetWrittenCount();
                if (m.IsHealth)
                {
                    NatsWire.WriteHealth(buffer, m.Health, Id);
                }
                else
                {
                    json.Reset(buffer);
                    NatsWire.WriteTick(json, m.Tick, Id);
                    latest[symbol] = m.Tick;
                    unstored.Add(symbol);
                }

                await PublishAsync(Subject(symbol, m.IsHealth ? Kind.Health : Kind.Tick), buffer).ConfigureAwait(false);
                if (unstored.Count > 0 && Stopwatch.GetTimestamp() - storedAt >= interval)
                {
                    await StoreLatestAsync().ConfigureAwait(false);
                }
            }

            if (unstored.Count > 0 && Stopwatch.GetTimestamp() - storedAt >= interval)
            {
                await StoreLatestAsync().ConfigureAwait(false);
            }

            if (reader.Completion.IsCompleted)
            {
                // Disposing: whatever is newest is stored before the connection closes.
                await StoreLatestAsync().ConfigureAwait(false);
                return;
            }
        }

        async Task StoreLatestAsync()
        {
            foreach (string symbol in unstored)
            {
                buffer.ResetWrittenCount();
                json.Reset(buffer);
                NatsWire.WriteTick(json, latest[symbol], Id);
                await PublishAsync(Subject(symbol, Kind.Last), buffer).ConfigureAwait(false);
            }

            unstored.Clear();
            storedAt = Stopwatch.GetTimestamp();
        }

        string Subject(string symbol, Kind kind)
        {
            if (!subjects.TryGetValue((symbol, kind), out string? subject))
            {
                string middle = kind switch { Kind.Health => ".health.", Kind.Tick => ".bookTicker.", _ => ".last.bookTicker." };
                subject = _options.Prefix + middle + symbol;
                subjects.Add((symbol, kind), subject);
            }

            return subject;
        }
    }

    private async Task HeartbeatAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        string subject = _options.Prefix + ".heartbeat." + Id;
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        try
        {
            do
            {
                buffer.ResetWrittenCount();
                NatsWire.WriteHeartbeat(buffer, (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100, Id, Published);
                await PublishAsync(subject, buffer).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async ValueTask PublishAsync(string subject, ArrayBufferWriter<byte> buffer)
    {
        try
        {
            // The client copies the payload into its send buffer before this completes, so the buffer can be reused after.
            await _connection.PublishAsync(subject, buffer.WrittenMemory).ConfigureAwait(false);
            Interlocked.Increment(ref _published);
        }
        catch (Exception ex) when (ex is NatsException or ObjectDisposedException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failed);
            _log.LogWarning(ex, "NATS publish to {Subject} failed", subject);
        }
    }

    private readonly struct Outgoing(BookTicker tick, HealthChange health, bool isHealth)
    {
        public BookTicker Tick { get; } = tick;

        public HealthChange Health { get; } = health;

        public bool IsHealth { get; } = isHealth;
    }

    private sealed class Enqueuer<T>(NatsPublisher owner, Func<T, Outgoing> wrap) : IObserver<T>
    {
        public void OnNext(T value) => owner.Enqueue(wrap(value));

        public void OnError(Exception error) => owner._log.LogWarning(error, "The published feed failed; nothing more will be published");

        public void OnCompleted()
        {
        }
    }
}
