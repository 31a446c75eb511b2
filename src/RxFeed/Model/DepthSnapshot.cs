namespace RxFeed;

/// <summary>
/// A REST depth snapshot (<c>GET /api/v3/depth</c>): the book's levels as of <see cref="LastUpdateId"/>, best first.
/// The response names no symbol: whoever requested it (or, in a recording, the depth events around it) says whose it is.
/// Like <see cref="DepthUpdate"/>, the parser reuses one instance; <see cref="Clone"/> keeps one.
/// </summary>
public sealed class DepthSnapshot
{
    private readonly LevelBuffer _bids;
    private readonly LevelBuffer _asks;

    /// <summary>Initializes a new instance of the <see cref="DepthSnapshot"/> class, empty, for a parser to fill.</summary>
    public DepthSnapshot()
    {
        _bids = new LevelBuffer();
        _asks = new LevelBuffer();
    }

    /// <summary>Initializes a new instance of the <see cref="DepthSnapshot"/> class with its content.</summary>
    /// <param name="lastUpdateId">The update id the snapshot is as of (<c>lastUpdateId</c>).</param>
    /// <param name="bids">Bid levels (<c>bids</c>).</param>
    /// <param name="asks">Ask levels (<c>asks</c>).</param>
    /// <param name="receivedNs">Local receive time, nanoseconds since the Unix epoch.</param>
    public DepthSnapshot(long lastUpdateId, PriceLevel[] bids, PriceLevel[] asks, long receivedNs = 0)
    {
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(asks);
        LastUpdateId = lastUpdateId;
        ReceivedNs = receivedNs;
        _bids = new LevelBuffer(bids);
        _asks = new LevelBuffer(asks);
    }

    /// <summary>Gets the update id the snapshot is as of.</summary>
    public long LastUpdateId { get; internal set; }

    /// <summary>Gets the local receive time, nanoseconds since the Unix epoch.</summary>
    public long ReceivedNs { get; internal set; }

    /// <summary>Gets the bid levels as sent.</summary>
    public ReadOnlySpan<PriceLevel> Bids => _bids.Span;

    /// <summary>Gets the ask levels as sent.</summary>
    public ReadOnlySpan<PriceLevel> Asks => _asks.Span;

    internal LevelBuffer BidBuffer => _bids;

    internal LevelBuffer AskBuffer => _asks;

    /// <summary>Copies this snapshot into an instance of its own.</summary>
    /// <returns>The copy.</returns>
    public DepthSnapshot Clone() => new(LastUpdateId, Bids.ToArray(), Asks.ToArray(), ReceivedNs);

    internal void Reset()
    {
        _bids.Clear();
        _asks.Clear();
    }
}
