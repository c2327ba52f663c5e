using System.Diagnostics;
using System.Numerics.Tensors;

namespace Granary.Benchmarks;

internal static class OpTiming
{
    public static void Run()
    {
        var a = new double[2048];
        var b = new double[2048];
        for (var i = 0; i < a.Length; i++) a[i] = -Math.Abs(Math.Sin(i)) * 3;
        void T(string name, Action op)
        {
            op();
            var sw = Stopwatch.StartNew();
            for (var k = 0; k < 500; k++) op();
            Console.WriteLine($"{name}: {sw.Elapsed.TotalMilliseconds * 1e6 / (500 * 2048):F2} ns/elem");
        }
        T("Exp", () => TensorPrimitives.Exp(a, b));
        T("Log", () => TensorPrimitives.Log(a, b));
        T("LogP1", () => TensorPrimitives.LogP1(a, b));
        T("Sigmoid", () => TensorPrimitives.Sigmoid(a, b));
        T("Abs", () => TensorPrimitives.Abs(a, b));
        T("Max", () => TensorPrimitives.Max(a, 0.0, b));
        T("Add", () => TensorPrimitives.Add(a, 1.0, b));
        T("MulAdd", () => TensorPrimitives.MultiplyAdd(a, 0.5, b, b));
        T("Dot", () => TensorPrimitives.Dot(a, b));
        T("Sum", () => TensorPrimitives.Sum(a));
    }
}
