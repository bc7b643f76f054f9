using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;

namespace RollbackFunctions.Deployment.Http;

/// <summary>The registration every provider shares: its settings bound and validated at start, its typed client.</summary>
internal static class ProviderRegistration
{
    /// <summary>
    /// Binds <see cref="DeploymentProviderEntries{TSettings}"/> from every <c>Rollback:Providers</c> entry of the
    /// settings' type (reloaded with the configuration) and checks it at start with <typeparamref name="TValidator"/>.
    /// </summary>
    public static void AddProviderSettings<TSettings, TValidator>(this IServiceCollection services, IConfiguration configuration)
        where TSettings : class, IDeploymentProviderSettings, new()
        where TValidator : class, IValidateOptions<DeploymentProviderEntries<TSettings>>
    {
        var providers = configuration.GetSection($"{RollbackOptions.SectionName}:Providers");
        services.AddOptions<DeploymentProviderEntries<TSettings>>()
            .Configure(entries => BindEntries(providers, entries))
            .ValidateOnStart();
        services.TryAddSingleton<IOptionsChangeTokenSource<DeploymentProviderEntries<TSettings>>>(
            new ConfigurationChangeTokenSource<DeploymentProviderEntries<TSettings>>(providers));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeploymentProviderEntries<TSettings>>, TValidator>());
    }

    /// <summary>
    /// <typeparamref name="TProvider"/> on a typed <see cref="HttpClient"/> that follows no redirect, with the standard
    /// resilience handler bounded by each call's <see cref="ProviderCallPolicy"/>, and as the
    /// <see cref="IDeploymentProvider"/> keyed by <paramref name="type"/>.
    /// </summary>
    public static IHttpClientBuilder AddProviderClient<TProvider>(
        this IServiceCollection services, DeploymentProviderType type, Action<HttpClient>? configureClient = null)
        where TProvider : class, IDeploymentProvider
    {
        // Typed clients are transient (the factory rotates their handlers), so the keyed registration is too.
        services.AddKeyedTransient<IDeploymentProvider>(type, static (provider, _) => provider.GetRequiredService<TProvider>());
        var builder = services.AddHttpClient<TProvider>(client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                configureClient?.Invoke(client);
            })
            .WithoutRedirects();
        builder.AddCiCdResilience(services);
        return builder;
    }

    /// <summary>The standard resilience handler, bounded per call by its <see cref="ProviderCallPolicy"/> (the rollback's deadline).</summary>
    public static void AddCiCdResilience(this IHttpClientBuilder builder, IServiceCollection services)
    {
        var pipeline = builder.AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>(pipeline.PipelineName)
            .Configure<TimeProvider>(static (options, time) => ProviderResilience.Configure(options, time));
    }

    /// <summary>
    /// A redirect from a deployment API is a sign-in page or a moved resource, never the answer, and following it would
    /// carry the credentials wherever it points: report it, do not follow it.
    /// </summary>
    public static IHttpClientBuilder WithoutRedirects(this IHttpClientBuilder builder) =>
        builder.ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { AllowAutoRedirect = false });

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
