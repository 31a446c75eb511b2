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
/// ids, correlates the acks (each request has <see cref="FeedConnectionOptions.AckTimeout"/> from being written to be
/// answered, or the connection is treated as broken), confirms with LIST_SUBSCRIPTIONS after the subscribe and every
/// <see cref="FeedConnectionOptions.ReconcileInterval"/> (repairing and counting a difference), carries the shard's
/// run-time subscribes and unsubscribes, spots serverShutdown and asks for a rollover at the end of its lifetime. Every
/// frame we send takes a slot of its one <see cref="OutboundLimiter"/>.
/// </summary>
internal sealed class LinkSession : IDisposable
{
    private const int MaxFixRounds = 3;
    private readonly object _gate = new();
    private readonly ShardContext _ctx;
    private readonly ISessionListener _listener;
    private readonly CompositeDisposable _resources = [];
    private readonly Dictionary<long, PendingRequest> _awaiting = [];
    private readonly HashSet<long> _initial = [];
    private readonly HashSet<long> _fixing = [];
    private readonly SymbolActivity _activity = new();
    private readonly bool _watchSilence;
    private IFeedSocket? _socket;
    private OutboundLimiter? _limiter;
    private OutboundBudget? _budget;
    private Phase _phase;
    private long _listId = -1;
    private int _fixRounds;
    private long _frames;
    private long _framesAtCheck = -1;
    private HashSet<string>? _heldAtCheck;
    private bool _delivering;
    private bool _ended;

    public LinkSession(ShardContext ctx, ISessionListener listener, SessionKind kind)
    {
        _ctx = ctx;
        _listener = listener;
        Kind = kind;
        ConnectionId = ctx.NextConnectionId();
        _watchSilence = ctx.Options.ReconcileInterval > TimeSpan.Zero;
    }

    private enum Phase : byte
    {
        Connecting,
        Subscribing,
        Listing,
        Fixing,
        Confirmed,
    }

    private enum RequestKind : byte
    {
        Subscribe,
        Unsubscribe,
        List,
    }

    private enum Purpose : byte
    {
        Initial,
        RunTime,
        Fix,
        List,
    }

    public SessionKind Kind { get; }

    public int ConnectionId { get; }

    public void Start() =>
        _resources.Add(_ctx.Limiter.Acquire(_ctx.Scheduler).Subscribe(_ => Open(), Fail));

    /// <summary>Sends a run-time SUBSCRIBE or UNSUBSCRIBE for streams the shard gained or lost after this session opened.</summary>
    public void Request(IReadOnlyList<string> streams, bool subscribe)
    {
        lock (_gate)
        {
            if (!_ended && _budget is not null)
            {
                SendRequests(streams, subscribe, Purpose.RunTime);
            }
        }
    }

    /// <summary>Ends the session: a normal close (1000) when it was open, then the socket is released.</summary>
    public void Dispose()
    {
        IFeedSocket? socket;
        lock (_gate)
        {
            _ended = true;
            socket = _socket;
            _socket = null;
            foreach (PendingRequest request in _awaiting.Values)
            {
                request.Deadline.Dispose();
            }
        }

        _ctx.Closing(this);
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
                _ctx.Scheduler.Schedule(TimeSpan.FromSeconds(1), () =>
                {
                    socket.Dispose();
                    _limiter?.Dispose();
                });
            }
        }
        else
        {
            _limiter?.Dispose();
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
            _limiter = new OutboundLimiter(_ctx.Options.OutboundMessagesPerSecond, _ctx.Scheduler, _ctx.Counters.BudgetWait);
            socket = _ctx.Factory.Create(_ctx.Options.Endpoint, _limiter);
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

            _ctx.Counters.Opened(Kind == SessionKind.Reconnect);
            ConnectionLog.Opened(_ctx.Logger, ConnectionId, Kind, _ctx.Shard);
            _budget = new OutboundBudget(_limiter!, text =>
            {
                _ctx.Counters.Sent();
                return socket.SendAsync(text);
            });
            _phase = Phase.Subscribing;
            _initial.UnionWith(SendRequests(_ctx.Open(this), subscribe: true, Purpose.Initial));
            if (_initial.Count == 0)
            {
                StartList();
            }
        }

        _resources.Add(_ctx.Scheduler.Schedule(_ctx.Options.ConnectionLifetime, () => _listener.OnRollover(this, "lifetime")));
        if (_watchSilence)
        {
            _resources.Add(_ctx.Scheduler.SchedulePeriodic(_ctx.Options.ReconcileInterval, Reconcile));
        }
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

        if (_watchSilence)
        {
            NoteActivity(frame);
        }

        _listener.OnFrame(this, frame);
    }

    /// <summary>
    /// Notes which symbol a data frame is of (its <c>"s"</c>), so reconciliation can tell a silent stream. Only the socket's
    /// receive loop calls it, and the check that reads it runs there too (on a LIST reply): no lock on the hot path.
    /// </summary>
    private void NoteActivity(string frame) => _activity.Note(frame, ++_frames);

    /// <summary>Advances the subscribe → list → (fix → list) → confirmed machine; true when the first subscribe completed.</summary>
    private bool OnReply(ControlReply reply)
    {
        bool first = false;
        Action? resolve = null;
        lock (_gate)
        {
            if (_ended || !_awaiting.Remove(reply.Id, out PendingRequest? request))
            {
                return false;
            }

            request.Deadline.Dispose();
            if (request.Kind == RequestKind.List)
            {
                if (reply.Id == _listId)
                {
                    Verify(reply.Streams ?? []);
                }

                return false;
            }

            bool subscribe = request.Kind == RequestKind.Subscribe;
            if (reply.IsError)
            {
                _ctx.Counters.RequestError();
                ConnectionLog.RequestRefused(_ctx.Logger, ConnectionId, reply.Id, reply.Message);
                if (subscribe && request.Purpose == Purpose.RunTime)
                {
                    _ctx.Forget(request.Streams);
                }

                resolve = () => _ctx.Resolve(request.Streams, subscribe, SubscriptionOutcome.Refused, reply.Code, reply.Message);
            }
            else
            {
                resolve = () => _ctx.Resolve(request.Streams, subscribe, SubscriptionOutcome.Acked);
            }

            if (_initial.Remove(reply.Id) && _initial.Count == 0 && _phase == Phase.Subscribing)
            {
                first = true;
                StartList();
            }
            else if (_fixing.Remove(reply.Id) && _fixing.Count == 0 && _phase == Phase.Fixing)
            {
                StartList();
            }
        }

        resolve?.Invoke();
        return first;
    }

    /// <summary>The periodic reconciliation: one LIST_SUBSCRIPTIONS when nothing else is being confirmed.</summary>
    private void Reconcile()
    {
        lock (_gate)
        {
            if (!_ended && _phase == Phase.Confirmed)
            {
                _fixRounds = 0;
                StartList();
            }
        }
    }

    private void StartList()
    {
        _phase = Phase.Listing;
        _listId = _ctx.NextRequestId();
        Send(new PendingRequest(_listId, RequestKind.List, Purpose.List, []), ControlProtocol.ListSubscriptions(_listId));
    }

    /// <summary>Compares the server's list with what the shard wants; repairs and counts a difference.</summary>
    private void Verify(IReadOnlyList<string> held)
    {
        // Streams with a request still on its way are neither missing nor extra: their answer is coming.
        var moving = new HashSet<string>(_awaiting.Values.SelectMany(r => r.Streams), StringComparer.OrdinalIgnoreCase);
        string[] wanted = _ctx.CurrentStreams();
        var have = new HashSet<string>(held, StringComparer.OrdinalIgnoreCase);
        string[] missing = [.. wanted.Where(s => !have.Contains(s) && !moving.Contains(s))];
        var want = new HashSet<string>(wanted, StringComparer.OrdinalIgnoreCase);
        string[] extra = [.. held.Where(s => !want.Contains(s) && !moving.Contains(s))];
        string[] silent = Silent(wanted.Where(s => have.Contains(s) && !moving.Contains(s)));
        if (missing.Length == 0 && extra.Length == 0 && silent.Length == 0)
        {
            _phase = Phase.Confirmed;
            return;
        }

        _ctx.Counters.Mismatch();
        _ctx.Counters.Reconcile(missing.Length + extra.Length + silent.Length);
        ConnectionLog.Reconciled(_ctx.Logger, ConnectionId, missing.Length, extra.Length, silent.Length);
        if (++_fixRounds > MaxFixRounds)
        {
            _phase = Phase.Confirmed; // the server keeps disagreeing; staleness will tell if data is really missing
            return;
        }

        _phase = Phase.Fixing;
        _fixing.UnionWith(SendRequests([.. extra, .. silent], subscribe: false, Purpose.Fix));
        _fixing.UnionWith(SendRequests([.. missing, .. silent], subscribe: true, Purpose.Fix));
        if (_fixing.Count == 0)
        {
            _phase = Phase.Confirmed;
        }
    }

    /// <summary>
    /// Streams the server lists but that sent nothing since the previous check while others did: the server forgot them.
    /// Only judged from the second check on (a check needs a whole interval behind it).
    /// </summary>
    private string[] Silent(IEnumerable<string> held)
    {
        if (!_watchSilence)
        {
            return [];
        }

        long frames = _frames;
        HashSet<string>? before = _heldAtCheck;
        long framesBefore = _framesAtCheck;
        string[] current = [.. held];
        _heldAtCheck = new HashSet<string>(current, StringComparer.Ordinal);
        _framesAtCheck = frames;
        if (before is null || frames == framesBefore)
        {
            return [];
        }

        return [.. current.Where(s => before.Contains(s)
            && _activity.LastSeen(ControlProtocol.SymbolOf(s)) <= framesBefore)];
    }

    private List<long> SendRequests(IReadOnlyList<string> streams, bool subscribe, Purpose purpose)
    {
        var ids = new List<long>();
        foreach (string[] chunk in streams.Chunk(_ctx.Options.MaxStreamsPerRequest))
        {
            long id = _ctx.NextRequestId();
            ids.Add(id);
            var request = new PendingRequest(id, subscribe ? RequestKind.Subscribe : RequestKind.Unsubscribe, purpose, chunk);
            Send(request, subscribe ? ControlProtocol.Subscribe(chunk, id) : ControlProtocol.Unsubscribe(chunk, id));
        }

        return ids;
    }

    /// <summary>Queues a request; its ack deadline starts once it is written (a queue behind the budget is not the server's delay).</summary>
    private void Send(PendingRequest request, string text)
    {
        _awaiting[request.Id] = request;
        _budget?.Enqueue(text, () => ArmDeadline(request));
    }

    private void ArmDeadline(PendingRequest request)
    {
        lock (_gate)
        {
            if (!_ended && _awaiting.ContainsKey(request.Id))
            {
                request.Deadline.Disposable = _ctx.Scheduler.Schedule(_ctx.Options.AckTimeout, () => OnAckTimeout(request));
            }
        }
    }

    private void OnAckTimeout(PendingRequest request)
    {
        lock (_gate)
        {
            if (_ended || !_awaiting.Remove(request.Id))
            {
                return;
            }
        }

        _ctx.Counters.AckTimeout();
        ConnectionLog.AckTimedOut(_ctx.Logger, ConnectionId, request.Id, _ctx.Options.AckTimeout);
        if (request.Kind != RequestKind.List)
        {
            _ctx.Resolve(request.Streams, request.Kind == RequestKind.Subscribe, SubscriptionOutcome.TimedOut);
        }

        Fail(new AckTimeoutException($"request {request.Id} unanswered after {_ctx.Options.AckTimeout}"));
    }

    private void Fail(Exception error)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            foreach (PendingRequest request in _awaiting.Values)
            {
                request.Deadline.Dispose();
            }
        }

        _ctx.Closing(this);
        _listener.OnFailed(this, error);
    }

    private sealed class PendingRequest(long id, RequestKind kind, Purpose purpose, string[] streams)
    {
        public long Id { get; } = id;

        public RequestKind Kind { get; } = kind;

        public Purpose Purpose { get; } = purpose;

        public string[] Streams { get; } = streams;

        public SerialDisposable Deadline { get; } = new();
    }
}
