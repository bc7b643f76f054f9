using System.Text.Json.Serialization;

namespace RollbackFunctions.Deployment.Generic;

// The platform's deployment API (API.md, "What the app calls"): camelCase JSON.

internal sealed record GenericStartRequest(
    string Component, string Version, string Artifact, string IdempotencyKey, string Mode, bool RunMigrations, bool RotateSecrets, string Reason);

internal sealed record GenericStartAnswer(string? DeploymentId);

internal sealed record GenericProgressAnswer(string? DeploymentId, string? Status, IReadOnlyList<GenericUnitAnswer>? Units, string? Message);

internal sealed record GenericUnitAnswer(string? Name, string? Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GenericStartRequest))]
[JsonSerializable(typeof(GenericStartAnswer))]
[JsonSerializable(typeof(GenericProgressAnswer))]
internal sealed partial class GenericJsonContext : JsonSerializerContext;
