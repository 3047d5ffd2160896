/*
 * libcublas.so.12 -> libcublas.so.13 forwarder, for running JCublas 12.6 on a machine that only has CUDA 13.
 *
 * JCublas 12.6's native library links libcublas.so.12 with versioned symbols (cublasGemmEx@libcublas.so.12),
 * so a CUDA 13 cuBLAS cannot satisfy it directly. This library defines the version node "libcublas.so.12"
 * and exports exactly the cuBLAS calls the m2m100 CUDA backend makes (CublasGemm.java); each one forwards to
 * the same function of libcublas.so.13, opened on first use. JCublas' other ~490 imports stay unresolved;
 * the JVM loads native libraries with lazy binding, so they only matter if called — and nothing calls them.
 *
 * These functions kept their signatures from CUDA 12 to CUDA 13. Handles and streams are opaque pointers and
 * enums are ints, so no cuBLAS header is needed to build this.
 *
 * Not for production: the Docker image ships a CUDA 12 runtime where JCublas works as is.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <pthread.h>

#define CUBLAS_STATUS_NOT_INITIALIZED 1

static void *target;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void open_target(void) {
    const char *name = "libcublas.so.13";
    target = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (target == NULL) {
        fprintf(stderr, "cublas12_forward: cannot open %s: %s\n", name, dlerror());
    }
}

/* Looks a symbol up in libcublas.so.13 (opened once, thread-safely); dlsym itself is thread-safe. */
static void *resolve(const char *symbol) {
    pthread_once(&once, open_target);
    if (target == NULL) {
        return NULL;
    }
    void *f = dlsym(target, symbol);
    if (f == NULL) {
        fprintf(stderr, "cublas12_forward: %s not found in libcublas.so.13\n", symbol);
    }
    return f;
}

/* Resolved on every call: a dlsym costs far less than the GEMMs behind it, and there is no shared cache. */
#define FORWARD(name, params, args)                                   \
    int name params {                                                 \
        int (*fn) params = (int (*) params) resolve(#name);           \
        if (fn == NULL) return CUBLAS_STATUS_NOT_INITIALIZED;         \
        return fn args;                                               \
    }

FORWARD(cublasCreate_v2, (void **handle), (handle))
FORWARD(cublasDestroy_v2, (void *handle), (handle))
FORWARD(cublasGetVersion_v2, (void *handle, int *version), (handle, version))
FORWARD(cublasSetStream_v2, (void *handle, void *stream), (handle, stream))
FORWARD(cublasSetPointerMode_v2, (void *handle, int mode), (handle, mode))
FORWARD(cublasGetPointerMode_v2, (void *handle, int *mode), (handle, mode))
FORWARD(cublasSetMathMode, (void *handle, int mode), (handle, mode))
FORWARD(cublasGetMathMode, (void *handle, int *mode), (handle, mode))
FORWARD(cublasGemmEx,
        (void *handle, int transa, int transb, int m, int n, int k, const void *alpha, const void *a, int atype,
         int lda, const void *b, int btype, int ldb, const void *beta, void *c, int ctype, int ldc,
         int computeType, int algo),
        (handle, transa, transb, m, n, k, alpha, a, atype, lda, b, btype, ldb, beta, c, ctype, ldc, computeType,
         algo))
