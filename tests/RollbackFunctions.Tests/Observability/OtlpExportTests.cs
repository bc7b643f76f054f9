using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Observability;
using RollbackFunctions.Simulators;

namespace RollbackFunctions.Tests.Observability;

/// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> sends all three signals, to an OTLP/HTTP receiver on loopback.</summary>
public sealed class OtlpExportTests
{
    private static readonly Action<ILogger, Exception?> LogForCollector =
        LoggerMessage.Define(LogLevel.Warning, new EventId(1, "OtlpTest"), "a log line for the collector");

    [Fact]
    public async Task With_an_OTLP_endpoint_set_traces_metrics_and_logs_reach_it()
    {
        var received = new ConcurrentBag<string>();
        var receiverBuilder = LoopbackWebApplication.CreateBuilder();
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (body.Length > 0)
            {
                received.Add(signal);
            }

            return Results.Ok();
        });
        await receiver.StartAsync();
        var endpoint = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        builder.Services.AddRollbackTelemetry(builder.Configuration, "rollback-functions-otlp-test");
        using (var app = builder.Build())
        {
            await app.StartAsync();
            using (var source = new ActivitySource(RollbackTelemetry.SourceName))
            using (source.StartActivity("otlp-test-span"))
            {
                LogForCollector(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("otlp-test"), null);
                using var meter = new System.Diagnostics.Metrics.Meter(RollbackTelemetry.SourceName);
                meter.CreateCounter<long>("otlp_test_total").Add(1);
            }

            // Stopping the host flushes every provider's batch.
            await app.StopAsync();
        }

        Assert.Contains("traces", received);
        Assert.Contains("metrics", received);
        Assert.Contains("logs", received);
    }
}
