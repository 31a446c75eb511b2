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

    /// <summary>Gets or sets how long the paper venue takes to answer a place or a cancel (<c>--order-latency</c>, 0: at once).</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets the share of places the paper venue refuses, from 0 to 1 (<c>--order-reject-rate</c>, 0).</summary>
    public double RejectRate { get; set; }

    /// <summary>Gets or sets the seed of the paper venue's refusals; fixed by default so a replay's orders repeat exactly.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(OrderRate, 1, nameof(OrderRate));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(OrderRate, 1_000_000, nameof(OrderRate));
        ArgumentNullException.ThrowIfNull(IdPrefix, nameof(IdPrefix));
        ArgumentOutOfRangeException.ThrowIfLessThan(Latency, TimeSpan.Zero, nameof(Latency));
        if (!(RejectRate >= 0 && RejectRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(RejectRate), RejectRate, "RejectRate must be from 0 to 1.");
        }
    }
}
