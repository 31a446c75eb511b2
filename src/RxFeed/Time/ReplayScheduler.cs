using System.Reactive.Concurrency;

namespace RxFeed.Time;

/// <summary>
/// A virtual-time scheduler whose clock is exact Unix nanoseconds, so replayed receive times (and every timer that
/// derives from them) keep all nine digits. Advance it with <see cref="VirtualTimeSchedulerBase{TAbsolute, TRelative}.AdvanceTo"/>.
/// </summary>
public sealed class ReplayScheduler : VirtualTimeScheduler<long, long>, INanosecondClock
{
    private readonly Lock _gate = new();

    /// <summary>At or before the earliest queued item's due time (cancelled items included), so a smaller time has nothing due.</summary>
    private long _nextDue = long.MinValue;

    /// <summary>Initializes a new instance of the <see cref="ReplayScheduler"/> class.</summary>
    /// <param name="startUnixNanoseconds">The initial clock value.</param>
    public ReplayScheduler(long startUnixNanoseconds = 0)
        : base(startUnixNanoseconds, Comparer<long>.Default)
    {
    }

    /// <inheritdoc/>
    public long UnixNanoseconds => Clock;

    /// <summary>
    /// Moves the clock forward to <paramref name="unixNanoseconds"/>, running every item due by then in order: exactly
    /// <see cref="VirtualTimeSchedulerBase{TAbsolute, TRelative}.AdvanceTo"/>, except that a move with nothing due costs
    /// one compare instead of a locked look into the queue. A replay moves the clock once per frame and almost every
    /// move has nothing due.
    /// </summary>
    /// <param name="unixNanoseconds">The new clock value; not before the current one.</param>
    public void Advance(long unixNanoseconds)
    {
        if (unixNanoseconds > Clock && unixNanoseconds < Volatile.Read(ref _nextDue) && !IsEnabled)
        {
            Clock = unixNanoseconds;
            return;
        }

        AdvanceTo(unixNanoseconds);
        lock (_gate)
        {
            _nextDue = GetNext()?.DueTime ?? long.MaxValue;
        }
    }

    /// <inheritdoc/>
    public override IDisposable ScheduleAbsolute<TState>(TState state, long dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        // Lowering the bound and queueing are one step, so Advance never reads a bound that misses a queued item.
        lock (_gate)
        {
            if (dueTime < _nextDue)
            {
                _nextDue = dueTime;
            }

            return base.ScheduleAbsolute(state, dueTime, action);
        }
    }

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
