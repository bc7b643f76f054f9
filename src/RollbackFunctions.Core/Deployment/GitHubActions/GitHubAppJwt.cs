using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RollbackFunctions.Deployment.GitHubActions;

/// <summary>The short-lived RS256 JWT a GitHub App signs with its private key to ask for an installation token.</summary>
internal static class GitHubAppJwt
{
    /// <summary>GitHub refuses a JWT valid for more than 10 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    /// <summary>Issued slightly in the past so a server clock a little behind ours still accepts it.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    public static string Create(string appId, string privateKeyPem, DateTimeOffset now)
    {
        using var rsa = LoadPrivateKey(privateKeyPem);
        var header = Encode(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("typ", "JWT");
        });
        var payload = Encode(writer =>
        {
            writer.WriteNumber("iat", (now - ClockSkew).ToUnixTimeSeconds());
            writer.WriteNumber("exp", (now + Lifetime).ToUnixTimeSeconds());
            writer.WriteString("iss", appId);
        });
        var signingInput = header + "." + payload;
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Loads the PEM; an app setting sometimes carries its line breaks as the two characters <c>\n</c>.</summary>
    public static RSA LoadPrivateKey(string privateKeyPem)
    {
        var pem = privateKeyPem.Contains("\\n", StringComparison.Ordinal) ? privateKeyPem.Replace("\\n", "\n", StringComparison.Ordinal) : privateKeyPem;
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static string Encode(Action<Utf8JsonWriter> writeClaims)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeClaims(writer);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }
}
