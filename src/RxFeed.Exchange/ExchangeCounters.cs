namespace RxFeed.Exchange;

/// <summary>What the exchange has done so far; every value only grows except <see cref="ActiveConnections"/>.</summary>
public sealed class ExchangeCounters
{
    private long _connectionsAccepted;
    private long _activeConnections;
    private long _upgradesRefused;
    private long _attemptsLimited;
    private long _rateLimitCloses;
    private long _pongTimeouts;
    private long _lifetimeCloses;
    private long _slowClientDisconnects;
    private long _protocolErrors;
    private long _pingsSent;
    private long _pongsReceived;
    private long _unsolicitedPongs;
    private long _framesSent;
    private long _controlRequests;
    private long _requestsIgnored;
    private long _streamsForgotten;
    private long _errorReplies;
    private long _badFramesInjected;
    private long _serverShutdownsSent;

    /// <summary>Gets the WebSocket sessions opened.</summary>
    public long ConnectionsAccepted => Volatile.Read(ref _connectionsAccepted);

    /// <summary>Gets the sessions open now.</summary>
    public long ActiveConnections => Volatile.Read(ref _activeConnections);

    /// <summary>Gets the upgrades answered with HTTP 503 by the refuse fault.</summary>
    public long UpgradesRefused => Volatile.Read(ref _upgradesRefused);

    /// <summary>Gets the upgrades answered with HTTP 429 for passing the per-IP connection attempt limit.</summary>
    public long AttemptsLimited => Volatile.Read(ref _attemptsLimited);

    /// <summary>Gets the connections closed with 1008 for sending too many messages.</summary>
    public long RateLimitCloses => Volatile.Read(ref _rateLimitCloses);

    /// <summary>Gets the connections closed because no pong echoed a ping in time.</summary>
    public long PongTimeouts => Volatile.Read(ref _pongTimeouts);

    /// <summary>Gets the connections closed at the maximum lifetime.</summary>
    public long LifetimeCloses => Volatile.Read(ref _lifetimeCloses);

    /// <summary>Gets the clients disconnected because their send queue passed its bound.</summary>
    public long SlowClientDisconnects => Volatile.Read(ref _slowClientDisconnects);

    /// <summary>Gets the connections closed for breaking RFC 6455.</summary>
    public long ProtocolErrors => Volatile.Read(ref _protocolErrors);

    /// <summary>Gets the pings sent.</summary>
    public long PingsSent => Volatile.Read(ref _pingsSent);

    /// <summary>Gets the pongs that echoed an outstanding ping.</summary>
    public long PongsReceived => Volatile.Read(ref _pongsReceived);

    /// <summary>Gets the pongs that echoed no outstanding ping (allowed, but they keep nothing alive).</summary>
    public long UnsolicitedPongs => Volatile.Read(ref _unsolicitedPongs);

    /// <summary>Gets the data frames written (market data, replies, events).</summary>
    public long FramesSent => Volatile.Read(ref _framesSent);

    /// <summary>Gets the control requests received (SUBSCRIBE and the others, valid or not).</summary>
    public long ControlRequests => Volatile.Read(ref _controlRequests);

    /// <summary>Gets the control requests swallowed by the <c>ignore-requests</c> fault.</summary>
    public long RequestsIgnored => Volatile.Read(ref _requestsIgnored);

    /// <summary>Gets the subscriptions dropped by the <c>forget</c> fault.</summary>
    public long StreamsForgotten => Volatile.Read(ref _streamsForgotten);

    /// <summary>Gets the error replies sent.</summary>
    public long ErrorReplies => Volatile.Read(ref _errorReplies);

    /// <summary>Gets the bad frames sent by the bad-frame fault (per connection).</summary>
    public long BadFramesInjected => Volatile.Read(ref _badFramesInjected);

    /// <summary>Gets the serverShutdown events sent.</summary>
    public long ServerShutdownsSent => Volatile.Read(ref _serverShutdownsSent);

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsAccepted);
        Interlocked.Increment(ref _activeConnections);
    }

    internal void ConnectionClosed() => Interlocked.Decrement(ref _activeConnections);

    internal void UpgradeRefused() => Interlocked.Increment(ref _upgradesRefused);

    internal void AttemptLimited() => Interlocked.Increment(ref _attemptsLimited);

    internal void RateLimitClose() => Interlocked.Increment(ref _rateLimitCloses);

    internal void PongTimeout() => Interlocked.Increment(ref _pongTimeouts);

    internal void LifetimeClose() => Interlocked.Increment(ref _lifetimeCloses);

    internal void SlowClientDisconnect() => Interlocked.Increment(ref _slowClientDisconnects);

    internal void ProtocolError() => Interlocked.Increment(ref _protocolErrors);

    internal void PingSent() => Interlocked.Increment(ref _pingsSent);

    internal void PongReceived() => Interlocked.Increment(ref _pongsReceived);

    internal void UnsolicitedPong() => Interlocked.Increment(ref _unsolicitedPongs);

    internal void FrameSent() => Interlocked.Increment(ref _framesSent);

    internal void ControlRequest() => Interlocked.Increment(ref _controlRequests);

    internal void ErrorReply() => Interlocked.Increment(ref _errorReplies);

    internal void RequestIgnored() => Interlocked.Increment(ref _requestsIgnored);

    internal void StreamForgotten() => Interlocked.Increment(ref _streamsForgotten);

    internal void BadFrameInjected() => Interlocked.Increment(ref _badFramesInjected);

    internal void ServerShutdownSent() => Interlocked.Increment(ref _serverShutdownsSent);
}
