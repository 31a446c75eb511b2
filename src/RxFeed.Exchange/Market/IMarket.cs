namespace RxFeed.Exchange.Market;

/// <summary>A source of market payloads published through the hub.</summary>
internal interface IMarket
{
    /// <summary>Runs the market until cancelled; it starts when the first connection subscribes.</summary>
    /// <param name="cancellationToken">Stops the market.</param>
    /// <returns>A task that ends with the market.</returns>
    Task RunAsync(CancellationToken cancellationToken);
}
