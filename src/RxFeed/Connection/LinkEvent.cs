namespace RxFeed.Connection;

/// <summary>The state of one WebSocket connection (a link) as the health tracker sees it.</summary>
public enum LinkState : byte
{
    /// <summary>A connection attempt is under way (first connect).</summary>
    Connecting,

    /// <summary>The socket is open and subscribed.</summary>
    Connected,

    /// <summary>The socket dropped, closed or was torn down; a reconnect follows through the backoff.</summary>
    Disconnected,

    /// <summary>Of several redundant endpoints carrying the symbols, one is down while another still delivers (a hedged feed).</summary>
    RedundancyLost,

    /// <summary>Every redundant endpoint carrying the symbols is up again.</summary>
    RedundancyRestored,

    /// <summary>The symbols were unsubscribed at the user's request: final for them until they are subscribed again.</summary>
    Removed,
}

/// <summary>A change of a link's state, for the symbols it carries.</summary>
/// <param name="State">The new state.</param>
/// <param name="Reason">Why, in words (close code, fault, rollover, ...).</param>
/// <param name="Symbols">The symbols this link carries (upper case, as in <c>s</c>).</param>
/// <param name="AtNs">When, in nanoseconds since the Unix epoch (scheduler time).</param>
/// <param name="ConnectionId">A sequence number of the connection, for logs.</param>
public readonly record struct LinkEvent(LinkState State, string Reason, IReadOnlyCollection<string> Symbols, long AtNs, int ConnectionId = 0);
