using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
