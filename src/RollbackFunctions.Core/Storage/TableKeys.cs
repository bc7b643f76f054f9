using System.Security.Cryptography;
using System.Text;

namespace RollbackFunctions.Storage;

internal static class TableKeys
{
    /// <summary>
    /// Trigger ids come from outside (an alert id is an ARM resource path full of '/'), so they are hashed into a key
    /// Table Storage accepts; the original is kept as a property.
    /// </summary>
    public static string Hash(string value) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value))).ToLowerInvariant();

    /// <summary>Row keys that sort newest first.</summary>
    public static string InvertedTicks(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}
