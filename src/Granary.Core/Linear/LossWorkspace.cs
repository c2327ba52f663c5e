namespace Granary.Core.Linear;

/// <summary>
/// Reusable buffers for <see cref="LinearLoss"/>: margins and residuals for one tile of rows per class block,
/// so a pass over a chunk allocates nothing. Tiles keep the active slice of X in cache between the margin
/// and gradient sweeps, so each chunk is streamed from memory once per pass. Not thread-safe: one per worker.
/// </summary>
public sealed class LossWorkspace
{
    /// <summary>Rows per tile: 2048 rows × 32 features × 8 bytes = 512 KiB of X stays in L2.</summary>
    internal const int TileRows = 2048;

    public LossWorkspace(int blocks = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        Margins = new double[blocks][];
        for (var k = 0; k < blocks; k++)
        {
            Margins[k] = new double[TileRows];
        }

        Scratch = new double[TileRows];
        Scratch2 = new double[TileRows];
    }

    /// <summary>Number of class blocks the buffers were sized for.</summary>
    public int Blocks => Margins.Length;

    internal double[][] Margins { get; }

    internal double[] Scratch { get; }

    internal double[] Scratch2 { get; }
}
