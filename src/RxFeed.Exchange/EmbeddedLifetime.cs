using Microsoft.Extensions.Hosting;

namespace RxFeed.Exchange;

/// <summary>
/// The exchange is embedded: Ctrl+C and SIGTERM belong to the process that embeds it, which stops the exchange
/// itself. The default console lifetime would swallow those signals and stop Kestrel behind its owner's back.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    /// <inheritdoc/>
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
