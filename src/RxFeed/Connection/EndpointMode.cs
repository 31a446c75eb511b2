namespace RxFeed.Connection;

/// <summary>How several endpoints serving one market are used.</summary>
public enum EndpointMode : byte
{
    /// <summary>One endpoint: the first.</summary>
    Single,

    /// <summary>
    /// One connection at a time: on failure the next endpoint is tried at once (then each endpoint's own backoff), and
    /// the feed returns to the first (preferred) endpoint make-before-break once it has been healthy for a while.
    /// </summary>
    Failover,

    /// <summary>Every endpoint at once, merged per symbol by <c>u</c>: the first arrival wins (<c>MergeFirstArrival</c>).</summary>
    Hedged,
}
