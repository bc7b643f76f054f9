using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Azure;
using RollbackFunctions.DevHost.Hosting;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.DevHost.DurableEngine;

public static class DurableEngineServiceCollectionExtensions
{
    /// <summary>
    /// The durable engine of the dev host: a <see cref="DurableTaskSidecar"/> over Azure Storage (default) or memory
    /// (<c>DurableEngine:Mode=InMemory</c>), with the Durable Task worker running <paramref name="registerTasks"/> and a
    /// <see cref="DurableTaskClient"/> in DI, both over gRPC to the sidecar and both versioned (<see cref="DurableEngineOptions.WorkflowVersion"/>).
    /// </summary>
    public static IServiceCollection AddDurableEngine(this IServiceCollection services, IConfiguration configuration, Action<DurableTaskRegistry> registerTasks)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(DurableEngineOptions.SectionName);
        services.AddOptions<DurableEngineOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();

        var configuredPort = section.GetValue<int?>(nameof(DurableEngineOptions.SidecarPort)) ?? 0;
        var endpoint = new DurableEngineEndpoint(configuredPort > 0 ? configuredPort : LoopbackPort.Free());
        services.AddSingleton(endpoint);
        services.AddAzureClientsCore();

        // Order matters: hosted services start in registration order and stop in reverse.
        services.AddHostedService<DurableTaskSidecar>();
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(endpoint.Address);
            worker.AddTasks(registerTasks);
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(endpoint.Address);
            client.RegisterDirectly();
        });

        // Same on either engine: the worker and client get the build's workflow version (in-flight rollbacks of an
        // earlier build finish on logic the build kept, or fail in the engine for the reconciler to end).
        var workflowVersion = section.GetValue<string>(nameof(DurableEngineOptions.WorkflowVersion));
        services.AddRollbackWorkflowVersioning(string.IsNullOrWhiteSpace(workflowVersion) ? WorkflowVersion.Current : workflowVersion);
        return services;
    }
}
