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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RxFeedOptions>, Validator>());
        IConfiguration section = configuration.GetSection(RxFeedOptions.SectionName);
        services.AddSingleton<IOptionsFactory<RxFeedOptions>>(sp => new Factory(
            section,
            sp.GetServices<IConfigureOptions<RxFeedOptions>>(),
            sp.GetServices<IPostConfigureOptions<RxFeedOptions>>(),
            sp.GetServices<IValidateOptions<RxFeedOptions>>()));
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

    /// <summary>
    /// Binds with RxFeed's duration syntax (a bad value becomes <see cref="OptionsValidationException"/> naming the key), then
    /// lets the options system run every <c>Configure</c>/<c>PostConfigure&lt;RxFeedOptions&gt;</c> and validator as usual.
    /// </summary>
    private sealed class Factory(
        IConfiguration section,
        IEnumerable<IConfigureOptions<RxFeedOptions>> setups,
        IEnumerable<IPostConfigureOptions<RxFeedOptions>> postConfigures,
        IEnumerable<IValidateOptions<RxFeedOptions>> validations)
        : OptionsFactory<RxFeedOptions>(setups, postConfigures, validations)
    {
        protected override RxFeedOptions CreateInstance(string name)
        {
            try
            {
                return RxFeedOptions.Bind(section);
            }
            catch (ArgumentException ex)
            {
                throw new OptionsValidationException(name, typeof(RxFeedOptions), [ex.Message]);
            }
        }
    }

    /// <summary>The options' own rules, after every configuration step.</summary>
    private sealed class Validator : IValidateOptions<RxFeedOptions>
    {
        public ValidateOptionsResult Validate(string? name, RxFeedOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
