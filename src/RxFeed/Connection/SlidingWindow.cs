namespace RxFeed.Connection;

/// <summary>
/// At most <c>limit</c> events in any window of length <c>window</c> (a sliding log, stricter than a token bucket,
/// which would allow a double burst across a refill). Not thread-safe; callers hold their own gate.
/// </summary>
internal sealed class SlidingWindow
{
    private readonly Queue<DateTimeOffset> _taken;
    private readonly int _limit;
    private readonly TimeSpan _window;

    public SlidingWindow(int limit, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _limit = limit;
        _window = window;
        _taken = new Queue<DateTimeOffset>(limit);
    }

    /// <summary>How long until a slot is free at <paramref name="now"/>, without taking it.</summary>
    /// <param name="now">The scheduler's time.</param>
    /// <returns><see cref="TimeSpan.Zero"/> when one is free now.</returns>
    public TimeSpan WaitTime(DateTimeOffset now)
    {
        Prune(now);
        return _taken.Count < _limit ? TimeSpan.Zero : _taken.Peek() + _window - now;
    }

    /// <summary>Records an event at <paramref name="at"/> (after <see cref="WaitTime"/> said a slot was free).</summary>
    /// <param name="at">When it happened.</param>
    public void Record(DateTimeOffset at) => _taken.Enqueue(at);

    /// <summary>Takes a slot at <paramref name="now"/> if one is free.</summary>
    /// <param name="now">The scheduler's time.</param>
    /// <returns><see cref="TimeSpan.Zero"/> when taken; otherwise how long until the oldest slot frees.</returns>
    public TimeSpan TryTake(DateTimeOffset now)
    {
        Prune(now);
        if (_taken.Count < _limit)
        {
            _taken.Enqueue(now);
            return TimeSpan.Zero;
        }

        return _taken.Peek() + _window - now;
    }

    private void Prune(DateTimeOffset now)
    {
        while (_taken.Count > 0 && _taken.Peek() + _window <= now)
        {
            _taken.Dequeue();
        }
    }
}
