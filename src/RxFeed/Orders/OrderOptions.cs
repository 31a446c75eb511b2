namespace RxFeed.Orders;

/// <summary>The paper order manager's settings.</summary>
public sealed class OrderOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Orders";

    /// <summary>Gets or sets the token bucket: capacity and refill per second of scheduler time (<c>--order-rate</c>, 10).</summary>
    public int OrderRate { get; set; } = 10;

    /// <summary>Gets or sets the prefix of client order ids (<c>rx</c> gives <c>rx-1</c>, <c>rx-2</c>, ...).</summary>
    public string IdPrefix { get; set; } = "rx";

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(OrderRate, 1, nameof(OrderRate));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(OrderRate, 1_000_000, nameof(OrderRate));
        ArgumentNullException.ThrowIfNull(IdPrefix, nameof(IdPrefix));
    }
}
