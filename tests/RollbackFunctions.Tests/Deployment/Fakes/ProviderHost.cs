using System.Collections.Concurrent;
using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment;

namespace RollbackFunctions.Tests.Deployment.Fakes;

/// <summary>The providers as the app wires them (<c>AddDeploymentProviders</c>), with every log line captured.</summary>
public sealed class ProviderHost : IAsyncDisposable
{
    private ProviderHost(ServiceProvider services, CapturingLoggerProvider logs)
    {
        Services = services;
        Logs = logs;
    }

    public ServiceProvider Services { get; }

    public CapturingLoggerProvider Logs { get; }

    public static ProviderHost Create(IDictionary<string, string?> settings, TokenCredential? credential = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddOptions<RollbackOptions>().Bind(configuration.GetSection(RollbackOptions.SectionName));
        services.AddDeploymentProviders(configuration);
        if (credential is not null)
        {
            services.AddSingleton<IDeploymentCredentials>(new FixedDeploymentCredentials(credential));
        }

        return new ProviderHost(services.BuildServiceProvider(validateScopes: true), logs);
    }

    public IDeploymentProvider Provider(DeploymentProviderType type) => Services.GetRequiredKeyedService<IDeploymentProvider>(type);

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}

/// <summary>Every log line at every level, with its structured values and exception, for the no-secret scan.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);

    public void Dispose()
    {
    }

    public string All => string.Join('\n', Lines);

    private sealed class Capturing(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"{logLevel} {category} {formatter(state, exception)} [{values}] {exception}");
        }
    }
}

/// <summary>An Entra ID credential that hands out one token and records the scopes asked for.</summary>
public sealed class StaticTokenCredential(string token, Exception? failure = null) : TokenCredential
{
    public ConcurrentQueue<string> Scopes { get; } = new();

    public int Calls => Scopes.Count;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes)
        {
            Scopes.Enqueue(scope);
        }

        return failure is null
            ? ValueTask.FromResult(new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1)))
            : ValueTask.FromException<AccessToken>(failure);
    }
}
