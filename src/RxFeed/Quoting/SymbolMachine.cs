using RxFeed.Connection;
using RxFeed.Health;

namespace RxFeed.Quoting;

/// <summary>
/// One source symbol's health and quote state, with no scheduler: the owner feeds it ticks, link events and deadlines in
/// time order. At one instant, due deadlines run before the input of that instant, and Stale before an interval end.
/// </summary>
internal sealed class SymbolMachine
{
    /// <summary>The reason of the cancel line when a candidate would cross the market or itself.</summary>
    public const string CrossingReason = "Crossing";

    private readonly QuotePricer? _pricer;
    private readonly long _staleNs;
    private readonly bool _external;
    private readonly string _staleReason;
    private readonly decimal[]? _candidate;
    private readonly decimal[]? _pending;
    private readonly decimal[]? _live;
    private long _staleDeadline = long.MaxValue;
    private bool _hasLive;
    private bool _intervalOpen;
    private long _intervalEnd;
    private bool _hasPending;
    private long _pendingUpdateId;
    private bool _hasCandidate;
    private bool _candidateMatchesLive;
    private bool _candidateCrosses;
    private bool _hasHeld;
    private bool _redundancyLost;
    private BookTicker _held;
    private decimal _candidateBid;
    private decimal _candidateAsk;

    public SymbolMachine(string symbol, QuotePricer? pricer, long staleNs, string staleReason, bool externalHealth = false)
    {
        _external = externalHealth;
        Symbol = symbol;
        Destination = pricer?.Options.DestinationFor(symbol) ?? symbol;
        _pricer = pricer;
        _staleNs = staleNs;
        _staleReason = staleReason;
        if (pricer is not null)
        {
            _candidate = new decimal[2 * pricer.Levels];
            _pending = new decimal[2 * pricer.Levels];
            _live = new decimal[2 * pricer.Levels];
        }
    }

    public string Symbol { get; }

    /// <summary>Gets the ticks whose quote prices do not fit a <see cref="decimal"/>.</summary>
    public long UnquotableTicks { get; private set; }

    public string Destination { get; }

    /// <summary>Gets the state, or null before anything was heard of the symbol.</summary>
    public FeedState? State { get; private set; }

    /// <summary>Gets the earliest pending deadline (staleness or interval end), or <see cref="long.MaxValue"/>.</summary>
    public long NextDeadline => Math.Min(StaleDue, _intervalOpen ? _intervalEnd : long.MaxValue);

    private long StaleDue => !_external && State is FeedState.Live or FeedState.Crossed or FeedState.Degraded ? _staleDeadline : long.MaxValue;

    /// <summary>Gets the state a fresh uncrossed tick puts the symbol in.</summary>
    private FeedState Fresh => _redundancyLost ? FeedState.Degraded : FeedState.Live;

    /// <summary>Runs the one earliest deadline if it is at or before <paramref name="now"/>.</summary>
    /// <returns>True if a deadline ran.</returns>
    public bool StepDeadline(long now, IQuotingOutput output)
    {
        long stale = StaleDue;
        long interval = _intervalOpen ? _intervalEnd : long.MaxValue;
        if (stale <= interval && stale <= now && stale != long.MaxValue)
        {
            _staleDeadline = long.MaxValue;
            Enter(FeedState.Stale, _staleReason, stale, output);
            return true;
        }

        if (interval < stale && interval <= now)
        {
            EndInterval(interval, output);
            return true;
        }

        return false;
    }

    public void OnTick(in BookTicker tick, IQuotingOutput output)
    {
        if (State == FeedState.Removed)
        {
            return; // frames of an unsubscribed stream still on their way
        }

        if (_external)
        {
            OnTickExternal(tick, output);
            return;
        }

        long t = tick.ReceivedNs;
        _staleDeadline = SaturatingAdd(t, _staleNs);
        if (tick.IsInverted || tick.BidPrice >= tick.AskPrice)
        {
            if (State != FeedState.Crossed)
            {
                Enter(FeedState.Crossed, "inverted: bid >= ask", t, output);
            }

            return;
        }

        if (State != Fresh)
        {
            Enter(Fresh, "fresh book ticker", t, output);
        }

        QuoteTick(tick, output);
    }

    /// <summary>A health change from an external health stream (the <c>Quote(ticks, health)</c> form).</summary>
    public void OnHealth(in HealthChange change, IQuotingOutput output)
    {
        if (!_external || State == change.State)
        {
            return;
        }

        Enter(change.State, change.Reason, change.TsNs, output, emitHealth: false);
        if (IsQuotable(change.State) && _hasHeld && _held.ReceivedNs >= change.TsNs)
        {
            // The tick that made the symbol Live came in before the news of it: quote it now, with its own ts.
            _hasHeld = false;
            QuoteTick(_held, output);
        }
    }

    private void OnTickExternal(in BookTicker tick, IQuotingOutput output)
    {
        if (tick.IsInverted || tick.BidPrice >= tick.AskPrice)
        {
            _hasHeld = false;
        }
        else if (!IsQuotable(State))
        {
            (_held, _hasHeld) = (tick, true);
        }
        else
        {
            QuoteTick(tick, output);
        }
    }

    private void QuoteTick(in BookTicker tick, IQuotingOutput output)
    {
        long t = tick.ReceivedNs;
        if (_pricer is null)
        {
            return;
        }

        // Most book tickers change only sizes: the same source prices give the same candidate, so skip the arithmetic.
        if (!_hasCandidate || tick.BidPrice != _candidateBid || tick.AskPrice != _candidateAsk)
        {
            _candidateMatchesLive = false;
            if (!_pricer.Compute(tick.BidPrice, tick.AskPrice, _candidate!))
            {
                // A price beyond decimal range cannot be quoted: the tick changes nothing (counted, never a crash).
                _hasCandidate = false;
                UnquotableTicks++;
                return;
            }

            (_candidateBid, _candidateAsk, _hasCandidate) = (tick.BidPrice, tick.AskPrice, true);
            _candidateCrosses = _pricer.Crosses(_candidate!, tick.BidPrice, tick.AskPrice);
        }

        if (_candidateCrosses)
        {
            RefuseCrossing(t, output);
            return;
        }

        if (_intervalOpen)
        {
            // Inside [E, E + min_requote): hold the latest candidate, differing or not.
            Array.Copy(_candidate!, _pending!, _candidate!.Length);
            _pendingUpdateId = tick.UpdateId;
            _hasPending = true;
        }
        else if (!_hasLive || (!_candidateMatchesLive && _pricer.Differs(_candidate!, _live!)))
        {
            Emit(_candidate!, tick.UpdateId, t, output);
        }
        else
        {
            // The same candidate against the same live quote cannot differ until one of them changes.
            _candidateMatchesLive = true;
        }
    }

    public void OnLink(in LinkEvent link, IQuotingOutput output)
    {
        switch (link.State)
        {
            case LinkState.Removed when State != FeedState.Removed:
                _staleDeadline = long.MaxValue;
                Enter(FeedState.Removed, string.IsNullOrEmpty(link.Reason) ? "unsubscribed" : link.Reason, link.AtNs, output);
                break;
            case LinkState.Disconnected when State is not FeedState.Recovering and not FeedState.Removed:
                Enter(FeedState.Recovering, string.IsNullOrEmpty(link.Reason) ? "disconnected" : link.Reason, link.AtNs, output);
                break;
            case LinkState.Connecting when State is null or FeedState.Removed:
                // Only a first connect (or a symbol subscribed again): a reconnect keeps Recovering until fresh data.
                Enter(FeedState.Connecting, string.IsNullOrEmpty(link.Reason) ? "connecting" : link.Reason, link.AtNs, output);
                break;
            case LinkState.RedundancyLost:
                // Still quoted: another endpoint delivers. Any other state keeps its meaning; the next fresh tick says Degraded.
                _redundancyLost = true;
                if (State == FeedState.Live)
                {
                    Enter(FeedState.Degraded, string.IsNullOrEmpty(link.Reason) ? "redundancy lost" : link.Reason, link.AtNs, output);
                }

                break;
            case LinkState.RedundancyRestored:
                _redundancyLost = false;
                if (State == FeedState.Degraded)
                {
                    Enter(FeedState.Live, string.IsNullOrEmpty(link.Reason) ? "redundancy restored" : link.Reason, link.AtNs, output);
                }

                break;
            default:
                break;
        }
    }

    private static bool IsQuotable(FeedState? state) => state is FeedState.Live or FeedState.Degraded;

    private static long SaturatingAdd(long a, long b) => b > 0 && a > long.MaxValue - b ? long.MaxValue : a + b;

    private void Enter(FeedState state, string reason, long ts, IQuotingOutput output, bool emitHealth = true)
    {
        FeedState? previous = State;
        State = state;
        if (emitHealth)
        {
            output.OnHealth(new HealthChange(Symbol, state, reason, ts));
        }

        if (IsQuotable(previous) && !IsQuotable(state) && _pricer is not null)
        {
            // Each exit from the quoted states (Live, Degraded) pulls quoting once: the pending candidate and the interval go with it.
            _hasLive = false;
            _hasPending = false;
            _intervalOpen = false;
            output.OnQuote(QuoteUpdate.Cancel(Destination, Symbol, ts, state.ToString()));
        }
    }

    /// <summary>A crossing candidate is never quoted; the live quote is pulled as on an exit from Live (once), and the symbol quotes again on the next candidate that does not cross.</summary>
    private void RefuseCrossing(long ts, IQuotingOutput output)
    {
        output.OnCrossingRefused();
        _hasPending = false;
        _intervalOpen = false;
        if (_hasLive)
        {
            _hasLive = false;
            output.OnQuote(QuoteUpdate.Cancel(Destination, Symbol, ts, CrossingReason));
        }
    }

    private void EndInterval(long end, IQuotingOutput output)
    {
        _intervalOpen = false;
        if (_hasPending)
        {
            _hasPending = false;
            if (_pricer!.Differs(_pending!, _live!))
            {
                Emit(_pending!, _pendingUpdateId, end, output);
            }
        }
    }

    private void Emit(decimal[] prices, long updateId, long ts, IQuotingOutput output)
    {
        Array.Copy(prices, _live!, prices.Length);
        _hasLive = true;
        _candidateMatchesLive = false;
        if (_pricer!.MinRequoteNs > 0)
        {
            _intervalOpen = true;
            _intervalEnd = SaturatingAdd(ts, _pricer.MinRequoteNs);
        }

        output.OnQuote(_pricer.ToUpdate(Destination, Symbol, ts, updateId, prices));
    }
}
