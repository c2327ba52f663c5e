namespace Granary.Cluster.Tests.Security;

internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {within.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(100);
        }
    }
}
