using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxFeed.Hosting;

/// <summary>Registers RxFeed with Microsoft.Extensions.DependencyInjection.</summary>
public static class RxFeedServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IOptions{RxFeedOptions}"/> bound from the <c>RxFeed</c> section of <paramref name="configuration"/>
    /// (validated when first resolved, and at start-up under a .NET host) and a singleton <see cref="RxFeedClient"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration root (or any configuration holding an <c>RxFeed</c> section).</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddRxFeed(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RxFeedOptions>().ValidateOnStart();
        services.AddSingleton<IOptionsFactory<RxFeedOptions>>(new Factory(configuration.GetSection(RxFeedOptions.SectionName)));
        services.AddSingleton(sp => RxFeedClient.Create(sp.GetRequiredService<IOptions<RxFeedOptions>>().Value, sp.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>
    /// Adds a check named <paramref name="name"/> that reports the registered <see cref="RxFeedClient"/>'s per-symbol health
    /// (see <see cref="RxFeedHealthCheck"/>); needs <see cref="AddRxFeed(IServiceCollection, IConfiguration)"/>. Resolving the check subscribes to the client's health.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status when no symbol is Live; Unhealthy when null.</param>
    /// <param name="tags">Tags to filter checks by (e.g. <c>ready</c>).</param>
    /// <returns>The same builder, for chaining.</returns>
    public static IHealthChecksBuilder AddRxFeed(this IHealthChecksBuilder builder, string name = "rxfeed", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(sp =>
        {
            RxFeedClient client = sp.GetRequiredService<RxFeedClient>();
            return new RxFeedHealthCheck(client.Health, client.Options.Symbols);
        });
        return builder.Add(new HealthCheckRegistration(name, sp => sp.GetRequiredService<RxFeedHealthCheck>(), failureStatus, tags));
    }

    /// <summary>Binds with RxFeed's duration syntax and turns a bad value into <see cref="OptionsValidationException"/>.</summary>
    private sealed class Factory : IOptionsFactory<RxFeedOptions>
    {
        private readonly IConfiguration _section;

        public Factory(IConfiguration section) => _section = section;

        public RxFeedOptions Create(string name)
        {
            try
            {
                RxFeedOptions options = RxFeedOptions.Bind(_section);
                options.Validate();
                return options;
            }
            catch (ArgumentException ex)
            {
                throw new OptionsValidationException(name, typeof(RxFeedOptions), [ex.Message]);
            }
        }
    }
}
