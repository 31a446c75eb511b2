namespace RxFeed.Quoting;

/// <summary>Precomputed factors of one <see cref="QuoteOptions"/>: turns a tick into candidate prices without allocating.</summary>
internal sealed class QuotePricer
{
    private readonly decimal[] _bidFactor;
    private readonly decimal[] _askFactor;
    private readonly decimal _threshold;

    public QuotePricer(QuoteOptions options)
    {
        options.Validate();
        Options = options;
        Levels = options.Layers;
        Precision = options.PricePrecision;
        BidEnabled = options.BidEnabled;
        AskEnabled = options.AskEnabled;
        MinRequoteNs = checked(options.MinRequote.Ticks * 100);
        _threshold = options.RequoteTicks * QuoteMath.TickSize(Precision);
        _bidFactor = new decimal[Levels];
        _askFactor = new decimal[Levels];
        Sizes = new decimal[Levels];
        for (int i = 0; i < Levels; i++)
        {
            decimal bps = options.TotalBps + (options.LayerStepBps * i);
            _bidFactor[i] = QuoteMath.BidFactor(bps);
            _askFactor[i] = QuoteMath.AskFactor(bps);
            Sizes[i] = options.QuoteSize * (1m + (options.LayerSizeStep * i));
        }
    }

    public QuoteOptions Options { get; }

    public int Levels { get; }

    public int Precision { get; }

    public bool BidEnabled { get; }

    public bool AskEnabled { get; }

    public long MinRequoteNs { get; }

    /// <summary>Gets the size of each level (the same on both sides).</summary>
    public decimal[] Sizes { get; }

    /// <summary>Writes the candidate: bids in [0, Levels), asks in [Levels, 2 Levels).</summary>
    /// <returns>False when a price does not fit a <see cref="decimal"/> (the tick cannot be quoted).</returns>
    public bool Compute(decimal bestBid, decimal bestAsk, decimal[] into)
    {
        for (int i = 0; i < Levels; i++)
        {
            if (!QuoteMath.TryMultiplyRound(bestBid, _bidFactor[i], Precision, out into[i]) ||
                !QuoteMath.TryMultiplyRound(bestAsk, _askFactor[i], Precision, out into[Levels + i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the candidate would cross: an enabled bid at or above an enabled ask (after rounding), a bid at or above the
    /// market's ask, or an ask at or below the market's bid — which negative bps allow. Such a quote would trade at once.
    /// </summary>
    /// <param name="candidate">Bids then asks, as <see cref="Compute"/> fills them.</param>
    /// <param name="marketBid">The tick's best bid.</param>
    /// <param name="marketAsk">The tick's best ask.</param>
    /// <returns>True when the candidate must not be quoted.</returns>
    public bool Crosses(decimal[] candidate, decimal marketBid, decimal marketAsk)
    {
        for (int i = 0; i < Levels; i++)
        {
            decimal bid = candidate[i], ask = candidate[Levels + i];
            if ((BidEnabled && bid >= marketAsk) || (AskEnabled && ask <= marketBid))
            {
                return true;
            }

            for (int j = 0; BidEnabled && AskEnabled && j < Levels; j++)
            {
                if (bid >= candidate[Levels + j])
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The differ rule: on an enabled side, some level moved by at least requote_ticks ticks.</summary>
    public bool Differs(decimal[] candidate, decimal[] live)
    {
        for (int i = 0; i < Levels; i++)
        {
            if (BidEnabled && Math.Abs(candidate[i] - live[i]) >= _threshold)
            {
                return true;
            }

            if (AskEnabled && Math.Abs(candidate[Levels + i] - live[Levels + i]) >= _threshold)
            {
                return true;
            }
        }

        return false;
    }

    public QuoteUpdate ToUpdate(string symbol, string source, long tsNs, long updateId, decimal[] prices)
    {
        QuoteLevel[]? levels = null;
        if (Levels > 1)
        {
            levels = new QuoteLevel[Levels];
            for (int i = 0; i < Levels; i++)
            {
                levels[i] = new QuoteLevel(
                    BidEnabled ? prices[i] : null,
                    AskEnabled ? prices[Levels + i] : null,
                    BidEnabled ? Sizes[i] : null,
                    AskEnabled ? Sizes[i] : null);
            }
        }

        return new QuoteUpdate
        {
            Symbol = symbol,
            SourceSymbol = source,
            TsNs = tsNs,
            UpdateId = updateId,
            Bid = BidEnabled ? prices[0] : null,
            Ask = AskEnabled ? prices[Levels] : null,
            BidQty = BidEnabled ? Sizes[0] : null,
            AskQty = AskEnabled ? Sizes[0] : null,
            Levels = levels,
        };
    }
}
