namespace RxFeed.Book;

/// <summary>Which of Binance's "How to manage a local order book correctly" procedures a book follows.</summary>
public enum DepthSyncRule : byte
{
    /// <summary>Spot: an event continues the book when its <c>U</c> is at most the book's id + 1.</summary>
    Spot,

    /// <summary>USDⓈ-M / COIN-M futures: an event continues the book when its <c>pu</c> equals the previous event's <c>u</c>.</summary>
    Futures,
}

/// <summary>What one depth event did to a book.</summary>
public enum DepthOutcome : byte
{
    /// <summary>Held until a snapshot arrives (the book is not synced).</summary>
    Buffered,

    /// <summary>Ignored: its <c>u</c> is not above the book's update id (already in the book, or a duplicate).</summary>
    Dropped,

    /// <summary>Applied; the book's update id is now its <c>u</c>.</summary>
    Applied,

    /// <summary>Events are missing before it: the book is now unsynced, and the event is held for the next snapshot.</summary>
    Gap,
}

/// <summary>What a snapshot did to a book.</summary>
public enum SnapshotOutcome : byte
{
    /// <summary>The book is synced from it (buffered events newer than it applied on top).</summary>
    Synced,

    /// <summary>Older than the first buffered event it must continue into: not used; a newer snapshot is needed.</summary>
    TooOld,

    /// <summary>The book is synced and already as new as the snapshot: nothing changes.</summary>
    Ignored,
}

/// <summary>A book's counts (the per-symbol <c>"book"</c> object of the <c>--json</c> summary).</summary>
/// <param name="Events">Depth events received.</param>
/// <param name="Applied">Events applied.</param>
/// <param name="Dropped">Events ignored as already in the book (<c>u</c> not above the book's id, or discarded against a snapshot).</param>
/// <param name="Gaps">Times events were found missing.</param>
/// <param name="Resyncs">Times a snapshot synced the book again after a gap.</param>
/// <param name="Crossed">Applied events that left the book crossed (best bid &gt;= best ask).</param>
public readonly record struct BookCounts(long Events, long Applied, long Dropped, long Gaps, long Resyncs, long Crossed);
