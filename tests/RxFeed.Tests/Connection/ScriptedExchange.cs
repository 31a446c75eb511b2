using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text.Json;
using Microsoft.Reactive.Testing;
using RxFeed.Connection;

namespace RxFeed.Tests.Connection;

/// <summary>
/// An in-memory Binance for virtual time: every socket it hands out answers SUBSCRIBE / UNSUBSCRIBE /
/// LIST_SUBSCRIPTIONS after <see cref="AckDelay"/>, and a market ticks every symbol on every subscribed socket with one
/// shared, rising <c>u</c> sequence (as Binance does), so overlaps between connections are real duplicates.
/// </summary>
internal sealed class ScriptedExchange : IFeedSocketFactory
{
    private readonly Dictionary<string, long> _updateIds = new(StringComparer.Ordinal);

    public ScriptedExchange(TestScheduler scheduler) => Scheduler = scheduler;

    public TestScheduler Scheduler { get; }

    public List<ScriptedSocket> Sockets { get; } = [];

    public TimeSpan ConnectDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan AckDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Gets or sets which connection attempts (0-based) are refused (an HTTP 503 on upgrade).</summary>
    public Func<int, bool> Refuse { get; set; } = _ => false;

    /// <summary>Gets or sets how many of the next requests (any socket) are swallowed without a reply.</summary>
    public int IgnoreRequests { get; set; }

    /// <summary>Gets or sets the streams the server refuses to subscribe (an error reply with code 2).</summary>
    public HashSet<string> Refused { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets a rewrite of the LIST_SUBSCRIPTIONS answer (socket, round, held) for mismatch tests.</summary>
    public Func<ScriptedSocket, int, IReadOnlyList<string>, IReadOnlyList<string>>? ListAnswer { get; set; }

    public IFeedSocket Create(Uri endpoint)
    {
        var socket = new ScriptedSocket(this, Sockets.Count);
        Sockets.Add(socket);
        return socket;
    }

    /// <summary>Ticks every symbol once per <paramref name="interval"/> on every open socket that holds its stream.</summary>
    public IDisposable StartMarket(TimeSpan interval, params string[] symbols) =>
        Scheduler.SchedulePeriodic(interval, () =>
        {
            foreach (string symbol in symbols)
            {
                long u = _updateIds[symbol] = _updateIds.GetValueOrDefault(symbol, 100) + 1;
                string stream = symbol.ToLowerInvariant() + "@bookTicker";
                string frame = $"{{\"u\":{u},\"s\":\"{symbol}\",\"b\":\"0.3581\",\"B\":\"100\",\"a\":\"0.3582\",\"A\":\"250\"}}";
                foreach (ScriptedSocket socket in Sockets.Where(s => s.IsOpen && !s.Stalled && s.Held.Contains(stream)))
                {
                    socket.Push(frame);
                }
            }
        });

    internal long NextUpdateId(string symbol) => _updateIds.GetValueOrDefault(symbol, 100);
}

/// <summary>One scripted WebSocket session.</summary>
internal sealed class ScriptedSocket : IFeedSocket
{
    private readonly ScriptedExchange _exchange;
    private readonly Subject<string> _messages = new();
    private readonly Subject<SocketDisconnect> _disconnected = new();
    private int _listRounds;

    public ScriptedSocket(ScriptedExchange exchange, int index)
    {
        _exchange = exchange;
        Index = index;
        CreatedAt = exchange.Scheduler.Now;
    }

    public DateTimeOffset CreatedAt { get; }

    public int Index { get; }

    public bool IsOpen { get; private set; }

    public bool Stalled { get; set; }

    public int? ClosedByClient { get; private set; }

    public bool Disposed { get; private set; }

    public DateTimeOffset? OpenedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public HashSet<string> Held { get; } = new(StringComparer.Ordinal);

    public List<(DateTimeOffset At, string Text)> Sent { get; } = [];

    public IObservable<string> Messages => _messages;

    public IObservable<SocketDisconnect> Disconnected => _disconnected;

    public IObservable<Unit> Connect() =>
        _exchange.Refuse(Index)
            ? Observable.Timer(_exchange.ConnectDelay, _exchange.Scheduler)
                .SelectMany(_ => Observable.Throw<Unit>(new FeedSocketException("connect failed: 503 Service Unavailable")))
            : Observable.Timer(_exchange.ConnectDelay, _exchange.Scheduler).Select(_ =>
            {
                IsOpen = true;
                OpenedAt = _exchange.Scheduler.Now;
                return Unit.Default;
            });

    public Task SendAsync(string text)
    {
        Send(text);
        return Task.CompletedTask;
    }

    private void Send(string text)
    {
        Sent.Add((_exchange.Scheduler.Now, text));
        using var doc = JsonDocument.Parse(text);
        string method = doc.RootElement.GetProperty("method").GetString()!;
        long id = doc.RootElement.GetProperty("id").GetInt64();
        string[] streams = doc.RootElement.TryGetProperty("params", out JsonElement p) ? [.. p.EnumerateArray().Select(e => e.GetString()!)] : [];
        if (_exchange.IgnoreRequests > 0)
        {
            _exchange.IgnoreRequests--;
            return;
        }

        _exchange.Scheduler.Schedule(_exchange.AckDelay, () =>
        {
            switch (method)
            {
                case "SUBSCRIBE" when streams.Any(_exchange.Refused.Contains):
                    Push($"{{\"error\":{{\"code\":2,\"msg\":\"Invalid request: invalid stream name\"}},\"id\":{id}}}");
                    break;
                case "SUBSCRIBE":
                    Held.UnionWith(streams);
                    Push($"{{\"result\":null,\"id\":{id}}}");
                    break;
                case "UNSUBSCRIBE":
                    Held.ExceptWith(streams);
                    Push($"{{\"result\":null,\"id\":{id}}}");
                    break;
                case "LIST_SUBSCRIPTIONS":
                    IReadOnlyList<string> held = [.. Held.Order(StringComparer.Ordinal)];
                    held = _exchange.ListAnswer?.Invoke(this, _listRounds++, held) ?? held;
                    Push($"{{\"result\":{JsonSerializer.Serialize(held)},\"id\":{id}}}");
                    break;
            }
        });
    }

    public void Push(string frame)
    {
        if (IsOpen && !Disposed)
        {
            _messages.OnNext(frame);
        }
    }

    /// <summary>The server ends the session: a close code, or null for an abrupt drop.</summary>
    public void Drop(int? code)
    {
        if (!IsOpen)
        {
            return;
        }

        IsOpen = false;
        EndedAt = _exchange.Scheduler.Now;
        _disconnected.OnNext(new SocketDisconnect(code is null ? DisconnectKind.Lost : DisconnectKind.ClosedByServer, code, "scripted"));
    }

    public void Close(int code, string reason)
    {
        ClosedByClient = code;
        IsOpen = false;
        EndedAt ??= _exchange.Scheduler.Now;
    }

    public void Dispose()
    {
        Disposed = true;
        IsOpen = false;
        EndedAt ??= _exchange.Scheduler.Now;
    }
}
