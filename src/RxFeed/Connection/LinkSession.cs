using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace RxFeed.Connection;

/// <summary>Why a session was opened.</summary>
internal enum SessionKind : byte
{
    Initial,
    Reconnect,
    Rollover,
}

/// <summary>What a <see cref="LinkSession"/> reports to the shard that owns it.</summary>
internal interface ISessionListener
{
#pragma warning disable SA1600 // the summary above says what each callback is
    void OnFrame(LinkSession session, string frame);

    void OnSubscribed(LinkSession session);

    void OnDelivering(LinkSession session);

    void OnRollover(LinkSession session, string reason);

    void OnFailed(LinkSession session, Exception error);
#pragma warning restore SA1600
}

/// <summary>
/// One socket from attempt to close: waits for an attempt slot, connects, subscribes the shard's current streams with
/// ids, correlates the acks, confirms with LIST_SUBSCRIPTIONS (fixing and counting a mismatch), spots serverShutdown
/// and asks for a rollover at the end of its lifetime. Every frame we send goes through its <see cref="OutboundBudget"/>.
/// </summary>
internal sealed class LinkSession : IDisposable
{
    private const int MaxFixRounds = 3;
    private readonly object _gate = new();
    private readonly ShardContext _ctx;
    private readonly ISessionListener _listener;
    private readonly CompositeDisposable _resources = [];
    private readonly HashSet<long> _awaiting = [];
    private IFeedSocket? _socket;
    private OutboundBudget? _budget;
    private Phase _phase;
    private long _listId = -1;
    private int _fixRounds;
    private bool _delivering;
    private bool _ended;

    public LinkSession(ShardContext ctx, ISessionListener listener, SessionKind kind)
    {
        _ctx = ctx;
        _listener = listener;
        Kind = kind;
        ConnectionId = ctx.NextConnectionId();
    }

    private enum Phase : byte
    {
        Connecting,
        Subscribing,
        Listing,
        Fixing,
        Confirmed,
    }

    public SessionKind Kind { get; }

    public int ConnectionId { get; }

    public void Start() =>
        _resources.Add(_ctx.Limiter.Acquire(_ctx.Scheduler).Subscribe(_ => Open(), Fail));

    /// <summary>Ends the session: a normal close (1000) when it was open, then the socket is released.</summary>
    public void Dispose()
    {
        IFeedSocket? socket;
        lock (_gate)
        {
            _ended = true;
            socket = _socket;
            _socket = null;
        }

        _resources.Dispose();
        _budget?.Dispose();
        if (socket is not null)
        {
            try
            {
                socket.Close(1000, "rxfeed closing");
            }
            finally
            {
                // A half-open peer never answers the close; the socket is released after a short grace either way.
                _ctx.Scheduler.Schedule(TimeSpan.FromSeconds(1), socket.Dispose);
            }
        }
    }

    private void Open()
    {
        IFeedSocket socket;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ctx.Counters.Attempt();
            socket = _ctx.Factory.Create(_ctx.Options.Endpoint);
            _socket = socket;
        }

        _resources.Add(socket.Messages.Subscribe(OnMessage, Fail));
        _resources.Add(socket.Disconnected.Subscribe(d => Fail(new FeedSocketException(d))));
        _resources.Add(socket.Connect().Subscribe(_ => { }, Fail, () => OnOpen(socket)));
    }

    private void OnOpen(IFeedSocket socket)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ctx.MarkOpened();
            _ctx.Counters.Opened(Kind == SessionKind.Reconnect);
            ConnectionLog.Opened(_ctx.Logger, ConnectionId, Kind, _ctx.Shard);
            _budget = new OutboundBudget(
                _ctx.Options.OutboundMessagesPerSecond,
                text =>
                {
                    _ctx.Counters.Sent();
                    return socket.SendAsync(text);
                },
                _ctx.Counters.BudgetWait,
                _ctx.Scheduler);
            _phase = Phase.Subscribing;
            SendRequests(_ctx.CurrentStreams(), subscribe: true);
        }

        _resources.Add(_ctx.Scheduler.Schedule(_ctx.Options.ConnectionLifetime, () => _listener.OnRollover(this, "lifetime")));
    }

    private void OnMessage(string frame)
    {
        if (ControlProtocol.TryReadReply(frame, out ControlReply reply))
        {
            bool subscribed = OnReply(reply);
            _listener.OnFrame(this, frame);
            if (subscribed)
            {
                _listener.OnSubscribed(this);
            }

            return;
        }

        if (ControlProtocol.IsServerShutdown(frame))
        {
            _listener.OnFrame(this, frame);
            _listener.OnRollover(this, "serverShutdown");
            return;
        }

        if (!_delivering)
        {
            _delivering = true;
            _listener.OnDelivering(this);
        }

        _listener.OnFrame(this, frame);
    }

    /// <summary>Advances the subscribe → list → (fix → list) → confirmed machine; true when the first subscribe completed.</summary>
    private bool OnReply(ControlReply reply)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return false;
            }

            if (_awaiting.Remove(reply.Id))
            {
                if (reply.IsError)
                {
                    _ctx.Counters.RequestError();
                    ConnectionLog.RequestRefused(_ctx.Logger, ConnectionId, reply.Id, reply.Message);
                }

                if (_awaiting.Count > 0)
                {
                    return false;
                }

                bool first = _phase == Phase.Subscribing;
                _phase = Phase.Listing;
                _listId = _ctx.NextRequestId();
                Send(ControlProtocol.ListSubscriptions(_listId));
                return first;
            }

            if (reply.Id == _listId && _phase == Phase.Listing)
            {
                Verify(reply.Streams ?? []);
            }

            return false;
        }
    }

    private void Verify(IReadOnlyList<string> held)
    {
        string[] wanted = _ctx.CurrentStreams();
        var have = new HashSet<string>(held, StringComparer.OrdinalIgnoreCase);
        string[] missing = [.. wanted.Where(s => !have.Contains(s))];
        var want = new HashSet<string>(wanted, StringComparer.OrdinalIgnoreCase);
        string[] extra = [.. held.Where(s => !want.Contains(s))];
        if (missing.Length == 0 && extra.Length == 0)
        {
            _phase = Phase.Confirmed;
            return;
        }

        _ctx.Counters.Mismatch();
        ConnectionLog.Mismatch(_ctx.Logger, ConnectionId, missing.Length, extra.Length);
        if (++_fixRounds > MaxFixRounds)
        {
            _phase = Phase.Confirmed; // the server keeps disagreeing; staleness will tell if data is really missing
            return;
        }

        _phase = Phase.Fixing;
        SendRequests(extra, subscribe: false);
        SendRequests(missing, subscribe: true);
    }

    private void SendRequests(string[] streams, bool subscribe)
    {
        foreach (string[] chunk in streams.Chunk(_ctx.Options.MaxStreamsPerRequest))
        {
            long id = _ctx.NextRequestId();
            _awaiting.Add(id);
            Send(subscribe ? ControlProtocol.Subscribe(chunk, id) : ControlProtocol.Unsubscribe(chunk, id));
        }
    }

    private void Send(string text) => _budget?.Enqueue(text);

    private void Fail(Exception error)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
        }

        _listener.OnFailed(this, error);
    }
}
