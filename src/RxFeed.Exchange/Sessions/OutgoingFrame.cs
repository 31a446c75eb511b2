using RxFeed.Exchange.Frames;

namespace RxFeed.Exchange.Sessions;

/// <summary>A frame waiting in a send queue: its payload is <c>Prefix + Body + Suffix</c>, so a combined envelope costs no copy.</summary>
/// <param name="Opcode">The opcode.</param>
/// <param name="Body">The payload or its middle part.</param>
/// <param name="Prefix">Bytes before the body (empty for raw frames).</param>
/// <param name="Suffix">Bytes after the body (empty for raw frames).</param>
internal readonly record struct OutgoingFrame(WebSocketOpcode Opcode, ReadOnlyMemory<byte> Body, ReadOnlyMemory<byte> Prefix = default, ReadOnlyMemory<byte> Suffix = default)
{
    /// <summary>Gets when a data frame was queued (a <see cref="System.Diagnostics.Stopwatch"/> timestamp; 0 for control frames), for the latency faults.</summary>
    public long QueuedAt { get; init; }

    /// <summary>Gets the payload length.</summary>
    public int Length => Prefix.Length + Body.Length + Suffix.Length;
}
