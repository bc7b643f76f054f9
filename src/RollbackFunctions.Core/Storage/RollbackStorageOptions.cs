using System.ComponentModel.DataAnnotations;

namespace RollbackFunctions.Storage;

public sealed class RollbackStorageOptions
{
    public const string SectionName = "RollbackStorage";

    /// <summary>Prefix of every table the app owns; lets several environments or test runs share one account.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,39}$", ErrorMessage = "TablePrefix must be 1-40 letters or digits, starting with a letter.")]
    public string TablePrefix { get; set; } = "Rollback";
}
