namespace RollbackFunctions.Intake.OpenApi;

/// <summary>The OpenAPI 3.1 document <c>GET /api/openapi.json</c> answers with.</summary>
public interface IRollbackApiDocument
{
    Task<string> JsonAsync(CancellationToken cancellationToken);
}
