using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using RxFeed.Exchange.Frames;
using RxFeed.Exchange.Market;
using RxFeed.Time;

namespace RxFeed.Exchange.Faults;

/// <summary>
/// Scripted faults: each acts on the connections open now (refusals on the next upgrades, bursts on the market),
/// so tests and demos can hit every failure on purpose.
/// </summary>
public sealed class ExchangeFaults
{
    private readonly MarketHub _hub;
    private readonly MarketClock _clock;
    private readonly ExchangeCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeSpan _shutdownGrace;
    private int _refusals;
    private int _ignores;

    internal ExchangeFaults(MarketHub hub, MarketClock clock, ExchangeCounters counters, TimeSpan shutdownGrace, ILogger logger)
    {
        _shutdownGrace = shutdownGrace;
        _hub = hub;
        _clock = clock;
        _counters = counters;
        _logger = logger;
    }

    /// <summary>Drops every connection abruptly: no close frame, the TCP connection just ends.</summary>
    /// <returns>The connections dropped.</returns>
    public int DropAll() => ForEach("drop", s => s.Abort());

    /// <summary>Half-opens every connection: the server keeps the socket but sends nothing more (no data, no pings, no pongs).</summary>
    /// <returns>The connections stalled.</returns>
    public int StallAll() => ForEach("stall", s => s.Stall());

    /// <summary>Closes every connection with a close frame carrying <paramref name="code"/>.</summary>
    /// <param name="code">A close code valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="reason">The reason text.</param>
    /// <returns>The connections closed.</returns>
    public int CloseAll(int code, string reason = "")
    {
        if (!WebSocketCloseCodes.IsValidOnWire(code))
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "Not a close code that may be sent.");
        }

        return ForEach("close " + code.ToString(CultureInfo.InvariantCulture), s => s.BeginClose(code, reason ?? string.Empty));
    }

    /// <summary>
    /// Announces <c>serverShutdown</c> on every connection, keeps serving it for <see cref="ExchangeOptions.ShutdownGrace"/>,
    /// then closes it (1001).
    /// </summary>
    /// <returns>The connections shut down.</returns>
    public int ShutdownAll() => ShutdownAll(_shutdownGrace);

    /// <summary>
    /// Announces <c>serverShutdown</c> on every connection, keeps serving it for <paramref name="grace"/>, then closes it
    /// (1001) after the data queued by then; zero closes right after the event.
    /// </summary>
    /// <param name="grace">How long each connection keeps serving after the event, zero or more.</param>
    /// <returns>The connections shut down.</returns>
    public int ShutdownAll(TimeSpan grace)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        return ForEach("shutdown, grace " + Duration.Format(grace), s => s.SendServerShutdown(grace));
    }

    /// <summary>Answers the next <paramref name="count"/> upgrade requests with HTTP 503.</summary>
    /// <param name="count">How many.</param>
    public void RefuseNextUpgrades(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Add(ref _refusals, count);
        _logger.LogInformation("Fault: refusing the next {Count} upgrades", count);
    }

    /// <summary>Sends <paramref name="count"/> bad frames of <paramref name="kind"/> to every connection, on each book ticker stream it holds.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="count">How many per stream.</param>
    /// <returns>The frames sent.</returns>
    public int InjectBadFrames(BadFrameKind kind, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var sent = 0;
        var sessions = _hub.Sessions();
        var streams = sessions.SelectMany(BadFrameFactory.TargetStreams).Distinct(StringComparer.Ordinal).ToList();
        foreach (var stream in streams)
        {
            for (var i = 0; i < count; i++)
            {
                var payload = BadFrameFactory.Build(kind, stream, _hub, i, out var enveloped);
                foreach (var session in sessions.Where(s => BadFrameFactory.TargetStreams(s).Contains(stream)))
                {
                    if (enveloped)
                    {
                        session.Deliver(_hub.Prefix(stream), payload);
                    }
                    else
                    {
                        session.SendRaw(payload);
                    }

                    _counters.BadFrameInjected();
                    sent++;
                }
            }
        }

        _logger.LogInformation("Fault: sent {Sent} bad frames of kind {Kind}", sent, kind);
        return sent;
    }

    /// <summary>Runs the market at <paramref name="multiplier"/> times its rate for <paramref name="duration"/> (0 = silence, 10 = a burst).</summary>
    /// <param name="multiplier">The rate factor, 0 or more.</param>
    /// <param name="duration">How long.</param>
    public void Burst(double multiplier, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(multiplier);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        _clock.SetRate(multiplier, duration);
        _logger.LogInformation("Fault: market at {Multiplier}x for {Duration}", multiplier, duration);
    }

    /// <summary>Holds every data frame queued from now on <paramref name="delay"/> longer before it is written, for <paramref name="duration"/> (null: for good; zero ends it).</summary>
    /// <param name="delay">The extra latency.</param>
    /// <param name="duration">How long, or null.</param>
    public void Delay(TimeSpan delay, TimeSpan? duration = null)
    {
        _hub.Latency.SetDelay(delay, duration);
        _logger.LogInformation("Fault: frames delayed by {Delay} for {Duration}", delay, duration?.ToString() ?? "good");
    }

    /// <summary>Holds every data frame queued from now on a random 0 to <paramref name="jitter"/> longer, in order, for <paramref name="duration"/> (null: for good).</summary>
    /// <param name="jitter">The largest extra latency.</param>
    /// <param name="duration">How long, or null.</param>
    public void Jitter(TimeSpan jitter, TimeSpan? duration = null)
    {
        _hub.Latency.SetJitter(jitter, duration);
        _logger.LogInformation("Fault: frames jittered by up to {Jitter} for {Duration}", jitter, duration?.ToString() ?? "good");
    }

    /// <summary>Drops <paramref name="stream"/> from every connection holding it, telling no one: its data stops, LIST no longer has it.</summary>
    /// <param name="stream">The stream, e.g. <c>btcusdt@bookTicker</c>.</param>
    /// <returns>The connections that held it.</returns>
    public int Forget(string stream)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        var forgotten = 0;
        foreach (var session in _hub.Sessions())
        {
            if (session.Forget(stream))
            {
                _counters.StreamForgotten();
                forgotten++;
            }
        }

        _logger.LogInformation("Fault: forgot {Stream} on {Count} connections", stream, forgotten);
        return forgotten;
    }

    /// <summary>Swallows the next <paramref name="count"/> control requests (any connection): no reply, nothing done.</summary>
    /// <param name="count">How many.</param>
    public void IgnoreRequests(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Add(ref _ignores, count);
        _logger.LogInformation("Fault: ignoring the next {Count} control requests", count);
    }

    internal static byte[] ServerShutdownEvent(bool combined)
    {
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var raw = "{\"e\":\"serverShutdown\",\"E\":" + ms + "}";
        return Encoding.UTF8.GetBytes(combined ? "{\"stream\":\"!serverShutdown\",\"data\":" + raw + "}" : raw);
    }

    internal bool TryConsumeRefusal() => TryConsume(ref _refusals);

    internal bool TryConsumeIgnore() => TryConsume(ref _ignores);

    private static bool TryConsume(ref int left)
    {
        while (true)
        {
            var current = Volatile.Read(ref left);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref left, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private int ForEach(string name, Action<Sessions.ClientSession> action)
    {
        var sessions = _hub.Sessions();
        foreach (var session in sessions)
        {
            action(session);
        }

        _logger.LogInformation("Fault: {Fault} on {Count} connections", name, sessions.Length);
        return sessions.Length;
    }
}
