using System.CommandLine;
using Granary.Server.Auth;
using Granary.Storage.Metadata;
using Granary.Storage.Sqlite;

namespace Granary.Cli.Keys;

/// <summary>
/// <c>granary keys create|list|delete|hash</c>: manages the API keys of a node's metadata store directly
/// (an administrator's command on the node's machine, not an HTTP call). Only SHA-256 digests are stored;
/// a created key is printed once. A running node notices a new or deleted key within 30 seconds.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "The node's data folder (default ./granary-data).",
            HelpName = "dir",
            DefaultValueFactory = _ => "granary-data",
        };

        var name = new Argument<string>("name") { Description = "A label for the key, e.g. the client that uses it." };
        var create = new Command("create", "Create an API key and print it once.") { name, data };
        create.SetAction(async (parseResult, cancellationToken) =>
        {
            var label = parseResult.GetValue(name)!;
            if (!Core.ResourceNames.IsValid(label))
            {
                CliInvoker.Console.WriteError($"invalid key name '{label}': use 1-64 characters of a-z, 0-9, '-', '_', '.'.");
                return ExitCodes.Usage;
            }

            var store = await OpenAsync(parseResult.GetValue(data)!, cancellationToken);
            var key = ApiKeyHasher.NewKey();
            try
            {
                await store.AddApiKeyAsync(new ApiKeyRecord(label, ApiKeyHasher.Hash(key), DateTimeOffset.UtcNow), cancellationToken);
            }
            catch (MetadataConflictException error)
            {
                CliInvoker.Console.WriteError(error.Message);
                return ExitCodes.ServerError;
            }

            CliInvoker.Console.RawOutput.WriteLine(key);
            CliInvoker.Console.WriteHint("Store this key now: only its SHA-256 digest is kept. Send it as 'Authorization: Bearer <key>'.");
            return ExitCodes.Ok;
        });

        var list = new Command("list", "List API keys (names and digests, never keys).") { data };
        list.SetAction(async (parseResult, cancellationToken) =>
        {
            var store = await OpenAsync(parseResult.GetValue(data)!, cancellationToken);
            foreach (var key in await store.ListApiKeysAsync(cancellationToken))
            {
                CliInvoker.Console.RawOutput.WriteLine($"{key.Name}\t{key.Sha256Hex[..12]}…\t{key.CreatedAt:u}");
            }

            return ExitCodes.Ok;
        });

        var deleteName = new Argument<string>("name") { Description = "The key's name." };
        var delete = new Command("delete", "Delete an API key.") { deleteName, data };
        delete.SetAction(async (parseResult, cancellationToken) =>
        {
            var store = await OpenAsync(parseResult.GetValue(data)!, cancellationToken);
            if (await store.DeleteApiKeyAsync(parseResult.GetValue(deleteName)!, cancellationToken))
            {
                return ExitCodes.Ok;
            }

            CliInvoker.Console.WriteError($"no API key named '{parseResult.GetValue(deleteName)}'.");
            return ExitCodes.ServerError;
        });

        var keyArgument = new Argument<string>("key") { Description = "A key to digest, for Auth:ApiKeyHashes." };
        var hash = new Command("hash", "Print the SHA-256 digest of a key (for Auth:ApiKeyHashes in configuration).") { keyArgument };
        hash.SetAction(parseResult =>
        {
            CliInvoker.Console.RawOutput.WriteLine(ApiKeyHasher.Hash(parseResult.GetValue(keyArgument)!));
            return ExitCodes.Ok;
        });

        return new Command("keys", "Manage API keys in a node's metadata store.") { create, list, delete, hash };
    }

    private static async Task<IMetadataStore> OpenAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var store = new SqliteMetadataStore(Path.Combine(dataDirectory, "granary.db"));
        await store.MigrateAsync(cancellationToken);
        return store;
    }
}
