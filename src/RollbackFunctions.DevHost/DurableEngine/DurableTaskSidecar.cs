using System.Net;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Azure;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;

namespace RollbackFunctions.DevHost.DurableEngine;

/// <summary>Where the in-process sidecar listens; the worker and the client connect here.</summary>
public sealed record DurableEngineEndpoint(int Port)
{
    public string Address => $"http://127.0.0.1:{Port}";
}

/// <summary>
/// Serves a DurableTask.Core orchestration service (Azure Storage or in-memory) over the Durable Task gRPC protocol on
/// loopback, with <see cref="TaskHubGrpcServer"/>, so the same <c>DurableTaskWorker</c> and <c>DurableTaskClient</c>
/// the Functions app uses run against it. Registered before the worker, so it listens before the worker connects,
/// and stops after it.
/// </summary>
internal sealed partial class DurableTaskSidecar(
    IOptions<DurableEngineOptions> options,
    IConfiguration configuration,
    AzureComponentFactory componentFactory,
    DurableEngineEndpoint endpoint,
    IOptions<HostOptions> hostOptions,
    ILoggerFactory loggerFactory,
    ILogger<DurableTaskSidecar> logger) : IHostedService, IAsyncDisposable
{
    private IHost? sidecarHost;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var engine = options.Value;
        var service = await CreateOrchestrationServiceAsync(engine).ConfigureAwait(false);

        sidecarHost = new HostBuilder()
            .ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.Services.AddSingleton<ILoggerFactory>(new SidecarLoggerFactory(loggerFactory));
            })
            .ConfigureServices(services =>
            {
                // The sidecar's own dispatchers wait for outstanding work on stop; bound it like the outer host.
                services.Configure<HostOptions>(o => o.ShutdownTimeout = hostOptions.Value.ShutdownTimeout);
                services.AddSingleton<IHostLifetime, SidecarLifetime>();
                services.AddGrpc();
                services.AddSingleton<IOrchestrationService>(service);
                services.AddSingleton((IOrchestrationServiceClient)service);
                services.AddSingleton<TaskHubGrpcServer>();
            })
            .ConfigureWebHost(web => web
                .UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, endpoint.Port, listen => listen.Protocols = HttpProtocols.Http2))
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints => endpoints.MapGrpcService<TaskHubGrpcServer>());
                }))
            .Build();

        await sidecarHost.StartAsync(cancellationToken).ConfigureAwait(false);
        LogStarted(logger, engine.Mode, engine.Mode == DurableEngineMode.AzureStorage ? engine.TaskHubName(configuration) : "(memory)", endpoint.Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (sidecarHost is not null)
        {
            await sidecarHost.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (sidecarHost is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            sidecarHost?.Dispose();
        }
    }

    private async Task<IOrchestrationService> CreateOrchestrationServiceAsync(DurableEngineOptions engine)
    {
        if (engine.Mode == DurableEngineMode.InMemory)
        {
            return new InMemoryEngine(loggerFactory, engine.MaxConcurrentActivities, engine.MaxConcurrentOrchestrations, engine.InMemoryTimersFireEarlyBy);
        }

        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = engine.TaskHubName(configuration),
            StorageAccountClientProvider = TaskHubStorageConnection.CreateClientProvider(componentFactory, configuration, engine.ConnectionName),
            PartitionCount = engine.PartitionCount,
            MaxQueuePollingInterval = engine.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = engine.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = engine.ControlQueueVisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = engine.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = engine.MaxConcurrentOrchestrations,

            // Partition leases of a killed process block its successor until they expire: the shortest blob lease.
            LeaseInterval = TimeSpan.FromSeconds(15),
            LeaseRenewInterval = TimeSpan.FromSeconds(5),
            LeaseAcquireInterval = TimeSpan.FromSeconds(5),

            // One dev host owns its hub; the app lease only makes a restarted process wait for the dead one's lease.
            UseAppLease = false,
            LoggerFactory = loggerFactory,
        });

        // Queues, tables and lease blobs of the hub; a no-op when they exist (a restart resumes from them).
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);
        return service;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Durable engine {Mode} (task hub {TaskHub}) serving on {Address}")]
    private static partial void LogStarted(ILogger logger, DurableEngineMode mode, string taskHub, string address);
}
