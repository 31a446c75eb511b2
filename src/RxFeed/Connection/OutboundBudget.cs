using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace RxFeed.Connection;

/// <summary>
/// The one outbound budget of a connection: every frame we send (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, ...) goes
/// through it, at most <c>perSecond</c> in any sliding second of scheduler time; the rest wait in order.
/// </summary>
/// <remarks>
/// Binance allows 5 incoming frames per second per connection and counts pings and pongs too. ClientWebSocket answers
/// server pings and sends our keepalive pings itself, so those frames cannot pass through here; instead
/// <see cref="FeedConnectionOptions.ReservedControlSlots"/> of the 5 are left unused by this budget (default 4 + 1).
/// </remarks>
public sealed class OutboundBudget : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<string> _pending = new();
    private readonly SlidingWindow _window;
    private readonly IScheduler _scheduler;
    private readonly Action<string> _send;
    private readonly Action? _onWait;
    private readonly SerialDisposable _drain = new();
    private bool _drainScheduled;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="OutboundBudget"/> class.</summary>
    /// <param name="perSecond">Frames allowed per sliding second.</param>
    /// <param name="send">Sends one frame on the socket.</param>
    /// <param name="onWait">Called once each time a frame has to wait for a slot (counted as a budget wait).</param>
    /// <param name="scheduler">The clock.</param>
    public OutboundBudget(int perSecond, Action<string> send, Action? onWait, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(scheduler);
        _window = new SlidingWindow(perSecond, TimeSpan.FromSeconds(1));
        _send = send;
        _onWait = onWait;
        _scheduler = scheduler;
    }

    /// <summary>Gets the number of frames waiting for a slot.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Sends the frame now if a slot is free, else queues it behind the others.</summary>
    /// <param name="text">The frame.</param>
    public void Enqueue(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_pending.Count == 0)
            {
                TimeSpan wait = _window.TryTake(_scheduler.Now);
                if (wait == TimeSpan.Zero)
                {
                    _send(text);
                    return;
                }

                _pending.Enqueue(text);
                _onWait?.Invoke();
                ScheduleDrain(wait);
                return;
            }

            _pending.Enqueue(text);
            _onWait?.Invoke();
        }
    }

    /// <summary>Drops what is still waiting and stops the drain.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending.Clear();
        }

        _drain.Dispose();
    }

    private void ScheduleDrain(TimeSpan wait)
    {
        if (_drainScheduled)
        {
            return;
        }

        _drainScheduled = true;
        _drain.Disposable = _scheduler.Schedule(wait, Drain);
    }

    private void Drain()
    {
        lock (_gate)
        {
            _drainScheduled = false;
            while (!_disposed && _pending.Count > 0)
            {
                TimeSpan wait = _window.TryTake(_scheduler.Now);
                if (wait != TimeSpan.Zero)
                {
                    ScheduleDrain(wait);
                    return;
                }

                _send(_pending.Dequeue());
            }
        }
    }
}
