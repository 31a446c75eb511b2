using System.Diagnostics;

namespace RxFeed.Exchange.Faults;

/// <summary>
/// Extra latency on the data frames of every connection, set by the <c>delay</c> and <c>jitter</c> faults: a frame queued at
/// time t is written no earlier than t + delay + a uniform share of the jitter, in order (a held frame holds those
/// behind it, as a slow path does). Control frames (pings, pongs, replies) are never held.
/// </summary>
public sealed class FrameLatency
{
    private long _delayTicks;
    private long _delayUntil;
    private long _jitterTicks;
    private long _jitterUntil;

    /// <summary>Gets a value indicating whether any latency is in force now.</summary>
    public bool IsActive => Delay(Stopwatch.GetTimestamp()) > 0 || Jitter(Stopwatch.GetTimestamp()) > 0;

    /// <summary>Adds <paramref name="delay"/> to every data frame queued from now on, for <paramref name="duration"/> (null: for good; zero delay ends it).</summary>
    /// <param name="delay">The latency, zero or more.</param>
    /// <param name="duration">How long, or null.</param>
    public void SetDelay(TimeSpan delay, TimeSpan? duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        Volatile.Write(ref _delayUntil, Until(duration));
        Volatile.Write(ref _delayTicks, ToStopwatch(delay));
    }

    /// <summary>Adds a random latency from 0 to <paramref name="jitter"/> to every data frame queued from now on, for <paramref name="duration"/> (null: for good).</summary>
    /// <param name="jitter">The largest extra latency, zero or more.</param>
    /// <param name="duration">How long, or null.</param>
    public void SetJitter(TimeSpan jitter, TimeSpan? duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero);
        Volatile.Write(ref _jitterUntil, Until(duration));
        Volatile.Write(ref _jitterTicks, ToStopwatch(jitter));
    }

    /// <summary>When a data frame queued at <paramref name="queuedAt"/> may be written (a <see cref="Stopwatch"/> timestamp), or 0 at once.</summary>
    /// <param name="queuedAt">Its queue time.</param>
    /// <returns>The earliest write time, or 0.</returns>
    internal long DueAt(long queuedAt)
    {
        long delay = Delay(queuedAt);
        long jitter = Jitter(queuedAt);
        if (delay == 0 && jitter == 0)
        {
            return 0;
        }

#pragma warning disable CA5394 // simulated network jitter, not security
        return queuedAt + delay + (jitter > 0 ? Random.Shared.NextInt64(jitter + 1) : 0);
#pragma warning restore CA5394
    }

    private static long Until(TimeSpan? duration) =>
        duration is { } d ? Stopwatch.GetTimestamp() + ToStopwatch(d) : long.MaxValue;

    private static long ToStopwatch(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private long Delay(long at) => at < Volatile.Read(ref _delayUntil) ? Volatile.Read(ref _delayTicks) : 0;

    private long Jitter(long at) => at < Volatile.Read(ref _jitterUntil) ? Volatile.Read(ref _jitterTicks) : 0;
}
