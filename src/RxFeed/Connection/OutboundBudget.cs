using System.Reactive.Concurrency;

namespace RxFeed.Connection;

/// <summary>
/// Our requests on one connection (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS), in order, one in flight at a time, each
/// taking a slot of the connection's <see cref="OutboundLimiter"/> — the same limiter the socket's pings and pongs take
/// theirs from, so together they never pass its rate in any sliding second.
/// </summary>
public sealed class OutboundBudget : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<(string Text, Action? OnSent)> _pending = new();
    private readonly OutboundLimiter _limiter;
    private readonly bool _ownsLimiter;
    private readonly Func<string, Task> _send;
    private IDisposable? _request;
    private bool _inFlight;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="OutboundBudget"/> class with a limiter of its own.</summary>
    /// <param name="perSecond">Frames allowed per sliding second.</param>
    /// <param name="send">Sends one frame; the task ends when it is written.</param>
    /// <param name="onWait">Called once for each frame that cannot go at once (counted as a budget wait).</param>
    /// <param name="scheduler">The clock.</param>
    public OutboundBudget(int perSecond, Func<string, Task> send, Action? onWait, IScheduler scheduler)
        : this(new OutboundLimiter(perSecond, scheduler, onWait), send) => _ownsLimiter = true;

    /// <summary>Initializes a new instance of the <see cref="OutboundBudget"/> class over a connection's limiter.</summary>
    /// <param name="limiter">The connection's one limiter (shared with its socket's pings and pongs).</param>
    /// <param name="send">Sends one frame; the task ends when it is written.</param>
    public OutboundBudget(OutboundLimiter limiter, Func<string, Task> send)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(send);
        _limiter = limiter;
        _send = send;
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

    /// <summary>Sends the frame when a slot is free and nothing is ahead of it.</summary>
    /// <param name="text">The frame.</param>
    /// <param name="onSent">Called once the frame is written (where an ack deadline starts).</param>
    public void Enqueue(string text, Action? onSent = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _pending.Enqueue((text, onSent));
            if (_inFlight)
            {
                return;
            }

            _inFlight = true;
        }

        Next();
    }

    /// <summary>Drops what is still waiting and sends nothing more.</summary>
    public void Dispose()
    {
        IDisposable? request;
        lock (_gate)
        {
            _disposed = true;
            _pending.Clear();
            request = _request;
        }

        request?.Dispose();
        if (_ownsLimiter)
        {
            _limiter.Dispose();
        }
    }

    /// <summary>Asks for a slot for the head of the queue; one request in flight at a time.</summary>
    private void Next()
    {
        IDisposable request = _limiter.Request(OutboundFrameKind.Request, OnGranted);
        lock (_gate)
        {
            if (_inFlight && !_disposed)
            {
                _request = request;
            }
        }
    }

    private void OnGranted(OutboundSlot slot)
    {
        (string Text, Action? OnSent) item;
        lock (_gate)
        {
            if (_disposed || _pending.Count == 0)
            {
                _inFlight = false;
                slot.Complete();
                return;
            }

            item = _pending.Dequeue();
        }

        Task sent;
        try
        {
            sent = _send(item.Text);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            sent = Task.CompletedTask; // the socket is going; its disconnect is reported elsewhere
        }

        if (sent.IsCompleted)
        {
            Written(slot, item.OnSent);
        }
        else
        {
            sent.ContinueWith(_ => Written(slot, item.OnSent), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void Written(OutboundSlot slot, Action? onSent)
    {
        slot.Complete();
        onSent?.Invoke();
        lock (_gate)
        {
            if (_disposed || _pending.Count == 0)
            {
                _inFlight = false;
                return;
            }
        }

        Next();
    }
}
