using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace RxFeed.Connection;

/// <summary>
/// The one outbound budget of a connection: every frame we send (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, ...) goes
/// through it, at most <c>perSecond</c> in any sliding second and evenly spaced (1 / <c>perSecond</c> apart); the rest
/// wait in order.
/// </summary>
/// <remarks>
/// <para>Sends are serialized and a slot is counted when its send <em>completes</em> (the frame is on the wire), not when
/// it was queued: a send delayed by a busy machine then never lands in the same server-side second as the next ones.
/// With one send in flight at a time, any frame arriving within a second of another was completed within that second,
/// so the server never sees more than <c>perSecond</c> from us. Spacing the frames evenly instead of in bursts keeps that
/// true on the server's clock too when its reads stall or the network bunches packets (a stalled read of a burst can
/// make two bursts look like one second's worth).</para>
/// <para>Binance allows 5 incoming frames per second per connection and counts pings and pongs too. ClientWebSocket
/// answers server pings and sends our keepalive pings itself, so those frames cannot pass through here; instead
/// <see cref="FeedConnectionOptions.ReservedControlSlots"/> of the 5 are left unused by this budget (default 4 + 1).</para>
/// </remarks>
public sealed class OutboundBudget : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<string> _pending = new();
    private readonly SlidingWindow _window;
    private readonly IScheduler _scheduler;
    private readonly Func<string, Task> _send;
    private readonly Action? _onWait;
    private readonly SerialDisposable _drain = new();
    private readonly TimeSpan _spacing;
    private DateTimeOffset? _lastSent;
    private bool _drainScheduled;
    private bool _inFlight;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="OutboundBudget"/> class.</summary>
    /// <param name="perSecond">Frames allowed per sliding second.</param>
    /// <param name="send">Sends one frame; the task ends when it is written.</param>
    /// <param name="onWait">Called once for each frame that cannot go at once (counted as a budget wait).</param>
    /// <param name="scheduler">The clock.</param>
    public OutboundBudget(int perSecond, Func<string, Task> send, Action? onWait, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(scheduler);
        _window = new SlidingWindow(perSecond, TimeSpan.FromSeconds(1));
        _spacing = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / perSecond);
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

    /// <summary>Sends the frame now if a slot is free and nothing is ahead of it, else queues it.</summary>
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

            _pending.Enqueue(text);
            Pump();
            if (_pending.Count > 0)
            {
                _onWait?.Invoke();
            }
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

    /// <summary>Sends while a slot is free and no send is in flight; called under the gate.</summary>
    private void Pump()
    {
        while (!_disposed && !_inFlight && _pending.Count > 0)
        {
            DateTimeOffset now = _scheduler.Now;
            TimeSpan wait = _window.WaitTime(now);
            if (_lastSent is { } last && last + _spacing - now > wait)
            {
                wait = last + _spacing - now;
            }

            if (wait > TimeSpan.Zero)
            {
                ScheduleDrain(wait);
                return;
            }

            _inFlight = true;
            Task sent;
            try
            {
                sent = _send(_pending.Dequeue());
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                sent = Task.CompletedTask; // the socket is going; its disconnect is reported elsewhere
            }

            if (sent.IsCompleted)
            {
                Completed();
            }
            else
            {
                sent.ContinueWith(_ => OnCompleted(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private void Completed()
    {
        _lastSent = _scheduler.Now;
        _window.Record(_lastSent.Value);
        _inFlight = false;
    }

    private void OnCompleted()
    {
        lock (_gate)
        {
            Completed();
            Pump();
        }
    }

    private void ScheduleDrain(TimeSpan wait)
    {
        if (_drainScheduled)
        {
            return;
        }

        _drainScheduled = true;
        _drain.Disposable = _scheduler.Schedule(wait, () =>
        {
            lock (_gate)
            {
                _drainScheduled = false;
                Pump();
            }
        });
    }
}
