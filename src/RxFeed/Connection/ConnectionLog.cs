using Microsoft.Extensions.Logging;

namespace RxFeed.Connection;

/// <summary>The connection's structured log messages (source-generated, no cost when the level is off).</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "connection {ConnectionId} open ({Kind}), shard {Shard}")]
    public static partial void Opened(ILogger logger, int connectionId, SessionKind kind, int shard);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "connection {ConnectionId} request {RequestId} refused: {Reason}")]
    public static partial void RequestRefused(ILogger logger, int connectionId, long requestId, string? reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "connection {ConnectionId} subscriptions differ: {Missing} missing, {Extra} extra")]
    public static partial void Mismatch(ILogger logger, int connectionId, int missing, int extra);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "shard {Shard} rollover ({Reason}) from connection {ConnectionId}")]
    public static partial void Rollover(ILogger logger, int shard, string reason, int connectionId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "shard {Shard} switched to connection {ConnectionId}")]
    public static partial void Switched(ILogger logger, int shard, int connectionId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "shard {Shard} lost: {Reason}")]
    public static partial void Lost(ILogger logger, int shard, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "failover from endpoint {From} to endpoint {To}: {Reason}")]
    public static partial void FailingOver(ILogger logger, int from, int to, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "connection {ConnectionId} request {RequestId} unanswered after {Timeout}: treated as broken")]
    public static partial void AckTimedOut(ILogger logger, int connectionId, long requestId, TimeSpan timeout);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "connection {ConnectionId} reconciled: {Missing} missing, {Extra} extra, {Silent} silent")]
    public static partial void Reconciled(ILogger logger, int connectionId, int missing, int extra, int silent);
}
