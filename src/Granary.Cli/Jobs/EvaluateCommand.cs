using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Granary.Client.Models;
using Spectre.Console;

namespace Granary.Cli.Jobs;

/// <summary>
/// <c>granary evaluate --dataset D MODEL [MODEL...]</c>: runs an evaluation job and prints the models' headline
/// metrics side by side; <c>granary score MODEL --dataset D --output O</c>: batch-scores a dataset into a new one.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "Dataset to evaluate on: name or name@version.", Required = true };
        var models = new Argument<string[]>("models") { Description = "Model references (name, name@version, name@alias) to compare.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("evaluate", "Evaluate model versions side by side on a dataset (exact metrics over every row).") { dataset, models };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var job = await client.SubmitEvaluationAsync(new EvaluateJobSpec(parseResult.GetValue(dataset)!, parseResult.GetValue(models)!), ct).ConfigureAwait(false);
            var final = await JobFollower.FollowAsync(context, client, job, ct).ConfigureAwait(false);
            if (final.State != "succeeded" || final.Result is not { } result)
            {
                return JobFollower.Conclude(context, final);
            }

            var evaluation = await client.GetEvaluationAsync(result.GetProperty("evaluation").GetString()!, ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(evaluation);
                return ExitCodes.Ok;
            }

            var table = new Table().RoundedBorder().AddColumns("Model", "Metric", "Value");
            foreach (var model in evaluation.Models)
            {
                foreach (var (name, value) in Headline(model.Report))
                {
                    table.AddRow($"{Markup.Escape(model.Model)}@{model.Version}", name, value);
                }
            }

            table.Caption($"evaluation {Markup.Escape(evaluation.Id)} on {Markup.Escape(evaluation.Dataset)}; plots: /v1/evaluations/{Markup.Escape(evaluation.Id)}/plots/roc.svg");
            context.Console.Output.Write(table);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    public static Command CreateScore()
    {
        var model = new Argument<string>("model") { Description = "Model reference: name, name@version or name@alias." };
        var dataset = new Option<string>("--dataset", "-d") { Description = "Dataset to score: name or name@version.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "New dataset that receives the scored rows.", Required = true };
        var command = new Command("score", "Batch-score a dataset where its chunks live, into a new dataset.") { model, dataset, output };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var job = await client.SubmitScoringAsync(new PredictJobSpec(parseResult.GetValue(model)!, parseResult.GetValue(dataset)!, parseResult.GetValue(output)!), ct)
                .ConfigureAwait(false);
            var final = await JobFollower.FollowAsync(context, client, job, ct).ConfigureAwait(false);
            return JobFollower.Conclude(context, final);
        }, cancellationToken));
        return command;
    }

    private static IEnumerable<(string Name, string Value)> Headline(JsonElement report)
    {
        static string Format(JsonElement value) =>
            value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString("G5", CultureInfo.InvariantCulture) : "∅";

        if (report.TryGetProperty("classification", out var c) && c.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "accuracy", "rocAuc", "prAuc", "logLoss" })
            {
                yield return (name, Format(c.GetProperty(name)));
            }

            yield return ("macro F1", Format(c.GetProperty("macro").GetProperty("f1")));
        }
        else if (report.TryGetProperty("regression", out var r) && r.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "rmse", "mae", "r2" })
            {
                yield return (name, Format(r.GetProperty(name)));
            }
        }
    }
}
