using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Security;
using RollbackFunctions.Simulators;
using RollbackFunctions.Storage;
using RollbackFunctions.Tests.Infrastructure;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Intake;

/// <summary>
/// The dev host's pipeline for one test: Kestrel on 127.0.0.1 with <see cref="RollbackApiEndpoints.UseRollbackApi"/>
/// and the in-process Durable Task engine running the real workflow, on one <see cref="RollbackTestEnvironment"/>
/// (Azurite tables under a fresh prefix, loopback simulators). Requests go over real HTTP.
/// </summary>
internal sealed class IntakeTestHost : IAsyncDisposable
{
    public const string Component = "shop";
    public const string OtherComponent = "cart";
    /// <summary>An orchestration that holds a planned rollback's custom status and never writes an audit.</summary>
    public const string PlannedBeforeAnyAudit = "PlannedBeforeAnyAudit";

    public const string ApiKey = "intake-test-key-0123456789";
    public const string ShopResourceId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-shop/providers/Microsoft.Web/sites/shop-web";
    public const string CartResourceId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cart/providers/Microsoft.Compute/virtualMachines/cart-vm";
    private WebApplication _app = null!;
    private RollbackTestEnvironment _environment = null!;

    private IntakeTestHost()
    {
    }

    /// <summary>Sends the API key on every request.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Sends no key.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public Uri BaseUrl { get; private set; } = null!;

    public DurableTaskClient Client { get; private set; } = null!;

    public string TablePrefix => _environment.TablePrefix;

    public SimulatedDeploymentApi Api => _environment.Api;

    public SimulatedEndpoints Endpoints => _environment.Endpoints;

    public IncidentSink Incidents => _environment.Incidents;

    public IServiceProvider Services => _app.Services;

    public ReleaseLedger Ledger => Services.GetRequiredService<ReleaseLedger>();

    public ComponentStateStore Components => Services.GetRequiredService<ComponentStateStore>();

    public RollbackAuditStore Audit => Services.GetRequiredService<RollbackAuditStore>();

    public SignalLog Signals => Services.GetRequiredService<SignalLog>();

    public static string Digest(char c) => RollbackTestEnvironment.Digest(c);

    public static async Task<IntakeTestHost> StartAsync(
        Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection, IConfiguration>? configureServices = null)
    {
        var host = new IntakeTestHost { _environment = await RollbackTestEnvironment.StartAsync() };
        var settings = host._environment.Settings(confirmationWindow: TimeSpan.FromSeconds(30), incidentAttempts: 2);
        settings["RollbackApi:Keys:0"] = ApiKey;
        settings[$"Rollback:AlertTargets:{ShopResourceId}"] = Component;
        host._environment.AddComponent(settings, Component, "Storefront");
        host._environment.AddComponent(settings, OtherComponent, "BackendService");
        settings[$"Rollback:Components:{OtherComponent}:ResourceIds:0"] = CartResourceId;
        configure?.Invoke(settings);

        var builder = LoopbackWebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRollbackWorkflow(builder.Configuration);
        builder.Services.AddRollbackIntake(builder.Configuration);
        configureServices?.Invoke(builder.Services, builder.Configuration);
        builder.Services.AddInMemoryDurableTask(
            registry => registry.AddRollbackWorkflow().AddOrchestratorFunc<RollbackRequest, string?>(PlannedBeforeAnyAudit, (context, request) =>
            {
                // Where a rollback stands between its plan and its first audit row: the plan is only in the custom status.
                context.SetCustomStatus(new RollbackCustomStatus(RollbackPhase.Deploying, "1.1.0", "deployment-7", "1.2.0", "registry.example/shop@" + Digest('b')));
                return context.WaitForExternalEvent<string?>("never");
            }),
            new InMemoryDurableTaskOptions { Port = Azurite.FreePort() });
        builder.Services.AddRollbackWorkflowVersioning();
        var app = builder.Build();
        app.UseRollbackApi();
        await app.StartAsync();
        host._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        host.Http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        host.Http.DefaultRequestHeaders.Add(ApiKeyCallers.HeaderName, ApiKey);
        host.Anonymous = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        host.Client = app.Services.GetRequiredService<DurableTaskClient>();
        return host;
    }

    public static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static StringContent Json(object value, string mediaType = "application/json") => Json(JsonSerializer.Serialize(value), mediaType);

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Http.PostAsync(path, Json(body));

    /// <summary>A key named <paramref name="holder"/> with the Operator role: whom an operator action is recorded as.</summary>
    public static void AddOperatorKey(IDictionary<string, string?> settings, string holder)
    {
        settings[$"RollbackApi:Keys:{holder}:Key"] = OperatorKey(holder);
        settings[$"RollbackApi:Keys:{holder}:Roles"] = RollbackRoles.Operator;
    }

    /// <summary>Posts with the key of <see cref="AddOperatorKey"/>.</summary>
    public async Task<HttpResponseMessage> PostAsAsync(string holder, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        request.Headers.Add(ApiKeyCallers.HeaderName, OperatorKey(holder));
        return await Anonymous.SendAsync(request);
    }

    private static string OperatorKey(string holder) => "operator-key-" + TableKeys.Hash(holder)[..16];

    public static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    /// <summary>Asserts the status, that the answer is problem details with a title, and returns the body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>1.0.0 and 1.1.0 verified, 1.2.0 deployed and current (the broken one), all schema 7, pinned by digest.</summary>
    public Task SeedReleasesAsync(string component = Component) => RollbackTestEnvironment.SeedStandardReleasesAsync(Ledger, Components, component);

    public async Task<int> InstanceCountAsync()
    {
        var count = 0;
        await foreach (var _ in Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            count++;
        }

        return count;
    }

    /// <summary>Every entity in every table of this test's prefix.</summary>
    public async Task<int> EntityCountAsync()
    {
        var service = new TableServiceClient(Azurite.ConnectionString);
        var count = 0;
        await foreach (var table in service.QueryAsync())
        {
            if (!table.Name.StartsWith(TablePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var _ in service.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Polls the status route until the rollback reaches <paramref name="phase"/> (or any end when null).</summary>
    public async Task<JsonElement> WaitForPhaseAsync(string rollbackId, RollbackPhase? phase, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(45));
        JsonElement last = default;
        while (DateTime.UtcNow < until)
        {
            var response = await Http.GetAsync($"api/rollbacks/{rollbackId}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            last = await BodyAsync(response);
            var current = Enum.Parse<RollbackPhase>(last.GetProperty("phase").GetString()!);
            if (phase is null ? current.IsTerminal() : current == phase)
            {
                return last;
            }

            Assert.False(current.IsTerminal() && phase is not null, $"rollback ended {current} while waiting for {phase}: {last}");
            await Task.Delay(50);
        }

        throw new TimeoutException($"rollback {rollbackId} did not reach {phase?.ToString() ?? "an end"}: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        Anonymous?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _environment.DisposeAsync();
    }
}
