namespace RxFeed.Exchange.Market;

/// <summary>One servable frame of a recording: its receive time, its stream, and its payload bytes as recorded.</summary>
/// <param name="ReceivedNs">The recorded receive time in ns since the Unix epoch (the previous line's when the line had none).</param>
/// <param name="Stream">The stream it belongs to.</param>
/// <param name="Payload">The payload, byte for byte (the <c>data</c> of a combined frame, or the whole raw frame).</param>
internal readonly record struct RecordedFrame(long ReceivedNs, string Stream, ReadOnlyMemory<byte> Payload);
