using System.CommandLine;
using Granary.Client;
using Granary.Client.Models;
using Granary.Cli.Output;
using Spectre.Console;

namespace Granary.Cli.Datasets;

/// <summary><c>datasets upload NAME FILE</c> and <c>datasets append NAME FILE</c>: one body, two endpoints.</summary>
internal static class UploadCommand
{
    public static Command Create(bool append)
    {
        var name = DatasetSymbols.Name();
        var file = new Argument<FileInfo>("file")
        {
            Description = append
                ? "Rows to append: CSV with a header (.csv, .tsv) or NDJSON (.ndjson, .jsonl)."
                : "The file to upload: CSV (.csv, .tsv), NDJSON (.ndjson, .jsonl) or Parquet (.parquet).",
        };
        var types = new Option<string[]>("--type", "-t")
        {
            Description = "Override an inferred column type, as COLUMN:TYPE (numeric, boolean, string, timestamp). Repeatable.",
            HelpName = "col:type",
            Arity = ArgumentArity.ZeroOrMore,
        };
        types.Validators.Add(result =>
        {
            if (!TypeOverrideParser.TryParse(result.GetValueOrDefault<string[]>() ?? [], out _, out var error))
            {
                result.AddError("--type: " + error);
            }
        });
        var delimiter = new Option<string?>("--delimiter", "-d")
        {
            Description = "CSV delimiter: one character, or 'tab' (default: detected among , ; and tab).",
            HelpName = "char",
        };
        delimiter.Validators.Add(result =>
        {
            if (!TypeOverrideParser.TryParseDelimiter(result.GetValueOrDefault<string?>(), out _))
            {
                result.AddError("--delimiter must be a single character or 'tab'.");
            }
        });
        var contentType = new Option<string?>("--content-type")
        {
            Description = "Media type of the file when its extension does not tell (e.g. text/csv).",
            HelpName = "type",
        };

        var command = new Command(
            append ? "append" : "upload",
            append ? "Append rows to a dataset as a new version." : "Upload a file as a new version of a dataset (creating it if needed).")
        {
            name, file, types, delimiter, contentType,
        };

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var datasetName = parseResult.GetRequiredValue(name);
            var fileInfo = parseResult.GetRequiredValue(file);
            if (!fileInfo.Exists)
            {
                context.Console.WriteError($"File not found: {fileInfo.FullName}");
                return ExitCodes.Usage;
            }

            var mediaType = parseResult.GetValue(contentType) ?? DatasetContentTypes.FromPath(fileInfo.Name);
            if (mediaType is null)
            {
                context.Console.WriteError(
                    $"Cannot tell the format of '{fileInfo.Name}' from its extension; use .csv, .tsv, .ndjson, .jsonl or .parquet, or pass --content-type.");
                return ExitCodes.Usage;
            }

            TypeOverrideParser.TryParse(parseResult.GetValue(types) ?? [], out var typeMap, out _);
            TypeOverrideParser.TryParseDelimiter(parseResult.GetValue(delimiter), out var delimiterValue);
            var options = new UploadOptions { Types = typeMap, Delimiter = delimiterValue };

            await using var stream = new FileStream(
                fileInfo.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var verb = append ? "Appending" : "Uploading";
            var result = await UploadProgress.RunAsync(
                context.Console,
                showProgress: !context.Json,
                $"{verb} {fileInfo.Name}",
                stream.Length,
                progress => append
                    ? client.AppendRowsAsync(datasetName, stream, mediaType, options, progress, ct)
                    : client.UploadAsync(datasetName, stream, mediaType, options, progress, ct)).ConfigureAwait(false);

            if (context.Json)
            {
                context.WriteJson(result.Version);
            }
            else
            {
                context.Console.RawOutput.WriteLine(Summary(append, fileInfo.Name, result.Version, result.BytesSent, result.Elapsed));
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    internal static string Summary(bool append, string fileName, DatasetVersionInfo version, long bytes, TimeSpan elapsed) =>
        $"{(append ? "Appended" : "Uploaded")} {fileName} ({ByteFormatter.FormatBytes(bytes)} in {ByteFormatter.FormatDuration(elapsed)}, "
        + $"{ByteFormatter.FormatRate(bytes, elapsed)}): {version.Name} version {version.Version}, "
        + $"{ValueFormatter.FormatCount(version.Rows)} rows ({ValueFormatter.FormatCount(version.AddedRows)} added), {version.Schema.Count} columns.";
}
