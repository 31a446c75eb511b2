using System.Runtime.CompilerServices;

namespace RxFeed.Parsing;

/// <summary>The keys <see cref="MarketFrameParser"/> reads; a payload that repeats one of them is invalid.</summary>
internal enum MarketKey : sbyte
{
    None = -1,
    Stream,
    Data,
    EventType,
    EventTime,
    Symbol,
    First,
    Final,
    Previous,
    Time,
    Bids,
    Asks,
    TradeId,
    Price,
    Quantity,
    Maker,
    LastUpdateId,
    SnapshotBids,
    SnapshotAsks,
}

/// <summary>The captured values of one object's market-data keys, and its first repeated key.</summary>
internal struct MarketFields
{
    private Values _values;
    private uint _seen;
    private sbyte _duplicatePlusOne;

    public readonly MarketKey Duplicate => (MarketKey)(_duplicatePlusOne - 1);

    public readonly bool HasDuplicate => _duplicatePlusOne != 0;

    public readonly ValueRef this[MarketKey key] => _values[(int)key];

    public void Set(MarketKey key, ValueRef value)
    {
        uint bit = 1u << (int)key;
        if ((_seen & bit) != 0)
        {
            if (_duplicatePlusOne == 0)
            {
                _duplicatePlusOne = (sbyte)(key + 1);
            }

            return;
        }

        _seen |= bit;
        _values[(int)key] = value;
    }

    [InlineArray(18)]
    private struct Values
    {
        private ValueRef _first;
    }
}

/// <summary>Maps key text to <see cref="MarketKey"/> without allocating; keys are case-sensitive (<c>e</c> is not <c>E</c>).</summary>
internal static class MarketKeys
{
    private static readonly string[] Names = ["stream", "data", "e", "E", "s", "U", "u", "pu", "T", "b", "a", "t", "p", "q", "m", "lastUpdateId", "bids", "asks"];

    public static string Name(MarketKey key) => Names[(int)key];

    public static MarketKey Lookup(ReadOnlySpan<char> raw, bool escaped)
    {
        if (!escaped)
        {
            return Match(raw);
        }

        // Six raw characters per escaped character at most: anything longer cannot decode to a key of twelve.
        if (raw.Length > 72)
        {
            return MarketKey.None;
        }

        Span<char> buffer = stackalloc char[72];
        int n = JsonString.Unescape(raw, buffer);
        return Match(buffer[..n]);
    }

    private static MarketKey Match(ReadOnlySpan<char> k)
    {
        switch (k.Length)
        {
            case 1:
                return k[0] switch
                {
                    'e' => MarketKey.EventType,
                    'E' => MarketKey.EventTime,
                    's' => MarketKey.Symbol,
                    'U' => MarketKey.First,
                    'u' => MarketKey.Final,
                    'T' => MarketKey.Time,
                    'b' => MarketKey.Bids,
                    'a' => MarketKey.Asks,
                    't' => MarketKey.TradeId,
                    'p' => MarketKey.Price,
                    'q' => MarketKey.Quantity,
                    'm' => MarketKey.Maker,
                    _ => MarketKey.None,
                };
            case 2:
                return k.SequenceEqual("pu") ? MarketKey.Previous : MarketKey.None;
            case 4:
                return k.SequenceEqual("data") ? MarketKey.Data : k.SequenceEqual("bids") ? MarketKey.SnapshotBids : k.SequenceEqual("asks") ? MarketKey.SnapshotAsks : MarketKey.None;
            case 6:
                return k.SequenceEqual("stream") ? MarketKey.Stream : MarketKey.None;
            case 12:
                return k.SequenceEqual("lastUpdateId") ? MarketKey.LastUpdateId : MarketKey.None;
            default:
                return MarketKey.None;
        }
    }
}
