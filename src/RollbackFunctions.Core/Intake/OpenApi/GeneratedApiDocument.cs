using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RollbackFunctions.Intake.OpenApi;

/// <summary>The document generated from the endpoints <see cref="RollbackApiEndpoints.MapRollbackApi"/> mapped (the dev host).</summary>
public sealed class GeneratedApiDocument([FromKeyedServices(RollbackOpenApi.DocumentName)] IOpenApiDocumentProvider generator) : IRollbackApiDocument
{
    public async Task<string> JsonAsync(CancellationToken cancellationToken)
    {
        var document = await generator.GetOpenApiDocumentAsync(cancellationToken).ConfigureAwait(false);
        return await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken).ConfigureAwait(false);
    }
}
