using System.Globalization;

namespace RxFeed.Parsing;

/// <summary>
/// Reads the frames that <see cref="FrameParser"/> classes <see cref="FrameClass.Other"/> as depth events, REST depth
/// snapshots and trades, exactly (decimal, never rounded) and without allocating: levels go into a reused
/// <see cref="DepthUpdate"/> or <see cref="DepthSnapshot"/>, symbols into a string cache. Bad fields are typed with the
/// faults of invalid book tickers. Never throws on input. One instance per stream of frames; not thread-safe.
/// </summary>
public sealed class MarketFrameParser
{
    private readonly StringCache _symbols = new();

    /// <summary>Gets the last valid depth event read; overwritten by the next one.</summary>
    public DepthUpdate Depth { get; } = new();

    /// <summary>Gets the last valid snapshot read; overwritten by the next one.</summary>
    public DepthSnapshot Snapshot { get; } = new();

    /// <summary>Reads one frame.</summary>
    /// <param name="text">The frame text.</param>
    /// <param name="receivedNs">Its local receive time, nanoseconds since the Unix epoch.</param>
    /// <returns>The outcome; <see cref="MarketFrameKind.None"/> for any frame that is not depth, snapshot or trade (or not well-formed).</returns>
    public MarketFrame Parse(ReadOnlySpan<char> text, long receivedNs)
    {
        MarketFields top = default;
        var scanner = new JsonScanner(text);
        if (!ReadObject(ref scanner, ref top))
        {
            return default;
        }

        ValueRef stream = top[MarketKey.Stream];
        ValueRef data = top[MarketKey.Data];
        if (stream.Kind == ValueKind.String && data.IsPresent)
        {
            MarketFrameKind kind = KindOfStream(StringValue(text, stream));
            if (kind == MarketFrameKind.None)
            {
                return default;
            }

            if (data.Kind != ValueKind.Object)
            {
                return new MarketFrame(kind, FrameFault.PayloadNotObject, "data");
            }

            ReadOnlySpan<char> payload = text.Slice(data.Start, data.Length);
            MarketFields fields = default;
            var inner = new JsonScanner(payload);
            return ReadObject(ref inner, ref fields) ? Read(kind, payload, in fields, receivedNs) : default;
        }

        if (stream.IsPresent)
        {
            return default;
        }

        ValueRef e = top[MarketKey.EventType];
        MarketFrameKind rawKind = e.Kind != ValueKind.String ? MarketFrameKind.None : StringValue(text, e) switch
        {
            "depthUpdate" => MarketFrameKind.Depth,
            "trade" => MarketFrameKind.Trade,
            _ => MarketFrameKind.None,
        };
        if (!e.IsPresent && top[MarketKey.LastUpdateId].IsPresent)
        {
            rawKind = MarketFrameKind.Snapshot;
        }

        return rawKind == MarketFrameKind.None ? default : Read(rawKind, text, in top, receivedNs);
    }

    /// <summary><c>sym@trade</c>, <c>sym@depth</c> and <c>sym@depth@&lt;n&gt;ms</c>; partial books (<c>@depth5</c>) are not diffs.</summary>
    private static MarketFrameKind KindOfStream(ReadOnlySpan<char> name)
    {
        int at = name.IndexOf('@');
        if (at <= 0)
        {
            return MarketFrameKind.None;
        }

        ReadOnlySpan<char> rest = name[(at + 1)..];
        if (rest.SequenceEqual("trade"))
        {
            return MarketFrameKind.Trade;
        }

        if (rest.SequenceEqual("depth"))
        {
            return MarketFrameKind.Depth;
        }

        if (rest.Length > 8 && rest[..6].SequenceEqual("depth@") && rest[^2..].SequenceEqual("ms"))
        {
            foreach (char c in rest[6..^2])
            {
                if (!char.IsAsciiDigit(c))
                {
                    return MarketFrameKind.None;
                }
            }

            return MarketFrameKind.Depth;
        }

        return MarketFrameKind.None;
    }

    private MarketFrame Read(MarketFrameKind kind, ReadOnlySpan<char> text, in MarketFields f, long ns)
    {
        if (f.HasDuplicate)
        {
            return new MarketFrame(kind, FrameFault.DuplicateKey, MarketKeys.Name(f.Duplicate));
        }

        return kind switch
        {
            MarketFrameKind.Depth => ReadDepth(text, in f, ns),
            MarketFrameKind.Snapshot => ReadSnapshot(text, in f, ns),
            _ => ReadTrade(text, in f, ns),
        };
    }

    private MarketFrame ReadDepth(ReadOnlySpan<char> text, in MarketFields f, long ns)
    {
        const MarketFrameKind K = MarketFrameKind.Depth;
        FrameFault fault = ReadSymbol(text, f[MarketKey.Symbol], out ReadOnlySpan<char> symbol);
        if (fault != FrameFault.None)
        {
            return new MarketFrame(K, fault, "s");
        }

        if ((fault = ReadId(text, f[MarketKey.EventTime], 0, out long eventTime)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "E");
        }

        if ((fault = ReadId(text, f[MarketKey.First], 1, out long first)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "U");
        }

        if ((fault = ReadId(text, f[MarketKey.Final], first, out long final)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "u");
        }

        long? previous = null;
        if (f[MarketKey.Previous].IsPresent)
        {
            // Futures send pu = -1 on a stream's first event; any integer is a value here.
            if ((fault = ReadId(text, f[MarketKey.Previous], long.MinValue, out long pu)) != FrameFault.None)
            {
                return new MarketFrame(K, fault, "pu");
            }

            previous = pu;
        }

        long? transactionTime = null;
        if (f[MarketKey.Time].IsPresent)
        {
            if ((fault = ReadId(text, f[MarketKey.Time], 0, out long t)) != FrameFault.None)
            {
                return new MarketFrame(K, fault, "T");
            }

            transactionTime = t;
        }

        DepthUpdate d = Depth;
        d.Reset();
        if ((fault = ReadLevels(text, f[MarketKey.Bids], d.BidBuffer)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "b");
        }

        if ((fault = ReadLevels(text, f[MarketKey.Asks], d.AskBuffer)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "a");
        }

        d.Symbol = _symbols.Get(symbol);
        d.EventTime = eventTime;
        d.FirstUpdateId = first;
        d.FinalUpdateId = final;
        d.PreviousFinalUpdateId = previous;
        d.TransactionTime = transactionTime;
        d.ReceivedNs = ns;
        return new MarketFrame(K);
    }

    private MarketFrame ReadSnapshot(ReadOnlySpan<char> text, in MarketFields f, long ns)
    {
        const MarketFrameKind K = MarketFrameKind.Snapshot;
        FrameFault fault = ReadId(text, f[MarketKey.LastUpdateId], 1, out long lastUpdateId);
        if (fault != FrameFault.None)
        {
            return new MarketFrame(K, fault, "lastUpdateId");
        }

        DepthSnapshot s = Snapshot;
        s.Reset();
        if ((fault = ReadLevels(text, f[MarketKey.SnapshotBids], s.BidBuffer)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "bids");
        }

        if ((fault = ReadLevels(text, f[MarketKey.SnapshotAsks], s.AskBuffer)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "asks");
        }

        s.LastUpdateId = lastUpdateId;
        s.ReceivedNs = ns;
        return new MarketFrame(K);
    }

    private MarketFrame ReadTrade(ReadOnlySpan<char> text, in MarketFields f, long ns)
    {
        const MarketFrameKind K = MarketFrameKind.Trade;
        FrameFault fault = ReadSymbol(text, f[MarketKey.Symbol], out ReadOnlySpan<char> symbol);
        if (fault != FrameFault.None)
        {
            return new MarketFrame(K, fault, "s");
        }

        if ((fault = ReadId(text, f[MarketKey.TradeId], 0, out long tradeId)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "t");
        }

        if ((fault = ReadPrice(text, f[MarketKey.Price], out decimal price)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "p");
        }

        if ((fault = ReadDecimal(text, f[MarketKey.Quantity], out decimal quantity)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "q");
        }

        if ((fault = ReadId(text, f[MarketKey.Time], 0, out long tradeTime)) != FrameFault.None)
        {
            return new MarketFrame(K, fault, "T");
        }

        ValueRef m = f[MarketKey.Maker];
        if (!m.IsPresent)
        {
            return new MarketFrame(K, FrameFault.MissingField, "m");
        }

        if (m.Kind != ValueKind.True && m.Kind != ValueKind.False)
        {
            return new MarketFrame(K, FrameFault.WrongType, "m");
        }

        long? buyer = null;
        long? seller = null;
        if (f[MarketKey.Bids].IsPresent)
        {
            if ((fault = ReadId(text, f[MarketKey.Bids], 0, out long b)) != FrameFault.None)
            {
                return new MarketFrame(K, fault, "b");
            }

            buyer = b;
        }

        if (f[MarketKey.Asks].IsPresent)
        {
            if ((fault = ReadId(text, f[MarketKey.Asks], 0, out long a)) != FrameFault.None)
            {
                return new MarketFrame(K, fault, "a");
            }

            seller = a;
        }

        var trade = new Trade(_symbols.Get(symbol), tradeId, price, quantity, tradeTime, m.Kind == ValueKind.True, buyer, seller, ns);
        return new MarketFrame(K, Trade: trade);
    }

    private static FrameFault ReadSymbol(ReadOnlySpan<char> text, in ValueRef v, out ReadOnlySpan<char> symbol)
    {
        symbol = default;
        if (!v.IsPresent)
        {
            return FrameFault.MissingField;
        }

        if (v.Kind != ValueKind.String)
        {
            return FrameFault.WrongType;
        }

        symbol = StringValue(text, v);
        return symbol.IsEmpty ? FrameFault.EmptySymbol : FrameFault.None;
    }

    /// <summary>An integer field from <paramref name="min"/> to 2^63-1 (update ids, trade ids, times).</summary>
    private static FrameFault ReadId(ReadOnlySpan<char> text, in ValueRef v, long min, out long value)
    {
        value = 0;
        if (!v.IsPresent)
        {
            return FrameFault.MissingField;
        }

        if (v.Kind != ValueKind.Number)
        {
            return FrameFault.WrongType;
        }

        if (!v.IsInteger)
        {
            return FrameFault.NotInteger;
        }

        return long.TryParse(text.Slice(v.Start, v.Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min
            ? FrameFault.None
            : FrameFault.UpdateIdOutOfRange;
    }

    private static FrameFault ReadDecimal(ReadOnlySpan<char> text, in ValueRef v, out decimal value)
    {
        value = 0m;
        if (!v.IsPresent)
        {
            return FrameFault.MissingField;
        }

        return v.Kind != ValueKind.String ? FrameFault.WrongType : DecimalText.TryParse(StringValue(text, v), out value);
    }

    private static FrameFault ReadPrice(ReadOnlySpan<char> text, in ValueRef v, out decimal value)
    {
        FrameFault fault = ReadDecimal(text, v, out value);
        return fault == FrameFault.None && value <= 0m ? FrameFault.PriceNotPositive : fault;
    }

    /// <summary>An array of <c>["price","qty"]</c> pairs: exactly two plain decimal strings each, price &gt; 0.</summary>
    private static FrameFault ReadLevels(ReadOnlySpan<char> text, in ValueRef v, LevelBuffer target)
    {
        if (!v.IsPresent)
        {
            return FrameFault.MissingField;
        }

        if (v.Kind != ValueKind.Array)
        {
            return FrameFault.WrongType;
        }

        // The outer scan has validated the array's syntax; this pass only walks it.
        ReadOnlySpan<char> array = text.Slice(v.Start, v.Length);
        var s = new JsonScanner(array);
        s.TryConsume('[');
        if (s.TryConsume(']'))
        {
            return FrameFault.None;
        }

        do
        {
            if (!s.TryConsume('['))
            {
                return FrameFault.WrongType;
            }

            s.SkipWhitespace();
            if (s.AtEnd || s.Peek == ']' || !s.ReadValue(out ValueRef p) || !s.TryConsume(','))
            {
                return FrameFault.WrongType;
            }

            s.SkipWhitespace();
            if (s.AtEnd || !s.ReadValue(out ValueRef q) || !s.TryConsume(']'))
            {
                return FrameFault.WrongType;
            }

            FrameFault fault = ReadPrice(array, p, out decimal price);
            if (fault == FrameFault.None)
            {
                fault = ReadDecimal(array, q, out decimal quantity);
                if (fault == FrameFault.None)
                {
                    target.Add(new PriceLevel(price, quantity));
                    continue;
                }
            }

            return fault;
        }
        while (s.TryConsume(','));

        return s.TryConsume(']') ? FrameFault.None : FrameFault.WrongType;
    }

    private static ReadOnlySpan<char> StringValue(ReadOnlySpan<char> text, in ValueRef v) =>
        v.Escaped ? JsonString.Decode(text.Slice(v.Start, v.Length), escaped: true) : text.Slice(v.Start, v.Length);

    /// <summary>A strict scan of one object, capturing the values of the keys read here and the first repeated one.</summary>
    private static bool ReadObject(ref JsonScanner scanner, ref MarketFields fields)
    {
        if (!scanner.TryConsume('{'))
        {
            return false;
        }

        if (scanner.TryConsume('}'))
        {
            return true;
        }

        do
        {
            scanner.SkipWhitespace();
            if (scanner.AtEnd || scanner.Peek != '"' || !scanner.ReadString(out int keyStart, out int keyLength, out bool escaped))
            {
                return false;
            }

            MarketKey key = MarketKeys.Lookup(scanner.Text.Slice(keyStart, keyLength), escaped);
            if (!scanner.TryConsume(':'))
            {
                return false;
            }

            scanner.SkipWhitespace();
            if (scanner.AtEnd || !scanner.ReadValue(out ValueRef value))
            {
                return false;
            }

            if (key != MarketKey.None)
            {
                fields.Set(key, value);
            }
        }
        while (scanner.TryConsume(','));

        return scanner.TryConsume('}');
    }
}
