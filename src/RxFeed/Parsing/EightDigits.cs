using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RxFeed.Parsing;

/// <summary>
/// Eight decimal digits (UTF-16) read with one vector instead of eight dependent multiply-adds: every Binance price
/// and size ends in eight decimals, four per frame.
/// </summary>
internal static class EightDigits
{
    /// <summary>Reads exactly eight chars that must all be ASCII digits.</summary>
    /// <param name="chars">Eight chars.</param>
    /// <param name="value">Their value, 0 to 99,999,999.</param>
    /// <returns>False when a char is not a digit (or the machine has no vector unit: the caller's scalar loop reads them).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ReadOnlySpan<char> chars, out uint value)
    {
        value = 0;
        if (!Vector128.IsHardwareAccelerated || chars.Length != 8)
        {
            return false;
        }

        Vector128<ushort> digits = Vector128.LoadUnsafe(ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(chars))) - Vector128.Create((ushort)'0');

        // Unsigned: a char below '0' wraps to a large value.
        if (Vector128.GreaterThanAny(digits, Vector128.Create((ushort)9)))
        {
            return false;
        }

        if (Sse2.IsSupported)
        {
            // Pairs, then quads: d0*10+d1 ..., then p0*100+p1 ...; the two quads hold the high and low four digits.
            Vector128<int> pairs = Sse2.MultiplyAddAdjacent(digits.AsInt16(), Vector128.Create(10, 1, 10, 1, 10, 1, 10, 1));
            Vector128<int> quads = Sse2.MultiplyAddAdjacent(Sse2.PackSignedSaturate(pairs, pairs), Vector128.Create(100, 1, 100, 1, 100, 1, 100, 1));
            value = ((uint)quads.GetElement(0) * 10_000) + (uint)quads.GetElement(1);
            return true;
        }

        Vector128<uint> high = Vector128.WidenLower(digits) * Vector128.Create(10_000_000u, 1_000_000u, 100_000u, 10_000u);
        Vector128<uint> low = Vector128.WidenUpper(digits) * Vector128.Create(1_000u, 100u, 10u, 1u);
        value = Vector128.Sum(high + low);
        return true;
    }

    /// <summary>Reads exactly eight bytes that must all be ASCII digits, as one 64-bit word (SWAR).</summary>
    /// <param name="bytes">Eight bytes.</param>
    /// <param name="value">Their value, 0 to 99,999,999.</param>
    /// <returns>False when a byte is not a digit.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ReadOnlySpan<byte> bytes, out uint value)
    {
        value = 0;
        if (bytes.Length != 8)
        {
            return false;
        }

        ulong v = BitConverter.IsLittleEndian
            ? Unsafe.ReadUnaligned<ulong>(ref MemoryMarshal.GetReference(bytes))
            : System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);

        // Every byte 0x30..0x39: the high nibble is 3, and adding 6 does not carry out of the low nibble.
        if (((v & 0xF0F0F0F0F0F0F0F0) | (((v + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) != 0x3333333333333333)
        {
            return false;
        }

        // The first digit is the lowest byte: pairs, then quads, then the two halves (Lemire's eight-digit parse).
        v -= 0x3030303030303030;
        v = (v * 10) + (v >> 8);
        v = (((v & 0x000000FF000000FF) * (100 + (1000000UL << 32))) + (((v >> 16) & 0x000000FF000000FF) * (1 + (10000UL << 32)))) >> 32;
        value = (uint)v;
        return true;
    }
}
