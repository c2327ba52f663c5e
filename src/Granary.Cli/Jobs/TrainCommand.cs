using System.CommandLine;
using Granary.Client.Models;

namespace Granary.Cli.Jobs;

/// <summary><c>granary train</c>: submits a training job and follows it to the registered model version.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "Dataset to train on: name or name@version.", Required = true };
        var label = new Option<string>("--label", "-y") { Description = "The column to predict.", Required = true };
        var algorithm = new Option<string>("--algorithm", "-a")
        {
            Description = "linear (squared loss), logistic (binary) or softmax (multinomial).",
            DefaultValueFactory = _ => "logistic",
        };
        algorithm.AcceptOnlyFromAmong("linear", "logistic", "softmax");
        var model = new Option<string>("--model", "-m") { Description = "The registered model that gets the new version.", Required = true };
        var features = new Option<string[]>("--features", "-f") { Description = "Feature columns (default: every column but the label).", AllowMultipleArgumentsPerToken = true };
        var l1 = new Option<double>("--l1") { Description = "L1 penalty (OWL-QN); exact zeros for unhelpful features." };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty." };
        var maxIterations = new Option<int>("--max-iterations") { Description = "Optimiser iterations at most.", DefaultValueFactory = _ => 100 };
        var tolerance = new Option<double>("--tolerance") { Description = "Convergence tolerance.", DefaultValueFactory = _ => 1e-6 };
        var validation = new Option<double?>("--validation-fraction") { Description = "Hold out this fraction of rows (seeded) for validation loss." };
        var noStandardize = new Option<bool>("--no-standardize") { Description = "Fit on raw feature values (penalties then apply on that scale)." };
        var noIntercept = new Option<bool>("--no-intercept") { Description = "Fit without an intercept." };
        var priority = new Option<int>("--priority") { Description = "Queue priority (higher first)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the job id and return without following it." };

        var command = new Command("train", "Train a linear model as a durable job and register it as a new model version.")
        {
            dataset, label, algorithm, model, features, l1, l2, maxIterations, tolerance, validation, noStandardize, noIntercept, priority, noWait,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var fraction = parseResult.GetValue(validation);
            var spec = new TrainJobSpec(
                parseResult.GetValue(dataset)!,
                parseResult.GetValue(label)!,
                parseResult.GetValue(algorithm)!,
                parseResult.GetValue(model)!,
                parseResult.GetValue(features) is { Length: > 0 } chosen ? chosen.SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList() : null,
                parseResult.GetValue(l1),
                parseResult.GetValue(l2),
                !parseResult.GetValue(noStandardize),
                !parseResult.GetValue(noIntercept),
                parseResult.GetValue(maxIterations),
                parseResult.GetValue(tolerance),
                Validation: fraction is { } f ? new ValidationSpec(Fraction: f) : null)
            {
                Priority = parseResult.GetValue(priority),
            };
            var job = await client.SubmitTrainingAsync(spec, ct).ConfigureAwait(false);
            if (parseResult.GetValue(noWait))
            {
                if (context.Json)
                {
                    context.WriteJson(job);
                }
                else
                {
                    context.Console.RawOutput.WriteLine(job.Id);
                }

                return ExitCodes.Ok;
            }

            var final = await JobFollower.FollowAsync(context, client, job, ct).ConfigureAwait(false);
            return JobFollower.Conclude(context, final);
        }, cancellationToken));
        return command;
    }
}
