using System.Diagnostics;
using System.Net;

namespace RxFeed.Exchange.Sessions;

/// <summary>Binance's limit on connection attempts per IP: at most N in a sliding window (300 per 5 minutes).</summary>
internal sealed class ConnectionAttemptLimiter
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, Queue<long>> _attempts = [];
    private readonly int _limit;
    private readonly TimeSpan _window;

    /// <summary>Initializes a new instance of the <see cref="ConnectionAttemptLimiter"/> class.</summary>
    /// <param name="limit">Attempts allowed in a window.</param>
    /// <param name="window">The window.</param>
    public ConnectionAttemptLimiter(int limit, TimeSpan window)
    {
        _limit = limit;
        _window = window;
    }

    /// <summary>Records an attempt and says whether it is within the limit.</summary>
    /// <param name="address">The client's address.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public bool TryAttempt(IPAddress? address)
    {
        var key = address ?? IPAddress.None;
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (!_attempts.TryGetValue(key, out var times))
            {
                times = new Queue<long>();
                _attempts[key] = times;
            }

            while (times.Count > 0 && Stopwatch.GetElapsedTime(times.Peek(), now) >= _window)
            {
                times.Dequeue();
            }

            if (times.Count >= _limit)
            {
                return false; // refused attempts are not recorded: the window is bounded by the limit
            }

            times.Enqueue(now);
            return true;
        }
    }
}
