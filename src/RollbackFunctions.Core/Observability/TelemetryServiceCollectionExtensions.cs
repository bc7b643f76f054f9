using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace RollbackFunctions.Observability;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry. Exporters by configuration: Application Insights through the
    /// Azure Monitor exporter when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (Entra ID auth when
    /// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says <c>Authorization=AAD</c>, with its <c>ClientId</c>);
    /// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the console when <c>Telemetry:Console</c> is true.
    /// Returns the builder so a host can add its own instrumentation (the Functions worker adds its defaults).
    /// </summary>
    public static IOpenTelemetryBuilder AddRollbackTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMetrics();
        services.TryAddSingleton<RollbackMetrics>();

        var appInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var credential = AppInsightsCredential(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var console = configuration.GetValue("Telemetry:Console", false);

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: typeof(RollbackTelemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(RollbackTelemetry.SourceName, RollbackTelemetry.DurableTaskSourceName)
                    .AddProcessor(new RollbackIdSpanProcessor())
                    .AddAspNetCoreInstrumentation(o => o.RecordException = true)
                    .AddHttpClientInstrumentation(o => o.RecordException = true);
                if (!string.IsNullOrWhiteSpace(appInsights))
                {
                    tracing.AddAzureMonitorTraceExporter(o => ConfigureAzureMonitor(o, appInsights, credential));
                }

                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(RollbackTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (!string.IsNullOrWhiteSpace(appInsights))
                {
                    metrics.AddAzureMonitorMetricExporter(o => ConfigureAzureMonitor(o, appInsights, credential));
                }

                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            })
            .WithLogging(
                logging =>
                {
                    if (!string.IsNullOrWhiteSpace(appInsights))
                    {
                        logging.AddAzureMonitorLogExporter(o => ConfigureAzureMonitor(o, appInsights, credential));
                    }
                },
                options =>
                {
                    // The rollback id travels as a log scope; keep scopes so every log line can be joined to its rollback.
                    options.IncludeScopes = true;
                    options.IncludeFormattedMessage = true;
                });
        if (otlp)
        {
            // OTLP's cross-signal registration: traces, metrics and logs to the one endpoint the OTEL_* variables name.
            builder.UseOtlpExporter();
        }

        return builder;
    }

    private static void ConfigureAzureMonitor(AzureMonitorExporterOptions options, string connectionString, TokenCredential? credential)
    {
        options.ConnectionString = connectionString;
        if (credential is not null)
        {
            options.Credential = credential;
        }
    }

    /// <summary>App Insights with local auth off needs an Entra token: the same string the Functions host reads.</summary>
    private static ManagedIdentityCredential? AppInsightsCredential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString)
            || !authenticationString.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var clientId = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1])
            .FirstOrDefault();
        return clientId is null
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
