using System.Collections.Concurrent;
using System.Text;
using RxFeed.Exchange.Sessions;

namespace RxFeed.Exchange.Market;

/// <summary>
/// Routes market payloads to the connections subscribed to their stream, remembers the last book ticker of
/// each stream (the raw material of the bad-frame faults), and signals the first subscription, which starts
/// the one shared market clock.
/// </summary>
internal sealed class MarketHub
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ClientSession[]> _subscribers = new(StringComparer.Ordinal);
    private readonly HashSet<ClientSession> _sessions = [];
    private readonly ConcurrentDictionary<string, byte[]> _prefixes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LastTicker> _lastTickers = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _firstSubscriber = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopping;

    /// <summary>Gets the latency faults every connection's writer applies to its data frames.</summary>
    public Faults.FrameLatency Latency { get; } = new();

    /// <summary>Gets a task that completes when any connection first subscribes to any stream.</summary>
    public Task FirstSubscriber => _firstSubscriber.Task;

    /// <summary>Gets a value indicating whether any connection holds any stream.</summary>
    public bool HasSubscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count > 0;
            }
        }
    }

    /// <summary>Adds a connection, unless the exchange is stopping.</summary>
    /// <param name="session">The connection.</param>
    /// <returns><see langword="false"/> when the exchange is stopping: the caller shuts the connection down itself.</returns>
    public bool Register(ClientSession session)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return false;
            }

            _sessions.Add(session);
            return true;
        }
    }

    /// <summary>Marks the exchange as stopping and returns the connections to shut down; later ones are refused by <see cref="Register"/>.</summary>
    /// <returns>The open connections.</returns>
    public ClientSession[] BeginStop()
    {
        lock (_gate)
        {
            _stopping = true;
            return [.. _sessions];
        }
    }

    /// <summary>Removes a connection and all of its subscriptions.</summary>
    /// <param name="session">The connection.</param>
    public void Unregister(ClientSession session)
    {
        lock (_gate)
        {
            _sessions.Remove(session);
            foreach (var stream in _subscribers.Keys.ToArray())
            {
                RemoveLocked(session, stream);
            }
        }
    }

    /// <summary>Returns the open connections.</summary>
    /// <returns>A snapshot.</returns>
    public ClientSession[] Sessions()
    {
        lock (_gate)
        {
            return [.. _sessions];
        }
    }

    /// <summary>Subscribes a connection to a stream.</summary>
    /// <param name="session">The connection.</param>
    /// <param name="stream">The stream.</param>
    public void Add(ClientSession session, string stream)
    {
        lock (_gate)
        {
            var current = _subscribers.GetValueOrDefault(stream, []);
            if (Array.IndexOf(current, session) < 0)
            {
                _subscribers[stream] = [.. current, session];
            }
        }

        _firstSubscriber.TrySetResult();
    }

    /// <summary>Unsubscribes a connection from a stream.</summary>
    /// <param name="session">The connection.</param>
    /// <param name="stream">The stream.</param>
    public void Remove(ClientSession session, string stream)
    {
        lock (_gate)
        {
            RemoveLocked(session, stream);
        }
    }

    /// <summary>Sends a payload to every connection subscribed to its stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="payload">The payload, byte for byte.</param>
    /// <param name="updateId">The book ticker's <c>u</c>, or 0 when the payload is not a book ticker.</param>
    public void Publish(string stream, ReadOnlyMemory<byte> payload, long updateId = 0)
    {
        if (updateId > 0)
        {
            _lastTickers[stream] = new LastTicker(payload, updateId);
        }

        ClientSession[]? targets;
        lock (_gate)
        {
            _subscribers.TryGetValue(stream, out targets);
        }

        if (targets is null)
        {
            return;
        }

        var prefix = Prefix(stream);
        foreach (var session in targets)
        {
            session.Deliver(prefix, payload);
        }
    }

    /// <summary>Returns the last book ticker published on a stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="last">The ticker.</param>
    /// <returns><see langword="true"/> when one was published.</returns>
    public bool TryGetLastTicker(string stream, out LastTicker last) => _lastTickers.TryGetValue(stream, out last);

    /// <summary>Records a book ticker sent outside the market (an injected fault), so the market keeps <c>u</c> above it.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="updateId">Its <c>u</c>.</param>
    public void RecordTicker(string stream, ReadOnlyMemory<byte> payload, long updateId) => _lastTickers[stream] = new LastTicker(payload, updateId);

    /// <summary>Returns the highest <c>u</c> sent on a stream so far (0 when none).</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>The update id.</returns>
    public long LastUpdateId(string stream) => _lastTickers.TryGetValue(stream, out var last) ? last.UpdateId : 0;

    /// <summary>Returns whether any connection may be slower than the market: the busiest send queue is over half full.</summary>
    /// <returns><see langword="true"/> when the market should wait a little.</returns>
    public bool AnySessionBacklogged()
    {
        foreach (var session in Sessions())
        {
            if (session.IsBacklogged)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The combined-envelope prefix of a stream: <c>{"stream":"name","data":</c>.</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>The prefix bytes.</returns>
    public byte[] Prefix(string stream) =>
        _prefixes.GetOrAdd(stream, static s => Encoding.UTF8.GetBytes("{\"stream\":\"" + System.Text.Json.JsonEncodedText.Encode(s) + "\",\"data\":"));

    private void RemoveLocked(ClientSession session, string stream)
    {
        if (_subscribers.TryGetValue(stream, out var current) && Array.IndexOf(current, session) >= 0)
        {
            var next = current.Where(s => s != session).ToArray();
            if (next.Length == 0)
            {
                _subscribers.Remove(stream);
            }
            else
            {
                _subscribers[stream] = next;
            }
        }
    }
}

/// <summary>The last book ticker sent on a stream.</summary>
/// <param name="Payload">Its payload.</param>
/// <param name="UpdateId">Its <c>u</c>.</param>
internal readonly record struct LastTicker(ReadOnlyMemory<byte> Payload, long UpdateId);
