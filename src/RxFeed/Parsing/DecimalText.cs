using System.Runtime.CompilerServices;

namespace RxFeed.Parsing;

/// <summary>
/// Parses Binance's plain decimal strings (<c>digits[.digits]</c>, no sign, no exponent) into an exact
/// <see cref="decimal"/>, never rounding: a value that does not fit exactly is rejected.
/// </summary>
public static class DecimalText
{
    private const int MaxScale = 28;
    private static readonly UInt128 MaxMantissa = (UInt128.One << 96) - 1;

    /// <summary>Parses a plain decimal string exactly.</summary>
    /// <param name="text">The characters inside the JSON string.</param>
    /// <param name="value">The exact value; its scale keeps the sender's trailing zeros where they fit.</param>
    /// <returns><see cref="FrameFault.None"/>, <see cref="FrameFault.NotPlainDecimal"/> or <see cref="FrameFault.NotExact"/>.</returns>
    public static FrameFault TryParse(ReadOnlySpan<char> text, out decimal value)
    {
        // Common path: up to 19 digits accumulate in a ulong with no overflow check needed.
        value = 0m;
        int n = text.Length;
        if (n == 0 || n > 20)
        {
            return ParseSlow(text, out value);
        }

        ulong mantissa = 0;
        int i = 0;
        int point = -1;
        for (; i < n; i++)
        {
            uint d = (uint)(text[i] - '0');
            if (d <= 9)
            {
                mantissa = (mantissa * 10) + d;
            }
            else if (text[i] == '.' && point < 0)
            {
                point = i;
            }
            else
            {
                return FrameFault.NotPlainDecimal;
            }
        }

        int digits = point < 0 ? n : n - 1;
        if (digits > 19 || point == 0 || point == n - 1)
        {
            return ParseSlow(text, out value);
        }

        int scale = point < 0 ? 0 : n - point - 1;
        value = new decimal((int)mantissa, (int)(mantissa >> 32), 0, false, (byte)scale);
        return FrameFault.None;
    }

    /// <summary>Any length: trailing zeros of the fraction are held back and re-added only while they fit.</summary>
    private static FrameFault ParseSlow(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0m;
        int point = text.IndexOf('.');
        ReadOnlySpan<char> whole = point < 0 ? text : text.Slice(0, point);
        ReadOnlySpan<char> fraction = point < 0 ? default : text.Slice(point + 1);
        if (whole.IsEmpty || (point >= 0 && fraction.IsEmpty) || !AllDigits(whole) || !AllDigits(fraction))
        {
            return FrameFault.NotPlainDecimal;
        }

        UInt128 mantissa = 0;
        foreach (char c in whole)
        {
            if (!Push(ref mantissa, c))
            {
                return FrameFault.NotExact;
            }
        }

        int significant = fraction.TrimEnd('0').Length;
        if (significant > MaxScale)
        {
            return FrameFault.NotExact;
        }

        int scale = 0;
        for (; scale < significant; scale++)
        {
            if (!Push(ref mantissa, fraction[scale]))
            {
                return FrameFault.NotExact;
            }
        }

        // Keep the sender's trailing zeros while they fit, so "2683.80000000" keeps its scale of 8.
        for (; scale < fraction.Length && scale < MaxScale && mantissa * 10 <= MaxMantissa; scale++)
        {
            mantissa *= 10;
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), false, (byte)scale);
        return FrameFault.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Push(ref UInt128 mantissa, char digit)
    {
        mantissa = (mantissa * 10) + (uint)(digit - '0');
        return mantissa <= MaxMantissa;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if ((uint)(c - '0') > 9)
            {
                return false;
            }
        }

        return true;
    }
}
