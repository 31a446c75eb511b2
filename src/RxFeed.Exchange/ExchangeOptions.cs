namespace RxFeed.Exchange;

/// <summary>How the local exchange listens and which Binance rules it enforces. Defaults are Binance's.</summary>
public sealed class ExchangeOptions
{
    /// <summary>Gets or sets the address to listen on (127.0.0.1).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Gets or sets the port; 0 lets the OS choose a free one.</summary>
    public int Port { get; set; }

    /// <summary>Gets or sets how often the server pings each connection (20 s).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets how long a ping may stay unanswered by a pong echoing its payload (60 s).</summary>
    public TimeSpan PongTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the longest a connection may live (24 h).</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the incoming messages (data, ping, pong, close) allowed per second per connection before a 1008 close (5).</summary>
    public int MaxIncomingPerSecond { get; set; } = 5;

    /// <summary>Gets or sets the streams one connection may hold (1024).</summary>
    public int MaxStreams { get; set; } = 1024;

    /// <summary>Gets or sets the connection attempts one IP may make per <see cref="ConnectionAttemptWindow"/> before HTTP 429 (300).</summary>
    public int MaxConnectionAttempts { get; set; } = 300;

    /// <summary>Gets or sets the window of <see cref="MaxConnectionAttempts"/> (5 minutes).</summary>
    public TimeSpan ConnectionAttemptWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the largest message a client may send; larger is closed with 1009 (64 KiB).</summary>
    public int MaxIncomingMessageBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Gets or sets how many outgoing frames may wait for a client that does not read; past it the client
    /// is disconnected and counted (4096).
    /// </summary>
    public int SendQueueCapacity { get; set; } = 4096;

    /// <summary>Gets or sets the bytes that may wait for one client before it is disconnected (16 MiB).</summary>
    public long SendQueueMaxBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Gets or sets how long a server-initiated close waits for the client's close frame (1 s).</summary>
    public TimeSpan CloseHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how long a connection keeps being served after a <c>serverShutdown</c> fault announced the close (3 s);
    /// Binance gives minutes, time for a client to open its replacement before the 1001 close. Zero closes at once.
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets the market this exchange serves.</summary>
    public MarketOptions Market { get; init; } = new();

    /// <summary>Checks the values and throws when one is out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Host);
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PingInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PongTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIncomingPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStreams, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnectionAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectionAttemptWindow, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIncomingMessageBytes, 125);
        ArgumentOutOfRangeException.ThrowIfLessThan(SendQueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(SendQueueMaxBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownGrace, TimeSpan.Zero);
        Market.Validate();
    }
}
