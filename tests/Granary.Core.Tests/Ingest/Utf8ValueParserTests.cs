using System.Globalization;
using System.Text;
using Granary.Core.Ingest;

namespace Granary.Core.Tests.Ingest;

public sealed class Utf8ValueParserTests
{
    [Fact]
    public void TryParseDouble_RandomDecimals_EqualDoubleParse()
    {
        var random = new Random(1);
        for (var i = 0; i < 200_000; i++)
        {
            var digits = random.Next(1, 20);
            var text = new StringBuilder(random.Next(3) == 0 ? "-" : string.Empty);
            var point = random.Next(0, digits + 1);
            for (var d = 0; d < digits; d++)
            {
                if (d == point && d > 0)
                {
                    text.Append('.');
                }

                text.Append((char)('0' + random.Next(10)));
            }

            AssertSame(text.ToString());
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.0")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("+3.25")]
    [InlineData("1e5")]
    [InlineData("-1.5E-300")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("0.1000000000000000055511151231257827")]
    [InlineData("9007199254740993")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void TryParseDouble_UnusualForms_EqualDoubleParse(string text) => AssertSame(text);

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1,000")]
    [InlineData("0x10")]
    [InlineData("1.2.3")]
    [InlineData("abc")]
    public void TryParseDouble_NotANumber_ReturnsFalse(string text) =>
        Assert.False(Utf8ValueParser.TryParseDouble(Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData("", true)]
    [InlineData("NaN", true)]
    [InlineData("nan", true)]
    [InlineData("NA", true)]
    [InlineData("n/a", true)]
    [InlineData("NULL", true)]
    [InlineData("none", false)]
    public void IsNumericMissing_Token_MatchesList(string text, bool expected) =>
        Assert.Equal(expected, Utf8ValueParser.IsNumericMissing(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("1970-01-01", 0L)]
    [InlineData("1969-12-31T23:59:59.999999Z", -1L)]
    [InlineData("2000-02-29 12:00:00+01:30", 951_820_200_000_000L)]
    [InlineData("2024-01-02T03:04:05.1234567", 1_704_164_645_123_456L)]
    [InlineData("2024-01-02t03:04-0100", 1_704_168_240_000_000L)]
    public void TryParseTimestamp_IsoForms_ReturnUtcMicroseconds(string text, long micros)
    {
        Assert.True(Utf8ValueParser.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(micros, value);
    }

    [Theory]
    [InlineData("2024-02-30")]
    [InlineData("2024-1-02")]
    [InlineData("2024-01-02T25:00")]
    [InlineData("2024-01-02T03:04:05.")]
    [InlineData("2024-01-02T03:04:05Zjunk")]
    [InlineData("20240102")]
    public void TryParseTimestamp_NotIso_ReturnsFalse(string text) =>
        Assert.False(Utf8ValueParser.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out _));

    private static void AssertSame(string text)
    {
        Assert.True(Utf8ValueParser.TryParseDouble(Encoding.UTF8.GetBytes(text), out var value), text);
        var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
    }
}
