using System.Reactive.Concurrency;

namespace RxFeed.Time;

/// <summary>
/// A virtual-time scheduler whose clock is exact Unix nanoseconds, so replayed receive times (and every timer that
/// derives from them) keep all nine digits. Advance it with <see cref="VirtualTimeSchedulerBase{TAbsolute, TRelative}.AdvanceTo"/>.
/// </summary>
public sealed class ReplayScheduler : VirtualTimeScheduler<long, long>, INanosecondClock
{
    /// <summary>Initializes a new instance of the <see cref="ReplayScheduler"/> class.</summary>
    /// <param name="startUnixNanoseconds">The initial clock value.</param>
    public ReplayScheduler(long startUnixNanoseconds = 0)
        : base(startUnixNanoseconds, Comparer<long>.Default)
    {
    }

    /// <inheritdoc/>
    public long UnixNanoseconds => Clock;

    /// <inheritdoc/>
    protected override long Add(long absolute, long relative) =>
        relative > 0 && absolute > long.MaxValue - relative ? long.MaxValue : absolute + relative;

    /// <inheritdoc/>
    protected override DateTimeOffset ToDateTimeOffset(long absolute) =>
        DateTimeOffset.UnixEpoch.AddTicks(absolute / 100);

    /// <inheritdoc/>
    protected override long ToRelative(TimeSpan timeSpan) =>
        timeSpan.Ticks > long.MaxValue / 100 ? long.MaxValue : timeSpan.Ticks * 100;
}
