using System.ComponentModel.DataAnnotations;
using Granary.Storage.Postgres;

namespace Granary.Server.Hosting;

/// <summary>Metadata and blob backends. Section <c>Storage</c>.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>
    /// Metadata backend: <c>sqlite</c> (default; one file, one node) or <c>postgres</c> (one database shared by
    /// every node of a cluster; needs <see cref="PostgresConnectionString"/>).
    /// </summary>
    [Required]
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Storage:Metadata must be 'sqlite' or 'postgres'.")]
    public string Metadata { get; set; } = "sqlite";

    /// <summary>
    /// Npgsql connection string of the PostgreSQL metadata database, e.g.
    /// <c>Host=db;Port=5432;Database=granary;Username=granary;Password=...</c>. Required when
    /// <see cref="Metadata"/> is <c>postgres</c>; the database must exist (the schema is created on start-up).
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    public bool IsPostgres => Metadata == "postgres";

    /// <summary>Blob backend: <c>folder</c> (default; a local disk or a shared mount).</summary>
    [Required]
    [RegularExpression("^(folder)$", ErrorMessage = "Storage:Blobs must be 'folder'.")]
    public string Blobs { get; set; } = "folder";

    /// <summary>SQLite file. Default <c>{Node:DataDirectory}/granary.db</c>.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>Blob folder. Default <c>{Node:DataDirectory}/blobs</c>.</summary>
    public string? BlobsPath { get; set; }

    /// <summary>
    /// Unreferenced blobs younger than this survive the periodic sweep (they may belong to an upload in
    /// flight on another node). Default 1 hour. The start-up sweep of a single node uses zero: no other
    /// writer exists then.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the orphan sweep runs after start-up. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Metadata != "postgres")
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            yield return new ValidationResult(
                "Storage:PostgresConnectionString is required when Storage:Metadata is 'postgres'.", [nameof(PostgresConnectionString)]);
        }
        else if (PostgresMetadataStore.ValidateConnectionString(PostgresConnectionString) is { } error)
        {
            yield return new ValidationResult($"Storage:PostgresConnectionString: {error}", [nameof(PostgresConnectionString)]);
        }
    }
}
