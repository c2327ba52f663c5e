using Granary.Cli.Output;

namespace Granary.Cli.Tests.Unit;

public sealed class ByteFormatterTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1.0 KiB")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(10L * 1024, "10 KiB")]
    [InlineData(5L * 1024 * 1024 + 512 * 1024, "5.5 MiB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3.0 GiB")]
    [InlineData(-2048L, "-2.0 KiB")]
    public void FormatBytes_Value_UsesBinaryUnits(long bytes, string expected) =>
        Assert.Equal(expected, ByteFormatter.FormatBytes(bytes));

    [Fact]
    public void FormatRate_TwoMiBOverTwoSeconds_IsOneMiBPerSecond() =>
        Assert.Equal("1.0 MiB/s", ByteFormatter.FormatRate(2L * 1024 * 1024, TimeSpan.FromSeconds(2)));

    [Fact]
    public void FormatRate_ZeroElapsed_IsDash() =>
        Assert.Equal("-", ByteFormatter.FormatRate(100, TimeSpan.Zero));

    [Theory]
    [InlineData(0.25, "0.3 s")]
    [InlineData(59.94, "59.9 s")]
    [InlineData(125, "2m 05s")]
    [InlineData(3723, "1h 02m")]
    public void FormatDuration_Seconds_IsCompact(double seconds, string expected) =>
        Assert.Equal(expected, ByteFormatter.FormatDuration(TimeSpan.FromSeconds(seconds)));
}
