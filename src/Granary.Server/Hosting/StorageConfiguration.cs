using System.ComponentModel.DataAnnotations;
using Granary.Storage.Metadata;
using Granary.Storage.Postgres;
using Granary.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Granary.Server.Hosting;

/// <summary>
/// The metadata store a node's configuration names, for tools that work on it without starting a node
/// (<c>granary keys</c>). It reads configuration the way <see cref="GranaryNode.Build"/> does, so a tool and
/// <c>serve</c> given the same files, variables and options open the same store.
/// </summary>
public static class StorageConfiguration
{
    /// <summary>
    /// <c>appsettings.json</c> (and <c>appsettings.{environment}.json</c>) in the working directory, then
    /// <c>GRANARY_</c> environment variables, then the command line (<c>--data</c>, <c>--Section:Key=value</c>).
    /// </summary>
    public static IConfiguration Load(IEnumerable<string> args)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        var configuration = new ConfigurationManager();
        configuration.SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables("GRANARY_")
            .AddCommandLine([.. args], GranaryNode.SwitchMappings.ToDictionary());
        configuration.AddInMemoryCollection(Implied(configuration));
        return configuration;
    }

    /// <summary>
    /// Settings implied by others: a PostgreSQL connection string (<c>--postgres</c>) with no explicit
    /// <c>Storage:Metadata</c> selects the PostgreSQL store.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> Implied(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrWhiteSpace(configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.PostgresConnectionString)}"]) &&
            string.IsNullOrWhiteSpace(configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.Metadata)}"]))
        {
            yield return new($"{StorageOptions.Section}:{nameof(StorageOptions.Metadata)}", "postgres");
        }
    }

    /// <summary>Creates (does not migrate) the metadata store <c>Storage:Metadata</c> names.</summary>
    /// <exception cref="OptionsValidationException">The Node or Storage section is invalid.</exception>
    public static SqlMetadataStore CreateMetadataStore(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return CreateMetadataStore(Bind<NodeOptions>(configuration, NodeOptions.Section), Bind<StorageOptions>(configuration, StorageOptions.Section));
    }

    /// <summary>The one place the metadata backend is chosen, for nodes and tools alike.</summary>
    public static SqlMetadataStore CreateMetadataStore(NodeOptions node, StorageOptions storage) => storage.Metadata switch
    {
        "sqlite" => new SqliteMetadataStore(storage.SqlitePath ?? Path.Combine(node.DataDirectory, "granary.db")),
        "postgres" => new PostgresMetadataStore(storage.PostgresConnectionString!),
        _ => throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions), [$"Unknown metadata store '{storage.Metadata}'."]),
    };

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(section, typeof(T), results.Select(r => r.ErrorMessage ?? $"{section} is invalid."));
        }

        return options;
    }
}
