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
        return new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables("GRANARY_")
            .AddCommandLine([.. args], GranaryNode.SwitchMappings.ToDictionary())
            .Build();
    }

    /// <summary>Creates (does not migrate) the metadata store <c>Storage:Metadata</c> names.</summary>
    /// <exception cref="OptionsValidationException">The Node or Storage section is invalid.</exception>
    public static SqlMetadataStore CreateMetadataStore(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var node = Bind<NodeOptions>(configuration, NodeOptions.Section);
        var storage = Bind<StorageOptions>(configuration, StorageOptions.Section);
        return storage.Metadata switch
        {
            "postgres" => new PostgresMetadataStore(storage.PostgresConnectionString!),
            _ => new SqliteMetadataStore(storage.SqlitePath ?? Path.Combine(node.DataDirectory, "granary.db")),
        };
    }

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
