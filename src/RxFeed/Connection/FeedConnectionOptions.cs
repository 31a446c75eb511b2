namespace RxFeed.Connection;

/// <summary>Settings of a <see cref="FeedConnection"/>; defaults follow Binance's documented limits with headroom.</summary>
public sealed class FeedConnectionOptions
{
    /// <summary>Binance's limit on incoming messages per second per connection (pings, pongs and control included).</summary>
    public const int ServerMessagesPerSecond = 5;

    /// <summary>Binance's limit on streams per connection.</summary>
    public const int ServerMaxStreams = 1024;

    /// <summary>Gets or sets the WebSocket endpoint: <c>wss://host:port/ws</c> or <c>ws://127.0.0.1:PORT/ws</c>.</summary>
    public Uri Endpoint { get; set; } = new("wss://data-stream.binance.vision/ws");

    /// <summary>Gets or sets the source symbols (any case; streams are lower case <c>symbol@bookTicker</c>).</summary>
    public IReadOnlyList<string> Symbols { get; set; } = ["ADAUSDT"];

    /// <summary>Gets or sets the silence on one connection after which it is torn down as half-open and replaced.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the first backoff delay.</summary>
    public TimeSpan ReconnectInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the backoff cap.</summary>
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the consecutive failed reconnect attempts after which the feed fails terminally (its frames end in the
    /// error); 0 retries forever. The count starts again after <see cref="HealthyAfter"/> of health.
    /// </summary>
    public int MaxReconnectAttempts { get; set; }

    /// <summary>Gets or sets how long a connection must stay healthy before the backoff starts again from the first delay.</summary>
    public TimeSpan HealthyAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the backoff's jitter factor source in [0, 1]; null is uniform random (full jitter). For tests.</summary>
    public Func<double>? BackoffJitter { get; set; }

    /// <summary>Gets or sets the ClientWebSocket keepalive ping interval (our pings; each takes a slot of the outbound budget).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets how long to wait for a pong to our keepalive ping before the socket is aborted.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the connect (upgrade) timeout.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the frame cap; longer frames are counted malformed by the parser (1 MiB).</summary>
    public int MaxFrameBytes { get; set; } = 1 << 20;

    /// <summary>Gets or sets the lifetime after which a connection is replaced make-before-break (Binance cuts at 24 h).</summary>
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromHours(23.5);

    /// <summary>Gets or sets how long a replacement connection may take to deliver before it is abandoned and retried.</summary>
    public TimeSpan SwitchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the frames we send on one connection in any sliding second: requests, our keepalive pings and our
    /// pongs to server pings, all through one <see cref="OutboundLimiter"/> (2 to <see cref="ServerMessagesPerSecond"/>;
    /// default 4, one under Binance's limit).
    /// </summary>
    public int OutboundMessagesPerSecond { get; set; } = ServerMessagesPerSecond - 1;

    /// <summary>
    /// Gets or sets how long a request (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS) may go unanswered after it was written:
    /// then it is timed out, counted, and the connection treated as broken (reconnect with backoff, resubscribe).
    /// </summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how often each connection lists its subscriptions and repairs the difference (zero: only after each
    /// (re)subscribe). Default 5 minutes.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the connection attempts allowed per <see cref="AttemptWindow"/> (Binance: 300 per 5 minutes per IP).</summary>
    public int MaxAttemptsPerWindow { get; set; } = 300;

    /// <summary>Gets or sets the window of <see cref="MaxAttemptsPerWindow"/>.</summary>
    public TimeSpan AttemptWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the most streams one connection carries; more are spread over several connections.</summary>
    public int MaxStreamsPerConnection { get; set; } = ServerMaxStreams;

    /// <summary>Gets or sets the most streams named in one SUBSCRIBE message.</summary>
    public int MaxStreamsPerRequest { get; set; } = 200;

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoint);
        if (Endpoint.Scheme != "ws" && Endpoint.Scheme != "wss")
        {
            throw new ArgumentException($"endpoint must be ws:// or wss://, got {Endpoint}", nameof(Endpoint));
        }

        if (Symbols is null || Symbols.Count == 0 || Symbols.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("at least one non-empty symbol is required", nameof(Symbols));
        }

        Positive(StaleAfter, nameof(StaleAfter));
        Positive(ReconnectInitial, nameof(ReconnectInitial));
        Positive(ConnectionLifetime, nameof(ConnectionLifetime));
        Positive(SwitchTimeout, nameof(SwitchTimeout));
        Positive(AttemptWindow, nameof(AttemptWindow));
        if (ReconnectMax < ReconnectInitial)
        {
            throw new ArgumentException("reconnect max must be >= reconnect initial", nameof(ReconnectMax));
        }

        if (MaxReconnectAttempts < 0)
        {
            throw new ArgumentException("max reconnect attempts must be 0 (forever) or more", nameof(MaxReconnectAttempts));
        }

        if (MaxFrameBytes <= 0 || MaxAttemptsPerWindow <= 0 || MaxStreamsPerRequest <= 0)
        {
            throw new ArgumentException("frame cap, attempt limit and request size must be positive");
        }

        if (MaxStreamsPerConnection is <= 0 or > ServerMaxStreams)
        {
            throw new ArgumentException($"streams per connection must be 1..{ServerMaxStreams}", nameof(MaxStreamsPerConnection));
        }

        if (OutboundMessagesPerSecond is < 2 or > ServerMessagesPerSecond)
        {
            // One slot for a request in flight and one for the pong it may wait behind; Binance closes above 5.
            throw new ArgumentException(
                $"outgoing frames per second must be 2..{ServerMessagesPerSecond} (Binance's limit)", nameof(OutboundMessagesPerSecond));
        }

        if (KeepAliveInterval < TimeSpan.FromSeconds(1) && KeepAliveInterval != TimeSpan.Zero)
        {
            // A keepalive ping faster than 1/s would take most of the budget.
            throw new ArgumentException("keepalive interval must be 0 (off) or at least 1s", nameof(KeepAliveInterval));
        }

        Positive(AckTimeout, nameof(AckTimeout));
        if (ReconcileInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("reconcile interval must be 0 (off) or positive", nameof(ReconcileInterval));
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive", name);
        }
    }
}
