using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RollbackFunctions.Cli.Api;

/// <summary>The HTTP API of API.md as the CLI uses it: every call answers an <see cref="ApiAnswer"/>, success or problem.</summary>
public sealed class RollbackApiClient(HttpClient http)
{
    private static readonly JsonSerializerOptions BodyOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public Task<ApiAnswer> GetRollbackAsync(string rollbackId, CancellationToken cancellationToken) =>
        GetAsync($"api/rollbacks/{Escape(rollbackId)}", cancellationToken);

    public Task<ApiAnswer> ListRollbacksAsync(string? component, int? limit, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (component is not null)
        {
            query.Add("component=" + Uri.EscapeDataString(component));
        }

        if (limit is { } l)
        {
            query.Add("limit=" + l.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return GetAsync("api/rollbacks" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty), cancellationToken);
    }

    public Task<ApiAnswer> GetRollbackPlanAsync(string component, string? targetVersion, CancellationToken cancellationToken) =>
        GetAsync($"api/components/{Escape(component)}/rollback-plan" + (targetVersion is null ? string.Empty : "?targetVersion=" + Uri.EscapeDataString(targetVersion)), cancellationToken);

    public Task<ApiAnswer> GetReadinessAsync(CancellationToken cancellationToken) => GetAsync("api/readiness", cancellationToken);

    public Task<ApiAnswer> GetGateAsync(string component, CancellationToken cancellationToken) =>
        GetAsync($"api/components/{Escape(component)}/gate", cancellationToken);

    public Task<ApiAnswer> ConfirmAsync(string rollbackId, string? @operator, string? note, CancellationToken cancellationToken) =>
        PostAsync($"api/rollbacks/{Escape(rollbackId)}/confirm", new ConfirmRequest(@operator, note), cancellationToken);

    public Task<ApiAnswer> UnfreezeAsync(string component, string? @operator, string incidentRef, string analysis, CancellationToken cancellationToken) =>
        PostAsync($"api/components/{Escape(component)}/unfreeze", new UnfreezeRequest(@operator, incidentRef, analysis), cancellationToken);

    public Task<ApiAnswer> AbortAsync(string rollbackId, string reason, CancellationToken cancellationToken) =>
        PostAsync($"api/rollbacks/{Escape(rollbackId)}/abort", new AbortRequest(reason), cancellationToken);

    private async Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        return ApiAnswer.From((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task<ApiAnswer> PostAsync<T>(string path, T body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, BodyOptions, cancellationToken).ConfigureAwait(false);
        return ApiAnswer.From((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private sealed record ConfirmRequest(string? Operator, string? Note);

    private sealed record UnfreezeRequest(string? Operator, string IncidentRef, string Analysis);

    private sealed record AbortRequest(string Reason);
}
