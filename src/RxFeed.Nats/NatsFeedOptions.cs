using System.Globalization;
using Microsoft.Extensions.Configuration;
using NATS.Client.Core;

namespace RxFeed.Nats;

/// <summary>
/// Where and how RxFeed's feed travels on NATS, for publishers and consumers alike; bound from <c>RxFeed:Nats</c>
/// (<c>Url</c>, <c>Prefix</c>, <c>Token</c>, <c>User</c>, <c>Password</c>, <c>CredsFile</c>, <c>Tls</c>, <c>PublisherId</c>,
/// <c>QueueCapacity</c>, <c>HeartbeatInterval</c>, <c>LastValueInterval</c>) with <c>RxFeed:StaleAfter</c> and <c>RxFeed:Symbols</c> shared with the socket feed.
/// </summary>
public sealed class NatsFeedOptions
{
    /// <summary>The configuration section under <c>RxFeed</c>.</summary>
    public const string SectionName = "Nats";

    /// <summary>Gets or sets the server, e.g. <c>nats://127.0.0.1:4222</c>.</summary>
    public Uri Url { get; set; } = new("nats://127.0.0.1:4222");

    /// <summary>Gets or sets the first subject token: ticks go to <c>{Prefix}.bookTicker.{SYMBOL}</c>.</summary>
    public string Prefix { get; set; } = "rxfeed";

    /// <summary>Gets or sets a token for servers that ask for one.</summary>
    public string? Token { get; set; }

    /// <summary>Gets or sets a user name (with <see cref="Password"/>).</summary>
    public string? User { get; set; }

    /// <summary>Gets or sets the password of <see cref="User"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets a NATS credentials file (JWT + NKey).</summary>
    public string? CredsFile { get; set; }

    /// <summary>Gets or sets a value indicating whether TLS is required (also implied by a <c>tls://</c> URL).</summary>
    public bool Tls { get; set; }

    /// <summary>Gets or sets the publisher's id, one subject token; host name and process id by default.</summary>
    public string PublisherId { get; set; } = DefaultPublisherId();

    /// <summary>Gets or sets how long a consumer waits, on its own clock, for a symbol's next tick before calling it Stale.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the symbols a consumer delivers; empty for every symbol published.</summary>
    public IReadOnlyList<string> Symbols { get; set; } = [];

    /// <summary>Gets or sets how many messages a publisher holds for NATS before it drops (and counts) the newest.</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>Gets or sets the publisher's heartbeat period.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how often at most a publisher refreshes a symbol's last tick in JetStream
    /// (<c>{Prefix}.last.bookTicker.{SYMBOL}</c>): storing every tick would cost the server more than the live fan-out
    /// itself. The newest tick of a symbol is always stored within this time (a quiet symbol's last tick at once).
    /// </summary>
    public TimeSpan LastValueInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets the JetStream stream that keeps the last tick and health of every symbol.</summary>
    public string StreamName => "RXFEED_" + Prefix.Replace('.', '_').ToUpperInvariant();

    /// <summary>Binds the options from the <c>RxFeed</c> section.</summary>
    /// <param name="rxFeedSection">The <c>RxFeed</c> section (its <c>Nats</c> child holds the NATS keys).</param>
    /// <returns>The options, validated.</returns>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public static NatsFeedOptions Bind(IConfiguration rxFeedSection)
    {
        ArgumentNullException.ThrowIfNull(rxFeedSection);

        // StaleAfter and Symbols mean the same as for the socket feed, so a bot switches source by the URL alone.
        RxFeed.Hosting.RxFeedOptions shared = RxFeed.Hosting.RxFeedOptions.Bind(rxFeedSection);
        IConfiguration s = rxFeedSection.GetSection(SectionName);
        var o = new NatsFeedOptions { StaleAfter = shared.StaleAfter };
        if (rxFeedSection.GetSection("Symbols").Exists())
        {
            o.Symbols = shared.Symbols;
        }

        if (s["Url"] is { Length: > 0 } url)
        {
            o.Url = Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ? uri : throw new ArgumentException($"RxFeed:Nats:Url: '{url}' is not a URL", nameof(rxFeedSection));
        }

        o.Prefix = s["Prefix"] is { Length: > 0 } prefix ? prefix : o.Prefix;
        o.Token = s["Token"] ?? o.Token;
        o.User = s["User"] ?? o.User;
        o.Password = s["Password"] ?? o.Password;
        o.CredsFile = s["CredsFile"] ?? o.CredsFile;
        o.Tls = s["Tls"] is { Length: > 0 } tls ? bool.Parse(tls) : o.Tls;
        o.PublisherId = s["PublisherId"] is { Length: > 0 } id ? id : o.PublisherId;
        o.QueueCapacity = s["QueueCapacity"] is { Length: > 0 } q ? int.Parse(q, NumberStyles.None, CultureInfo.InvariantCulture) : o.QueueCapacity;
        o.HeartbeatInterval = RxFeed.Hosting.ConfigurationValues.Duration(s, "HeartbeatInterval", o.HeartbeatInterval);
        o.LastValueInterval = RxFeed.Hosting.ConfigurationValues.Duration(s, "LastValueInterval", o.LastValueInterval);
        o.Validate();
        return o;
    }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public void Validate()
    {
        if (Url.Scheme is not "nats" and not "tls" and not "ws" and not "wss")
        {
            throw new ArgumentException($"RxFeed:Nats:Url: '{Url}' is not a nats:// URL", nameof(Url));
        }

        if (!IsToken(Prefix, allowDots: true) || !IsToken(PublisherId, allowDots: false))
        {
            throw new ArgumentException($"RxFeed:Nats: prefix '{Prefix}' and publisher id '{PublisherId}' must be subject tokens (no spaces, '*', '>')", nameof(Prefix));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StaleAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(LastValueInterval, TimeSpan.Zero);
    }

    /// <summary>The client options: URL, credentials, TLS.</summary>
    internal NatsOpts ToNatsOpts(string name) => NatsOpts.Default with
    {
        Url = Url.ToString(),
        Name = name,
        AuthOpts = NatsAuthOpts.Default with { Token = Token, Username = User, Password = Password, CredsFile = CredsFile },
        TlsOpts = Tls || Url.Scheme == "tls" ? new NatsTlsOpts { Mode = TlsMode.Require } : NatsTlsOpts.Default,

        // Reconnect for ever: a consumer shows Recovering meanwhile, and a publisher's queue absorbs the gap.
        MaxReconnectRetry = -1,

        // A subscriber's queue in the client: large enough for a burst while the pipeline is busy (the default is 1,024).
        // When it is full the client stops reading instead of dropping (the default): the server then holds the backlog
        // (up to its max_pending per client) and only a consumer slower for that long is cut off, visibly, and reconnects.
        SubPendingChannelCapacity = 65_536,
        SubPendingChannelFullMode = System.Threading.Channels.BoundedChannelFullMode.Wait,
    };

    private static bool IsToken(string text, bool allowDots) =>
        text.Length > 0 && !text.StartsWith('.') && !text.EndsWith('.') && !text.Contains("..", StringComparison.Ordinal)
        && text.All(c => c > ' ' && c != '*' && c != '>' && (allowDots || c != '.'));

    private static string DefaultPublisherId()
    {
        string host = new([.. Environment.MachineName.Where(char.IsAsciiLetterOrDigit)]);
        return (host.Length > 0 ? host : "host") + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    }
}
