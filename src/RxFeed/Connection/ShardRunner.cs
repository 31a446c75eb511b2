using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace RxFeed.Connection;

/// <summary>
/// One subscription to a shard's frames: an active session whose frames go out, and during a rollover a pending one.
/// Make before break: the pending session connects and subscribes while the active one keeps delivering; the switch
/// happens on the pending session's first data frame, and only then is the old one closed. Overlapping frames are left
/// to <c>DropOutOfOrder</c>. The runner fails when its active session fails; the retry policy above replaces it.
/// </summary>
internal sealed class ShardRunner : ISessionListener, IDisposable
{
    private readonly object _gate = new();
    private readonly ShardContext _ctx;
    private readonly IObserver<string> _observer;
    private readonly SerialDisposable _switchTimer = new();
    private readonly SerialDisposable _retryTimer = new();
    private LinkSession? _active;
    private LinkSession? _pending;
    private string? _rolloverReason;
    private bool _done;

    public ShardRunner(ShardContext ctx, IObserver<string> observer)
    {
        _ctx = ctx;
        _observer = observer;
    }

    public IDisposable Start(SessionKind kind)
    {
        var session = new LinkSession(_ctx, this, kind);
        lock (_gate)
        {
            _active = session;
        }

        session.Start();
        return this;
    }

    public void OnFrame(LinkSession session, string frame)
    {
        lock (_gate)
        {
            if (session == _active && !_done)
            {
                _observer.OnNext(frame);
            }
        }
    }

    public void OnSubscribed(LinkSession session)
    {
        lock (_gate)
        {
            if (session != _active || _done)
            {
                return;
            }
        }

        _ctx.Link(LinkState.Connected, "subscribed", session.ConnectionId);
    }

    public void OnDelivering(LinkSession session)
    {
        LinkSession? old;
        lock (_gate)
        {
            if (session != _pending || _done)
            {
                return;
            }

            old = _active;
            _active = session;
            _pending = null;
            _rolloverReason = null;
            _switchTimer.Disposable = null;
        }

        _ctx.Counters.Rollover();
        ConnectionLog.Switched(_ctx.Logger, _ctx.Shard, session.ConnectionId);
        _ctx.Link(LinkState.Connected, "switched", session.ConnectionId);
        old?.Dispose();
    }

    public void OnRollover(LinkSession session, string reason)
    {
        lock (_gate)
        {
            if (session != _active || _done || _rolloverReason is not null)
            {
                return;
            }

            _rolloverReason = reason;
            ConnectionLog.Rollover(_ctx.Logger, _ctx.Shard, reason, session.ConnectionId);
            StartPending();
        }
    }

    public void OnFailed(LinkSession session, Exception error)
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            if (session == _pending)
            {
                // The replacement failed before it delivered; the active one still serves, so try again after a pause.
                _pending = null;
                _switchTimer.Disposable = null;
                session.Dispose();
                _retryTimer.Disposable = _ctx.Scheduler.Schedule(_ctx.Options.ReconnectInitial, RetryPending);
                return;
            }

            if (session != _active)
            {
                return;
            }

            if (_pending is not null)
            {
                // The old connection went first (serverShutdown closes it): the replacement carries on.
                _active = _pending;
                _pending = null;
                session.Dispose();
                _ctx.Link(LinkState.Disconnected, Reason(error), session.ConnectionId);
                return;
            }

            _done = true;
        }

        _observer.OnError(error);
    }

    public void Dispose()
    {
        LinkSession? active, pending;
        lock (_gate)
        {
            _done = true;
            active = _active;
            pending = _pending;
            _active = _pending = null;
        }

        _switchTimer.Dispose();
        _retryTimer.Dispose();
        active?.Dispose();
        pending?.Dispose();
    }

    private static string Reason(Exception error) => error is FeedSocketException { Disconnect: { } d } ? d.ToString() : error.Message;

    private void RetryPending()
    {
        lock (_gate)
        {
            if (!_done && _pending is null && _rolloverReason is not null)
            {
                StartPending();
            }
        }
    }

    private void StartPending()
    {
        var pending = new LinkSession(_ctx, this, SessionKind.Rollover);
        _pending = pending;
        _switchTimer.Disposable = _ctx.Scheduler.Schedule(_ctx.Options.SwitchTimeout, () => OnFailed(pending, new TimeoutException("replacement did not deliver")));
        pending.Start();
    }
}
