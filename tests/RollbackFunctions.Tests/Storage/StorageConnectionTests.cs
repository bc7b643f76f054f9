using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Storage;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Storage;

public sealed class StorageConnectionTests
{
    [Fact]
    public void Connection_string_setting_builds_a_key_based_client_for_azurite()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RollbackStorage"] = Azurite.BuildConnectionString(1, 2, 3) })
            .Build();

        var connection = StorageConnections.Resolve(configuration);

        Assert.False(connection.UsesIdentity);
        Assert.Equal("devstoreaccount1", connection.CreateServiceClient().AccountName);
    }

    [Fact]
    public void Identity_settings_build_a_managed_identity_credential_and_no_key()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["RollbackStorage:tableServiceUri"] = "https://rollbackprod.table.core.windows.net",
                ["RollbackStorage:credential"] = "managedidentity",
                ["RollbackStorage:clientId"] = "11111111-2222-3333-4444-555555555555",
            })
            .Build();

        var connection = StorageConnections.Resolve(configuration);

        Assert.True(connection.UsesIdentity);
        Assert.Null(connection.ConnectionString);
        Assert.IsType<ManagedIdentityCredential>(connection.Credential);
        Assert.Equal("rollbackprod", connection.CreateServiceClient().AccountName);
    }

    [Fact]
    public async Task Identity_based_client_asks_its_credential_for_a_storage_token()
    {
        var credential = new RecordingCredential();
        // A closed loopback port: the token is requested before the (refused) connection is attempted.
        var endpoint = new Uri($"https://127.0.0.1:{Azurite.FreePort()}/devstoreaccount1");
        var client = StorageConnection.FromIdentity(endpoint, credential)
            .CreateServiceClient(new TableClientOptions { Retry = { MaxRetries = 0 } });

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetTableClient("probe").CreateIfNotExistsAsync());

        Assert.Contains("https://storage.azure.com/.default", credential.Scopes);
    }

    [Fact]
    public void Missing_storage_setting_names_the_setting_to_fix()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageConnections.Resolve(new ConfigurationBuilder().Build()));
        Assert.Contains("RollbackStorage", error.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
            {
                Scopes.AddRange(requestContext.Scopes);
            }

            return new AccessToken("test-token", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
