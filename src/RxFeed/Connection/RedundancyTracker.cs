namespace RxFeed.Connection;

/// <summary>
/// Turns the link events of several endpoints' connections into the feed's own, per symbol: <c>Connecting</c> once;
/// <see cref="LinkState.Disconnected"/> only when every endpoint in use is down (then the symbol is Recovering);
/// <see cref="LinkState.RedundancyLost"/> when, of several, one goes down while another is up or still trying (the symbol
/// is Degraded), <see cref="LinkState.RedundancyRestored"/> when all are up again. An endpoint counts as down from its
/// <c>Disconnected</c> to its next <c>Connected</c>; one that has not connected yet is not held against redundancy until
/// it fails. Not thread-safe: the owner serializes calls.
/// </summary>
internal sealed class RedundancyTracker(IReadOnlyList<string> endpoints, bool redundant)
{
    private readonly Dictionary<string, SymbolLinks> _symbols = new(StringComparer.Ordinal);

    private enum Up : byte
    {
        Unknown,
        Up,
        Down,
    }

    /// <summary>Takes one endpoint's event; returns the feed's events it causes, in order.</summary>
    /// <param name="endpoint">The endpoint's index.</param>
    /// <param name="e">Its event.</param>
    /// <param name="inUse">Whether an endpoint is in use now (failover: the active ones; hedged: all).</param>
    /// <returns>Zero or more events for the feed.</returns>
    public List<LinkEvent> On(int endpoint, LinkEvent e, Func<int, bool> inUse)
    {
        var output = new List<LinkEvent>(2);
        var connecting = new List<string>();
        var restored = new List<string>();
        var lost = new List<string>();
        var down = new List<string>();
        foreach (string symbol in e.Symbols)
        {
            if (!_symbols.TryGetValue(symbol, out SymbolLinks? s))
            {
                s = new SymbolLinks(endpoints.Count);
                _symbols.Add(symbol, s);
            }

            switch (e.State)
            {
                case LinkState.Connecting when !s.Announced:
                    s.Announced = true;
                    connecting.Add(symbol);
                    break;
                case LinkState.Connected:
                    s.States[endpoint] = Up.Up;
                    if (s.Degraded && AllUp(s, inUse))
                    {
                        s.Degraded = false;
                        restored.Add(symbol);
                    }

                    break;
                case LinkState.Disconnected:
                    s.States[endpoint] = Up.Down;
                    if (redundant && !s.Degraded)
                    {
                        s.Degraded = true;
                        lost.Add(symbol);
                    }

                    if (AllDown(s, inUse))
                    {
                        down.Add(symbol);
                    }

                    break;
                default:
                    break;
            }
        }

        string reason = endpoints[endpoint] + ": " + e.Reason;
        Add(LinkState.Connecting, connecting);
        Add(LinkState.RedundancyRestored, restored);
        Add(LinkState.RedundancyLost, lost);
        Add(LinkState.Disconnected, down);
        if (e.State == LinkState.Connected)
        {
            output.Add(e with { Reason = reason });
        }

        return output;

        void Add(LinkState state, List<string> symbols)
        {
            if (symbols.Count > 0)
            {
                output.Add(new LinkEvent(state, reason, symbols, e.AtNs, e.ConnectionId));
            }
        }
    }

    /// <summary>Forgets what an endpoint last said (failover: it is taken into use again, and has to connect anew).</summary>
    /// <param name="endpoint">The endpoint's index.</param>
    public void Reset(int endpoint)
    {
        foreach (SymbolLinks s in _symbols.Values)
        {
            s.States[endpoint] = Up.Unknown;
        }
    }

    private bool AllUp(SymbolLinks s, Func<int, bool> inUse)
    {
        for (int i = 0; i < endpoints.Count; i++)
        {
            if (inUse(i) && s.States[i] != Up.Up)
            {
                return false;
            }
        }

        return true;
    }

    private bool AllDown(SymbolLinks s, Func<int, bool> inUse)
    {
        for (int i = 0; i < endpoints.Count; i++)
        {
            if (inUse(i) && s.States[i] != Up.Down)
            {
                return false;
            }
        }

        return true;
    }

    private sealed class SymbolLinks(int endpoints)
    {
        public Up[] States { get; } = new Up[endpoints];

        public bool Announced { get; set; }

        public bool Degraded { get; set; }
    }
}
