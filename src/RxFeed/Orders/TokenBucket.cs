namespace RxFeed.Orders;

/// <summary>
/// A token bucket of capacity <c>rate</c>, refilled continuously at <c>rate</c> tokens per second, full at its first use.
/// Exact in integers: a token is 10^9 units and one nanosecond adds <c>rate</c> units.
/// </summary>
internal sealed class TokenBucket
{
    private const long UnitsPerToken = 1_000_000_000;
    private readonly long _rate;
    private readonly long _capacity;
    private long _units;
    private long _lastNs;
    private bool _started;

    public TokenBucket(int rate)
    {
        _rate = rate;
        _capacity = rate * UnitsPerToken;
    }

    /// <summary>Gets the whole tokens available at the last refill.</summary>
    public long Tokens => _units / UnitsPerToken;

    public void Refill(long nowNs)
    {
        if (!_started)
        {
            _started = true;
            _units = _capacity;
            _lastNs = nowNs;
            return;
        }

        if (nowNs <= _lastNs)
        {
            return;
        }

        long elapsed = nowNs - _lastNs;
        _units = elapsed >= UnitsPerToken ? _capacity : Math.Min(_capacity, _units + (elapsed * _rate));
        _lastNs = nowNs;
    }

    public bool TryTake()
    {
        if (_units < UnitsPerToken)
        {
            return false;
        }

        _units -= UnitsPerToken;
        return true;
    }

    /// <summary>Gets the first instant at which a whole token is available (the last refill time if one is).</summary>
    public long NextTokenAtNs()
    {
        long missing = UnitsPerToken - _units;
        return missing <= 0 ? _lastNs : _lastNs + (missing / _rate) + (missing % _rate == 0 ? 0 : 1);
    }
}
