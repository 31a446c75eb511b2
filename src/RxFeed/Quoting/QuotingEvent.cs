using RxFeed.Health;

namespace RxFeed.Quoting;

/// <summary>What a <see cref="QuotingEvent"/> carries.</summary>
public enum QuotingEventKind : byte
{
    /// <summary>A <see cref="HealthChange"/>.</summary>
    Health,

    /// <summary>A <see cref="QuoteUpdate"/>.</summary>
    Quote,
}

/// <summary>One output of the quoting state machine: health changes and quote updates in one time-ordered stream.</summary>
/// <param name="Kind">Which member is set.</param>
/// <param name="Health">The health change, for <see cref="QuotingEventKind.Health"/>.</param>
/// <param name="Quote">The quote update, for <see cref="QuotingEventKind.Quote"/>.</param>
public readonly record struct QuotingEvent(QuotingEventKind Kind, HealthChange Health, QuoteUpdate Quote)
{
    /// <summary>Gets the event's time in nanoseconds since the Unix epoch.</summary>
    public long TsNs => Kind == QuotingEventKind.Health ? Health.TsNs : Quote.TsNs;
}

/// <summary>Receives the machine's outputs, in order.</summary>
internal interface IQuotingOutput
{
    /// <summary>Receives a health change.</summary>
    /// <param name="change">The change.</param>
    void OnHealth(in HealthChange change);

    /// <summary>Receives a quote update.</summary>
    /// <param name="update">The update.</param>
    void OnQuote(in QuoteUpdate update);

    /// <summary>Counts a candidate refused because it would cross.</summary>
    void OnCrossingRefused();
}
