using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RxFeed.Nats;

/// <summary>Registers the NATS feed with Microsoft.Extensions.DependencyInjection.</summary>
public static class NatsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="NatsFeedOptions"/> bound from <c>RxFeed:Nats</c> (with <c>RxFeed:StaleAfter</c> and <c>RxFeed:Symbols</c>)
    /// and a singleton <see cref="NatsFeed"/>: a bot that used <c>RxFeedClient</c> swaps it for this by configuration.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration root (or any configuration holding an <c>RxFeed</c> section).</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddRxFeedNats(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(_ => NatsFeedOptions.Bind(configuration.GetSection(RxFeed.Hosting.RxFeedOptions.SectionName)));
        services.AddSingleton(sp => NatsFeed.Create(sp.GetRequiredService<NatsFeedOptions>(), sp.GetService<ILoggerFactory>()));
        return services;
    }
}
