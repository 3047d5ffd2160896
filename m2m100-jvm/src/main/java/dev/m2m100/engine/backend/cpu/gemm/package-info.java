/**
 * CPU linear layers: {@code out = act(x·Wᵀ + b) (+ residual)} on the Java Vector API.
 *
 * <pre>{@code
 * try (WorkerPool pool = new WorkerPool(); Arena arena = Arena.ofShared()) {   // one pool per backend
 *     PackedWeights w = PackedWeights.pack(segment, WeightFormat.F32, n, k,     // at load time, W[n][k]
 *             WeightFormat.BF16, arena, pool);                                 // stored as bf16
 *     Gemm.linear(pool, x, 0, m, w, bias, Epilogue.RELU, null, out, 0);        // out[m][n]
 * }
 * }</pre>
 *
 * <p>{@link dev.m2m100.engine.backend.cpu.gemm.Gemm} is deterministic per row: a row's output does not
 * depend on m, on its neighbours or on the thread split. The micro-benchmark, {@code ./m2m100 bench-kernels},
 * is the tools module's {@code GemmBench} (see docs/PERFORMANCE.md, section "CPU GEMM kernels").
 */
package dev.m2m100.engine.backend.cpu.gemm;
