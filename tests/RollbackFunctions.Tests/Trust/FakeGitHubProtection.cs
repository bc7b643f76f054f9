using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RollbackFunctions.Gate.GitHub;
using RollbackFunctions.Tests.Deployment.Fakes;

namespace RollbackFunctions.Tests.Trust;

/// <summary>One review GitHub received on a run's deployment protection rule callback.</summary>
public sealed record ReceivedReview(long RunId, string EnvironmentName, string State, string Comment, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// GitHub's side of a custom deployment protection rule (REST API 2022-11-28): it signs <c>deployment_protection_rule</c>
/// events with the App's webhook secret as GitHub does, issues installation tokens for the App's RS256 JWT, and takes
/// reviews on <c>POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule</c> (204), recording them.
/// </summary>
public sealed class FakeGitHubProtection : LoopbackServer
{
    public const string Owner = "contoso";
    public const string Repo = "shop";
    public const string AccessToken = "access-token", Review = "review";
    public const long InstallationId = 4_242_424;
    public const string AppId = "777001";
    public const string WebhookSecret = "whsec-TESTONLY-0123456789abcdef";
    public const string IssuedToken = "ghs_TESTONLYprotectiontoken0123456789";

    private readonly RSA appKey = RSA.Create(2048);

    public ConcurrentQueue<ReceivedReview> Reviews { get; } = new();

    public string PrivateKeyPem => appKey.ExportRSAPrivateKeyPem();

    public static async Task<FakeGitHubProtection> StartNewAsync()
    {
        var github = new FakeGitHubProtection();
        await github.StartAsync();
        return github;
    }

    public Uri CallbackUrl(long runId) => new(BaseUri, $"repos/{Owner}/{Repo}/actions/runs/{runId}/deployment_protection_rule");

    /// <summary>The delivery GitHub sends when a job of run <paramref name="runId"/> reaches <paramref name="environment"/>: body and its signature.</summary>
    public (byte[] Body, string Signature) SignedEvent(string environment, long runId, string secret = WebhookSecret, string? callbackUrl = null)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["action"] = "requested",
            ["environment"] = environment,
            ["event"] = "push",
            ["deployment_callback_url"] = callbackUrl ?? CallbackUrl(runId).AbsoluteUri,
            ["deployment"] = new JsonObject
            {
                ["id"] = runId + 1,
                ["sha"] = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c",
                ["ref"] = "main",
                ["environment"] = environment,
                ["task"] = "deploy",
            },
            ["repository"] = new JsonObject { ["id"] = 1, ["full_name"] = $"{Owner}/{Repo}" },
            ["installation"] = new JsonObject { ["id"] = InstallationId, ["node_id"] = "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" },
            ["sender"] = new JsonObject { ["login"] = "octocat", ["type"] = "User" },
        }.ToJsonString());
        return (body, GitHubWebhookSignature.Sign(body, secret));
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        appKey.Dispose();
    }

    protected override string? OperationOf(string method, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (method == "POST" && parts is ["app", "installations", _, "access_tokens"])
        {
            return AccessToken;
        }

        return method == "POST" && parts is ["repos", Owner, Repo, "actions", "runs", _, "deployment_protection_rule"] ? Review : null;
    }

    protected override async Task HandleNormallyAsync(HttpContext context, string operation, string body)
    {
        var parts = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (operation == AccessToken)
        {
            var jwt = context.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal);
            if (parts[2] != InstallationId.ToString(CultureInfo.InvariantCulture) || !VerifyJwt(jwt))
            {
                await WriteJsonAsync(context, 401, ErrorBody(401));
                return;
            }

            await WriteJsonAsync(context, 201, new JsonObject
            {
                ["token"] = IssuedToken,
                ["expires_at"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["permissions"] = new JsonObject { ["deployments"] = "write", ["actions"] = "read" },
            }.ToJsonString());
            return;
        }

        if (context.Request.Headers.Authorization.ToString() != "Bearer " + IssuedToken)
        {
            await WriteJsonAsync(context, 401, ErrorBody(401));
            return;
        }

        using var review = JsonDocument.Parse(body);
        var root = review.RootElement;
        var state = root.GetProperty("state").GetString()!;
        if (state is not ("approved" or "rejected"))
        {
            await WriteJsonAsync(context, 422, ErrorBody(422));
            return;
        }

        Reviews.Enqueue(new ReceivedReview(
            long.Parse(parts[5], CultureInfo.InvariantCulture),
            root.GetProperty("environment_name").GetString()!,
            state,
            root.GetProperty("comment").GetString()!,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        context.Response.StatusCode = 204;
    }

    protected override string ErrorBody(int status) => new JsonObject
    {
        ["message"] = status switch { 401 => "Bad credentials", 404 => "Not Found", 422 => "Validation Failed", _ => "Server Error" },
        ["documentation_url"] = "https://docs.github.com/rest",
        ["status"] = status.ToString(CultureInfo.InvariantCulture),
    }.ToJsonString();

    /// <summary>RS256 over header.payload with the App's public key; iss is the App; a lifetime of at most ten minutes around now.</summary>
    private bool VerifyJwt(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var valid = appKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var iat = payload.RootElement.GetProperty("iat").GetInt64();
        var exp = payload.RootElement.GetProperty("exp").GetInt64();
        return valid && payload.RootElement.GetProperty("iss").GetString() == AppId && iat <= now && exp > now && exp - iat <= 600;
    }
}
