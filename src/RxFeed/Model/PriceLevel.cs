namespace RxFeed;

/// <summary>One level of an order book side: a price and the absolute quantity resting there (0 removes the level).</summary>
/// <param name="Price">The price, exact.</param>
/// <param name="Quantity">The quantity, exact.</param>
public readonly record struct PriceLevel(decimal Price, decimal Quantity);
