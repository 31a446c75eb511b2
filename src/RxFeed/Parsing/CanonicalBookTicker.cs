using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RxFeed.Parsing;

/// <summary>
/// The fast path of <see cref="FrameParser"/>: Binance's own byte-exact shapes,
/// <c>{"stream":"x@bookTicker","data":{"u":1,"s":"X","b":"1.0","B":"1.0","a":"1.0","A":"1.0"}}</c> and the raw payload alone,
/// with no whitespace, keys in that order, no escapes. Text of exactly that shape is well-formed JSON with no
/// repeated key, so it can be read in one forward pass; anything else (another order, whitespace, escapes, a fault)
/// returns false and the general scanner decides, so both paths always agree.
/// </summary>
internal static class CanonicalBookTicker
{
    public static bool TryRead(ReadOnlySpan<char> t, out long updateId, out ReadOnlySpan<char> symbol, out decimal bid, out decimal bidQty, out decimal ask, out decimal askQty)
    {
        updateId = 0;
        symbol = default;
        bid = bidQty = ask = askQty = 0m;
        int p;
        int closers;
        if (t.StartsWith("{\"stream\":\"", StringComparison.Ordinal))
        {
            p = 11;
            if (!TryPlainString(t, ref p, out ReadOnlySpan<char> stream) || !stream.EndsWith("@bookTicker", StringComparison.Ordinal) ||
                !Expect(t, ref p, ",\"data\":{\"u\":"))
            {
                return false;
            }

            closers = 2;
        }
        else if (t.StartsWith("{\"u\":", StringComparison.Ordinal))
        {
            p = 5;
            closers = 1;
        }
        else
        {
            return false;
        }

        return TryUpdateId(t, ref p, out updateId)
            && ExpectKey(t, ref p, 's') && TryPlainString(t, ref p, out symbol)
            && ExpectKey(t, ref p, 'b') && TryDecimal(t, ref p, out bid)
            && ExpectKey(t, ref p, 'B') && TryDecimal(t, ref p, out bidQty)
            && ExpectKey(t, ref p, 'a') && TryDecimal(t, ref p, out ask)
            && ExpectKey(t, ref p, 'A') && TryDecimal(t, ref p, out askQty)
            && t.Length == p + closers && t[p] == '}' && (closers == 1 || t[p + 1] == '}');
    }

    /// <summary>
    /// The six chars <c>,"k":"</c> before a one-letter key's string value, compared as two integers (five of them per
    /// frame; a general string compare is a call each).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ExpectKey(ReadOnlySpan<char> t, scoped ref int p, char key)
    {
        if (!BitConverter.IsLittleEndian)
        {
            return Expect(t, ref p, $",\"{key}\":\"");
        }

        if (t.Length - p < 6)
        {
            return false;
        }

        ref byte at = ref Unsafe.As<char, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(t), p));
        ulong head = ',' | ((ulong)'"' << 16) | ((ulong)key << 32) | ((ulong)'"' << 48);
        const uint Tail = ':' | ('"' << 16);
        if (Unsafe.ReadUnaligned<ulong>(ref at) != head || Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref at, 8)) != Tail)
        {
            return false;
        }

        p += 6;
        return true;
    }

    private static bool Expect(ReadOnlySpan<char> t, scoped ref int p, string literal)
    {
        if (!t.Slice(p).StartsWith(literal, StringComparison.Ordinal))
        {
            return false;
        }

        p += literal.Length;
        return true;
    }

    /// <summary>1 to 18 digits, no leading zero: always a valid JSON integer that fits a long.</summary>
    private static bool TryUpdateId(ReadOnlySpan<char> t, scoped ref int p, out long value)
    {
        value = 0;
        int start = p;
        while (p < t.Length && (uint)(t[p] - '0') <= 9 && p - start < 18)
        {
            value = (value * 10) + (t[p] - '0');
            p++;
        }

        return p > start && t[start] != '0' && (p >= t.Length || (uint)(t[p] - '0') > 9);
    }

    /// <summary>A string body (after its opening quote) with no escape, control character or surrogate; consumes the closing quote.</summary>
    private static bool TryPlainString(ReadOnlySpan<char> t, scoped ref int p, out ReadOnlySpan<char> value)
    {
        // A scalar scan: for the 7 to 20 chars of a symbol or stream name a vectorised search costs more to set up
        // (measured: 13% of parse time). Printable ASCII other than the quote and backslash passes on one range check.
        value = default;
        int start = p;
        for (; p < t.Length; p++)
        {
            char c = t[p];
            if ((uint)(c - ' ') <= '~' - ' ' && c != '"' && c != '\\')
            {
                continue;
            }

            if (c == '"')
            {
                value = t[start..p];
                p++;
                return true;
            }

            if (c < 0x20 || c == '\\' || char.IsSurrogate(c))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// A price or size of 1 to 19 digits with at most one point inside, read in the same pass that finds its closing
    /// quote: exactly what <see cref="DecimalText"/>'s common path computes. Anything else is left to the general path.
    /// </summary>
    private static bool TryDecimal(ReadOnlySpan<char> t, scoped ref int p, out decimal value)
    {
        value = 0m;
        ulong mantissa = 0;
        int i = p;
        ReadDigits(t, ref i, ref mantissa);
        int whole = i - p;
        int scale = 0;
        if (whole > 0 && i < t.Length && t[i] == '.')
        {
            int fractionStart = ++i;

            // Binance sends eight decimals: take them as one vector when they are all digits.
            while (t.Length - i > 8 && EightDigits.TryRead(t.Slice(i, 8), out uint eight))
            {
                mantissa = (mantissa * 100_000_000) + eight;
                i += 8;
            }

            ReadDigits(t, ref i, ref mantissa);
            scale = i - fractionStart;
            if (scale == 0)
            {
                return false;
            }
        }

        if (whole == 0 || whole + scale > 19 || i >= t.Length || t[i] != '"')
        {
            return false;
        }

        value = new decimal((int)mantissa, (int)(mantissa >> 32), 0, false, (byte)scale);
        p = i + 1;
        return true;
    }

    /// <summary>Accumulates digits until a non-digit; past 19 digits the value wraps, and the caller rejects it by count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadDigits(ReadOnlySpan<char> t, scoped ref int i, scoped ref ulong mantissa)
    {
        for (; i < t.Length; i++)
        {
            uint d = (uint)(t[i] - '0');
            if (d > 9)
            {
                return;
            }

            mantissa = (mantissa * 10) + d;
        }
    }

    /// <summary>
    /// The same shapes read straight from UTF-8 bytes, so a replay parses without transcoding: the grammar accepts only
    /// printable ASCII, digits and the fixed punctuation, where UTF-8 and UTF-16 agree char for byte, so both forms accept
    /// the same frames with the same values (<c>FastPathAgreementTests</c>). Any other byte returns false.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> t, out long updateId, out ReadOnlySpan<byte> symbol, out decimal bid, out decimal bidQty, out decimal ask, out decimal askQty)
    {
        updateId = 0;
        symbol = default;
        bid = bidQty = ask = askQty = 0m;
        int p;
        int closers;
        if (t.StartsWith("{\"stream\":\""u8))
        {
            p = 11;
            if (!TryPlainString(t, ref p, out ReadOnlySpan<byte> stream) || !stream.EndsWith("@bookTicker"u8) ||
                !t[p..].StartsWith(",\"data\":{\"u\":"u8))
            {
                return false;
            }

            p += 13;
            closers = 2;
        }
        else if (t.StartsWith("{\"u\":"u8))
        {
            p = 5;
            closers = 1;
        }
        else
        {
            return false;
        }

        return TryUpdateId(t, ref p, out updateId)
            && ExpectKey(t, ref p, (byte)'s') && TryPlainString(t, ref p, out symbol)
            && ExpectKey(t, ref p, (byte)'b') && TryDecimal(t, ref p, out bid)
            && ExpectKey(t, ref p, (byte)'B') && TryDecimal(t, ref p, out bidQty)
            && ExpectKey(t, ref p, (byte)'a') && TryDecimal(t, ref p, out ask)
            && ExpectKey(t, ref p, (byte)'A') && TryDecimal(t, ref p, out askQty)
            && t.Length == p + closers && t[p] == '}' && (closers == 1 || t[p + 1] == '}');
    }

    /// <summary>The six bytes <c>,"k":"</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ExpectKey(ReadOnlySpan<byte> t, scoped ref int p, byte key)
    {
        if (t.Length - p < 6 || t[p] != ',' || t[p + 1] != '"' || t[p + 2] != key || t[p + 3] != '"' || t[p + 4] != ':' || t[p + 5] != '"')
        {
            return false;
        }

        p += 6;
        return true;
    }

    private static bool TryUpdateId(ReadOnlySpan<byte> t, scoped ref int p, out long value)
    {
        value = 0;
        int start = p;
        while (p < t.Length && (uint)(t[p] - '0') <= 9 && p - start < 18)
        {
            value = (value * 10) + (t[p] - '0');
            p++;
        }

        return p > start && t[start] != '0' && (p >= t.Length || (uint)(t[p] - '0') > 9);
    }

    private static bool TryPlainString(ReadOnlySpan<byte> t, scoped ref int p, out ReadOnlySpan<byte> value)
    {
        // Printable ASCII other than the quote and backslash; a byte of 0x80 or above (any non-ASCII char) is left to
        // the general path, which decodes and checks it.
        value = default;
        int start = p;
        for (; p < t.Length; p++)
        {
            byte c = t[p];
            if ((uint)(c - ' ') <= '~' - ' ' && c != '"' && c != '\\')
            {
                continue;
            }

            if (c == '"')
            {
                value = t[start..p];
                p++;
                return true;
            }

            return false;
        }

        return false;
    }

    private static bool TryDecimal(ReadOnlySpan<byte> t, scoped ref int p, out decimal value)
    {
        value = 0m;
        ulong mantissa = 0;
        int i = p;
        ReadDigits(t, ref i, ref mantissa);
        int whole = i - p;
        int scale = 0;
        if (whole > 0 && i < t.Length && t[i] == '.')
        {
            int fractionStart = ++i;
            while (t.Length - i > 8 && EightDigits.TryRead(t.Slice(i, 8), out uint eight))
            {
                mantissa = (mantissa * 100_000_000) + eight;
                i += 8;
            }

            ReadDigits(t, ref i, ref mantissa);
            scale = i - fractionStart;
            if (scale == 0)
            {
                return false;
            }
        }

        if (whole == 0 || whole + scale > 19 || i >= t.Length || t[i] != '"')
        {
            return false;
        }

        value = new decimal((int)mantissa, (int)(mantissa >> 32), 0, false, (byte)scale);
        p = i + 1;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadDigits(ReadOnlySpan<byte> t, scoped ref int i, scoped ref ulong mantissa)
    {
        for (; i < t.Length; i++)
        {
            uint d = (uint)(t[i] - '0');
            if (d > 9)
            {
                return;
            }

            mantissa = (mantissa * 10) + d;
        }
    }
}
