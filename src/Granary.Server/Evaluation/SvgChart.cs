using System.Globalization;
using System.Security;
using System.Text;

namespace Granary.Server.Evaluation;

/// <summary>
/// Small, dependency-free SVG charts for evaluation plots: line charts on [0,1]² (ROC, PR, calibration), a
/// confusion heat map and a histogram. Plain SVG 1.1 that browsers render as is; every text is escaped.
/// </summary>
public static class SvgChart
{
    private const int Width = 560, Height = 460, Left = 70, Right = 20, Top = 40, Bottom = 60;
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

    public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, bool diagonal)
    {
        var svg = Start(title);
        Axes(svg, xLabel, yLabel, 0, 1, 0, 1);
        if (diagonal)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(0, 0, 1)}\" y1=\"{Y(0, 0, 1)}\" x2=\"{X(1, 0, 1)}\" y2=\"{Y(1, 0, 1)}\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n");
        }

        for (var s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var points = string.Join(' ', series[s].Points.Select(p => $"{X(p.X, 0, 1):F1},{Y(p.Y, 0, 1):F1}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right - 200}\" y=\"{Top + 10 + (s * 18)}\" width=\"12\" height=\"12\" fill=\"{color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 182}\" y=\"{Top + 21 + (s * 18)}\" font-size=\"12\">{Escape(series[s].Name)}</text>\n");
        }

        return End(svg);
    }

    public static string Heatmap(string title, IReadOnlyList<string> labels, IReadOnlyList<IReadOnlyList<double>> matrix)
    {
        var svg = Start(title);
        var n = labels.Count;
        var cell = Math.Min((Width - Left - Right) / (double)n, (Height - Top - Bottom) / (double)n);
        var max = matrix.SelectMany(r => r).DefaultIfEmpty(0).Max();
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var value = matrix[i][j];
                var shade = max > 0 ? (int)(255 - (200 * value / max)) : 255;
                var x = Left + (j * cell);
                var y = Top + (i * cell);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{cell:F1}\" height=\"{cell:F1}\" fill=\"rgb({shade},{shade},255)\" stroke=\"#fff\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (cell / 2):F1}\" y=\"{y + (cell / 2) + 4:F1}\" font-size=\"12\" text-anchor=\"middle\">{value.ToString("G6", CultureInfo.InvariantCulture)}</text>\n");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Top + (i * cell) + (cell / 2) + 4:F1}\" font-size=\"12\" text-anchor=\"end\">{Escape(labels[i])}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (i * cell) + (cell / 2):F1}\" y=\"{Top + (n * cell) + 16:F1}\" font-size=\"12\" text-anchor=\"middle\">{Escape(labels[i])}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (n * cell / 2):F1}\" y=\"{Top + (n * cell) + 36:F1}\" font-size=\"13\" text-anchor=\"middle\">predicted</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{Top + (n * cell / 2):F1}\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 16 {Top + (n * cell / 2):F1})\">actual</text>\n");
        return End(svg);
    }

    public static string Histogram(string title, string xLabel, IReadOnlyList<(double Lower, double Upper, double Weight)> bins)
    {
        var svg = Start(title);
        if (bins.Count == 0)
        {
            return End(svg);
        }

        double xMin = bins[0].Lower, xMax = bins[^1].Upper, yMax = Math.Max(1e-12, bins.Max(b => b.Weight));
        Axes(svg, xLabel, "weight", xMin, xMax, 0, yMax);
        foreach (var (lower, upper, weight) in bins)
        {
            var x = X(lower, xMin, xMax);
            var w = X(upper, xMin, xMax) - x;
            var y = Y(weight, 0, yMax);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{Math.Max(0.5, w - 1):F1}\" height=\"{Y(0, 0, yMax) - y:F1}\" fill=\"{Palette[0]}\"/>\n");
        }

        return End(svg);
    }

    private static StringBuilder Start(string title)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>\n<text x=\"{Width / 2}\" y=\"24\" font-size=\"16\" text-anchor=\"middle\">{Escape(title)}</text>\n");
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static void Axes(StringBuilder svg, string xLabel, string yLabel, double xMin, double xMax, double yMin, double yMax)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#000\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#000\"/>\n");
        for (var i = 0; i <= 5; i++)
        {
            var xv = xMin + ((xMax - xMin) * i / 5);
            var yv = yMin + ((yMax - yMin) * i / 5);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(xv, xMin, xMax):F1}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"middle\">{xv.ToString("G3", CultureInfo.InvariantCulture)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Y(yv, yMin, yMax) + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{yv.ToString("G3", CultureInfo.InvariantCulture)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 18}\" font-size=\"13\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"18\" y=\"{(Top + Height - Bottom) / 2}\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 18 {(Top + Height - Bottom) / 2})\">{Escape(yLabel)}</text>\n");
    }

    private static double X(double value, double min, double max) => Left + ((Width - Left - Right) * (value - min) / (max - min));

    private static double Y(double value, double min, double max) => Height - Bottom - ((Height - Top - Bottom) * (value - min) / (max - min));

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
