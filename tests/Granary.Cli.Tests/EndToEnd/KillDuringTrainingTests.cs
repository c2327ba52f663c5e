using System.Globalization;

namespace Granary.Cli.Tests.EndToEnd;

/// <summary>kill -9 of the node while it trains: the restarted node resumes the job from its checkpoint and registers the same model.</summary>
[Trait("Category", "EndToEnd")]
public sealed class KillDuringTrainingTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("granary-killtrain-").FullName;

    [Fact]
    public async Task Kill9_MidTraining_ResumesFromCheckpointToTheSameModel()
    {
        // Many small chunks make every pass hundreds of grain calls, so training lasts long enough to be killed mid-way.
        string[] settings = ["--Jobs:RenewInterval=00:00:00.100", "--Datasets:ChunkRows=250"];
        object Spec(string model) => new { type = "train", dataset = "k", label = "y", algorithm = "logistic", model, l2 = 1e-6, tolerance = 1e-15, maxIterations = 1000, standardize = false };
        string jobId;
        await using (var node = await NodeProcess.StartAsync(_data, settings))
        {
            using var http = new HttpClient { BaseAddress = node.Address };
            await Cluster.Http.UploadCsvAsync(http, "k", Cluster.Http.SlowToFitCsv(60000));

            var reference = await Cluster.Http.WaitAsync(http, await Cluster.Http.SubmitAsync(http, Spec("uninterrupted")));
            Assert.Equal("succeeded", reference.GetProperty("state").GetString());

            jobId = await Cluster.Http.SubmitAsync(http, Spec("killed"));
            for (var i = 0; i < 1000; i++)
            {
                var job = await Cluster.Http.GetAsync(http, $"/v1/jobs/{jobId}");
                if (job.GetProperty("step").GetString() is { } step && step.StartsWith("iteration ", StringComparison.Ordinal) &&
                    int.Parse(step.Split(' ', ':')[1], CultureInfo.InvariantCulture) >= 3)
                {
                    break;
                }

                await Task.Delay(10);
            }

            Assert.Equal("running", (await Cluster.Http.GetAsync(http, $"/v1/jobs/{jobId}")).GetProperty("state").GetString());
            await node.KillAsync();
        }

        await using (var restarted = await NodeProcess.StartAsync(_data, settings))
        {
            using var http = new HttpClient { BaseAddress = restarted.Address };
            var resumed = await Cluster.Http.WaitAsync(http, jobId);
            Assert.Equal("succeeded", resumed.GetProperty("state").GetString());
            Assert.Equal(2, resumed.GetProperty("attempt").GetInt32());

            var a = await Cluster.Http.GetAsync(http, "/v1/models/uninterrupted/versions/1");
            var b = await Cluster.Http.GetAsync(http, "/v1/models/killed/versions/1");
            Assert.Equal(Cluster.Http.Coefficients(a), Cluster.Http.Coefficients(b));
            Assert.Single((await Cluster.Http.GetAsync(http, "/v1/models/killed")).GetProperty("versions").EnumerateArray());
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
