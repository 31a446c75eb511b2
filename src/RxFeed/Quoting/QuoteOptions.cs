namespace RxFeed.Quoting;

/// <summary>The quote engine's settings (the <c>--anchor-bps</c>, ... flags of <c>host-cli.md</c>), bindable from configuration.</summary>
public sealed class QuoteOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Quote";

    /// <summary>Gets or sets the anchor in basis points, added to the venue spread (0).</summary>
    public decimal AnchorBps { get; set; }

    /// <summary>Gets or sets the venue spread in basis points (10).</summary>
    public decimal VenueSpreadBps { get; set; } = 10m;

    /// <summary>Gets or sets the number of decimals quoted prices are rounded to, half away from zero (6).</summary>
    public int PricePrecision { get; set; } = 6;

    /// <summary>Gets or sets the size quoted on each side (100).</summary>
    public decimal QuoteSize { get; set; } = 100m;

    /// <summary>Gets or sets a value indicating whether the bid side is quoted (true).</summary>
    public bool BidEnabled { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the ask side is quoted (true).</summary>
    public bool AskEnabled { get; set; } = true;

    /// <summary>Gets or sets the shortest time between two quotes of a symbol; zero quotes on every differing candidate (0).</summary>
    public TimeSpan MinRequote { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets how many price ticks (10^-precision) an enabled side must move for a requote (1).</summary>
    public int RequoteTicks { get; set; } = 1;

    /// <summary>
    /// Gets or sets the venue symbol the quotes are for: one name for every source symbol, or a map <c>SRC=DST,SRC2=DST2</c>;
    /// null or empty quotes under the source symbol.
    /// </summary>
    public string? SymbolDst { get; set; }

    /// <summary>Gets or sets the number of price levels quoted per side (1). Level i is <see cref="LayerStepBps"/> × i wider.</summary>
    public int Layers { get; set; } = 1;

    /// <summary>Gets or sets how much wider, in basis points, each further layer is than the one before (5).</summary>
    public decimal LayerStepBps { get; set; } = 5m;

    /// <summary>Gets or sets how much each further layer's size grows, as a multiple of <see cref="QuoteSize"/> (1: 100, 200, 300, ...).</summary>
    public decimal LayerSizeStep { get; set; } = 1m;

    /// <summary>Gets the total spread of level 0: anchor plus venue spread, in basis points.</summary>
    public decimal TotalBps => AnchorBps + VenueSpreadBps;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(PricePrecision, nameof(PricePrecision));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PricePrecision, 18, nameof(PricePrecision));
        ArgumentOutOfRangeException.ThrowIfNegative(QuoteSize, nameof(QuoteSize));
        ArgumentOutOfRangeException.ThrowIfNegative(RequoteTicks, nameof(RequoteTicks));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinRequote, TimeSpan.Zero, nameof(MinRequote));
        ArgumentOutOfRangeException.ThrowIfLessThan(Layers, 1, nameof(Layers));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Layers, 64, nameof(Layers));
        ArgumentOutOfRangeException.ThrowIfNegative(LayerStepBps, nameof(LayerStepBps));
        ArgumentOutOfRangeException.ThrowIfNegative(LayerSizeStep, nameof(LayerSizeStep));
        decimal widest = TotalBps + (LayerStepBps * (Layers - 1));
        if (widest >= 10000m || TotalBps <= -10000m)
        {
            throw new ArgumentOutOfRangeException(nameof(VenueSpreadBps), widest, "The total spread must stay within (-10000, 10000) bps.");
        }
    }

    /// <summary>Gets the venue symbol that quotes of <paramref name="source"/> are for.</summary>
    /// <param name="source">The source symbol.</param>
    /// <returns>The mapped name, the single configured name, or <paramref name="source"/>.</returns>
    public string DestinationFor(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(SymbolDst))
        {
            return source;
        }

        if (!SymbolDst.Contains('=', StringComparison.Ordinal))
        {
            return SymbolDst.Trim();
        }

        foreach (string pair in SymbolDst.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && string.Equals(pair[..eq].Trim(), source, StringComparison.OrdinalIgnoreCase))
            {
                return pair[(eq + 1)..].Trim();
            }
        }

        return source;
    }
}
