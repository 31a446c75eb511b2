namespace RxFeed.Exchange.Sessions;

/// <summary>The subscription side: the streams of this connection and its <c>combined</c> property.</summary>
internal sealed partial class ClientSession : IControlTarget
{
    private readonly object _streamsGate = new();
    private readonly List<string> _streams = [];
    private readonly List<string> _pendingStreams = [];
    private volatile bool _combined;
    private int _shutdownAnnounced;

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

            // Data starts flowing only after the ack is queued (CommitSubscriptions): the ack comes first, as on Binance.
            _streams.AddRange(added);
            _pendingStreams.AddRange(added);
            return null;
        }
    }

    /// <summary>Connects the streams added since the last call to the market.</summary>
    public void CommitSubscriptions()
    {
        lock (_streamsGate)
        {
            foreach (var stream in _pendingStreams)
            {
                if (_streams.Contains(stream))
                {
                    _hub.Add(this, stream);
                }
            }

            _pendingStreams.Clear();
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

    /// <summary>The forget fault: drops a subscription without a word to the client (data stops, the list no longer has it).</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>Whether this connection held it.</returns>
    public bool Forget(string stream)
    {
        lock (_streamsGate)
        {
            if (!_streams.Remove(stream))
            {
                return false;
            }

            _hub.Remove(this, stream);
            return true;
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
    public void SendServerShutdownAndClose() => SendServerShutdown(TimeSpan.Zero);

    /// <summary>
    /// Announces <c>serverShutdown</c> in this connection's envelope, keeps serving for <paramref name="grace"/> (as Binance
    /// does, so clients can reconnect before the close), then closes with 1001 after the data queued by then.
    /// </summary>
    /// <param name="grace">How long the connection keeps serving after the event; zero closes right after it.</param>
    public void SendServerShutdown(TimeSpan grace)
    {
        // A second announcement (a stop during the grace) only brings the close forward.
        if (Interlocked.Exchange(ref _shutdownAnnounced, 1) == 0)
        {
            SendRaw(Faults.ExchangeFaults.ServerShutdownEvent(_combined));
            _counters.ServerShutdownSent();
        }

        if (grace <= TimeSpan.Zero)
        {
            BeginClose(Frames.WebSocketCloseCodes.GoingAway, "Server shutdown", afterQueuedData: true);
            return;
        }

        _ = CloseAfterGraceAsync(grace);
    }

    private async Task CloseAfterGraceAsync(TimeSpan grace)
    {
        try
        {
            await Task.Delay(grace, _cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return; // the connection ended during the grace
        }

        BeginClose(Frames.WebSocketCloseCodes.GoingAway, "Server shutdown", afterQueuedData: true);
    }
}
