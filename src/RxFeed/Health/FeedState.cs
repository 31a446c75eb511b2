namespace RxFeed.Health;

/// <summary>The health of one source symbol, as quoting sees it: only <see cref="Live"/> is quoted.</summary>
public enum FeedState : byte
{
    /// <summary>The first connection of the symbol's link is being opened; no data yet.</summary>
    Connecting,

    /// <summary>Fresh, valid, uncrossed data: quoting is allowed.</summary>
    Live,

    /// <summary>No delivered book ticker for the staleness bound.</summary>
    Stale,

    /// <summary>The last delivered book ticker was inverted (bid &gt;= ask).</summary>
    Crossed,

    /// <summary>The symbol's link dropped; waiting for fresh data after the reconnect.</summary>
    Recovering,

    /// <summary>The symbol was unsubscribed: its final line, until it is subscribed again.</summary>
    Removed,
}
