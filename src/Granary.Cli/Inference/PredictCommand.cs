using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Granary.Cli.Inference;

/// <summary><c>granary predict MODEL --row '{...}' | --file rows.ndjson</c>.</summary>
internal static class PredictCommand
{
    private const int BatchRows = 1_000;

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "name, name@version or name@alias (default: the production alias, else the latest version)." };
        var rows = new Option<string[]>("--row", "-r") { Description = "A row as a JSON object; repeat for several.", AllowMultipleArgumentsPerToken = false };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "NDJSON file, one row object per line (sent in batches of 1,000)." };
        var command = new Command("predict", "Predict rows with a registered model.") { model, rows, file };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var inline = parseResult.GetValue(rows) ?? [];
            var path = parseResult.GetValue(file);
            if (inline.Length == 0 && path is null)
            {
                context.Console.WriteError("give --row '{\"feature\": value}' or --file rows.ndjson.");
                return ExitCodes.Usage;
            }

            var all = new List<JsonElement>();
            try
            {
                all.AddRange(inline.Select(text => JsonDocument.Parse(text).RootElement.Clone()));
                if (path is not null)
                {
                    var line = 0;
                    foreach (var text in File.ReadLines(path.FullName))
                    {
                        line++;
                        if (!string.IsNullOrWhiteSpace(text))
                        {
                            all.Add(Parse(text, path.Name, line));
                        }
                    }
                }
            }
            catch (JsonException error)
            {
                context.Console.WriteError($"not a JSON row: {error.Message}");
                return ExitCodes.Usage;
            }

            var table = new Table().RoundedBorder().AddColumns("#", "Prediction", "Probabilities");
            var index = 0;
            foreach (var batch in all.Chunk(BatchRows))
            {
                var response = await client.PredictAsync(parseResult.GetValue(model)!, batch, ct).ConfigureAwait(false);
                if (context.Json)
                {
                    context.WriteJson(response);
                    continue;
                }

                foreach (var prediction in response.GetProperty("predictions").EnumerateArray())
                {
                    var probabilities = prediction.TryGetProperty("probabilities", out var p) && p.ValueKind == JsonValueKind.Object
                        ? string.Join(", ", p.EnumerateObject().Select(c => $"{c.Name}: {c.Value.GetDouble():F4}"))
                        : string.Empty;
                    table.AddRow((index++).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(prediction.GetProperty("prediction").ToString()), Markup.Escape(probabilities));
                }

                table.Caption($"{response.GetProperty("model").GetString()} version {response.GetProperty("version").GetInt32()}");
            }

            if (!context.Json)
            {
                context.Console.Output.Write(table);
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static JsonElement Parse(string text, string file, int line)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new JsonException($"{file} line {line}: {error.Message}", error);
        }
    }
}
