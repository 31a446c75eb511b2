namespace RxFeed.Exchange.Sessions;

/// <summary>The part of a connection that Binance's control messages act on.</summary>
internal interface IControlTarget
{
    /// <summary>Gets or sets a value indicating whether frames are wrapped in the combined envelope.</summary>
    bool Combined { get; set; }

    /// <summary>Adds streams (already validated); returns an error message when the stream limit would be passed.</summary>
    /// <param name="streams">The streams.</param>
    /// <returns><see langword="null"/> on success, else the error message.</returns>
    string? Subscribe(IReadOnlyList<string> streams);

    /// <summary>Removes streams; unknown ones are ignored as on Binance.</summary>
    /// <param name="streams">The streams.</param>
    void Unsubscribe(IReadOnlyList<string> streams);

    /// <summary>Lists the streams in subscription order.</summary>
    /// <returns>The streams.</returns>
    IReadOnlyList<string> ListSubscriptions();
}
