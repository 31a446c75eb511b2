using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace RxFeed.Connection;

/// <summary>What kind of frame asks the <see cref="OutboundLimiter"/> for a slot.</summary>
public enum OutboundFrameKind : byte
{
    /// <summary>Our answer to a server ping: served before anything else waiting, never dropped.</summary>
    Pong,

    /// <summary>Our keepalive ping.</summary>
    Ping,

    /// <summary>A text request (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, ...).</summary>
    Request,

    /// <summary>The close frame: never waits (a connection that is going cannot be closed for rate).</summary>
    Close,
}

/// <summary>
/// The one limiter of a connection: every frame we send — requests, our pings, our pongs — takes a slot here, and never
/// more than <c>perSecond</c> slots fall in any sliding second of scheduler time. Waiting pongs go first.
/// </summary>
/// <remarks>
/// A slot is held from its grant until its write completes and then counted at the completion time (the frame is on
/// the wire): a write delayed by a busy machine never lets the next frames land in the same server-side second.
/// Grants are also spaced 1 / <c>perSecond</c> apart, so a server whose reads stall cannot see two bursts as one second's
/// worth. Several slots can be in flight at once (a pong may be written while a request waits for the socket), which is
/// why a connection needs at least 2 per second: one in-flight request must never block the pong it waits behind.
/// </remarks>
public sealed class OutboundLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private readonly IScheduler _scheduler;
    private readonly Action? _onWait;
    private readonly TimeSpan _spacing;
    private readonly int _perSecond;
    private readonly List<OutboundSlot> _slots = [];
    private readonly Queue<Waiter> _pongs = new();
    private readonly Queue<Waiter> _others = new();
    private readonly SerialDisposable _drain = new();
    private DateTimeOffset _spacedFrom;
    private bool _anyGranted;
    private DateTimeOffset _drainAt = DateTimeOffset.MaxValue;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="OutboundLimiter"/> class.</summary>
    /// <param name="perSecond">Frames allowed in any sliding second; 2 or more where a socket's pongs share it.</param>
    /// <param name="scheduler">The clock.</param>
    /// <param name="onWait">Called once for each frame that cannot go at once (counted as a budget wait).</param>
    public OutboundLimiter(int perSecond, IScheduler scheduler, Action? onWait = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentNullException.ThrowIfNull(scheduler);
        _perSecond = perSecond;
        _spacing = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / perSecond);
        _scheduler = scheduler;
        _onWait = onWait;
    }

    /// <summary>Gets the frames granted a slot so far.</summary>
    public long Granted { get; private set; }

    /// <summary>Gets a value indicating whether a pong is waiting (requests then hold back so it goes first).</summary>
    public bool PongWaiting
    {
        get
        {
            lock (_gate)
            {
                return _pongs.Count > 0;
            }
        }
    }

    /// <summary>Asks for a slot; <paramref name="granted"/> runs (on the caller's or the scheduler's thread) when it is given.</summary>
    /// <param name="kind">The frame's kind; pongs are served first.</param>
    /// <param name="granted">Writes the frame, then calls <see cref="OutboundSlot.Complete"/> when it is written.</param>
    /// <returns>Withdraws the request if it is still waiting.</returns>
    public IDisposable Request(OutboundFrameKind kind, Action<OutboundSlot> granted)
    {
        ArgumentNullException.ThrowIfNull(granted);
        var waiter = new Waiter(kind, granted);
        List<(Waiter, OutboundSlot)>? ready;
        lock (_gate)
        {
            if (_disposed)
            {
                return Disposable.Empty;
            }

            (kind == OutboundFrameKind.Pong ? _pongs : _others).Enqueue(waiter);
            ready = Pump();
            if (!waiter.Granted && kind != OutboundFrameKind.Close)
            {
                _onWait?.Invoke();
            }
        }

        Run(ready);
        return waiter;
    }

    /// <summary>Waits for a slot (for the socket's stream, which writes frames the protocol sends by itself).</summary>
    /// <param name="kind">The frame's kind.</param>
    /// <param name="cancellationToken">Gives up waiting.</param>
    /// <returns>The slot; complete it when the frame is written.</returns>
    public Task<OutboundSlot> WaitAsync(OutboundFrameKind kind, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<OutboundSlot>(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable request = Request(kind, slot => done.TrySetResult(slot));
        if (cancellationToken.CanBeCanceled && !done.Task.IsCompleted)
        {
            CancellationTokenRegistration registration = cancellationToken.Register(() =>
            {
                request.Dispose();
                done.TrySetCanceled(cancellationToken);
            });
            _ = done.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return done.Task;
    }

    /// <summary>Grants nothing more; waiting frames are dropped (the connection is going).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pongs.Clear();
            _others.Clear();
        }

        _drain.Dispose();
    }

    internal void Completed(OutboundSlot slot)
    {
        List<(Waiter, OutboundSlot)>? ready;
        lock (_gate)
        {
            if (slot.CompletedAt is not null)
            {
                return;
            }

            DateTimeOffset now = _scheduler.Now;
            slot.CompletedAt = now;
            if (now > _spacedFrom)
            {
                _spacedFrom = now;
            }

            ready = Pump();
        }

        Run(ready);
    }

    private static void Run(List<(Waiter Waiter, OutboundSlot Slot)>? ready)
    {
        if (ready is null)
        {
            return;
        }

        foreach ((Waiter waiter, OutboundSlot slot) in ready)
        {
            waiter.Callback(slot);
        }
    }

    /// <summary>Grants every waiter that may go now, pongs first; called under the gate.</summary>
    private List<(Waiter, OutboundSlot)>? Pump()
    {
        List<(Waiter, OutboundSlot)>? ready = null;
        while (!_disposed && (_pongs.Count > 0 || _others.Count > 0))
        {
            Queue<Waiter> queue = _pongs.Count > 0 ? _pongs : _others;
            Waiter next = queue.Peek();
            if (next.Withdrawn)
            {
                queue.Dequeue();
                continue;
            }

            DateTimeOffset now = _scheduler.Now;
            TimeSpan? wait = next.Kind == OutboundFrameKind.Close ? TimeSpan.Zero : WaitTime(now);
            if (wait is null)
            {
                return ready; // every slot is in flight: the next completion pumps again
            }

            if (wait > TimeSpan.Zero)
            {
                ScheduleDrain(now + wait.Value);
                return ready;
            }

            queue.Dequeue();
            var slot = new OutboundSlot(this, now);
            _slots.Add(slot);
            _spacedFrom = now;
            _anyGranted = true;
            next.Granted = true;
            Granted++;
            (ready ??= []).Add((next, slot));
        }

        return ready;
    }

    /// <summary>How long until a slot may be granted, or null when all are in flight (no time frees one).</summary>
    private TimeSpan? WaitTime(DateTimeOffset now)
    {
        _slots.RemoveAll(s => s.CompletedAt is { } done && done + Window <= now);
        TimeSpan wait = _anyGranted ? _spacedFrom + _spacing - now : TimeSpan.Zero;
        if (_slots.Count < _perSecond)
        {
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        DateTimeOffset? oldest = null;
        foreach (OutboundSlot slot in _slots)
        {
            if (slot.CompletedAt is { } done && (oldest is null || done < oldest))
            {
                oldest = done;
            }
        }

        if (oldest is null)
        {
            return null;
        }

        TimeSpan free = oldest.Value + Window - now;
        return free > wait ? free : wait;
    }

    private void ScheduleDrain(DateTimeOffset at)
    {
        if (at >= _drainAt)
        {
            return;
        }

        _drainAt = at;
        _drain.Disposable = _scheduler.Schedule(at, () =>
        {
            List<(Waiter, OutboundSlot)>? ready;
            lock (_gate)
            {
                _drainAt = DateTimeOffset.MaxValue;
                ready = Pump();
            }

            Run(ready);
        });
    }

    private sealed class Waiter(OutboundFrameKind kind, Action<OutboundSlot> callback) : IDisposable
    {
        public OutboundFrameKind Kind { get; } = kind;

        public Action<OutboundSlot> Callback { get; } = callback;

        public bool Granted { get; set; }

        public bool Withdrawn { get; private set; }

        public void Dispose() => Withdrawn = true;
    }
}

/// <summary>A slot granted by an <see cref="OutboundLimiter"/>: held until the frame is written.</summary>
public sealed class OutboundSlot
{
    private readonly OutboundLimiter _owner;

    internal OutboundSlot(OutboundLimiter owner, DateTimeOffset grantedAt)
    {
        _owner = owner;
        GrantedAt = grantedAt;
    }

    /// <summary>Gets when the slot was granted (scheduler time).</summary>
    public DateTimeOffset GrantedAt { get; }

    internal DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Marks the frame written: from now the slot counts at this time and expires a second later.</summary>
    public void Complete() => _owner.Completed(this);
}
