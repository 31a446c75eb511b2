using System.Reactive.Concurrency;

namespace RxFeed.Time;

/// <summary>A scheduler whose clock is exact to the nanosecond (replay's virtual time).</summary>
public interface INanosecondClock
{
    /// <summary>Gets the current time in nanoseconds since the Unix epoch.</summary>
    long UnixNanoseconds { get; }
}

/// <summary>Reads a scheduler's clock as Unix nanoseconds.</summary>
public static class SchedulerClock
{
    private const long MinTicks = long.MinValue / 100;

    /// <summary>Gets the scheduler's current time in nanoseconds since the Unix epoch.</summary>
    /// <param name="scheduler">The scheduler.</param>
    /// <returns>Exact nanoseconds for an <see cref="INanosecondClock"/>; otherwise <see cref="IScheduler.Now"/> at 100 ns resolution,
    /// saturated for clocks far before 1970 (such as <c>TestScheduler</c>'s, which starts at year 1).</returns>
    public static long NowUnixNanoseconds(this IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        if (scheduler is INanosecondClock clock)
        {
            return clock.UnixNanoseconds;
        }

        long ticks = scheduler.Now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks < MinTicks ? long.MinValue : ticks * 100;
    }
}
