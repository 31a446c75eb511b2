namespace RxFeed.Health;

/// <summary>The health of one source symbol, as quoting sees it: only <see cref="Live"/> and <see cref="Degraded"/> are quoted.</summary>
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

    /// <summary>
    /// Fresh data as in <see cref="Live"/>, still quoted, but redundancy is lost: of several endpoints feeding the symbol
    /// (a hedged feed), at least one is down or stale while another delivers.
    /// </summary>
    Degraded,

    /// <summary>The symbol was unsubscribed: its final line, until it is subscribed again.</summary>
    Removed,
}
