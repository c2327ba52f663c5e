using System.Diagnostics;
using Granary.Core.Data;
using Granary.Core.Ingest;
using Granary.Core.Ingest.Csv;

namespace Granary.Benchmarks;

/// <summary>Single-threaded time per CSV stage (split, tokenise, convert), for tuning.</summary>
internal static class PhaseProfile
{
    public static async Task RunAsync(string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        for (var run = 0; run < 3; run++)
        {
            using var splitter = new CsvBlockSplitter(new MemoryStream(bytes), CsvTabularReader.DefaultBlockSize);
            var header = await splitter.ReadHeaderAsync(CancellationToken.None);
            var names = CsvHeaderParser.Parse(header, (byte)',', 4096);
            var tokenizer = new CsvTokenizer((byte)',', names.Length);
            var layout = ColumnLayout.FromInference(names, _ => ColumnType.Numeric, new IngestOptions());
            var converter = new CsvColumnConverter(layout, new IngestOptions());
            var watch = Stopwatch.StartNew();
            double split = 0, tokenize = 0, convert = 0, assemble = 0;
            var assembler = new FrameAssembler(layout.Schema, 262_144);
            while (true)
            {
                watch.Restart();
                var block = await splitter.NextAsync(CancellationToken.None);
                split += watch.Elapsed.TotalSeconds;
                if (block is null)
                {
                    break;
                }

                watch.Restart();
                using var table = tokenizer.Tokenize(block);
                tokenize += watch.Elapsed.TotalSeconds;
                watch.Restart();
                var columns = converter.Convert(table);
                convert += watch.Elapsed.TotalSeconds;
                watch.Restart();
                GC.KeepAlive(assembler.Append(columns, table.Rows));
                assemble += watch.Elapsed.TotalSeconds;
            }

            Console.WriteLine($"split {split:F2} s, tokenize {tokenize:F2} s, convert {convert:F2} s, assemble {assemble:F2} s ({bytes.Length / 1e6 / (split + tokenize + convert + assemble):F0} MB/s single-threaded)");
        }
    }
}
