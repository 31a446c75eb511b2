namespace RxFeed.Exchange;

/// <summary>What the exchange streams: recorded files when <see cref="ReplayFiles"/> is set, else a synthetic market.</summary>
public sealed class MarketOptions
{
    /// <summary>Gets the recorded files to replay, read in order as one stream (<c>.gz</c> or plain).</summary>
    public IList<string> ReplayFiles { get; init; } = new List<string>();

    /// <summary>Gets or sets the replay pace (recorded).</summary>
    public ReplayPace Pace { get; set; } = ReplayPace.Recorded;

    /// <summary>Gets or sets a value indicating whether the replay starts over at the end, keeping <c>u</c> rising (true).</summary>
    public bool Loop { get; set; } = true;

    /// <summary>Gets the symbols of the synthetic market (ADAUSDT).</summary>
    public IList<string> Symbols { get; init; } = new List<string> { "ADAUSDT" };

    /// <summary>Gets or sets the synthetic book tickers per second per symbol (10).</summary>
    public double Rate { get; set; } = 10;

    /// <summary>Gets or sets the random seed of the synthetic market; null picks one.</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Gets or sets the wall-clock instant that is the synthetic market's time zero; null starts it at the first
    /// subscription. Two exchanges with the same <see cref="Seed"/>, symbols, rate and start publish the same ticks (the
    /// same <c>u</c>) at the same moments, so a client can hedge across them.
    /// </summary>
    public DateTimeOffset? StartAt { get; set; }

    /// <summary>Gets a value indicating whether this is a replay market.</summary>
    public bool IsReplay => ReplayFiles.Count > 0;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (IsReplay)
        {
            foreach (var file in ReplayFiles)
            {
                if (!File.Exists(file))
                {
                    throw new ArgumentException($"Replay file not found: {file}", nameof(ReplayFiles));
                }
            }

            return;
        }

        if (Symbols.Count == 0 || Symbols.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A synthetic market needs at least one non-empty symbol.", nameof(Symbols));
        }

        if (!(Rate > 0) || double.IsInfinity(Rate))
        {
            throw new ArgumentOutOfRangeException(nameof(Rate), Rate, "The rate must be a positive number.");
        }
    }
}
