using System.Security.Cryptography;
using System.Text;

namespace RxFeed.Exchange.Frames;

/// <summary>RFC 6455 §4.2.2 opening handshake helpers.</summary>
internal static class WebSocketHandshake
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Computes <c>Sec-WebSocket-Accept</c> for a client's <c>Sec-WebSocket-Key</c>.</summary>
    /// <param name="key">The client's key.</param>
    /// <returns>The accept value.</returns>
    public static string ComputeAccept(string key)
    {
#pragma warning disable CA5350 // SHA-1 is what RFC 6455 mandates for the handshake; it is not used for security here.
        var hash = SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + Guid));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    /// <summary>Returns whether a key is a base64 encoding of 16 bytes, as RFC 6455 requires.</summary>
    /// <param name="key">The client's key.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[24];
        return Convert.TryFromBase64String(key.Trim(), buffer, out var written) && written == 16;
    }
}
