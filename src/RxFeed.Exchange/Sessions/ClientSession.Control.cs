namespace RxFeed.Exchange.Sessions;

/// <summary>The subscription side: the streams of this connection and its <c>combined</c> property.</summary>
internal sealed partial class ClientSession : IControlTarget
{
    private readonly object _streamsGate = new();
    private readonly List<string> _streams = [];
    private volatile bool _combined;

    /// <inheritdoc/>
    public bool Combined
    {
        get => _combined;
        set => _combined = value;
    }

    /// <inheritdoc/>
    public string? Subscribe(IReadOnlyList<string> streams)
    {
        lock (_streamsGate)
        {
            var added = streams.Distinct(StringComparer.Ordinal).Where(s => !_streams.Contains(s)).ToList();
            if (_streams.Count + added.Count > _options.MaxStreams)
            {
                return $"Invalid request: too many streams; a connection may hold at most {_options.MaxStreams}";
            }

            foreach (var stream in added)
            {
                _streams.Add(stream);
                _hub.Add(this, stream);
            }

            return null;
        }
    }

    /// <inheritdoc/>
    public void Unsubscribe(IReadOnlyList<string> streams)
    {
        lock (_streamsGate)
        {
            foreach (var stream in streams)
            {
                if (_streams.Remove(stream))
                {
                    _hub.Remove(this, stream);
                }
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> ListSubscriptions()
    {
        lock (_streamsGate)
        {
            return [.. _streams];
        }
    }

    /// <summary>Announces <c>serverShutdown</c> in this connection's envelope, then closes with 1001 after it.</summary>
    public void SendServerShutdownAndClose()
    {
        SendRaw(Faults.ExchangeFaults.ServerShutdownEvent(_combined));
        _counters.ServerShutdownSent();
        BeginClose(Frames.WebSocketCloseCodes.GoingAway, "Server shutdown", afterQueuedData: true);
    }
}
