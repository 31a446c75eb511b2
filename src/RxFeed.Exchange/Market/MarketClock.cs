using System.Diagnostics;

namespace RxFeed.Exchange.Market;

/// <summary>
/// The one market clock all connections share: market seconds advance with wall time times a rate factor,
/// which a burst fault raises (or zero silences) for a while. It starts when the market starts.
/// </summary>
internal sealed class MarketClock
{
    private readonly object _gate = new();
    private long _lastTimestamp;
    private double _marketSeconds;
    private double _rate = 1;
    private long _rateUntil;
    private bool _started;

    /// <summary>Gets the current rate factor.</summary>
    public double Rate
    {
        get
        {
            lock (_gate)
            {
                AdvanceLocked(Stopwatch.GetTimestamp());
                return _rate;
            }
        }
    }

    /// <summary>Starts the clock with market time zero at <paramref name="zero"/> (now when null): market time is then the wall time since it, zero until it.</summary>
    /// <param name="zero">The wall-clock instant of market time zero.</param>
    public void Start(DateTimeOffset? zero = null)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var offset = zero is { } z ? (z - DateTimeOffset.UtcNow).TotalSeconds : 0;
            _lastTimestamp = now + (long)(offset * Stopwatch.Frequency);
            _marketSeconds = 0; // a zero in the future: the clock stands until then (Accumulate ignores the time before it)
            _started = true;
        }
    }

    /// <summary>Returns the market seconds since <see cref="Start"/>.</summary>
    /// <returns>The market time.</returns>
    public double Now()
    {
        lock (_gate)
        {
            AdvanceLocked(Stopwatch.GetTimestamp());
            return _marketSeconds;
        }
    }

    /// <summary>Runs the market at <paramref name="rate"/> times real time for <paramref name="duration"/>.</summary>
    /// <param name="rate">The factor.</param>
    /// <param name="duration">How long.</param>
    public void SetRate(double rate, TimeSpan duration)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            AdvanceLocked(now);
            _rate = rate;
            _rateUntil = now + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        }
    }

    private void AdvanceLocked(long now)
    {
        if (_rateUntil != 0 && now >= _rateUntil)
        {
            Accumulate(_rateUntil);
            _rate = 1;
            _rateUntil = 0;
        }

        Accumulate(now);
    }

    private void Accumulate(long until)
    {
        if (_started && until > _lastTimestamp)
        {
            _marketSeconds += (until - _lastTimestamp) / (double)Stopwatch.Frequency * _rate;
        }

        _lastTimestamp = Math.Max(_lastTimestamp, until);
    }
}
