using System.ComponentModel.DataAnnotations;

namespace Granary.Server.Hosting;

/// <summary>Metadata and blob backends. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// Metadata backend: <c>sqlite</c> (default; one node) or <c>postgres</c> (cluster mode). Setting
    /// <see cref="PostgresConnectionString"/> alone (<c>--postgres</c>) selects <c>postgres</c>.
    /// </summary>
    [Required]
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Storage:Metadata must be 'sqlite' or 'postgres'.")]
    public string Metadata { get; set; } = "sqlite";

    /// <summary>Npgsql connection string of the PostgreSQL database, e.g. <c>Host=db;Username=granary;Password=...;Database=granary</c>.</summary>
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
}
