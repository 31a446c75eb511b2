namespace RxFeed.Connection;

/// <summary>How a request to subscribe or unsubscribe a symbol ended.</summary>
public enum SubscriptionOutcome : byte
{
    /// <summary>The server confirmed it (<c>{"result":null,"id":N}</c>).</summary>
    Acked,

    /// <summary>The server refused it with an error reply; <see cref="SubscriptionResult.Code"/> and <see cref="SubscriptionResult.Message"/> say why.</summary>
    Refused,

    /// <summary>No reply within <see cref="FeedConnectionOptions.AckTimeout"/>; the connection was treated as broken.</summary>
    TimedOut,

    /// <summary>A subscribe whose symbol was unsubscribed before the server answered it: it ends here, never waits on.</summary>
    Cancelled,
}

/// <summary>The result of <see cref="FeedConnection.Subscribe"/> or <see cref="FeedConnection.Unsubscribe"/> for one symbol.</summary>
/// <param name="Symbol">The symbol (upper case).</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Code">Binance's error code when refused.</param>
/// <param name="Message">Binance's error message when refused.</param>
public readonly record struct SubscriptionResult(string Symbol, SubscriptionOutcome Outcome, int? Code = null, string? Message = null)
{
    /// <summary>Gets a value indicating whether the server confirmed the request.</summary>
    public bool IsAcked => Outcome == SubscriptionOutcome.Acked;

    /// <inheritdoc/>
    public override string ToString() => Outcome == SubscriptionOutcome.Refused
        ? $"{Symbol} Refused({Code}, {Message})"
        : $"{Symbol} {Outcome}";
}
