using RollbackFunctions.Simulators;
using System.Collections.Concurrent;
using System.Net;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RollbackFunctions.Storage;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Storage;

/// <summary><c>AddRollbackStorage</c> end to end: the named connection as the Functions conventions spell it.</summary>
[Collection(nameof(ManagedIdentityEnvironment))]
public sealed class StorageRegistrationTests
{
    [Fact]
    public async Task Connection_string_section_builds_a_working_client_against_azurite()
    {
        await using var services = BuildServices(new() { ["RollbackStorage"] = Azurite.ConnectionString });
        var tableName = Azurite.CreateTablePrefix() + "Probe";

        var client = services.GetRequiredService<TableServiceClient>();
        await client.CreateTableIfNotExistsAsync(tableName);
        var table = client.GetTableClient(tableName);
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Value"] = "stored" });

        Assert.Equal("stored", (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetString("Value"));
        await client.DeleteTableAsync(tableName);
    }

    [Fact]
    public async Task Table_service_uri_with_a_user_assigned_managed_identity_asks_the_identity_endpoint_for_a_storage_token()
    {
        const string ClientId = "11111111-2222-3333-4444-555555555555";
        await using var identity = await IdentityEndpoint.StartAsync();
        using var environment = ManagedIdentityEnvironment.PointAt(identity.Address);
        await using var services = BuildServices(new()
        {
            // A closed loopback port: the token is requested before the (refused) connection is attempted.
            ["RollbackStorage:tableServiceUri"] = $"https://127.0.0.1:{Azurite.FreePort()}/devstoreaccount1",
            ["RollbackStorage:credential"] = "managedidentity",
            ["RollbackStorage:clientId"] = ClientId,
        });

        var connection = services.GetRequiredService<StorageConnection>();
        var client = services.GetRequiredService<TableServiceClient>();
        await Assert.ThrowsAnyAsync<Exception>(() => client.GetTableClient("probe").CreateIfNotExistsAsync());

        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(connection.Credential);
        Assert.Null(connection.ConnectionString);
        var request = Assert.Single(identity.Requests);
        Assert.Equal(ClientId, request["client_id"]);
        Assert.StartsWith("https://storage.azure.com", request["resource"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_storage_setting_fails_at_start_naming_the_setting()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddRollbackStorage(new ConfigurationBuilder().Build()))
            .Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("'RollbackStorage'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'RollbackStorage__tableServiceUri'", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider BuildServices(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddRollbackStorage(configuration).BuildServiceProvider();
    }

    /// <summary>The App Service managed identity endpoint on loopback, answering every token request.</summary>
    private sealed class IdentityEndpoint(WebApplication app) : IAsyncDisposable
    {
        public ConcurrentQueue<IQueryCollection> Requests { get; } = new();

        public string Address => app.Urls.First() + "/msi/token";

        public static async Task<IdentityEndpoint> StartAsync()
        {
            var builder = LoopbackWebApplication.CreateBuilder();
            var app = builder.Build();
            var endpoint = new IdentityEndpoint(app);
            app.MapGet("/msi/token", (HttpRequest request) =>
            {
                endpoint.Requests.Enqueue(request.Query);
                return Results.Json(new Dictionary<string, string>
                {
                    ["access_token"] = "identity-token",
                    ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["resource"] = request.Query["resource"].ToString(),
                    ["token_type"] = "Bearer",
                });
            });
            await app.StartAsync();
            return endpoint;
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
