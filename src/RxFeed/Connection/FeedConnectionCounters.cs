namespace RxFeed.Connection;

/// <summary>What a <see cref="FeedConnection"/> has done; thread-safe, read at any time.</summary>
public sealed class FeedConnectionCounters
{
    private long _attempts;
    private long _opened;
    private long _reconnects;
    private long _rollovers;
    private long _mismatches;
    private long _budgetWaits;
    private long _sent;
    private long _requestErrors;
    private long _disconnects;
    private long _ackTimeouts;
    private long _reconciled;

    /// <summary>Gets the connection attempts started.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Gets the WebSocket sessions opened (the summary's <c>connections</c>).</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _opened);

    /// <summary>Gets the sessions opened to replace one that failed (through the backoff).</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Gets the make-before-break switches (lifetime rollover or serverShutdown).</summary>
    public long Rollovers => Interlocked.Read(ref _rollovers);

    /// <summary>Gets the LIST_SUBSCRIPTIONS answers that disagreed with the set we hold (each was then fixed).</summary>
    public long ResubscribeMismatches => Interlocked.Read(ref _mismatches);

    /// <summary>Gets the outbound frames that had to wait for a budget slot.</summary>
    public long BudgetWaits => Interlocked.Read(ref _budgetWaits);

    /// <summary>Gets the frames we sent.</summary>
    public long FramesSent => Interlocked.Read(ref _sent);

    /// <summary>Gets the error replies to our requests.</summary>
    public long RequestErrors => Interlocked.Read(ref _requestErrors);

    /// <summary>Gets the sessions that ended unplanned (drop, close, stale teardown).</summary>
    public long Disconnects => Interlocked.Read(ref _disconnects);

    /// <summary>Gets the requests that got no reply within the ack deadline (each broke its connection).</summary>
    public long AckTimeouts => Interlocked.Read(ref _ackTimeouts);

    /// <summary>Gets the streams repaired by reconciliation: missing ones subscribed, extra ones unsubscribed, silent ones re-subscribed.</summary>
    public long Reconciled => Interlocked.Read(ref _reconciled);

    internal void Attempt() => Interlocked.Increment(ref _attempts);

    internal void Opened(bool reconnect)
    {
        Interlocked.Increment(ref _opened);
        if (reconnect)
        {
            Interlocked.Increment(ref _reconnects);
            RxFeed.Diagnostics.RxFeedMeters.Reconnects.Add(1);
        }
    }

    internal void Rollover() => Interlocked.Increment(ref _rollovers);

    internal void Mismatch() => Interlocked.Increment(ref _mismatches);

    internal void BudgetWait() => Interlocked.Increment(ref _budgetWaits);

    internal void Sent() => Interlocked.Increment(ref _sent);

    internal void RequestError() => Interlocked.Increment(ref _requestErrors);

    internal void Disconnect() => Interlocked.Increment(ref _disconnects);

    internal void AckTimeout() => Interlocked.Increment(ref _ackTimeouts);

    internal void Reconcile(int streams)
    {
        Interlocked.Add(ref _reconciled, streams);
        RxFeed.Diagnostics.RxFeedMeters.Reconciled.Add(streams);
    }
}
