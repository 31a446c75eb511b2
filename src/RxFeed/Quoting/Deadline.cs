using System.Reactive.Concurrency;
using RxFeed.Time;

namespace RxFeed.Quoting;

/// <summary>Schedules a callback at an exact nanosecond instant: absolute on a <see cref="ReplayScheduler"/>, relative elsewhere.</summary>
internal static class Deadline
{
    /// <summary>Schedules <paramref name="callback"/> with <paramref name="targetNs"/>, the instant it stands for.</summary>
    /// <param name="scheduler">The scheduler.</param>
    /// <param name="targetNs">The instant, in the ns of the input timestamps.</param>
    /// <param name="nowNs">The current instant in the same ns (the time of the input being handled).</param>
    /// <param name="callback">Called with <paramref name="targetNs"/>.</param>
    /// <returns>Cancels the timer.</returns>
    public static IDisposable Schedule(IScheduler scheduler, long targetNs, long nowNs, Action<long> callback)
    {
        if (scheduler is ReplayScheduler replay)
        {
            return replay.ScheduleAbsolute((callback, targetNs), targetNs, static (_, s) => Run(s.callback, s.targetNs));
        }

        long delay = targetNs - nowNs;
        TimeSpan due = delay <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((delay / 100) + (delay % 100 == 0 ? 0 : 1));
        return scheduler.Schedule((callback, targetNs), due, static (_, s) => Run(s.callback, s.targetNs));
    }

    private static IDisposable Run(Action<long> callback, long targetNs)
    {
        callback(targetNs);
        return System.Reactive.Disposables.Disposable.Empty;
    }
}
