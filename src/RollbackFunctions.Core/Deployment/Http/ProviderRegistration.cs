using Microsoft.Extensions.Http.Resilience;
using RollbackFunctions.Security.Outbound;

namespace RollbackFunctions.Deployment.Http;

/// <summary>The registration every provider shares: its settings bound and validated at start, its typed client, its key.</summary>
internal static class ProviderRegistration
{
    /// <summary>
    /// <typeparamref name="TProvider"/> as the <see cref="IDeploymentProvider"/> keyed by its settings' provider type, on
    /// a typed <see cref="HttpClient"/> that carries credentials (no redirect, no plain http but to loopback), with the standard resilience handler bounded by each
    /// call's <see cref="ProviderCallPolicy"/>; and <see cref="DeploymentProviderEntries{TSettings}"/> bound from every
    /// <c>Rollback:Providers</c> entry of that type (reloaded with the configuration) and checked at start.
    /// </summary>
    public static void AddProvider<TProvider, TSettings>(
        this IServiceCollection services, IConfiguration configuration, Action<HttpClient>? configureClient = null)
        where TProvider : class, IDeploymentProvider
        where TSettings : class, IDeploymentProviderSettings, new()
    {
        var providers = configuration.GetSection($"{RollbackOptions.SectionName}:Providers");
        services.AddOptions<DeploymentProviderEntries<TSettings>>()
            .Configure(entries => BindEntries(providers, entries))
            .ValidateOnStart();
        services.TryAddSingleton<IOptionsChangeTokenSource<DeploymentProviderEntries<TSettings>>>(
            new ConfigurationChangeTokenSource<DeploymentProviderEntries<TSettings>>(providers));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeploymentProviderEntries<TSettings>>, DeploymentProviderEntriesValidator<TSettings>>());

        // Typed clients are transient (the factory rotates their handlers), so the keyed registration is too.
        services.AddKeyedTransient<IDeploymentProvider>(TSettings.ProviderType, static (provider, _) => provider.GetRequiredService<TProvider>());
        services.AddHttpClient<TProvider>(client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                configureClient?.Invoke(client);
            })
            .CarriesCredentials()
            .AddCiCdResilience(services);
    }

    /// <summary>The standard resilience handler, bounded per call by its <see cref="ProviderCallPolicy"/> (the rollback's deadline).</summary>
    public static IHttpClientBuilder AddCiCdResilience(this IHttpClientBuilder builder, IServiceCollection services)
    {
        var pipeline = builder.AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>(pipeline.PipelineName)
            .Configure<TimeProvider>(static (options, time) => ProviderResilience.Configure(options, time));
        return builder;
    }

    private static void BindEntries<TSettings>(IConfiguration providers, DeploymentProviderEntries<TSettings> entries)
        where TSettings : class, IDeploymentProviderSettings, new()
    {
        foreach (var entry in providers.GetChildren())
        {
            if (TypeOf(entry) == TSettings.ProviderType)
            {
                var settings = new TSettings();
                entry.GetSection(TSettings.SectionName).Bind(settings);
                entries.Entries[entry.Key] = settings;
            }
        }
    }

    /// <summary>The entry's type as <see cref="RollbackOptions"/> reads it (Generic when unset); null when unknown, which its validator reports.</summary>
    private static DeploymentProviderType? TypeOf(IConfigurationSection entry) =>
        entry[nameof(DeploymentProviderOptions.Type)] is not { Length: > 0 } type ? DeploymentProviderType.Generic
        : Enum.TryParse<DeploymentProviderType>(type, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : null;
}
