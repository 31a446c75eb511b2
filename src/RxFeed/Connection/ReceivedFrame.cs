namespace RxFeed.Connection;

/// <summary>A text frame as the socket handed it over, with the moment it arrived.</summary>
/// <param name="Text">The frame, untouched.</param>
/// <param name="ReceivedNs">Receive time in nanoseconds since the Unix epoch, never earlier than the previous frame's.</param>
public readonly record struct ReceivedFrame(string Text, long ReceivedNs);
