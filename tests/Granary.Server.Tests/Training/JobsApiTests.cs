using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Granary.Server.Tests.Training;

public sealed class JobsApiTests
{
    [Theory]
    [InlineData("{\"type\":\"train\",\"dataset\":\"nope\",\"label\":\"y\",\"algorithm\":\"logistic\",\"model\":\"m\"}", 404, "dataset_not_found")]
    [InlineData("{\"type\":\"train\",\"dataset\":\"d\",\"label\":\"nope\",\"algorithm\":\"logistic\",\"model\":\"m\"}", 400, "unknown_column")]
    [InlineData("{\"type\":\"train\",\"dataset\":\"d\",\"label\":\"y\",\"algorithm\":\"forest\",\"model\":\"m\"}", 400, "invalid_spec")]
    [InlineData("{\"type\":\"train\",\"dataset\":\"d\",\"label\":\"y\",\"algorithm\":\"logistic\",\"model\":\"Bad Name\"}", 400, "invalid_name")]
    [InlineData("{\"type\":\"train\",\"dataset\":\"d\",\"label\":\"y\",\"algorithm\":\"logistic\",\"model\":\"m\",\"l1\":-1}", 400, "invalid_spec")]
    [InlineData("{\"type\":\"train\",\"dataset\":\"d\",\"label\":\"y\",\"algorithm\":\"logistic\",\"model\":\"m\",\"validation\":{\"fraction\":1.5}}", 400, "invalid_spec")]
    [InlineData("{\"type\":\"train\",\"dataset\":\"d\",\"label\":\"c\",\"algorithm\":\"linear\",\"model\":\"m\"}", 400, "invalid_spec")]
    [InlineData("{\"type\":\"bake\"}", 400, "unknown_job_type")]
    [InlineData("{\"dataset\":\"d\"}", 400, "invalid_argument")]
    [InlineData("{not json", 400, "invalid_json")]
    public async Task Submit_BadSpec_ProblemAndNoJob(string body, int status, string code)
    {
        await using var node = await NodeHost.StartAsync();
        (await node.PostAsync("/v1/datasets/d", "x,c,y\n1,a,0\n2,b,1\n")).EnsureSuccessStatusCode();

        using var response = await node.PostAsync("/v1/jobs", body, "application/json");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(0, (await node.GetJsonAsync("/v1/jobs")).GetProperty("jobs").GetArrayLength());
    }

    [Fact]
    public async Task Get_UnknownJob_404()
    {
        await using var node = await NodeHost.StartAsync();
        using var response = await node.Http.GetAsync("/v1/jobs/job-missing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("job_not_found", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Queue_ClusterAtCapacity_JobWaitsQueuedAndCancelsAtOnce()
    {
        await using var node = await NodeHost.StartAsync("--Jobs:MaxConcurrentCluster=1");
        (await node.PostAsync("/v1/datasets/q", TrainingData.Logistic(500))).EnsureSuccessStatusCode();
        // Another node holds the cluster's only slot (a lease that has not expired), so nothing else may start.
        var store = (Granary.Storage.Jobs.IJobStore)node.App.Services.GetService(typeof(Granary.Storage.Jobs.IJobStore))!;
        await store.CreateJobAsync("job-elsewhere", "train", 100, "{}", CancellationToken.None);
        Assert.NotNull(await store.ClaimNextAsync("other-node", TimeSpan.FromHours(1), DateTimeOffset.UtcNow, CancellationToken.None));

        var id = (await node.SubmitAsync(new { type = "train", dataset = "q", label = "y", algorithm = "logistic", model = "waits" })).GetProperty("id").GetString()!;
        await Task.Delay(1500);
        Assert.Equal("queued", (await node.GetJsonAsync($"/v1/jobs/{id}")).GetProperty("state").GetString());

        using (var cancel = await node.PostAsync($"/v1/jobs/{id}/cancel", string.Empty, "application/json"))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            Assert.Equal("cancelled", (await NodeHost.ReadJsonAsync(cancel)).GetProperty("state").GetString());
        }

        using var again = await node.PostAsync($"/v1/jobs/{id}/cancel", string.Empty, "application/json");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("job_finished", (await NodeHost.ReadJsonAsync(again)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Cancel_RunningJob_StopsWithoutRegisteringAModel()
    {
        // Hundreds of tiny chunks make each pass hundreds of grain calls: the job runs long enough to be cancelled.
        await using var node = await NodeHost.StartAsync("--Jobs:RenewInterval=00:00:00.100", "--Datasets:ChunkRows=50");
        (await node.PostAsync("/v1/datasets/big", TrainingData.Logistic(20000))).EnsureSuccessStatusCode();
        var id = (await node.SubmitAsync(new { type = "train", dataset = "big", label = "y", algorithm = "logistic", model = "cancelled-model", tolerance = 1e-15, maxIterations = 100000 }))
            .GetProperty("id").GetString()!;
        await WaitUntilAsync(node, id, "running");

        using (var cancel = await node.PostAsync($"/v1/jobs/{id}/cancel", string.Empty, "application/json"))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        var ended = await node.WaitForJobAsync(id);
        Assert.Equal("cancelled", ended.GetProperty("state").GetString());
        using var model = await node.Http.GetAsync("/v1/models/cancelled-model");
        Assert.Equal(HttpStatusCode.NotFound, model.StatusCode);
    }

    [Fact]
    public async Task Progress_ReachesFollowersBetweenLeaseRenewals()
    {
        // Renewals a minute apart: every step seen below was written as progress, not with a renewal.
        await using var node = await NodeHost.StartAsync("--Jobs:RenewInterval=00:01:00", "--Jobs:ProgressInterval=00:00:00.100", "--Datasets:ChunkRows=50");
        (await node.PostAsync("/v1/datasets/slow", TrainingData.Logistic(20000))).EnsureSuccessStatusCode();
        var id = (await node.SubmitAsync(new { type = "train", dataset = "slow", label = "y", algorithm = "logistic", model = "progress-model", tolerance = 1e-15, maxIterations = 100000 }))
            .GetProperty("id").GetString()!;
        var steps = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (steps.Count(s => s.StartsWith("iteration ", StringComparison.Ordinal)) < 3 && DateTime.UtcNow < deadline)
        {
            var job = await node.GetJsonAsync($"/v1/jobs/{id}");
            if (job.GetProperty("step").GetString() is { } step)
            {
                steps.Add(step);
            }

            await Task.Delay(20);
        }

        Assert.True(steps.Count(s => s.StartsWith("iteration ", StringComparison.Ordinal)) >= 3, string.Join(" | ", steps));
        Assert.Equal("running", (await node.GetJsonAsync($"/v1/jobs/{id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Finished_job_shows_its_last_step_not_the_last_throttled_write()
    {
        // Progress writes a minute apart: only the flush at the end can put the outcome in the job's step.
        await using var node = await NodeHost.StartAsync("--Jobs:RenewInterval=00:01:00", "--Jobs:ProgressInterval=00:01:00");
        (await node.PostAsync("/v1/datasets/quick", TrainingData.Logistic(3000))).EnsureSuccessStatusCode();
        var id = (await node.SubmitAsync(new { type = "train", dataset = "quick", label = "y", algorithm = "logistic", model = "stepped" }))
            .GetProperty("id").GetString()!;
        var job = await node.WaitForJobAsync(id);
        Assert.Equal("succeeded", job.GetProperty("state").GetString());
        var metrics = (await node.GetJsonAsync("/v1/models/stepped/versions/1")).GetProperty("metrics");
        Assert.Equal(
            string.Create(CultureInfo.InvariantCulture, $"registered stepped version 1 after {metrics.GetProperty("iterations").GetInt32()} iterations ({metrics.GetProperty("stopReason").GetString()}), objective {metrics.GetProperty("objective").GetDouble():G6}"),
            job.GetProperty("step").GetString());
        Assert.Equal(1.0, job.GetProperty("progress").GetDouble());
    }

    [Fact]
    public async Task Queue_OneSlotPerNode_SecondJobStartsAfterTheFirstEnds()
    {
        await using var node = await NodeHost.StartAsync("--Jobs:MaxConcurrent=1");
        (await node.PostAsync("/v1/datasets/s", TrainingData.Logistic(3000))).EnsureSuccessStatusCode();
        object Spec(string model) => new { type = "train", dataset = "s", label = "y", algorithm = "logistic", model };
        var first = (await node.SubmitAsync(Spec("one"))).GetProperty("id").GetString()!;
        var second = (await node.SubmitAsync(Spec("two"))).GetProperty("id").GetString()!;

        var a = await node.WaitForJobAsync(first);
        var b = await node.WaitForJobAsync(second);

        Assert.Equal(("succeeded", "succeeded"), (a.GetProperty("state").GetString(), b.GetProperty("state").GetString()));
        Assert.True(b.GetProperty("startedAt").GetDateTimeOffset() >= a.GetProperty("finishedAt").GetDateTimeOffset(), "the second job ran while the only slot was taken");
    }

    [Fact]
    public async Task Events_StreamEndsWithFinalState()
    {
        await using var node = await NodeHost.StartAsync();
        (await node.PostAsync("/v1/datasets/ev", TrainingData.Logistic(2000))).EnsureSuccessStatusCode();
        var id = (await node.SubmitAsync(new { type = "train", dataset = "ev", label = "y", algorithm = "logistic", model = "ev" })).GetProperty("id").GetString()!;

        using var stream = await node.Http.GetStreamAsync($"/v1/jobs/{id}/events");
        var events = new List<(string Event, JsonElement Data)>();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream, (type, data) => (type, JsonDocument.Parse(data.ToArray()).RootElement.Clone())).EnumerateAsync())
        {
            events.Add(item.Data);
        }

        Assert.NotEmpty(events);
        Assert.Equal("end", events[^1].Event);
        Assert.Equal("succeeded", events[^1].Data.GetProperty("state").GetString());
        Assert.Equal(id, events[^1].Data.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Restart_MidTraining_ResumesFromCheckpointToTheSameModel()
    {
        var csv = TrainingData.Logistic(30000, seed: 21);
        object Spec(string model) => new { type = "train", dataset = "r", label = "y", algorithm = "logistic", model, l2 = 1e-4, tolerance = 1e-14, maxIterations = 60 };

        var data = Directory.CreateTempSubdirectory("granary-resume-").FullName;
        var node = await NodeHost.StartInAsync(data, "--Jobs:RenewInterval=00:00:00.100");
        (await node.PostAsync("/v1/datasets/r", csv)).EnsureSuccessStatusCode();
        var reference = await node.WaitForJobAsync((await node.SubmitAsync(Spec("uninterrupted"))).GetProperty("id").GetString()!);
        Assert.Equal("succeeded", reference.GetProperty("state").GetString());

        var id = (await node.SubmitAsync(Spec("resumed"))).GetProperty("id").GetString()!;
        var store = (Granary.Storage.Jobs.IJobStore)node.App.Services.GetService(typeof(Granary.Storage.Jobs.IJobStore))!;
        for (var i = 0; i < 2000 && (await store.GetCheckpointAsync(id, CancellationToken.None))?.Step is null or < 3; i++)
        {
            await Task.Delay(5);
        }

        await node.StopKeepingDataAsync();
        var interrupted = await store.GetJobAsync(id, CancellationToken.None);
        Assert.True(interrupted!.State == Granary.Storage.Jobs.JobState.Queued, $"{interrupted.State}: {interrupted.ErrorCode} {interrupted.ErrorMessage}");

        await using var restarted = await NodeHost.StartInAsync(data);
        var resumed = await restarted.WaitForJobAsync(id);
        Assert.Equal("succeeded", resumed.GetProperty("state").GetString());
        Assert.Equal(2, resumed.GetProperty("attempt").GetInt32());

        var a = await restarted.GetJsonAsync("/v1/models/uninterrupted/versions/1");
        var b = await restarted.GetJsonAsync("/v1/models/resumed/versions/1");
        Assert.Equal(
            a.GetProperty("artifact").GetProperty("standardizedCoefficients").EnumerateArray().Select(e => e.GetDouble()),
            b.GetProperty("artifact").GetProperty("standardizedCoefficients").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(a.GetProperty("metrics").GetProperty("iterations").GetInt32(), b.GetProperty("metrics").GetProperty("iterations").GetInt32());
    }

    private static async Task WaitUntilAsync(NodeHost node, string id, string state)
    {
        for (var i = 0; i < 400; i++)
        {
            if ((await node.GetJsonAsync($"/v1/jobs/{id}")).GetProperty("state").GetString() == state)
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"job {id} never reached {state}");
    }
}
