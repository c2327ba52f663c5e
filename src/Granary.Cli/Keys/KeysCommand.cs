using System.CommandLine;
using Granary.Server.Auth;
using Granary.Server.Hosting;
using Granary.Storage.Metadata;
using Microsoft.Extensions.Options;

namespace Granary.Cli.Keys;

/// <summary>
/// <c>granary keys create|list|delete|hash</c>: manages the API keys of a node's metadata store directly
/// (an administrator's command on the node's machine, not an HTTP call). Only SHA-256 digests are stored;
/// a created key is printed once. A running node notices a new or deleted key within 30 seconds.
/// The store is the one <c>serve</c> would open from the same configuration: <c>Storage:Metadata</c>,
/// <c>Storage:SqlitePath</c> or <c>Storage:PostgresConnectionString</c> from appsettings.json, <c>GRANARY_</c>
/// environment variables or extra <c>--Section:Key=value</c> options.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data")
        {
            Description = "The node's data folder (default ./granary-data). Extra --Storage:Key=value options choose the store as for 'serve'.",
            HelpName = "dir",
        };

        var name = new Argument<string>("name") { Description = "A label for the key, e.g. the client that uses it." };
        var create = new Command("create", "Create an API key and print it once.") { name, data };
        create.SetAction(async (parseResult, cancellationToken) =>
        {
            // An unknown --Section:Key token before the name is bound to the name argument: sort them out again.
            if (!SplitNameAndConfiguration([parseResult.GetValue(name)!, .. parseResult.UnmatchedTokens], out var label, out var configuration))
            {
                CliInvoker.Console.WriteError("expected one key name and --Section:Key=value configuration options.");
                return ExitCodes.Usage;
            }

            if (!Core.ResourceNames.IsValid(label))
            {
                CliInvoker.Console.WriteError($"invalid key name '{label}': use 1-64 characters of a-z, 0-9, '-', '_', '.'.");
                return ExitCodes.Usage;
            }

            return await WithStoreAsync(parseResult.GetValue(data), configuration, async store =>
            {
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
            }, cancellationToken);
        });

        var list = new Command("list", "List API keys (names and digests, never keys).") { data };
        list.SetAction(async (parseResult, cancellationToken) =>
        {
            return await WithStoreAsync(parseResult.GetValue(data), parseResult.UnmatchedTokens, async store =>
            {
                foreach (var key in await store.ListApiKeysAsync(cancellationToken))
                {
                    CliInvoker.Console.RawOutput.WriteLine($"{key.Name}\t{key.Sha256Hex[..12]}…\t{key.CreatedAt:u}");
                }

                return ExitCodes.Ok;
            }, cancellationToken);
        });

        var deleteName = new Argument<string>("name") { Description = "The key's name." };
        var delete = new Command("delete", "Delete an API key.") { deleteName, data };
        delete.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!SplitNameAndConfiguration([parseResult.GetValue(deleteName)!, .. parseResult.UnmatchedTokens], out var keyName, out var configuration))
            {
                CliInvoker.Console.WriteError("expected one key name and --Section:Key=value configuration options.");
                return ExitCodes.Usage;
            }

            return await WithStoreAsync(parseResult.GetValue(data), configuration, async store =>
            {
                if (await store.DeleteApiKeyAsync(keyName, cancellationToken))
                {
                    return ExitCodes.Ok;
                }

                CliInvoker.Console.WriteError($"no API key named '{keyName}'.");
                return ExitCodes.ServerError;
            }, cancellationToken);
        });

        var keyArgument = new Argument<string>("key") { Description = "A key to digest, for Auth:ApiKeyHashes." };
        var hash = new Command("hash", "Print the SHA-256 digest of a key (for Auth:ApiKeyHashes in configuration).") { keyArgument };
        hash.SetAction(parseResult =>
        {
            CliInvoker.Console.RawOutput.WriteLine(ApiKeyHasher.Hash(parseResult.GetValue(keyArgument)!));
            return ExitCodes.Ok;
        });

        foreach (var command in (Command[])[create, list, delete])
        {
            // Extra --Section:Key=value tokens are configuration, as for 'serve'.
            command.TreatUnmatchedTokensAsErrors = false;
        }

        return new Command("keys", "Manage API keys in a node's metadata store.") { create, list, delete, hash };
    }

    /// <summary>Opens and migrates the store the configuration names, runs <paramref name="action"/> on it, then closes it.</summary>
    private static async Task<int> WithStoreAsync(
        string? dataDirectory, IReadOnlyList<string> configuration, Func<IMetadataStore, Task<int>> action, CancellationToken cancellationToken)
    {
        var args = new List<string>();
        if (dataDirectory is not null)
        {
            args.AddRange(["--data", dataDirectory]);
        }

        args.AddRange(configuration);
        SqlMetadataStore store;
        try
        {
            store = StorageConfiguration.CreateMetadataStore(StorageConfiguration.Load(args));
        }
        catch (OptionsValidationException error)
        {
            CliInvoker.Console.WriteError("invalid configuration: " + string.Join("; ", error.Failures));
            return ExitCodes.Usage;
        }

        try
        {
            await store.MigrateAsync(cancellationToken);
            return await action(store);
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            CliInvoker.Console.WriteError(error.Message);
            return ExitCodes.ServerError;
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Separates the one positional argument from configuration tokens (<c>--Key=value</c>, or <c>--Key value</c>),
    /// given in their command-line order. False when there is no positional argument or more than one.
    /// </summary>
    internal static bool SplitNameAndConfiguration(IReadOnlyList<string> tokens, out string name, out IReadOnlyList<string> configuration)
    {
        string? found = null;
        var rest = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                rest.Add(token);
                if (!token.Contains('=', StringComparison.Ordinal) && i + 1 < tokens.Count)
                {
                    rest.Add(tokens[++i]);
                }
            }
            else if (found is null)
            {
                found = token;
            }
            else
            {
                found = null;
                break;
            }
        }

        name = found ?? "";
        configuration = rest;
        return found is not null;
    }
}
